"""HTML views of documents for notebooks: the cue table behind ``Document._repr_html_``.

Only the standard library's :mod:`html` is used, so a notebook that shows a
document imports nothing heavy.
"""

from __future__ import annotations

import html

from subkit.model import Document
from subkit.timing import format_clock

__all__ = ["MAX_ROWS", "document_table"]

#: Cues shown in a table; longer documents say how many more there are.
MAX_ROWS = 200


def document_table(doc: Document, *, max_rows: int = MAX_ROWS) -> str:
    """An HTML table of ``doc``'s cues: number, start, end, style or speaker, text (line breaks kept).

    >>> from subkit.model import Cue, content_from_text
    >>> doc = Document(cues=(Cue(start_ms=0, end_ms=1500, content=content_from_text("a <b>")),))
    >>> "<td>0:00:01.500</td>" in document_table(doc) and "a &lt;b&gt;" in document_table(doc)
    True
    """
    facts = [f"{len(doc.cues)} cue{'' if len(doc.cues) == 1 else 's'}"]
    if doc.source_format:
        facts.append(html.escape(doc.source_format))
    if doc.language:
        facts.append(html.escape(doc.language))
    if doc.cues:
        facts.append(f"ends at {format_clock(doc.duration_ms)}")
    rows = []
    for number, cue in enumerate(doc.cues[:max_rows], start=1):
        text = "<br>".join(html.escape(line) for line in cue.plain_text().split("\n"))
        who = cue.speaker or (cue.style if cue.style not in (None, "Default") else "") or ""
        rows.append(
            f"<tr><td>{number}</td><td>{format_clock(cue.start_ms)}</td><td>{format_clock(cue.end_ms)}</td>"
            f"<td>{html.escape(who)}</td><td style=\"text-align:left\">{text}</td></tr>"
        )
    more = len(doc.cues) - max_rows
    if more > 0:
        rows.append(f"<tr><td colspan=\"5\">... {more} more cue{'' if more == 1 else 's'}</td></tr>")
    return (
        "<div class=\"subkit-document\">"
        f"<p><b>subkit Document</b>: {', '.join(facts)}</p>"
        "<table><thead><tr><th>#</th><th>start</th><th>end</th><th>style / speaker</th><th>text</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
