"""The CEA-608 decoder model, character sets and encoder/scheduler shared by SCC and MCC."""

from __future__ import annotations

from fractions import Fraction

import pytest

from subkit.errors import UnsupportedFeatureError
from subkit.formats._cea608 import (
    COLORS,
    LAYOUT_KEY,
    Caption,
    Decoder,
    describe,
    encode,
    has_odd_parity,
    placement_of,
    with_parity,
)
from subkit.formats._cea608_chars import EXTENDED, SPECIAL, STANDARD, encode_char, substitute
from subkit.model import Color, Cue, Document, LineBreak, LossReport, Placement, Run, RunStyle
from subkit.timing import FPS_29_97


def decode(*lines: tuple[int, str], channel: int = 1, field: int | None = None) -> list[Caption]:
    """Feed ``(frame, "9420 9420 ...")`` lines to a decoder, one word per frame."""
    decoder = Decoder(channel, field=field)
    for frame, words in lines:
        for offset, word in enumerate(words.split()):
            value = int(word, 16)
            decoder.feed(frame + offset, (value >> 8) & 0x7F, value & 0x7F)
    return decoder.finish()


def text(caption: Caption) -> str:
    return "\n".join("".join(char for char, _ in cells) for _, _, cells in caption.rows)


def words_for(message: str) -> str:
    """Standard-set text as words with parity (padded with 80)."""
    data = [with_parity(ord(c)) for c in message]
    if len(data) % 2:
        data.append(0x80)
    return " ".join(f"{data[i]:02x}{data[i + 1]:02x}" for i in range(0, len(data), 2))


# ------------------------------------------------------------------ parity and tables


def test_parity_helpers() -> None:
    assert with_parity(0x14) == 0x94 and with_parity(0x20) == 0x20 and with_parity(0x2C) == 0x2C
    assert with_parity(0x48) == 0xC8
    assert all(has_odd_parity(with_parity(b)) for b in range(128))
    assert not has_odd_parity(0x14)


def test_character_sets_are_complete_and_encode_back() -> None:
    assert len(STANDARD) == 96 and len(SPECIAL) == 16 and len(EXTENDED) == 64
    assert STANDARD[0x2A] == "á" and STANDARD[0x7F] == "█" and STANDARD[0x41] == "A"
    assert SPECIAL[0x37] == "♪" and EXTENDED[(0x12, 0x20)] == "Á" and EXTENDED[(0x13, 0x29)] == "{"
    for code, char in STANDARD.items():
        assert encode_char(char) == (code,)
    for second, char in SPECIAL.items():
        if char != " ":
            assert encode_char(char) == (0x11, second)
    for (first, second), char in EXTENDED.items():
        if char != "'":  # the extended apostrophe duplicates the standard one
            assert encode_char(char) == (first, second)


def test_substitutes() -> None:
    assert substitute("’") == "'" and substitute("–") == "-" and substitute("ō") == "o"
    assert substitute("…") == "..." and substitute("字") == "?"


def test_describe_names_commands_and_channels() -> None:
    assert describe(0x14, 0x2F) == ("EOC", 1)
    assert describe(0x1C, 0x20) == ("RCL", 2)
    assert describe(0x15, 0x2C) == ("EDM", 3)
    assert describe(0x1D, 0x2C) == ("EDM", 4)
    assert describe(0x17, 0x22) == ("TO2", 1)
    assert describe(0x11, 0x40)[0] == "PAC row 1 white"
    assert describe(0x10, 0x40)[0] == "PAC row 11 white"
    assert describe(0x11, 0x2F)[0] == "mid-row italics underline"
    assert describe(0x11, 0x37)[0] == "special '♪'"
    assert describe(0x12, 0x20)[0] == "extended 'Á'"
    assert describe(0, 0) == ("null", None)


# ------------------------------------------------------------------ pop-on


def test_pop_on_shows_at_eoc_and_ends_at_edm() -> None:
    (caption,) = decode((10, f"9420 9420 94d0 94d0 {words_for('Hello')} 942f 942f"), (100, "942c 942c"))
    assert text(caption) == "Hello"
    assert (caption.start, caption.end, caption.mode) == (10 + 7, 100, "pop-on")
    assert caption.rows[0][:2] == (14, 0)


def test_next_eoc_replaces_the_caption() -> None:
    first, second = decode(
        (0, f"9420 9420 94d0 94d0 {words_for('One')} 942f 942f"),
        (50, f"9420 9420 94ae 94ae 94d0 94d0 {words_for('Two')} 942f 942f"),
    )
    assert (text(first), first.end) == ("One", 50 + 8)
    assert (text(second), second.start, second.end) == ("Two", 58, None)


def test_without_enm_the_old_caption_comes_back_from_non_displayed_memory() -> None:
    # EOC swaps the memories: the old caption is now in the non-displayed one.
    captions = decode(
        (0, f"9420 94d0 {words_for('AB')} 942f"),
        (20, "9420 942f"),
    )
    assert [text(c) for c in captions] == ["AB"]
    captions = decode(
        (0, f"9420 94d0 {words_for('A')} 942f"),
        (20, f"9420 94d0 {words_for('B')} 942f"),
        (40, f"9420 9470 {words_for('C')} 942f"),
    )
    assert [text(c) for c in captions] == ["A", "B", "A\nC"]


def test_doubled_control_codes_are_ignored_once() -> None:
    # Three RCL/PAC in a row: the second is a repeat, the third acts again (harmless here).
    (caption,) = decode((0, f"9420 9420 9420 94d0 94d0 {words_for('x')} 942f 942f 942f"))
    assert text(caption) == "x"
    # Special characters are control codes too: "♪♪" is sent as four words.
    (caption,) = decode((0, "9420 94d0 9137 9137 9137 9137 942f"))
    assert text(caption) == "♪♪"


def test_pac_rows_indents_colours_italics_underline() -> None:
    (caption,) = decode((0, f"9420 9140 {words_for('a')} 1040 {words_for('b')} 94f8 {words_for('c')} "
                            f"94ce {words_for('d')} 942f"))
    rows = caption.rows
    assert [(r, c) for r, c, _ in rows] == [(1, 0), (11, 0), (14, 0), (15, 16)]
    assert rows[3][2][0][1] == (0, False, False)  # 94f8: row 15 indent 16, white
    assert rows[2][2][0][1] == (0, True, False)  # 94ce: row 14, italics
    (caption,) = decode((0, f"9420 91c2 {words_for('g')} 9161 {words_for('u')} 942f"))
    (_, _, cells), (_, _, cells2) = caption.rows
    assert cells[0][1] == (1, False, False)  # green
    assert cells2[0][1] == (0, False, True)  # row 2 white underline


def test_mid_row_codes_take_a_column_and_change_style() -> None:
    (caption,) = decode((0, f"9420 94d0 {words_for('Hi')} 91ae {words_for('there')} 9120 {words_for('x')} 942f"))
    cells = caption.rows[0][2]
    assert "".join(c for c, _ in cells) == "Hi there x"
    assert cells[2] == (" ", (0, False, False))  # the code's column, in the style before it
    assert cells[3][1] == (0, True, False)  # italics
    assert cells[9][1] == (0, False, False)  # white turns italics off
    # A colour code turns italics off, the italics code keeps the colour.
    (caption,) = decode((0, f"9420 94d0 91a8 {words_for('r')} 91ae {words_for('i')} 942f"))
    cells = caption.rows[0][2]
    assert cells[0][1] == (4, False, False) and cells[2][1] == (4, True, False)


def test_special_and_extended_characters() -> None:
    # The extended character replaces the fallback before it.
    (caption,) = decode((0, f"9420 94d0 {words_for('A')} 1220 1220 {words_for('b')} 91b7 942f"))
    assert text(caption) == "Áb♪" or text(caption) == "Áb÷"
    (caption,) = decode((0, f"9420 94d0 {words_for('E')} 9137 942f"))
    assert text(caption) == "E♪"


def test_tab_offsets_backspace_and_delete_to_end_of_row() -> None:
    (caption,) = decode((0, f"9420 9452 97a2 {words_for('abc')} 94a1 {words_for('d')} 942f"))
    assert caption.rows[0][1] == 4 + 2 and text(caption) == "abd"
    (caption,) = decode((0, f"9420 94d0 {words_for('abcdef')} 9452 94a4 942f"))
    assert text(caption) == "abcd"


def test_transparent_space_leading_spaces_and_gaps() -> None:
    (caption,) = decode((0, f"9420 94d0 91b9 91b9 91b9 {words_for('x  y ')} 942f"))
    assert caption.rows[0][1] == 2 and text(caption) == "x  y"


# ------------------------------------------------------------------ roll-up and paint-on


def test_roll_up_shows_text_as_it_arrives_and_scrolls_on_cr() -> None:
    captions = decode(
        (0, f"9425 9425 94ad 94ad 94e0 94e0 {words_for('one')}"),
        (60, f"94ad 94ad 94e0 94e0 {words_for('two')}"),
        (120, f"94ad 94ad 94e0 94e0 {words_for('three')}"),
        (200, "942c 942c"),
    )
    assert [text(c) for c in captions] == ["one", "one\ntwo", "two\nthree"]
    assert [(c.start, c.end) for c in captions] == [(0, 60), (60, 120), (120, 200)]
    assert {c.mode for c in captions} == {"roll-up2"}
    assert [r for r, _, _ in captions[2].rows] == [14, 15]


def test_roll_up_base_row_from_pac_and_depth_change() -> None:
    captions = decode(
        (0, f"9426 9426 94ad 94ad 1340 1340 {words_for('a')}"),
        (30, f"94ad 94ad 1340 1340 {words_for('b')}"),
        (60, f"94ad 94ad 1340 1340 {words_for('c')}"),
        (90, "9425 9425"),
    )
    assert [r for r, _, _ in captions[1].rows] == [11, 12]
    assert captions[2].mode == "roll-up3" and text(captions[2]) == "a\nb\nc"
    assert text(captions[-1]) == "b\nc"  # RU2 keeps only the base row and the one above


def test_paint_on_bursts_make_one_caption_each() -> None:
    captions = decode(
        (0, f"9429 9429 94d0 94d0 {words_for('Hel')}"),
        (10, f"{words_for('lo')}"),
        (20, "94d0 94a4"),
        (40, "942c 942c"),
    )
    assert [text(c) for c in captions] == ["Hel", "Hello"]
    assert [(c.start, c.end, c.mode) for c in captions] == [(0, 10, "paint-on"), (10, 20, "paint-on")]


def test_null_pair_splits_bursts() -> None:
    captions = decode((0, f"9429 9429 94d0 94d0 {words_for('ab')} 8080 {words_for('cd')}"))
    assert [text(c) for c in captions] == ["ab", "abcd"]


def test_text_mode_data_is_not_caption_text() -> None:
    (caption,) = decode((0, f"9420 94d0 {words_for('ok')} 942b 942b {words_for('zz')} 9420 942f"))
    assert text(caption) == "ok"


# ------------------------------------------------------------------ channels and fields


def test_channel_selection() -> None:
    line = (0, f"9420 94d0 {words_for('one')} 1c20 1cd0 {words_for('two')} 942f 1c2f")
    assert [text(c) for c in decode(line)] == ["one"]
    assert [text(c) for c in decode(line, channel=2)] == ["two"]


def test_field_two_codes_in_a_single_stream_are_cc3() -> None:
    line = (0, f"9420 94d0 {words_for('one')} 1520 94d0 {words_for('three')} 152f 942f")
    assert [text(c) for c in decode(line)] == ["one"]
    assert [text(c) for c in decode(line, channel=3)] == ["three"]
    # With the field known (MCC), 0x14 codes belong to that field's channel.
    assert [text(c) for c in decode((0, f"9420 94d0 {words_for('f2')} 942f"), channel=3, field=2)] == ["f2"]


# ------------------------------------------------------------------ placement


def test_placement_of_grid_blocks() -> None:
    assert placement_of([(15, 0, 10)]) == Placement(align=1, x=10.0, y=90.0)
    assert placement_of([(1, 22, 10)]) == Placement(align=9, x=90.0, y=10.0)
    middle = placement_of([(7, 11, 10), (8, 11, 10)])
    assert middle.align == 5 and middle.x == 50.0


# ------------------------------------------------------------------ encoder and scheduling


def cue(start: int, end: int, body: str = "Hello", **kw: object) -> Cue:
    lines = body.split("\n")
    content: list[object] = []
    for i, line in enumerate(lines):
        if i:
            content.append(LineBreak())
        content.append(Run(line))
    return Cue(start_ms=start, end_ms=end, content=tuple(content), **kw)  # type: ignore[arg-type]


def frames_ms(frame: int) -> int:
    from subkit.timing import frames_to_ms

    return frames_to_ms(frame, FPS_29_97)


def run(doc: Document, **kw: object) -> tuple[list[Caption], LossReport]:
    report = LossReport("scc")
    scheduled = encode(doc, fps=FPS_29_97, report=report, **kw)  # type: ignore[arg-type]
    decoder = Decoder(1)
    for frame in sorted(scheduled.words):
        word = scheduled.words[frame]
        decoder.feed(frame, (word >> 8) & 0x7F, word & 0x7F)
    return decoder.finish(), report


def test_eoc_lands_on_the_start_frame_and_edm_on_the_end_frame() -> None:
    doc = Document(cues=(cue(frames_ms(300), frames_ms(400)), cue(frames_ms(400), frames_ms(420), "Next")))
    captions, report = run(doc)
    assert [(c.start, c.end) for c in captions] == [(300, 400), (400, 420)]
    assert not report


def test_loading_goes_around_the_previous_erase() -> None:
    # The second caption loads while the first is shown and around its EDM.
    doc = Document(cues=(cue(frames_ms(100), frames_ms(130), "A" * 30), cue(frames_ms(135), frames_ms(200), "B" * 30)))
    captions, report = run(doc)
    assert [(c.start, c.end) for c in captions] == [(100, 130), (135, 200)]
    assert not report


def test_colliding_captions_start_late_and_are_reported() -> None:
    doc = Document(cues=(cue(frames_ms(100), frames_ms(200), "A" * 30), cue(frames_ms(103), frames_ms(300), "B" * 30)))
    captions, report = run(doc)
    assert captions[1].start > 103
    assert {loss.feature for loss in report} >= {"timing", "overlap"}
    with pytest.raises(UnsupportedFeatureError):
        encode(doc, fps=FPS_29_97, report=LossReport("scc", strict=True))


def test_caption_too_short_to_load_is_dropped() -> None:
    doc = Document(cues=(cue(frames_ms(100), frames_ms(200), "A" * 30), cue(frames_ms(101), frames_ms(104), "B" * 30)))
    captions, report = run(doc)
    assert "dropped" in {loss.feature for loss in report}
    assert all("B" not in text(c) for c in captions)


def test_first_caption_too_early_to_load_starts_late() -> None:
    captions, report = run(Document(cues=(cue(0, 5000),)))
    assert captions[0].start > 0 and "timing" in {loss.feature for loss in report}


def test_wrapping_rows_and_characters_are_reported() -> None:
    long = "word " * 12 + "end"
    captions, report = run(Document(cues=(cue(frames_ms(200), frames_ms(300), long + "\nx\ny\nz\nw"),)))
    features = {loss.feature for loss in report}
    assert {"line-length", "rows"} <= features
    assert len(captions[0].rows) == 4 and all(len(cells) <= 32 for _, _, cells in captions[0].rows)
    captions, report = run(Document(cues=(cue(frames_ms(200), frames_ms(300), "naïve ‘quote’ 字"),)))
    assert text(captions[0]) == "naïve ‘quote' ?"
    assert {loss.feature for loss in report} == {"characters"}


def test_styles_through_pacs_and_mid_row_codes() -> None:
    green = RunStyle(color=Color(r=0, g=255, b=0))
    green_italic = RunStyle(color=green.color, italic=True, underline=True)
    content = (Run("plain ", RunStyle()), Run("green ", green), Run("ital", green_italic))
    captions, report = run(Document(cues=(Cue(start_ms=frames_ms(200), end_ms=frames_ms(300), content=content),)))
    cells = captions[0].rows[0][2]
    assert "".join(c for c, _ in cells) == "plain green ital"
    assert cells[0][1] == (0, False, False) and cells[6][1] == (1, False, False) and cells[12][1] == (1, True, True)
    assert not report
    # From green to white italics takes two mid-row codes: one replaces the space, one costs a column.
    two = (Run("green ", green), Run("ital", RunStyle(italic=True)))
    captions, report = run(Document(cues=(Cue(start_ms=frames_ms(200), end_ms=frames_ms(300), content=two),)))
    assert text(captions[0]) == "green  ital" and [loss.feature for loss in report] == ["style-space"]


def test_colours_snap_and_are_reported() -> None:
    orange = RunStyle(color=Color(r=255, g=160, b=0))
    content = (Run("x", orange),)
    captions, report = run(Document(cues=(Cue(start_ms=frames_ms(200), end_ms=frames_ms(300), content=content),)))
    assert captions[0].rows[0][2][0][1][0] == COLORS.index(Color(r=255, g=255, b=0))
    assert [loss.feature for loss in report] == ["color"]


def test_layout_extra_is_used_when_it_fits() -> None:
    c = cue(frames_ms(200), frames_ms(300), "ab\ncd", extra={LAYOUT_KEY: "3:5 9:20"})
    captions, _ = run(Document(cues=(c,)))
    assert [(r, col) for r, col, _ in captions[0].rows] == [(3, 5), (9, 20)]


def test_positions_snap_to_the_grid() -> None:
    c = cue(frames_ms(200), frames_ms(300), "top", placement=Placement(align=8, x=50.0, y=10.0))
    captions, report = run(Document(cues=(c,)))
    assert captions[0].rows[0][0] == 1 and not report
    c = cue(frames_ms(200), frames_ms(300), "top", placement=Placement(align=8, x=50.0, y=12.0))
    _, report = run(Document(cues=(c,)))
    assert [loss.feature for loss in report] == ["position"]


def test_roll_up_writer_sends_only_new_lines() -> None:
    cues = (
        cue(frames_ms(100), frames_ms(200), "one", caption_mode="roll-up2"),
        cue(frames_ms(200), frames_ms(300), "one\ntwo", caption_mode="roll-up2"),
        cue(frames_ms(300), frames_ms(400), "two\nthree", caption_mode="roll-up2"),
    )
    captions, report = run(Document(cues=cues))
    assert [text(c) for c in captions] == ["one", "one\ntwo", "two\nthree"]
    assert [(c.start, c.end, c.mode) for c in captions] == [
        (100, 200, "roll-up2"), (200, 300, "roll-up2"), (300, 400, "roll-up2")]
    assert not report


def test_mode_option_writes_paint_on() -> None:
    doc = Document(cues=(cue(frames_ms(100), frames_ms(200), "a"), cue(frames_ms(250), frames_ms(300), "b")))
    captions, _ = run(doc, mode="paint-on")
    assert [(text(c), c.start, c.end, c.mode) for c in captions] == [
        ("a", 100, 200, "paint-on"), ("b", 250, 300, "paint-on")]


def test_encoder_frames_at_other_rates() -> None:
    report = LossReport("scc")
    scheduled = encode(Document(cues=(cue(2000, 3000),)), fps=Fraction(25), report=report)
    assert scheduled.fps == 25 and min(scheduled.words) < 50 < max(scheduled.words)


def test_caption_mode_changes() -> None:
    # Pop-on on screen, then RU2: entering roll-up erases the display; then back to pop-on.
    captions = decode(
        (0, f"9420 94d0 {words_for('pop')} 942f"),
        (40, f"9425 9425 94ad 94ad 94e0 94e0 {words_for('roll')}"),
        (80, f"9420 9420 94ae 94ae 94d0 94d0 {words_for('pop2')} 942f 942f"),
    )
    assert [(text(c), c.mode) for c in captions] == [("pop", "pop-on"), ("roll", "roll-up2"), ("pop2", "pop-on")]
    assert captions[0].end == 40 and captions[1].end == 80 + 8  # the EOC of "pop2"
    # Paint-on after pop-on writes straight onto the displayed caption.
    captions = decode(
        (0, f"9420 94d0 {words_for('ab')} 942f"),
        (40, f"9429 9429 94d0 94d0 97a2 97a2 {words_for('cd')}"),
    )
    assert [(text(c), c.mode) for c in captions] == [("ab", "pop-on"), ("abcd", "paint-on")]
