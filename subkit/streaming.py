"""Streaming delivery written to disk: the I/O half of :func:`subkit.ops.segment` and :func:`subkit.ops.package`.

The ops build segments, playlists and packages in memory and never write
files; this module writes them, atomically, beside :func:`subkit.dump`.

>>> import pathlib, tempfile, subkit
>>> doc = subkit.loads("1\\n00:00:05,000 --> 00:00:07,000\\nHi\\n")
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> path, parts = write_hls(doc, folder, 6)
>>> path.name, sorted(p.name for p in folder.iterdir())
('prog_index.m3u8', ['fileSequence0.webvtt', 'fileSequence1.webvtt', 'prog_index.m3u8'])
"""

from __future__ import annotations

import contextlib
import os
from fractions import Fraction
from pathlib import Path

from subkit import _io, ops
from subkit.errors import SubkitIOError
from subkit.model import Document, LossReport

__all__ = ["write_hls", "write_package"]


def write_hls(
    doc: Document,
    out_dir: str | os.PathLike[str],
    seconds: float | str | Fraction = 6,
    *,
    mpegts: int = ops.DEFAULT_MPEGTS,
    duration_ms: int | None = None,
    media_sequence: int = 0,
    name: str = ops.SEGMENT_NAME,
    playlist_name: str = ops.PLAYLIST_NAME,
    report: LossReport | None = None,
) -> tuple[Path, list[ops.Segment]]:
    """Write the HLS segments and the playlist of ``doc`` into ``out_dir`` (created if missing).

    The files are those of :func:`subkit.ops.segment` and :func:`subkit.ops.playlist`
    (the arguments are theirs).

    Every file is built before any is written, so a failure leaves the folder
    as it was; each file is written atomically.

    Returns:
        The playlist's path and the segments.

    Raises:
        OperationError: bad arguments.
        SubkitIOError: the folder or a file cannot be written.
    """
    parts = ops.segment(doc, seconds, mpegts=mpegts, duration_ms=duration_ms, name=name)
    texts = [(part.name, ops.segment_text(part, report)) for part in parts]
    index = ops.playlist(parts, media_sequence=media_sequence)
    folder = Path(out_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SubkitIOError(f"{folder}: cannot create the folder: {exc.strerror or exc}", path=str(folder)) from None
    target = folder / playlist_name
    previous = _listed_segments(target)
    for file_name, text in texts:
        _io.write_bytes(str(folder / file_name), text.encode("utf-8"))
    _io.write_bytes(str(target), index.encode("utf-8"))
    # Segments of an earlier run into this folder that the new playlist does not
    # list would be served stale: remove them (only names the old playlist listed).
    for stale in sorted(previous - {file_name for file_name, _ in texts}):
        with contextlib.suppress(OSError):
            (folder / stale).unlink()
    return target, parts


def write_package(built: ops.Package, out_dir: str | os.PathLike[str]) -> list[str]:
    """Write the files of :func:`subkit.ops.package` (or :func:`subkit.ops.join_tracks`) into ``out_dir``.

    The files go in together (see :func:`subkit._io.write_files`: a failure
    leaves the folder as it was). As :func:`write_hls` does, segments that the
    folder's previous playlist listed and the new one does not are removed, so
    none is served stale.

    Returns:
        The paths written.

    Raises:
        SubkitIOError: the folder or a file cannot be written.
    """
    folder = Path(out_dir)
    previous = _listed_segments(folder / built.playlist) if built.playlist else set()
    written = _io.write_files(folder, [(f.name, f.data) for f in built.files])
    for stale in sorted(previous - {f.name for f in built.files}):
        with contextlib.suppress(OSError):
            (folder / stale).unlink()
    return written


def _listed_segments(playlist_path: Path) -> set[str]:
    """The segment file names an existing playlist lists (plain names in its folder only)."""
    try:
        text = playlist_path.read_text("utf-8", errors="replace")
    except OSError:
        return set()
    if not text.startswith("#EXTM3U"):
        return set()
    names = set()
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "/" not in line and "\\" not in line and line not in (".", ".."):
            names.add(line)
    return names
