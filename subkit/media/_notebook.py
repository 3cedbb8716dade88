"""A notebook view of captions over their video: ``<video>`` with a WebVTT ``<track>``, then the cue table."""

from __future__ import annotations

import base64
import html
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

from subkit._api import dumps
from subkit._html import document_table
from subkit.errors import LossyConversionWarning
from subkit.model import Document

__all__ = ["VideoPreview", "notebook_view"]


@dataclass(frozen=True, slots=True)
class VideoPreview:
    """Captions and the video they belong to, shown by Jupyter through :meth:`_repr_html_`.

    Attributes:
        doc: the captions.
        video: the video's address as the notebook's browser reaches it (a
            path relative to the notebook, or a URL).
        width: the player's width in CSS pixels.
    """

    doc: Document
    video: str
    width: int = 640

    def _repr_html_(self) -> str:
        """A ``<video>`` playing ``video`` with the captions as a WebVTT track (a data: URL), and the cue table."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", LossyConversionWarning)
            vtt = dumps(self.doc, "webvtt")
        data = vtt.encode("utf-8") if isinstance(vtt, str) else vtt
        track = "data:text/vtt;base64," + base64.b64encode(data).decode("ascii")
        label = html.escape(self.doc.title or self.doc.language or "captions", quote=True)
        language = f' srclang="{html.escape(self.doc.language, quote=True)}"' if self.doc.language else ""
        return (
            f'<video controls width="{int(self.width)}" src="{html.escape(self.video, quote=True)}">'
            f'<track kind="subtitles" default label="{label}"{language} src="{track}"></video>'
            + document_table(self.doc)
        )


def notebook_view(doc: Document, video: str | os.PathLike[str], *, width: int = 640) -> VideoPreview:
    """Show ``doc`` over ``video`` in a notebook: the result's HTML is a player with the captions on.

    A path is written as given (the notebook serves files relative to itself);
    nothing is read or copied.

    >>> from subkit.model import Cue, content_from_text
    >>> view = notebook_view(Document(cues=(Cue(start_ms=0, end_ms=900, content=content_from_text("Hi")),)), "a.mp4")
    >>> view._repr_html_().startswith('<video controls width="640" src="a.mp4"><track kind="subtitles"')
    True
    """
    address = video if isinstance(video, str) else Path(video).as_posix()
    return VideoPreview(doc, address, width)
