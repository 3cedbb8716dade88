"""The journal: an append-only JSON Lines file, synced to disk, whose last event per key is the state.

``subkit batch`` journals each input (``done`` with its signature and output,
``failed`` with the reason) and the providers' ``fetch --from-list`` journals
each media (``submitting``, ``submitted``, ``done``, ``failed``); both read and
write it through :class:`Journal`.

A crash can cut the last line short: that line is ignored on reading and the
next event starts on a line of its own, so nothing else is lost.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "journal.jsonl"
>>> with Journal(path, key="input") as journal:
...     journal.append({"input": "a.srt", "event": "done"})
>>> Journal(path, key="input").state["a.srt"]["event"]
'done'
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from subkit.errors import SubkitIOError

__all__ = ["Journal"]


class Journal:
    """An append-only journal of events keyed by one field.

    Each :meth:`append` writes one JSON object on a line of its own (with a
    ``time``) and, unless told otherwise, flushes and syncs it to disk before
    returning; :meth:`sync` syncs events appended with ``sync=False`` in one
    go. The state of a key is its last event. Appending is thread-safe.

    Args:
        path: the journal file (created, with its folder, on the first event).
        key: the field naming what an event is about (``"input"``, ``"media"``).

    Raises:
        SubkitIOError: the journal exists but cannot be read.
    """

    def __init__(self, path: str | os.PathLike[str], *, key: str) -> None:
        self.path = Path(path)
        self.key = key
        self.state: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._handle: IO[str] | None = None
        self._dirty = False
        self._cut = False
        if self.path.is_file():
            try:
                text = self.path.read_text(encoding="utf-8", errors="replace")
            except OSError as exc:
                raise SubkitIOError(f"{self.path}: cannot read the journal: {exc.strerror or exc}",
                                    path=str(self.path)) from None
            self._cut = bool(text) and not text.endswith("\n")
            for line in text.splitlines():
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue  # a line cut short by a crash
                if isinstance(entry, dict) and isinstance(entry.get(key), str):
                    self.state[entry[key]] = entry

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def append(self, entry: dict[str, Any], *, sync: bool = True, remember: bool = True) -> None:
        """Append one event; with ``sync`` (the default) it is on disk when this returns.

        Without ``sync`` the event is handed to the system (a killed process
        keeps it) and reaches the disk at the next :meth:`sync`. Without
        ``remember`` it is written but :attr:`state` is left as it is (a run
        that never looks back at its own events keeps no memory per event).

        Raises:
            SubkitIOError: the journal cannot be written.
            ValueError: the event has no string under the journal's key.
        """
        name = entry.get(self.key)
        if not isinstance(name, str):
            raise ValueError(f"a journal event needs a string {self.key!r}")
        line = json.dumps({**entry, "time": round(time.time(), 3)}, ensure_ascii=False) + "\n"
        with self._lock:
            handle = self._open()
            try:
                handle.write(line)
                if sync:
                    self._sync(handle)
                else:
                    handle.flush()  # with the system: a killed process loses no event
                    self._dirty = True
            except OSError as exc:
                raise self._error(exc) from None
            if remember:
                self.state[name] = entry

    def sync(self) -> None:
        """Flush and sync to disk the events appended with ``sync=False``.

        Raises:
            SubkitIOError: the journal cannot be written.
        """
        with self._lock:
            if self._handle is not None and self._dirty:
                try:
                    self._sync(self._handle)
                except OSError as exc:
                    raise self._error(exc) from None

    def close(self) -> None:
        """Sync what is pending and close the file (a later :meth:`append` opens it again).

        Raises:
            SubkitIOError: the journal cannot be written.
        """
        self.sync()
        with self._lock:
            if self._handle is not None:
                self._handle.close()
                self._handle = None

    def _open(self) -> IO[str]:
        if self._handle is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._handle = self.path.open("a", encoding="utf-8")
                if self._cut:
                    # End the line a crash cut short, so the next event starts on a line of its own.
                    self._handle.write("\n")
                    self._cut = False
            except OSError as exc:
                raise self._error(exc) from None
        return self._handle

    def _sync(self, handle: IO[str]) -> None:
        handle.flush()
        os.fsync(handle.fileno())
        self._dirty = False

    def _error(self, exc: OSError) -> SubkitIOError:
        return SubkitIOError(f"{self.path}: cannot write the journal: {exc.strerror or exc}", path=str(self.path))
