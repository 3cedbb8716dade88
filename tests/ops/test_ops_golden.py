"""Golden cases for ops: ``fixtures/ops/<case>/`` holds an input, the steps run on it, and the expected output.

A case folder contains ``input.<ext>``, a ``steps`` file (the arguments of
``subkit process`` after IN and OUT, ``#`` lines being comments; relative file
names are resolved in the case folder) and ``expected.<ext>``, the output in
the same format. ``SUBKIT_REGEN=1`` rewrites the expected files (review the diff).
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from subkit.cli import cli
from tests import golden

CASES = Path(__file__).resolve().parents[2] / "fixtures" / "ops"


def _cases() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if p.is_dir()) if CASES.is_dir() else []


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.name)
def test_ops_golden(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (source,) = case.glob("input.*")
    steps = [word for line in (case / "steps").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#") for word in shlex.split(line)]
    expected = case / f"expected{source.suffix}"
    out = tmp_path / expected.name
    monkeypatch.chdir(case)
    result = CliRunner().invoke(cli, ["process", "-q", str(source), str(out), *steps])
    assert result.exit_code == 0, result.stderr
    actual = out.read_text(encoding="utf-8")
    golden.check_text(expected, actual, newline=None)
