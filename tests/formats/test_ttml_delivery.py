"""Delivery options of the TTML family writers (ttml, dfxp, ebu_tt_d, itt) and WebVTT's language.

Frame-based times are checked three ways: subkit reads back every time at the
frame it was written at (within half a frame of the original), ttconv (a real
TTML player model) shows the same lines as the source at every instant, and the
CLI writes ``.itt`` files and passes ``--language`` to the writers that record one.
"""

from __future__ import annotations

import warnings
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import subkit
from subkit import formats
from subkit.cli import cli
from subkit.errors import ConfigError
from subkit.model import Cue, Document, Run
from subkit.timing import frames_to_ms, ms_to_frames, parse_fps
from tests import ttml_judges as judges
from tests.ops.helpers import run_subkit

SRT = "1\n00:00:01,000 --> 00:00:02,500\nHello\n\n2\n00:00:03,040 --> 00:00:04,999\nWorld\n"
RATES = ["24", "25", "30", "23.976", "29.97", "50", "59.94"]


def _doc(times: list[tuple[int, int]]) -> Document:
    return Document(cues=tuple(Cue(start_ms=s, end_ms=e, content=(Run(f"line {i}"),)) for i, (s, e) in
                               enumerate(times)))


def _write(doc: Document, fmt: str, **options: Any) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        text = subkit.dumps(doc, format=fmt, **options)
    assert isinstance(text, str)
    return text


@st.composite
def _timed(draw: st.DrawFn) -> list[tuple[int, int]]:
    starts = sorted(draw(st.lists(st.integers(0, 3 * 3_600_000), min_size=1, max_size=8, unique=True)))
    return [(s, s + draw(st.integers(1, 9000))) for s in starts]


@pytest.mark.parametrize(("fmt", "options"), [
    ("ttml", {"time_format": "frames"}),
    ("ttml", {"time_format": "frames", "time_base": "smpte", "profile": "smpte-tt"}),
    ("dfxp", {"time_format": "frames"}),
    ("dfxp", {"time_base": "smpte"}),
    ("itt", {}),
])
@settings(max_examples=40, deadline=None)
@given(times=_timed(), rate_text=st.sampled_from(RATES))
def test_frame_times_read_back_on_the_frame(fmt: str, options: dict[str, str], times: list[tuple[int, int]],
                                            rate_text: str) -> None:
    rate = parse_fps(rate_text)
    text = _write(_doc(times), fmt, fps=rate_text, **options)
    smpte = fmt == "itt" or options.get("time_base") == "smpte"
    assert ('ttp:timeBase="smpte"' in text) is smpte
    back = subkit.loads(text, format="ttml")
    assert back.frame_rate == rate
    half_frame = 500 / rate + 1
    for cue, (start, end) in zip(back.cues, times, strict=True):
        for got, want in ((cue.start_ms, start), (cue.end_ms, end)):
            assert abs(got - want) <= half_frame
            if smpte:  # SMPTE labels count frames: the time is that frame's start
                assert got == frames_to_ms(ms_to_frames(want, rate), rate)


@pytest.mark.parametrize(("fmt", "options"), [
    ("ttml", {"time_format": "frames", "fps": "25"}),
    ("ttml", {"time_format": "frames", "fps": "29.97"}),
    ("ttml", {"time_base": "smpte", "fps": "23.976", "profile": "smpte-tt"}),
    ("itt", {"fps": "25"}),
    ("ttml", {"time_base": "smpte", "fps": "30", "profile": "dfxp-full"}),  # ttconv reads no 2006 namespace
])
def test_ttconv_shows_frame_timed_outputs_as_the_source(fmt: str, options: dict[str, str]) -> None:
    pytest.importorskip("ttconv")
    source = subkit.loads(SRT, format="srt")
    text = _write(source, fmt, **options)
    read_back = subkit.loads(text, format="ttml")
    instants = judges.instants(read_back)
    shown = judges.ttconv_lines(text, instants)
    assert not isinstance(shown, str), shown
    assert shown == [judges.subkit_lines(read_back, at) for at in instants]
    assert [c.plain_text() for c in read_back] == ["Hello", "World"]


def test_language_and_profiles() -> None:
    doc = subkit.loads(SRT, format="srt")
    assert 'xml:lang="pt-BR"' in _write(doc, "ttml", language="pt-BR")
    assert 'xml:lang="de"' in _write(doc, "ebu_tt_d", language="de")
    assert 'xml:lang="fr"' in _write(doc, "dfxp", language="fr")
    assert subkit.loads(_write(doc, "ttml", language="pt-BR")).language == "pt-BR"
    assert _write(doc, "webvtt", language="de").startswith("WEBVTT Language: de\n")
    imsc11 = _write(doc, "ttml", profile="imsc1.1")
    assert 'ttp:contentProfiles="http://www.w3.org/ns/ttml/profile/imsc1.1/text"' in imsc11
    assert "ttp:profile=" not in imsc11
    assert 'ttp:profile="http://www.smpte-ra.org/schemas/2052-1/2010/profiles/smpte-tt-full"' in _write(
        doc, "ttml", profile="smpte-tt")
    assert "ttp:profile" not in _write(doc, "ttml", profile="none")
    assert _write(doc, "ttml", profile="ebu-tt-d") == _write(doc, "ebu_tt_d")
    assert _write(doc, "ttml", profile="dfxp") == _write(doc, "dfxp")
    assert _write(doc, "ttml", profile="itt", fps="25") == _write(doc, "itt", fps="25")


@pytest.mark.parametrize(("fmt", "options", "message"), [
    ("ttml", {"time_format": "frames"}, "need a frame rate"),
    ("ttml", {"time_base": "smpte", "fps": "25"}, "allows only media time"),
    ("ttml", {"time_format": "frames", "fps": "12.5"}, "cannot state the frame rate"),
    ("ttml", {"time_format": "frames", "fps": "fast"}, "not a frame rate"),
])
def test_bad_timing_options_are_config_errors(fmt: str, options: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        _write(subkit.loads(SRT, format="srt"), fmt, **options)


def test_itt_is_a_format_of_its_own_extension() -> None:
    assert formats.for_path("out.itt").name == "itt"
    text = _write(subkit.loads(SRT, format="srt"), "itt")
    assert formats.detect(text).name == "ttml"  # by content an iTT file is TTML, read the same way
    assert 'ttp:frameRate="30"' in text and 'ttp:dropMode="nonDrop"' in text


def test_cli_writes_itt_and_passes_the_language(tmp_path: Path) -> None:
    source = tmp_path / "in.srt"
    source.write_text(SRT, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["convert", str(source), str(tmp_path / "out.itt"), "-l", "en-US", "--fps", "25"])
    assert result.exit_code == 0, result.stderr
    written = (tmp_path / "out.itt").read_text(encoding="utf-8")
    assert 'xml:lang="en-US"' in written and 'ttp:frameRate="25"' in written
    assert '<p begin="00:00:01:00" end="00:00:02:13">Hello</p>' in written
    result = runner.invoke(cli, ["convert", str(source), "-", "--to", "ttml", "-l", "en"])
    assert result.exit_code == 0, result.stderr
    assert 'xml:lang="en"' in result.stdout
    result = runner.invoke(cli, ["convert", str(source), "-", "--to", "vtt", "-l", "en"])
    assert result.exit_code == 0 and result.stdout.startswith("WEBVTT Language: en"), result.stderr
    result = runner.invoke(cli, ["convert", str(source), "-", "--to", "ttml", "-w", "time_fromat=frames"])
    assert result.exit_code != 0
    assert "the ttml writer has no option 'time_fromat' (did you mean 'time_format'?" in result.stderr
    completed = run_subkit("convert", str(source), str(tmp_path / "sub.itt"), "--language", "fr")
    assert completed.returncode == 0, completed.stderr
    assert subkit.load(tmp_path / "sub.itt").language == "fr"
    completed = run_subkit("convert", str(source), "-", "--to", "ttml", "-w", "time_format=frames", "--fps", "25")
    assert completed.returncode == 0, completed.stderr
    assert 'begin="00:00:03:01"' in completed.stdout
    assert Fraction(25) == subkit.loads(completed.stdout).frame_rate


def test_formats_verbose_shows_values_defaults_and_meaning() -> None:
    result = CliRunner().invoke(cli, ["formats", "--verbose"])
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert "writeer" not in text
    assert "ttml writer:\n" in text
    assert "  time_format = 'clock' | 'frames' (default: clock)\n      clock (hh:mm:ss.mmm) or frames" in text
    assert "  fps = str | none (default: none)\n      the frame rate of the timecodes" in text  # itt
    assert "  nested_times = 'offset' | 'absolute' (default: offset)" in text
    completed = run_subkit("formats", "--json")
    assert completed.returncode == 0, completed.stderr
    import json

    (itt,) = [record for record in json.loads(completed.stdout) if record["name"] == "itt"]
    assert {d["name"]: d["default"] for d in itt["write_option_details"]} == {"bom": False, "language": None,
                                                                                "fps": None}


def test_writer_language_must_be_a_bcp47_tag() -> None:
    doc = subkit.loads(SRT, format="srt")
    for fmt in ("ttml", "webvtt", "itt", "ebu_tt_d"):
        with pytest.raises(ConfigError, match="not a BCP 47 language tag"):
            _write(doc, fmt, language="not a tag!")
    with pytest.raises(ConfigError, match="write 'pt-BR'"):
        _write(doc, "ttml", language="pt_BR")
