"""Archive-scale conversion: many files through one pipeline, resumable, limited, on one machine or a cluster.

:func:`run` drives every engine: a local pool of worker processes (the
default), Dask or Ray. It converts each :class:`Task` (from :func:`plan` for
files and folders, or :func:`read_manifest`), runs the job's steps on it,
writes the output atomically and journals the outcome in an append-only JSON
Lines :class:`Journal`, so a run killed at any moment resumes where it stopped:
an output whose ``done`` event is in the journal, whose input has not changed
(size, modification time, else content hash) and whose output is there is
skipped; everything else is done again. Nothing here imports click, and Dask
or Ray load only when their engine is asked for.

>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "a.srt").write_text("1\\n00:00:01,000 --> 00:00:02,000\\nHi\\n", encoding="utf-8")
>>> tasks = plan([folder / "a.srt"], out_dir=folder / "out", to_format="webvtt")
>>> summary = run(tasks, jobs=1, engine="inline")
>>> summary.converted, (folder / "out" / "a.vtt").read_text(encoding="utf-8").startswith("WEBVTT")
(1, True)
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from subkit.batch import _engines, _work
from subkit.batch._engines import ENGINES
from subkit.batch._journal import Journal
from subkit.batch._plan import (
    DEFAULT_TEMPLATE,
    TEMPLATE_FIELDS,
    Task,
    check_collisions,
    name_output,
    plan,
    read_manifest,
)
from subkit.batch._work import CONVERTED, FAILED, SKIPPED, FileResult, Job, remove_temporaries
from subkit.errors import ConfigError

__all__ = [
    "DEFAULT_TEMPLATE",
    "ENGINES",
    "JOURNAL_NAME",
    "TEMPLATE_FIELDS",
    "FileResult",
    "Job",
    "Journal",
    "Summary",
    "Task",
    "check_collisions",
    "default_jobs",
    "name_output",
    "plan",
    "read_manifest",
    "remove_temporaries",
    "run",
]

#: The journal's file name when it is kept in the output folder.
JOURNAL_NAME = "subkit-batch.jsonl"

#: The empty mapping the summary's results share (never changed).
_EMPTY: dict[str, Any] = {}

#: Seconds between two syncs to disk of the finished outputs and then of the journal. A killed run loses no
#: journal line (each is handed to the system as its file finishes); a power cut redoes at most that much work.
SYNC_INTERVAL = 1.0


@dataclass(slots=True)
class Summary:
    """The outcome of a batch.

    Attributes:
        results: one :class:`FileResult` per file, in completion order.
        total: the number of tasks.
        seconds: the wall time of the run.
        interrupted: the run was stopped (Ctrl-C) before every file was done.
        engine: the engine that ran it.
        journal: the journal's path, if any.
    """

    results: list[FileResult] = field(default_factory=list)
    total: int = 0
    seconds: float = 0.0
    interrupted: bool = False
    engine: str = "process"
    journal: str | None = None

    def _count(self, status: str) -> int:
        return sum(1 for result in self.results if result.status == status)

    @property
    def converted(self) -> int:
        """Files converted by this run."""
        return self._count(CONVERTED)

    @property
    def skipped(self) -> int:
        """Files an earlier run had done."""
        return self._count(SKIPPED)

    @property
    def failed(self) -> list[FileResult]:
        """The files that failed."""
        return [result for result in self.results if result.status == FAILED]

    @property
    def not_run(self) -> int:
        """Files left when the run was interrupted."""
        return self.total - len(self.results)

    def losses(self) -> dict[str, int]:
        """What the writers dropped over the batch: count by loss key, largest first."""
        totals: dict[str, int] = {}
        for result in self.results:
            for key, count in result.losses.items():
                totals[key] = totals.get(key, 0) + count
        return dict(sorted(totals.items(), key=lambda item: (-item[1], item[0])))

    def reasons(self) -> dict[str, int]:
        """The failures: count by reason."""
        counts: dict[str, int] = {}
        for result in self.failed:
            counts[result.reason or "error"] = counts.get(result.reason or "error", 0) + 1
        return counts

    @property
    def files_per_second(self) -> float:
        """Files converted per second of wall time."""
        return self.converted / self.seconds if self.seconds > 0 else 0.0

    def record(self) -> dict[str, Any]:
        """The JSON report."""
        return {
            "ok": not self.failed and not self.interrupted,
            "engine": self.engine,
            "journal": self.journal,
            "total": self.total,
            "converted": self.converted,
            "skipped": self.skipped,
            "failed": len(self.failed),
            "not_run": self.not_run,
            "interrupted": self.interrupted,
            "seconds": round(self.seconds, 3),
            "files_per_second": round(self.files_per_second, 1),
            "reasons": self.reasons(),
            "losses": self.losses(),
            "files": [result.record() for result in self.results],
        }

    def lines(self) -> list[str]:
        """The human summary, a few lines."""
        head = (f"{self.converted} converted, {self.skipped} skipped, {len(self.failed)} failed"
                f"{f', {self.not_run} not run (interrupted)' if self.interrupted else ''}"
                f" of {self.total} in {self.seconds:.1f} s ({self.files_per_second:.0f} files/s)")
        lines = [head]
        lines += [f"failed: {result.input}: {result.reason}: {result.error}" for result in self.failed]
        losses = self.losses()
        if losses:
            lines.append("losses: " + ", ".join(f"{key} {count}" for key, count in losses.items()))
        return lines


def default_jobs() -> int:
    """The cores this process may use (the default number of workers)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def _unchanged(task: Task, entry: dict[str, Any]) -> bool:
    """Whether the journal's ``done`` event still holds for ``task``: same output, output there, input unchanged."""
    if entry.get("event") != "done" or entry.get("input") != os.path.abspath(task.input):
        return False
    try:
        written = os.stat(task.output).st_size
    except OSError:
        return False
    if isinstance(entry.get("output_size"), int) and written != entry["output_size"]:
        return False  # cut short by a power failure before its sync, or changed since
    old = entry.get("signature") or {}
    try:
        stat = os.stat(task.input)
    except OSError:
        return False
    if stat.st_size != old.get("size"):
        return False
    if stat.st_mtime_ns == old.get("mtime_ns"):
        return True
    # Touched but maybe not changed (a copy, a checkout): the content decides.
    try:
        with open(task.input, "rb") as handle:
            return hashlib.sha1(handle.read()).hexdigest() == old.get("sha1")
    except OSError:
        return False


def _check_settings(engine: str, jobs: int | None, timeout: float | None, memory_mb: int | None) -> None:
    if engine not in (*ENGINES, "inline"):
        raise ConfigError(f"unknown engine {engine!r} (engines: {', '.join(ENGINES)})")
    if jobs is not None and jobs < 1:
        raise ConfigError("jobs must be at least 1")
    if timeout is not None and timeout <= 0:
        raise ConfigError("the time limit must be positive")
    if memory_mb is not None and memory_mb <= 0:
        raise ConfigError("the memory limit must be positive")
    if engine == "inline" and (timeout is not None or memory_mb is not None):
        raise ConfigError("the inline engine cannot enforce limits; use the process engine")


def run(
    tasks: Sequence[Task],
    *,
    steps: Sequence[Callable[..., Any]] = (),
    journal: str | os.PathLike[str] | None = None,
    resume: bool = False,
    engine: str = "process",
    jobs: int | None = None,
    chunk: int | None = None,
    timeout: float | None = None,
    memory_mb: int | None = None,
    strict: bool = False,
    out_encoding: str = "utf-8",
    scheduler: str | None = None,
    address: str | None = None,
    progress: Callable[[FileResult, int, int], None] | None = None,
    sync_each: bool = False,
) -> Summary:
    """Convert every task, journaling each outcome; return the summary.

    Args:
        tasks: what to convert (:func:`plan`, :func:`read_manifest`).
        steps: ``Document -> Document`` functions run on each file in order;
            they must pickle (module-level functions, ``process`` steps).
        journal: the journal file; ``None`` keeps none (and nothing can resume).
        resume: continue the run the journal records; without it an existing journal is refused.
        engine: ``process`` (a local pool, the default), ``dask``, ``ray``, or
            ``inline`` (in this process, no limits: for tests and tiny batches).
        jobs: worker processes (local pool and local clusters); default: the usable cores.
        chunk: files per work unit; default: about eight units per worker, at most 64 files.
        timeout: seconds a file may take; a slower one is ended and reported, the batch goes on.
        memory_mb: megabytes a worker may allocate beyond its start (``RLIMIT_AS``); a file over it fails.
        strict: fail a file on any flaw or anything its output format cannot express.
        out_encoding: text encoding of the outputs.
        scheduler: a Dask scheduler address (``tcp://host:8786``); default: a local cluster.
        address: a Ray cluster address; default: a local Ray.
        progress: called after each file with its result, the files done and the total.
        sync_each: sync each output to disk before its rename. By default the outputs are synced in
            groups (every :data:`SYNC_INTERVAL` seconds and at the end) before the journal that
            records them, which is several times faster on small files and as safe: a file is
            renamed into place whole either way, and a resumed run redoes a file whose output is
            missing or not the size the journal recorded.

    Returns:
        The :class:`Summary`; ``interrupted`` is set when Ctrl-C stopped the run, whose journal is then
        consistent (every finished file recorded, no partial output anywhere).

    Raises:
        ConfigError: an unknown engine, a bad limit, a missing extra, an existing journal without ``resume``,
            or two tasks with the same output.
        SubkitIOError: the journal cannot be read or written.
    """
    _check_settings(engine, jobs, timeout, memory_mb)
    check_collisions(tasks)
    workers = jobs or default_jobs()
    # Workers of a remote cluster write on their own machines, which this process cannot sync.
    sync_each = sync_each or scheduler is not None or address is not None
    job = Job(tuple(steps), strict, out_encoding, timeout, memory_mb, sync_each)
    summary = Summary(total=len(tasks), engine=engine, journal=os.fspath(journal) if journal is not None else None)
    # Keyed by output: outputs are unique in a batch, inputs need not be (one master, several formats).
    book = Journal(journal, key="output") if journal is not None else None
    if book is not None and book.state and not resume:
        raise ConfigError(f"{book.path} records an earlier run: resume it (--resume) or remove it")
    todo: list[Task] = []
    started = time.perf_counter()
    last_sync = [time.monotonic()]

    def sync_journal(book: Journal) -> None:
        # The outputs reach the disk before the journal lines that call them done.
        if not sync_each and hasattr(os, "sync"):
            os.sync()
        book.sync()

    def record(result: FileResult) -> None:
        if book is not None and result.status != SKIPPED:
            entry: dict[str, Any] = {"input": os.path.abspath(result.input), "event": result.status,
                                     "output": os.path.abspath(result.output)}
            if result.status == CONVERTED:
                entry.update(signature=result.signature, losses=result.losses, output_size=result.output_size)
            else:
                entry.update(reason=result.reason, error=result.error)
            # The run reads the journal's state only before it starts: what it appends needs no memory.
            book.append({**entry, "event": "done" if result.status == CONVERTED else "failed"}, sync=False,
                        remember=False)
            if time.monotonic() - last_sync[0] >= SYNC_INTERVAL:
                sync_journal(book)
                last_sync[0] = time.monotonic()
        # The signature is in the journal; the summary keeps the rest, with one shared empty mapping for what
        # a file did not have (a million files' summary is then a few hundred bytes a file).
        summary.results.append(dataclasses.replace(result, signature=_EMPTY, losses=result.losses or _EMPTY,
                                                   changes=result.changes or _EMPTY))
        if progress is not None:
            progress(result, len(summary.results), summary.total)

    try:
        for task in tasks:
            entry = book.state.get(os.path.abspath(task.output)) if book is not None else None
            if entry is not None and _unchanged(task, entry):
                record(FileResult(task.input, task.output, SKIPPED, signature=entry.get("signature") or {}))
            else:
                todo.append(task)
        # A worker killed while writing (kill -9, a time limit) leaves its hidden temporary: clear them.
        remove_temporaries(task.output for task in todo)
        if engine == "process":
            _engines.run_pool(todo, job, record, jobs=workers, size=chunk)
        elif engine == "dask":
            _engines.run_dask(todo, job, record, jobs=workers, size=chunk, scheduler=scheduler)
        elif engine == "ray":
            _engines.run_ray(todo, job, record, jobs=workers, size=chunk, address=address)
        else:
            for task in todo:
                record(_work.convert(task, job))
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        if book is not None:
            sync_journal(book)
            book.close()
        summary.seconds = time.perf_counter() - started
    return summary
