"""Small media made for the run with ffmpeg's lavfi sources (testsrc, sine): no binary media in the repository."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

HAVE_FFMPEG = shutil.which("ffmpeg") is not None and shutil.which("ffprobe") is not None
needs_ffmpeg = pytest.mark.skipif(not HAVE_FFMPEG, reason="ffmpeg/ffprobe are not installed")


def make_media(path: Path, *, seconds: float = 4, size: str = "160x90", audio_rate: int = 16000,
               audio_codec: str = "aac") -> Path:
    """A video of ``seconds`` (testsrc at 25 fps, x264) with a sine tone (AAC at ``audio_rate`` Hz)."""
    subprocess.run(
        ["ffmpeg", "-v", "error", "-nostdin", "-y",
         "-f", "lavfi", "-i", f"testsrc=s={size}:r=25:d={seconds}",
         "-f", "lavfi", "-i", f"sine=f=440:r={audio_rate}:d={seconds}",
         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", audio_codec, "-shortest",
         str(path)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return path


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for the session's media."""
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def video_mp4(media_dir: Path) -> Path:
    """4 s of 160x90 testsrc with a 16 kHz AAC tone in MP4 (the AAC priming is 1024 samples: 64 ms)."""
    if not HAVE_FFMPEG:
        pytest.skip("ffmpeg is not installed")
    return make_media(media_dir / "source.mp4")


@pytest.fixture(scope="session")
def video_mkv(media_dir: Path) -> Path:
    """The same kind of clip in Matroska."""
    if not HAVE_FFMPEG:
        pytest.skip("ffmpeg is not installed")
    return make_media(media_dir / "source.mkv")
