"""Time subkit.media (render, sheet, burn, mux, extract) against plain ffmpeg doing the same job.

Usage::

    python bench/media.py [--repeat 5] [--burn-seconds 20] [--markdown docs/perf.md]

Media is made for the run with ffmpeg's lavfi sources (testsrc2, sine) in a
temporary folder. Each row is a median over ``--repeat`` runs; the peer of a
row is the plain ffmpeg command a user would otherwise type:

* frame: ``setpts`` on a one-frame colour source (subkit) against rendering
  every frame of a 30 s colour source up to the moment (an output seek);
* sheet: sixteen moments of a one-hour document on a background, and sixteen
  even moments over the whole 1080p video (one ffmpeg run, a seek per keyframe
  interval that holds moments), against one plain pass selecting the same
  frames;
* burn: a 1080p video with AAC audio, x264 ``ultrafast``; the figure is
  seconds of video per second of work (real-time factor) and the CPU seconds
  one second of video costs, which bounds the factor on two idle cores;
* mux/extract: three tracks (SRT, ASS, WebVTT; 500 cues each) into MKV and
  MP4 with verification, against one plain ``ffmpeg -c copy`` mux without it;
  extraction of the three tracks, against plain ffmpeg writing three files.
  Exactness counts the extracted cues whose start and end equal the source to
  the millisecond.

With ``--markdown FILE`` the table replaces the block between
``<!-- bench-media:begin -->`` and ``<!-- bench-media:end -->`` in FILE
(appended when the markers are absent).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import subkit
from subkit import media
from subkit.errors import LossyConversionWarning
from subkit.media import SubtitleInput
from subkit.model import Cue, Document, content_from_text

BEGIN = "<!-- bench-media:begin -->"
END = "<!-- bench-media:end -->"


def ffmpeg(*args: str) -> None:
    """Run ffmpeg quietly, failing loudly."""
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", *args], check=True, capture_output=True)


def _cpu() -> float:
    """CPU seconds used so far by this process and the programs it ran (ffmpeg)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


#: CPU seconds of the last :func:`median_time` (median over its runs).
LAST_CPU = [0.0]


def median_time(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(median, min) wall seconds of ``repeat`` runs after one warm-up; their median CPU time goes to LAST_CPU."""
    action()
    samples = []
    cpu = []
    for _ in range(repeat):
        start, used = time.perf_counter(), _cpu()
        action()
        samples.append(time.perf_counter() - start)
        cpu.append(_cpu() - used)
    LAST_CPU[0] = statistics.median(cpu)
    return statistics.median(samples), min(samples)


def document(cues: int, spacing_ms: int, *, prefix: str = "Line") -> Document:
    """``cues`` two-line captions, ``spacing_ms`` apart, at odd millisecond times."""
    return Document(cues=tuple(
        Cue(start_ms=n * spacing_ms + 7 * (n % 13) + 1, end_ms=n * spacing_ms + spacing_ms - 211 - (n % 7),
            content=content_from_text(f"{prefix} {n}: the quick brown fox\njumps over the lazy dog"))
        for n in range(cues)
    ))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print (or write) the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--burn-seconds", type=int, default=20)
    parser.add_argument("--markdown", type=Path)
    options = parser.parse_args(argv)
    repeat = options.repeat
    warnings.simplefilter("ignore", LossyConversionWarning)
    rows: list[tuple[str, str, str, str, str, str]] = []

    def row(task: str, med: float, low: float, target: str, peer: str, digits: int = 3) -> None:
        rows.append((task, f"{med:.{digits}f}", f"{low:.{digits}f}", f"{LAST_CPU[0]:.{digits}f}", target, peer))

    with tempfile.TemporaryDirectory(prefix="subkit-bench-media-") as folder:
        work = Path(folder)
        hour = document(1000, 3600)
        size = (1920, 1080)

        # ---------------------------------------------------------------- frames
        for at_ms in (10_000, 1_800_000, 3_590_000):
            med, low = median_time(partial(media.render_frame, hour, at_ms, size=size), repeat)
            row(f"frame at {at_ms / 1000:g} s, 1080p, no video", med, low, "≤ 0.5 s", "–")
        script = work / "hour.ass"
        script.write_text(media.ass_script(hour, size=size).text, encoding="utf-8")

        def seek_peer() -> None:
            subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-f", "lavfi", "-i",
                            "color=c=black:s=1920x1080:r=25:d=30.04", "-vf", "ass=filename=hour.ass", "-ss", "30",
                            "-frames:v", "1", "-f", "image2pipe", "-c:v", "png", "pipe:1"], check=True,
                           capture_output=True, cwd=folder)

        peer, _ = median_time(seek_peer, max(1, repeat // 2))
        med, low = median_time(lambda: media.render_frame(hour, 30_000, size=size), repeat)
        row("frame at 30 s, 1080p, no video", med, low, "–",
            f"rendering the 750 frames up to it (output seek): {peer:.2f} s, {peer / med:.1f}x slower")
        video = work / "video.mp4"
        ffmpeg("-f", "lavfi", "-i", f"testsrc2=s=1920x1080:r=25:d={options.burn_seconds}",
               "-f", "lavfi", "-i", f"sine=f=440:r=48000:d={options.burn_seconds}",
               "-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-pix_fmt", "yuv420p", "-c:a", "aac",
               "-shortest", str(video))
        at = options.burn_seconds * 1000 * 3 // 4
        med, low = median_time(lambda: media.render_frame(hour, at, video=video), repeat)
        row(f"frame at {at / 1000:g} s of a 1080p video", med, low, "≤ 0.5 s", "–")

        # ---------------------------------------------------------------- sheets
        med, low = median_time(lambda: media.contact_sheet(hour, size=size), repeat)
        row("4x4 sheet (busiest moments of 1000 cues), 1080p frames", med, low, "≤ 1 s", "–")
        # Captions over the whole video, so that the sixteen even moments spread over all of it.
        short = document(2 * options.burn_seconds, 500)
        moments = media.choose_moments(short, 16, "even")
        sheet_script = work / "short.ass"
        sheet_script.write_text(media.ass_script(short, size=size).text, encoding="utf-8")
        picks = "+".join(f"eq(n,{-(-ms // 40)})" for ms in moments)  # the first frame at or after each moment

        def sheet_peer() -> None:
            subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-i", str(video), "-vf",
                            f"select='{picks}',ass=filename=short.ass,scale=480:270,tile=4x4:padding=4:margin=4",
                            "-frames:v", "1", "-an", "-f", "image2pipe", "-c:v", "png", "pipe:1"], check=True,
                           capture_output=True, cwd=folder)

        peer, _ = median_time(sheet_peer, repeat)
        peer_cpu = LAST_CPU[0]
        med, low = median_time(lambda: media.contact_sheet(short, video=video, moments="even"), repeat)
        row(f"4x4 sheet over a {options.burn_seconds} s 1080p video (2 s keyframe interval)", med, low, "≤ 1 s",
            f"one pass decoding up to the last moment, selecting 16 frames (no labels): {peer:.2f} s, "
            f"{peer_cpu:.2f} CPU s")

        # ---------------------------------------------------------------- burn
        burn_doc = document(options.burn_seconds, 1000)
        out = work / "burnt.mp4"
        peer, _ = median_time(lambda: ffmpeg("-i", str(video), "-c:v", "libx264", "-preset", "ultrafast",
                                             "-pix_fmt", "yuv420p", "-c:a", "copy", str(work / "plain.mp4")),
                              max(1, repeat // 2))
        peer_cpu = LAST_CPU[0]
        med, low = median_time(lambda: media.burn(video, burn_doc, out, preset="ultrafast"), max(1, repeat // 2))
        per_second = LAST_CPU[0] / options.burn_seconds
        row(f"burn {options.burn_seconds} s of 1080p, x264 ultrafast, audio copied", med, low, "≥ 1x real time",
            f"{options.burn_seconds / med:.2f}x real time as measured; {per_second:.3f} CPU s per second of video, "
            f"so {2 / per_second:.1f}x real time on two idle cores at most; plain re-encode without captions "
            f"{peer:.2f} s ({peer_cpu / options.burn_seconds:.3f} CPU s per second of video)", digits=2)

        # ---------------------------------------------------------------- mux / extract
        small = work / "small.mp4"
        ffmpeg("-f", "lavfi", "-i", "testsrc=s=320x180:r=25:d=10", "-f", "lavfi", "-i", "sine=r=16000:d=10",
               "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", str(small))
        srt = subkit.loads(subkit.dumps(document(500, 2000, prefix="en"), "srt"), format="srt")
        ass = subkit.loads(subkit.dumps(document(500, 2000, prefix="fr"), "ass"), format="ass")
        vtt = subkit.loads(subkit.dumps(document(500, 2000, prefix="es"), "webvtt"), format="webvtt")
        files = []
        for name, doc, fmt in (("en.srt", srt, "srt"), ("fr.ass", ass, "ass"), ("es.vtt", vtt, "webvtt")):
            path = work / name
            path.write_text(str(subkit.dumps(doc, fmt)), encoding="utf-8")
            files.append(path)
        inputs = [SubtitleInput(srt, language="en"), SubtitleInput(ass, language="fr"),
                  SubtitleInput(vtt, language="es")]
        for suffix in ("mkv", "mp4"):
            target = work / f"muxed.{suffix}"

            def plain_mux(target: Path = target, suffix: str = suffix) -> None:
                args = ["-i", str(small)]
                for path in files:
                    args += ["-i", str(path)]
                args += ["-map", "0", "-map", "1", "-map", "2", "-map", "3", "-c", "copy"]
                if suffix == "mp4":
                    args += ["-c:s", "mov_text"]
                ffmpeg(*args, str(work / f"plain.{suffix}"))

            peer, _ = median_time(plain_mux, repeat)
            med, low = median_time(partial(media.mux, small, inputs, target), repeat)
            row(f"mux 3 tracks × 500 cues into {suffix.upper()}, verified", med, low, "≤ 1 s",
                f"{med / peer:.1f}x plain ffmpeg without verification ({peer:.2f} s)")

            def plain_extract(target: Path = target, suffix: str = suffix) -> None:
                args = ["-i", str(target)]
                for number, muxer in enumerate(("srt", "ass", "webvtt") if suffix == "mkv" else ("srt",) * 3):
                    args += ["-map", f"0:{number + 2}", "-f", muxer, str(work / f"x{number}.{muxer}")]
                ffmpeg(*args)

            peer, _ = median_time(plain_extract, repeat)
            med, low = median_time(partial(media.extract_all, target), repeat)
            back = media.extract_all(target)
            exact = total = 0
            for (_track, got), want in zip(back, (srt, ass, vtt), strict=True):
                pairs = list(zip(sorted((c.start_ms, c.end_ms) for c in got), sorted((c.start_ms, c.end_ms)
                                                                                       for c in want), strict=True))
                exact += sum(a == b for a, b in pairs)
                total += len(pairs)
            row(f"extract 3 tracks from {suffix.upper()} into documents", med, low, "≤ 1 s",
                f"{med / peer:.1f}x plain ffmpeg to files ({peer:.2f} s); times equal to the ms: {exact}/{total}")

    version = subprocess.run(["ffmpeg", "-version"], capture_output=True, text=True).stdout.split("\n")[0]
    lines = [
        BEGIN,
        "",
        f"### Media (`python bench/media.py --repeat {repeat} --burn-seconds {options.burn_seconds}`)",
        "",
        f"{platform.python_implementation()} {platform.python_version()}, {version.split(' Copyright')[0]}, "
        f"{os.cpu_count()} cores (shared with other work while measured).",
        "",
        "| task | median s | min s | CPU s | target | against plain ffmpeg |",
        "|---|---:|---:|---:|---|---|",
        *[f"| {task} | {med} | {low} | {cpu} | {target} | {peer} |" for task, med, low, cpu, target, peer in rows],
        "",
        "*CPU s*: processor time of subkit and the ffmpeg processes it ran (median); on a shared machine it says "
        "more than wall time, which includes waiting for the cores.",
        "",
        END,
    ]
    block = "\n".join(lines) + "\n"
    if options.markdown is None:
        print(block, end="")
        return 0
    text = options.markdown.read_text(encoding="utf-8") if options.markdown.exists() else ""
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + block + text[text.index(END) + len(END) + 1:]
    else:
        text = text.rstrip("\n") + "\n\n" + block
    options.markdown.write_text(text, encoding="utf-8")
    print(block, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
