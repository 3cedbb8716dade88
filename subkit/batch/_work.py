"""One file through the pipeline, as run in a worker: read, the steps, write (atomically), and what happened."""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import subkit
from subkit import _io, formats
from subkit.batch._plan import Task
from subkit.errors import SubkitError
from subkit.model import Document

__all__ = ["FileResult", "Job", "convert", "remove_temporaries", "signature"]

#: The outcomes of a file.
CONVERTED, SKIPPED, FAILED = "converted", "skipped", "failed"


@dataclass(frozen=True, slots=True)
class Job:
    """What every file of a batch shares; sent once to each worker (it must pickle).

    Attributes:
        steps: ``Document -> Document`` functions run in order (an object with a
            ``run(doc, report)`` method also counts its changes, like ``process`` steps).
        strict: fail a file on any flaw in it or anything its output format cannot express.
        out_encoding: the text encoding of the outputs.
        timeout: seconds a file may take before its worker is killed (``None``: no limit).
        memory_mb: megabytes of memory a worker may add to what it uses at start (``None``: no limit).
        sync_each: sync every output to disk before its rename; otherwise the run syncs the
            outputs in groups, before it journals them as done.
    """

    steps: Sequence[Callable[[Document], Document]] = ()
    strict: bool = False
    out_encoding: str = "utf-8"
    timeout: float | None = None
    memory_mb: int | None = None
    sync_each: bool = False

    @property
    def limited(self) -> bool:
        """Whether files must run in a worker process that can be killed or limited."""
        return self.timeout is not None or self.memory_mb is not None


@dataclass(frozen=True, slots=True)
class FileResult:
    """What happened to one file.

    Attributes:
        input: the input path.
        output: the output path.
        status: ``converted``, ``skipped`` (done by an earlier run) or ``failed``.
        reason: why it failed: ``error`` (subkit refused it), ``timeout``, ``memory``, ``crashed`` or ``internal``.
        error: the message of the failure.
        losses: what the writer dropped, count by loss key.
        changes: what the steps changed, count by kind.
        seconds: the time the file took in its worker.
        signature: the input's ``size``, ``mtime_ns`` and ``sha1`` when it was read.
        output_size: the size in bytes of the output written.
    """

    input: str
    output: str
    status: str
    reason: str | None = None
    error: str | None = None
    losses: dict[str, int] = field(default_factory=dict)
    changes: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    signature: dict[str, Any] = field(default_factory=dict)
    output_size: int | None = None

    def record(self) -> dict[str, Any]:
        """The JSON object of the ``--json`` report."""
        entry: dict[str, Any] = {"input": self.input, "output": self.output, "status": self.status}
        if self.status == FAILED:
            entry.update(reason=self.reason, error=self.error)
        if self.losses:
            entry["losses"] = self.losses
        if self.changes:
            entry["changes"] = self.changes
        if self.status == CONVERTED:
            entry["seconds"] = round(self.seconds, 4)
        return entry


def signature(path: str, data: bytes | None = None) -> dict[str, Any]:
    """The size, modification time and SHA-1 of ``path`` (the hash of ``data`` when given).

    Raises:
        OSError: the file cannot be read.
    """
    stat = os.stat(path)
    if data is None:
        with open(path, "rb") as handle:
            data = handle.read()
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha1": hashlib.sha1(data).hexdigest()}


def remove_temporaries(outputs: Iterable[str], pid: int | None = None) -> int:
    """Remove what killed writers left beside these outputs (the atomic writer's hidden temporaries).

    With ``pid``, the temporaries that process was writing for these outputs
    (it was just ended); without, every folder of the outputs is swept of the
    temporaries of writers that are gone, as the writer itself does.
    Returns how many were removed.
    """
    folders: dict[str, set[str]] = {}
    for output in outputs:
        folder, name = os.path.split(os.path.abspath(output))
        folders.setdefault(folder, set()).add(name)
    removed = 0
    for folder, names in folders.items():
        if pid is None:
            if os.path.isdir(folder):
                removed += len(_io.sweep_stale(folder))
            continue
        prefix = f"{_io.TEMP_PREFIX}{pid}."
        try:
            entries = [entry.name for entry in os.scandir(folder) if entry.name.startswith(prefix)]
        except OSError:
            continue
        for entry in entries:
            # .subkit-tmp.<pid>.<random>.<target name>
            if entry[len(prefix):].partition(".")[2] in names:
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(folder, entry))
                    removed += 1
    return removed


def _typed(options: Mapping[str, Any], spec: formats.FormatSpec, kind: str) -> dict[str, Any]:
    """Options whose values are ``KEY=VALUE`` text (a CSV manifest) converted to the declared types."""
    if not any(isinstance(value, str) for value in options.values()):
        return dict(options)
    from subkit.formats import format_options  # the same conversion as -r/-w on the command line

    typed = {k: v for k, v in options.items() if not isinstance(v, str)}
    typed.update(format_options(spec, "read" if kind == "read" else "write",
                                [f"{k}={v}" for k, v in options.items() if isinstance(v, str)]))
    return typed


def _apply(doc: Document, steps: Sequence[Callable[[Document], Document]], changes: dict[str, int]) -> Document:
    from subkit.ops import ChangeReport

    for step in steps:
        run = getattr(step, "run", None)
        if run is not None:
            report = ChangeReport()
            doc = run(doc, report)
            for key, count in dict(report).items():
                changes[key] = changes.get(key, 0) + count
        else:
            doc = step(doc)
    return doc


def convert(task: Task, job: Job) -> FileResult:
    """Run one task: read the input, run the steps, write the output atomically.

    Never raises for a bad file: a subkit error, a memory error or any other
    exception comes back as a failed :class:`FileResult`.
    """
    started = time.perf_counter()
    changes: dict[str, int] = {}
    sig: dict[str, Any] = {}
    try:
        try:
            with open(task.input, "rb") as handle:
                data = handle.read()
            sig = signature(task.input, data)
        except OSError as exc:
            raise subkit.SubkitIOError(f"{task.input}: cannot read: {exc.strerror or exc}", path=task.input) from None
        read_options: dict[str, Any] = {}
        if task.read_options:
            spec = formats.get(task.from_format) if task.from_format else formats.detect(data, task.input)
            read_options = _typed(task.read_options, spec, "read")
        doc = subkit.load(task.input, format=task.from_format, encoding=task.encoding, strict=job.strict,
                          **read_options)
        doc = _apply(doc, job.steps, changes)
        out_spec = formats.get(task.to_format) if task.to_format else formats.for_path(task.output)
        write_options = _typed(task.write_options, out_spec, "write")
        folder = os.path.dirname(task.output)
        if folder:
            os.makedirs(folder, exist_ok=True)
        written = subkit.dump(doc.replace(diagnostics=()), task.output, format=out_spec.name,
                              encoding=job.out_encoding, strict=job.strict, durable=job.sync_each, warn=False,
                              **write_options)
        losses = {loss.feature: loss.count for loss in written.losses}
        return FileResult(task.input, task.output, CONVERTED, losses=losses, changes=changes,
                          seconds=time.perf_counter() - started, signature=sig,
                          output_size=os.stat(task.output).st_size)
    except SubkitError as exc:
        reason, message = "error", str(exc)
    except MemoryError:
        reason, message = "memory", "the file needed more memory than the limit allows"
    except OSError as exc:
        reason, message = "error", f"{exc.filename or task.output}: {exc.strerror or exc}"
    except Exception as exc:  # one file's bug must not stop the batch: it is reported as internal
        reason, message = "internal", f"{type(exc).__name__}: {exc}"
    return FileResult(task.input, task.output, FAILED, reason=reason, error=message, changes=changes,
                      seconds=time.perf_counter() - started, signature=sig)
