"""Captions and video: draw captions into frames and videos, list, extract and mux subtitle tracks, and
hear the speech that :func:`subkit.ops.sync` aligns subtitles to.

This package is the only part of subkit that starts ffmpeg and ffprobe
(through :mod:`subkit.media._ffmpeg`); ``import subkit`` does not import it.
A missing ffmpeg is a :class:`~subkit.errors.ConfigError` that says what to
install.

Audio for sync (:mod:`subkit.media._audio`): :func:`speech_activity` turns a
media file, a WAV file, PCM bytes or an array of samples into the speech
activity a subtitle is aligned to (the ``sync`` extra: numpy and a VAD).
"""

from subkit.media._audio import detect_speech, extract_audio, speech_activity
from subkit.media._ffmpeg import MediaError, find_tool, run_ffmpeg, run_ffprobe
from subkit.media._notebook import VideoPreview, notebook_view
from subkit.media._render import (
    AssScript,
    FontSubstitution,
    FontWarning,
    ass_script,
    burn,
    choose_moments,
    contact_sheet,
    parse_size,
    preview_clip,
    render_frame,
    render_frames,
)
from subkit.media._shots import detect_shot_changes
from subkit.media._tracks import (
    MuxResult,
    MuxTrack,
    MuxVerifyError,
    SubtitleInput,
    Track,
    extract,
    extract_all,
    mux,
    select_track,
    tracks,
)

__all__ = [
    "AssScript",
    "FontSubstitution",
    "FontWarning",
    "MediaError",
    "MuxResult",
    "MuxTrack",
    "MuxVerifyError",
    "SubtitleInput",
    "Track",
    "VideoPreview",
    "ass_script",
    "burn",
    "choose_moments",
    "contact_sheet",
    "detect_shot_changes",
    "detect_speech",
    "extract",
    "extract_all",
    "extract_audio",
    "find_tool",
    "mux",
    "notebook_view",
    "parse_size",
    "preview_clip",
    "render_frame",
    "render_frames",
    "run_ffmpeg",
    "run_ffprobe",
    "select_track",
    "speech_activity",
    "tracks",
]
