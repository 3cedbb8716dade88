"""Format registry: look formats up by name or path, and detect them from content.

>>> get("vtt").name
'webvtt'
>>> for_path("movie.en.srt").name
'srt'
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

from subkit.errors import FormatDetectionError, UnknownFormatError
from subkit.formats._base import BaseReadOptions, BaseWriteOptions, DiagnosticSink, WriteResult
from subkit.formats._options import convert_value, describe_type, format_options, option_fields, takes_fps
from subkit.formats._registry import FORMATS, FormatSpec

if TYPE_CHECKING:
    from subkit.formats._lower import LOSS_KEYS
    from subkit.formats._mp4_track import Encoded, Encoder
    from subkit.model import Document, LossReport

__all__ = [
    "FORMATS",
    "LOSS_KEYS",
    "SNIFF_SIZE",
    "BaseReadOptions",
    "BaseWriteOptions",
    "DiagnosticSink",
    "FormatSpec",
    "WriteResult",
    "cea608_encodable",
    "convert_value",
    "describe_type",
    "detect",
    "document_features",
    "encode_track",
    "for_path",
    "format_options",
    "get",
    "module",
    "names",
    "option_fields",
    "parse_xml",
    "takes_fps",
    "track_encoder",
]

_BY_NAME: dict[str, FormatSpec] = {}
for _spec in FORMATS:
    _BY_NAME[_spec.name] = _spec
    for _alias in _spec.aliases:
        _BY_NAME[_alias.replace("-", "_")] = _spec


def __getattr__(name: str) -> object:
    # ``LOSS_KEYS`` comes with the lowering stage, which ``import subkit`` does not need.
    if name == "LOSS_KEYS":
        from subkit.formats._lower import LOSS_KEYS

        return LOSS_KEYS
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
                # Sniffers see "\n" line ends, as readers do (old Mac files end lines with a lone CR).
                sniffed_text = head_text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
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


def cea608_encodable(char: str) -> bool:
    """Whether line-21 captions (CEA-608: SCC, MCC) have a code for ``char``.

    >>> cea608_encodable("é"), cea608_encodable("漢")
    (True, False)
    """
    from subkit.formats._cea608_chars import encode_char

    return encode_char(char) is not None


def document_features(doc: Document, raw_format: str | None = None) -> dict[str, tuple[int, int | None]]:
    """What ``doc`` uses, feature by feature: ``{key: (count, first cue index)}`` (``subkit info``).

    Args:
        doc: the document.
        raw_format: the format the document was read from (its raw passthrough is counted for it).
    """
    from subkit.formats import _features

    return _features.document_features(doc, raw_format=raw_format)


def track_encoder(codec: str, doc: Document, report: LossReport) -> tuple[Encoder, str]:
    """An ISO/IEC 14496-30 text-track encoder holding ``doc``, and the track's ``CODECS`` value.

    Args:
        codec: ``"wvtt"`` (WebVTT samples) or ``"stpp"`` (IMSC1 text profile TTML samples).
        doc: the whole document (its styles, regions and header go into the samples).
        report: collects what the samples cannot express.

    Raises:
        UnknownFormatError: another codec.
    """
    if codec == "wvtt":
        from subkit.formats import mp4_wvtt

        return mp4_wvtt.encoder(doc, mp4_wvtt.WriteOptions(), report), mp4_wvtt.CODECS
    if codec == "stpp":
        from subkit.formats import mp4_stpp

        return mp4_stpp.encoder(doc, mp4_stpp.WriteOptions(), report), mp4_stpp.CODECS
    raise UnknownFormatError(f"no text-track codec {codec!r} (codecs: wvtt, stpp)", name=codec)


def encode_track(encoder: Encoder, spans: Sequence[tuple[int, int]], *, timescale: int, language: str | None,
                 segments: bool = False) -> Encoded:
    """The init segment and one fragment per ``(start_ms, end_ms)`` span of ``encoder``'s track.

    Args:
        encoder: from :func:`track_encoder`.
        spans: the fragments' time spans, in order, without gaps.
        timescale: ticks per second of the media timeline.
        language: the track's BCP 47 tag.
        segments: build CMAF media segments (a ``styp`` box before each fragment).

    Raises:
        ValueError: a span or time the container cannot hold.
    """
    from subkit.formats import _mp4_track

    return _mp4_track.encode(encoder, spans, timescale=timescale, language=language, segments=segments)


def parse_xml(data: str | bytes, *, format: str, source: str | None = None) -> Any:
    """Parse XML with the hardened parser every XML format uses (no entities, no network, bounded depth).

    Args:
        data: the document (``str``, or UTF-8 ``bytes``).
        format: the format identifier for error messages.
        source: the file name for error messages.

    Returns:
        The root element (lxml).

    Raises:
        ParseError: entity declarations, nesting too deep, or markup that is not well-formed.
    """
    from subkit.formats import _xml

    return _xml.parse_xml(data, format=format, source=source)
