"""The media boundary: the only place subkit runs ffmpeg.

Audio for sync (:mod:`subkit.media._audio`): :func:`speech_activity` turns a
media file, a WAV file, PCM bytes or an array of samples into the speech
activity that :func:`subkit.ops.sync` aligns a subtitle to.
"""

from __future__ import annotations

from subkit.media._audio import detect_speech, extract_audio, speech_activity

__all__ = ["detect_speech", "extract_audio", "speech_activity"]
