"""Planning many conversions: which files a folder holds, what each output is called, and what may not be written.

One implementation for every command that reads subtitles (through the CLI's
``plan_jobs``) and for :func:`subkit.batch.plan`:

* :func:`walk` and :func:`expand`: the subtitle files of folders (the
  extensions a subkit reader claims, hidden files and folders skipped, sorted;
  ``include``/``exclude`` globs; one level or recursive; the output folder
  never entered);
* :func:`check_template` and :func:`name_output`: one name-template
  vocabulary (:data:`TEMPLATE_FIELDS`), refused with a hint where a spelling of
  the older batch vocabulary would now give a wrong name;
* :func:`plan_outputs`: each input's outputs, under an output folder or beside
  the input, and :func:`check_collisions`: two inputs written to one file, or
  an output that is an input, refused before anything is read.

>>> name_output("{relpath}{ext}", "season1/ep01.en.srt", ".vtt")
'season1/ep01.en.vtt'
>>> name_output("{base}.{lang}{ext}", "ep01.en.srt", ".vtt")
'ep01.en.vtt'
"""

from __future__ import annotations

import difflib
import fnmatch
import functools
import os
import posixpath
import re
import string
from collections.abc import Callable, Iterable, Iterator, Sequence

from subkit import formats
from subkit.errors import ConfigError, SubkitIOError, UnknownFormatError

__all__ = [
    "TEMPLATE_FIELDS",
    "check_collisions",
    "check_template",
    "expand",
    "name_fields",
    "name_output",
    "plan_outputs",
    "split_extension",
    "split_language",
    "subtitle_extensions",
    "walk",
]

#: The fields of a name template, each with what it holds for ``season1/ep01.en.srt`` written as WebVTT.
TEMPLATE_FIELDS: dict[str, str] = {
    "name": "the input's file name (ep01.en.srt)",
    "stem": "the name without its extension (ep01.en)",
    "base": "the stem without a trailing language tag (ep01)",
    "lang": "that language tag (en; und when there is none)",
    "suffix": "the input's extension, with its dot (.srt)",
    "ext": "the output format's extension, with its dot (.vtt)",
    "format": "the output format (webvtt)",
    "command": "the command (clean, convert, batch ...)",
    "part": "the part of a split (a or b; empty elsewhere)",
    "relpath": "the path under the input folder, without the extension (season1/ep01.en)",
    "reldir": "the folder under the input folder (season1; . at the top)",
}

#: A trailing language tag of a stem (``ep1.en``, ``ep1.pt-BR``, ``ep1.zh_Hant``): two or three lower-case
#: letters, then any subtags. A guess from the name alone, as players and media servers make it.
_LANG = re.compile(r"^(?P<base>.+)\.(?P<lang>[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)$")

#: Older spellings that now give a wrong name silently: (pattern, why, replacement).
_OLD_SPELLINGS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"\.\{ext\}"), "{ext} includes its dot", "{ext}"),
    (re.compile(r"\{stem\}\.\{lang\}"), "{stem} keeps the language tag", "{base}.{lang}"),
)


def subtitle_extensions() -> tuple[str, ...]:
    """The extensions (lower case, with the dot) a subkit reader claims, longest first."""
    return tuple(sorted({ext for spec in formats.FORMATS if spec.can_read for ext in spec.extensions},
                        key=lambda ext: (-len(ext), ext)))


def split_extension(file_name: str) -> tuple[str, str]:
    """``file_name`` as (stem, extension): a known subtitle extension is taken off whole, else the last one.

    >>> split_extension("ep1.en.srt"), split_extension("x.subkit.json"), split_extension("notes")
    (('ep1.en', '.srt'), ('x', '.subkit.json'), ('notes', ''))
    """
    lowered = file_name.lower()
    for ext in _known_extensions():
        if lowered.endswith(ext) and len(ext) < len(file_name):
            return file_name[:-len(ext)], file_name[-len(ext):]
    stem, ext = os.path.splitext(file_name)
    return stem, ext


@functools.cache
def _known_extensions() -> tuple[str, ...]:
    """Every extension a format claims (read or write), longest first: the first that ends a name is its extension."""
    return tuple(sorted({ext for spec in formats.FORMATS for ext in spec.extensions}, key=lambda e: (-len(e), e)))


def split_language(stem: str) -> tuple[str, str]:
    """``stem`` as (base, language tag); the tag is ``und`` when the stem ends in none.

    >>> split_language("ep01.en"), split_language("show.pt-BR"), split_language("ep01")
    (('ep01', 'en'), ('show', 'pt-BR'), ('ep01', 'und'))
    """
    match = _LANG.match(stem)
    return (match["base"], match["lang"]) if match else (stem, "und")


def _hidden(name: str) -> bool:
    return name.startswith(".")


def _matches(relpath: str, patterns: Sequence[str]) -> bool:
    name = relpath.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(relpath, p) or fnmatch.fnmatchcase(name, p) for p in patterns)


def walk(
    root: str | os.PathLike[str],
    *,
    recursive: bool = True,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    skip: Iterable[str | os.PathLike[str]] = (),
) -> Iterator[tuple[str, str]]:
    """The files of folder ``root`` as ``(path, path relative to root with / separators)``, sorted.

    Hidden files and folders (a name starting with ``.``) are passed over.

    Args:
        root: the folder.
        recursive: walk the folders inside it too (else only the files directly in it).
        include: globs a file must match (its relative path or its name); empty: any file whose
            extension a subkit reader claims.
        exclude: globs a file must not match.
        skip: folders not to enter (the output folder, when it lies inside ``root``).

    Raises:
        SubkitIOError: a folder cannot be read.
    """
    skipped = {os.path.realpath(s) for s in skip}
    extensions = subtitle_extensions()

    def fail(exc: OSError) -> None:
        raise SubkitIOError(f"{exc.filename}: cannot read the folder: {exc.strerror or exc}",
                            path=str(exc.filename), errno=exc.errno) from None

    base = os.fspath(root)
    for folder, dirs, files in os.walk(base, onerror=fail):
        dirs[:] = sorted(d for d in dirs if recursive and not _hidden(d)
                         and os.path.realpath(os.path.join(folder, d)) not in skipped)
        for file_name in sorted(files):
            if _hidden(file_name):
                continue
            path = os.path.join(folder, file_name)
            relpath = os.path.relpath(path, base).replace(os.sep, "/")
            if include and not _matches(relpath, include):
                continue
            if not include and not file_name.lower().endswith(extensions):
                continue
            if exclude and _matches(relpath, exclude):
                continue
            if os.path.isfile(path):
                yield path, relpath


def expand(
    paths: Iterable[str | os.PathLike[str]],
    *,
    recursive: bool = True,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    skip: Iterable[str | os.PathLike[str]] = (),
    missing_ok: bool = False,
    empty_ok: bool = False,
) -> list[tuple[str, str]]:
    """Files and folders as ``(path, relative path)``: a file as given (its name), a folder by :func:`walk`.

    A file named twice (or also found in a folder) is taken once.

    Args:
        paths: files and folders.
        recursive, include, exclude, skip: as in :func:`walk` (a file given by name is taken as it is).
        missing_ok: keep a path that does not exist (its reading fails later) instead of refusing it.
        empty_ok: accept a folder holding no file to take.

    Raises:
        SubkitIOError: a path does not exist (unless ``missing_ok``), or a folder cannot be read.
        ConfigError: a folder holds no file to take (unless ``empty_ok``).
    """
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    skip = list(skip)
    for item in paths:
        path = os.fspath(item)
        if os.path.isdir(path):
            files = list(walk(path, recursive=recursive, include=include, exclude=exclude, skip=skip))
            if not files and not empty_ok:
                where = "in it or below it" if recursive else "in it"
                raise ConfigError(f"{path} is a folder with no subtitle file {where}")
        elif os.path.exists(path) or missing_ok:
            files = [(path, os.path.basename(path))]
        else:
            raise SubkitIOError(f"{path}: no such file or folder", path=path, errno=2)
        for file_path, relpath in files:
            key = os.path.realpath(file_path)
            if key not in seen:
                seen.add(key)
                found.append((file_path, relpath))
    return found


def _fields_list() -> str:
    return " ".join("{" + name + "}" for name in TEMPLATE_FIELDS)


def check_template(template: str, *, parts: int = 1) -> None:
    """Refuse a name template with an unknown field, a spelling of the older batch vocabulary, or bad braces.

    Args:
        template: the template.
        parts: the outputs of one input (two for a split): more than one needs ``{part}``.

    Raises:
        ConfigError: naming the problem, with a "did you mean" for a misspelt field.

    >>> check_template("{relpath}.{ext}")
    Traceback (most recent call last):
    ...
    subkit.errors.ConfigError: name template '{relpath}.{ext}': {ext} includes its dot: write '{relpath}{ext}'
    """
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise ConfigError(f"name template {template!r}: {exc} (write {{{{ and }}}} for a brace)") from None
    used = set()
    for _, field_name, _, _ in parsed:
        if field_name is None:
            continue
        if field_name not in TEMPLATE_FIELDS:
            close = difflib.get_close_matches(field_name, list(TEMPLATE_FIELDS), n=1)
            hint = f" (did you mean {{{close[0]}}}?)" if close else ""
            raise ConfigError(f"name template {template!r}: unknown field {{{field_name}}}{hint}; "
                              f"fields: {_fields_list()}")
        used.add(field_name)
    reasons = []
    fixed = template
    for pattern, why, replacement in _OLD_SPELLINGS:
        if pattern.search(fixed):
            reasons.append(why)
            fixed = pattern.sub(replacement, fixed)
    if reasons:
        raise ConfigError(f"name template {template!r}: {'; '.join(reasons)}: write {fixed!r}")
    if parts > 1 and "part" not in used:
        raise ConfigError(f"name template {template!r}: the {parts} outputs of one input would be one file: "
                          "use a template with {part}")


def name_fields(relpath: str, *, ext: str, format: str = "", command: str = "", part: str = "") -> dict[str, str]:
    """The values of the template fields for an input at ``relpath`` under its folder (see :data:`TEMPLATE_FIELDS`).

    >>> name_fields("season1/ep01.en.srt", ext=".vtt")["relpath"]
    'season1/ep01.en'
    """
    folder, _, file_name = relpath.rpartition("/")
    stem, suffix = split_extension(file_name)
    base, lang = split_language(stem)
    if ext and not ext.startswith("."):
        ext = "." + ext
    return {"name": file_name, "stem": stem, "base": base, "lang": lang, "suffix": suffix, "ext": ext,
            "format": format, "command": command, "part": part,
            "relpath": f"{folder}/{stem}" if folder else stem, "reldir": folder or "."}


def name_output(
    template: str, relpath: str, ext: str, *, format: str | None = None, command: str = "", part: str = ""
) -> str:
    """The output path (``/``-separated, relative to the output folder) of an input at ``relpath`` under its folder.

    Args:
        template: the name template (fields: :data:`TEMPLATE_FIELDS`).
        relpath: the input's path under the folder it was found in (its name, for a file given by name).
        ext: the output format's extension (the dot is added when missing).
        format: the output format's name (default: the format the extension names).
        command: the command, for ``{command}``.
        part: the part, for ``{part}``.

    Raises:
        ConfigError: a bad template (:func:`check_template`), or a name that is empty or leaves the output folder.

    >>> name_output("{reldir}/{base}{suffix}", "a/b.en.srt", ".vtt")
    'a/b.srt'
    """
    check_template(template)
    if format is None:
        try:
            format = formats.for_path("x" + (ext if ext.startswith(".") else "." + ext)).name
        except UnknownFormatError:
            format = ext.lstrip(".")
    return _render(template, relpath, name_fields(relpath, ext=ext, format=format, command=command, part=part))


def _render(template: str, relpath: str, fields: dict[str, str]) -> str:
    """``template`` (already checked) filled in with ``fields``, refused unless it names a file inside its folder."""
    result = template.format_map(fields)
    normal = posixpath.normpath(result.replace(os.sep, "/"))
    if (not result or result.endswith("/") or posixpath.isabs(normal) or os.path.isabs(result)
            or normal in (".", "..") or normal.startswith("../")):
        raise ConfigError(f"name template {template!r} gives {result!r} for {relpath}: "
                          "not a file name inside the output folder")
    return normal


def check_collisions(pairs: Iterable[tuple[str, str]], *, also_read: Iterable[str] = ()) -> None:
    """Refuse two inputs written to one output, and an output that is an input (or one of ``also_read``).

    Args:
        pairs: ``(input, output)`` of every output planned.
        also_read: other files the run reads (a reference, the second input of a merge).

    Raises:
        ConfigError: naming both inputs, or the input and the file it would overwrite.
    """
    listed = list(pairs)
    inputs = {os.path.realpath(path): path for path in [*(source for source, _ in listed), *also_read]}
    writers: dict[str, str] = {}
    for source, target in listed:
        key = os.path.realpath(target)
        if key in inputs:
            raise ConfigError(f"refusing to overwrite an input: {source} would be written over the input "
                              f"{inputs[key]}; choose another output folder or name template")
        other = writers.get(key)
        if other is not None:
            raise ConfigError(f"{other} and {source} would both be written to {target}: choose another name "
                              "template ({relpath} keeps the folders, {suffix} the input's extension)")
        writers[key] = source


def plan_outputs(
    found: Sequence[tuple[str, str]],
    *,
    template: str,
    out_dir: str | os.PathLike[str] | None,
    output_format: Callable[[str], tuple[str, str]],
    command: str,
    parts: Sequence[str] = ("",),
    also_read: Iterable[str] = (),
) -> list[tuple[str, tuple[str, ...]]]:
    """Each input with its outputs, named by ``template`` under ``out_dir`` (else beside the input).

    Args:
        found: ``(path, relative path)`` of each input, as :func:`expand` gives them.
        template: the name template; without ``out_dir`` names are relative to each input's own folder.
        out_dir: the output folder, or ``None``.
        output_format: an input's output ``(extension with its dot, format name)``.
        command: for ``{command}``.
        parts: the outputs of each input (``{part}``); one empty part for one output.
        also_read: other files the run reads, which no output may overwrite.

    Raises:
        ConfigError: a bad template, a name leaving its folder, a collision (:func:`check_collisions`), or
            what ``output_format`` raises.
    """
    check_template(template, parts=len(parts))
    planned: list[tuple[str, tuple[str, ...]]] = []
    for path, relpath in found:
        ext, format = output_format(path)
        folder = os.fspath(out_dir) if out_dir is not None else os.path.dirname(path)
        planned.append((path, tuple(
            os.path.join(folder, *_render(template, relpath, name_fields(relpath, ext=ext, format=format,
                                                                         command=command, part=part)).split("/"))
            for part in parts)))
    check_collisions([(path, target) for path, targets in planned for target in targets], also_read=also_read)
    return planned
