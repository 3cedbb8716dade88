"""Near-identical read diagnostics are printed once per kind, with a count and the lines."""

from __future__ import annotations

from click.testing import CliRunner

from subkit.cli import cli
from subkit.cli._shared import diagnostic_lines
from subkit.model import Diagnostic
from tests.ops.helpers import run_subkit

# Three cues with an unreadable time line each, and one other flaw.
BROKEN = "".join(f"{n}\n00:00:0{n},000 -> 00:00:0{n},500\nline {n}\n\n" for n in range(1, 4))


def test_grouping_counts_and_keeps_other_kinds_apart() -> None:
    diags = [Diagnostic(message=f"CDP checksum error at byte {n}", line=10 + n, severity="warning",
                        action="used the data") for n in range(30)]
    diags.insert(3, Diagnostic(message="odd header", line=2, severity="warning"))
    diags.append(Diagnostic(message="more of the same: CDP checksum error at byte 99", line=50, severity="warning"))
    lines = diagnostic_lines(diags, "x.mcc")
    assert len(lines) == 2
    assert lines[0].startswith("x.mcc:10: warning: CDP checksum error at byte 0")
    assert lines[0].endswith("(and 29 more like it, lines 11-39 and more not listed)")
    assert lines[1] == "x.mcc:2: warning: odd header"


def test_cli_prints_one_line_per_kind(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["convert", "-", "-", "--from", "srt", "--to", "vtt"], input=BROKEN)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [
        "<stdin>:2: warning: non-standard timing line: arrow is not '-->'; read it leniently "
        "(and 2 more like it, lines 6-10)"]
    completed = run_subkit("clean", "-", "-", "--from", "srt", input=BROKEN)
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr.splitlines()[0].endswith("(and 2 more like it, lines 6-10)")
    assert len(completed.stderr.splitlines()) == 2  # the warning and the change counts
