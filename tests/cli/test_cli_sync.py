"""``subkit sync`` and the ``sync`` step of ``subkit process``: reference subtitles, the gate, options, audio."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

import subkit
from subkit.cli import cli
from subkit.model import Document
from subkit.ops import shift
from tests.ops.helpers import run_subkit
from tests.ops.test_sync import _episode


def _files(tmp_path: Path, doc: Document, ref: Document) -> tuple[Path, Path]:
    source, reference = tmp_path / "in.srt", tmp_path / "ref.vtt"
    subkit.dump(doc, str(source), format="srt")
    subkit.dump(ref, str(reference), format="webvtt")
    return source, reference


def test_sync_to_a_subtitle(runner: CliRunner, tmp_path: Path) -> None:
    truth = _episode(31, 80)
    source, reference = _files(tmp_path, shift(truth, 2500), truth)
    out = tmp_path / "out.srt"
    result = runner.invoke(cli, ["sync", str(source), str(out), "--to-subtitle", str(reference), "--json"])
    assert result.exit_code == 0, result.stderr
    fixed = subkit.load(str(out))
    assert [c.start_ms for c in fixed] == [c.start_ms for c in truth]
    summary = json.loads(result.stdout)
    assert summary["sync"]["model"] == "offset" and summary["sync"]["offset_ms"] == -2500
    assert summary["sync"]["accepted"] is True and summary["changes"]["cues retimed"] == 80
    assert "sync: offset -2.500s" in result.stderr


def test_sync_refuses_a_mismatched_pair_unless_forced(runner: CliRunner, tmp_path: Path) -> None:
    source, reference = _files(tmp_path, _episode(32), _episode(33))
    out = tmp_path / "out.srt"
    result = runner.invoke(cli, ["sync", str(source), str(out), "--to-subtitle", str(reference), "--json"])
    assert result.exit_code == 1
    assert "sync refused: confidence" in result.stderr and "by chance" in result.stderr
    assert not out.exists()
    assert json.loads(result.stdout)["sync"]["accepted"] is False
    forced = runner.invoke(cli, ["sync", str(source), str(out), "--to-subtitle", str(reference), "--force"])
    assert forced.exit_code == 0, forced.stderr
    assert out.exists()


def test_sync_options_reach_the_op(runner: CliRunner, tmp_path: Path) -> None:
    truth = _episode(34, 100)
    broken = truth.with_cues(c.replace(start_ms=c.start_ms + (4000 if i >= 50 else 0),
                                       end_ms=c.end_ms + (4000 if i >= 50 else 0)) for i, c in enumerate(truth.cues))
    source, reference = _files(tmp_path, broken, truth)
    out = tmp_path / "out.srt"
    split = runner.invoke(cli, ["sync", str(source), str(out), "--to-subtitle", str(reference), "--json", "-q"])
    assert split.exit_code == 0, split.stderr
    report = json.loads(split.stdout)["sync"]
    assert report["model"] == "piecewise" and report["splits"] == 1
    assert report["segments"][1]["first_cue"] == 50 and report["segments"][1]["offset_ms"] == -4000
    assert split.stderr == ""
    whole = runner.invoke(cli, ["sync", str(source), str(out), "--to-subtitle", str(reference), "--json",
                                "--no-split", "--fps-ratios", "none", "--max-offset", "10s", "--force"])
    assert whole.exit_code == 0, whole.stderr
    assert json.loads(whole.stdout)["sync"]["splits"] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "exactly one of --to-audio"),
        (["--to-audio", "a.mkv", "--to-subtitle", "b.srt"], "exactly one of --to-audio"),
        (["--to-subtitle", "b.srt", "--fps-ratios", "fast"], "frame-rate ratio"),
        (["--to-subtitle", "b.srt", "--max-offset", "soon"], "--max-offset: not a duration"),
        (["--to-audio", "a.mkv", "--ref-from", "srt"], "--ref-from goes with --to-subtitle"),
    ],
)
def test_sync_usage_errors(runner: CliRunner, tmp_path: Path, args: list[str], message: str) -> None:
    source = tmp_path / "in.srt"
    subkit.dump(_episode(1, 3), str(source), format="srt")
    result = runner.invoke(cli, ["sync", str(source), str(tmp_path / "out.srt"), *args])
    assert result.exit_code == 2
    assert message in result.stderr


def test_sync_step_in_process(runner: CliRunner, tmp_path: Path) -> None:
    truth = _episode(35, 60)
    source, reference = _files(tmp_path, shift(truth, -1800), truth)
    out = tmp_path / "out.vtt"
    result = runner.invoke(cli, ["process", "--json", str(source), str(out), "sync", "--to-subtitle", str(reference),
                                 "retime", "--shift", "100ms"])
    assert result.exit_code == 0, result.stderr
    fixed = subkit.load(str(out))
    assert [c.start_ms for c in fixed] == [c.start_ms + 100 for c in truth]
    steps = json.loads(result.stdout)["steps"]
    assert steps[0]["step"] == "sync" and steps[0]["changes"]["cues retimed"] == 60


def test_sync_through_a_subprocess(tmp_path: Path) -> None:
    truth = _episode(36, 60)
    source, reference = _files(tmp_path, shift(truth, 60_000), truth)
    done = run_subkit("sync", str(source), "-", "--to-subtitle", str(reference), "--to", "vtt")
    assert done.returncode == 0, done.stderr
    assert [c.start_ms for c in subkit.loads(done.stdout, format="webvtt")] == [c.start_ms for c in truth]
    refused = run_subkit("sync", str(source), "-", "--to-subtitle", str(_files(tmp_path / "..", _episode(37),
                                                                                _episode(38))[1]))
    assert refused.returncode == 1 and "sync refused" in refused.stderr and refused.stdout == ""


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed")
def test_sync_to_audio_through_a_subprocess(tmp_path: Path) -> None:
    pytest.importorskip("webrtcvad")
    pytest.importorskip("numpy")
    from tests.ops.test_sync import _ffmpeg_flite_ok

    if not _ffmpeg_flite_ok():
        pytest.skip("ffmpeg has no flite filter")
    # Three lines of speech at known places, through ffmpeg's flite filter and adelay, mixed into one file.
    lines = [("Good morning, doctor.", 3000), ("Is my brother awake yet?", 7000), ("Not yet. Sit down.", 12000),
             ("Then I will wait here.", 16000), ("As you wish.", 20500)]
    inputs: list[str] = []
    chains = []
    for index, (text, at) in enumerate(lines):
        inputs += ["-f", "lavfi", "-i", f"flite=text='{text}':voice=slt"]
        chains.append(f"[{index}]adelay={at}|{at},apad=whole_dur=25[a{index}]")
    graph = ";".join(chains) + ";" + "".join(f"[a{i}]" for i in range(len(lines))) + \
        f"amix=inputs={len(lines)}:normalize=0,atrim=0:25[out]"
    media = tmp_path / "talk.mka"
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", *inputs, "-filter_complex", graph, "-map",
                    "[out]", "-c:a", "flac", str(media)], check=True)
    srt = "".join(f"{i + 1}\n00:00:{(at + 5000) // 1000:02d},{(at + 5000) % 1000:03d} --> "
                  f"00:00:{(at + 6500) // 1000:02d},{(at + 6500) % 1000:03d}\n{text}\n\n"
                  for i, (text, at) in enumerate(lines))
    source = tmp_path / "late.srt"
    source.write_text(srt, encoding="utf-8")
    done = run_subkit("sync", str(source), str(tmp_path / "out.srt"), "--to-audio", str(media), "--json",
                      "--min-confidence", "0")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)["sync"]
    assert report["reference"] == "audio"
    # The cues were put at each line's delay; flite starts each line after ~0.2 s of its own silence,
    # which the sync rightly moves the cues onto.
    assert -5000 <= report["offset_ms"] <= -4700
    starts = [c.start_ms for c in subkit.load(str(tmp_path / "out.srt"))]
    assert all(0 <= s - at <= 300 for s, (_, at) in zip(starts, lines, strict=True))
    # Progress goes to a terminal only: none in a captured stderr.
    assert "sync: extracting" not in done.stderr


def test_progress_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import sys

    from subkit.cli.sync import _progress

    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    assert _progress(False) is None
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert _progress(True) is None  # --quiet
    show = _progress(False)
    assert show is not None
    show("searching")
    assert capsys.readouterr().err == "sync: searching\n"


def test_sync_many_inputs_to_one_reference(runner: CliRunner, tmp_path: Path) -> None:
    # Two language tracks of one episode, each off by its own offset, synced to one reference.
    truth = _episode(41, 60)
    reference = tmp_path / "ref.vtt"
    subkit.dump(truth, str(reference), format="webvtt")
    for name, offset in (("ep.en.srt", 2500), ("ep.fr.srt", -1200)):
        subkit.dump(shift(truth, offset), str(tmp_path / name), format="srt")
    # Two paths alone are IN OUT; with --out-dir (or --name, or a third path) every path is an input.
    result = runner.invoke(cli, ["sync", str(tmp_path / "ep.en.srt"), str(tmp_path / "ep.fr.srt"),
                                 "--to-subtitle", str(reference), "-d", str(tmp_path / "synced"), "-q"])
    assert result.exit_code == 0, result.stderr
    for name in ("ep.en.sync.srt", "ep.fr.sync.srt"):
        assert [c.start_ms for c in subkit.load(str(tmp_path / "synced" / name))] == [c.start_ms for c in truth]
    assert subkit.load(str(tmp_path / "ep.fr.srt")).cues == shift(truth, -1200).cues  # inputs untouched


def test_sync_pairs_inputs_with_a_folder_of_references_by_name(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "ref").mkdir()
    truths = {"ep1": _episode(42, 60), "ep2": _episode(43, 60)}
    for stem, truth in truths.items():
        subkit.dump(shift(truth, 3000), str(tmp_path / "in" / f"{stem}.fr.srt"), format="srt")
        subkit.dump(truth, str(tmp_path / "ref" / f"{stem}.en.vtt"), format="webvtt")
    done = run_subkit("sync", str(tmp_path / "in"), "--to-subtitle", str(tmp_path / "ref"), "-d",
                      str(tmp_path / "out"), "-q")
    assert done.returncode == 0, done.stderr
    for stem, truth in truths.items():
        fixed = subkit.load(str(tmp_path / "out" / f"{stem}.fr.sync.srt"))
        assert [c.start_ms for c in fixed] == [c.start_ms for c in truth]
    (tmp_path / "ref" / "ep2.en.vtt").unlink()
    missing = run_subkit("sync", str(tmp_path / "in"), "--to-subtitle", str(tmp_path / "ref"), "-d",
                         str(tmp_path / "out2"))
    assert missing.returncode == 2 and "no file named ep2.*" in missing.stderr
