"""``subkit formats``: the format table, from the registry and each writer's ``FEATURES``."""

from __future__ import annotations

import dataclasses
import inspect
import re
from typing import Any, Literal

import click

from subkit.cli._options import describe_type, option_fields
from subkit.cli._run import RunSettings, io_options, pass_settings
from subkit.cli._shared import echo_json
from subkit.formats import FORMATS, FormatSpec

__all__ = ["format_record", "formats_command"]


def _features(spec: FormatSpec) -> list[str] | None:
    """What the writer of ``spec`` can express, or ``None`` when its module cannot be imported."""
    if not spec.can_write:
        return []
    try:
        module = spec.load()
    except ImportError:  # a format listed in the registry whose module is not installed or not written yet
        return None
    return sorted(getattr(module, "FEATURES", frozenset()))


def _options(spec: FormatSpec, kind: Literal["read", "write"]) -> dict[str, str]:
    """The format-specific reader or writer options of ``spec``: name -> type as text."""
    if not (spec.can_read if kind == "read" else spec.can_write):
        return {}
    try:
        fields = option_fields(spec, kind)
    except ImportError:
        return {}
    return {name: describe_type(annotation) for name, annotation in fields.items()}


_ATTRIBUTE = re.compile(r"^(\s*)([a-z_][a-z0-9_]*(?:, [a-z_][a-z0-9_]*)*):\s*(.*)$")


def _attribute_docs(cls: type) -> dict[str, str]:
    """The ``Attributes:`` entries of ``cls``'s docstring and its bases', as one sentence each."""
    docs: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        text = inspect.cleandoc(klass.__dict__.get("__doc__") or "")
        inside = False
        names: list[str] = []
        indent = 0
        for line in text.splitlines():
            if line.strip() == "Attributes:":
                inside, names = True, []
                continue
            if not inside:
                continue
            if line and not line.startswith(" "):
                inside = False
                continue
            match = _ATTRIBUTE.match(line)
            if match and (not names or len(match.group(1)) <= indent):
                indent = len(match.group(1))
                names = match.group(2).split(", ")
                for name in names:
                    docs[name] = match.group(3).strip()
            elif names and line.strip():
                for name in names:
                    docs[name] = f"{docs[name]} {line.strip()}".strip()
    return docs


def _option_details(spec: FormatSpec, kind: Literal["read", "write"]) -> list[dict[str, Any]]:
    """Each format-specific option: name, accepted values, default and meaning (for ``--verbose``)."""
    if not (spec.can_read if kind == "read" else spec.can_write):
        return []
    try:
        fields = option_fields(spec, kind)
        module = spec.load()
    except ImportError:
        return []
    cls = module.ReadOptions if kind == "read" else module.WriteOptions
    docs = _attribute_docs(cls)
    defaults = {f.name: f.default for f in dataclasses.fields(cls) if f.default is not dataclasses.MISSING}
    details = []
    for name, annotation in fields.items():
        default = defaults.get(name)
        if not isinstance(default, (str, int, float, bool, type(None))):
            default = str(default)
        details.append({"name": name, "values": describe_type(annotation), "default": default,
                        "meaning": docs.get(name, "").replace("``", "").replace(":attr:", "")})
    return details


def format_record(spec: FormatSpec) -> dict[str, Any]:
    """One row of ``subkit formats --json``.

    ``features`` is ``null`` when the implementation could not be imported
    (``available`` is then false). ``read_options`` and ``write_options`` map
    the format's own options (``-r``/``-w KEY=VALUE`` of ``subkit convert``)
    to their types; ``read_option_details`` and ``write_option_details`` list each
    option's accepted values, default and meaning.
    """
    features = _features(spec)
    return {
        "name": spec.name,
        "title": spec.title,
        "aliases": list(spec.aliases),
        "extensions": list(spec.extensions),
        "read": spec.can_read,
        "write": spec.can_write,
        "binary": spec.binary,
        "available": features is not None,
        "features": features,
        "read_options": _options(spec, "read"),
        "write_options": _options(spec, "write"),
        "read_option_details": _option_details(spec, "read"),
        "write_option_details": _option_details(spec, "write"),
    }


def _table(records: list[dict[str, Any]]) -> list[str]:
    """Aligned columns, one format per line (long lines rather than wrapped ones, for grep)."""
    header = ("FORMAT", "ALIASES", "EXTENSIONS", "R/W", "WRITER EXPRESSES")
    rows = [header]
    for record in records:
        mode = ("r" if record["read"] else "-") + ("w" if record["write"] else "-")
        features = "(not available)" if record["features"] is None else ", ".join(record["features"]) or "-"
        rows.append(
            (
                record["name"],
                ", ".join(record["aliases"]) or "-",
                " ".join(record["extensions"]) or "-",
                mode,
                features,
            )
        )
    widths = [max(len(row[column]) for row in rows) for column in range(len(header) - 1)]
    widths.append(0)  # the last column is not padded
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in rows]


def _option_lines(records: list[dict[str, Any]]) -> list[str]:
    """The reader and writer options of each format that has any, for ``--verbose``."""
    lines = ["", "OPTIONS (subkit convert -r KEY=VALUE / -w KEY=VALUE; --fps sets fps, --language language)"]
    for record in records:
        for kind in ("read", "write"):
            details = record[f"{kind}_option_details"]
            if details:
                lines.append(f"{record['name']} {'reader' if kind == 'read' else 'writer'}:")
            for detail in details:
                default = detail["default"]
                shown = "none" if default is None else str(default).lower() if isinstance(default, bool) else default
                lines.append(f"  {detail['name']} = {detail['values']} (default: {shown})")
                if detail["meaning"]:
                    lines.append(f"      {detail['meaning']}")
    return lines


@click.command("formats")
@io_options("json", json={"help": "Print the table as a JSON list."})
@click.option("-v", "--verbose", is_flag=True, help="Also list each reader's and writer's own options.")
@pass_settings
def formats_command(settings: RunSettings, /, verbose: bool) -> None:
    """List the formats subkit reads and writes.

    For each format: its identifier (the value of --from/--to), other names it
    answers to, file extensions (the first is used for new files), whether
    subkit reads (r) and writes (w) it, and what its writer can express. A
    conversion to a format drops, and reports, any other feature.
    """
    records = [format_record(spec) for spec in FORMATS]
    if settings.as_json:
        echo_json(records)
    else:
        for line in _table(records) + (_option_lines(records) if verbose else []):
            click.echo(line.rstrip())
