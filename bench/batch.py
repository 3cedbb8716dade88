"""Throughput of ``subkit.batch.run``: files per second by engine and jobs, and a synthetic archive.

Usage::

    python bench/batch.py [--corpus ../shared/corpus] [--to webvtt] [--archive 20000] [--engines process,dask,ray]
                          [--jobs 1,2] [--repeat 2] [--results bench/results/batch.json]

Rows:

* ``in-process``: one loop in this process (``engine="inline"``): the cost of the conversions alone, the
  ceiling a worker can approach.
* ``process`` with 1 and 2 jobs: the default local pool, start-up and journal included.
* ``dask`` and ``ray`` on a local cluster of 2 workers bound to 127.0.0.1; their cold start (a run of one
  file: cluster up, one task, cluster down) is measured on its own and stated, as is the run without it.
* ``process per file``: ``python -m subkit convert`` once per file on a sample (what ``find -exec`` costs).
* the synthetic archive: ``--archive N`` small generated files (3 cues each, SRT) through the process pool with
  2 jobs, and the time a million such files would take at that rate.

Every run writes into a fresh temporary folder with a journal, as ``subkit batch`` does. Nothing here asserts a
time; run it on a quiet machine (every figure competes with whatever else runs).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import subkit  # noqa: E402
from subkit import batch  # noqa: E402


def corpus_files(corpus: Path) -> list[Path]:
    """The corpus files whose index label names a format subkit reads."""
    names = set(subkit.formats.names())
    chosen = []
    for row in (corpus / "index.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        path, label = row.split("\t")[:2]
        if label.split(" ")[0].replace("-", "_") in names:
            chosen.append(corpus / path)
    return chosen


def tasks_for(files: list[Path], out: Path, to: str) -> list[batch.Task]:
    ext = subkit.formats.get(to).extensions[0]
    return [batch.Task(str(p), str(out / f"{i:07d}{ext}"), to) for i, p in enumerate(files)]


def archive_tasks(files: list[Path], out: Path, to: str) -> list[batch.Task]:
    """Tasks that keep the archive's folders of 1,000 (one output folder per input folder)."""
    ext = subkit.formats.get(to).extensions[0]
    return [batch.Task(str(p), str(out / p.parent.name / (p.stem + ext)), to) for p in files]


def progress_printer(total: int, every: int) -> Any:
    """A ``progress`` callback printing the count, the rate and the load every ``every`` files."""
    started = time.perf_counter()

    def report(result: batch.FileResult, done: int, total_: int) -> None:
        if done % every == 0 or done == total:
            wall = time.perf_counter() - started
            load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
            print(f"  {done:>9,} of {total:,} files in {wall:7.1f} s: {done / wall:6.0f} files/s, load {load:.1f}",
                  file=sys.stderr, flush=True)

    return report


def cpu_seconds() -> float:
    """CPU time (user and system) of this process and of its ended children so far.

    Files per CPU second is what one core does when nothing else runs on it: on a loaded machine
    the wall time says how much of the cores the run got, the CPU time what it needed.
    """
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peak_rss_mib() -> dict[str, float]:
    """Peak resident memory of this process and of its largest child so far (MiB; Linux reports KiB)."""
    import resource

    return {"parent": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "largest_worker": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def timed_run(files: list[Path], to: str, *, make_tasks: Any = None, **kwargs: Any) -> dict[str, Any]:
    """One batch run into a fresh folder; its wall time and counts."""
    folder = Path(tempfile.mkdtemp(prefix="subkit-bench-batch-"))
    try:
        tasks = (make_tasks or tasks_for)(files, folder / "out", to)
        before = cpu_seconds()
        started = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            summary = batch.run(tasks, journal=folder / "out" / batch.JOURNAL_NAME, **kwargs)
        wall = time.perf_counter() - started
        cpu = cpu_seconds() - before
        row = {"wall": wall, "files": len(tasks), "converted": summary.converted, "failed": len(summary.failed),
               "files_per_second": len(tasks) / wall, "cpu_seconds": cpu,
               "files_per_cpu_second": len(tasks) / cpu if cpu > 0 else None,
               "slowest": sorted(((r.seconds, Path(r.input).name) for r in summary.results), reverse=True)[:3]}
        # Said before the clean-up: removing a million small files takes longer than writing them.
        print(f"  run: {row['converted']:,} converted, {row['failed']:,} failed of {row['files']:,} in {wall:.1f} s "
              f"({row['files_per_second']:.0f} files/s, {cpu:.0f} CPU s)", file=sys.stderr, flush=True)
        return row
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def per_file_processes(files: list[Path], to: str, sample: int) -> dict[str, Any]:
    """``python -m subkit convert`` once per file, on the first ``sample`` files."""
    folder = Path(tempfile.mkdtemp(prefix="subkit-bench-exec-"))
    ext = subkit.formats.get(to).extensions[0]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    try:
        started = time.perf_counter()
        for i, path in enumerate(files[:sample]):
            subprocess.run([sys.executable, "-m", "subkit", "convert", "-q", str(path), str(folder / f"{i}{ext}")],
                           capture_output=True, env=env, check=False)
        wall = time.perf_counter() - started
        return {"wall": wall, "files": sample, "files_per_second": sample / wall}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def archive(folder: Path, count: int, seed: int = 18) -> list[Path]:
    """``count`` small SRT files (3 cues each) in folders of 1,000."""
    chance = random.Random(seed)
    words = ["the", "a", "caption", "archive", "station", "evening", "news", "weather", "report", "tonight",
             "morning", "city"]
    files = []
    for i in range(count):
        path = folder / f"{i // 1000:04d}" / f"item{i:07d}.srt"
        if i % 1000 == 0:
            path.parent.mkdir(parents=True, exist_ok=True)
        start = chance.randint(0, 3000)
        blocks = []
        for n in range(3):
            s, e = start + n * 3, start + n * 3 + 2
            line = " ".join(chance.choice(words) for _ in range(6))
            blocks.append(f"{n + 1}\n{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d},000 --> "
                          f"{e // 3600:02d}:{e // 60 % 60:02d}:{e % 60:02d},500\n{line}\n")
        path.write_text("\n".join(blocks), encoding="utf-8")
        files.append(path)
    return files


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--to", default="webvtt")
    parser.add_argument("--jobs", default="1,2")
    parser.add_argument("--engines", default="process,dask,ray")
    parser.add_argument("--archive", type=int, default=20000, help="synthetic files (0: none)")
    parser.add_argument("--archive-jobs", type=int, default=2, help="worker processes for the archive")
    parser.add_argument("--repeat", type=int, default=2, help="rounds; the best of each row is reported")
    parser.add_argument("--exec-sample", type=int, default=20, help="files run as one process each")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results" / "batch.json")
    args = parser.parse_args(argv)
    results: dict[str, Any] = {"machine": {"python": platform.python_version(), "cores": batch.default_jobs(),
                                           "load": os.getloadavg() if hasattr(os, "getloadavg") else None}}
    rows: list[tuple[str, dict[str, Any]]] = []
    engines = args.engines.split(",")
    if (args.corpus / "index.tsv").is_file():
        files = corpus_files(args.corpus)
        best: dict[str, dict[str, Any]] = {}

        def keep(name: str, row: dict[str, Any]) -> None:
            if name not in best or row["wall"] < best[name]["wall"]:
                best[name] = row

        # Rounds: each round runs every row once, so a burst of load hits them alike; the best round counts.
        for _ in range(args.repeat):
            keep("in-process (inline), 1 core", timed_run(files, args.to, engine="inline"))
            for jobs in (int(j) for j in args.jobs.split(",")):
                keep(f"process pool, {jobs} job{'s' if jobs > 1 else ''}",
                     timed_run(files, args.to, engine="process", jobs=jobs))
            for engine, module in (("dask", "distributed"), ("ray", "ray")):
                if engine not in engines or importlib.util.find_spec(module) is None:
                    continue
                cold = timed_run(files[:1], args.to, engine=engine, jobs=2)
                row = timed_run(files, args.to, engine=engine, jobs=2)
                row["cold_start"] = cold["wall"]
                row["files_per_second_warm"] = len(files) / max(row["wall"] - cold["wall"], 1e-9)
                keep(f"{engine}, local cluster of 2", row)
        rows.extend(best.items())
        if args.exec_sample:
            rows.append(("process per file (python -m subkit convert)",
                         per_file_processes(files, args.to, args.exec_sample)))
    results["corpus"] = dict(rows)
    print(f"corpus mix -> {args.to}, {batch.default_jobs()} cores, load {results['machine']['load']}\n")
    print("| run | files | converted | wall s | files/s | files per CPU second | notes |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for name, row in rows:
        notes = ""
        if "cold_start" in row:
            notes = (f"cold start {row['cold_start']:.1f} s; without it {row['files_per_second_warm']:.0f} files/s")
        if row.get("slowest"):
            notes += ("; " if notes else "") + "slowest: " + ", ".join(
                f"{n} {s:.2f} s" for s, n in row["slowest"][:2])
        per_cpu = row.get("files_per_cpu_second")
        print(f"| {name} | {row['files']} | {row.get('converted', row['files'])} | {row['wall']:.2f} | "
              f"{row['files_per_second']:.0f} | {f'{per_cpu:.0f}' if per_cpu else '-'} | {notes} |")
    if args.archive:
        folder = Path(tempfile.mkdtemp(prefix="subkit-bench-archive-"))
        try:
            started = time.perf_counter()
            files = archive(folder / "in", args.archive)
            generated = time.perf_counter() - started
            load = os.getloadavg() if hasattr(os, "getloadavg") else None
            row = timed_run(files, "webvtt", make_tasks=archive_tasks, engine="process", jobs=args.archive_jobs,
                            progress=progress_printer(len(files), max(1000, len(files) // 20)))
            row.update(generate_seconds=generated, load_before=load, peak_rss_mib=peak_rss_mib(),
                       load_after=os.getloadavg() if hasattr(os, "getloadavg") else None)
            results["archive"] = row
            rate = row["files_per_second"]
            print(f"\nsynthetic archive: {row['files']} files (generated in {generated:.1f} s), "
                  f"{row['converted']} converted in {row['wall']:.1f} s = {rate:.0f} files/s with "
                  f"{args.archive_jobs} jobs; {row['files_per_cpu_second']:.0f} files per CPU second; "
                  f"1,000,000 files at that rate: {1_000_000 / rate / 60:.0f} min; "
                  f"peak RSS {row['peak_rss_mib']['parent']:.0f} MiB (parent), "
                  f"{row['peak_rss_mib']['largest_worker']:.0f} MiB (largest worker); load {load} -> "
                  f"{row['load_after']}")
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
