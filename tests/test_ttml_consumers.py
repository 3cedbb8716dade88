"""What subkit writes as TTML and EBU-TT-D, as real players present it.

Every source (the fixtures here, and every corpus TTML, DFXP, WebVTT and SRT
file) is read by subkit, written as ``ttml`` and ``ebu_tt_d``, and handed to
two judges: ttconv's ISD sequence and imscJS (see ``tests/ttml_judges.py``). At
the midpoint between every two cue boundaries each judge must present the lines
subkit itself reads from the source. Every EBU-TT-D output must also be valid
against EBU's XSD (``../shared/schemas/ebu-tt-d``).

The corpus runs are bounded: each file is judged on its first
``CORPUS_CUES`` cues at no more than ``CORPUS_INSTANTS`` instants, so a
subtitle track of a feature film costs what a short file does; every file is
still judged.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest

import subkit
from subkit.model import Document

from . import ttml_judges as judges
from .conftest import CORPUS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
OUTPUTS = ("ttml", "ebu_tt_d")
CORPUS_CUES = 80
CORPUS_INSTANTS = 120

#: Outputs the judges present differently from subkit's reading of the source, and why: (source, output
#: format) -> reason. Each is a reading question (how subkit reads the source), not a writing one: the writer
#: passes through what the reader kept, and the judges apply it.
_DISPLAY = ("the reader keeps content with tts:display=\"none\" (or switched by <set>) as displayed cues and keeps "
            "the attribute and the animations; the ttml writer passes them through and players apply them")
KNOWN: dict[tuple[str, str], str] = {
    ("imsc-tests/imsc1/ttml/display/Display002.ttml", "ttml"): _DISPLAY,
    ("imsc-tests/imsc1/ttml/display/Display004.ttml", "ttml"): _DISPLAY,
    ("imsc-tests/imsc1/ttml/timing/MediaParTiming002.ttml", "ttml"): _DISPLAY,
    ("imsc-tests/imsc1/ttml/timing/MediaSeqTiming007.ttml", "ttml"): _DISPLAY,
    ("imsc-tests/imsc1/ttml/animation/Animation003.ttml", "ttml"): _DISPLAY,
}


def fixture_sources() -> list[Path]:
    """Fixtures of the four source formats: the family's goldens and this test's own minimal files."""
    found = [*sorted((FIXTURES / "consumers").glob("*.*"))]
    for folder, pattern in (("ttml", "*.ttml"), ("dfxp", "*.dfxp"), ("ebu_tt_d", "*.xml"), ("webvtt", "*.vtt")):
        found.extend(sorted((FIXTURES / folder).glob(pattern)))
    return found


def _load(path: Path) -> Document:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return subkit.load(path)


def _schema() -> Any:
    if not judges.EBU_XSD.is_file():
        pytest.skip("EBU-TT-D schema not available (../shared/schemas/ebu-tt-d)")
    from lxml import etree  # type: ignore[import-untyped]

    return etree.XMLSchema(etree.parse(str(judges.EBU_XSD)))


def _validate(schema: Any, xml: str) -> str | None:
    from lxml import etree

    try:
        schema.assertValid(etree.fromstring(xml.encode("utf-8")))
    except (etree.DocumentInvalid, etree.XMLSyntaxError) as exc:
        return str(exc)
    return None


def _cases(docs: list[tuple[str, Document]], limit: int | None) -> list[tuple[str, str, str, list[int],
                                                                              list[judges.Lines]]]:
    """(label, format, written document, instants, subkit's lines) for every source and output format."""
    cases = []
    for label, doc in docs:
        times = judges.instants(doc, limit)
        expected = [judges.subkit_lines(doc, t) for t in times]
        for fmt in OUTPUTS:
            cases.append((label, fmt, judges.write(doc, fmt), times, expected))
    return cases


def _check(tallies: dict[tuple[str, str], judges.Tally]) -> None:
    failures = [f"{judge}/{fmt} {failure}" for (judge, fmt), tally in sorted(tallies.items())
                for failure in tally.failures
                if (failure.split("->")[0], fmt) not in KNOWN]
    summary = "; ".join(f"{judge}/{fmt}: {tally.summary()}" for (judge, fmt), tally in sorted(tallies.items()))
    print(summary)  # the agreement figures, shown with -rP
    assert not failures, f"{summary}\n" + "\n".join(failures[:20])


def _ttconv(cases: list[tuple[str, str, str, list[int], list[judges.Lines]]],
            tallies: dict[tuple[str, str], judges.Tally]) -> None:
    pytest.importorskip("ttconv")
    for label, fmt, xml, times, expected in cases:
        tallies.setdefault(("ttconv", fmt), judges.Tally()).add(f"{label}->{fmt}", expected,
                                                                judges.ttconv_lines(xml, times))


def _imsc(cases: list[tuple[str, str, str, list[int], list[judges.Lines]]],
          tallies: dict[tuple[str, str], judges.Tally]) -> None:
    if not judges.imsc_available():
        pytest.skip("node or the npm imsc package (tests/judges) not available")
    shown = judges.imsc_lines([(xml, times) for _, _, xml, times, _ in cases])
    for (label, fmt, _, _, expected), lines in zip(cases, shown, strict=True):
        tallies.setdefault(("imscJS", fmt), judges.Tally()).add(f"{label}->{fmt}", expected, lines)


# ---------------------------------------------------------------- fixtures


def fixture_cases() -> list[tuple[str, str, str, list[int], list[judges.Lines]]]:
    return _cases([(path.name, _load(path)) for path in fixture_sources()], None)


def test_fixture_outputs_as_ttconv_presents_them() -> None:
    tallies: dict[tuple[str, str], judges.Tally] = {}
    _ttconv(fixture_cases(), tallies)
    _check(tallies)


def test_fixture_outputs_as_imscjs_presents_them() -> None:
    tallies: dict[tuple[str, str], judges.Tally] = {}
    _imsc(fixture_cases(), tallies)
    _check(tallies)


def test_fixture_ebu_tt_d_outputs_are_valid() -> None:
    schema = _schema()
    invalid = [f"{path.name}: {error}" for path in fixture_sources()
               if (error := _validate(schema, judges.write(_load(path), "ebu_tt_d"))) is not None]
    assert not invalid, "\n".join(invalid)


def test_empty_and_unstyled_ebu_tt_d_documents_are_valid() -> None:
    schema = _schema()
    for doc in (Document(), subkit.loads("1\n00:00:01,000 --> 00:00:02,000\nx\n", format="srt")):
        xml = judges.write(doc, "ebu_tt_d")
        assert _validate(schema, xml) is None, xml
        assert subkit.loads(xml, format="ebu_tt_d").cues == doc.cues


def test_a_positioned_cue_is_presented_beside_an_unpositioned_one() -> None:
    """D1: an ``{\\an8}`` cue and a plain one overlap; both must be on screen (one was pruned)."""
    pytest.importorskip("ttconv")
    doc = _load(FIXTURES / "consumers" / "positioned.srt")
    for fmt in (*OUTPUTS, "dfxp"):
        xml = judges.write(doc, fmt)
        # The unpositioned cues flow into an2 through their div; the positioned ones name their region in a div
        # that names none (a div naming an2 would prune them).
        assert xml.count('<div region="an2">') == 2 and xml.count("<div>\n") == 2
        assert 'region="an8"' in xml.split("<div>\n")[1].split("</div>")[0]
        if fmt != "dfxp":  # the judges read the TTML namespace only
            assert judges.ttconv_lines(xml, [2500]) == [("At the bottom", "At the top")]


def test_word_timings_keep_the_line_visible_and_read_back() -> None:
    """D2: karaoke words must not make players show one word at a time; subkit still reads them."""
    pytest.importorskip("ttconv")
    doc = _load(FIXTURES / "consumers" / "karaoke.ass")
    for fmt in OUTPUTS:
        xml = judges.write(doc, fmt)
        assert "<span begin=" not in xml
        assert judges.ttconv_lines(xml, [1100, 3500]) == [("Never gonna give you up",)] * 2
        back = subkit.loads(xml, format=fmt)
        assert back.cues[0].words == doc.cues[0].words  # texts, times and karaoke kinds


# ---------------------------------------------------------------- corpus


def corpus_docs(cues: int | None = CORPUS_CUES) -> list[tuple[str, Document]]:
    """subkit's reading of every corpus source with cues, cut to its first ``cues`` cues."""
    rows = judges.corpus_sources()
    if not rows:
        pytest.skip("shared corpus not available")
    docs = []
    for path, name in rows:
        doc = judges.load_source(CORPUS / path, name)
        if doc is not None and doc.cues:
            docs.append((path, doc if cues is None else doc.replace(cues=doc.cues[:cues])))
    return docs


@pytest.mark.corpus
@pytest.mark.slow
def test_corpus_outputs_as_ttconv_presents_them() -> None:
    tallies: dict[tuple[str, str], judges.Tally] = {}
    _ttconv(_cases(corpus_docs(), CORPUS_INSTANTS), tallies)
    _check(tallies)


@pytest.mark.corpus
@pytest.mark.slow
def test_corpus_outputs_as_imscjs_presents_them() -> None:
    tallies: dict[tuple[str, str], judges.Tally] = {}
    _imsc(_cases(corpus_docs(), CORPUS_INSTANTS), tallies)
    _check(tallies)


@pytest.mark.corpus
def test_corpus_ebu_tt_d_outputs_are_valid() -> None:
    schema = _schema()
    invalid = []
    for path, doc in corpus_docs(None):
        error = _validate(schema, judges.write(doc, "ebu_tt_d"))
        if error is not None:
            invalid.append(f"{path}: {error}")
    assert not invalid, f"{len(invalid)} invalid:\n" + "\n".join(invalid[:20])


def test_ass_back_colour_is_a_background_only_for_an_opaque_box() -> None:
    """D3: ``BackColour`` is the shadow's colour; a box (``BorderStyle=3``) is drawn in the outline colour."""
    doc = _load(FIXTURES / "consumers" / "karaoke.ass")
    for fmt in ("ttml", "dfxp", "ebu_tt_d"):
        result = subkit.render(doc, fmt)
        text = str(result.data)
        default = next(line for line in text.splitlines() if 'xml:id="Default"' in line)
        boxed = next(line for line in text.splitlines() if 'xml:id="Boxed"' in line)
        assert "backgroundColor" not in default
        assert 'tts:backgroundColor="#403020bf"' in boxed
        assert "styles" in {loss.feature for loss in result.losses}  # the shadow colour is reported lost


@pytest.mark.parametrize("fmt", OUTPUTS)
def test_cli_conversion_is_presented_whole(fmt: str, tmp_path: Path) -> None:
    """``subkit convert`` (in process and as a program) writes what the judges present in full."""
    import subprocess
    import sys

    from click.testing import CliRunner

    from subkit.cli import cli

    pytest.importorskip("ttconv")
    source = FIXTURES / "consumers" / "positioned.srt"
    doc = _load(source)
    times = judges.instants(doc)
    expected = [judges.subkit_lines(doc, t) for t in times]
    result = CliRunner().invoke(cli, ["convert", str(source), "-", "--to", fmt])
    assert result.exit_code == 0, result.stderr
    assert judges.ttconv_lines(result.stdout, times) == expected
    out = tmp_path / f"positioned.{fmt}.xml"
    done = subprocess.run([sys.executable, "-m", "subkit", "convert", str(source), str(out), "--to", fmt],
                          capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    written = out.read_text(encoding="utf-8")
    assert written == result.stdout
    if fmt == "ebu_tt_d" and judges.EBU_XSD.is_file():
        assert _validate(_schema(), written) is None
