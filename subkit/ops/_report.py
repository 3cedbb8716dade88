"""The change counter that ops fill in: how many cues were dropped, words renamed, gaps fixed..."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from subkit.model import Document

__all__ = ["ChangeReport", "add_to", "counted"]


class ChangeReport(Mapping[str, int]):
    """Counts what an op changed, one counter per kind of change.

    Ops take ``report=`` and call :meth:`add`; the CLI prints the counts and
    puts them in its ``--json`` summary. It reads like a ``dict`` of counts.

    >>> report = ChangeReport()
    >>> report.add("replaced", 2); report.add("dropped")
    >>> dict(report), report.total
    ({'replaced': 2, 'dropped': 1}, 3)
    """

    __slots__ = ("_counts",)

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}

    def add(self, key: str, count: int = 1) -> None:
        """Add ``count`` changes of kind ``key`` (a zero count records nothing)."""
        if count:
            self._counts[key] = self._counts.get(key, 0) + count

    def __getitem__(self, key: str) -> int:
        return self._counts[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._counts)

    def __len__(self) -> int:
        return len(self._counts)

    @property
    def total(self) -> int:
        """The sum of every count."""
        return sum(self._counts.values())

    def summary(self) -> str:
        """``replaced 2, dropped 1`` (``no changes`` when empty)."""
        if not self._counts:
            return "no changes"
        return ", ".join(f"{key} {count}" for key, count in self._counts.items())

    def __repr__(self) -> str:
        return f"ChangeReport({self._counts!r})"


def add_to(report: ChangeReport | None, key: str, count: int = 1) -> None:
    """``report.add(key, count)`` when there is a report."""
    if report is not None:
        report.add(key, count)


def counted(op: Callable[..., Document], doc: Document, /, *args: Any, **kwargs: Any) -> tuple[Document, ChangeReport]:
    """Run ``op(doc, *args, report=..., **kwargs)`` and return the new document with its change counts.

    >>> import subkit
    >>> from subkit.ops import replace
    >>> doc = subkit.loads("1\\n00:00:01,000 --> 00:00:02,000\\nso um yes\\n", format="srt")
    >>> new, changes = counted(replace, doc, [{"find": "um"}])
    >>> new.cues[0].plain_text(), changes["replaced"]
    ('so yes', 1)

    Raises:
        OperationError: whatever ``op`` raises for bad arguments.
    """
    report = ChangeReport()
    result = op(doc, *args, report=report, **kwargs)
    return result, report
