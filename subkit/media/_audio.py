"""Audio for sync: decode a media file to 16 kHz mono PCM with ffmpeg, and find the speech in it.

ffmpeg runs as a subprocess (``-f s16le -ac 1 -ar 16000`` to its standard
output); the samples are read in chunks and fed to the voice-activity
detector as they come, so a feature film never sits in memory whole. The
detector is WebRTC's (the ``webrtcvad-wheels`` package of the ``sync``
extra): it classifies each 10 ms frame as speech or not, with no model to
download. A missing extra or a missing ffmpeg is a
:class:`~subkit.errors.ConfigError` that says what to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import wave
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from subkit.errors import ConfigError, OperationError, SubkitIOError
from subkit.ops import SpeechActivity

__all__ = ["SAMPLE_RATES", "detect_speech", "extract_audio", "speech_activity"]

#: The sample rates the detector takes.
SAMPLE_RATES = (8000, 16000, 32000, 48000)
#: Frame length of the detector, in milliseconds.
FRAME_MS = 10
#: WebRTC VAD aggressiveness (0-3): 3 rejects the most non-speech (music, crowd noise).
DEFAULT_AGGRESSIVENESS = 3
#: Speech runs closer than this are joined (a stop consonant is not a pause).
_JOIN_GAP_MS = 60
_CHUNK = 1 << 16

ProgressCallback = Callable[[str], None]


def _ffmpeg() -> str:
    """The ffmpeg executable: ``$SUBKIT_FFMPEG``, else the one on ``PATH``.

    Raises:
        ConfigError: none found.
    """
    found = os.environ.get("SUBKIT_FFMPEG") or shutil.which("ffmpeg")
    if not found:
        raise ConfigError("syncing to a media file needs ffmpeg on PATH: install it (e.g. apt-get install ffmpeg, "
                          "brew install ffmpeg) or set SUBKIT_FFMPEG to its path")
    return found


def _vad(aggressiveness: int) -> Any:
    try:
        import webrtcvad
    except ImportError:
        raise ConfigError("speech detection needs the sync extra: pip install 'subkit[sync]'") from None
    if not 0 <= aggressiveness <= 3:
        raise OperationError(f"aggressiveness must be 0-3, got {aggressiveness!r}")
    return webrtcvad.Vad(aggressiveness)


def _ffmpeg_pcm(path: str, sample_rate: int) -> Iterator[bytes]:
    """Chunks of 16-bit little-endian mono PCM decoded from the first audio stream of ``path``.

    Raises:
        SubkitIOError: the file is missing or ffmpeg cannot decode audio from it.
        ConfigError: no ffmpeg.
    """
    if not os.path.exists(path):  # noqa: PTH110 - os.path keeps pathlib out of the import
        raise SubkitIOError(f"{path}: no such file")
    command = [_ffmpeg(), "-nostdin", "-hide_banner", "-loglevel", "error", "-i", path, "-map", "0:a:0",
               "-vn", "-sn", "-dn", "-ac", "1", "-ar", str(sample_rate), "-acodec", "pcm_s16le", "-f", "s16le", "-"]
    # ffmpeg's messages go to a file, not a pipe: a damaged file can make it write more than a pipe holds
    # while this side is still reading the samples, and both would wait for ever.
    with tempfile.TemporaryFile() as log:
        try:
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log)
        except OSError as exc:
            raise ConfigError(f"cannot run ffmpeg ({command[0]}): {exc}") from exc
        assert process.stdout is not None
        received = 0
        try:
            while True:
                chunk = process.stdout.read(_CHUNK)
                if not chunk:
                    break
                received += len(chunk)
                yield chunk
        finally:
            process.stdout.close()
            code = process.wait()
        log.seek(0)
        errors = log.read().decode("utf-8", "replace").strip()
    if code != 0 or not received:
        detail = errors.splitlines()[-1] if errors else f"ffmpeg exited with status {code}"
        raise SubkitIOError(f"{path}: cannot read audio: {detail}")


def _wav_pcm(path: str) -> tuple[bytes, int] | None:
    """The samples of a 16-bit mono WAV at a detector rate, without ffmpeg; ``None`` for any other WAV."""
    try:
        with wave.open(path, "rb") as reader:
            if reader.getsampwidth() != 2 or reader.getnchannels() != 1 or reader.getframerate() not in SAMPLE_RATES:
                return None
            return reader.readframes(reader.getnframes()), reader.getframerate()
    except (wave.Error, EOFError):
        return None


def extract_audio(path: str | os.PathLike[str], *, sample_rate: int = 16000) -> bytes:
    """Decode the first audio stream of a media file to 16-bit little-endian mono PCM at ``sample_rate``.

    Raises:
        ConfigError: ffmpeg is missing.
        SubkitIOError: the file is missing or has no decodable audio.
    """
    return b"".join(_ffmpeg_pcm(os.fspath(path), sample_rate))


def _frames(chunks: Iterable[bytes], size: int) -> Iterator[bytes]:
    pending = b""
    for chunk in chunks:
        data = pending + chunk if pending else chunk
        whole = len(data) - len(data) % size
        for offset in range(0, whole, size):
            yield data[offset:offset + size]
        pending = data[whole:]


def detect_speech(
    pcm: bytes | Iterable[bytes],
    *,
    sample_rate: int = 16000,
    aggressiveness: int = DEFAULT_AGGRESSIVENESS,
    progress: ProgressCallback | None = None,
) -> SpeechActivity:
    """Speech activity of 16-bit mono PCM (``bytes`` or an iterable of chunks), in 10 ms frames.

    Raises:
        ConfigError: the ``sync`` extra is not installed.
        OperationError: a sample rate the detector does not take, or a bad aggressiveness.
    """
    if sample_rate not in SAMPLE_RATES:
        raise OperationError(f"speech detection takes {', '.join(map(str, SAMPLE_RATES))} Hz, got {sample_rate}")
    vad = _vad(aggressiveness)
    size = sample_rate * FRAME_MS // 1000 * 2
    chunks: Iterable[bytes] = [bytes(pcm)] if isinstance(pcm, (bytes, bytearray, memoryview)) else pcm
    is_speech = vad.is_speech
    flags: list[bool] = []
    append = flags.append
    started = last = time.monotonic()
    for frame in _frames(chunks, size):
        append(is_speech(frame, sample_rate))
        if progress is not None and len(flags) % 1000 == 0:
            now = time.monotonic()
            if now - last >= 1.0:
                last = now
                progress(f"speech detection: {len(flags) * FRAME_MS / 1000:.0f}s of audio "
                         f"({now - started:.1f}s)")
    return SpeechActivity.from_frames(flags, FRAME_MS, min_gap_ms=_JOIN_GAP_MS, source="audio")


def _samples_to_pcm(samples: Any) -> bytes:
    """16-bit PCM bytes from an array of samples (integers, or floats within -1..1)."""
    kind = getattr(getattr(samples, "dtype", None), "kind", None)
    if kind is not None:  # a numpy array (the sync extra has numpy)
        import numpy

        array = numpy.asarray(samples)
        if array.ndim != 1:
            raise OperationError(f"audio samples must be one channel (a 1-D array), got shape {array.shape}")
        if kind == "f":
            array = numpy.clip(array, -1.0, 1.0) * 32767.0
        return bytes(numpy.asarray(numpy.round(array), dtype="<i2").tobytes())
    from array import array as pyarray

    values = list(samples)
    if values and isinstance(values[0], float):
        values = [round(max(-1.0, min(1.0, v)) * 32767) for v in values]
    packed = pyarray("h", values)
    if packed.itemsize != 2:
        raise OperationError("cannot pack samples as 16-bit integers on this platform")
    import sys

    if sys.byteorder != "little":
        packed.byteswap()
    return packed.tobytes()


def speech_activity(
    source: Any,
    *,
    sample_rate: int = 16000,
    aggressiveness: int = DEFAULT_AGGRESSIVENESS,
    progress: ProgressCallback | None = None,
) -> SpeechActivity:
    """Speech activity of a media file path, a WAV file, PCM ``bytes`` or an array of samples.

    A 16-bit mono WAV at 8, 16, 32 or 48 kHz is read directly; any other file
    goes through ffmpeg (16 kHz mono). ``bytes`` are 16-bit little-endian mono
    PCM at ``sample_rate``; an array holds samples at ``sample_rate``
    (integers, or floats within -1..1).

    Raises:
        ConfigError: the ``sync`` extra or ffmpeg is missing.
        SubkitIOError: the file is missing or has no decodable audio.
        OperationError: bad samples or a bad sample rate.
    """
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        vad_check = _vad(aggressiveness)  # fail on a missing extra before decoding anything
        del vad_check
        direct = _wav_pcm(path) if path.lower().endswith(".wav") and os.path.isfile(path) else None  # noqa: PTH113
        if direct is not None:
            data, rate = direct
            return detect_speech(data, sample_rate=rate, aggressiveness=aggressiveness, progress=progress)
        if progress is not None:
            progress(f"extracting audio from {os.path.basename(path)} with ffmpeg")
        return detect_speech(_ffmpeg_pcm(path, 16000), sample_rate=16000, aggressiveness=aggressiveness,
                             progress=progress)
    if isinstance(source, (bytes, bytearray, memoryview)):
        return detect_speech(bytes(source), sample_rate=sample_rate, aggressiveness=aggressiveness,
                             progress=progress)
    return detect_speech(_samples_to_pcm(source), sample_rate=sample_rate, aggressiveness=aggressiveness,
                         progress=progress)
