"""Differential test of the TTML reader against ttconv's intermediate synchronic documents (ISDs).

TTML defines what a viewer sees as a sequence of ISDs (TTML1 §9.3.2, TTML2
§11.3): at every instant, the regions that are active and, in each, the
paragraphs, lines and styled text that are presented. ttconv computes that
sequence; this test reads every TTML/DFXP file of the shared corpus (the W3C
imsc-tests included) with subkit and with ttconv, and at the midpoint of every
interval between two of ttconv's significant times compares:

* ``text``: the displayed paragraphs, each as its lines of text (white space
  collapsed and trimmed as a renderer lays it out; text with
  ``tts:visibility="hidden"``, ruby annotations and empty lines left out);
* where the text agrees, for every displayed line: ``geometry`` (origin and
  extent of its region, in percent of the root container), ``textAlign``, and,
  for every visible character, ``color``, ``backgroundColor`` (the innermost
  non-transparent background among the span, the paragraph and its divs),
  ``fontStyle``, ``fontWeight`` and ``textDecoration`` (underline, line-through).

A subkit cue shows at ``t`` when ``start_ms <= t < end_ms``. A cue that keeps
word timing (a paragraph read as word-level timing) shows, as a TTML processor
would, the words active at ``t``.

Each file must disagree on exactly the features listed for it in
:data:`KNOWN`, each with the reason why ttconv, not subkit, departs from the
specification; anything new fails. ``python -m tests.formats.test_ttml_isd``
prints the agreement per feature over the whole corpus.
"""

from __future__ import annotations

import csv
import itertools
import logging
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

import subkit
from subkit.model import Color, Cue, Document, LineBreak, Run, RunStyle

from ..conftest import CORPUS

ttconv_model = pytest.importorskip("ttconv.model")
from ttconv import style_properties as sp  # noqa: E402
from ttconv.imsc import reader as ttconv_reader  # noqa: E402
from ttconv.isd import ISD  # noqa: E402

#: The features compared, in report order.
FEATURES = ("text", "geometry", "textAlign", "color", "backgroundColor", "fontStyle", "fontWeight",
            "textDecoration")

#: Files with more significant times than this are sampled (evenly) at this many intervals, so that the
#: few long real documents do not dominate the run time; every interval of the others is compared.
MAX_INTERVALS = 120

#: Documents in a DFXP draft namespace are given to ttconv (which reads only the TTML namespace) with the
#: namespace renamed: the drafts' semantics for what this test compares are TTML1's.
_DRAFTS = re.compile(r"http://www\.w3\.org/2006/(?:10|04|02)/ttaf1")

_EDGE = ("tts:position measured from the right or bottom edge: ttconv places the region's origin at 100% minus "
         "the offset, ignoring the region's extent, so the region lies partly or wholly outside the root "
         "container; TTML2 §10.2.35 (CSS background-position semantics) puts its far edge at the offset")
_UNITLESS = ("begin/end values without a unit ('04.7'): invalid time expressions (TTML1 §10.3.1); ttconv drops "
             "them and shows the text for the whole document, subkit reads them as seconds, with a diagnostic "
             "(a documented leniency: the authors' meaning is not in doubt)")

#: path -> {feature: why ttconv contradicts the specification there}.
KNOWN: dict[str, dict[str, str]] = {
    "imsc-tests/imsc1_1/ttml/disparity/disparity001.ttml": {"geometry": _EDGE},
    "imsc-tests/imsc1_1/ttml/lengthRootContainerRelative/lengthRootContainerRelative004.ttml": {"geometry": _EDGE},
    "imsc-tests/imsc1_1/ttml/position/position001.ttml": {"geometry": _EDGE},
    "imsc-tests/imsc1_1/ttml/position/position002.ttml": {"geometry": _EDGE},
    "imsc-tests/imsc1_1/ttml/position/position003.ttml": {"geometry": _EDGE},
    "imsc-tests/imsc1_1/ttml/ruby/ruby006.ttml": {"geometry": _EDGE},
    "imsc-tests/imsc1_1/ttml/textCombine/textCombine001.ttml": {"geometry": _EDGE},
    "imsc-tests/imsc1_1/ttml/textCombine/textCombine002.ttml": {"geometry": _EDGE},
    "imsc-tests/imsc1_1/ttml/linePadding/linepadding002.ttml": {
        "text": "tts:ruby given through referential styles (style=\"s_rb_b\"): ttconv recognises ruby only as "
                "an attribute of the span, so it shows the annotation '0.25em' inline; TTML2 §10.2.41 tts:ruby "
                "is a style property like any other, and §8.4.4.2 applies referential styles",
    },
    "pysubs2/tests/data/ttml_example.ttml": {
        "geometry": "regions in px with no tts:extent on tt: the root container is then the related media's "
                    "size (TTML1 §8.3.14, §9.3.1), which the document does not give; ttconv assumes 1920x1080, "
                    "subkit keeps the px values raw (Region.extra) instead of guessing",
    },
    "pysubs2/tests/data/ttml_example_apple.ttml": {"text": _UNITLESS},
    **{f"scf/modules/FlashDFXP2EBU-TT-D-Basic-DE/tests/test_files/requirement-{name}.xml": {"text": _UNITLESS}
       for name in ("2050-001", "2051-001", "2052-001", "2053-001", "2054-001", "2055-001", "2056-001",
                    "2058-001", "2058-002", "2059-001", "2060-001", "2060-002")},
}


def _rows() -> list[str]:
    index = CORPUS / "index.tsv"
    if not index.is_file():
        return []
    with index.open(encoding="utf-8") as handle:
        return [row["path"] for row in csv.DictReader(handle, delimiter="\t")
                if row["format"].split(" (")[0].strip() in ("ttml", "dfxp")]


FILES = _rows()
#: The few long documents whose ISDs take ttconv seconds to compute.
_LONG = frozenset({"pycaption/examples/example.xml", "STL2TTML/test/TX003911.stl.ttml",
                   "STL2TTML/test/TX003881.stl.ttml", "STL2TTML/test/4751521.stl.ttml"})

pytestmark = [pytest.mark.corpus, pytest.mark.skipif(not FILES, reason="shared corpus not available")]


# ---------------------------------------------------------------------------------------------- lines


@dataclass(frozen=True, slots=True)
class Look:
    """What a viewer sees of one character."""

    color: str
    background: str | None
    italic: bool
    bold: bool
    decoration: tuple[bool, bool]


@dataclass(slots=True)
class Para:
    """One displayed paragraph: its lines, each a list of (character, look), plus its layout."""

    lines: tuple[tuple[tuple[str, Look | None], ...], ...]
    geometry: tuple[float, float, float, float]
    align: str
    rtl: bool = False

    @property
    def text(self) -> tuple[str, ...]:
        return tuple("".join(ch for ch, _ in line) for line in self.lines)


def _layout(segments: list[tuple[str, Look | None] | None]) -> tuple[tuple[tuple[str, Look | None], ...], ...]:
    """Lines of characters from text segments and breaks (``None``), white space collapsed as laid out."""
    lines: list[list[tuple[str, Look | None]]] = [[]]
    for segment in segments:
        if segment is None:
            lines.append([])
            continue
        text, look = segment
        for ch in text:
            if ch in " \t\r\n\u200b":
                if lines[-1] and lines[-1][-1][0] != " ":
                    lines[-1].append((" ", None))
            else:
                lines[-1].append((ch, look))
    out = []
    for line in lines:
        while line and line[-1][0] == " ":
            line.pop()
        while line and line[0][0] == " ":
            line.pop(0)
        if line:
            out.append(tuple(line))
    return tuple(out)


def _hex(color: Any) -> str:
    r, g, b, a = color.components
    return f"#{r:02x}{g:02x}{b:02x}{a:02x}"


# ---------------------------------------------------------------------------------------------- ttconv side


def _judge_doc(path: Path) -> Any:
    from lxml import etree  # type: ignore[import-untyped]

    data = path.read_bytes()
    if b"ttaf1" in data:
        data = _DRAFTS.sub("http://www.w3.org/ns/ttml", data.decode("utf-8", "replace")).encode("utf-8")
        data = re.sub(rb"<\?xml[^>]*\?>", b"", data, count=1)
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
    tree = etree.ElementTree(etree.fromstring(data, parser))
    logging.disable(logging.CRITICAL)
    try:
        return ttconv_reader.to_model(tree)
    finally:
        logging.disable(logging.NOTSET)


def _isd_paras(isd: Any) -> list[Para]:
    paras: list[Para] = []
    for region in isd.iter_regions():
        if region.get_style(sp.StyleProperties.Opacity) == 0:
            continue
        origin = region.get_style(sp.StyleProperties.Origin)
        extent = region.get_style(sp.StyleProperties.Extent)
        geometry = (origin.x.value, origin.y.value, extent.width.value, extent.height.value)
        for element in region.dfs_iterator():
            if isinstance(element, ttconv_model.P):
                segments: list[tuple[str, Look | None] | None] = []
                # The backgrounds of the enclosing body and divs show behind the paragraph's text.
                outer: list[str] = []
                parent = element.parent()
                while parent is not None and not isinstance(parent, ISD.Region):
                    background = parent.get_style(sp.StyleProperties.BackgroundColor)
                    if background is not None and background.components[3] != 0:
                        outer.insert(0, _hex(background))
                    parent = parent.parent()
                _isd_segments(element, segments, tuple(outer))
                lines = _layout(segments)
                if lines:
                    align = element.get_style(sp.StyleProperties.TextAlign)
                    direction = element.get_style(sp.StyleProperties.Direction)
                    paras.append(Para(lines, geometry, align.value if align else "start",
                                      direction is sp.DirectionType.rtl))
    return paras


_RUBY_TEXT = ("Rt", "Rtc", "Rp")


def _isd_segments(element: Any, out: list[tuple[str, Look | None] | None], backgrounds: tuple[str, ...]) -> None:
    background = element.get_style(sp.StyleProperties.BackgroundColor)
    if background is not None and background.components[3] != 0:
        backgrounds = (*backgrounds, _hex(background))
    for child in element:
        name = type(child).__name__
        if isinstance(child, ttconv_model.Br):
            out.append(None)
        elif isinstance(child, ttconv_model.Text):
            span = child.parent()
            if span.get_style(sp.StyleProperties.Visibility) is sp.VisibilityType.hidden:
                continue
            style = span.get_style(sp.StyleProperties.FontStyle)
            weight = span.get_style(sp.StyleProperties.FontWeight)
            decoration = span.get_style(sp.StyleProperties.TextDecoration)
            look = Look(
                color=_hex(span.get_style(sp.StyleProperties.Color)),
                background=backgrounds[-1] if backgrounds else None,
                italic=style is not None and style is not sp.FontStyleType.normal,
                bold=weight is sp.FontWeightType.bold,
                decoration=(bool(decoration and decoration.underline), bool(decoration and decoration.line_through)),
            )
            text = child.get_text()
            if span.get_space() is ttconv_model.WhiteSpaceHandling.PRESERVE:
                # A line feed in preserved white space is a line break (TTML2 §10.2.36 xml:space).
                for index, part in enumerate(text.split("\n")):
                    if index:
                        out.append(None)
                    out.append((part, look))
            else:
                out.append((text, look))
        elif name in _RUBY_TEXT:
            continue
        else:
            _isd_segments(child, out, backgrounds)


def _align(value: str, rtl: bool) -> str:
    value = {"justify": "start"}.get(value, value)
    if value == "left":
        return "end" if rtl else "start"
    if value == "right":
        return "start" if rtl else "end"
    return value


# ---------------------------------------------------------------------------------------------- subkit side


_WHITE = "#ffffffff"


def _color(color: Color | None, default: str | None) -> str | None:
    if color is None:
        return default
    return f"#{color.r:02x}{color.g:02x}{color.b:02x}{color.a:02x}"


class _Ours:
    """subkit's document, queried at instants."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.looks: dict[tuple[Any, ...], Look] = {}

    def paras(self, t: Fraction) -> list[Para]:
        ms = t * 1000
        out = []
        for cue in self.doc.cues:
            if cue.start_ms <= ms < cue.end_ms and not cue.comment:
                para = self.para(cue, ms)
                if para is not None:
                    out.append(para)
        return out

    def look(self, cue: Cue, style: RunStyle) -> Look:
        key = (cue.style, style)
        found = self.looks.get(key)
        if found is not None:
            return found
        named = self.doc.styles.get(cue.style) if cue.style else None

        def pick(run_value: Any, style_value: Any) -> Any:
            return run_value if run_value is not None else style_value

        look = Look(
            color=_color(pick(style.color, named.primary_color if named else None), _WHITE) or _WHITE,
            background=_color(pick(style.background, named.back_color if named else None), None),
            italic=bool(pick(style.italic, named.italic if named else None)),
            bold=bool(pick(style.bold, named.bold if named else None)),
            decoration=(bool(pick(style.underline, named.underline if named else None)),
                        bool(pick(style.strike, named.strike if named else None))),
        )
        if look.background is not None and look.background.endswith("00"):
            look = Look(look.color, None, look.italic, look.bold, look.decoration)
        self.looks[key] = look
        return look

    def para(self, cue: Cue, ms: Fraction) -> Para | None:
        segments: list[tuple[str, Look | None] | None] = []
        if cue.words and cue.words_align():
            # Word timing read from TTML spans: a TTML processor shows the words active at the instant.
            position = 0
            spans: list[tuple[int, int, bool]] = []
            for word in cue.words:
                spans.append((position, position + len(word.text), word.start_ms <= ms < word.end_ms))
                position += len(word.text)
            position = 0
            for item in cue.content:
                if isinstance(item, LineBreak):
                    position += 1
                    segments.append(None)
                elif isinstance(item, Run):
                    look = self.look(cue, item.style)
                    kept = "".join(ch for index, ch in enumerate(item.text, position)
                                   if any(a <= index < b and on for a, b, on in spans))
                    position += len(item.text)
                    segments.append((kept, look))
        else:
            for item in cue.content:
                if isinstance(item, LineBreak):
                    segments.append(None)
                elif isinstance(item, Run):
                    segments.append((item.text, self.look(cue, item.style)))
        lines = _layout(segments)
        if not lines:
            return None
        return Para(lines, self.geometry(cue), self.align(cue))

    def geometry(self, cue: Cue) -> tuple[float, float, float, float]:
        region = self.doc.regions.get(cue.placement.region) if cue.placement.region else None
        if region is None:
            return (0.0, 0.0, 100.0, 100.0)
        origin = region.origin or (0.0, 0.0)
        extent = region.extent or (100.0, 100.0)
        return (origin[0], origin[1], extent[0], extent[1])

    def align(self, cue: Cue) -> str:
        value: str | None = cue.placement.text_align
        if value is None and cue.placement.align is not None:
            value = {1: "left", 4: "left", 7: "left", 3: "right", 6: "right", 9: "right"}.get(
                cue.placement.align, "center")
        return value or "start"


# ---------------------------------------------------------------------------------------------- comparison


@dataclass(slots=True)
class Tally:
    """Agreement counts of one file: feature -> [agreeing, compared], plus the first disagreements."""

    counts: dict[str, list[int]] = field(default_factory=lambda: {f: [0, 0] for f in FEATURES})
    examples: dict[str, str] = field(default_factory=dict)

    def add(self, feature: str, agrees: bool, example: str) -> None:
        count = self.counts[feature]
        count[1] += 1
        if agrees:
            count[0] += 1
        elif feature not in self.examples:
            self.examples[feature] = example

    @property
    def failing(self) -> set[str]:
        return {f for f, (agree, total) in self.counts.items() if agree != total}


def _instants(times: list[Fraction]) -> Iterator[Fraction]:
    """The midpoint of every interval between significant times, and a point in the unbounded last one."""
    points = [(a + b) / 2 for a, b in itertools.pairwise(times) if b - a >= Fraction(1, 500)]
    if times:
        points.append(times[-1] + Fraction(1, 2))
    if len(points) > MAX_INTERVALS:
        step = len(points) / MAX_INTERVALS
        points = [points[int(i * step)] for i in range(MAX_INTERVALS)]
    yield from points


def _align_look(lines: tuple[tuple[tuple[str, Look | None], ...], ...], feature: str) -> tuple[Any, ...]:
    def value(look: Look) -> Any:
        if feature == "color":
            return look.color
        if feature == "backgroundColor":
            return look.background
        if feature == "fontStyle":
            return look.italic
        if feature == "fontWeight":
            return look.bold
        return look.decoration

    return tuple(tuple(value(look) if look else None for ch, look in line if ch != " ") for line in lines)


def compare(path: str) -> Tally:
    """Compare subkit's reading of one corpus file with ttconv's ISDs."""
    file = CORPUS / path
    tally = Tally()
    try:
        judge = _judge_doc(file)
    except ValueError:  # ttconv refuses some valid documents (e.g. lineHeight in cells): no judge there
        judge = None
    if judge is None:
        return tally
    doc = subkit.load(file, format="ttml")
    ours = _Ours(doc)
    times = list(ISD.significant_times(judge))
    sig = ISD.significant_times(judge)
    for t in _instants(times):
        theirs = sorted(_isd_paras(ISD.from_model(judge, t, sig)), key=lambda p: (p.text, repr(p.lines)))
        mine = sorted(ours.paras(t), key=lambda p: (p.text, repr(p.lines)))
        agree = [p.text for p in theirs] == [p.text for p in mine]
        tally.add("text", agree,
                  f"at {float(t):.3f}s ttconv {[p.text for p in theirs]} subkit {[p.text for p in mine]}")
        if not agree:
            continue
        for a, b in zip(theirs, mine, strict=True):
            where = f"at {float(t):.3f}s {a.text!r}"
            for _ in a.lines:
                tally.add("geometry", all(abs(x - y) < 0.05 for x, y in zip(a.geometry, b.geometry, strict=True)),
                          f"{where}: ttconv {a.geometry} subkit {b.geometry}")
                align_a, align_b = _align(a.align, a.rtl), _align(b.align, a.rtl)
                tally.add("textAlign", align_a == align_b, f"{where}: ttconv {align_a} subkit {align_b}")
            for feature in FEATURES[3:]:
                ta, tb = _align_look(a.lines, feature), _align_look(b.lines, feature)
                for la, lb in zip(ta, tb, strict=True):
                    tally.add(feature, la == lb, f"{where}: ttconv {la} subkit {lb}")
    return tally


@pytest.mark.parametrize(
    "path", [pytest.param(p, marks=pytest.mark.slow) if p in _LONG else p for p in FILES]
)
def test_ttml_reading_matches_isds(path: str) -> None:
    tally = compare(path)
    if not tally.counts["text"][1]:
        pytest.skip("ttconv does not read this document")
    expected = set(KNOWN.get(path, {}))
    unexpected = {f: tally.examples[f] for f in sorted(tally.failing - expected)}
    assert not unexpected, f"new differences from ttconv's ISDs: {unexpected}"
    fixed = expected - tally.failing
    assert not fixed, f"known differences no longer seen (remove them from KNOWN): {sorted(fixed)}"


def main(argv: list[str]) -> None:
    """Print the agreement per feature (and, with ``-v``, every disagreeing file)."""
    groups = {"imsc-tests": {f: [0, 0] for f in FEATURES}, "other": {f: [0, 0] for f in FEATURES}}
    files = {"imsc-tests": 0, "other": 0}
    known = {group: dict.fromkeys(FEATURES, 0) for group in groups}
    for path in FILES:
        group = "imsc-tests" if path.startswith("imsc-tests/") else "other"
        totals = groups[group]
        try:
            tally = compare(path)
        except Exception as exc:  # report and go on: this is a measuring tool
            print(f"{path}: {type(exc).__name__}: {exc}")
            continue
        if not tally.counts["text"][1]:
            print(f"{path}: ttconv reads nothing")
            continue
        files[group] += 1
        for feature, (agree, total) in tally.counts.items():
            totals[feature][0] += agree
            totals[feature][1] += total
            if feature in KNOWN.get(path, {}):
                known[group][feature] += total - agree
        if "-v" in argv and tally.failing:
            for feature in sorted(tally.failing):
                print(f"{path}\t{feature}\t{tally.examples[feature][:300]}")
    for group, totals in groups.items():
        print(f"{group}: {files[group]} files")
        for feature, (agree, total) in totals.items():
            excused = known[group][feature]
            print(f"  {feature:16} {agree:6}/{total:<6} {100 * agree / max(total, 1):6.2f}%"
                  f"   {excused:4} known ttconv errors   {100 * (agree + excused) / max(total, 1):6.2f}%")


if __name__ == "__main__":
    main(sys.argv[1:])
