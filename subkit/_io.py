"""Bytes <-> text and files: BOMs, encoding detection, newlines, atomic writes, ``-``.

Readers only ever see ``str`` (or ``bytes`` for binary formats); everything
about files and encodings happens here.

Detection order for text (:func:`decode`):

1. an explicit ``encoding=`` wins;
2. a byte-order mark: UTF-32 LE/BE, UTF-8, UTF-16 LE/BE (UTF-32 LE is tested
   before UTF-16 LE because its BOM starts with the UTF-16 one);
3. strict UTF-8;
4. UTF-16 without a BOM, when NUL bytes sit in every other position;
5. charset-normalizer's best guess (legacy code pages: cp1250, cp1251,
   Big5, Shift-JIS ...);
6. cp1252 with replacement, which never fails, as the last resort.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from subkit.errors import SubkitIOError

__all__ = ["Decoded", "atomic_write", "decode", "normalize_newlines", "read_bytes", "write_bytes"]

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text decoded from bytes.

    Attributes:
        text: the text, without BOM, newlines as read.
        encoding: the codec name used.
        bom: whether a byte-order mark was present.
        guessed: whether the encoding came from statistical detection.
    """

    text: str
    encoding: str
    bom: bool = False
    guessed: bool = False


def _looks_utf16(data: bytes) -> str | None:
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def decode(data: bytes, encoding: str | None = None) -> Decoded:
    """Decode subtitle bytes (see the module docstring for the order).

    Raises:
        SubkitIOError: an explicit ``encoding`` is unknown or does not fit the data.
    """
    if encoding:
        try:
            text = data.decode(encoding)
        except LookupError:
            raise SubkitIOError(f"unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as exc:
            raise SubkitIOError(
                f"the data is not valid {encoding} (byte {exc.start}: {data[exc.start:exc.start + 4]!r})"
            ) from None
        bom = text.startswith("\ufeff")
        return Decoded(text[1:] if bom else text, encoding, bom=bom)
    for mark, codec in _BOMS:
        if data.startswith(mark):
            try:
                return Decoded(data[len(mark):].decode(codec), codec, bom=True)
            except UnicodeDecodeError:
                return Decoded(data[len(mark):].decode(codec, errors="replace"), codec, bom=True, guessed=True)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    utf16 = _looks_utf16(data)
    if utf16:
        with contextlib.suppress(UnicodeDecodeError):
            return Decoded(data.decode(utf16), utf16, guessed=True)
    guess = _charset_guess(data)
    if guess:
        with contextlib.suppress(UnicodeDecodeError, LookupError):
            return Decoded(data.decode(guess), guess, guessed=True)
    return Decoded(data.decode("cp1252", errors="replace"), "cp1252", guessed=True)


def _charset_guess(data: bytes) -> str | None:
    # Imported here: charset-normalizer costs ~40 ms to import and most files are UTF-8.
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    return None if best is None else str(best.encoding)


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR become LF."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of ``path``; ``"-"`` reads standard input.

    Raises:
        SubkitIOError: the file cannot be read.
    """
    if str(path) == "-":
        return sys.stdin.buffer.read()
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise SubkitIOError(f"{path}: cannot read: {exc.strerror or exc}", path=str(path)) from None


#: Characters encoded at a time by :func:`encode_chunks`.
CHUNK_CHARS = 1 << 20


def encode_chunks(text: str, encoding: str, *, size: int = CHUNK_CHARS) -> Iterator[bytes]:
    """``text`` encoded ``size`` characters at a time, so a large output never exists twice in memory.

    The chunks are encoded as they are asked for: an encoding error comes in
    the middle of the writing (:func:`atomic_write` then leaves the target as
    it was).

    Raises:
        LookupError: unknown encoding.
        UnicodeEncodeError: a character the encoding has no bytes for.
    """
    encoder = codecs.getincrementalencoder(encoding)()
    for start in range(0, len(text), size):
        yield encoder.encode(text[start : start + size])
    tail = encoder.encode("", final=True)
    if tail:
        yield tail


def _write_all(handle: BinaryIO, data: bytes | Iterable[bytes]) -> None:
    if isinstance(data, (bytes, bytearray, memoryview)):
        handle.write(data)
    else:
        for chunk in data:
            handle.write(chunk)


def atomic_write(path: str | os.PathLike[str], data: bytes | Iterable[bytes]) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    The target is never left truncated: on any failure the temporary file is
    removed and the old file, if any, is untouched. Permissions of an existing
    file are kept.

    Raises:
        SubkitIOError: the file cannot be written.
    """
    # tempfile is imported here: it costs several milliseconds that `import subkit` should not pay.
    import tempfile

    target = os.fspath(path)
    folder = os.path.dirname(target) or "."
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise SubkitIOError(f"{path}: cannot write: {exc.strerror or exc}", path=str(path)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            _write_all(handle, data)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            if os.path.exists(target):
                os.chmod(tmp, os.stat(target).st_mode & 0o7777)
            else:
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise SubkitIOError(f"{path}: cannot write: {exc.strerror or exc}", path=str(path)) from None
        raise


def write_bytes(path: str | os.PathLike[str], data: bytes | Iterable[bytes]) -> None:
    """Write to ``path`` atomically, or to standard output for ``"-"``.

    Raises:
        SubkitIOError: the file cannot be written.
    """
    if str(path) == "-":
        _write_all(sys.stdout.buffer, data)
        sys.stdout.buffer.flush()
        return
    atomic_write(path, data)
