"""Time CMAF packaging of a subtitle track: subkit against shaka-packager, in one run.

Usage::

    python bench/mp4.py [--source FILE.vtt] [--repeat 5] [--markdown docs/perf.md]

The source is the 1,847-cue ``pycaption/examples/example.vtt`` of the shared
corpus when it is there (``../shared/corpus``), else a generated WebVTT file
with as many cues. Rows:

* **package**: init segment + 6-second media segments + HLS media and master
  playlists + DASH MPD, built in memory and written into an empty folder
  (without forcing the data to disk, as shaka-packager does not either), for
  ``wvtt`` and ``stpp``;
* **read back**: ``subkit.load`` of the MPD just written (every segment read
  and joined);
* **shaka-packager**: the same source packaged by the binary from the npm
  package ``shaka-packager`` (``tests/judges/node_modules``) into init +
  6-second segments + MPD + HLS playlists, ``format=mp4`` (wvtt) and
  ``format=ttml+mp4`` (stpp); skipped when it is not installed;
* **read shaka's**: ``subkit.load`` of shaka-packager's MPD.

It also checks the cues: what subkit reads back must equal the source read
through the native format (WebVTT for wvtt, TTML for stpp), and what it
reads of shaka's output is compared with the source the way
``tests/formats/test_mp4_shaka.py`` does.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import subkit  # noqa: E402
from subkit import _io  # noqa: E402
from subkit.model import Cue, Document  # noqa: E402
from subkit.ops import package  # noqa: E402
from tests.formats.test_mp4_shaka import (  # noqa: E402
    PACKAGER,
    agreement,
    merge_touching,
    package_with_shaka,
    stpp_view,
    wvtt_view,
)

CORPUS_SOURCE = ROOT.parent / "shared" / "corpus" / "pycaption" / "examples" / "example.vtt"
START, END = "<!-- bench-mp4:start -->", "<!-- bench-mp4:end -->"


def _generated(folder: Path, count: int = 1847) -> Path:
    lines = ["WEBVTT", ""]
    for i in range(count):
        start = i * 3500 + (i % 7) * 100
        end = start + 2000 + (i % 5) * 300
        lines += [f"{_vtt(start)} --> {_vtt(end)}", f"Line {i} of the generated file", f"second row {i % 13}", ""]
    path = folder / "generated.vtt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _vtt(ms: int) -> str:
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def _median(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    run()  # warm-up
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        run()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples), min(samples)


_FOLDERS: dict[str, int] = {}


def _new_folder(work: Path, stem: str) -> Path:
    # A new folder per run: removing the previous run's thousand files is not part of the timing.
    _FOLDERS[stem] = _FOLDERS.get(stem, 0) + 1
    return work / f"{stem}-{_FOLDERS[stem]}"


def _sorted_cues(doc: Document) -> list[Cue]:
    return sorted(doc.cues, key=lambda c: (c.start_ms, c.end_ms, repr(c)))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print (or write) the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, help="a WebVTT file (default: the corpus file or a generated one)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--markdown", type=Path, help="write the table into this file between its markers")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    with tempfile.TemporaryDirectory(prefix="subkit-bench-mp4-") as tmp:
        work = Path(tmp)
        source = args.source or (CORPUS_SOURCE if CORPUS_SOURCE.is_file() else _generated(work))
        doc = subkit.load(source)
        shaka = PACKAGER.is_file() and platform.system() == "Linux" and platform.machine() in ("x86_64", "AMD64")
        rows: list[tuple[str, str, float, float]] = []
        checks: list[str] = []
        for codec, native in (("wvtt", "webvtt"), ("stpp", "ttml")):
            def build_only(codec: str = codec) -> int:
                return len(package(doc, 6, container="fmp4", codec=codec, manifest="both", language="en").files)

            median, best = _median(build_only, args.repeat)
            rows.append((f"subkit package ({codec}), in memory", f"{build_only()} files", median, best))

            def build(codec: str = codec) -> Path:
                out = _new_folder(work, f"subkit-{codec}")
                built = package(doc, 6, container="fmp4", codec=codec, manifest="both", language="en")
                _io.write_files(out, [(f.name, f.data) for f in built.files], durable=False)
                return out

            median, best = _median(build, args.repeat)
            out = build()
            files = len(list(out.iterdir()))
            rows.append((f"subkit package ({codec}), files written", f"{files} files", median, best))
            mpd = out / "manifest.mpd"
            median, best = _median(lambda: subkit.load(mpd), args.repeat)  # noqa: B023 - called right here
            rows.append((f"subkit read back ({codec}, via the MPD)", f"{len(doc.cues)} cues", median, best))
            expected = subkit.loads(subkit.dumps(doc, native), format=native)
            back = subkit.load(mpd)
            same = sum(a == b for a, b in zip(_sorted_cues(back), _sorted_cues(expected), strict=False))
            checks.append(f"subkit {codec} round trip: {same} of {len(expected.cues)} cues identical "
                          f"({len(back.cues)} read)")
            if shaka:
                def run_shaka(codec: str = codec) -> Path:
                    target = _new_folder(work, f"shaka-{codec}")
                    return package_with_shaka(source.resolve(), target, ttml=codec == "stpp")

                median, best = _median(run_shaka, args.repeat)
                shaka_mpd = run_shaka()
                count = len(list(shaka_mpd.parent.glob("seg_*.m4s")))
                rows.append((f"shaka-packager ({'mp4' if codec == 'wvtt' else 'ttml+mp4'})",
                             f"{count + 4} files", median, best))
                median, best = _median(lambda: subkit.load(shaka_mpd), args.repeat)  # noqa: B023
                rows.append((f"subkit read of shaka's ({codec})", f"{len(doc.cues)} cues", median, best))
                read = subkit.load(shaka_mpd)
                if codec == "wvtt":
                    merged = merge_touching(doc)
                    ok, total = agreement(merged, read, wvtt_view)
                    raw_ok, raw_total = agreement(doc, read, wvtt_view)
                    checks.append(f"shaka wvtt read: {ok} of {total} cues agree once back-to-back identical cues "
                                  f"are joined (shaka writes them as one); {raw_ok} of {raw_total} without joining")
                else:
                    ok, total = agreement(doc, read, stpp_view)
                    checks.append(f"shaka stpp read: {ok} of {total} cues agree (times and tag-free text)")
        lines = [
            START,
            "",
            f"### CMAF packaging: {source.name}, {len(doc.cues)} cues, 6 s segments (median of {args.repeat})",
            "",
            "| run | output | median s | min s |",
            "|---|---|---:|---:|",
            *(f"| {name} | {what} | {median:.3f} | {best:.3f} |" for name, what, median, best in rows),
            "",
            *(f"- {check}" for check in checks),
            "",
            "Package = init + media segments + HLS media and master playlists + DASH MPD, built in memory, then "
            "also written to a new folder (`write_files(..., durable=False)`; the CLI also syncs the data to disk "
            "once). shaka-packager writes the same set of files into a new folder; its times include its process "
            "start. Times on a shared 2-core machine; `python bench/mp4.py --markdown docs/perf.md` regenerates "
            "this table.",
            "",
            END,
        ]
    table = "\n".join(lines) + "\n"
    if args.markdown:
        text = args.markdown.read_text(encoding="utf-8") if args.markdown.exists() else ""
        if START in text and END in text:
            head, rest = text.split(START, 1)
            text = head + table.rstrip("\n") + rest.split(END, 1)[1]
        else:
            text = text.rstrip("\n") + "\n\n" + table
        args.markdown.write_text(text, encoding="utf-8")
    print(table, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
