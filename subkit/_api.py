"""The load / save functions behind ``subkit.load``, ``loads``, ``dump``, ``dumps`` and ``render``."""

from __future__ import annotations

import codecs
import dataclasses
import functools
import itertools
import math
import os
import stat
import types
import typing
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path, PurePath
from typing import IO, Any, Literal, overload

from subkit import _encoding, _io, _magic
from subkit._gc import PAUSE_FROM, PAUSE_FROM_CUES, gc_paused
from subkit.errors import (
    ConfigError,
    FormatDetectionError,
    LossyConversionWarning,
    ParseError,
    SubkitError,
    SubkitIOError,
    UnknownFormatError,
)
from subkit.formats import FORMATS, SNIFF_SIZE, FormatSpec, WriteResult, detect, for_path, get
from subkit.model import Diagnostic, Document, LoadInfo, LossReport

__all__ = ["dump", "dumps", "load", "loads", "render"]


def _options(cls: type[Any], what: str, values: dict[str, Any]) -> Any:
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ConfigError(
            f"unknown option(s) for the {what}: {', '.join(unknown)} (known: {', '.join(sorted(known))})"
        )
    hints = _hints(cls)
    for name, value in values.items():
        annotation = hints.get(name)
        if annotation is not None and not _fits(value, annotation):
            raise ConfigError(f"bad option for the {what}: {name}={value!r:.60} is not {_describe(annotation)}")
    try:
        return cls(**values)
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise ConfigError(f"bad option for the {what}: {exc}") from None


_HINTS: dict[type[Any], dict[str, Any]] = {}


def _hints(cls: type[Any]) -> dict[str, Any]:
    """The resolved field types of an options class (cached: resolving them is slow)."""
    hints = _HINTS.get(cls)
    if hints is None:
        hints = _HINTS[cls] = typing.get_type_hints(cls)
    return hints


def _fits(value: Any, annotation: Any) -> bool:
    """Whether ``value`` is of the declared option type (unions, Literal, fixed tuples, finite numbers).

    Options are checked before the format sees them, so that a value of the
    wrong kind (bytes for a title, inf for a frame rate) is a ConfigError
    rather than whatever exception it would cause deep in a writer.
    """
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        return any(_fits(value, member) for member in typing.get_args(annotation))
    if annotation is Any:
        return True
    if annotation is type(None):
        return value is None
    if annotation is bool:
        return isinstance(value, bool)
    if annotation is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if annotation is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if annotation is str:
        return isinstance(value, str) and "\x00" not in value
    if origin is Literal:
        return any(value == choice and type(value) is type(choice) for choice in typing.get_args(annotation))
    if origin is tuple:
        args = typing.get_args(annotation)
        if len(args) == 2 and args[1] is Ellipsis:
            return isinstance(value, tuple) and all(_fits(item, args[0]) for item in value)
        return (isinstance(value, tuple) and len(value) == len(args)
                and all(_fits(item, arg) for item, arg in zip(value, args, strict=True)))
    if isinstance(annotation, type):
        return isinstance(value, annotation)
    return True  # a type this check does not know (the options class validates it itself)


def _describe(annotation: Any) -> str:
    return str(annotation).replace("typing.", "").replace("NoneType", "None").replace("fractions.", "")


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


def _binary_hit(data: bytes) -> bool:
    """Whether a binary format's sniffer claims ``data`` (then it is not decoded as text)."""
    head = data[:SNIFF_SIZE]
    return any(spec.binary and spec.can_read and spec.may_match(head) and spec.load().sniff(head) for spec in FORMATS)


def _guess_diagnostic(decoded: _io.Decoded, spec: FormatSpec, source: str | None, strict: bool) -> Diagnostic:
    """The warning for a close-call encoding guess (an error under ``strict``).

    Raises:
        ParseError: ``strict`` refuses a guess.
    """
    doubt = decoded.doubt or ""
    if strict:
        raise ParseError(f"{doubt}; pass --encoding (encoding=) to be sure", format=spec.name, source=source)
    return Diagnostic(message=doubt, action="pass --encoding to be sure", source=source)


def loads(
    data: str | bytes,
    *,
    format: str | None = None,
    encoding: str | None = None,
    strict: bool = False,
    source: str | None = None,
    language: str | None = None,
    options_for: Callable[[str], Mapping[str, Any]] | None = None,
    **options: Any,
) -> Document:
    """Read a document from a string or bytes.

    Bytes are decoded once, here, before the format is detected (see
    :mod:`subkit._io` for the order: ``encoding``, a byte-order mark, UTF-8,
    UTF-16, then the legacy code page the dialogue lines point to). When that
    last step was a close call, the document gets a diagnostic
    ``encoding guessed as cp1252 (cp1250 nearly as likely)`` and
    ``strict=True`` refuses it. ``doc.loaded`` tells which reader and encoding
    were used and whether the encoding was a guess.

    Args:
        data: the file's content; ``bytes`` are decoded (see :mod:`subkit._io`)
            unless the format is binary.
        format: a format name or alias; detected from the content when ``None``.
        encoding: the text encoding of ``bytes`` input, overriding detection.
        strict: fail at the first problem instead of repairing it.
        source: a name used in diagnostics and errors (a file name); a
            language in it (``movie.fr.srt``) helps encoding detection.
        language: the language of the text (BCP 47 or ISO 639), a hint for
            encoding detection; otherwise the file name's or, after a first
            reading, the document's own.
        options_for: given the identifier of the format found, more reader
            options for it (for callers that learn the format only here).
        **options: format-specific reader options.

    Returns:
        The document; ``doc.diagnostics`` lists what was repaired or skipped.

    Raises:
        UnknownFormatError: ``format`` is not a known format.
        FormatDetectionError: no format (or several) fit the content.
        ParseError: the content cannot be read (or, in strict mode, has a flaw
            or its encoding was a close guess).
        ConfigError: an unknown or bad option.
        SubkitIOError: ``encoding`` does not fit the bytes.

    >>> doc = loads("1\\n00:00:01,000 --> 00:00:02,500\\nHello\\n")
    >>> doc.source_format, doc.cues[0].end_ms, doc.cues[0].plain_text()
    ('srt', 2500, 'Hello')
    """
    return _loads([data], format=format, encoding=encoding, strict=strict, source=source, language=language,
                  options_for=options_for, **options)


def _loads(
    box: list[str | bytes],
    *,
    format: str | None,
    encoding: str | None,
    strict: bool,
    source: str | None,
    language: str | None,
    options_for: Callable[[str], Mapping[str, Any]] | None,
    **options: Any,
) -> Document:
    """:func:`loads` of ``box[0]``, which it takes out of ``box``.

    When the box holds the only reference (as :func:`load` arranges), the
    input bytes are freed once decoded and the text once read, so a large
    file is never held as bytes, text and document at once.

    Raises:
        UnknownFormatError, FormatDetectionError, ParseError, ConfigError, SubkitIOError: as :func:`loads`.
    """
    data = box.pop()
    spec = get(format) if format else None
    detected = spec is None
    hint = language or _encoding.language_from_path(source)
    if isinstance(data, bytes) and len(data) >= PIECES_FROM:
        doc = _load_pieces(data[:SNIFF_SIZE], functools.partial(_io.byte_pieces, data), spec, encoding, strict,
                           source, options_for, options)
        if doc is not None:
            return doc
    decoded: _io.Decoded | None = None
    if isinstance(data, bytes) and not (spec.binary if spec else _binary_hit(data)):
        _refuse_non_subtitles(data, source)
        decoded = _io.decode(data, encoding, language=hint)
    if spec is None:
        path = None if source in (None, "-", "<stdin>") else source
        spec = detect(data, path, text=None if decoded is None else decoded.text, encoding=encoding)
    if options_for is not None:
        options = {**options_for(spec.name), **options}
    if spec.binary:
        if isinstance(data, str):
            raise ConfigError(f"{spec.name} is a binary format; pass bytes")
        doc = _read(spec, data, {"strict": strict, "source": source, **options})
        return _finish(doc, spec, LoadInfo(spec.name))
    if decoded is None and isinstance(data, bytes):
        decoded = _io.decode(data, encoding, language=hint)
    if decoded is None:
        assert isinstance(data, str)
        text = data[1:] if data.startswith("\ufeff") else data
        del data
        empty = _blank(text)
        doc = _read(spec, _io.normalize_newlines(text), {"strict": strict, "source": source, **options})
        doc = _check_content(doc, empty, source) if detected else doc
        return _finish(doc, spec, LoadInfo(spec.name))
    read_options = {"strict": strict, "source": source, **options}
    if decoded.alternative is None:
        del data  # nothing will decode the bytes again: free them before reading (a large file's biggest copy)
    text = _io.normalize_newlines(decoded.text)
    decoded = dataclasses.replace(decoded, text="")
    empty = _blank(text)
    doc = _read(spec, text, read_options)
    del text
    if decoded.alternative is not None and hint is None and doc.language and isinstance(data, bytes):
        # A close call: the document's own language may settle it.
        second = _io.decode(data, encoding, language=doc.language)
        if second.encoding != decoded.encoding or second.alternative != decoded.alternative:
            decoded = second
            doc = _read(spec, _io.normalize_newlines(decoded.text), read_options)
    if decoded.alternative is not None:
        doc = dataclasses.replace(
            doc, diagnostics=(_guess_diagnostic(decoded, spec, source, strict), *doc.diagnostics)
        )
    doc = _check_content(doc, empty, source) if detected else doc
    info = LoadInfo(spec.name, decoded.encoding, decoded.bom, decoded.guessed, decoded.alternative)
    return _finish(doc, spec, info)


#: Inputs of this many bytes or more are decoded and read in pieces by readers that can (``read_pieces``).
PIECES_FROM = 16 << 20


def _piece_codec(data: bytes, encoding: str | None) -> tuple[str, int] | None:
    """The codec of ``data`` and where its text starts, when it needs no guess: named, or by its byte-order mark.

    Without either, UTF-8 is tried (its decoder finds out, piece by piece); a
    file that is not UTF-8 goes the whole-text way, where legacy code pages are
    weighed.
    """
    if encoding:
        try:
            utf8 = codecs.lookup(encoding).name == "utf-8"
        except LookupError:
            return None
        return encoding, 3 if utf8 and data.startswith(codecs.BOM_UTF8) else 0
    for mark, codec in _io.BOMS:
        if data.startswith(mark):
            return codec, len(mark)
    return "utf-8", 0


def _load_pieces(
    head: bytes,
    rest: Callable[[int], Iterable[bytes | memoryview]],
    spec: FormatSpec | None,
    encoding: str | None,
    strict: bool,
    source: str | None,
    options_for: Callable[[str], Mapping[str, Any]] | None,
    options: dict[str, Any],
) -> Document | None:
    """Read a large input a piece at a time, or ``None`` to read it whole.

    ``head`` is the input's first bytes (at least :data:`SNIFF_SIZE`) and
    ``rest(offset)`` its bytes from ``offset`` on, in chunks (from memory, or
    from the file as it is read). The decoded text never exists whole (a file
    with one character outside Latin-1 would make it up to four times its
    bytes). ``None`` when the format's reader reads no pieces, the codec needs a
    guess, the bytes do not decode, or the reader meets what only its
    whole-text path reads; the caller then reads the whole text as always, so
    the result never depends on the path.

    Raises:
        SubkitIOError: reading the file failed.
        ParseError: the reader failed.
    """
    found = _piece_codec(head, encoding)
    if found is None or (spec is not None and spec.binary) or _magic.describe(head[:64]) or _binary_hit(head):
        return None
    detected = spec is None
    codec, start = found
    pieces = _io.decode_pieces(rest(start), codec)
    try:
        # Detection looks at the first SNIFF_SIZE characters, whatever the size of the pieces.
        first: list[str] = []
        count = 0
        for piece in pieces:
            first.append(piece)
            count += len(piece)
            if count >= SNIFF_SIZE:
                break
        if spec is None:
            path = None if source in (None, "-", "<stdin>") else source
            spec = detect(head, path, text="".join(first)[:SNIFF_SIZE])
        reader = getattr(spec.load(), "read_pieces", None)
        if reader is None or spec.binary:
            return None
        if options_for is not None:
            options = {**options_for(spec.name), **options}
        opts = _options(spec.load().ReadOptions, f"{spec.name} reader", {"strict": strict, "source": source, **options})
        with gc_paused():
            doc: Document | None = reader(itertools.chain(first, pieces), options=opts)
    except (UnicodeDecodeError, FormatDetectionError):
        return None  # the whole-text path decides, and says why
    except SubkitError:
        raise
    except OSError as exc:
        raise SubkitIOError(f"{source}: cannot read: {exc.strerror or exc}", path=source or "",
                            errno=exc.errno) from None
    except Exception as exc:  # a reader bug must still surface as a subkit error
        what = spec.name if spec is not None else "the input"
        raise ParseError(f"internal error while reading {what}: {type(exc).__name__}: {exc}",
                         format=spec.name if spec is not None else "", source=source) from exc
    finally:
        pieces.close()
    if doc is None:
        return None
    doc = _check_content(doc, False, source) if detected else doc
    return _finish(doc, spec, LoadInfo(spec.name, codec, start > 0, False, None))


def _may_be_manifest(head: bytes) -> bool:
    """Whether a file starting with ``head`` may be an HLS playlist or a DASH MPD (which :func:`load` follows)."""
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"#EXTM3U", b"<"))


def _load_file_pieces(
    name: str,
    format: str | None,
    encoding: str | None,
    strict: bool,
    options_for: Callable[[str], Mapping[str, Any]] | None,
    options: dict[str, Any],
) -> Document | None:
    """:func:`_load_pieces` of a large regular file, read from the disk as it is parsed (never held whole).

    ``None`` when the file is small, not a regular file, may be a manifest, or is read whole after all.

    Raises:
        SubkitIOError: the file cannot be read.
        ParseError: the reader failed.
    """
    try:
        # Looked at before opening: opening a FIFO would wait for its writer, and closing it unread lose its data.
        info = Path(name).stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size < PIECES_FROM:
            return None
        with Path(name).open("rb") as handle:
            head = handle.read(SNIFF_SIZE)
            if format is None and _may_be_manifest(head):
                return None
            return _load_pieces(head, functools.partial(_io.file_pieces, handle), get(format) if format else None,
                                encoding, strict, name, options_for, options)
    except OSError as exc:
        raise SubkitIOError(f"{name}: cannot read: {exc.strerror or exc}", path=name, errno=exc.errno) from None


def _refuse_non_subtitles(data: bytes, source: str | None) -> None:
    """Say what a video, image or image-subtitle file given as text subtitles really is.

    Raises:
        FormatDetectionError: the first bytes name a media, image, archive or image-subtitle format.
    """
    what = _magic.describe(data[:64])
    if what is not None:
        raise FormatDetectionError(
            f"{source or 'the input'} is not a text subtitle file: its first bytes say it is {what}",
        )


def _blank(text: str) -> bool:
    """Whether ``text`` is empty or only white space (without copying it, as ``strip()`` would)."""
    return not text or text.isspace()


def _check_content(doc: Document, empty: bool, source: str | None) -> Document:
    """Warn about input that yields nothing visible: an empty file, or prose read as an untimed transcript.

    Only when the format was detected, not named (a caller that names it
    knows what the file holds), and as warnings even under ``strict``: an
    empty SRT file is how zero cues are written, and an untimed transcript is
    valid.
    """
    if empty:
        message, action = "the input is empty", "no cues"
    elif doc.source_format == "transcript" and doc.cues and all(c.start_ms == c.end_ms == 0 for c in doc.cues):
        count = len(doc.cues)
        message = (f"no time anywhere: read as {count} cue{'s' if count != 1 else ''} of 0 ms at 0:00, "
                   "which no player shows")
        action = "name the format with format= if this is a subtitle file"
    else:
        return doc
    return dataclasses.replace(doc, diagnostics=(*doc.diagnostics, Diagnostic(message=message, action=action,
                                                                               source=source)))


def _finish(doc: Document, spec: FormatSpec, info: LoadInfo) -> Document:
    changes: dict[str, Any] = {"loaded": info}
    # subkit_json carries the source format (and encoding) of the document it stores.
    if doc.source_format is None and spec.name != "subkit_json":
        changes["source_format"] = spec.name
    if info.encoding is not None and spec.name != "subkit_json":
        changes["encoding"] = info.encoding
    return dataclasses.replace(doc, **changes)


def load(
    path: str | os.PathLike[str] | IO[str] | IO[bytes],
    *,
    format: str | None = None,
    encoding: str | None = None,
    strict: bool = False,
    language: str | None = None,
    options_for: Callable[[str], Mapping[str, Any]] | None = None,
    **options: Any,
) -> Document:
    """Read a subtitle file (``"-"`` for standard input).

    The format is detected from the content, the extension breaking ties; the
    bytes are decoded once, as :func:`loads` says. ``doc.loaded`` tells which
    reader and encoding were used.
    A DASH MPD or an HLS playlist reads the subtitle track it lists (fragmented
    MP4 ``wvtt``/``stpp`` or WebVTT segments, from the manifest's folder; see
    :mod:`subkit._streams`); ``language=`` picks among several tracks.

    ``path`` may also be an open file object, binary (``open(p, "rb")``,
    ``io.BytesIO``: decoded as :func:`loads` decodes bytes) or text
    (``io.StringIO``); its ``name``, when it has one, serves as the file name.

    Raises:
        SubkitIOError: the file cannot be read.
        UnknownFormatError, FormatDetectionError, ParseError, ConfigError: as :func:`loads`.
    """
    if hasattr(path, "read"):
        return _load_stream(path, format=format, encoding=encoding, strict=strict, language=language,
                            options_for=options_for, **options)
    name = os.fspath(path)
    doc = None if name == "-" else _load_file_pieces(name, format, encoding, strict, options_for, options)
    if doc is None:
        return _load_whole(name, format, encoding, strict, language, options_for, options)
    return _misnamed(doc, format, name, strict)


def _misnamed(doc: Document, format: str | None, name: str, strict: bool) -> Document:
    """``doc`` with :func:`note_misnamed`'s word when its format was detected and the file's extension says another."""
    if format or doc.loaded is None:
        return doc
    return note_misnamed(doc, get(doc.loaded.format), name, strict=strict)


def _load_whole(
    name: str,
    format: str | None,
    encoding: str | None,
    strict: bool,
    language: str | None,
    options_for: Callable[[str], Mapping[str, Any]] | None,
    options: dict[str, Any],
) -> Document:
    """:func:`load` of a file read whole (``"-"``: standard input), a manifest followed to its track.

    Raises:
        SubkitIOError, UnknownFormatError, FormatDetectionError, ParseError, ConfigError: as :func:`load`.
    """
    data = _io.read_bytes(name)
    source = "<stdin>" if name == "-" else name
    # Only a file that starts like a playlist or an MPD imports the manifest reader.
    if format is None and name != "-" and _may_be_manifest(data[:4096]):
        from subkit import _streams

        if _streams.is_manifest(data):  # a DASH MPD or HLS playlist: read the track it points at
            streamed = _streams.load_stream(name, data, strict=strict, language=language, **options)
            if streamed.loaded is None:
                streamed = dataclasses.replace(streamed, loaded=LoadInfo(streamed.source_format or "webvtt"))
            return streamed
    box: list[str | bytes] = [data]
    del data  # the box holds the only reference: _loads frees the bytes once decoded
    doc = _loads(box, format=format, encoding=encoding, strict=strict, source=source, language=language,
                 options_for=options_for, **options)
    return _misnamed(doc, format, name, strict)


def _stream_name(stream: Any) -> str | None:
    name = getattr(stream, "name", None)
    return name if isinstance(name, str) and not name.startswith("<") else None


def _load_stream(stream: Any, **kwargs: Any) -> Document:
    """:func:`load` of an open file object.

    Raises:
        SubkitIOError: reading failed.
        ConfigError: ``read()`` gave neither text nor bytes.
    """
    name = _stream_name(stream)
    try:
        data = stream.read()
    except OSError as exc:
        raise SubkitIOError(f"{name or 'the file object'}: cannot read: {exc.strerror or exc}", path=name or "",
                            errno=exc.errno) from None
    if not isinstance(data, (str, bytes)):
        raise ConfigError(f"load() read {type(data).__name__} from the file object; expected str or bytes")
    box: list[str | bytes] = [data]
    del data
    options = {"format": None, "encoding": None, "strict": False, "language": None, "options_for": None, **kwargs}
    return _loads(box, source=name, **options)


#: Extensions whose format has a signature: a file so named whose content is read as another format is
#: worth a word (``.vtt`` without ``WEBVTT`` is usually SRT renamed, which players then refuse).
_SIGNED_EXTENSIONS = {".vtt": "webvtt", ".webvtt": "webvtt"}


def note_misnamed(doc: Document, spec: FormatSpec, path: str, *, strict: bool = False) -> Document:
    """Add a diagnostic when detection read a file as another format than its extension names.

    Only for extensions of formats with a signature (WebVTT): such a file
    without the signature is not one of them for any player.

    Raises:
        ParseError: ``strict`` and the file is misnamed.
    """
    named = _SIGNED_EXTENSIONS.get(PurePath(path).suffix.lower())
    if named is None or named == spec.name:
        return doc
    message = f"the file is named as {named} but does not start with its signature (WEBVTT)"
    action = f"read it as {spec.name}, which its content is"
    if strict:
        raise ParseError(f"{message}; pass format={spec.name!r} to read it as such", format=named, source=path,
                         line=1)
    diagnostic = Diagnostic(message=message, action=action, line=1, source=path)
    return dataclasses.replace(doc, diagnostics=(diagnostic, *doc.diagnostics))


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
    if opts.bom:
        if not isinstance(data, str):
            raise ConfigError(f"{spec.name} is a binary format: it has no byte order mark")
        if not data.startswith("\ufeff"):
            data = "\ufeff" + data
    return WriteResult(data, spec.name, report)


def _outside_level() -> int:
    """The ``stacklevel`` of the first frame outside the subkit package, counted from the caller of this."""
    import sys

    package = str(PurePath(__file__).parent) + os.sep
    frame = sys._getframe(1)
    level = 1
    while frame.f_back is not None and frame.f_code.co_filename.startswith(package):
        frame = frame.f_back
        level += 1
    return level


def _warn(result: WriteResult) -> None:
    """Emit the :class:`LossyConversionWarning` of a lossy write, pointing at the user's line that asked for it."""
    if result.losses:
        warnings.warn(
            f"writing {result.format} lost: " + "; ".join(str(loss) for loss in result.losses),
            LossyConversionWarning,
            stacklevel=_outside_level(),
        )


#: The formats whose writers give ``bytes`` (their names and aliases), for the typing of :func:`dumps`.
BinaryFormat = Literal["ebu_stl", "stl", "cheetah_cap", "mp4_wvtt", "wvtt", "fmp4_webvtt", "mp4_stpp", "stpp",
                       "fmp4_ttml"]


#: The formats whose writers give ``str`` (their names and aliases), for the typing of :func:`dumps`.
TextFormat = Literal[
    "srt", "subrip", "webvtt", "vtt", "ass", "ssa", "ttml", "imsc", "imsc1", "smpte_tt", "dfxp", "ebu_tt_d", "ebuttd",
    "ebu_tt", "itt", "sami", "sbv", "microdvd", "subviewer", "subviewer2", "subviewer1", "mpl2", "tmplayer", "tmp",
    "lrc", "spruce_stl", "dvdsp_stl", "scc", "mcc", "transcript", "text", "qt_text", "qttext", "avid_ds", "subcap",
    "avid_dvd", "transcript_csv", "csv", "tsv", "whisper_json", "whisper", "rev_json", "rev", "facebook_srt",
    "facebook", "subkit_json", "subkit-json", "json-model",
]


@overload
def dumps(doc: Document, format: BinaryFormat, *, strict: bool = False, **options: Any) -> bytes: ...


@overload
def dumps(doc: Document, format: TextFormat, *, strict: bool = False, **options: Any) -> str: ...


@overload
def dumps(doc: Document, format: str, *, strict: bool = False, **options: Any) -> str | bytes: ...


def dumps(doc: Document, format: str, *, strict: bool = False, **options: Any) -> str | bytes:
    """Serialise ``doc`` as ``format``; ``str`` for text formats, ``bytes`` for binary ones.

    The return type follows the format for type checkers: ``dumps(doc, "srt")``
    is ``str`` (:data:`TextFormat`), ``dumps(doc, "ebu_stl")`` is ``bytes``
    (:data:`BinaryFormat`); a format name only known at run time gives ``str | bytes``.

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
    path: str | os.PathLike[str] | IO[str] | IO[bytes],
    *,
    format: str | None = None,
    encoding: str = "utf-8",
    bom: bool = False,
    strict: bool = False,
    force: bool = False,
    durable: bool = True,
    warn: bool = True,
    **options: Any,
) -> WriteResult:
    """Write ``doc`` to ``path`` atomically (``"-"`` for standard output).

    The format comes from ``format`` or the extension of ``path``. The file is
    written to a temporary file and renamed over the target, so a failure
    never leaves a truncated or clobbered file; a symbolic link's target is
    replaced, devices and FIFOs (``/dev/stdout``) are written through, and a
    read-only file is refused unless ``force`` (see :func:`subkit._io.atomic_write`).
    ``durable=False`` skips syncing the file to disk before the rename, for a
    caller that syncs many files at once (the rename stays atomic).
    ``warn=False`` leaves the losses in the returned result only, without a
    :class:`LossyConversionWarning`: for a caller that reports them itself
    (changing the warning filters instead is not safe with threads).
    ``bom`` starts the file with a byte order mark in ``encoding`` (a Unicode
    one); it is the writers' ``bom`` option.

    ``path`` may also be an open file object: a binary one (``open(p, "wb")``,
    ``io.BytesIO``) gets the bytes in ``encoding``, a text one (``io.StringIO``,
    ``sys.stdout``) the text, which binary formats cannot give. The format is
    ``format``, else the extension of the object's ``name``. Nothing is
    written atomically there: the object is the caller's.

    Formats whose writer gives its text in pieces (SRT, WebVTT) are written
    to a path piece by piece, each encoded as it comes, so a large file's
    text and bytes never exist whole (not under ``strict`` or ``bom``, which
    write the whole text at once).

    Returns:
        The format written and the loss report; ``data`` holds the text or
        bytes written, except for a write in pieces, where it is empty
        (:func:`render` gives the text).

    Raises:
        UnknownFormatError: no format for ``format`` or the extension.
        UnsupportedFeatureError: ``strict`` and something would be dropped.
        SubkitIOError: the file cannot be written, or the text not encoded.
        ConfigError: ``bom`` with a binary format or a non-Unicode encoding, or a binary format for a
            text file object.
    """
    if hasattr(path, "write"):
        return _dump_stream(doc, path, format=format, encoding=encoding, bom=bom, strict=strict, warn=warn,
                            **options)
    name = os.fspath(path)
    if format:
        spec = get(format)
    elif name == "-":
        raise UnknownFormatError("writing to standard output needs a format", name="-")
    else:
        spec = for_path(name)
    if not (strict or bom or spec.binary):
        streamed = _dump_pieces(doc, spec, name, encoding, force, options, durable=durable, warn=warn)
        if streamed is not None:
            return streamed
    result = render(doc, spec.name, strict=strict, bom=bom, **options)
    if warn:
        _warn(result)
    data = result.data
    if isinstance(data, str) and name != "-" and not data.startswith("\ufeff") and len(data) > _io.CHUNK_CHARS:
        # A large text is encoded chunk by chunk as it is written: its bytes never all exist at once.
        try:
            "".encode(encoding)
        except LookupError:
            raise ConfigError(f"unknown encoding {encoding!r}") from None
        _io.write_bytes(name, _encoded(data, encoding, name), force=force, durable=durable)
        return result
    if isinstance(data, str):
        codec = encoding.lower().replace("_", "-")
        if data.startswith("\ufeff"):
            if codec in ("utf-16", "utf16", "utf-32", "utf32"):
                data = data[1:]  # these codecs write their own byte order mark
            elif not codec.startswith("utf"):
                raise ConfigError(f"a byte order mark needs a Unicode encoding, not {encoding}")
        try:
            payload = data.encode(encoding)
        except LookupError:
            raise ConfigError(f"unknown encoding {encoding!r}") from None
        except UnicodeEncodeError as exc:
            raise SubkitIOError(
                f"{name}: {exc.object[exc.start:exc.end]!r} cannot be encoded in {encoding}", path=name
            ) from None
    else:
        payload = data
    _io.write_bytes(name, payload, force=force, durable=durable)
    return result


def _dump_pieces(doc: Document, spec: FormatSpec, name: str, encoding: str, force: bool,
                 options: dict[str, Any], *, durable: bool = True, warn: bool = True) -> WriteResult | None:
    """:func:`dump` through a writer that gives its text in pieces, encoded and written as they come.

    Neither the whole text nor its bytes exist at once; the loss report is
    complete once the file is written. ``None`` when the format's writer has
    no ``write_pieces``. The result's ``data`` is empty: the text went to the file.

    Raises:
        ConfigError: an unknown encoding or a bad option.
        SubkitIOError: the file cannot be written, or the text not encoded (the target is then left as it was).
    """
    mod = spec.load()
    pieces = getattr(mod, "write_pieces", None)
    if pieces is None:
        return None
    opts = _options(mod.WriteOptions, f"{spec.name} writer", {"strict": False, **options})
    try:
        "".encode(encoding)
    except LookupError:
        raise ConfigError(f"unknown encoding {encoding!r}") from None
    report = LossReport(spec.name, strict=False)
    chunks = _encoded_pieces(pieces(doc, options=opts, report=report), encoding, name)
    if len(doc.cues) >= PAUSE_FROM_CUES:
        with gc_paused():
            _io.write_bytes(name, chunks, force=force, durable=durable)
    else:
        _io.write_bytes(name, chunks, force=force, durable=durable)
    result = WriteResult("", spec.name, report)
    if warn:
        _warn(result)
    return result


def _encoded_pieces(pieces: Iterator[str], encoding: str, name: str) -> Iterator[bytes]:
    """The chunks of :func:`subkit._io.encode_pieces`, with an encoding error as a SubkitIOError."""
    try:
        yield from _io.encode_pieces(pieces, encoding)
    except UnicodeEncodeError as exc:
        raise SubkitIOError(
            f"{name}: {exc.object[exc.start:exc.end]!r} cannot be encoded in {encoding}", path=name
        ) from None


def _is_binary_stream(stream: Any) -> bool:
    import io

    if isinstance(stream, io.TextIOBase):
        return False
    if isinstance(stream, (io.RawIOBase, io.BufferedIOBase)):
        return True
    mode = getattr(stream, "mode", None)
    return isinstance(mode, str) and "b" in mode


def _dump_stream(doc: Document, stream: Any, *, format: str | None, encoding: str, bom: bool, strict: bool,
                 warn: bool = True, **options: Any) -> WriteResult:
    """:func:`dump` to an open file object.

    Raises:
        UnknownFormatError: no ``format`` and no extension to tell it.
        ConfigError: a binary format for a text file object; a bad encoding.
        SubkitIOError: writing failed, or the text cannot be encoded.
    """
    name = _stream_name(stream) or ""
    if format:
        spec = get(format)
    elif name:
        spec = for_path(name)
    else:
        raise UnknownFormatError("writing to a file object needs format= (it has no name to tell it by)", name="")
    result = render(doc, spec.name, strict=strict, bom=bom, **options)
    if warn:
        _warn(result)
    data = result.data
    binary = _is_binary_stream(stream)
    if isinstance(data, bytes) and not binary:
        raise ConfigError(f"{spec.name} is a binary format: pass a binary file object (open(..., 'wb'), BytesIO)")
    payload: str | bytes = data
    if binary and isinstance(data, str):
        if data.startswith("\ufeff") and encoding.lower().replace("_", "-") in ("utf-16", "utf16", "utf-32", "utf32"):
            data = data[1:]  # these codecs write their own byte order mark
        try:
            payload = data.encode(encoding)
        except LookupError:
            raise ConfigError(f"unknown encoding {encoding!r}") from None
        except UnicodeEncodeError as exc:
            raise SubkitIOError(f"{name or 'the file object'}: {exc.object[exc.start:exc.end]!r} cannot be encoded "
                                f"in {encoding}", path=name) from None
    try:
        stream.write(payload)
    except OSError as exc:
        raise SubkitIOError(f"{name or 'the file object'}: cannot write: {exc.strerror or exc}", path=name,
                            errno=exc.errno) from None
    return result


def _encoded(text: str, encoding: str, name: str) -> Iterator[bytes]:
    """The chunks of :func:`subkit._io.encode_chunks`, with an encoding error as a SubkitIOError."""
    try:
        yield from _io.encode_chunks(text, encoding)
    except UnicodeEncodeError as exc:
        raise SubkitIOError(
            f"{name}: {exc.object[exc.start:exc.end]!r} cannot be encoded in {encoding}", path=name
        ) from None
