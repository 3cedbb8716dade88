"""What a batch converts: inputs (files, folders, a manifest) to tasks with their output paths.

Folders are walked recursively; ``include``/``exclude`` globs match the path
relative to the folder or the file name. Without ``include``, a folder yields
the files whose extension a subkit reader claims. Each task's output comes
from a name template; two inputs that would write the same output are refused
before anything runs.
"""

from __future__ import annotations

import csv
import fnmatch
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from subkit import formats
from subkit.errors import ConfigError, SubkitError, SubkitIOError, UnknownFormatError

__all__ = ["DEFAULT_TEMPLATE", "Task", "check_collisions", "name_output", "plan", "read_manifest", "walk"]

#: The default output name: the input's path under its folder, with the output format's extension.
DEFAULT_TEMPLATE = "{relpath}.{ext}"

#: The fields a name template may use.
TEMPLATE_FIELDS = ("stem", "name", "lang", "ext", "relpath", "reldir", "suffix")

#: A trailing language tag in a file name (``movie.en.srt``, ``movie.pt-BR.vtt``).
_LANG = re.compile(r"^(?P<stem>.+)\.(?P<lang>[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?)$")


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


def _readable(name: str) -> bool:
    try:
        return formats.for_path(name).can_read
    except UnknownFormatError:
        return False


def _matches(relpath: str, patterns: Sequence[str]) -> bool:
    name = relpath.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(relpath, p) or fnmatch.fnmatchcase(name, p) for p in patterns)


def walk(
    root: str | os.PathLike[str],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    skip: Iterable[str | os.PathLike[str]] = (),
) -> Iterator[tuple[str, str]]:
    """The files under folder ``root`` as ``(path, relative path)``, sorted, recursively.

    Args:
        root: the folder.
        include: globs a file must match (its relative path or its name); empty: any file a reader claims.
        exclude: globs a file must not match.
        skip: folders not to enter (the output folder, when it lies inside ``root``).

    Raises:
        SubkitIOError: the folder cannot be read.
    """
    base = Path(root)
    skipped = {os.path.realpath(s) for s in skip}

    def fail(exc: OSError) -> None:
        raise SubkitIOError(f"{exc.filename}: cannot read the folder: {exc.strerror or exc}",
                            path=str(exc.filename)) from None

    for folder, dirs, files in os.walk(base, onerror=fail):
        dirs[:] = sorted(d for d in dirs if os.path.realpath(os.path.join(folder, d)) not in skipped)
        for file_name in sorted(files):
            path = os.path.join(folder, file_name)
            relpath = os.path.relpath(path, base).replace(os.sep, "/")
            if include and not _matches(relpath, include):
                continue
            if not include and not _readable(file_name):
                continue
            if exclude and _matches(relpath, exclude):
                continue
            yield path, relpath


def name_output(template: str, relpath: str, ext: str) -> str:
    """The output path (relative to the output folder) of an input at ``relpath`` under its folder.

    Fields: ``{relpath}`` the relative path without its extension, ``{reldir}``
    its folder (``.`` at the top), ``{name}`` the file name without its
    extension, ``{stem}`` the same without a trailing language tag, ``{lang}``
    that tag (``und`` when there is none), ``{ext}`` the output format's
    extension without the dot, ``{suffix}`` the input's own extension with the dot.

    Raises:
        ConfigError: an unknown field, or a name that leaves the output folder.

    >>> name_output("{stem}.{lang}.{ext}", "season1/ep01.en.srt", "vtt")
    'ep01.en.vtt'
    >>> name_output("{relpath}.{ext}", "season1/ep01.srt", "ttml")
    'season1/ep01.ttml'
    >>> name_output("{reldir}/{stem}{suffix}", "a/b.srt", "vtt")
    'a/b.srt'
    """
    folder, _, file_name = relpath.rpartition("/")
    name, dot, suffix = file_name.rpartition(".")
    if not dot:
        name, suffix = file_name, ""
    lang_match = _LANG.match(name)
    values = {
        "relpath": f"{folder}/{name}" if folder else name,
        "reldir": folder or ".",
        "name": name,
        "stem": lang_match["stem"] if lang_match else name,
        "lang": lang_match["lang"] if lang_match else "und",
        "ext": ext,
        "suffix": f".{suffix}" if suffix else "",
    }
    try:
        result = template.format_map(values)
    except (KeyError, IndexError, ValueError) as exc:
        raise ConfigError(f"bad name template {template!r}: {exc} (fields: "
                          f"{', '.join('{' + f + '}' for f in TEMPLATE_FIELDS)})") from None
    normal = os.path.normpath(result).replace(os.sep, "/")
    if os.path.isabs(normal) or normal == ".." or normal.startswith("../") or normal in (".", ""):
        raise ConfigError(f"the name template {template!r} gives {result!r} for {relpath!r}, outside the output folder")
    return normal


def _ext(to_format: str) -> str:
    spec = formats.get(to_format)
    if not spec.can_write:
        raise ConfigError(f"subkit reads {spec.name} but cannot write it")
    return spec.extensions[0].lstrip(".") if spec.extensions else spec.name


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

    Raises:
        SubkitIOError: an input does not exist or a folder cannot be read.
        UnknownFormatError: ``to_format`` is not a format.
        ConfigError: a bad template, a read-only output format, or two inputs with the same output.
    """
    ext = _ext(to_format)
    reads, writes = dict(read_options or {}), dict(write_options or {})  # one pair shared by every task
    tasks: list[Task] = []
    seen: set[str] = set()
    for item in inputs:
        path = os.fspath(item)
        if os.path.isdir(path):
            found: Iterable[tuple[str, str]] = walk(path, include=include, exclude=exclude, skip=[out_dir])
        elif os.path.isfile(path):
            found = [(path, os.path.basename(path))]
        else:
            raise SubkitIOError(f"{path}: no such file or folder", path=path)
        for file_path, relpath in found:
            real = os.path.realpath(file_path)
            if real in seen:
                continue
            seen.add(real)
            output = os.path.join(os.fspath(out_dir), name_output(template, relpath, ext))
            tasks.append(Task(file_path, output, to_format, from_format, encoding, reads, writes))
    check_collisions(tasks)
    return tasks


def check_collisions(tasks: Sequence[Task]) -> None:
    """Refuse two tasks writing the same output, or an output that is an input.

    Raises:
        ConfigError: naming both inputs.
    """
    outputs: dict[str, str] = {}
    inputs = {os.path.realpath(task.input): task.input for task in tasks}
    for task in tasks:
        key = os.path.realpath(task.output)
        other = outputs.get(key)
        if other is not None:
            raise ConfigError(f"{other} and {task.input} would both be written to {task.output}; "
                              "change the name template, e.g. '{relpath}{suffix}.{ext}' keeps each input's extension")
        if key in inputs:
            raise ConfigError(f"{task.input} would be written over the input {inputs[key]}")
        outputs[key] = task.input


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
            ext = _ext(str(row_format))
        except SubkitError as exc:
            raise ConfigError(f"{where}: {exc}") from None
        if not isinstance(target, str) or not target:
            target = name_output(template, source.replace(os.sep, "/").lstrip("/"), ext)
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
