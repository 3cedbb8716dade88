"""Fixtures for the command-line tests: a runner and small subtitle files in ``tmp_path``."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import subkit
from tests.cli.helpers import DEMO, DEMO_TEXT, FLAWED_TEXT, rich_document


@pytest.fixture(autouse=True)
def _no_debug(monkeypatch: pytest.MonkeyPatch) -> None:
    """Errors print no traceback unless a test asks, whatever the developer's environment says."""
    monkeypatch.delenv("SUBKIT_DEBUG", raising=False)


@pytest.fixture
def runner() -> CliRunner:
    """A click test runner (click >= 8.2 keeps stdout and stderr apart)."""
    return CliRunner()


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """A copy of fixtures/demo.srt (or of the same text when the fixture is absent) in ``tmp_path``."""
    path = tmp_path / "demo.srt"
    if DEMO.is_file():
        path.write_bytes(DEMO.read_bytes())
    else:
        path.write_text(DEMO_TEXT, encoding="utf-8")
    return path


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    """A file no reader can make sense of."""
    path = tmp_path / "bad.srt"
    path.write_text("this is not\na subtitle file\n", encoding="utf-8")
    return path


@pytest.fixture
def flawed(tmp_path: Path) -> Path:
    """An SRT file the reader repairs, leaving two diagnostics."""
    path = tmp_path / "flawed.srt"
    path.write_text(FLAWED_TEXT, encoding="utf-8")
    return path


@pytest.fixture
def rich(tmp_path: Path) -> Path:
    """:func:`rich_document` saved as subkit JSON."""
    path = tmp_path / "rich.subkit.json"
    data = subkit.dumps(rich_document(), "subkit_json")
    assert isinstance(data, str)
    path.write_text(data, encoding="utf-8")
    return path


@pytest.fixture
def only_srt_and_json(monkeypatch: pytest.MonkeyPatch) -> None:
    """Detect among srt and subkit_json alone, so detection is tested before the other formats exist."""
    from subkit import formats

    kept = tuple(spec for spec in formats.FORMATS if spec.name in ("srt", "subkit_json"))
    monkeypatch.setattr(formats, "FORMATS", kept)
