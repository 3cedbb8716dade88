"""One very large file: load and convert time and whole-process peak memory, subkit against srt and pysubs2.

Each measurement runs in a fresh Python process, so the peak resident set
size (``ru_maxrss``) is that of one load (or one conversion) and nothing else:
the whole process, interpreter and imports included; the time is taken inside
the child around the call (imports excluded). The inputs are the seeded files
of ``bench/generate.py`` at ``--cues`` cues (1,000,000 by default: about 89 MB
of SRT), the WebVTT file of the same cues, and an ASS file subkit writes from
the SRT one. The conversions are SRT to WebVTT, WebVTT to SRT and ASS to SRT;
subkit's go through ``subkit convert`` (the command, in the child process).
Rows print as a Markdown table, with the peak as a multiple of the input size.

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

#: The conversions: operation -> (input kind, output suffix).
CONVERSIONS: dict[str, tuple[str, str]] = {
    "load": ("srt", ""),
    "srt→vtt": ("srt", "vtt"),
    "vtt→srt": ("vtt", "srt"),
    "ass→srt": ("ass", "srt"),
}

_SUBKIT_CONVERT = (
    "import subkit.cli\nt0 = clock()\n"
    "subkit.cli.cli.main(['convert', IN, OUT, '-q'], standalone_mode=False)\nn = -1"
)
_PYSUBS2_CONVERT = "import pysubs2\nt0 = clock()\nsubs = pysubs2.load(IN)\nsubs.save(OUT)\nn = len(subs)"

#: (library, operation) -> child code; ``IN`` and ``OUT`` are the input and output paths. srt has no
#: WebVTT or ASS reader or writer: its convert row is SRT to SRT.
CASES: dict[tuple[str, str], str] = {
    ("subkit", "load"): "import subkit\nt0 = clock()\ndoc = subkit.load(IN)\nn = len(doc.cues)",
    ("subkit", "srt→vtt"): _SUBKIT_CONVERT,
    ("subkit", "vtt→srt"): _SUBKIT_CONVERT,
    ("subkit", "ass→srt"): _SUBKIT_CONVERT,
    ("srt", "load"): "import srt\nt0 = clock()\nsubs = list(srt.parse(open(IN, encoding='utf-8').read()))\n"
                     "n = len(subs)",
    ("srt", "srt→srt"): (
        "import srt\nt0 = clock()\nsubs = list(srt.parse(open(IN, encoding='utf-8').read()))\n"
        "open(OUT, 'w', encoding='utf-8').write(srt.compose(subs, reindex=False))\nn = len(subs)"
    ),
    ("pysubs2", "load"): "import pysubs2\nt0 = clock()\nsubs = pysubs2.load(IN)\nn = len(subs)",
    ("pysubs2", "srt→vtt"): _PYSUBS2_CONVERT,
    ("pysubs2", "vtt→srt"): _PYSUBS2_CONVERT,
    ("pysubs2", "ass→srt"): _PYSUBS2_CONVERT,
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


def _inputs(folder: Path, cues: int) -> dict[str, Path]:
    """The SRT, WebVTT and ASS files of ``cues`` cues in ``folder``, generated when missing."""
    srt_file, vtt_file, ass_file = (folder / f"real-{cues}.{ext}" for ext in ("srt", "vtt", "ass"))
    if not (srt_file.exists() and vtt_file.exists()):
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--sizes", str(cues), "--out", str(folder)],
                       check=True, capture_output=True)
    if not ass_file.exists():
        subprocess.run([sys.executable, "-m", "subkit", "convert", str(srt_file), str(ass_file), "-q"], check=True,
                       capture_output=True)
    return {"srt": srt_file, "vtt": vtt_file, "ass": ass_file}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--cues", type=int, default=1_000_000)
    parser.add_argument("--libs", default="subkit,srt,pysubs2")
    parser.add_argument("--ops", default=",".join(CONVERSIONS), help="operations, comma-separated")
    parser.add_argument("--data", type=Path, help="keep the generated files in this folder")
    args = parser.parse_args(argv)
    folder = args.data or Path(tempfile.mkdtemp(prefix="subkit-big-"))
    folder.mkdir(parents=True, exist_ok=True)
    inputs = _inputs(folder, args.cues)
    sizes = {kind: path.stat().st_size for kind, path in inputs.items()}
    print(f"### One {args.cues:,}-cue file (SRT {sizes['srt'] / 2**20:.0f} MiB, WebVTT {sizes['vtt'] / 2**20:.0f} MiB, "
          f"ASS {sizes['ass'] / 2**20:.0f} MiB): time and whole-process peak RSS\n")
    print("| library | operation | time (s) | peak RSS (MiB) | peak / input |")
    print("|---|---|---:|---:|---:|")
    for library in args.libs.split(","):
        for operation in args.ops.split(","):
            kind, suffix = CONVERSIONS[operation]
            case = operation
            if library == "srt" and operation != "load":
                if kind != "srt":
                    continue
                case, suffix = "srt→srt", "srt"
            if (library, case) not in CASES:
                continue
            source = inputs[kind]
            result = measure(library, case, source, folder / f"out-{library}.{suffix or 'none'}")
            if isinstance(result, str):
                print(f"| {library} | {case} | failed: {result} | | |")
                continue
            peak = result["peak_kib"] * 1024
            print(f"| {library} | {case} | {result['seconds']:.1f} | {peak / 2**20:.0f} | "
                  f"{peak / sizes[kind]:.1f}× |", flush=True)
    print("\n*peak / input*: the peak over the size of that row's input file. Each row is one fresh process.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
