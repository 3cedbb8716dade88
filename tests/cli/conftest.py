"""Fixtures for the command-line tests: a runner and small subtitle files in ``tmp_path``."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import subkit
from tests.cli.helpers import DEMO, DEMO_TEXT, FLAWED_TEXT, rich_document


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
