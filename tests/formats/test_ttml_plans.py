"""The TTML reader's paragraph plans (``_ttml_shapes``) give what the long way gives, document for document.

The reader builds a paragraph of a shape it has read before from that shape's plan. Each test reads
the same input twice, once with the plans on and once with every paragraph read the long way
(``PARAGRAPH_PLANS = False``), and compares the whole documents, diagnostics included, or the errors.
"""

from __future__ import annotations

import csv
import random
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from subkit.errors import ParseError
from subkit.formats import _ttml_read
from subkit.formats._ttml_read import TtmlReadOptions, read_document
from subkit.formats._ttml_shapes import ClockMs
from subkit.model import Document

from ..conftest import CORPUS

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
NS = ('xmlns="http://www.w3.org/ns/ttml" xmlns:tts="http://www.w3.org/ns/ttml#styling" '
      'xmlns:ttp="http://www.w3.org/ns/ttml#parameter" xmlns:ttm="http://www.w3.org/ns/ttml#metadata" '
      'xmlns:itts="http://www.w3.org/ns/ttml/profile/imsc1#styling"')


def _read(text: str, plans: bool, monkeypatch: pytest.MonkeyPatch, **options: Any) -> Document | tuple[str, str]:
    monkeypatch.setattr(_ttml_read, "PARAGRAPH_PLANS", plans)
    try:
        return read_document(text, name="ttml", options=TtmlReadOptions(**options))
    except ParseError as exc:
        return type(exc).__name__, str(exc)


def _same_both_ways(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for options in ({}, {"strict": True}, {"nested_times": "absolute"}):
        long_way = _read(text, False, monkeypatch, **options)
        planned = _read(text, True, monkeypatch, **options)
        assert planned == long_way, options
        if isinstance(planned, Document):
            assert planned.diagnostics == long_way.diagnostics  # type: ignore[union-attr]


# ------------------------------------------------------------------ generated documents

_TEXTS = ["Hello", " two  words ", "", " ", "\n  indented\n", "a &amp; b", "&lt;tag&gt;", "tab\there", "x",
          "déjà vu", "end. ", " start", "&#13;cr"]
_SPAN_ATTRS = ['', ' tts:fontStyle="italic"', ' tts:fontWeight="bold"', ' style="s1"', ' style="s2 s1"',
               ' tts:color="red" tts:textDecoration="underline"', ' xml:lang="fr"', ' ttm:agent="a1"',
               ' style="nowhere"', ' tts:fontStyle="Italic"', ' xml:space="preserve"', ' region="r2"',
               ' tts:display="none"', ' tts:visibility="hidden"', ' begin="0.5s"', ' tts:backgroundColor="#00000080"']
_P_ATTRS = ['', ' tts:textAlign="center"', ' style="s1"', ' region="r1"', ' xml:lang="de"', ' ttm:agent="a1"',
            ' itts:forcedDisplay="true"', ' xml:space="preserve"', ' id="legacy"', ' tts:direction="rtl"',
            ' region="r9"', ' timeContainer="seq"', ' style="s3"']


def _content(rng: random.Random, depth: int = 0) -> str:
    parts = [rng.choice(["", "{}"])]
    for _ in range(rng.randint(0, 3)):
        kind = rng.random()
        if kind < 0.45 and depth < 2:
            parts.append(f"<span{rng.choice(_SPAN_ATTRS)}>{_content(rng, depth + 1)}</span>")
        elif kind < 0.8:
            parts.append("<br/>")
        elif kind < 0.87:
            parts.append("<!-- note -->")
        elif kind < 0.93:
            parts.append("<metadata><ttm:desc>d</ttm:desc></metadata>")
        else:
            parts.append('<set begin="0.2s" tts:color="blue"/>')
        parts.append(rng.choice(["", "{}"]))
    return "".join(parts)


def _clock(ms: int, rng: random.Random) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    clock = f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"
    odd = rng.random()
    if odd < 0.04:
        return f"{ms / 1000}s"
    if odd < 0.06:
        return f" {clock} "
    if odd < 0.08:
        return clock[:9] + "5"  # hh:mm:ss.5
    return clock


def generated_ttml(seed: int, paragraphs: int = 120) -> str:
    """A document of paragraphs drawn from a few shapes, with text, times and ids varying."""
    rng = random.Random(seed)
    shapes = [(rng.choice(_P_ATTRS), _content(rng)) for _ in range(8)]
    rows = []
    ms = rng.randint(0, 5000)
    for index in range(paragraphs):
        attrs, content = rng.choice(shapes)
        texts = iter([rng.choice(_TEXTS) for _ in range(content.count("{}"))])
        body = content.replace("{}", "\x00").split("\x00")
        markup = "".join(part + (next(texts, "") if i < len(body) - 1 else "") for i, part in enumerate(body))
        begin = ms
        ms += rng.randint(-200, 3000)
        end = ms if rng.random() > 0.05 else begin - 10
        ident = rng.choice(["", f' xml:id="c{index}"', f' xml:id="sk.c{index}"'])
        times = f' begin="{_clock(max(begin, 0), rng)}" end="{_clock(max(end, 0), rng)}"'
        if rng.random() < 0.03:
            times = f' begin="{_clock(max(begin, 0), rng)}" dur="1s"'
        elif rng.random() < 0.03:
            times = ""
        rows.append(f"<p{ident}{times}{attrs}>{markup}</p>")
    divs = []
    for start in range(0, len(rows), 40):
        div_attrs = rng.choice(['', ' begin="00:00:01.000"', ' region="r1"', ' style="s1"', ' xml:lang="en"',
                                ' end="00:01:00.000"', ' begin="1.5s"'])
        divs.append(f"<div{div_attrs}>" + "\n".join(rows[start:start + 40]) + "</div>")
    head = ('<head><styling><style xml:id="s1" tts:color="yellow"/><style xml:id="s2" tts:fontStyle="italic"/>'
            '<style xml:id="s3" style="s1" tts:fontWeight="bold" tts:textAlign="end"/></styling>'
            '<layout><region xml:id="r1" tts:origin="10% 10%" tts:extent="80% 80%"/>'
            '<region xml:id="r2" tts:origin="0% 0%" tts:extent="50% 50%"/></layout>'
            '<metadata><ttm:agent xml:id="a1" type="person"><ttm:name type="full">Ann</ttm:name></ttm:agent>'
            '</metadata></head>') if rng.random() < 0.7 else "<head/>"
    root_attrs = rng.choice(['', ' ttp:frameRate="25"', ' ttp:tickRate="1000"', ' xml:space="preserve"'])
    return f"<tt {NS}{root_attrs}>{head}<body>" + "".join(divs) + "</body></tt>"


@pytest.mark.parametrize("seed", range(60))
def test_plans_generated_documents_match_the_long_way(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    _same_both_ways(generated_ttml(seed), monkeypatch)


_ROWS = "".join(f'<p begin="00:00:{i:02d}.000" end="00:00:{i:02d}.500">line {i} &amp; more</p>' for i in range(6))
_SPANS = _ROWS.replace("line", '<span tts:fontStyle="italic">line</span>')
_ODD_CONTAINERS = [
    # prefixed TTML elements, with a default namespace that is not TTML's
    '<tt:tt xmlns:tt="http://www.w3.org/ns/ttml" xmlns="urn:other"><tt:body><tt:div>'
    + _ROWS.replace("<p", "<tt:p").replace("</p>", "</tt:p>") + "<p>not TTML</p></tt:div></tt:body></tt:tt>",
    # a p redeclaring the default namespace, comments, text and a self-closing p between paragraphs
    f'<tt {NS}><body><div>{_ROWS}<p xmlns="urn:other" begin="00:00:01.000" end="00:00:02.000">x</p>'
    f'<!-- c -->{_ROWS} stray text <p begin="00:00:03.000" end="00:00:04.000"/>{_ROWS}</div></body></tt>',
    # a nested p (well-formed, not valid TTML), attributes holding > and quotes, CDATA, character references
    f'<tt {NS}><body><div>{_ROWS}<p begin="00:00:01.000" end="00:00:02.000">a<p>b</p>c</p>'
    f'<p begin="00:00:01.000" end="00:00:02.000" tts:fontFamily="a&gt;b &quot;c&quot;">x</p>'
    f'<p begin="00:00:01.000" end="00:00:02.000"><![CDATA[<b>&]]> &#233;&#x263A;&#13;</p>{_ROWS}</div></body></tt>',
    # paragraphs of the same markup in two divs that map the tts prefix to different namespaces
    f'<tt {NS}><body><div>{_SPANS}</div><div xmlns:tts="urn:not-styling">{_SPANS}</div></body></tt>',
    # preserved white space: the same shape with text of one line, of several, and of line breaks only
    f'<tt {NS}><body><div>' + "".join(
        f'<p begin="00:00:{i:02d}.000" end="00:00:{i:02d}.900">\n  <span xml:space="preserve">{text}</span>'
        f'<br/><span tts:color="lime" xml:space="preserve"> {text} </span>\n</p>'
        for i, text in enumerate(["\n", "one", "two\nlines", " \r\n x ", "\n\n", "a  b", "&#13;c", "end"]))
    + "</div></body></tt>",
]


@pytest.mark.parametrize("index", range(len(_ODD_CONTAINERS)))
def test_plans_odd_containers_match_the_long_way(index: int, monkeypatch: pytest.MonkeyPatch) -> None:
    _same_both_ways(_ODD_CONTAINERS[index], monkeypatch)


def test_plans_are_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """Paragraphs of a repeated shape are built from the plan, and give the same cues."""
    built: list[int] = []
    original = _ttml_read._Shortcut.build

    def counting(self: Any, *args: Any) -> Any:
        result = original(self, *args)
        built.append(result is _ttml_read._PLANNED)
        return result

    monkeypatch.setattr(_ttml_read._Shortcut, "build", counting)
    rows = "".join(f'<p begin="00:00:{i:02d}.000" end="00:00:{i:02d}.500"><span tts:fontStyle="italic">line {i}'
                   f'</span><br/>second {i}</p>' for i in range(50))
    text = f"<tt {NS}><body><div>{rows}</div></body></tt>"
    planned = _read(text, True, monkeypatch)
    assert sum(built) >= 48
    assert planned == _read(text, False, monkeypatch)
    assert isinstance(planned, Document) and planned.cues[7].plain_text() == "line 7\nsecond 7"


def test_plans_fixtures_match_the_long_way(monkeypatch: pytest.MonkeyPatch) -> None:
    files = [path for folder in ("ttml", "dfxp", "ebu_tt_d") for path in sorted((FIXTURES / folder).iterdir())
             if path.suffix != ".json"]
    assert files
    for path in files:
        _same_both_ways(path.read_text(encoding="utf-8"), monkeypatch)


def _corpus_files() -> list[str]:
    index = CORPUS / "index.tsv"
    if not index.is_file():
        return []
    with index.open(encoding="utf-8") as handle:
        return [row["path"] for row in csv.DictReader(handle, delimiter="\t")
                if row["format"].split(" (")[0].strip() in ("ttml", "dfxp")]


@pytest.mark.corpus
@pytest.mark.slow
def test_plans_corpus_matches_the_long_way(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every TTML, DFXP, EBU-TT(-D), IMSC and iTT file of the corpus: the same document both ways."""
    files = _corpus_files()
    if not files:
        pytest.skip("shared corpus not available")
    for path in files:
        data = (CORPUS / path).read_bytes()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
        _same_both_ways(text, monkeypatch)


# ------------------------------------------------------------------ clock times

def _exact_ms(reader: Any, text: str) -> int | None:
    value = reader.parse_time(text, 1)
    return None if value is None else _ttml_read._ms(value)


@settings(max_examples=300)
@given(st.text(alphabet="0123456789:.-+ _,", min_size=10, max_size=14))
def test_clock_ms_agrees_with_the_exact_reading(text: str) -> None:
    """Whatever it accepts, the integer reading gives the exact path's value; it accepts the common shape."""
    reader = _ttml_read._Reader("ttml", TtmlReadOptions())
    value = ClockMs()(text)
    if value is not None:
        assert Fraction(value, 1000) == reader.parse_time(text, 1)


@given(st.integers(min_value=0, max_value=99 * 3_600_000 + 59 * 60_000 + 59_999))
def test_clock_ms_reads_every_clock_time(ms: int) -> None:
    hours, rest = divmod(ms, 3_600_000)
    text = f"{hours:02d}:{rest // 60_000:02d}:{rest % 60_000 // 1000:02d}.{rest % 1000:03d}"
    clock = ClockMs()
    assert clock(text) == ms == clock(text)  # the second time through the cached prefix
    assert _exact_ms(_ttml_read._Reader("ttml", TtmlReadOptions()), text) == ms
