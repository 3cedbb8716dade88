"""One very large SRT file: load and convert time and whole-process peak memory, subkit against srt and pysubs2.

Each measurement runs in a fresh Python process, so the peak resident set
size (``ru_maxrss``) is that of one load (or one conversion) and nothing else;
the time is taken inside the child around the call (imports excluded). The
input is the seeded file of ``bench/generate.py`` at ``--cues`` cues
(1,000,000 by default: about 89 MB). Rows print as a Markdown table, with
the peak as a multiple of the input size.

    python bench/big.py                      # 1M cues, every library
    python bench/big.py --cues 200000 --libs subkit,srt
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: (library, operation) -> child code; ``IN`` and ``OUT`` are the input and output paths.
CASES: dict[tuple[str, str], str] = {
    ("subkit", "load"): "import subkit\nt0 = clock()\ndoc = subkit.load(IN)\nn = len(doc.cues)",
    ("subkit", "convert"): (
        "import subkit.cli\nfrom click.testing import CliRunner\nt0 = clock()\n"
        "subkit.cli.cli.main(['convert', IN, OUT], standalone_mode=False)\nn = -1"
    ),
    ("srt", "load"): "import srt\nt0 = clock()\nsubs = list(srt.parse(open(IN, encoding='utf-8').read()))\n"
                     "n = len(subs)",
    ("srt", "convert"): (
        "import srt\nt0 = clock()\nsubs = list(srt.parse(open(IN, encoding='utf-8').read()))\n"
        "open(OUT, 'w', encoding='utf-8').write(srt.compose(subs, reindex=False))\nn = len(subs)"
    ),
    ("pysubs2", "load"): "import pysubs2\nt0 = clock()\nsubs = pysubs2.load(IN)\nn = len(subs)",
    ("pysubs2", "convert"): "import pysubs2\nt0 = clock()\nsubs = pysubs2.load(IN)\nsubs.save(OUT)\nn = len(subs)",
}

CHILD = """
import json, resource, sys, time
clock = time.perf_counter
IN, OUT = sys.argv[1], sys.argv[2]
{code}
elapsed = clock() - t0
print(json.dumps({{"seconds": elapsed, "cues": n, "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}}))
"""


def measure(library: str, operation: str, source: Path, target: Path) -> dict[str, float] | str:
    """One fresh process running one case: its time, cue count and peak RSS, or why it failed."""
    code = CHILD.format(code=CASES[(library, operation)])
    done = subprocess.run([sys.executable, "-c", code, str(source), str(target)], capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        return (done.stderr.strip().splitlines() or ["failed"])[-1][:80]
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--cues", type=int, default=1_000_000)
    parser.add_argument("--libs", default="subkit,srt,pysubs2")
    parser.add_argument("--data", type=Path, help="keep the generated file in this folder")
    args = parser.parse_args(argv)
    folder = args.data or Path(tempfile.mkdtemp(prefix="subkit-big-"))
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / f"cues-{args.cues}.srt"
    if not source.exists():
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--sizes", str(args.cues), "--out", str(folder)],
                       check=True, capture_output=True)
    size = source.stat().st_size
    print(f"### One {args.cues:,}-cue SRT file ({size / 2**20:.0f} MiB): time and whole-process peak RSS\n")
    print("| library | operation | time (s) | peak RSS (MiB) | peak / input |")
    print("|---|---|---:|---:|---:|")
    for library in args.libs.split(","):
        for operation in ("load", "convert"):
            suffix = "vtt" if library != "srt" else "srt"
            result = measure(library, operation, source, folder / f"out-{library}.{suffix}")
            if isinstance(result, str):
                print(f"| {library} | {operation} | failed: {result} | | |")
                continue
            peak = result["peak_kib"] * 1024
            print(f"| {library} | {operation} | {result['seconds']:.1f} | {peak / 2**20:.0f} | "
                  f"{peak / size:.1f}× |", flush=True)
    print("\n*convert*: SRT to WebVTT (srt has no WebVTT writer: SRT to SRT). Each row is one fresh process.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
