"""Shot changes of a video, found by ffmpeg's ``scdet`` filter and cached beside the video."""

from __future__ import annotations

import os
import re
from pathlib import Path

__all__ = ["detect_shot_changes"]

_PTS_TIME = re.compile(rb"pts_time:([0-9.]+)")
#: The first line of a cache file: what it was made from, so that a changed video is detected again.
_CACHE_HEADER = "subkit shot changes: size={size} mtime_ns={mtime} threshold={threshold:g}"


def _cache_path(video: Path) -> Path:
    return video.with_name(video.name + ".shotchanges")


def detect_shot_changes(video: str | Path, *, threshold: float = 10.0, cache: bool = True,
                        timeout: float = 3600.0) -> list[int]:
    """Shot-change times (ms) of ``video``, by ffmpeg's scene-change detector.

    The result is kept in ``VIDEO.shotchanges`` beside the video (seconds, one
    a line, under a header naming the video's size and modification time and
    the threshold), and read from there while those still match. A folder that
    cannot be written to only means no cache.

    Args:
        video: the video file.
        threshold: ``scdet``'s threshold (0-100; lower finds more changes).
        cache: read and write the cache file.
        timeout: seconds ffmpeg may take.

    Raises:
        ConfigError: ffmpeg is not installed.
        MediaError: ffmpeg cannot read the video.
    """
    from subkit.media._ffmpeg import run_ffmpeg
    from subkit.qc import format_shot_changes, parse_shot_changes

    path = Path(video)
    try:
        stat = path.stat()
    except OSError as exc:
        from subkit.errors import SubkitIOError

        raise SubkitIOError(f"{video}: {exc.strerror or exc}", path=str(video)) from None
    header = _CACHE_HEADER.format(size=stat.st_size, mtime=stat.st_mtime_ns, threshold=threshold)
    cached = _cache_path(path)
    if cache and cached.is_file():
        text = cached.read_text(encoding="utf-8", errors="replace")
        if text.startswith(f"# {header}\n"):
            return parse_shot_changes(text, unit="seconds", source=str(cached))
    output = run_ffmpeg(["-nostdin", "-i", str(path), "-an", "-sn", "-dn",
                         "-vf", f"scdet=threshold={threshold:g}:sc_pass=1,metadata=mode=print:file=-",
                         "-f", "null", "-"], timeout=timeout)
    times = sorted({round(float(m.group(1)) * 1000) for m in _PTS_TIME.finditer(output)})
    if cache:
        temporary = cached.with_name(f".{cached.name}.{os.getpid()}.tmp")
        try:
            temporary.write_text(format_shot_changes(times, header), encoding="utf-8")
            temporary.replace(cached)
        except OSError:
            temporary.unlink(missing_ok=True)
    return times
