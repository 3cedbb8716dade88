"""What a fetch returns: the subtitle files a provider produced and the document read from them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from subkit.model import Document

__all__ = ["FetchResult", "Role", "SubtitleFile"]

#: What a file holds: the spoken language, a translation, both in one file, or a transcript.
Role = Literal["source", "target", "double", "transcript"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SubtitleFile:
    """One file a provider returned, as text, with the document read from it.

    Attributes:
        format: the subkit format identifier it was read with (``srt``, ``ass``, ``webvtt``, ``rev_json``).
        text: the file's text (UTF-8 decoded, BOM removed, LF line ends).
        language: its language code, when known.
        role: ``source``, ``target``, ``double`` or ``transcript``.
        name: a file name for it (``<job>.<role>.<ext>``).
        document: the document read from ``text``.
    """

    format: str
    text: str
    language: str | None
    role: Role
    name: str
    document: Document = field(repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchResult:
    """A finished job: the files it produced and the record of the job.

    Attributes:
        provider: the provider name.
        job: a JSON-ready record of the job (ids, status, options; never credentials).
        files: the files, the main one first.
    """

    provider: str
    job: Mapping[str, Any]
    files: tuple[SubtitleFile, ...]

    @property
    def document(self) -> Document:
        """The main document (the first file's)."""
        return self.files[0].document

    def record(self) -> dict[str, Any]:
        """The job record plus a summary of each file, for ``--json`` output."""
        return {
            "provider": self.provider,
            "job": dict(self.job),
            "files": [
                {"name": f.name, "format": f.format, "role": f.role, "language": f.language,
                 "cues": len(f.document.cues)}
                for f in self.files
            ],
        }
