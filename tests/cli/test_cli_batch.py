"""``subkit batch``: CliRunner and subprocess runs, kill -9 and resume, Ctrl-C, collisions, the manifest."""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

import subkit
from subkit.batch import JOURNAL_NAME, Journal
from subkit.cli import cli

REPO = Path(__file__).resolve().parents[2]

SRT = "1\n00:00:01,000 --> 00:00:02,500\n{text}\n\n2\n00:00:03,000 --> 00:00:04,000\nsecond line\n"


def _tree(folder: Path, count: int, cues: int = 2) -> Path:
    for i in range(count):
        path = folder / f"part{i % 3}" / f"ep{i:03d}.srt"
        path.parent.mkdir(parents=True, exist_ok=True)
        blocks = [f"{n + 1}\n00:{n // 60:02d}:{n % 60:02d},000 --> 00:{n // 60:02d}:{n % 60:02d},900\n"
                  f"file {i} line {n} um yes\n" for n in range(cues)]
        path.write_text("\n".join(blocks), encoding="utf-8")
    return folder


def _reference(path: Path, fmt: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", subkit.LossyConversionWarning)
        data = subkit.dumps(subkit.load(path).replace(diagnostics=()), fmt)
    assert isinstance(data, str)
    return data


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.pop("SUBKIT_DEBUG", None)
    return env


def test_batch_converts_a_folder_with_steps_and_reports_json(runner: CliRunner, tmp_path: Path) -> None:
    src = _tree(tmp_path / "in", 5)
    out = tmp_path / "out"
    result = runner.invoke(cli, ["batch", str(src), "--to", "vtt", "-o", str(out), "--jobs", "2", "--json",
                                 "--", "replace", "--find", "um"])
    assert result.exit_code == 0, result.output + result.stderr
    report = json.loads(result.stdout)
    assert (report["converted"], report["failed"], report["skipped"]) == (5, 0, 0)
    assert all(entry["changes"] == {"replaced": 2} for entry in report["files"])
    assert "5 converted, 0 skipped, 0 failed of 5" in result.stderr
    text = (out / "part1" / "ep001.vtt").read_text(encoding="utf-8")
    assert text.startswith("WEBVTT") and " um " not in text
    assert (out / JOURNAL_NAME).is_file()


def test_batch_sync_each_reaches_the_run(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from subkit import batch

    src = _tree(tmp_path / "in", 3)
    seen: list[bool] = []
    real = batch.run

    def run(*args: object, **kwargs: object) -> batch.Summary:
        seen.append(bool(kwargs["sync_each"]))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(batch, "run", run)
    for flag in ([], ["--sync-each"]):
        out = tmp_path / f"out{len(flag)}"
        result = runner.invoke(cli, ["batch", str(src), "--to", "vtt", "-o", str(out), "--jobs", "1", "-q", *flag])
        assert result.exit_code == 0, result.output + result.stderr
        assert len(list(out.rglob("*.vtt"))) == 3
    assert seen == [False, True]


def test_batch_refuses_collisions_naming_both_inputs(runner: CliRunner, tmp_path: Path) -> None:
    src = _tree(tmp_path / "in", 4)
    (src / "part1" / "ep000.srt").write_bytes((src / "part0" / "ep000.srt").read_bytes())
    result = runner.invoke(cli, ["batch", str(src), "--to", "vtt", "-o", str(tmp_path / "out"),
                                 "--name", "{stem}{ext}"])
    assert result.exit_code == 2 and result.stdout == ""
    assert str(Path("part0", "ep000.srt")) in result.stderr and str(Path("part1", "ep000.srt")) in result.stderr
    assert "both" in result.stderr
    assert not (tmp_path / "out").exists()


def test_batch_usage_errors(runner: CliRunner, tmp_path: Path) -> None:
    src = _tree(tmp_path / "in", 1)
    cases = [
        ([str(src), "-o", str(tmp_path / "o")], "--to"),
        ([str(src), "--to", "vtt"], "--out-dir"),
        ([str(src), "--to", "vtt", "-o", str(tmp_path / "o"), "--", "clean", "save", "x.vtt"], "names the outputs"),
        ([str(src), "--to", "vtt", "-o", str(tmp_path / "o"), "--", "frobnicate"], "step"),
        ([str(src), "--to", "vtt", "-o", str(tmp_path / "o"), "--read-option", "fps=25"], "--from"),
    ]
    for args, needle in cases:
        result = runner.invoke(cli, ["batch", *args])
        assert result.exit_code == 2, (args, result.stderr)
        assert needle in result.stderr


def test_batch_manifest_with_failures_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    _tree(tmp_path / "in", 2)
    (tmp_path / "in" / "broken.srt").write_text("nothing to read\n", encoding="utf-8")
    manifest = tmp_path / "jobs.csv"
    manifest.write_text("input,output,format\nin/part0/ep000.srt,first.ass,ass\nin/part1/ep001.srt,,ttml\n"
                        "in/broken.srt,broken.vtt,\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(cli, ["batch", "--manifest", str(manifest), "-o", str(out), "--json"])
    assert result.exit_code == 1, result.stderr
    report = json.loads(result.stdout)
    assert (report["converted"], report["failed"]) == (2, 1)
    assert report["reasons"] == {"error": 1}
    assert (out / "first.ass").is_file() and (out / "in" / "part1" / "ep001.ttml").is_file()
    assert "failed: " in result.stderr and "broken.srt" in result.stderr


def test_batch_subprocess_resume_redoes_only_what_changed(tmp_path: Path) -> None:
    src = _tree(tmp_path / "in", 6)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "subkit", "batch", str(src), "--to", "srt", "-o", str(out), "--json", "-q"]
    first = subprocess.run(command, capture_output=True, text=True, env=_env(), check=False)
    assert first.returncode == 0, first.stderr
    (src / "part2" / "ep002.srt").write_text(SRT.format(text="rewritten"), encoding="utf-8")
    again = subprocess.run([*command, "--resume"], capture_output=True, text=True, env=_env(), check=False)
    report = json.loads(again.stdout)
    assert (report["converted"], report["skipped"]) == (1, 5), again.stderr
    assert "rewritten" in (out / "part2" / "ep002.srt").read_text(encoding="utf-8")


def _check_consistent(src: Path, out: Path) -> int:
    """No partial output anywhere; every journaled file is there and right. Returns the journaled count."""
    for path in out.rglob("*.vtt"):
        relative = path.relative_to(out).with_suffix(".srt")
        assert path.read_text(encoding="utf-8") == _reference(src / relative, "webvtt"), path
    journal = out / JOURNAL_NAME
    if not journal.exists():
        return 0
    done = [entry for entry in Journal(journal, key="input").state.values() if entry["event"] == "done"]
    for entry in done:
        assert Path(entry["output"]).is_file(), entry
    return len(done)


@pytest.mark.slow
def test_batch_killed_at_random_points_resumes_without_redoing_or_partial_outputs(tmp_path: Path) -> None:
    src = _tree(tmp_path / "in", 150, cues=150)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "subkit", "batch", str(src), "--to", "vtt", "-o", str(out), "--jobs", "2",
               "--chunk", "4", "-q", "--json"]
    chance = random.Random(18)
    kills = rounds = 0
    # Six rounds, and more until a kill has landed (a quiet machine may finish a run before the first kill).
    while rounds < 6 or (kills == 0 and rounds < 16):
        rounds += 1
        resume = ["--resume"] if (out / JOURNAL_NAME).exists() else []
        process = subprocess.Popen([*command, *resume], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   env=_env())
        time.sleep(chance.uniform(0.3, 1.5) if kills else chance.uniform(0.2, 0.6))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait()
        time.sleep(0.2)  # the orphaned workers finish their file, find the pipe closed and leave
        if _check_consistent(src, out) == 150 and kills == 0:
            shutil.rmtree(out)  # all done without a kill: start again
    before = _check_consistent(src, out)
    final = subprocess.run([*command, "--resume"], capture_output=True, text=True, env=_env(), check=False)
    assert final.returncode == 0, final.stderr
    report = json.loads(final.stdout)
    assert report["skipped"] == before and report["converted"] == 150 - before
    assert _check_consistent(src, out) == 150
    assert not [p for p in out.rglob(".subkit-tmp.*")], "a temporary was left behind"
    assert kills >= 1


@pytest.mark.slow
def test_batch_ctrl_c_stops_cleanly_with_the_summary_and_status_130(tmp_path: Path) -> None:
    src = _tree(tmp_path / "in", 300, cues=400)
    out = tmp_path / "out"
    process = subprocess.Popen(
        # One sync per file keeps the run long enough to be caught mid-way on a fast machine.
        [sys.executable, "-m", "subkit", "batch", str(src), "--to", "vtt", "-o", str(out), "--jobs", "1",
         "--chunk", "2", "--sync-each"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(),
        # A shell ignores Ctrl-C for the jobs it starts in the background, and children inherit that.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    journal = out / JOURNAL_NAME
    deadline = time.monotonic() + 60
    while not (journal.exists() and journal.stat().st_size > 0) and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "not run (interrupted)" in stderr and "Traceback" not in stderr
    done = _check_consistent(src, out)
    assert 0 < done < 300
    assert not [p for p in out.rglob(".subkit-tmp.*")]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal() -> None:
    pytest.importorskip("tqdm")
    from subkit.batch import FileResult
    from subkit.cli.batch import _progress

    plain = io.StringIO()
    update, close = _progress(plain)
    assert update is None
    close()
    terminal = _Terminal()
    update, close = _progress(terminal, interval=0)
    assert update is not None
    for done in (1, 2):
        update(FileResult(f"in{done}.srt", f"out{done}.vtt", "failed" if done == 2 else "converted"), done, 2)
    close()
    assert "2/2" in terminal.getvalue() and "failed: in2.srt" in terminal.getvalue()
    assert _progress(None)[0] is None


def test_import_subkit_batch_loads_no_cli_and_no_engine() -> None:
    script = ("import sys; import subkit.batch; "
              "print(sorted(m for m in ('click', 'tqdm', 'dask', 'distributed', 'ray', 'rich') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=_env(), check=True)
    assert loaded.stdout.strip() == "[]"
