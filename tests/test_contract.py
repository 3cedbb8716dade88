"""Guards: every registry row follows the format contract, and the sniffers do not collide on our fixtures.

A new format gets these checks for free as soon as it has a row in the registry; a new sniffer that
claims another format's fixture fails here instead of in some unrelated test.
"""

from __future__ import annotations

import dataclasses
import inspect
from pathlib import Path

import pytest

from subkit import formats
from subkit.errors import FormatDetectionError
from subkit.formats import BaseReadOptions, BaseWriteOptions, FormatSpec
from subkit.formats._features import FEATURE_MESSAGES
from subkit.model import Document, LossReport
from tests import golden

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"

#: Formats whose tests live with a family's test module.
TESTED_WITH = {"dfxp": "ttml", "ebu_tt_d": "ttml", "itt": "ttml_delivery"}

#: Fixtures whose content honestly fits another format better: the name, not the content, picks theirs.
DETECTED_AS_OTHER = {
    # A Facebook SRT is an SRT whose file name carries the locale; by content it is plain SRT.
    ("facebook_srt", "video.en_US.srt"): "srt",
    # A header-less SubViewer 2.0 file with `H:MM:SS.cc,H:MM:SS.cc` times is also valid SBV, and SBV is what the
    # sniffers agree on; `--from subviewer` reads it as SubViewer.
    ("subviewer", "lenient.sub"): "sbv",
    # The WebVTT files shaka-packager was given to make the fMP4 samples beside them.
    ("mp4_stpp", "shaka-source.vtt"): "webvtt",
    ("mp4_wvtt", "shaka-source.vtt"): "webvtt",
}


@pytest.mark.parametrize("spec", formats.FORMATS, ids=lambda s: s.name)
def test_registry_row_follows_the_contract(spec: FormatSpec) -> None:
    assert spec.name.isidentifier() and spec.name == spec.name.lower()
    assert spec.module == f"subkit.formats.{spec.name}"
    # facebook_srt alone has no extension of its own: its files are `.srt`, picked by name only.
    assert spec.extensions or spec.name == "facebook_srt"
    assert all(ext.startswith(".") and ext == ext.lower() for ext in spec.extensions)
    assert formats.get(spec.name) is spec
    for alias in spec.aliases:
        assert formats.get(alias) is spec
    module = spec.load()
    assert spec.name == module.NAME
    assert isinstance(module.FEATURES, frozenset)
    assert set(FEATURE_MESSAGES) >= module.FEATURES, sorted(module.FEATURES - set(FEATURE_MESSAGES))
    for name, base in (("ReadOptions", BaseReadOptions), ("WriteOptions", BaseWriteOptions)):
        options: type = getattr(module, name)
        assert issubclass(options, base), f"{spec.name}.{name} must derive from {base.__name__}"
        assert dataclasses.is_dataclass(options)
        options()  # every option has a default
    assert callable(module.sniff)
    if spec.can_read:
        parameters = inspect.signature(module.read).parameters
        assert list(parameters)[:1] == ["data"] and parameters["options"].kind is inspect.Parameter.KEYWORD_ONLY
    if spec.can_write:
        parameters = inspect.signature(module.write).parameters
        assert list(parameters)[:1] == ["doc"]
        assert {"options", "report"} <= set(parameters)
        written = module.write(Document(), options=module.WriteOptions(), report=LossReport(spec.name))
        assert isinstance(written, bytes if spec.binary else str)
    assert (ROOT / "docs" / "formats" / f"{spec.name}.md").is_file(), "every format has a docs page"
    tests = ROOT / "tests" / "formats" / f"test_{TESTED_WITH.get(spec.name, spec.name)}.py"
    assert tests.is_file() and spec.name in tests.read_text(encoding="utf-8"), "every format has its tests"


def test_names_and_aliases_do_not_collide() -> None:
    seen: dict[str, str] = {}
    for spec in formats.FORMATS:
        for key in dict.fromkeys(name.replace("-", "_") for name in (spec.name, *spec.aliases)):
            assert key not in seen, f"{key!r} names both {seen[key]} and {spec.name}"
            seen[key] = spec.name


def _fixture_sources() -> list[tuple[str, Path]]:
    known = set(formats.names())
    cases = []
    for folder in sorted(p for p in FIXTURES.iterdir() if p.is_dir() and p.name in known):
        for path in sorted(folder.iterdir()):
            if path.is_file() and not path.name.endswith((".out", ".subkit.json", ".md", ".py")):
                cases.append((folder.name, path))
    return cases


@pytest.mark.parametrize(("name", "path"), _fixture_sources(), ids=lambda v: v if isinstance(v, str) else v.name)
def test_every_fixture_is_detected_as_its_own_format(name: str, path: Path) -> None:
    spec = formats.get(name)
    raw = path.read_bytes()
    data: str | bytes = raw if spec.binary else raw.decode("utf-8-sig")
    expected = DETECTED_AS_OTHER.get((name, path.name), name)
    assert formats.detect(data, str(path)).name == expected
    # Without the file name, content alone picks the same format, or (a damaged file) none at all: never another
    # one, and never several.
    try:
        assert formats.detect(data).name == expected
    except FormatDetectionError as exc:
        assert exc.candidates == (), f"ambiguous between {exc.candidates}"


def _heads(path: Path) -> list[str | bytes]:
    """The head of a file as detection sees it (bytes, and the text when it decodes), plus padded variants."""
    raw = path.read_bytes()[: formats.SNIFF_SIZE]
    heads: list[str | bytes] = [raw]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    heads += [text, f"\n \t\r\n{text}", text.replace("\n", "\r\n")]
    return heads


def _check_signatures(paths: list[Path]) -> int:
    """Assert that no format's sniffer claims a head its registry signature rules out; count the claims."""
    claims = 0
    for path in paths:
        for head in _heads(path):
            for spec in formats.FORMATS:
                if spec.binary != isinstance(head, bytes) or not spec.can_read:
                    continue
                if spec.load().sniff(head):
                    claims += 1
                    assert spec.may_match(head), f"{spec.name}'s signature rules out {path} ({head[:60]!r})"
    return claims


def test_signatures_never_rule_out_what_a_sniffer_claims() -> None:
    paths = sorted(p for p in FIXTURES.rglob("*") if p.is_file() and p.stat().st_size > 0)
    assert _check_signatures(paths) >= len(_fixture_sources())


@pytest.mark.corpus
def test_signatures_never_rule_out_what_a_sniffer_claims_on_the_corpus() -> None:
    corpus = ROOT.parent / "shared" / "corpus"
    if not corpus.is_dir():
        pytest.skip("corpus not available")
    paths = sorted(p for p in corpus.rglob("*") if p.is_file() and p.stat().st_size > 0)
    assert _check_signatures(paths) > 0


def test_the_known_exceptions_still_exist() -> None:
    for name, file in DETECTED_AS_OTHER:
        assert (FIXTURES / name / file).is_file()


def test_a_missing_golden_file_fails_instead_of_writing_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(golden, "REGEN", False)
    missing = tmp_path / "case.out"
    with pytest.raises(pytest.fail.Exception, match="SUBKIT_REGEN=1"):
        golden.check_text(missing, "text")
    with pytest.raises(pytest.fail.Exception, match="SUBKIT_REGEN=1"):
        golden.check_bytes(missing, b"bytes")
    assert not missing.exists()
    monkeypatch.setattr(golden, "REGEN", True)
    golden.check_text(missing, "text")
    monkeypatch.setattr(golden, "REGEN", False)
    golden.check_text(missing, "text")
    with pytest.raises(AssertionError):
        golden.check_text(missing, "other")
