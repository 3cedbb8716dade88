"""What a batch converts: inputs (files, folders, a manifest) to tasks with their output paths.

The planning itself is subkit's one implementation (``subkit._plan``), shared
with every CLI command that takes many inputs: folders are walked
recursively; ``include``/``exclude`` globs match the path relative to the
folder or the file name; without ``include``, a folder yields the files whose
extension a subkit reader claims (hidden files and folders are passed over).
Each task's output comes from a name template (one vocabulary everywhere:
:data:`TEMPLATE_FIELDS`); two inputs that would write the same output are
refused before anything runs.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from subkit import _plan, formats
from subkit._plan import TEMPLATE_FIELDS, name_output
from subkit.errors import ConfigError, SubkitError, SubkitIOError

__all__ = ["DEFAULT_TEMPLATE", "TEMPLATE_FIELDS", "Task", "check_collisions", "name_output", "plan", "read_manifest"]

#: The default output name: the input's path under its folder, with the output format's extension.
DEFAULT_TEMPLATE = "{relpath}{ext}"


@dataclass(frozen=True, slots=True)
class Task:
    """One file to convert.

    Attributes:
        input: the input path.
        output: the output path.
        to_format: the output format (``None``: from the output's extension).
        from_format: the input format (``None``: detected).
        encoding: the input's text encoding (``None``: detected).
        read_options: options of the input format's reader (values typed, or ``KEY=VALUE`` text).
        write_options: options of the output format's writer (likewise).
    """

    input: str
    output: str
    to_format: str | None = None
    from_format: str | None = None
    encoding: str | None = None
    read_options: Mapping[str, Any] = field(default_factory=dict)
    write_options: Mapping[str, Any] = field(default_factory=dict)


def _output_format(to_format: str) -> tuple[str, str]:
    """``(extension with its dot, format name)`` of a format a batch writes.

    Raises:
        UnknownFormatError: not a format.
        ConfigError: a format subkit only reads.
    """
    spec = formats.get(to_format)
    if not spec.can_write:
        raise ConfigError(f"subkit reads {spec.name} but cannot write it")
    return (spec.extensions[0] if spec.extensions else f".{spec.name}"), spec.name


def plan(
    inputs: Sequence[str | os.PathLike[str]],
    *,
    out_dir: str | os.PathLike[str],
    to_format: str,
    template: str = DEFAULT_TEMPLATE,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    from_format: str | None = None,
    encoding: str | None = None,
    read_options: Mapping[str, Any] | None = None,
    write_options: Mapping[str, Any] | None = None,
) -> list[Task]:
    """The tasks for files and folders: each input file once, outputs named by ``template`` under ``out_dir``.

    ``template`` takes the fields of :data:`TEMPLATE_FIELDS` (``{command}`` is
    ``batch``); the default ``{relpath}{ext}`` keeps each file's folders under
    its input folder and gives it the output format's extension.

    Raises:
        SubkitIOError: an input does not exist or a folder cannot be read.
        UnknownFormatError: ``to_format`` is not a format.
        ConfigError: a bad template, a read-only output format, or two inputs with the same output.

    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> (folder / "s1").mkdir()
    >>> _ = (folder / "s1" / "ep01.en.srt").write_text("1\\n00:00:01,000 --> 00:00:02,000\\nHi\\n", encoding="utf-8")
    >>> [pathlib.Path(t.output).relative_to(folder / "out").as_posix()
    ...  for t in plan([folder], out_dir=folder / "out", to_format="webvtt", template="{reldir}/{base}.{lang}{ext}")]
    ['s1/ep01.en.vtt']
    """
    ext, format_name = _output_format(to_format)
    _plan.check_template(template)
    reads, writes = dict(read_options or {}), dict(write_options or {})  # one pair shared by every task
    found = _plan.expand(inputs, recursive=True, include=include, exclude=exclude, skip=[out_dir], empty_ok=True)
    planned = _plan.plan_outputs(found, template=template, out_dir=out_dir, output_format=lambda _: (ext, format_name),
                                 command="batch")
    return [Task(path, targets[0], to_format, from_format, encoding, reads, writes) for path, targets in planned]


def check_collisions(tasks: Sequence[Task]) -> None:
    """Refuse two tasks writing the same output, or an output that is an input.

    Raises:
        ConfigError: naming both inputs.
    """
    _plan.check_collisions((task.input, task.output) for task in tasks)


def _options_cell(text: str, where: str) -> dict[str, str]:
    """``KEY=VALUE;KEY=VALUE`` of a CSV cell."""
    result: dict[str, str] = {}
    for pair in filter(None, (part.strip() for part in text.split(";"))):
        key, equal, value = pair.partition("=")
        if not equal or not key.strip():
            raise ConfigError(f"{where}: expected KEY=VALUE;KEY=VALUE, got {pair!r}")
        result[key.strip()] = value.strip()
    return result


def _rows(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:
                raise ConfigError(f"{path}:{number}: not JSON: {exc}") from None
            if not isinstance(row, dict):
                raise ConfigError(f"{path}:{number}: expected a JSON object")
            yield f"{path}:{number}", row
    else:
        reader = csv.DictReader(text.splitlines())
        for number, cells in enumerate(reader, 2):
            where = f"{path}:{number}"
            values: dict[str, Any] = {k.strip(): (v or "").strip() for k, v in cells.items() if k}
            for column in ("read_options", "write_options"):
                if values.get(column):
                    values[column] = _options_cell(values[column], where)
            yield where, {k: v for k, v in values.items() if v != ""}


def read_manifest(
    path: str | os.PathLike[str],
    *,
    out_dir: str | os.PathLike[str] | None,
    to_format: str | None,
    template: str = DEFAULT_TEMPLATE,
    from_format: str | None = None,
    encoding: str | None = None,
    read_options: Mapping[str, Any] | None = None,
    write_options: Mapping[str, Any] | None = None,
) -> list[Task]:
    """The tasks of a manifest: CSV with a header, or JSON Lines (``.jsonl``), one input per row.

    Columns: ``input`` (required), ``output``, ``format`` (the output format),
    ``from``, ``encoding``, ``read_options`` and ``write_options`` (JSON
    objects in JSON Lines, ``KEY=VALUE;KEY=VALUE`` in CSV). Relative inputs
    are relative to the manifest's folder, relative outputs to ``out_dir``; a
    row without ``output`` is named by ``template``. Row values override the
    arguments.

    Raises:
        SubkitIOError: the manifest cannot be read.
        ConfigError: a bad row, a row without a format, or two rows with the same output.
    """
    manifest = Path(path)
    try:
        rows = list(_rows(manifest))
    except OSError as exc:
        raise SubkitIOError(f"{manifest}: cannot read the manifest: {exc.strerror or exc}",
                            path=str(manifest)) from None
    tasks: list[Task] = []
    for where, row in rows:
        unknown = set(row) - {"input", "output", "format", "from", "encoding", "read_options", "write_options"}
        if unknown:
            raise ConfigError(f"{where}: unknown column(s) {', '.join(sorted(unknown))}")
        source = row.get("input")
        if not isinstance(source, str) or not source:
            raise ConfigError(f"{where}: no input")
        source_path = manifest.parent / source
        target = row.get("output")
        row_format = row.get("format") or to_format
        try:
            if row_format is None and isinstance(target, str):
                row_format = formats.for_path(target).name
            if row_format is None:
                raise ConfigError(f"{where}: no output format (give --to, or a format or output column)")
            ext, format_name = _output_format(str(row_format))
        except SubkitError as exc:
            raise ConfigError(f"{where}: {exc}") from None
        if not isinstance(target, str) or not target:
            target = name_output(template, source.replace(os.sep, "/").lstrip("/"), ext, format=format_name,
                                 command="batch")
        if not os.path.isabs(target):
            if out_dir is None:
                raise ConfigError(f"{where}: a relative output needs --out-dir")
            target = os.path.join(os.fspath(out_dir), target)
        options = []
        for column, default in (("read_options", read_options), ("write_options", write_options)):
            value = row.get(column, default or {})
            if not isinstance(value, Mapping):
                raise ConfigError(f"{where}: {column} must be an object of options")
            options.append(dict(value))
        tasks.append(Task(str(source_path), target, str(row_format), row.get("from", from_format),
                          row.get("encoding", encoding), options[0], options[1]))
    check_collisions(tasks)
    return tasks
