"""The hardened XML parser: bombs, external entities and absurd nesting fail fast with a located ParseError."""

from __future__ import annotations

import time

import pytest

import subkit
from subkit.errors import ParseError
from subkit.formats._xml import MAX_DEPTH, parse_xml

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<tt xmlns="http://www.w3.org/ns/ttml"><body><div><p begin="0s" end="1s">&lol9;</p></div></body></tt>
"""

EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE tt [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<tt xmlns="http://www.w3.org/ns/ttml"><body><div><p begin="0s" end="1s">&secret;</p></div></body></tt>
"""

EXTERNAL_DTD = """<?xml version="1.0"?>
<!DOCTYPE tt SYSTEM "http://127.0.0.1:9/never.dtd">
<tt xmlns="http://www.w3.org/ns/ttml"><body><div><p begin="0s" end="1s">safe</p></div></body></tt>
"""


@pytest.mark.parametrize("fmt", ["ttml", "dfxp", "ebu_tt_d"])
@pytest.mark.parametrize("strict", [False, True])
def test_billion_laughs_is_a_fast_parse_error(fmt: str, strict: bool) -> None:
    started = time.perf_counter()
    with pytest.raises(ParseError) as info:
        subkit.loads(BILLION_LAUGHS, format=fmt, strict=strict)
    assert time.perf_counter() - started < 1
    assert info.value.line == 3  # the first entity declaration
    assert "entity" in str(info.value)


def test_external_entity_is_refused_and_never_read() -> None:
    with pytest.raises(ParseError) as info:
        subkit.loads(EXTERNAL, format="ttml")
    assert info.value.line == 2
    assert "root:" not in str(info.value)


def test_external_dtd_is_not_loaded() -> None:
    started = time.perf_counter()
    doc = subkit.loads(EXTERNAL_DTD, format="ttml")
    assert time.perf_counter() - started < 1
    assert doc.cues[0].plain_text() == "safe"


@pytest.mark.parametrize("depth", [MAX_DEPTH + 10, 100_000])
def test_absurd_nesting_is_a_fast_parse_error(depth: int) -> None:
    text = '<tt xmlns="http://www.w3.org/ns/ttml"><body>' + "<div>" * depth + "</div>" * depth + "</body></tt>"
    started = time.perf_counter()
    with pytest.raises(ParseError) as info:
        subkit.loads(text, format="ttml")
    assert time.perf_counter() - started < 1
    assert info.value.line == 1
    assert "nested" in str(info.value)


def test_deep_spans_within_the_parser_limit_are_refused_by_the_reader() -> None:
    text = ('<tt xmlns="http://www.w3.org/ns/ttml"><body><div><p begin="0s" end="1s">' + "<span>" * 200 + "x"
            + "</span>" * 200 + "</p></div></body></tt>")
    with pytest.raises(ParseError) as info:
        subkit.loads(text, format="ttml")
    assert info.value.line == 1


def test_parse_xml_reports_the_line_of_malformed_markup() -> None:
    with pytest.raises(ParseError) as info:
        parse_xml("<tt>\n<body>\n<p></div>\n</tt>", format="sami")
    assert info.value.line == 3
    assert info.value.format == "sami"


def test_parse_xml_ignores_a_misleading_encoding_declaration() -> None:
    root = parse_xml('<?xml version="1.0" encoding="ISO-8859-1"?><tt>é</tt>', format="ttml")
    assert root.text == "é"


def test_parse_xml_recovers_only_when_asked() -> None:
    seen: list[tuple[str, int]] = []
    root = parse_xml("<tt><body><p>a</body></tt>", format="ttml", recover=True,
                     on_recover=lambda message, line: seen.append((message, line)))
    assert root.tag == "tt"
    assert seen and seen[0][1] == 1
