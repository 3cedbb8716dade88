"""Format registry: look formats up by name or path, and detect them from content.

>>> get("vtt").name
'webvtt'
>>> for_path("movie.en.srt").name
'srt'
"""

from __future__ import annotations

import os
from types import ModuleType

from subkit.errors import FormatDetectionError, UnknownFormatError
from subkit.formats._base import BaseReadOptions, BaseWriteOptions, DiagnosticSink, WriteResult
from subkit.formats._registry import FORMATS, FormatSpec

__all__ = [
    "FORMATS",
    "BaseReadOptions",
    "BaseWriteOptions",
    "DiagnosticSink",
    "FormatSpec",
    "WriteResult",
    "detect",
    "for_path",
    "get",
    "module",
    "names",
]

_BY_NAME: dict[str, FormatSpec] = {}
for _spec in FORMATS:
    _BY_NAME[_spec.name] = _spec
    for _alias in _spec.aliases:
        _BY_NAME[_alias.replace("-", "_")] = _spec

#: How many characters (or bytes) of the input sniffers look at.
SNIFF_SIZE = 8192


def names() -> list[str]:
    """The identifiers of every registered format."""
    return [spec.name for spec in FORMATS]


def get(name: str) -> FormatSpec:
    """The format called ``name`` (identifier or alias; ``-`` and ``_`` alike, any case).

    Raises:
        UnknownFormatError: no such format.
    """
    key = name.strip().lower().replace("-", "_").lstrip(".")
    spec = _BY_NAME.get(key)
    if spec is None:
        import difflib

        close = difflib.get_close_matches(key, list(_BY_NAME), n=1, cutoff=0.6)
        hint = f"did you mean {_BY_NAME[close[0]].name!r}? " if close else ""
        raise UnknownFormatError(
            f"unknown format {name!r} ({hint}known: {', '.join(names())})", name=name
        )
    return spec


def module(name: str) -> ModuleType:
    """The implementation module of format ``name``.

    Raises:
        UnknownFormatError: no such format.
    """
    return get(name).load()


def _by_extension(path: str) -> list[FormatSpec]:
    lowered = os.path.basename(path).lower()
    matches = [
        (len(ext), spec) for spec in FORMATS for ext in spec.extensions if lowered.endswith(ext)
    ]
    if not matches:
        return []
    longest = max(length for length, _ in matches)
    return [spec for length, spec in matches if length == longest]


def for_path(path: str) -> FormatSpec:
    """The format a file name's extension implies (``.subkit.json`` beats ``.json``).

    Raises:
        UnknownFormatError: no format claims that extension.
    """
    found = _by_extension(str(path))
    if not found:
        raise UnknownFormatError(
            f"cannot tell the format of {path!r} from its extension; name it with format=",
            name=str(path),
        )
    return found[0]


def detect(
    data: str | bytes, path: str | None = None, *, text: str | None = None, encoding: str | None = None
) -> FormatSpec:
    """Pick the format of ``data``: content first, the extension of ``path`` breaking ties.

    Every format's ``sniff`` looks at the head of the data (only the formats
    whose registry signature the head has are imported and asked). Exactly one match
    wins. Several matches are settled by the extension when it names one of
    them; no match falls back to the extension alone (its default format
    when several share it, as in :func:`for_path`).

    Args:
        data: the content; binary formats are sniffed only on ``bytes``.
        path: the file name, for its extension.
        text: ``data`` already decoded (text formats are sniffed on it).
        encoding: the encoding of ``bytes`` data when ``text`` is not given.

    Raises:
        FormatDetectionError: no format, or several, fit.
    """
    head_bytes = data[:SNIFF_SIZE] if isinstance(data, bytes) else None
    head_text = data[:SNIFF_SIZE] if isinstance(data, str) else None
    if text is not None:
        head_text = text[:SNIFF_SIZE]
    candidates: list[FormatSpec] = []
    sniffed_text: str | None = None
    for spec in FORMATS:
        if not spec.can_read:
            continue
        # The signature of the row is checked first: only formats that may match are imported.
        if spec.binary:
            if head_bytes is None or not spec.may_match(head_bytes):
                continue
            if spec.load().sniff(head_bytes):
                candidates.append(spec)
        else:
            if sniffed_text is None:
                if head_text is None:
                    assert head_bytes is not None
                    from subkit._io import decode

                    head_text = decode(head_bytes, encoding).text
                sniffed_text = head_text.lstrip("\ufeff")
            if spec.may_match(sniffed_text) and spec.load().sniff(sniffed_text):
                candidates.append(spec)
    by_ext = _by_extension(path) if path and path != "-" else []
    if len(candidates) == 1:
        return candidates[0]
    if len(candidates) > 1:
        preferred = [spec for spec in candidates if spec in by_ext]
        if len(preferred) == 1:
            return preferred[0]
        names_ = ", ".join(spec.name for spec in candidates)
        raise FormatDetectionError(
            f"{path or 'the input'} could be any of: {names_}; name one with format=",
            candidates=tuple(spec.name for spec in candidates),
        )
    if by_ext:
        return by_ext[0]
    raise FormatDetectionError(
        f"{path or 'the input'}: no known subtitle format recognised; name one with format=",
        candidates=(),
    )

