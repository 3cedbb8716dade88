"""A worker of the local pool: ``python -m subkit.batch._worker READ_FD WRITE_FD``.

It reads the :class:`~subkit.batch._work.Job`, answers ``"ready"`` once it has
started (so that a file's time limit does not count the worker's start-up),
then reads chunks of tasks from one pipe and writes one
:class:`~subkit.batch._work.FileResult` per file on the other, until it
reads ``None`` or the parent goes away. Ctrl-C is the parent's business: the
worker ignores it and is ended by the parent.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from multiprocessing.connection import Connection

from subkit.batch._work import Job, convert

__all__ = ["limit_memory", "main"]


def _vm_bytes() -> int:
    """The address space this process uses now (0 where /proc is missing)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def limit_memory(megabytes: int) -> None:
    """Limit this process's address space to what it uses now plus ``megabytes`` (``RLIMIT_AS``)."""
    import resource

    limit = _vm_bytes() + megabytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def main(read_fd: int, write_fd: int) -> None:
    """Serve chunks until told to stop or the parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    down = Connection(read_fd, writable=False)
    up = Connection(write_fd, readable=False)
    try:
        job: Job = down.recv()
    except (EOFError, OSError):
        return
    if job.limited:
        # Load the formats' modules first, so that the limits are on what a file needs, not on imports.
        from subkit import formats

        for name in formats.names():
            with contextlib.suppress(Exception):  # a format whose import fails fails its files, not the worker
                formats.module(name)
        if job.memory_mb is not None and sys.platform != "win32":
            limit_memory(job.memory_mb)
    try:
        up.send("ready")
    except OSError:
        return
    while True:
        try:
            chunk = down.recv()
        except (EOFError, OSError):
            return
        if chunk is None:
            return
        for task in chunk:
            result = convert(task, job)
            try:
                up.send(result)
            except OSError:
                return
            if result.reason == "memory":
                return  # a fresh worker takes the rest: this one's heap may be in any state


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
