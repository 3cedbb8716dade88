"""Writes never destroy anything: atomic replacement, links, devices, read-only files, inputs, Ctrl-C, kill -9."""

from __future__ import annotations

import json
import os
import random
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import subkit
from subkit import _io
from subkit.cli import cli
from subkit.errors import SubkitIOError

ROOT = Path(__file__).resolve().parent.parent
SRT = "1\n00:00:01,000 --> 00:00:02,000\nHello\n\n2\n00:00:03,000 --> 00:00:04,000\nWorld\n"


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _temps(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(_io.TEMP_PREFIX)]


def test_symlink_is_followed_and_its_target_replaced(tmp_path: Path) -> None:
    real = tmp_path / "real.srt"
    real.write_text("old")
    link = tmp_path / "link.srt"
    link.symlink_to(real)
    _io.atomic_write(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"
    assert _temps(tmp_path) == []


def test_fifo_is_written_through(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.vtt"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    _io.atomic_write(fifo, b"WEBVTT\n")
    reader.join(10)
    assert got == [b"WEBVTT\n"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_device_is_written_through_not_replaced() -> None:
    before = Path("/dev/null").stat()
    _io.atomic_write("/dev/null", b"x" * 10)
    after = Path("/dev/null").stat()
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_read_only_file_is_refused_unless_forced(tmp_path: Path) -> None:
    target = tmp_path / "keep.srt"
    target.write_text("old")
    target.chmod(0o444)
    with pytest.raises(SubkitIOError, match="read-only; pass force=True"):
        _io.atomic_write(target, b"new")
    assert target.read_text() == "old"
    _io.atomic_write(target, b"new", force=True)
    assert target.read_text() == "new" and stat.S_IMODE(target.stat().st_mode) == 0o444
    result = CliRunner().invoke(cli, ["convert", str(_srt(tmp_path)), str(target)])
    assert result.exit_code == 1 and "read-only; pass --force" in result.stderr
    result = CliRunner().invoke(cli, ["convert", "--force", str(_srt(tmp_path)), str(target)])
    assert result.exit_code == 0 and "Hello" in target.read_text()


def test_hard_link_keeps_the_old_content_under_its_other_name(tmp_path: Path) -> None:
    target = tmp_path / "a.srt"
    target.write_text("old")
    os.link(target, tmp_path / "b.srt")
    _io.atomic_write(target, b"new")
    assert target.read_text() == "new" and (tmp_path / "b.srt").read_text() == "old"


def _dead_pid() -> int:
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(proc.stdout)


def test_stale_temp_files_of_killed_runs_are_swept(tmp_path: Path) -> None:
    stale = tmp_path / f"{_io.TEMP_PREFIX}{_dead_pid()}.abc.out.srt"
    stale.write_text("half")
    mine = tmp_path / f"{_io.TEMP_PREFIX}{os.getpid()}.abc.out.srt"
    mine.write_text("in progress")
    other = tmp_path / ".out.srt.tmp"  # not subkit's
    other.write_text("x")
    _io.atomic_write(tmp_path / "out.srt", b"new")
    assert not stale.exists() and mine.exists() and other.exists()


def _srt(folder: Path, name: str = "in.srt") -> Path:
    path = folder / name
    path.write_text(SRT)
    return path


def test_two_inputs_are_not_taken_for_input_and_output(tmp_path: Path) -> None:
    a = _srt(tmp_path, "a.srt")
    b = _srt(tmp_path, "b.srt")
    b.write_text(SRT.replace("World", "Other"))
    result = CliRunner().invoke(cli, ["convert", str(a), str(b), "--to", "vtt"])
    assert result.exit_code == 2 and "--out-dir" in result.stderr
    assert "Other" in b.read_text() and not b.read_text().startswith("WEBVTT")
    # A real output with the right extension, or a new file, is still fine.
    assert CliRunner().invoke(cli, ["convert", str(a), str(tmp_path / "a.vtt"), "--to", "vtt"]).exit_code == 0


def test_stdout_on_a_full_disk_fails(tmp_path: Path) -> None:
    source = _srt(tmp_path)
    with Path("/dev/full").open("wb") as full:
        proc = subprocess.run([sys.executable, "-m", "subkit", "convert", str(source), "-", "--to", "vtt"],
                              stdout=full, stderr=subprocess.PIPE, text=True, env=_env(), timeout=60)
    assert proc.returncode == 1
    assert "<stdout>: cannot write: No space left on device" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_dev_stdout_and_dev_fd_are_written_through(tmp_path: Path) -> None:
    source = _srt(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "subkit", "convert", str(source), "/dev/stdout", "--to", "vtt"],
                          capture_output=True, text=True, env=_env(), timeout=60)
    assert proc.returncode == 0 and proc.stdout.startswith("WEBVTT")
    out = tmp_path / "appended.vtt"
    out.write_text("KEEP\n")
    with out.open("a") as handle:  # a shell's 3>>appended.vtt
        proc = subprocess.run(
            [sys.executable, "-m", "subkit", "convert", str(source), f"/dev/fd/{handle.fileno()}", "--to", "vtt"],
            capture_output=True, text=True, env=_env(), timeout=60, pass_fds=(handle.fileno(),))
    assert proc.returncode == 0, proc.stderr
    assert out.read_text().startswith("KEEP\nWEBVTT")


def test_ctrl_c_in_a_batch_exits_130_and_says_what_was_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = [str(_srt(tmp_path, f"{n}.srt")) for n in "abc"]
    real_dump = subkit.dump
    calls: list[str] = []

    def dump(*args: Any, **kwargs: Any) -> Any:
        calls.append(str(args[1]))
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real_dump(*args, **kwargs)

    monkeypatch.setattr(subkit, "dump", dump)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["convert", *sources, "--to", "vtt", "--out-dir", str(out), "--json"])
    assert result.exit_code == 130
    assert "interrupted: 1 of 3 file(s) converted, 2 not done" in result.stderr
    summary = json.loads(result.stdout)
    assert summary["interrupted"] is True and summary["not_done"] == sources[1:]
    assert [f["ok"] for f in summary["files"]] == [True]
    assert sorted(p.name for p in out.iterdir()) == ["a.vtt"]


def test_segment_rerun_removes_the_previous_runs_segments(tmp_path: Path) -> None:
    long = "".join(f"{i + 1}\n00:00:{i:02},000 --> 00:00:{i:02},900\nLine {i}\n\n" for i in range(50))
    source = tmp_path / "long.srt"
    source.write_text(long)
    out = tmp_path / "hls"
    assert CliRunner().invoke(cli, ["segment", str(source), str(out), "--seconds", "2"]).exit_code == 0
    first = {p.name for p in out.iterdir()}
    assert len(first) > 20
    source.write_text(SRT)
    assert CliRunner().invoke(cli, ["segment", str(source), str(out), "--seconds", "2"]).exit_code == 0
    playlist = (out / "prog_index.m3u8").read_text() if (out / "prog_index.m3u8").exists() else ""
    listed = {line for line in playlist.splitlines() if line and not line.startswith("#")}
    assert {p.name for p in out.iterdir()} - listed == {"prog_index.m3u8"}


_WRITER = """
import sys
from subkit import _io
target, a, b = sys.argv[1], b"A" * 3_000_000, b"B" * 2_000_000
i = 0
while True:
    _io.atomic_write(target, a if i % 2 else b)
    i += 1
"""


@pytest.mark.slow
def test_kill_during_writes_leaves_the_old_or_the_new_file(tmp_path: Path) -> None:
    target = tmp_path / "out.srt"
    target.write_bytes(b"A" * 3_000_000)
    rng = random.Random(10)
    for _ in range(30):
        proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(target)], env=_env())
        time.sleep(rng.uniform(0.15, 0.6))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        data = target.read_bytes()
        assert data in (b"A" * 3_000_000, b"B" * 2_000_000)
    _io._SWEPT.discard(str(tmp_path))
    _io.atomic_write(target, b"done")
    assert _temps(tmp_path) == []
    assert target.read_bytes() == b"done"


def test_real_ctrl_c_in_a_batch(tmp_path: Path) -> None:
    first = _srt(tmp_path, "a.srt")
    blocked = tmp_path / "b.srt"
    os.mkfifo(blocked)  # reading it blocks until a writer comes: the batch is caught mid-way
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "subkit", "convert", str(first), str(blocked), "--to", "vtt", "--out-dir", str(out),
         "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(),
        # A shell ignores Ctrl-C for the jobs it starts in the background, and children inherit that:
        # give the command the default handling, as a terminal would.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    while not (out / "a.vtt").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "interrupted: 1 of 2 file(s) converted" in stderr and "Traceback" not in stderr
    assert json.loads(stdout)["not_done"] == [str(blocked)]
