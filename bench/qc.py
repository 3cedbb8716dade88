"""Time delivery QC: check, fix and the reports on a generated programme with planted problems.

    python bench/qc.py [--cues 1000] [--repeat 7]

No Python library checks delivery specs, so there is no peer row; the whole `subkit lint` process is timed
too. Prints one Markdown table (median and minimum, in ms of CPU time for the in-process steps, so that a
loaded machine does not inflate them; wall time for the process). Nothing here is asserted anywhere.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import subkit
from subkit.model import Cue, Document, content_from_text
from subkit.qc import check, fix, report_csv, report_html, report_text

WORDS = ("we", "never", "said", "that", "the", "door", "was", "open", "tonight", "maybe", "you", "should", "go",
         "...", "3", "well", "right", "(sighs)", "JOHN:", "l'm", "fine")


def programme(cues: int, seed: int = 7) -> Document:
    """A programme with every kind of planted problem at realistic rates."""
    rng = random.Random(seed)
    result = []
    at = 1000
    for _ in range(cues):
        words = [rng.choice(WORDS) for _ in range(rng.randint(2, 14))]
        text = " ".join(words)
        if len(text) > 40 and rng.random() < 0.8:
            cut = len(words) // 2
            text = " ".join(words[:cut]) + "\n" + " ".join(words[cut:])
        length = rng.choice((500, 1200, 2000, 3000, 4500, 8000))
        result.append(Cue(start_ms=at, end_ms=at + length, content=content_from_text(text)))
        at += length + rng.choice((0, 40, 84, 250, 1000))
    return Document(cues=tuple(result))


def timed(function: object, repeat: int, clock: object = time.process_time) -> tuple[float, float]:
    """Median and minimum in ms of ``repeat`` calls after one warm-up, on ``clock`` (CPU time by default)."""
    function()  # type: ignore[operator]
    samples = []
    for _ in range(repeat):
        began = clock()  # type: ignore[operator]
        function()  # type: ignore[operator]
        samples.append((clock() - began) * 1000)  # type: ignore[operator]
    return statistics.median(samples), min(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cues", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    doc = programme(args.cues)
    report = check(doc, "netflix-en")
    rows = [
        ("check, netflix-en", lambda: check(doc, "netflix-en")),
        ("check, all rules", lambda: check(doc, "netflix-en", shot_changes=list(range(0, doc.duration_ms, 4000)))),
        ("fix, netflix-en", lambda: fix(doc, "netflix-en")),
        ("text report", lambda: report_text(report, "bench.srt")),
        ("CSV report", lambda: report_csv([("bench.srt", report)])),
        ("HTML report", lambda: report_html([("bench.srt", report)])),
    ]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.srt"
        path.write_text(subkit.dumps(doc, "srt"), encoding="utf-8")
        html = Path(folder) / "report.html"
        command = [sys.executable, "-m", "subkit", "lint", str(path), "-p", "netflix-en", "-q", "--html", str(html)]
        whole = ("whole `subkit lint --html` process (wall)", lambda: subprocess.run(command, capture_output=True))
        print(f"{args.cues} cues, {len(report.findings)} findings with netflix-en, {args.repeat} samples\n")
        print("| step | median ms | min ms |")
        print("|---|---|---|")
        for name, function in rows:
            median, least = timed(function, args.repeat)
            print(f"| {name} (CPU) | {median:.1f} | {least:.1f} |")
        median, least = timed(whole[1], args.repeat, time.perf_counter)
        print(f"| {whole[0]} | {median:.1f} | {least:.1f} |")


if __name__ == "__main__":
    main()
