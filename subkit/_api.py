"""The load / save functions behind ``subkit.load``, ``loads``, ``dump``, ``dumps`` and ``render``."""

from __future__ import annotations

import dataclasses
import os
import warnings
from typing import Any

from subkit import _io
from subkit._gc import PAUSE_FROM, PAUSE_FROM_CUES, gc_paused
from subkit.errors import (
    ConfigError,
    LossyConversionWarning,
    ParseError,
    SubkitError,
    SubkitIOError,
    UnknownFormatError,
)
from subkit.formats import FormatSpec, WriteResult, detect, for_path, get
from subkit.model import Document, LossReport

__all__ = ["dump", "dumps", "load", "loads", "render"]


def _options(cls: type[Any], what: str, values: dict[str, Any]) -> Any:
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ConfigError(
            f"unknown option(s) for the {what}: {', '.join(unknown)} (known: {', '.join(sorted(known))})"
        )
    try:
        return cls(**values)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"bad option for the {what}: {exc}") from None


def _read(spec: FormatSpec, data: str | bytes, options: dict[str, Any]) -> Document:
    mod = spec.load()
    opts = _options(mod.ReadOptions, f"{spec.name} reader", options)
    try:
        if len(data) >= PAUSE_FROM:
            with gc_paused():
                doc: Document = mod.read(data, options=opts)
        else:
            doc = mod.read(data, options=opts)
    except SubkitError:
        raise
    except RecursionError:
        raise ParseError("input nested too deeply", format=spec.name, source=options.get("source")) from None
    except Exception as exc:  # a reader bug must still surface as a subkit error
        raise ParseError(
            f"internal error while reading {spec.name}: {type(exc).__name__}: {exc}",
            format=spec.name,
            source=options.get("source"),
        ) from exc
    return doc


def loads(
    data: str | bytes,
    *,
    format: str | None = None,
    encoding: str | None = None,
    strict: bool = False,
    source: str | None = None,
    **options: Any,
) -> Document:
    """Read a document from a string or bytes.

    Args:
        data: the file's content; ``bytes`` are decoded (see :mod:`subkit._io`)
            unless the format is binary.
        format: a format name or alias; detected from the content when ``None``.
        encoding: the text encoding of ``bytes`` input, overriding detection.
        strict: fail at the first problem instead of repairing it.
        source: a name used in diagnostics and errors (a file name).
        **options: format-specific reader options.

    Returns:
        The document; ``doc.diagnostics`` lists what was repaired or skipped.

    Raises:
        UnknownFormatError: ``format`` is not a known format.
        FormatDetectionError: no format (or several) fit the content.
        ParseError: the content cannot be read (or, in strict mode, has a flaw).
        ConfigError: an unknown or bad option.
        SubkitIOError: ``encoding`` does not fit the bytes.

    >>> doc = loads("1\\n00:00:01,000 --> 00:00:02,500\\nHello\\n")
    >>> doc.source_format, doc.cues[0].end_ms, doc.cues[0].plain_text()
    ('srt', 2500, 'Hello')
    """
    spec = get(format) if format else None
    used_encoding: str | None = None
    if spec is None:
        spec = detect(data, source)
    if spec.binary:
        if isinstance(data, str):
            raise ConfigError(f"{spec.name} is a binary format; pass bytes")
        payload: str | bytes = data
    else:
        if isinstance(data, bytes):
            decoded = _io.decode(data, encoding)
            text, used_encoding = decoded.text, decoded.encoding
        else:
            text = data[1:] if data.startswith("\ufeff") else data
        payload = _io.normalize_newlines(text)
    doc = _read(spec, payload, {"strict": strict, "source": source, **options})
    changes: dict[str, Any] = {}
    # subkit_json carries the source format (and encoding) of the document it stores.
    if doc.source_format is None and spec.name != "subkit_json":
        changes["source_format"] = spec.name
    if used_encoding is not None and spec.name != "subkit_json":
        changes["encoding"] = used_encoding
    return dataclasses.replace(doc, **changes) if changes else doc


def load(
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    encoding: str | None = None,
    strict: bool = False,
    **options: Any,
) -> Document:
    """Read a subtitle file (``"-"`` for standard input).

    The format is detected from the content, the extension breaking ties.

    Raises:
        SubkitIOError: the file cannot be read.
        UnknownFormatError, FormatDetectionError, ParseError, ConfigError: as :func:`loads`.
    """
    name = os.fspath(path)
    data = _io.read_bytes(name)
    source = "<stdin>" if name == "-" else name
    spec = get(format) if format else detect(data, None if name == "-" else name)
    return loads(data, format=spec.name, encoding=encoding, strict=strict, source=source, **options)


def render(
    doc: Document,
    format: str,
    *,
    strict: bool = False,
    **options: Any,
) -> WriteResult:
    """Serialise ``doc`` and report what the target format could not express.

    Raises:
        UnknownFormatError: ``format`` is not a known format.
        UnsupportedFeatureError: ``strict`` and something would be dropped.
        ConfigError: an unknown or bad option.
    """
    spec = get(format)
    if not spec.can_write:
        raise UnknownFormatError(f"subkit reads {spec.name} but cannot write it", name=spec.name)
    mod = spec.load()
    opts = _options(mod.WriteOptions, f"{spec.name} writer", {"strict": strict, **options})
    report = LossReport(spec.name, strict=strict)
    if len(doc.cues) >= PAUSE_FROM_CUES:
        with gc_paused():
            data = mod.write(doc, options=opts, report=report)
    else:
        data = mod.write(doc, options=opts, report=report)
    return WriteResult(data, spec.name, report)


def _warn(result: WriteResult) -> None:
    if result.losses:
        warnings.warn(
            f"writing {result.format} lost: " + "; ".join(str(loss) for loss in result.losses),
            LossyConversionWarning,
            stacklevel=3,
        )


def dumps(doc: Document, format: str, *, strict: bool = False, **options: Any) -> str | bytes:
    """Serialise ``doc`` as ``format``; ``str`` for text formats, ``bytes`` for binary ones.

    A lossy write emits a :class:`~subkit.errors.LossyConversionWarning`; use
    :func:`render` to get the loss report itself.

    Raises:
        UnknownFormatError: ``format`` is not a known format.
        UnsupportedFeatureError: ``strict`` and something would be dropped.
        ConfigError: an unknown or bad option.

    >>> from subkit.model import Cue, Document, content_from_text
    >>> print(dumps(Document(cues=(Cue(start_ms=0, end_ms=1500, content=content_from_text("Hi")),)), "srt"))
    1
    00:00:00,000 --> 00:00:01,500
    Hi
    <BLANKLINE>
    <BLANKLINE>
    """
    result = render(doc, format, strict=strict, **options)
    _warn(result)
    return result.data


def dump(
    doc: Document,
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    encoding: str = "utf-8",
    bom: bool = False,
    strict: bool = False,
    **options: Any,
) -> WriteResult:
    """Write ``doc`` to ``path`` atomically (``"-"`` for standard output).

    The format comes from ``format`` or the extension of ``path``. The file is
    written to a temporary file and renamed over the target, so a failure
    never leaves a truncated or clobbered file.

    Raises:
        UnknownFormatError: no format for ``format`` or the extension.
        UnsupportedFeatureError: ``strict`` and something would be dropped.
        SubkitIOError: the file cannot be written, or the text not encoded.
    """
    name = os.fspath(path)
    if format:
        spec = get(format)
    elif name == "-":
        raise UnknownFormatError("writing to standard output needs a format", name="-")
    else:
        spec = for_path(name)
    result = render(doc, spec.name, strict=strict, **options)
    _warn(result)
    data = result.data
    if isinstance(data, str):
        try:
            payload = data.encode(encoding)
        except LookupError:
            raise ConfigError(f"unknown encoding {encoding!r}") from None
        except UnicodeEncodeError as exc:
            raise SubkitIOError(
                f"{name}: {exc.object[exc.start:exc.end]!r} cannot be encoded in {encoding}", path=name
            ) from None
        if bom and encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
            payload = b"\xef\xbb\xbf" + payload
    else:
        payload = data
    _io.write_bytes(name, payload)
    return result
