"""Captions and video: draw captions into frames and videos, list, extract and mux subtitle tracks.

This package is the only part of subkit that starts ffmpeg and ffprobe
(through :mod:`subkit.media._ffmpeg`); ``import subkit`` does not import it.
A missing ffmpeg is a :class:`~subkit.errors.ConfigError` that says what to
install.
"""

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
    preview_clip,
    render_frame,
    render_frames,
)
from subkit.media._tracks import (
    MuxResult,
    MuxTrack,
    MuxVerifyError,
    SubtitleInput,
    Track,
    extract,
    extract_all,
    mux,
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
    "extract",
    "extract_all",
    "find_tool",
    "mux",
    "notebook_view",
    "preview_clip",
    "render_frame",
    "render_frames",
    "run_ffmpeg",
    "run_ffprobe",
    "tracks",
]
