"""A tiny libass renderer for the style tests: ASS text in, RGB frames out, through ffmpeg.

:func:`render` draws an ASS script over a black ``lavfi`` colour source with
ffmpeg's ``ass`` filter and returns the frames at the asked times, decoded
from raw RGB; :class:`Frame` answers questions about their pixels. One ffmpeg
call renders every frame of a test: a ``select`` filter in front of ``ass``
keeps only the wanted frames (at 100 frames per second, so any 10 ms
boundary can be hit), and libass draws just those.

Run as ``python -m tests.ops._render --docs`` to redraw the pictures of
``docs/ops.md`` into ``docs/images/styles/``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import subkit
from subkit.model import Cue, Document, Word, content_from_text
from subkit.ops._style import STYLES, style

#: An RGB colour.
RGB = tuple[int, int, int]
#: A test on one pixel's colour.
Test = Callable[[RGB], bool]

#: Frames per second of the source: one frame every 10 ms (the ASS time unit).
FPS = 100
FFMPEG = shutil.which("ffmpeg")


def ffmpeg_available() -> bool:
    """Whether ffmpeg (with libass) can be run."""
    return FFMPEG is not None


@dataclass(frozen=True, slots=True)
class Frame:
    """One rendered frame, packed RGB rows."""

    width: int
    height: int
    data: bytes

    def pixel(self, x: int, y: int) -> RGB:
        """The colour at ``(x, y)``."""
        offset = (y * self.width + x) * 3
        r, g, b = self.data[offset : offset + 3]
        return r, g, b

    def points(self, test: Test, box: tuple[int, int, int, int] | None = None) -> list[tuple[int, int]]:
        """Every ``(x, y)`` (inside ``box`` = x0, y0, x1, y1 when given) whose colour passes ``test``."""
        x0, y0, x1, y1 = box or (0, 0, self.width, self.height)
        found = []
        data = self.data
        stride = self.width * 3
        for y in range(y0, y1):
            row = data[y * stride + x0 * 3 : y * stride + x1 * 3]
            # Frames are mostly black: look only between the row's first and last lit byte.
            lit = row.lstrip(b"\0")
            if not lit:
                continue
            first = (len(row) - len(lit)) // 3
            last = (len(row.rstrip(b"\0")) + 2) // 3
            for x in range(first, last):
                rgb = (row[x * 3], row[x * 3 + 1], row[x * 3 + 2])
                if rgb != (0, 0, 0) and test(rgb):
                    found.append((x0 + x, y))
        return found

    def count(self, test: Test, box: tuple[int, int, int, int] | None = None) -> int:
        """How many pixels pass ``test``."""
        return len(self.points(test, box))

    def bbox(self, test: Test) -> tuple[int, int, int, int] | None:
        """The smallest ``(x0, y0, x1, y1)`` (exclusive ends) holding every pixel that passes ``test``."""
        points = self.points(test)
        if not points:
            return None
        xs = [x for x, _ in points]
        ys = [y for _, y in points]
        return min(xs), min(ys), max(xs) + 1, max(ys) + 1

    def longest_run(self, test: Test, y: int) -> tuple[int, int]:
        """``(start x, length)`` of the longest horizontal run of passing pixels in row ``y``."""
        best = (0, 0)
        start = None
        for x in range(self.width + 1):
            inside = x < self.width and test(self.pixel(x, y))
            if inside and start is None:
                start = x
            elif not inside and start is not None:
                if x - start > best[1]:
                    best = (start, x - start)
                start = None
        return best

    def write_png(self, path: Path) -> None:
        """Save the frame as a PNG (through ffmpeg).

        Raises:
            RuntimeError: ffmpeg is missing or failed.
        """
        _run([
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{self.width}x{self.height}", "-i", "pipe:0",
            "-frames:v", "1", "-y", str(path),
        ], self.data)  # fmt: skip


def near(color: RGB, tolerance: int = 40) -> Test:
    """A test for colours within ``tolerance`` of ``color`` on every channel."""

    def test(rgb: RGB) -> bool:
        return all(abs(a - b) <= tolerance for a, b in zip(rgb, color, strict=True))

    return test


def bright(rgb: RGB) -> bool:
    """Any clearly visible (non-dark) pixel: text of any colour on the black source."""
    return max(rgb) >= 128


def hex_rgb(text: str) -> RGB:
    """``#RRGGBB`` as a tuple."""
    return int(text[1:3], 16), int(text[3:5], 16), int(text[5:7], 16)


def _escape(path: str) -> str:
    """A path as a filter argument: ``\\``, ``:`` and ``'`` escaped."""
    return path.replace("\\", "\\\\").replace(":", "\\:").replace("'", "\\'")


def _run(arguments: Sequence[str], stdin: bytes | None = None) -> bytes:
    if FFMPEG is None:
        raise RuntimeError("ffmpeg is not installed")
    # -nostdin keeps ffmpeg off the terminal; frames to encode come on stdin instead when given.
    command = [FFMPEG, "-v", "error", *(["-nostdin"] if stdin is None else []), *arguments]
    completed = subprocess.run(
        command,
        input=stdin,
        capture_output=True,
        check=False,
        timeout=60,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"ffmpeg failed: {completed.stderr.decode(errors='replace').strip()}")
    return completed.stdout


def _source(size: tuple[int, int], last_ms: int) -> list[str]:
    seconds = last_ms / 1000 + 0.1
    return ["-f", "lavfi", "-i", f"color=c=black:s={size[0]}x{size[1]}:d={seconds:.2f}:r={FPS}"]


def _select(times_ms: Sequence[int]) -> str:
    frames = sorted({round(ms * FPS / 1000) for ms in times_ms})
    return "select='" + "+".join(f"eq(n\\,{n})" for n in frames) + "'"


def render(ass_text: str, times_ms: Sequence[int], size: tuple[int, int] = (480, 270)) -> list[Frame]:
    """Draw ``ass_text`` at each time of ``times_ms`` (distinct, on a 10 ms grid) over black.

    Returns:
        The frames, in the order of ``times_ms``.

    Raises:
        RuntimeError: ffmpeg is missing or failed.
    """
    frames = sorted({round(ms * FPS / 1000) for ms in times_ms})
    if len(frames) != len(times_ms):
        raise ValueError("times must be distinct multiples of 10 ms")
    with tempfile.TemporaryDirectory(prefix="subkit-render-") as folder:
        script = Path(folder) / "captions.ass"
        script.write_text(ass_text, encoding="utf-8")
        data = _run([
            *_source(size, max(times_ms)), "-vf", f"{_select(times_ms)},ass=filename={_escape(str(script))}",
            "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1",
        ])  # fmt: skip
    length = size[0] * size[1] * 3
    if len(data) != length * len(frames):
        raise RuntimeError(f"ffmpeg returned {len(data)} bytes for {len(frames)} frames")
    by_number = {n: Frame(size[0], size[1], data[i * length : (i + 1) * length]) for i, n in enumerate(frames)}
    return [by_number[round(ms * FPS / 1000)] for ms in times_ms]


def render_strip(ass_text: str, times_ms: Sequence[int], path: Path, size: tuple[int, int] = (480, 120)) -> None:
    """Save the frames at ``times_ms`` stacked top to bottom in one PNG (a before/after picture).

    Raises:
        RuntimeError: ffmpeg is missing or failed.
    """
    with tempfile.TemporaryDirectory(prefix="subkit-render-") as folder:
        script = Path(folder) / "captions.ass"
        script.write_text(ass_text, encoding="utf-8")
        _run([
            *_source(size, max(times_ms)), "-vf",
            f"{_select(times_ms)},ass=filename={_escape(str(script))},tile=1x{len(times_ms)}:padding=2:color=gray",
            "-fps_mode", "passthrough", "-frames:v", "1", "-y", str(path),
        ])  # fmt: skip


# ---------------------------------------------------------------- the pictures of docs/ops.md

#: The sample the pictures show: (word, start ms, end ms).
SAMPLE_WORDS = (("Captions", 200, 700), ("that", 700, 1000), ("follow", 1000, 1500), ("the", 1500, 1700),
                ("voice", 1700, 2400))


def sample_document() -> Document:
    """The word-timed document the pictures are made from."""
    text = " ".join(word for word, _, _ in SAMPLE_WORDS)
    words = tuple(
        Word(text=word + ("" if number == len(SAMPLE_WORDS) - 1 else " "), start_ms=start, end_ms=end)
        for number, (word, start, end) in enumerate(SAMPLE_WORDS)
    )
    return Document(cues=(Cue(start_ms=200, end_ms=2400, content=content_from_text(text), words=words),))


def draw_docs(folder: Path) -> list[Path]:
    """Render one picture per style into ``folder``: the caption at three moments, top to bottom.

    Raises:
        RuntimeError: ffmpeg is missing or failed.
    """
    folder.mkdir(parents=True, exist_ok=True)
    doc = sample_document()
    written = []
    # Before: the same cue converted to ASS as it is, in the ASS writer's default look.
    plain = subkit.dumps(doc.replace(canvas=(480, 120), cues=tuple(c.replace(words=()) for c in doc.cues)), "ass")
    render_strip(str(plain), [500, 1200, 2000], folder / "before.png")
    written.append(folder / "before.png")
    for name in STYLES:
        settings = {"style": name, "canvas_width": 480, "canvas_height": 120, "font_size": 36,
                    "position": "middle_center", "word_color": "#FFD700"}
        text = subkit.dumps(style(doc, settings), "ass")
        path = folder / f"{name}.png"
        render_strip(str(text), [500, 1200, 2000], path)
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m tests.ops._render --docs [--out DIR]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--docs", action="store_true", help="draw the style pictures of docs/ops.md")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[2] / "docs" / "images" / "styles")
    options = parser.parse_args(argv)
    if not options.docs:
        parser.print_help()
        return 2
    for path in draw_docs(options.out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
