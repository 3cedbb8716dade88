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

import contextlib
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass

from subkit.errors import SubkitIOError

__all__ = ["Decoded", "atomic_write", "decode", "normalize_newlines", "read_bytes", "write_bytes", "write_files"]

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


def atomic_write(path: str | os.PathLike[str], data: bytes) -> None:
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
            handle.write(data)
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


def write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write to ``path`` atomically, or to standard output for ``"-"``.

    Raises:
        SubkitIOError: the file cannot be written.
    """
    if str(path) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    atomic_write(path, data)


def write_files(folder: str | os.PathLike[str], files: Iterable[tuple[str, bytes]], *,
                durable: bool = True) -> list[str]:
    """Write several files into ``folder`` (created if missing); return their paths.

    Every file goes to a temporary name first; with ``durable`` the data is
    flushed to disk once for all of them (``os.sync`` where it exists, else
    one ``fsync`` per file), then each is renamed over its target. A failure before the
    renames leaves the folder as it was. Names are relative to ``folder``
    and must stay inside it.

    Raises:
        SubkitIOError: the folder or a file cannot be written, or a name leaves the folder.
    """
    base = os.fspath(folder)
    try:
        os.makedirs(base, exist_ok=True)
    except OSError as exc:
        raise SubkitIOError(f"{base}: cannot create the folder: {exc.strerror or exc}", path=base) from None
    staged: list[tuple[str, str]] = []
    folders = {base}
    tag = f".{os.getpid()}.tmp"
    try:
        for name, data in files:
            clean = os.path.normpath(name)
            if os.path.isabs(name) or clean == os.curdir or clean.split(os.sep)[0] == os.pardir:
                raise SubkitIOError(f"{name}: file names must stay inside {base}", path=name)
            target = os.path.join(base, clean)
            parent = os.path.dirname(target)
            if parent not in folders:
                os.makedirs(parent, exist_ok=True)
                folders.add(parent)
            tmp = os.path.join(parent, f".{os.path.basename(target)}{tag}")
            # O_EXCL: never write through a file (or link) someone else put there.
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
            staged.append((tmp, target))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                if durable and not hasattr(os, "sync"):
                    handle.flush()
                    os.fsync(handle.fileno())
        if durable and hasattr(os, "sync"):
            os.sync()
        for tmp, target in staged:
            os.replace(tmp, target)
    except BaseException as exc:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        if isinstance(exc, OSError):
            raise SubkitIOError(f"{base}: cannot write: {exc.strerror or exc}", path=base) from None
        raise
    return [target for _, target in staged]
