"""SCC reader and writer (the 608 decoder itself is tested in test_cea608.py)."""

from __future__ import annotations

import dataclasses
import re
import warnings
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import subkit
from subkit.errors import ConfigError, ParseError, UnsupportedFeatureError
from subkit.formats import scc
from subkit.formats._cea608 import COLORS, LAYOUT_KEY, with_parity
from subkit.model import Color, ContentItem, Cue, Document, LineBreak, Run, RunStyle
from subkit.timing import FPS_29_97, frames_to_ms
from tests import golden

from ..conftest import CORPUS

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
MEDIA = CORPUS / "caption-inspector" / "test" / "media"


def read(text: str, **options: Any) -> Document:
    return subkit.loads(text, format="scc", **options)


def words(message: str) -> str:
    data = [with_parity(ord(c)) for c in message]
    if len(data) % 2:
        data.append(0x80)
    return " ".join(f"{data[i]:02x}{data[i + 1]:02x}" for i in range(0, len(data), 2))


def scc_text(*lines: tuple[str, str]) -> str:
    return "Scenarist_SCC V1.0\n\n" + "\n\n".join(f"{tc}\t{w}" for tc, w in lines) + "\n"


def caption(tc: str, message: str, end_tc: str) -> str:
    return scc_text((tc, f"9420 9420 94ae 94ae 94d0 94d0 {words(message)} 942f 942f"), (end_tc, "942c 942c"))


def render(doc: Document, fmt: str = "scc", **options: Any) -> tuple[str, list[str]]:
    result = subkit.render(doc, fmt, **options)
    return str(result.data), [loss.feature for loss in result.losses]


# ------------------------------------------------------------------ reader


def test_basic_pop_on_caption_times_come_from_the_decoder() -> None:
    doc = read(caption("00:00:01;00", "Hello", "00:00:04;00"))
    (cue,) = doc.cues
    # EOC is word 10 of the line (frame 30 + 9), EDM at frame 120.
    assert (cue.start_ms, cue.end_ms) == (frames_to_ms(39, FPS_29_97), frames_to_ms(120, FPS_29_97))
    assert cue.plain_text() == "Hello" and cue.caption_mode == "pop-on"
    assert cue.extra == {LAYOUT_KEY: "14:0"}
    assert doc.frame_rate == FPS_29_97 and doc.drop_frame and doc.diagnostics == ()


def test_drop_frame_and_non_drop_frame_labels() -> None:
    df = read(caption("00:10:00;00", "x", "01:00:00;00"))
    ndf = read(caption("00:10:00:00", "x", "01:00:00:00"))
    # DF labels follow the clock; NDF labels run slow (01:00:00:00 NDF = 3603.6 s).
    assert df.cues[0].end_ms == 3_599_996 and ndf.cues[0].end_ms == 3_603_600
    assert df.drop_frame and not ndf.drop_frame
    assert df.cues[0].start_ms == frames_to_ms(17982 + 7, FPS_29_97)
    assert ndf.cues[0].start_ms == frames_to_ms(18000 + 7, FPS_29_97)


def test_fps_and_drop_frame_options() -> None:
    doc = read(caption("00:00:01:00", "x", "00:00:02:00"), fps="25")
    assert doc.frame_rate == 25 and doc.cues[0].end_ms == 2000
    doc = read(caption("00:01:00:02", "x", "00:02:00:00"), drop_frame=True)
    assert doc.drop_frame and doc.cues[0].start_ms == frames_to_ms(1800 + 7, FPS_29_97)
    with pytest.raises(ConfigError):
        read(caption("00:00:01:00", "x", "00:00:02:00"), channel=5)


FPS_FORMS = [("25", Fraction(25)), ("29.97", Fraction(30000, 1001)), ("30000/1001", Fraction(30000, 1001)),
             (23.976, Fraction(24000, 1001)), (Fraction(24000, 1001), Fraction(24000, 1001))]


@pytest.mark.parametrize(("fps", "rate"), FPS_FORMS)
def test_fps_takes_strings_floats_and_fractions(fps: str | float | Fraction, rate: Fraction) -> None:
    doc = read(caption("00:00:01:00", "x", "00:00:02:00"), fps=fps)
    assert doc.frame_rate == rate and doc.cues[0].end_ms == frames_to_ms(2 * round(rate), rate)
    text, _ = render(doc.replace(frame_rate=None), fps=fps, drop_frame=False)
    assert read(text, fps=fps).cues[0].end_ms == doc.cues[0].end_ms
    with pytest.raises(ConfigError):
        read(caption("00:00:01:00", "x", "00:00:02:00"), fps="fast")
    with pytest.raises(ConfigError):
        render(doc, fps=0)


def test_channel_two() -> None:
    text = scc_text(("00:00:01;00", f"1c20 1c20 1cd0 1cd0 {words('two')} 1c2f 1c2f"), ("00:00:03;00", "1c2c 1c2c"))
    assert read(text).cues == ()
    assert [c.plain_text() for c in read(text, channel=2)] == ["two"]


def test_styles_and_positions() -> None:
    doc = subkit.load(FIXTURES / "scc" / "popon.scc")
    first, second, third, fourth = doc.cues
    assert first.extra[LAYOUT_KEY] == "14:6 15:0"
    assert second.content[0] == Run("Italic top", RunStyle(italic=True))
    red = RunStyle(color=COLORS[4])
    red_italic = RunStyle(color=COLORS[4], italic=True)
    assert second.content[2:] == (Run("plain "), Run("red ", red), Run("red italic", red_italic))
    assert second.placement.align == 1 and second.extra[LAYOUT_KEY] == "1:0 14:0"
    assert third.plain_text() == "CafÉ ♪ ni o"
    assert fourth.extra[LAYOUT_KEY] == "12:0" and fourth.start_ms > 60_000


def test_roll_up_and_paint_on_files() -> None:
    roll = subkit.load(FIXTURES / "scc" / "rollup.scc")
    assert [c.plain_text().count("\n") + 1 for c in roll] == [1, 2, 3, 3]
    assert {c.caption_mode for c in roll} == {"roll-up3"}
    assert roll.cues[0].start_ms == 10_010 and roll.cues[-1].end_ms == 18_018
    paint = subkit.load(FIXTURES / "scc" / "painton.scc")
    assert [c.plain_text() for c in paint] == ["Paint", "Painting on", "Pa"]


def test_lenient_file_diagnostics_with_lines() -> None:
    doc = subkit.load(FIXTURES / "scc" / "lenient.scc", format="scc")
    found = [(d.line, d.message.split(" ")[0]) for d in doc.diagnostics]
    assert found == [(1, "header"), (5, "3-digit"), (7, "parity"), (9, "'zzzz'"), (11, "drop-frame")]
    assert [c.plain_text() for c in doc] == ["Lenient", "Par", "DF"]
    with pytest.raises(ParseError) as error:
        subkit.load(FIXTURES / "scc" / "lenient.scc", format="scc", strict=True)
    assert error.value.line == 1


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("00:00:01;00\t9420 94d0 c8e9 942f", None),
        ("00:00:01;45\t9420 94d0 c8e9 942f", "out of range"),
        ("00:00:01;00\t9420 94d0 48e9 942f", "parity"),
        ("00:00:01;00\t9420 94d0 c8e9 942f xyz", "hex"),
        ("nonsense", "not a timecode line"),
    ],
)
def test_strict_mode_raises_with_the_line(line: str, problem: str | None) -> None:
    text = f"Scenarist_SCC V1.0\n\n{line}\n\n00:00:09;00\t942c\n"
    if problem is None:
        assert read(text, strict=True).cues
        return
    with pytest.raises(ParseError, match=problem) as error:
        read(text, strict=True)
    assert error.value.line == 3
    assert read(text).diagnostics


def test_overlapping_lines_are_diagnosed() -> None:
    text = scc_text(("00:00:01;00", "9420 9420 94d0 94d0 c8e9 942f 942f"), ("00:00:01;02", "942c"))
    doc = read(text)
    assert [d.line for d in doc.diagnostics] == [5] and "before the end" in doc.diagnostics[0].message


def test_missing_header_crlf_and_empty_input() -> None:
    doc = read("00:00:01;00\t9420 94d0 c8e9 942f\r\n\r\n00:00:02;00\t942c\r\n")
    assert [c.plain_text() for c in doc] == ["Hi"] and "header" in doc.diagnostics[0].message
    assert read("").cues == () and read("Scenarist_SCC V1.0\n\n").cues == ()
    with pytest.raises(ParseError):
        read("this is not scc at all\n")


def test_open_caption_at_the_end_lasts_two_seconds() -> None:
    doc = read(scc_text(("00:00:01;00", "9420 94d0 c8e9 942f")))
    assert doc.cues[0].duration_ms >= 2000


def test_sniff_and_detection() -> None:
    assert scc.sniff("Scenarist_SCC V1.0\n\n")
    assert scc.sniff("00:00:00;00\t9420 9420 94ae\n")
    assert not scc.sniff("1\n00:00:01,000 --> 00:00:02,000\nHi\n")
    assert subkit.loads(caption("00:00:01;00", "x", "00:00:02;00")).source_format == "scc"


# ------------------------------------------------------------------ writer


def frames(n: int) -> int:
    return frames_to_ms(n, FPS_29_97)


def plain_cue(start: int, end: int, text: str, **kw: Any) -> Cue:
    items: list[ContentItem] = []
    for i, line in enumerate(text.split("\n")):
        if i:
            items.append(LineBreak())
        items.append(Run(line))
    return Cue(start_ms=start, end_ms=end, content=tuple(items), **kw)


def test_writer_output_shape() -> None:
    doc = Document(cues=(plain_cue(frames(120), frames(200), "Hello\nworld"),))
    text, losses = render(doc)
    assert text.startswith("Scenarist_SCC V1.0\n\n") and losses == []
    lines = [line for line in text.split("\n")[2:] if line]
    assert re.fullmatch(r"\d\d:\d\d:\d\d;\d\d\t[0-9a-f]{4}( [0-9a-f]{4})*", lines[0])
    first_words = lines[0].split("\t")[1].split()
    assert first_words[:4] == ["9420", "9420", "94ae", "94ae"] and first_words[-2:] == ["942f", "942f"]
    assert lines[-1].endswith("942c 942c")
    # The EOC lands on the start frame: the block starts len-2 frames earlier.
    assert scc.disassemble(text)[-2].text == "EOC (CC1)"
    assert scc.disassemble(text)[-2].timecode == "00:00:04;00"
    assert read(text).cues[0].start_ms == frames(120)


def test_writer_non_drop_frame_and_options() -> None:
    doc = Document(cues=(plain_cue(frames(120), frames(200), "Hi"),))
    assert "00:00:06:20\t942c" in render(doc, drop_frame=False)[0]
    assert "00:00:06;20\t942c" in render(doc)[0]
    roll, _ = render(doc, mode="roll-up", roll_up_rows=2)
    assert "9425 9425" in roll and read(roll).cues[0].caption_mode == "roll-up2"
    channel2, _ = render(doc, channel=2)
    assert "1c20 1c20" in channel2 and [c.plain_text() for c in read(channel2, channel=2)] == ["Hi"]
    with pytest.raises(ConfigError):
        render(doc, mode="scroll")


def test_writer_reports_losses_and_strict_refuses() -> None:
    bold = Cue(start_ms=frames(100), end_ms=frames(200), content=(Run("x" * 40 + " 字", RunStyle(bold=True)),),
               speaker="Ann")
    text, losses = render(Document(cues=(bold,)))
    assert {"bold", "speaker", "line-length", "characters"} <= set(losses)
    assert [c.plain_text() for c in read(text)] == ["x" * 32 + "\n" + "x" * 8 + " ?"]
    with pytest.raises(UnsupportedFeatureError):
        subkit.render(Document(cues=(bold,)), "scc", strict=True)
    ok = Document(cues=(plain_cue(frames(100), frames(200), "fine"),))
    assert subkit.render(ok, "scc", strict=True).losses.losses == ()


@pytest.mark.parametrize("fmt", ["scc", "mcc"])
def test_captions_past_the_timecode_range_are_reported(fmt: str) -> None:
    hundred_hours = 100 * 3_600_000
    early = plain_cue(frames(100), frames(200), "early")
    late = plain_cue(hundred_hours + 1000, hundred_hours + 3000, "too late")
    result = subkit.render(Document(cues=(early, late)), fmt)
    assert [(loss.feature, loss.first_cue) for loss in result.losses] == [("time-range", 1)]
    assert [c.plain_text() for c in subkit.loads(result.data, format=fmt).cues] == ["early"]
    with pytest.raises(UnsupportedFeatureError, match="100 hours"):
        subkit.render(Document(cues=(early, late)), fmt, strict=True)


@pytest.mark.parametrize("fmt", ["scc", "mcc"])
@pytest.mark.parametrize("mode", ["pop-on", "paint-on", "roll-up"])
def test_back_to_back_identical_captions_are_reported_as_merged(fmt: str, mode: str) -> None:
    """A caption showing what is already on screen makes no visible change: it reads back joined."""
    cues = (plain_cue(frames(100), frames(200), "Sorry."), plain_cue(frames(200), frames(300), "Sorry."),
            plain_cue(frames(300), frames(400), "Bye."))
    result = subkit.render(Document(cues=cues), fmt, mode=mode)
    assert [(loss.feature, loss.first_cue) for loss in result.losses] == [("merged", 1)]
    back = subkit.loads(result.data, format=fmt)
    assert [c.plain_text() for c in back] == ["Sorry.", "Bye."]
    # With an erase between them (a gap), both come back.
    apart = (cues[0], plain_cue(frames(260), frames(360), "Sorry."))
    result = subkit.render(Document(cues=apart), fmt, mode=mode)
    assert result.losses.losses == ()
    assert len(subkit.loads(result.data, format=fmt).cues) == 2


def long_document(count: int, gap: int, drop_frame: bool) -> Document:
    cues = []
    for n in range(count):
        start = 150 + n * gap
        cues.append(plain_cue(frames(start), frames(start + gap - 30), f"Caption number {n}\nsecond line {n % 7}"))
    return Document(cues=tuple(cues), frame_rate=FPS_29_97, drop_frame=drop_frame)


@pytest.mark.parametrize("drop_frame", [True, False])
def test_two_hour_round_trip_is_frame_exact(drop_frame: bool) -> None:
    doc = long_document(1200, 180, drop_frame)  # 1200 captions of ~5 s over 2 hours
    assert doc.cues[-1].end_ms > 2 * 3600 * 1000
    text, losses = render(doc)
    assert losses == []
    assert ("01:59:" in text) and ((";" in text.split("\n")[2]) == drop_frame)
    back = read(text)
    assert back.drop_frame == drop_frame
    assert [(c.start_ms, c.end_ms, c.plain_text()) for c in back] == [
        (c.start_ms, c.end_ms, c.plain_text()) for c in doc]


def test_write_read_write_is_stable_for_corpus_like_input() -> None:
    doc = subkit.load(FIXTURES / "scc" / "popon.scc")
    text, losses = render(doc)
    again = read(text)
    assert losses == [] and again.cues == doc.cues


# ------------------------------------------------------------------ round-trip property

ALPHABET = "abcxyzABCXYZ0189.,!?'-éñ♪Á*{"
STYLES = [(0, False, False), (0, True, False), (0, False, True), (1, False, False), (4, False, True),
          (4, True, False), (5, False, False)]


def _style(key: tuple[int, bool, bool]) -> RunStyle:
    color, italic, underline = key
    return RunStyle(color=COLORS[color], italic=True if italic else None, underline=True if underline else None)


def _one_code(current: tuple[int, bool, bool], target: tuple[int, bool, bool]) -> bool:
    """Whether one mid-row code goes from ``current`` to ``target`` (the writer then needs no extra column)."""
    return not target[1] or current[0] == target[0]


@st.composite
def line_content(draw: st.DrawFn) -> list[ContentItem]:
    items: list[ContentItem] = []
    keys: list[tuple[int, bool, bool]] = [draw(st.sampled_from(STYLES))]
    for _ in range(draw(st.integers(0, 2))):
        options = [k for k in STYLES if k != keys[-1] and _one_code(keys[-1], k)]
        keys.append(draw(st.sampled_from(options)))
    budget = 28
    for i, key in enumerate(keys):
        word = draw(st.text(alphabet=ALPHABET, min_size=1, max_size=max(1, budget // len(keys) - 1)))
        text = word + (" " if i < len(keys) - 1 else "")
        items.append(Run(text, _style(key)))
    return items


@st.composite
def pop_on_documents(draw: st.DrawFn) -> Document:
    cues = []
    frame = draw(st.integers(150, 400))
    for _ in range(draw(st.integers(1, 4))):
        content: list[ContentItem] = []
        for i in range(draw(st.integers(1, 4))):
            if i:
                content.append(LineBreak())
            content.extend(draw(line_content()))
        length = draw(st.integers(2, 200))
        cues.append(Cue(start_ms=frames(frame), end_ms=frames(frame + length), content=tuple(content),
                        caption_mode="pop-on"))
        frame += length + draw(st.sampled_from([0, 1, 2, 150]))
        frame = max(frame, cues[-1].end_ms and frame)
        frame += 150  # room to load the next caption
    return Document(cues=tuple(cues), frame_rate=FPS_29_97, drop_frame=draw(st.booleans()))


@given(pop_on_documents())
def test_round_trip_property(doc: Document) -> None:
    """Documents within 608's limits -> SCC -> the same cues (times, text, styles, mode)."""
    text, losses = render(doc)
    assert losses == []
    back = read(text)
    assert [(c.start_ms, c.end_ms, c.content, c.caption_mode) for c in back] == [
        (c.start_ms, c.end_ms, c.content, c.caption_mode) for c in doc]
    assert back.diagnostics == ()
    # What the reader made (with its 608 layout and placement) comes back exactly.
    assert read(render(back)[0]).cues == back.cues


# ------------------------------------------------------------------ golden files


def check_snapshot(path: Path, actual: str) -> None:
    golden.check_text(path, actual, newline=None)


def check_golden(source: Path, fmt: str) -> None:
    """Reader snapshot (``<case>.subkit.json``) and writer output from it (``<case>.<fmt>.out``)."""
    doc = subkit.load(source, format=fmt)
    doc = doc.replace(diagnostics=tuple(dataclasses.replace(d, source=None) for d in doc.diagnostics))
    snapshot = str(subkit.dumps(doc, "subkit_json"))
    check_snapshot(source.with_name(source.stem + ".subkit.json"), snapshot)
    model = subkit.loads(snapshot, format="subkit_json")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", subkit.LossyConversionWarning)
        written = str(subkit.dumps(model, fmt))
    check_snapshot(source.with_name(source.name + ".out"), written)
    again = subkit.loads(written, format=fmt)
    assert [(c.start_ms, c.end_ms, c.content) for c in again] == [(c.start_ms, c.end_ms, c.content) for c in doc]


@pytest.mark.parametrize("source", sorted((FIXTURES / "scc").glob("*.scc")), ids=lambda p: p.stem)
def test_golden(source: Path) -> None:
    check_golden(source, "scc")


# ------------------------------------------------------------------ corpus and caption-inspector


def dump_captions(path: Path) -> list[str]:
    """The caption texts of a caption-inspector 608 dump, consecutive repeats collapsed."""
    texts: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        quoted = re.findall(r'"(.*?)"(?= \{|$)', line)
        if quoted:
            text = "\n".join(" ".join(q.split()) for q in quoted)
            if not texts or texts[-1] != text:
                texts.append(text)
    return texts


def normalised(doc: Document) -> list[str]:
    return ["\n".join(" ".join(line.split()) for line in c.plain_text().split("\n")) for c in doc.cues]


def test_plan9_matches_the_caption_inspector_dump() -> None:
    if not MEDIA.is_dir():
        pytest.skip("shared corpus not available")
    doc = subkit.load(MEDIA / "Plan9fromOuterSpace.scc")
    assert doc.diagnostics == () and len(doc.cues) == 663
    assert normalised(doc) == dump_captions(MEDIA / "Plan9fromOuterSpace-C1.608")
    assert subkit.loads(render(doc)[0], format="scc").cues == doc.cues


def test_disassembler() -> None:
    text = scc_text(("00:00:01;02", "9420 9420 94d0 c8e9 e980 9137 9137 1220 942f"))
    listing = [str(i) for i in scc.disassemble(text)]
    assert listing == [
        "00:00:01;02  9420 9420  RCL (CC1)",
        "00:00:01;04  94d0  PAC row 14 indent 0 (CC1)",
        '00:00:01;05  c8e9 e980  "Hii"',
        "00:00:01;07  9137 9137  special '♪' (CC1)",
        "00:00:01;09  1220  extended 'Á' (CC1) [parity error]",
        "00:00:01;10  942f  EOC (CC1)",
    ]
    assert scc.disassemble(scc_text(("00:00:01:02", "zz")))[0].text == "not hex"


def test_colours_round_trip_as_608_colours() -> None:
    cue = Cue(start_ms=frames(200), end_ms=frames(300),
              content=(Run("a ", RunStyle(color=Color(r=0, g=0, b=255))), Run("b", RunStyle(color=COLORS[6]))))
    text, losses = render(Document(cues=(cue,)))
    assert losses == [] and read(text).cues[0].content == cue.content


# ------------------------------------------------------------------ robustness

TOKENS = ["Scenarist_SCC V1.0", "\n", "\n\n", "\t", " ", "00:00:01;00", "00:00:01:29", "01:00:00;00", "9420",
          "942c", "942f", "94ad", "9425", "9429", "94d0", "9137", "1220", "91ae", "c8e9", "8080", "zz", "1c20",
          "97a1", "942a", "942b", "1520", "0102"]
noise = st.lists(st.sampled_from(TOKENS) | st.text(max_size=4), max_size=60).map("".join)


@given(text=noise, strict=st.booleans())
def test_reader_only_raises_parse_errors_and_output_reads_back(text: str, strict: bool) -> None:
    try:
        doc = read(text, strict=strict)
    except ParseError as exc:
        assert exc.format == "scc"
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", subkit.LossyConversionWarning)
        again = read(str(subkit.dumps(doc, "scc")))
    assert len(again.cues) <= len(doc.cues) + 1


def test_info_verbose_prints_the_disassembly(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from subkit.cli import cli

    path = tmp_path / "t.scc"
    path.write_text(scc_text(("00:00:01;02", "9420 9420 94d0 94d0 c8e9 942f 942f"), ("00:00:03;00", "942c 942c")))
    result = CliRunner().invoke(cli, ["info", "--verbose", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "disassembly:" in lines
    assert "  00:00:01;02  9420 9420  RCL (CC1)" in lines and "  00:00:03;00  942c 942c  EDM (CC1)" in lines
    plain = CliRunner().invoke(cli, ["info", str(path)])
    assert "disassembly:" not in plain.stdout
