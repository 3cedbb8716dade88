"""Drawing captions into pictures and video with ffmpeg's libass filter.

Every function here takes a :class:`~subkit.model.Document` of any format,
writes it as ASS with subkit's own ASS writer (:func:`ass_script`; what the
writer cannot express is reported like any conversion loss) and lets libass
draw it:

* :func:`render_frame` one frame as PNG, over a video or over a plain
  background. Without a video the background is a one-frame colour source
  whose timestamp is moved to the asked time (``setpts``): libass only looks
  at the frame's time, so nothing has to be decoded or skipped to get there;
* :func:`contact_sheet` a grid of frames at the busiest or at evenly spaced
  moments, each labelled with its time;
* :func:`preview_clip` and :func:`burn` video with the captions drawn in,
  the source's audio copied as it is.

Fonts: libass asks fontconfig for each font the captions name; when one is
not installed fontconfig silently answers with another. :func:`ass_script`
asks ``fc-match`` the same question and each substitution is reported as a
:class:`FontWarning`.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from subkit._api import render as _write
from subkit.errors import ConfigError, LossyConversionWarning, SubkitIOError, SubkitWarning
from subkit.media._ffmpeg import MediaError, find_tool, run_ffmpeg, run_ffmpeg_progress, run_ffprobe
from subkit.model import Color, Document, Loss, Run

__all__ = [
    "AssScript",
    "FontSubstitution",
    "FontWarning",
    "Moments",
    "ass_script",
    "burn",
    "choose_moments",
    "contact_sheet",
    "parse_color",
    "parse_size",
    "preview_clip",
    "probe_video",
    "render_frame",
    "render_frames",
]

#: Size of frames drawn without a video, unless asked otherwise.
DEFAULT_SIZE = (1280, 720)
#: Colour behind captions drawn without a video.
DEFAULT_BACKGROUND = "#000000"
#: Seconds a single frame or a sheet may take before ffmpeg is stopped.
FRAME_TIMEOUT = 120.0
#: The script name inside the temporary folder ffmpeg runs in (no quoting needed in the filter graph).
_SCRIPT = "subs.ass"
#: How contact sheet moments are chosen.
Moments = Literal["busiest", "even"]


class FontWarning(SubkitWarning):
    """A font the captions ask for is not installed; libass draws them in another one."""


@dataclass(frozen=True, slots=True)
class FontSubstitution:
    """A font that fontconfig replaced.

    Attributes:
        requested: the family the captions name.
        used: the family fontconfig (and so libass) picks instead.
    """

    requested: str
    used: str

    def __str__(self) -> str:
        return f"font {self.requested!r} is not installed: libass draws it with {self.used!r}"


@dataclass(frozen=True, slots=True)
class AssScript:
    """A document written as ASS for libass, with what the writing lost.

    Attributes:
        text: the ASS script.
        losses: what the ASS writer dropped or approximated.
        fonts: fonts that are not installed and what replaces them.
    """

    text: str
    losses: tuple[Loss, ...]
    fonts: tuple[FontSubstitution, ...]

    def warn(self) -> None:
        """Emit each loss as a :class:`LossyConversionWarning` and each font substitution as a :class:`FontWarning`."""
        for loss in self.losses:
            text = f"ass cannot express {loss.feature}: {loss.message}"
            if loss.first_cue is not None:
                text += f" ({loss.count} {'cue' if loss.count == 1 else 'cues'}, first at cue {loss.first_cue + 1})"
            warnings.warn(text, LossyConversionWarning, stacklevel=3)
        for font in self.fonts:
            warnings.warn(str(font), FontWarning, stacklevel=3)


# ---------------------------------------------------------------- arguments


def parse_size(text: str) -> tuple[int, int]:
    """``"1920x1080"`` as ``(1920, 1080)``; both sides even (the video encoders need it) and at most 8192.

    Raises:
        ConfigError: not a size.

    >>> parse_size("640x360")
    (640, 360)
    """
    match = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", text)
    if not match:
        raise ConfigError(f"not a size: {text!r} (expected WIDTHxHEIGHT, e.g. 1920x1080)")
    width, height = int(match.group(1)), int(match.group(2))
    if not (16 <= width <= 8192 and 16 <= height <= 8192) or width % 2 or height % 2:
        raise ConfigError(f"size {text!r}: width and height must be even numbers from 16 to 8192")
    return width, height


def parse_color(text: str) -> str:
    """A background colour as ffmpeg writes it: ``#203040`` -> ``0x203040``; any CSS colour (``navy``, ``#abc``,
    ``rgb(0, 0, 128)``, ``#20304080`` with alpha).

    Raises:
        ConfigError: not a colour.

    >>> parse_color("#203040"), parse_color("navy"), parse_color("#20304080")
    ('0x203040', '0x000080', '0x20304080')
    """
    try:
        color = Color.parse(text)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    return "0x" + color.to_hex()[1:]


def _check_size(size: tuple[int, int]) -> tuple[int, int]:
    return parse_size(f"{size[0]}x{size[1]}")


# ---------------------------------------------------------------- fonts


def _requested_fonts(doc: Document) -> list[str]:
    """Families the document itself names (styles and runs), in first-seen order."""
    seen: dict[str, None] = {}
    for style in doc.styles.values():
        if style.font_family:
            seen.setdefault(style.font_family.lstrip("@").strip(), None)
    for cue in doc.cues:
        for item in cue.content:
            if isinstance(item, Run) and item.style.font_family:
                seen.setdefault(item.style.font_family.lstrip("@").strip(), None)
    return [name for name in seen if name]


@lru_cache(maxsize=256)
def _fc_match(family: str) -> tuple[str, ...] | None:
    """The family names of the font fontconfig gives for ``family`` (``None`` when fc-match cannot run)."""
    try:
        program = find_tool("fc-match")
    except ConfigError:
        return None
    try:
        completed = subprocess.run([program, "-f", "%{family}", family], capture_output=True, timeout=20,
                                   check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if completed.returncode != 0:
        return None
    names = completed.stdout.decode("utf-8", errors="replace").split(",")
    return tuple(name.strip() for name in names if name.strip())


def font_substitutions(families: Sequence[str]) -> list[FontSubstitution]:
    """The families of ``families`` that fontconfig replaces by another font.

    Families fontconfig cannot be asked about (no ``fc-match``) are not reported.
    """
    found = []
    for family in families:
        names = _fc_match(family)
        if names and family.casefold() not in {name.casefold() for name in names}:
            found.append(FontSubstitution(family, names[0]))
    return found


def ass_script(doc: Document, *, size: tuple[int, int] = DEFAULT_SIZE) -> AssScript:
    """``doc`` as an ASS script for drawing at ``size``, with the writer's losses and the missing fonts.

    A document without a canvas (anything but ASS, or a styled document) gets
    one with the frame's shape and 288 lines, the height players assume for
    scripts without ``PlayResY``: the ASS writer's default font size then looks
    the same at every frame size, and nothing is stretched.

    Raises:
        ConfigError: a bad size.
    """
    width, height = _check_size(size)
    if doc.canvas is None:
        doc = doc.replace(canvas=(max(1, round(288 * width / height)), 288))
    result = _write(doc, "ass")
    text = result.data if isinstance(result.data, str) else result.data.decode("utf-8")
    fonts: list[FontSubstitution] = []
    if not doc.attachments:  # embedded fonts are handed to libass by the script itself
        fonts = font_substitutions(_requested_fonts(doc))
    return AssScript(text, tuple(result.losses), tuple(fonts))


# ---------------------------------------------------------------- video facts


@dataclass(frozen=True, slots=True)
class VideoInfo:
    """What rendering needs to know of a video file.

    Attributes:
        width, height: the first video stream's frame size.
        duration_s: the container's duration in seconds (``None`` when unknown).
        has_audio: whether there is an audio stream.
    """

    width: int
    height: int
    duration_s: float | None
    has_audio: bool


def probe_video(path: str | Path) -> VideoInfo:
    """Frame size, duration and audio presence of ``path``.

    Raises:
        SubkitIOError: the file does not exist.
        MediaError: ffprobe cannot read it.
        ConfigError: ffprobe is missing, or the file has no video stream.
    """
    name = str(path)
    if not Path(name).is_file():
        raise SubkitIOError(f"{name}: no such file", path=name)
    out = run_ffprobe(["-show_entries", "stream=codec_type,width,height:format=duration", "-of", "json", name],
                      timeout=60)
    data = json.loads(out.decode("utf-8", errors="replace") or "{}")
    streams = data.get("streams", [])
    video = next((s for s in streams if s.get("codec_type") == "video" and s.get("width")), None)
    if video is None:
        raise ConfigError(f"{name} has no video stream to draw on")
    duration = data.get("format", {}).get("duration")
    return VideoInfo(int(video["width"]), int(video["height"]), float(duration) if duration else None,
                     any(s.get("codec_type") == "audio" for s in streams))


# ---------------------------------------------------------------- one frame


def _seconds(ms: int) -> str:
    return f"{ms / 1000:.3f}"


def render_frame(
    doc: Document,
    at_ms: int,
    *,
    video: str | Path | None = None,
    size: tuple[int, int] | None = None,
    background: str = DEFAULT_BACKGROUND,
    timeout: float = FRAME_TIMEOUT,
) -> bytes:
    """Draw the captions of ``doc`` shown at ``at_ms`` and return the frame as PNG bytes.

    Args:
        doc: the captions, any format (written as ASS first; losses and missing
            fonts are emitted as warnings).
        at_ms: the moment, in milliseconds.
        video: draw on this video's frame at ``at_ms`` (it is seeked to);
            without it the background is a plain colour.
        size: the frame size without a video (default 1280x720); with a video
            the frame is scaled to it.
        background: ``#RRGGBB`` or a colour name, without a video.
        timeout: seconds before ffmpeg is stopped.

    Raises:
        ConfigError: ffmpeg (with libass) is missing, or a bad size, colour or time.
        MediaError: ffmpeg failed, or the video has no frame at ``at_ms``.
        SubkitIOError: the video does not exist.
    """
    if at_ms < 0:
        raise ConfigError(f"cannot draw a frame at a negative time ({at_ms} ms)")
    if video is None:
        return render_frames(doc, [at_ms], size=size, background=background, timeout=timeout)[0]
    info = probe_video(video)
    frame_size = _check_size(size) if size else (info.width, info.height)
    scale = f"scale={frame_size[0]}:{frame_size[1]}," if size else ""
    script = ass_script(doc, size=frame_size)
    script.warn()
    # An input seek to the moment, then the frame's time put back to it for libass.
    shift = f"settb=1/1000,setpts=PTS-STARTPTS+{_seconds(at_ms)}/TB"
    with tempfile.TemporaryDirectory(prefix="subkit-render-") as folder:
        Path(folder, _SCRIPT).write_text(script.text, encoding="utf-8")
        png = run_ffmpeg([
            "-ss", _seconds(at_ms), "-i", str(Path(video).resolve()), "-vf",
            f"{scale}{shift},ass=filename={_SCRIPT}", "-frames:v", "1", "-an",
            "-f", "image2pipe", "-c:v", "png", "pipe:1",
        ], timeout=timeout, cwd=folder)  # fmt: skip
    if not png:
        raise MediaError(f"{video}: no frame at {_seconds(at_ms)} s (past the end of the video?)")
    return png


#: The end of a PNG file: the IEND chunk with its CRC.
_PNG_END = b"IEND\xaeB`\x82"


def render_frames(
    doc: Document,
    moments_ms: Sequence[int],
    *,
    size: tuple[int, int] | None = None,
    background: str = DEFAULT_BACKGROUND,
    timeout: float = FRAME_TIMEOUT,
) -> list[bytes]:
    """Draw the captions at several moments over a plain background, in one ffmpeg run; PNG bytes each.

    A colour source makes one frame per moment and ``setpts`` gives frame N
    the N-th moment, so the cost does not depend on where the moments are.

    Raises:
        ConfigError: ffmpeg is missing, or a bad size, colour or moment.
        MediaError: ffmpeg failed.
    """
    if not moments_ms or any(ms < 0 for ms in moments_ms):
        raise ConfigError("give one or more moments at or after 0")
    order = sorted(set(moments_ms))
    frame_size = _check_size(size or DEFAULT_SIZE)
    script = ass_script(doc, size=frame_size)
    script.warn()
    source = f"color=c={parse_color(background)}:s={frame_size[0]}x{frame_size[1]}:r=1:d={len(order)}"
    with tempfile.TemporaryDirectory(prefix="subkit-render-") as folder:
        Path(folder, _SCRIPT).write_text(script.text, encoding="utf-8")
        data = run_ffmpeg([
            "-f", "lavfi", "-i", source, "-vf", f"{_pts_expression(order)},ass=filename={_SCRIPT}",
            "-frames:v", str(len(order)), "-fps_mode", "passthrough", "-an", "-f", "image2pipe", "-c:v", "png",
            "pipe:1",
        ], timeout=timeout, cwd=folder)  # fmt: skip
    pictures = [part + _PNG_END for part in data.split(_PNG_END)[:-1]]
    if len(pictures) != len(order):
        raise MediaError(f"ffmpeg drew {len(pictures)} frames for {len(order)} moments")
    by_moment = dict(zip(order, pictures, strict=True))
    return [by_moment[ms] for ms in moments_ms]


# ---------------------------------------------------------------- contact sheet


def choose_moments(doc: Document, count: int, how: Moments = "busiest") -> list[int]:
    """``count`` distinct moments (ms, sorted) to show on a contact sheet.

    ``"busiest"`` takes the middles of cues, ranked by how much text is on
    screen there (ties: the earlier one); ``"even"`` spreads the moments over
    the time the captions cover. Moments missing for lack of cues are filled
    in evenly. Moments fall on a 10 ms grid, the precision of ASS times.

    Raises:
        ConfigError: ``count`` below 1 or an unknown ``how``.

    >>> from subkit.model import Cue, content_from_text as t
    >>> doc = Document(cues=(Cue(start_ms=0, end_ms=1000, content=t("a")),
    ...                      Cue(start_ms=2000, end_ms=4000, content=t("a longer line")),))
    >>> choose_moments(doc, 1), choose_moments(doc, 2, "even")
    ([3000], [1000, 3000])
    """
    if count < 1:
        raise ConfigError("a contact sheet needs at least one tile")
    if how not in ("busiest", "even"):
        raise ConfigError(f"moments must be 'busiest' or 'even', not {how!r}")
    cues = [cue for cue in doc.cues if cue.end_ms > cue.start_ms]
    first = min((cue.start_ms for cue in cues), default=0)
    last = max((cue.end_ms for cue in cues), default=10_000)
    span = max(last - first, 10 * count)

    def grid(ms: float) -> int:
        return max(0, round(ms / 10) * 10)

    chosen: list[int] = []
    if how == "busiest":
        candidates = sorted({grid((cue.start_ms + cue.end_ms) / 2) for cue in cues})

        def load(ms: int) -> int:
            return sum(len(cue.plain_text()) for cue in cues if cue.start_ms <= ms < cue.end_ms)

        ranked = sorted(candidates, key=lambda ms: (-load(ms), ms))
        chosen = ranked[:count]
        # More tiles than cues: spread the rest over the time captions are on screen, skipping the gaps.
        covered = _merged([(cue.start_ms, cue.end_ms) for cue in cues])
        total = sum(end - start for start, end in covered)
        for number in range(count):
            if len(chosen) >= count or total < 10 * count:
                break
            moment = grid(_position(covered, (number + 0.5) * total / count))
            if moment not in chosen:
                chosen.append(moment)
    step = span / count
    index = 0
    while len(chosen) < count:
        moment = grid(first + (index + 0.5) * step)
        index += 1
        if moment not in chosen:
            chosen.append(moment)
        elif index > 10 * count:  # a span too short for distinct moments: step on 10 ms at a time
            chosen.append(max(chosen) + 10)
    return sorted(chosen)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching spans joined, sorted."""
    joined: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(joined[-1][1], end))
        else:
            joined.append((start, end))
    return joined


def _position(spans: list[tuple[int, int]], offset: float) -> float:
    """The moment ``offset`` ms into the time the spans cover."""
    for start, end in spans:
        if offset < end - start:
            return start + offset
        offset -= end - start
    return float(spans[-1][1] - 1)


def _pts_expression(moments_ms: Sequence[int]) -> str:
    """A ``setpts`` expression giving frame N the N-th moment (quoted for the filter graph)."""
    expression = _seconds(moments_ms[-1])
    for number in range(len(moments_ms) - 2, -1, -1):
        expression = f"if(eq(N,{number}),{_seconds(moments_ms[number])},{expression})"
    return f"settb=1/1000,setpts='({expression})/TB'"


def _label(bar: int) -> str:
    """A bar of ``bar`` pixels above the tile with the frame's time (``HH:MM:SS.mmm``) written in it."""
    return (f"pad=iw:ih+{bar}:0:{bar}:color=0x303030,"
            f"drawtext=text='%{{pts\\:hms}}':x=6:y=({bar}-th)/2:fontsize={bar * 3 // 4}:fontcolor=white")


def _seek_groups(video: str | Path, times: Sequence[int]) -> tuple[tuple[int, int], list[list[int]]]:
    """The video's frame size, and ``times`` (sorted) in runs that one seek can serve.

    One ffprobe run asks for the frame size and, for each moment, the packet an
    input seek to it starts decoding from (``-read_intervals T%+#1``). Moments
    whose seeks land on the same keyframe form one run: decoding from that
    keyframe once passes all of them, where a seek per moment would decode the
    frames before the first one again for each. When the answer cannot be
    trusted (no keyframe flag, a container that does not start at 0, a failed
    seek) every moment is a run of its own, which is always correct, only slower.

    Raises:
        SubkitIOError: the file does not exist.
        MediaError: ffprobe cannot read it.
        ConfigError: ffprobe is missing, or the file has no video stream.
    """
    name = str(video)
    alone = [[ms] for ms in times]
    if not Path(name).is_file():
        raise SubkitIOError(f"{name}: no such file", path=name)
    intervals = ",".join(f"{_seconds(ms)}%+#1" for ms in times)
    try:
        out = run_ffprobe(["-select_streams", "v:0", "-read_intervals", intervals, "-show_entries",
                           "stream=width,height:format=start_time:packet=pts_time,flags", "-of", "json", name],
                          timeout=60)
    except MediaError:
        info = probe_video(video)  # says what is wrong with the file, or gives its size without the seek points
        return (info.width, info.height), alone
    data = json.loads(out.decode("utf-8", errors="replace") or "{}")
    stream = next((s for s in data.get("streams", []) if s.get("width")), None)
    if stream is None:
        raise ConfigError(f"{name} has no video stream to draw on")
    size = (int(stream["width"]), int(stream["height"]))
    packets = data.get("packets", [])
    start = data.get("format", {}).get("start_time")
    try:
        offset = float(start) if start not in (None, "N/A") else 0.0
        keys = [float(packet["pts_time"]) for packet in packets if "K" in str(packet.get("flags", ""))]
    except (KeyError, ValueError):
        return size, alone
    # ffprobe seeks to absolute times, ffmpeg's -ss counts from the start: they agree only when it is 0.
    if abs(offset) > 0.0005 or len(keys) != len(packets) or len(keys) != len(times):
        return size, alone
    groups: list[list[int]] = []
    for index, ms in enumerate(times):
        if groups and keys[index] == keys[index - 1]:
            groups[-1].append(ms)
        else:
            groups.append([ms])
    return size, groups


#: Decoding threads per seek of a sheet over a video: frame threads keep two cores busy, one frame ahead.
_SHEET_THREADS = 2


def _video_tiles(source: str, groups: list[list[int]], frame_size: tuple[int, int]) -> tuple[list[str], str]:
    """Inputs and the start of the filter graph giving one frame per moment, in order, into ``concat``.

    Each run of moments is one input seeked (accurately) to its first moment;
    ``split`` hands its frames to one branch per moment, where ``trim`` keeps
    the first frame at or after that moment (the frame a seek to it gives).
    """
    inputs: list[str] = []
    parts: list[str] = []
    tile = 0
    for number, group in enumerate(groups):
        inputs += ["-threads", str(_SHEET_THREADS), "-ss", _seconds(group[0]), "-i", source]
        branches = [f"[{number}:v]"]
        if len(group) > 1:
            labels = [f"[s{number}_{index}]" for index in range(len(group))]
            parts.append(f"[{number}:v]split={len(group)}{''.join(labels)}")
            branches = labels
        for label, ms in zip(branches, group, strict=True):
            skip = f"trim=start={_seconds(ms - group[0])}," if ms > group[0] else ""
            parts.append(f"{label}{skip}trim=end_frame=1,setpts=PTS-STARTPTS,"
                         f"scale={frame_size[0]}:{frame_size[1]},setsar=1[f{tile}]")
            tile += 1
    graph = ";".join(parts) + ";" + "".join(f"[f{n}]" for n in range(tile)) + f"concat=n={tile}:v=1:a=0,"
    return inputs, graph


def contact_sheet(
    doc: Document,
    *,
    columns: int = 4,
    rows: int = 4,
    moments: Moments | Sequence[int] = "busiest",
    video: str | Path | None = None,
    size: tuple[int, int] | None = None,
    tile_width: int = 480,
    background: str = DEFAULT_BACKGROUND,
    timeout: float = FRAME_TIMEOUT,
) -> bytes:
    """A grid of ``columns`` x ``rows`` frames, each labelled with its time, as PNG bytes.

    Args:
        doc: the captions (any format; losses and missing fonts are warned about).
        columns, rows: the grid.
        moments: ``"busiest"``, ``"even"`` (see :func:`choose_moments`) or the
            moments themselves in ms (at most ``columns * rows``).
        video: draw on this video's frames; without it, on ``background``.
        size: frame size before scaling to the tile (default: the video's, or 1280x720).
        tile_width: width of one tile in the sheet, in pixels.
        background: ``#RRGGBB`` or a colour name, without a video.
        timeout: seconds before ffmpeg is stopped.

    Raises:
        ConfigError: ffmpeg is missing, or bad arguments.
        MediaError: ffmpeg failed.
        SubkitIOError: the video does not exist.
    """
    if not (1 <= columns <= 16 and 1 <= rows <= 16):
        raise ConfigError("a contact sheet has 1 to 16 columns and rows")
    if not 32 <= tile_width <= 4096:
        raise ConfigError("tile width must be 32 to 4096 pixels")
    times = (choose_moments(doc, columns * rows, moments) if isinstance(moments, str)
             else sorted({int(ms) for ms in moments}))
    if not times or len(times) > columns * rows or times[0] < 0:
        raise ConfigError(f"a {columns}x{rows} sheet shows 1 to {columns * rows} moments at or after 0")
    if video is not None:
        (width, height), groups = _seek_groups(video, times)
        frame_size = _check_size(size) if size else (width, height)
        inputs, graph = _video_tiles(str(Path(video).resolve()), groups, frame_size)
    else:
        frame_size = _check_size(size or DEFAULT_SIZE)
        inputs = ["-f", "lavfi", "-i",
                  f"color=c={parse_color(background)}:s={frame_size[0]}x{frame_size[1]}:r=1:d={len(times)}"]
        graph = "[0:v]"
    tile_height = max(2, round(tile_width * frame_size[1] / frame_size[0] / 2) * 2)
    script = ass_script(doc, size=frame_size)
    script.warn()
    graph += (f"{_pts_expression(times)},ass=filename={_SCRIPT},scale={tile_width}:{tile_height},"
              f"{_label(max(12, tile_height // 10 // 2 * 2))},"
              f"tile={columns}x{rows}:padding=4:margin=4:color=0x303030")
    with tempfile.TemporaryDirectory(prefix="subkit-sheet-") as folder:
        Path(folder, _SCRIPT).write_text(script.text, encoding="utf-8")
        return run_ffmpeg([
            *inputs, "-filter_complex", graph, "-frames:v", "1", "-an", "-f", "image2pipe", "-c:v", "png", "pipe:1",
        ], timeout=timeout, cwd=folder)  # fmt: skip


# ---------------------------------------------------------------- video out


#: Progress callback of :func:`burn` and :func:`preview_clip`: (seconds written, seconds in all or None).
BurnProgress = Callable[[float, float | None], None]


def _encoder_args(encoder: str, crf: int | None, preset: str | None) -> list[str]:
    if not re.fullmatch(r"[A-Za-z0-9_]+", encoder):
        raise ConfigError(f"not an encoder name: {encoder!r}")
    args = ["-c:v", encoder]
    x26x = encoder in ("libx264", "libx265")
    if crf is not None or x26x:
        value = 20 if crf is None else crf
        if not 0 <= value <= 63:
            raise ConfigError(f"crf must be 0 to 63, not {value}")
        args += ["-crf", str(value)]
    if preset is not None or x26x:
        value_preset = preset or "veryfast"
        if not re.fullmatch(r"[A-Za-z0-9_]+", value_preset):
            raise ConfigError(f"not a preset name: {value_preset!r}")
        args += ["-preset", value_preset]
    # 4:2:0 is what every player decodes; the ass filter itself works in RGB.
    return [*args, "-pix_fmt", "yuv420p"]


def _atomic_output(output: str | Path) -> tuple[Path, Path]:
    """The final path and a temporary one beside it (same extension, so ffmpeg picks the same container)."""
    target = Path(output)
    if not target.parent.is_dir():
        raise SubkitIOError(f"{target}: the folder does not exist", path=str(target))
    temporary = target.with_name(f".{target.stem}.subkit-tmp{target.suffix}")
    return target, temporary


def _encode(
    args: list[str],
    output: str | Path,
    script: AssScript,
    *,
    total_s: float | None,
    progress: BurnProgress | None,
    timeout: float | None,
) -> None:
    target, temporary = _atomic_output(output)
    with tempfile.TemporaryDirectory(prefix="subkit-burn-") as folder:
        Path(folder, _SCRIPT).write_text(script.text, encoding="utf-8")
        callback = None if progress is None else (lambda done: progress(done, total_s))
        try:
            run_ffmpeg_progress([*args, "-y", str(temporary.resolve())], timeout=timeout, progress=callback,
                                cwd=folder)
            temporary.replace(target)
        finally:
            temporary.unlink(missing_ok=True)


def burn(
    video: str | Path,
    doc: Document,
    output: str | Path,
    *,
    start_ms: int | None = None,
    end_ms: int | None = None,
    encoder: str = "libx264",
    crf: int | None = None,
    preset: str | None = None,
    progress: BurnProgress | None = None,
    timeout: float | None = None,
) -> None:
    """Draw the captions of ``doc`` into ``video`` and write ``output``, the audio copied untouched.

    Only the first video stream is re-encoded (it has to be: the captions
    become pixels); every audio stream is copied (in a part cut with
    ``start_ms``/``end_ms`` it is encoded as AAC, as a copy would start at the
    keyframe before the cut). ``start_ms``/``end_ms`` cut
    a part (a preview); captions keep their times against the source.
    The output is written to a temporary file beside it and renamed at the end.

    Args:
        video: the source video.
        doc: the captions, any format (losses and missing fonts are warned about).
        output: the file to write; its extension picks the container.
        start_ms, end_ms: the part to keep (whole video by default).
        encoder: an ffmpeg video encoder (``libx264``, ``libx265``, ``h264_nvenc`` ...).
        crf: quality for CRF encoders (x264/x265 default 20).
        preset: encoder preset (x264/x265 default ``veryfast``).
        progress: called with (seconds written, seconds in all or ``None``).
        timeout: seconds before ffmpeg is stopped (none by default).

    Raises:
        ConfigError: ffmpeg is missing, or bad arguments.
        MediaError: ffmpeg failed (an unknown encoder, an audio codec the container refuses ...).
        SubkitIOError: the video does not exist, or ``output`` is the video itself.
    """
    info = probe_video(video)
    if Path(output).resolve() == Path(video).resolve():
        raise SubkitIOError(f"{output}: refusing to overwrite the source video", path=str(output))
    start = start_ms or 0
    if start < 0 or (end_ms is not None and end_ms <= start):
        raise ConfigError("the part to burn must start at or after 0 and end after it starts")
    cut = ["-ss", _seconds(start)] if start else []
    if end_ms is not None:
        cut += ["-t", _seconds(end_ms - start)]
    total = (end_ms if end_ms is not None else (info.duration_s or 0) * 1000) - start
    script = ass_script(doc, size=(info.width, info.height))
    script.warn()
    # Frames of a cut start at 0: their time is put back for libass, then taken out again.
    shift = f"settb=1/1000,setpts=PTS-STARTPTS+{_seconds(start)}/TB,ass=filename={_SCRIPT},setpts=PTS-STARTPTS"
    # A whole video keeps its audio packets as they are. A cut part cannot: ffmpeg copies audio from the
    # keyframe before the cut, so the clip would start with sound from before it; the part's audio is encoded.
    audio = ["-c:a", "aac", "-b:a", "192k"] if cut else ["-c:a", "copy"]
    args = [*cut, "-i", str(Path(video).resolve()), "-map", "0:v:0", "-map", "0:a?", "-vf", shift,
            *_encoder_args(encoder, crf, preset), *audio, "-sn", "-dn"]
    _encode(args, output, script, total_s=total / 1000 if total > 0 else None, progress=progress, timeout=timeout)


def preview_clip(
    doc: Document,
    output: str | Path,
    *,
    start_ms: int,
    end_ms: int,
    video: str | Path | None = None,
    size: tuple[int, int] | None = None,
    background: str = DEFAULT_BACKGROUND,
    encoder: str = "libx264",
    crf: int | None = None,
    preset: str | None = None,
    progress: BurnProgress | None = None,
    timeout: float | None = None,
) -> None:
    """Write a short video of the captions between ``start_ms`` and ``end_ms``.

    With ``video`` this is :func:`burn` of that part (audio kept); without, the
    captions are drawn over a plain background at 25 frames a second.

    Raises:
        ConfigError: ffmpeg is missing, or bad arguments.
        MediaError: ffmpeg failed.
        SubkitIOError: the video does not exist.
    """
    if start_ms < 0 or end_ms <= start_ms:
        raise ConfigError("a clip must start at or after 0 and end after it starts")
    if video is not None:
        burn(video, doc, output, start_ms=start_ms, end_ms=end_ms, encoder=encoder, crf=crf, preset=preset,
             progress=progress, timeout=timeout)
        return
    frame_size = _check_size(size or DEFAULT_SIZE)
    script = ass_script(doc, size=frame_size)
    script.warn()
    length = _seconds(end_ms - start_ms)
    args = ["-f", "lavfi", "-i", f"color=c={parse_color(background)}:s={frame_size[0]}x{frame_size[1]}:r=25:d={length}",
            "-vf", f"settb=1/1000,setpts=PTS+{_seconds(start_ms)}/TB,ass=filename={_SCRIPT},setpts=PTS-STARTPTS",
            *_encoder_args(encoder, crf, preset), "-an"]
    _encode(args, output, script, total_s=(end_ms - start_ms) / 1000, progress=progress, timeout=timeout)

