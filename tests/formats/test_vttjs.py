"""Every vtt.js test vector (mozilla/vtt.js ``tests/``) against subkit's W3C WebVTT parser.

Each ``X.vtt`` has an expected ``X.json`` (cues with id, times, raw text,
settings and regions) and usually an ``X-proc.json`` (the DOM tree vtt.js
builds from each cue's text). Several vectors share one expectation file;
vtt.js names it in its ``test.js`` files, which the corpus does not carry, so
that mapping is written out in :data:`SHARED` below.

vtt.js implements an older draft of WebVTT; where subkit follows the current
W3C specification instead, the vector is marked ``xfail(strict=True)`` with
the reason. The CSS ``style`` of the DOM nodes is not compared (it is layout).

The parser runs with its default options, leniencies included: none of them
changes a vtt.js expectation except the obsolete draft keywords
(``line:42%,middle``, ``position:42%,start``), which subkit reads as their
current equivalents, as vtt.js does, where the W3C parser ignores the setting,
and lenient timestamps. Vectors that expect a timestamp to be rejected, as
W3C and vtt.js both do, run with ``lenient_timestamps=False``
(:data:`W3C_TIMESTAMPS`); where the lenient reading is vtt.js's reading
(:data:`LENIENT_AGREES`), the vector runs with the default.
:func:`test_lenient_timestamps_matter_only_where_declared` checks that these
two lists name every vector whose result depends on the option.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from subkit.errors import ParseError
from subkit.formats._base import DiagnosticSink
from subkit.formats._vtt_cuetext import Element, Timestamp, Unknown, parse_cue_text
from subkit.formats.webvtt import NAME, ParsedFile, ReadOptions, parse_file
from subkit.model import Region

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
VTTJS = CORPUS / "vtt.js" / "tests"

#: Expectation files shared by several vectors of one folder (from vtt.js's test.js files).
SHARED: dict[str, str] = {
    "cue-settings/align/bad-align": "bad-delimiter bogus-value capital-keyword no-value space-after-delimiter "
    "space-before-delimiter",
    "cue-settings/line/bad-line": "bad-delimiter bogus-value dash-in-value negative-percent-value no-value "
    "percent-in-value percent-over space-after-delimiter space-before-delimiter",
    "cue-settings/position/bad-position": "bad-delimiter bad-value bogus-value integer-value just-percent-value "
    "negative-percent-value percent-over space-after-delimiter space-before-delimiter",
    "cue-settings/region/bad-region": "bad-delimiter no-value space-after-delimiter space-before-delimiter",
    "cue-settings/size/bad-size": "bad-delimiter bogus-value integer-value just-percent-value "
    "negative-percent-value no-value percent-before-value percent-over space-after-delimiter "
    "space-before-delimiter",
    "cue-settings/vertical/bad-vertical": "bogus-value capital-keyword incorrect-delimiter incorrect-keyword "
    "no-value space-after-delimiter space-before-delimiter",
    "cue-times/bad-data": "missing-separator",
    "cue-times/with-data": "left-tab missing-spaces-between-separator separator-extra-space separator-tab "
    "space-left-tab-right space-right-tab-left spaces-tabs-on-both-sides tab-right",
    "file-layout/no-output": "bad-double-webvtt blank-file-with-bom blank-file bom-garbage-data bom-tab-webvtt "
    "garbage-signature header-no-new-line newline-before-webvtt tab-after-bom-before-header",
    "file-layout/with-data": "webvtt-no-bom webvtt-space webvtt-tab webvtt-with-bom",
    "regions/bad-region": "incorrect-delimiter line-break space-before-delimiter",
    "regions/good-region": "no-line-break no-space-after-delimiter",
    "regions/id/bad-id": "bad-delimiter no-value space-after-delimiter space-before-delimiter",
    "regions/lines/bad-line": "decimal-value incorrect-delimiter letter-in-value space-after-delimiter "
    "space-before-delimiter",
    "regions/regionanchor/bad-regionanchor": "incorrect-delimiter letter-in-value negative-percent no-comma "
    "no-percent percent-at-front percent-over space-after-delimiter space-before-delimiter two-periods",
    "regions/scroll/bad-scroll": "bogus-value incorrect-delimiter space-after-delimiter space-before-delimiter",
    "regions/viewportanchor/bad-viewportanchor": "incorrect-delimiter letter-in-value negative-percent no-comma "
    "no-percent percent-at-front percent-over space-after-delimiter space-before-delimiter two-periods",
    "regions/width/bad-width": "incorrect-delimiter letter-in-value negative-percent no-percentage percent-over "
    "percentage-at-front space-after-delimiter space-before-delimiter two-periods",
}

#: vector -> expectation, for the shared ones.
EXPECTATION: dict[str, str] = {
    f"{expected.rsplit('/', 1)[0]}/{stem}": expected
    for expected, stems in SHARED.items()
    for stem in stems.split()
}

#: Known, justified differences: subkit follows the current W3C specification where vtt.js does not.
_DROP_SETTING = "W3C: an invalid alignment after the comma makes the whole setting invalid; vtt.js keeps the value"
_ARROW_ID = (
    "W3C: a line containing '-->' always starts a cue block, so ids cannot contain it; vtt.js accepts "
    "'Region: id=fred-->'"
)
_HOURS = (
    "W3C: a first field that is not exactly 2 digits (or is above 59) is hours, so {} lacks seconds; "
    "vtt.js reads it"
)
XFAIL: dict[str, str] = {
    "cue-settings/line/bad-line-align": _DROP_SETTING,
    "cue-settings/position/bad-position-align": _DROP_SETTING,
    "cue-settings/region/region-arrows": _ARROW_ID,
    "regions/id/arrows": _ARROW_ID,
    "cue-times/minimum-spots-over-sixty": _HOURS.format("'120:00.000'")
    + " as 120 hours; lenient reading does not guess between hours and minutes either",
    "cuetext/escape-characters/incorrect": (
        "W3C decodes HTML character references, so the legacy '&nbsp' '&lt' '&gt' without ';' are decoded; "
        "vtt.js knows only six references and needs the ';'"
    ),
    "file-layout/header-no-new-line": (
        "W3C: a '-->' line right after the signature line ends the header and is read as a cue; "
        "vtt.js rejects the file"
    ),
    "integration/id": (
        "W3C: after a block whose first line '-->' fails as timing, the next '-->' line starts a new cue "
        "block; vtt.js drops that cue"
    ),
}


#: Vectors that expect the W3C reading of a timestamp that lenient reading repairs: run with
#: ``lenient_timestamps=False``.
W3C_TIMESTAMPS: dict[str, str] = {
    "cue-times/fraction-digits": "'00:00.00' (two fraction digits) is rejected by W3C and vtt.js",
}
#: Vectors where the lenient reading of a timestamp W3C rejects is vtt.js's reading: run with the default.
LENIENT_AGREES: dict[str, str] = {
    "cue-times/min-top-digits": "'000:00.000' is 0 minutes 0 seconds for vtt.js and lenient reading; "
    "W3C reads a 3-digit first field as hours and rejects it",
}


def _vectors() -> list[Any]:
    if not VTTJS.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"corpus not found at {CORPUS}"))]
    params: list[Any] = []
    for path in sorted(VTTJS.rglob("*.vtt")):
        name = path.relative_to(VTTJS).with_suffix("").as_posix()
        marks: list[Any] = []
        if name in XFAIL:
            marks.append(pytest.mark.xfail(reason=XFAIL[name], strict=True))
        if not (VTTJS / (EXPECTATION.get(name, name) + ".json")).is_file():
            marks.append(pytest.mark.skip(reason="vtt.js has no expected output for this vector"))
        params.append(pytest.param(name, marks=marks, id=name))
    return params


# ---------------------------------------------------------------- running subkit


def _parse(name: str, lenient_timestamps: bool | None = None) -> ParsedFile | None:
    raw = (VTTJS / f"{name}.vtt").read_bytes()
    text = raw.decode("utf-8", errors="replace")
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    sink = DiagnosticSink(NAME, ReadOptions())
    if lenient_timestamps is None:
        lenient_timestamps = name not in W3C_TIMESTAMPS
    try:
        return parse_file(text, sink, lenient_timestamps=lenient_timestamps)
    except ParseError:
        return None


def _region_props(region: Region | None) -> dict[str, Any] | None:
    if region is None:
        return None
    anchor = region.region_anchor or (0.0, 100.0)
    viewport = region.viewport_anchor or (0.0, 100.0)
    return {
        "width": 100.0 if region.width is None else region.width,
        "lines": 3 if region.lines is None else region.lines,
        "regionAnchorX": anchor[0],
        "regionAnchorY": anchor[1],
        "viewportAnchorX": viewport[0],
        "viewportAnchorY": viewport[1],
        "scroll": region.scroll or "",
    }


#: The "auto" position alignment a renderer computes from the text alignment.
_AUTO_POSITION_ALIGN = {"start": "line-left", "left": "line-left", "center": "center", "right": "line-right",
                        "end": "line-right"}


def _ours(parsed: ParsedFile | None) -> dict[str, Any]:
    if parsed is None:
        return {"cues": [], "regions": []}
    cues = []
    for cue in parsed.cues:
        p = cue.placement
        align = p.text_align or "center"
        cues.append(
            {
                "id": cue.id or "",
                "start": cue.start_ms,
                "end": cue.end_ms,
                "text": cue.text,
                "vertical": p.vertical,
                "line": p.line,
                "lineAlign": p.line_align or "start",
                "snapToLines": p.snap_to_lines,
                "position": p.position,
                "positionAlign": p.position_align or _AUTO_POSITION_ALIGN[align],
                "size": 100.0 if p.size is None else p.size,
                "align": align,
                "region": _region_props(parsed.regions.get(p.region) if p.region else None),
            }
        )
    return {"cues": cues, "regions": [_region_props(r) for r in parsed.regions.values()]}


# ---------------------------------------------------------------- reading vtt.js expectations

# vtt.js uses the draft's "middle" for center, and start/end for line-left/line-right.
_MIDDLE = {"middle": "center"}
_POSITION_ALIGN = {"start": "line-left", "middle": "center", "center": "center", "end": "line-right",
                   "line-left": "line-left", "line-right": "line-right"}


def _expected_region(data: dict[str, Any] | None) -> dict[str, Any] | None:
    if not data:
        return None
    return {
        "width": float(data["width"]),
        "lines": int(data["lines"]),
        "regionAnchorX": float(data["regionAnchorX"]),
        "regionAnchorY": float(data["regionAnchorY"]),
        "viewportAnchorX": float(data["viewportAnchorX"]),
        "viewportAnchorY": float(data["viewportAnchorY"]),
        "scroll": data["scroll"],
    }


def _theirs(data: dict[str, Any]) -> dict[str, Any]:
    cues = []
    for cue in data["cues"]:
        cues.append(
            {
                "id": cue["id"],
                "start": round(cue["startTime"] * 1000),
                "end": round(cue["endTime"] * 1000),
                "text": cue["text"],
                "vertical": cue["vertical"] or None,
                "line": None if cue["line"] == "auto" else float(cue["line"]),
                "lineAlign": _MIDDLE.get(cue["lineAlign"], cue["lineAlign"]),
                "snapToLines": cue["snapToLines"],
                "position": None if cue["position"] == "auto" else float(cue["position"]),
                "positionAlign": _POSITION_ALIGN[cue["positionAlign"]],
                "size": float(cue["size"]),
                "align": _MIDDLE.get(cue["align"], cue["align"]),
                "region": _expected_region(cue["region"]),
            }
        )
    return {"cues": cues, "regions": [_expected_region(r) for r in data["regions"]]}


def _dom(node: dict[str, Any]) -> Any:
    if node["localName"] == "":
        return node["data"]
    return (
        node["localName"],
        node["className"],
        node["lang"],
        node["title"],
        [_dom(child) for child in node["childNodes"]],
    )


_ELEMENT = {"c": "span", "v": "span", "lang": "span"}


def _tree(node: Element) -> list[Any]:
    out: list[Any] = []
    for child in node.children:
        if isinstance(child, str):
            out.append(child)
        elif isinstance(child, (Timestamp, Unknown)):
            continue  # not in the DOM (timestamps are processing instructions there)
        else:
            out.append(
                (
                    _ELEMENT.get(child.kind, child.kind),
                    " ".join(child.classes),
                    child.annotation or "" if child.kind == "lang" else "",
                    child.annotation or "" if child.kind == "v" else "",
                    _tree(child),
                )
            )
    return out


def _compare(name: str) -> list[str]:
    """The differences between subkit and vtt.js for one vector (empty when they agree)."""
    parsed = _parse(name)
    expected = json.loads((VTTJS / (EXPECTATION.get(name, name) + ".json")).read_text("utf-8"))
    ours, theirs = _ours(parsed), _theirs(expected)
    problems: list[str] = []
    if ours["regions"] != theirs["regions"]:
        problems.append(f"regions: ours {ours['regions']} != vtt.js {theirs['regions']}")
    if len(ours["cues"]) != len(theirs["cues"]):
        problems.append(f"{len(ours['cues'])} cues, vtt.js has {len(theirs['cues'])}")
    for number, (mine, other) in enumerate(zip(ours["cues"], theirs["cues"], strict=False)):
        for key in other:
            if mine[key] != other[key]:
                problems.append(f"cue {number + 1} {key}: ours {mine[key]!r} != vtt.js {other[key]!r}")
    proc = VTTJS / f"{name}-proc.json"
    if proc.is_file() and parsed is not None and not problems:
        dom = json.loads(proc.read_text("utf-8"))
        if dom is not None:  # null: vtt.js could not serialise the tree (timestamps)
            for number, (box, cue) in enumerate(zip(dom, parsed.cues, strict=False)):
                theirs_tree = [_dom(child) for child in box["childNodes"][0]["childNodes"]]
                ours_tree = _tree(parse_cue_text(cue.text))
                if ours_tree != theirs_tree:
                    problems.append(f"cue {number + 1} tree: ours {ours_tree} != vtt.js {theirs_tree}")
    return problems


@pytest.mark.corpus
@pytest.mark.parametrize("name", _vectors())
def test_vttjs_vector(name: str) -> None:
    problems = _compare(name)
    assert not problems, "\n".join(problems)


@pytest.mark.corpus
def test_vttjs_pass_rate() -> None:
    if not VTTJS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    names = [
        p.relative_to(VTTJS).with_suffix("").as_posix()
        for p in sorted(VTTJS.rglob("*.vtt"))
    ]
    runnable = [n for n in names if (VTTJS / (EXPECTATION.get(n, n) + ".json")).is_file()]
    passed = [n for n in runnable if not _compare(n)]
    print(f"\nvtt.js vectors: {len(passed)}/{len(runnable)} agree ({100 * len(passed) / len(runnable):.1f}%), "
          f"{len(runnable) - len(passed)} known differences, {len(names) - len(runnable)} without expectation")
    assert len(passed) + len(XFAIL) == len(runnable)


@pytest.mark.corpus
def test_lenient_timestamps_matter_only_where_declared() -> None:
    if not VTTJS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    names = [p.relative_to(VTTJS).with_suffix("").as_posix() for p in sorted(VTTJS.rglob("*.vtt"))]
    depends = {n for n in names if _parse(n, lenient_timestamps=True) != _parse(n, lenient_timestamps=False)}
    assert depends == set(W3C_TIMESTAMPS) | set(LENIENT_AGREES)
