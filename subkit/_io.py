"""Bytes <-> text and files: BOMs, encoding detection, newlines, atomic writes, ``-``.

Readers only ever see ``str`` (or ``bytes`` for binary formats); everything
about files and encodings happens here.

Detection order for text (:func:`decode`):

1. an explicit ``encoding=`` wins;
2. a byte-order mark: UTF-32 LE/BE, UTF-8, UTF-16 LE/BE (UTF-32 LE is tested
   before UTF-16 LE because its BOM starts with the UTF-16 one);
3. strict UTF-8;
4. UTF-16 without a BOM, when NUL bytes sit in every other position;
5. the legacy code page :mod:`subkit._encoding` picks from the dialogue
   lines, helped by a language hint (cp1250, cp1251, Big5, Shift-JIS ...).
   When a close runner-up decodes to different text, :attr:`Decoded.alternative`
   names it and the caller reports the choice as a guess.

This is the only place where bytes become text: :func:`subkit.loads` decodes
a file once and hands the text to format detection and to the reader.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import os
import re
import stat
import sys
import time
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from subkit.errors import SubkitIOError

__all__ = [
    "BOMS",
    "CHUNK_CHARS",
    "PIECE_BYTES",
    "TEMP_PREFIX",
    "Decoded",
    "atomic_write",
    "byte_pieces",
    "decode",
    "decode_pieces",
    "encode_chunks",
    "encode_pieces",
    "file_pieces",
    "normalize_newlines",
    "read_bytes",
    "sweep_stale",
    "write_bytes",
    "write_files",
]

#: Byte-order marks and their codecs, longest first.
BOMS: tuple[tuple[bytes, str], ...] = (
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
        alternative: a code page nearly as likely that gives different text,
            when the choice among legacy code pages was a close call.
    """

    text: str
    encoding: str
    bom: bool = False
    guessed: bool = False
    alternative: str | None = None

    @property
    def doubt(self) -> str | None:
        """``encoding guessed as X (Y nearly as likely)`` for a close call, else ``None``."""
        if self.alternative is None:
            return None
        return f"encoding guessed as {self.encoding} ({self.alternative} nearly as likely)"


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


def decode(data: bytes, encoding: str | None = None, *, language: str | None = None) -> Decoded:
    """Decode subtitle bytes (see the module docstring for the order).

    Args:
        data: the file's bytes.
        encoding: a codec name that overrides detection.
        language: a language hint (BCP 47 or ISO 639) for legacy code pages.

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
    for mark, codec in BOMS:
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
    from subkit import _encoding

    guess = _encoding.detect(data, language)
    try:
        return Decoded(data.decode(guess.encoding), guess.encoding, guessed=True, alternative=guess.alternative)
    except UnicodeDecodeError:  # only when no candidate decoded at all
        return Decoded(data.decode("cp1252", errors="replace"), "cp1252", guessed=True,
                       alternative=guess.alternative)


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
        raise SubkitIOError(f"{path}: cannot read: {exc.strerror or exc}", path=str(path), errno=exc.errno) from None


#: Temporary files of :func:`atomic_write` start with this, beside their target:
#: ``.subkit-tmp.<pid>.<random>.<target name>``.
TEMP_PREFIX = ".subkit-tmp."

#: A temporary file whose writer still runs is left alone unless it is older than this (seconds).
STALE_AFTER = 24 * 3600

_SWEPT: set[str] = set()


def _stale(name: str, folder: str) -> bool:
    """Whether temporary file ``name`` in ``folder`` was left behind by a writer that is gone."""
    parts = name[len(TEMP_PREFIX):].split(".", 2)
    if len(parts) < 3 or not parts[0].isdigit():
        return False
    pid = int(parts[0])
    if pid == os.getpid():
        return False
    try:
        age = time.time() - os.lstat(os.path.join(folder, name)).st_mtime
    except OSError:
        return False
    if age > STALE_AFTER:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # alive, but someone else's
        return False
    return False


def sweep_stale(folder: str) -> list[str]:
    """Remove the temporary files earlier runs of subkit left in ``folder`` when killed.

    Only files named like :data:`TEMP_PREFIX` whose process is gone (or that
    are older than :data:`STALE_AFTER`) are removed; each folder is swept once
    per process.

    Returns:
        The names removed.
    """
    key = os.path.abspath(folder)
    if key in _SWEPT:
        return []
    _SWEPT.add(key)
    removed: list[str] = []
    try:
        names = [entry.name for entry in os.scandir(folder) if entry.name.startswith(TEMP_PREFIX)]
    except OSError:
        return removed
    for name in names:
        if _stale(name, folder):
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(folder, name))
                removed.append(name)
    return removed


def _error(path: str, exc: OSError, what: str = "cannot write") -> SubkitIOError:
    return SubkitIOError(f"{path}: {what}: {exc.strerror or exc}", path=path, errno=exc.errno)


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


def encode_pieces(pieces: Iterable[str], encoding: str, *, size: int = CHUNK_CHARS) -> Iterator[bytes]:
    """Text given in pieces (a writer's), encoded about ``size`` characters at a time as they come.

    Neither the whole text nor its bytes ever exist at once: each chunk is
    encoded from the pieces gathered since the one before, and dropped once
    written.

    Raises:
        LookupError: unknown encoding.
        UnicodeEncodeError: a character the encoding has no bytes for.
    """
    encoder = codecs.getincrementalencoder(encoding)()
    gathered: list[str] = []
    count = 0
    for piece in pieces:
        gathered.append(piece)
        count += len(piece)
        if count >= size:
            yield encoder.encode("".join(gathered))
            gathered.clear()
            count = 0
    tail = encoder.encode("".join(gathered), final=True)
    if tail:
        yield tail


#: Bytes decoded at a time by :func:`decode_pieces`.
PIECE_BYTES = 1 << 18


def byte_pieces(data: bytes, start: int = 0, size: int = PIECE_BYTES) -> Iterator[memoryview]:
    """``data[start:]`` in slices of ``size`` bytes, without copying them."""
    view = memoryview(data)
    for offset in range(start, len(data), size):
        yield view[offset : offset + size]


def file_pieces(handle: BinaryIO, start: int = 0, size: int = PIECE_BYTES) -> Iterator[bytes]:
    """The bytes of an open file from ``start`` on, ``size`` at a time.

    Raises:
        OSError: reading failed.
    """
    handle.seek(start)
    while chunk := handle.read(size):
        yield chunk


def decode_pieces(chunks: Iterable[bytes | memoryview], codec: str) -> Generator[str, None, None]:
    """Bytes given in chunks, decoded as they come, in pieces that end at a line end, newlines normalized.

    The pieces join to ``normalize_newlines(b"".join(chunks).decode(codec))``,
    but the whole text never exists at once: a file holding one character
    outside Latin-1 would make that text two or four times its bytes. A piece
    ends after a ``\n`` (or a ``\r``, when no ``\n`` can follow it), so a line
    never straddles two pieces; only the last piece may end without one.

    Raises:
        LookupError: unknown codec.
        UnicodeDecodeError: bytes the codec cannot decode (as the pieces are asked for).
    """
    decoder = codecs.getincrementaldecoder(codec)()
    carry = ""
    for chunk in chunks:
        text = carry + decoder.decode(chunk)
        # A last \r may be the first half of a \r\n: it waits for the next piece.
        cut = max(text.rfind("\n"), text.rfind("\r", 0, len(text) - 1)) + 1
        if cut == 0:
            carry = text
            continue
        carry = text[cut:]
        yield normalize_newlines(text[:cut])
    text = carry + decoder.decode(b"", final=True)
    if text:
        yield normalize_newlines(text)


def _write_all(fd: int, data: bytes | Iterable[bytes]) -> None:
    """Write every byte of ``data`` (bytes, or chunks of them) to ``fd``; short writes retried, ``ENOSPC`` raised."""
    for chunk in (data,) if isinstance(data, (bytes, bytearray, memoryview)) else data:
        view = memoryview(chunk)
        while view:
            written = os.write(fd, view)
            if written <= 0:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            view = view[written:]


_FD_PATH = re.compile(r"/(?:dev/fd|proc/self/fd)/(\d+)|/dev/std(out|err)")


def _write_through(target: str, data: bytes | Iterable[bytes]) -> None:
    """Write into a device, FIFO or ``/dev/fd/N`` as it is: such a target cannot be replaced.

    ``/dev/stdout``, ``/dev/stderr`` and ``/dev/fd/N`` of a descriptor this
    process has open are written through that descriptor, so that its offset
    and append mode (``>>``) are honoured.
    """
    match = _FD_PATH.fullmatch(target)
    if match:
        fd = int(match.group(1)) if match.group(1) else (1 if match.group(2) == "out" else 2)
        with contextlib.suppress(OSError):
            os.fstat(fd)
            if fd == 1:
                with contextlib.suppress(AttributeError, ValueError, OSError):
                    sys.stdout.flush()
            try:
                _write_all(fd, data)
            except OSError as exc:
                raise _error(target, exc) from None
            return
    try:
        fd = os.open(target, os.O_WRONLY | os.O_TRUNC if _truncatable(target) else os.O_WRONLY)
    except OSError as exc:
        raise _error(target, exc) from None
    try:
        _write_all(fd, data)
    except OSError as exc:
        raise _error(target, exc) from None
    finally:
        os.close(fd)


def _truncatable(target: str) -> bool:
    with contextlib.suppress(OSError):
        return stat.S_ISREG(os.stat(target).st_mode)
    return False


def atomic_write(path: str | os.PathLike[str], data: bytes | Iterable[bytes], *, force: bool = False,
                 durable: bool = True) -> None:
    """Write ``data`` to ``path`` so that the old file is intact or wholly replaced, never half-written.

    * A regular file is replaced through a temporary file beside it
      (:data:`TEMP_PREFIX`), flushed to disk and renamed over it; its mode and,
      where permitted, its owner are kept. Temporary files of killed earlier
      runs in that folder are removed first (:func:`sweep_stale`).
    * A symbolic link is followed: its target is replaced, the link stays.
    * A device, a FIFO, a socket, and anything under ``/dev/`` or ``/proc/``
      (``/dev/stdout``, ``/dev/fd/3``, a shell's ``>(cmd)``) is written
      through, since replacing it would break it.
    * A read-only file (no write permission bit) is refused unless ``force``,
      as ``cp`` does.
    * A file with several hard links is replaced like any other: the other
      names keep the old content (rewriting it in place could leave it half
      written).
    * With ``durable`` (the default) the temporary file is synced to disk
      before the rename, so a power cut leaves the old file or the new one.
      ``durable=False`` skips that sync (the rename is still atomic for any
      process that reads the file, and a killed writer leaves no partial
      file); the caller then syncs many files at once, as ``subkit batch``
      does before it journals them.

    Raises:
        SubkitIOError: the file cannot be written, or is read-only.
    """
    # tempfile is imported here: it costs several milliseconds that `import subkit` should not pay.
    import tempfile

    name = os.fspath(path)
    if name.startswith(("/dev/", "/proc/")):
        _write_through(name, data)
        return
    try:
        info: os.stat_result | None = os.stat(name)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise _error(name, exc) from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        if stat.S_ISDIR(info.st_mode):
            raise SubkitIOError(f"{name}: is a folder", path=name, errno=errno.EISDIR)
        _write_through(name, data)
        return
    if info is not None and not info.st_mode & 0o222 and not force:
        raise SubkitIOError(f"{name}: the file is read-only; pass force=True to replace it", path=name)
    target = os.path.realpath(name)
    folder = os.path.dirname(target) or "."
    sweep_stale(folder)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}.", suffix=f".{os.path.basename(target)}",
                                   dir=folder)
    except OSError as exc:
        raise _error(name, exc) from None
    try:
        try:
            _write_all(fd, data)
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        if info is not None:
            with contextlib.suppress(OSError):
                os.chown(tmp, info.st_uid, info.st_gid)
            os.chmod(tmp, info.st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise _error(name, exc) from None
        raise


def write_bytes(path: str | os.PathLike[str], data: bytes | Iterable[bytes], *, force: bool = False,
                durable: bool = True) -> None:
    """Write to ``path`` with :func:`atomic_write`, or to standard output for ``"-"``.

    A failed write to standard output (a full disk, a closed pipe) is an
    error, not a silent loss.

    Raises:
        SubkitIOError: the file or standard output cannot be written.
    """
    if str(path) == "-":
        try:
            for chunk in (data,) if isinstance(data, (bytes, bytearray, memoryview)) else data:
                sys.stdout.buffer.write(chunk)
            sys.stdout.buffer.flush()
        except OSError as exc:
            # What could not be written is dropped, so that the interpreter's own
            # flush at exit does not fail a second time.
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise _error("<stdout>", exc) from None
        return
    atomic_write(path, data, force=force, durable=durable)


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
        raise SubkitIOError(f"{base}: cannot create the folder: {exc.strerror or exc}", path=base,
                            errno=exc.errno) from None
    staged: list[tuple[str, str]] = []
    folders = {base}
    try:
        for index, (name, data) in enumerate(files):
            clean = os.path.normpath(name)
            if os.path.isabs(name) or clean == os.curdir or clean.split(os.sep)[0] == os.pardir:
                raise SubkitIOError(f"{name}: file names must stay inside {base}", path=name)
            target = os.path.join(base, clean)
            parent = os.path.dirname(target)
            if parent not in folders:
                os.makedirs(parent, exist_ok=True)
                folders.add(parent)
            # Named like atomic_write's temporary files, so that a later run sweeps them after a kill.
            tmp = os.path.join(parent, f"{TEMP_PREFIX}{os.getpid()}.{index}.{os.path.basename(target)}")
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
            raise SubkitIOError(f"{base}: cannot write: {exc.strerror or exc}", path=base, errno=exc.errno) from None
        raise
    return [target for _, target in staged]
