"""The lossless JSON form of the model."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

import subkit
from subkit.errors import ParseError
from subkit.model import Document

from ..strategies import full_documents


@settings(max_examples=50)
@given(full_documents())
def test_every_document_round_trips(doc: Document) -> None:
    text = subkit.dumps(doc, "subkit-json", strict=True)
    assert subkit.loads(text, format="subkit_json") == doc
    assert subkit.loads(text) == doc


@settings(max_examples=20)
@given(full_documents())
def test_one_line_form_round_trips(doc: Document) -> None:
    assert subkit.loads(subkit.dumps(doc, "subkit_json", indent=None), format="subkit_json") == doc


def test_srt_through_json_is_identity() -> None:
    srt = "1\n00:00:01,000 --> 00:00:02,000\n<i>Hi</i> {\\an8}\n"
    doc = subkit.loads(srt, format="srt")
    back = subkit.loads(subkit.dumps(doc, "subkit_json"))
    assert back == doc
    assert subkit.dumps(back, "srt") == subkit.dumps(doc, "srt")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "invalid JSON"),
        ('{"subkit": 99, "cues": []}', "schema"),
        ('{"subkit": 1, "cues": [{"start_ms": 5, "end_ms": 1}]}', "ends before it starts"),
        ('{"subkit": 1, "cues": [{"start_ms": 0, "end_ms": 1, "colour": 1}]}', "unknown Cue field"),
        ('{"subkit": 1, "cues": [{"start_ms": 0, "end_ms": 1, "content": [{"img": 1}]}]}', "content item"),
        ('{"subkit": 1, "cues": "x"}', "not a subkit document"),
    ],
)
def test_invalid_documents_are_parse_errors(text: str, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        subkit.loads(text, format="subkit_json")
