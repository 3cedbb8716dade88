"""Many media through one provider: concurrent jobs, journaled so that a re-run never pays twice.

:func:`fetch_many` submits each media, waits for its job, downloads the
result and hands it to a ``deliver`` callback (which writes the files),
running ``concurrency`` media at once. Every step is recorded in a
:class:`FetchJournal` (the JSON Lines journal of :mod:`subkit.batch`, keyed by
media) before the next one starts, so a run stopped at any moment (Ctrl-C,
kill -9, a lost network) can be run again:

* a media whose last event is ``done`` is skipped;
* ``submitted`` (or ``failed`` while waiting) resumes from the job record, without a new job;
* ``submitting`` with no answer, or a create that failed after it may have
  reached the service (``maybe_created``), is not submitted again unless the
  provider's create is idempotent (Rev's ``client_ref``): the service may
  hold a paid job that the journal never heard of, so a person must check.

This module imports neither httpx nor click; the client is any provider
client (:func:`subkit.providers.client`).
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from subkit.batch import Journal
from subkit.errors import ProviderError, SubkitError
from subkit.providers._result import FetchResult

__all__ = [
    "JOURNAL_NAME",
    "Deliver",
    "FetchJournal",
    "FetchOutcome",
    "Finish",
    "Submit",
    "fetch_many",
    "media_stem",
    "read_media_list",
]

#: The journal's file name when it is kept in the output folder.
JOURNAL_NAME = "journal.jsonl"

#: Submits one media with a client and returns the job record (a JSON-able mapping the client's finish takes).
Submit = Callable[[Any, str], dict[str, Any]]
#: Waits for a job record's job and downloads its result.
Finish = Callable[[Any, dict[str, Any]], FetchResult]
#: Writes one media's result; returns a record per file written, each with its path under ``"output"``.
Deliver = Callable[[str, FetchResult], list[dict[str, Any]]]


class FetchJournal(Journal):
    """The journal of :func:`fetch_many`: :class:`subkit.batch.Journal` keyed by media.

    Every event is synced to disk before :meth:`append` returns. Events are
    ``submitting`` (written before any create is sent), ``submitted`` (with
    the job record), ``done`` (with the output files) and ``failed`` (with the
    error). A media whose last event is ``submitting`` may have a job on the
    service that the journal never heard of: it is not submitted again (as
    after a ``failed`` create with ``maybe_created``). The state of a media is
    its last event, so a line cut short by a crash is ignored and nothing else
    is lost.

    Args:
        path: the journal file (created if missing).

    Raises:
        SubkitIOError: the journal exists but cannot be read.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(Path(path), key="media")


@dataclass(slots=True)
class FetchOutcome:
    """What became of one media.

    Attributes:
        media: the media as given.
        ok: done now or by an earlier run.
        result: the fetched result (``None`` when skipped or failed).
        outputs: what ``deliver`` wrote (for a skipped media: the paths the journal recorded).
        skipped: why nothing was done (``"already done"``), else ``None``.
        error: the failure, if any.
        unresolved: the failure is a job that an earlier run may have created; it was not submitted again.
        stage: where it failed: ``submit`` or ``wait`` (which includes downloading and delivering).
    """

    media: str
    ok: bool
    result: FetchResult | None = None
    outputs: list[Any] = field(default_factory=list)
    skipped: str | None = None
    error: SubkitError | None = None
    unresolved: bool = False
    stage: str = ""


def read_media_list(path: str | os.PathLike[str]) -> list[str]:
    """The media of a list file: one per line, blank lines and ``#`` comments skipped, repeats dropped.

    Raises:
        SubkitIOError: the file cannot be read.
    """
    from subkit.errors import SubkitIOError

    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SubkitIOError(f"{path}: cannot read the media list: {exc}", path=str(path)) from None
    lines: list[str] = []
    seen: set[str] = set()
    for raw in text.splitlines():
        line = raw.strip()
        if line and not line.startswith("#") and line not in seen:
            seen.add(line)
            lines.append(line)
    return lines


def media_stem(media: str) -> str:
    """A file name stem for a media: its own name plus a short hash, so two media never collide.

    >>> media_stem("https://example.com/shows/ep1.mp4?token=x")
    'ep1-5a4f1a53'
    """
    base = re.sub(r"[?#].*$", "", media.rstrip("/")).rsplit("/", 1)[-1]
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(base).stem).strip("-.")[:40] or "media"
    return f"{base}-{hashlib.sha1(media.encode('utf-8')).hexdigest()[:8]}"


def fetch_many(
    client: Any,
    media: Sequence[str],
    *,
    journal: FetchJournal | str | os.PathLike[str],
    submit: Submit,
    finish: Finish,
    deliver: Deliver,
    concurrency: int = 2,
    idempotent_create: bool = False,
    on_outcome: Callable[[FetchOutcome], None] | None = None,
) -> list[FetchOutcome]:
    """Fetch every media through ``client``, ``concurrency`` at a time, journaling each step.

    Args:
        client: a provider client (its methods are called from several threads; httpx clients allow it).
        media: what to fetch; each is passed to ``submit`` as given.
        journal: the journal, or its path (opened here and closed at the end).
        submit: creates the job of one media and returns its record.
        finish: waits for a job and downloads its result.
        deliver: writes a result and says what it wrote.
        concurrency: media in progress at the same time.
        idempotent_create: the provider's create can be sent again safely (it finds the earlier job),
            so an interrupted create is retried instead of left for a person to check.
        on_outcome: called once per media as soon as it is settled, one call at a time (for messages).

    Returns:
        One outcome per media, in the order given.

    Raises:
        ConfigError: ``concurrency`` below 1.
        SubkitIOError: the journal cannot be read or written.
    """
    from subkit.errors import ConfigError

    if concurrency < 1:
        raise ConfigError(f"concurrency must be at least 1, got {concurrency}")
    book = journal if isinstance(journal, FetchJournal) else FetchJournal(journal)
    lock = threading.Lock()

    def settle(outcome: FetchOutcome) -> FetchOutcome:
        if on_outcome is not None:
            with lock:
                on_outcome(outcome)
        return outcome

    def one(item: str) -> FetchOutcome:
        last = book.state.get(item, {})
        event = last.get("event")
        if event == "done":
            return settle(FetchOutcome(item, True, outputs=list(last.get("outputs", [])), skipped="already done"))
        record = last.get("record") if event in ("submitted", "failed") else None
        # "submitting" last: the run stopped between sending the create and journalling its answer, so the
        # service may hold a paid job this journal does not know.
        interrupted = event == "submitting" or (event == "failed" and bool(last.get("maybe_created")))
        if interrupted and not record and not idempotent_create:
            message = (f"{item}: an earlier run may have created a job whose answer was lost; check the "
                       f"provider, then remove its lines from {book.path} to submit again")
            error = ProviderError(message, maybe_created=True)
            return settle(FetchOutcome(item, False, error=error, unresolved=True, stage="submit"))
        stage = "submit"
        try:
            if not isinstance(record, dict):
                book.append({"media": item, "event": "submitting"})
                record = submit(client, item)
                book.append({"media": item, "event": "submitted", "record": record})
            stage = "wait"
            result = finish(client, record)
            outputs = deliver(item, result)
            book.append({"media": item, "event": "done", "record": record,
                         "outputs": [o["output"] for o in outputs]})
            return settle(FetchOutcome(item, True, result=result, outputs=outputs))
        except SubkitError as exc:
            entry: dict[str, Any] = {"media": item, "event": "failed", "stage": stage,
                                     "error": " ".join(str(exc).split()) or type(exc).__name__}
            if isinstance(record, dict) and stage == "wait":
                entry["record"] = record
            if isinstance(exc, ProviderError) and exc.maybe_created:
                entry["maybe_created"] = True
            book.append(entry)
            return settle(FetchOutcome(item, False, error=exc, stage=stage))

    try:
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            return list(pool.map(one, media))
    finally:
        if book is not journal:
            book.close()
