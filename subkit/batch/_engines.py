"""The engines that run tasks: a local pool of killable worker processes, Dask and Ray.

Every engine hands work out in chunks of tasks, so that a worker's start-up
and the job's steps are paid for once per worker (process) or once per chunk
(Dask, Ray), and calls ``on_result`` in the calling thread for every file.

The local pool keeps one pipe per worker and knows which file each worker is
on (the one after its last result), so a file over the time limit is ended by
killing its worker alone: the file is reported, the rest of its chunk goes back
in the queue and a fresh worker takes over. The memory limit is an address-space
limit (``RLIMIT_AS``) set in each worker over what it uses at start.

Dask and Ray run each chunk as one task; with a time or memory limit the task
runs its chunk through a one-worker local pool, so the limits hold there too.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import math
import os
import signal
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any

from subkit.batch._plan import Task
from subkit.batch._work import FAILED, FileResult, Job, convert, remove_temporaries
from subkit.errors import ConfigError

__all__ = ["ENGINES", "chunked", "run_chunk", "run_dask", "run_pool", "run_ray"]

#: The engine names of ``subkit batch --engine``.
ENGINES = ("process", "dask", "ray")

OnResult = Callable[[FileResult], None]


def chunked(tasks: Sequence[Task], size: int) -> list[list[Task]]:
    """``tasks`` in lists of ``size``."""
    return [list(tasks[i:i + size]) for i in range(0, len(tasks), size)]


def chunk_size(count: int, jobs: int) -> int:
    """A chunk size giving each worker about eight chunks (for balance), between 1 and 64 files."""
    return max(1, min(64, math.ceil(count / (jobs * 8))))


class _Worker:
    """One pool process (``python -m subkit.batch._worker``), its pipes, and the chunk it is working on.

    A plain child process rather than a :mod:`multiprocessing` one: it never
    imports the caller's main module, and it can be started from a daemonic
    process such as a Dask worker.
    """

    def __init__(self, job: Job) -> None:
        down_read, down_write = os.pipe()
        up_read, up_write = os.pipe()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "subkit.batch._worker", str(down_read), str(up_write)],
                pass_fds=(down_read, up_write), stdin=subprocess.DEVNULL, start_new_session=True,
            )
        finally:
            os.close(down_read)
            os.close(up_write)
        self.send = Connection(down_write, readable=False)
        self.conn = Connection(up_read, writable=False)
        self.send.send(job)
        self.chunk: list[Task] = []
        self.index = 0
        self.started = time.monotonic()
        self.ready = False  # the worker has started up: its files' time runs from here

    @property
    def current(self) -> Task | None:
        return self.chunk[self.index] if self.index < len(self.chunk) else None

    def rest(self) -> list[Task]:
        return self.chunk[self.index + 1:]

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.send.close()
        self.conn.close()


def _died(worker: _Worker) -> str:
    code = worker.process.wait()
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = str(-code)
        return f"the worker died on this file ({name})"
    return f"the worker died on this file (exit status {code})"


def run_pool(tasks: Sequence[Task], job: Job, on_result: OnResult, *, jobs: int, size: int | None = None) -> None:
    """Run ``tasks`` in ``jobs`` worker processes, chunks of ``size`` at a time.

    A file over ``job.timeout`` or whose worker dies is reported failed
    (``timeout``, ``crashed``) and the batch goes on. On ``KeyboardInterrupt``
    the workers are ended and the interrupt goes on up.
    """
    if not tasks:
        return
    pool = _Pool(tasks, job, on_result, size or chunk_size(len(tasks), jobs))
    try:
        pool.start(jobs)
        while pool.active:
            ready = set(wait([w.conn for w in pool.active], pool.wait_time()))
            for worker in list(pool.active):
                pool.serve(worker, worker.conn in ready)
    finally:
        pool.close()


class _Pool:
    """The state of :func:`run_pool`: the queue of tasks and the workers on them."""

    def __init__(self, tasks: Sequence[Task], job: Job, on_result: OnResult, size: int) -> None:
        self.pending: deque[Task] = deque(tasks)
        self.job = job
        self.on_result = on_result
        self.size = size
        self.active: list[_Worker] = []

    def start(self, jobs: int) -> None:
        for _ in range(min(jobs, math.ceil(len(self.pending) / self.size))):
            worker = _Worker(self.job)
            self.active.append(worker)
            self.give(worker)

    def wait_time(self) -> float | None:
        """Seconds until the first running file reaches the time limit (``None``: no limit)."""
        if self.job.timeout is None:
            return None
        busy = [w.started + self.job.timeout for w in self.active if w.ready and w.current is not None]
        return max(0.0, min(busy) - time.monotonic()) if busy else None

    def give(self, worker: _Worker) -> bool:
        """Hand ``worker`` its next chunk; ``False`` (and tell it to stop) when none is left."""
        if not self.pending:
            worker.chunk, worker.index = [], 0
            with contextlib.suppress(OSError):
                worker.send.send(None)
            return False
        worker.chunk = [self.pending.popleft() for _ in range(min(self.size, len(self.pending)))]
        worker.index = 0
        worker.started = time.monotonic()
        worker.send.send(worker.chunk)
        return True

    def serve(self, worker: _Worker, readable: bool) -> None:
        """Take what ``worker`` sent, then end it if it is idle, dead or over the time limit."""
        retire, gone = self._receive(worker) if readable else (False, False)
        if retire:
            self.replace(worker)  # it is idle or ending: nothing is lost by ending it now
        elif gone:
            self.fail(worker, "crashed", _died(worker))
            self.replace(worker)
        elif self.job.timeout is not None and worker.ready and worker.current is not None \
                and time.monotonic() - worker.started > self.job.timeout:
            worker.process.kill()
            worker.process.wait()
            self.fail(worker, "timeout", f"took longer than {self.job.timeout:g} s; its worker was ended")
            self.replace(worker)

    def _receive(self, worker: _Worker) -> tuple[bool, bool]:
        """Read every message waiting from ``worker``; return (retire it, it is gone)."""
        while worker.conn.poll():
            try:
                result: FileResult | str = worker.conn.recv()
            except (EOFError, OSError):
                return False, True
            if isinstance(result, str):  # "ready": start-up is over, the first file begins now
                worker.ready = True
                worker.started = time.monotonic()
                continue
            worker.index += 1
            worker.started = time.monotonic()
            self.on_result(result)
            if result.reason == "memory":
                self.pending.extendleft(reversed(worker.chunk[worker.index:]))
                worker.chunk = []
                return True, False
            if worker.current is None and not self.give(worker):
                return True, False
        return False, False

    def replace(self, worker: _Worker) -> None:
        worker.kill()
        self.active.remove(worker)
        if self.pending:
            fresh = _Worker(self.job)
            self.active.append(fresh)
            self.give(fresh)

    def fail(self, worker: _Worker, reason: str, message: str) -> None:
        task = worker.current
        if task is not None:
            remove_temporaries([task.output], worker.process.pid)
            self.on_result(FileResult(task.input, task.output, FAILED, reason=reason, error=message,
                                      seconds=time.monotonic() - worker.started))
            self.pending.extendleft(reversed(worker.rest()))
        worker.chunk = []

    def close(self) -> None:
        for worker in self.active:
            worker.kill()
            if worker.current is not None:
                remove_temporaries([worker.current.output], worker.process.pid)


def run_chunk(chunk: Sequence[Task], job: Job) -> list[FileResult]:
    """Run one chunk where a Dask or Ray task runs: in a killable child process when the job has limits."""
    results: list[FileResult] = []
    if job.limited:
        run_pool(chunk, job, results.append, jobs=1, size=len(chunk))
    else:
        results.extend(convert(task, job) for task in chunk)
    return results


def _lost(chunk: Sequence[Task], exc: BaseException) -> list[FileResult]:
    message = f"the engine lost this file's task: {type(exc).__name__}: {exc}"
    return [FileResult(t.input, t.output, FAILED, reason="crashed", error=message) for t in chunk]


def run_dask(
    tasks: Sequence[Task],
    job: Job,
    on_result: OnResult,
    *,
    jobs: int,
    size: int | None = None,
    scheduler: str | None = None,
) -> None:
    """Run ``tasks`` on a Dask cluster: the one at ``scheduler``, else a local one of ``jobs`` processes.

    Raises:
        ConfigError: Dask (``subkit[dask]``) is not installed, or the scheduler cannot be reached.
    """
    try:
        distributed: Any = importlib.import_module("dask.distributed")
    except ImportError:
        raise ConfigError("the dask engine needs Dask: pip install 'subkit[dask]'") from None
    if not tasks:
        return
    size = size or chunk_size(len(tasks), jobs)
    cluster: Any = None
    try:
        if scheduler:
            client = distributed.Client(scheduler, timeout=30)
        else:
            cluster = distributed.LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, host="127.0.0.1",
                                   dashboard_address=None)
            client = distributed.Client(cluster)
    except OSError as exc:
        if cluster is not None:
            cluster.close()
        raise ConfigError(f"cannot reach the Dask scheduler {scheduler or 'local'}: {exc}") from None
    futures: dict[Any, list[Task]] = {}
    try:
        for chunk in chunked(tasks, size):
            futures[client.submit(run_chunk, chunk, job, pure=False)] = chunk
        for future in distributed.as_completed(list(futures)):
            try:
                results = future.result()
            except Exception as exc:  # a lost worker fails its chunk's files, not the batch
                results = _lost(futures[future], exc)
            for result in results:
                on_result(result)
    finally:
        for future in futures:
            future.cancel()
        client.close()
        if cluster is not None:
            cluster.close()


def run_ray(
    tasks: Sequence[Task],
    job: Job,
    on_result: OnResult,
    *,
    jobs: int,
    size: int | None = None,
    address: str | None = None,
) -> None:
    """Run ``tasks`` on Ray: the cluster at ``address``, else a local one of ``jobs`` CPUs.

    Raises:
        ConfigError: Ray (``subkit[ray]``) is not installed, or the cluster cannot be reached.
    """
    try:
        ray: Any = importlib.import_module("ray")
    except ImportError:
        raise ConfigError("the ray engine needs Ray: pip install 'subkit[ray]'") from None
    if not tasks:
        return
    size = size or chunk_size(len(tasks), jobs)
    started_here = not ray.is_initialized()
    if started_here:
        try:
            if address:
                ray.init(address=address, log_to_driver=False, logging_level=logging.ERROR)
            else:
                ray.init(num_cpus=jobs, include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR,
                         _node_ip_address="127.0.0.1")
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise ConfigError(f"cannot start or reach Ray {address or '(local)'}: {exc}") from None
    remote = ray.remote(num_cpus=1, max_retries=0)(run_chunk)
    refs: dict[Any, list[Task]] = {}
    try:
        for chunk in chunked(tasks, size):
            refs[remote.remote(chunk, job)] = chunk
        waiting = list(refs)
        while waiting:
            done, waiting = ray.wait(waiting, num_returns=1)
            for ref in done:
                try:
                    results = ray.get(ref)
                except Exception as exc:  # a lost worker fails its chunk's files, not the batch
                    results = _lost(refs[ref], exc)
                for result in results:
                    on_result(result)
    finally:
        if started_here:
            ray.shutdown()
