"""subkit.batch: plans, manifests, the journal, resuming, limits and the three engines."""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import warnings
from pathlib import Path
from typing import Any

import pytest

import subkit
from subkit import batch
from subkit.batch import Journal, Task
from subkit.errors import ConfigError
from tests.batch import steps as test_steps
from tests.conftest import CORPUS

REPO = Path(__file__).resolve().parents[2]

SRT = "1\n00:00:01,000 --> 00:00:02,500\n{text}\n\n2\n00:00:03,000 --> 00:00:04,000\nsecond line\n"


@pytest.fixture(autouse=True)
def _workers_import_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    """Worker processes import this package's test steps: put the checkout on their path."""
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))


def _files(folder: Path, texts: dict[str, str]) -> Path:
    for relpath, text in texts.items():
        path = folder / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(SRT.format(text=text), encoding="utf-8")
    return folder


def _reference(path: str, fmt: str) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", subkit.LossyConversionWarning)
        data = subkit.dumps(subkit.load(path).replace(diagnostics=()), fmt)
    return data.encode("utf-8") if isinstance(data, str) else data


# ---------------------------------------------------------------- plans and names


def test_plan_walks_folders_and_names_outputs_by_template(tmp_path: Path) -> None:
    src = _files(tmp_path / "in", {"a.en.srt": "one", "season/b.fr.srt": "two", "cover.jpg": "x"})
    tasks = batch.plan([src], out_dir=tmp_path / "out", to_format="webvtt", template="{base}.{lang}{ext}")
    assert sorted(Path(t.output).name for t in tasks) == ["a.en.vtt", "b.fr.vtt"]
    default = batch.plan([src], out_dir=tmp_path / "out", to_format="webvtt")
    assert sorted(os.path.relpath(t.output, tmp_path / "out") for t in default) == [
        "a.en.vtt", str(Path("season", "b.fr.vtt"))]


def test_plan_include_exclude_globs(tmp_path: Path) -> None:
    src = _files(tmp_path / "in", {"a.srt": "one", "b.srt": "two", "keep/c.srt": "three"})
    tasks = batch.plan([src], out_dir=tmp_path / "out", to_format="webvtt", include=["*.srt"], exclude=["b.*"])
    assert sorted(Path(t.input).name for t in tasks) == ["a.srt", "c.srt"]


def test_plan_skips_the_output_folder_inside_the_input(tmp_path: Path) -> None:
    src = _files(tmp_path / "in", {"a.srt": "one", "out/old.srt": "old"})
    tasks = batch.plan([src], out_dir=src / "out", to_format="srt", template="{stem}.new{ext}")
    assert [Path(t.input).name for t in tasks] == ["a.srt"]


def test_collisions_are_refused_up_front_naming_both_inputs(tmp_path: Path) -> None:
    src = _files(tmp_path / "in", {"x/ep1.srt": "one", "y/ep1.srt": "two"})
    with pytest.raises(ConfigError) as caught:
        batch.plan([src], out_dir=tmp_path / "out", to_format="webvtt", template="{stem}{ext}")
    message = str(caught.value)
    assert str(Path("x", "ep1.srt")) in message and str(Path("y", "ep1.srt")) in message
    assert not (tmp_path / "out").exists()


def test_an_output_over_an_input_is_refused(tmp_path: Path) -> None:
    src = _files(tmp_path, {"a.srt": "one"})
    with pytest.raises(ConfigError, match="over the input"):
        batch.plan([src / "a.srt"], out_dir=tmp_path, to_format="srt")


def test_name_template_refuses_unknown_fields_and_escapes() -> None:
    with pytest.raises(ConfigError, match="fields"):
        batch.name_output("{title}{ext}", "a.srt", ".vtt")
    with pytest.raises(ConfigError, match="inside the output folder"):
        batch.name_output("../{stem}{ext}", "a.srt", ".vtt")
    with pytest.raises(ConfigError, match="inside the output folder"):
        batch.name_output("{reldir}/../../{stem}{ext}", "a/b.srt", ".vtt")
    assert batch.name_output("{reldir}/../{stem}{ext}", "a/b.srt", ".vtt") == "b.vtt"  # still inside


# ---------------------------------------------------------------- manifests


def test_manifest_csv_and_jsonl_give_the_same_tasks(tmp_path: Path) -> None:
    _files(tmp_path / "in", {"a.srt": "one", "b.srt": "two"})
    (tmp_path / "m.csv").write_text(
        "input,output,format,write_options\n"
        "in/a.srt,a-out.ass,ass,canvas=1280x720\n"
        "in/b.srt,,webvtt,\n", encoding="utf-8")
    (tmp_path / "m.jsonl").write_text(
        json.dumps({"input": "in/a.srt", "output": "a-out.ass", "format": "ass",
                    "write_options": {"canvas": "1280x720"}}) + "\n"
        + json.dumps({"input": "in/b.srt", "format": "webvtt"}) + "\n", encoding="utf-8")
    for name in ("m.csv", "m.jsonl"):
        out = tmp_path / f"out-{name}"
        tasks = batch.read_manifest(tmp_path / name, out_dir=out, to_format=None)
        assert [Path(t.output).name for t in tasks] == ["a-out.ass", "b.vtt"]
        summary = batch.run(tasks, engine="inline")
        assert summary.converted == 2, summary.lines()
        assert "PlayResX: 1280" in (out / "a-out.ass").read_text(encoding="utf-8")


def test_manifest_bad_rows_are_config_errors(tmp_path: Path) -> None:
    (tmp_path / "m.csv").write_text("input,colour\na.srt,red\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown column"):
        batch.read_manifest(tmp_path / "m.csv", out_dir=tmp_path, to_format="srt")
    (tmp_path / "m.jsonl").write_text('{"input": "a.srt"}\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="no output format"):
        batch.read_manifest(tmp_path / "m.jsonl", out_dir=tmp_path, to_format=None)
    (tmp_path / "n.jsonl").write_text('{"input": "a.srt", "output": "o.vtt"}\n{"input": "b.srt", "output": "o.vtt"}\n',
                                      encoding="utf-8")
    with pytest.raises(ConfigError, match=r"a\.srt and .*b\.srt"):
        batch.read_manifest(tmp_path / "n.jsonl", out_dir=tmp_path, to_format=None)


# ---------------------------------------------------------------- the journal


def test_journal_keeps_the_last_event_and_survives_a_cut_line(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    with Journal(path, key="input") as journal:
        journal.append({"input": "a", "event": "failed"})
        journal.append({"input": "a", "event": "done"}, sync=False)
        journal.append({"input": "b", "event": "done"})
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"input": "c", "ev')  # a crash in the middle of a line
    again = Journal(path, key="input")
    assert {k: v["event"] for k, v in again.state.items()} == {"a": "done", "b": "done"}
    again.append({"input": "c", "event": "done"})
    again.close()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[-1])["input"] == "c" and len(lines) == 5
    assert Journal(path, key="input").state["c"]["event"] == "done"


def test_journal_refuses_an_event_without_its_key(tmp_path: Path) -> None:
    with Journal(tmp_path / "j.jsonl", key="media") as journal, pytest.raises(ValueError, match="media"):
        journal.append({"input": "a"})


# ---------------------------------------------------------------- running and resuming


def test_run_converts_like_load_and_dump_and_reports_losses(tmp_path: Path) -> None:
    src = _files(tmp_path / "in", {"a.srt": "<i>one</i>", "b.srt": "{\\an8}two"})
    tasks = batch.plan([src], out_dir=tmp_path / "out", to_format="microdvd")
    summary = batch.run(tasks, jobs=2, journal=tmp_path / "out" / "j.jsonl")
    assert summary.converted == 2 and not summary.failed
    for task in tasks:
        assert Path(task.output).read_bytes() == _reference(task.input, "microdvd")
    assert summary.record()["files"][0]["status"] == "converted"


def test_resume_skips_done_files_and_redoes_changed_ones(tmp_path: Path) -> None:
    src = _files(tmp_path / "in", {f"f{i}.srt": f"text {i}" for i in range(6)})
    journal = tmp_path / "out" / batch.JOURNAL_NAME
    tasks = batch.plan([src], out_dir=tmp_path / "out", to_format="webvtt")
    assert batch.run(tasks, jobs=2, journal=journal).converted == 6
    with pytest.raises(ConfigError, match="resume"):
        batch.run(tasks, journal=journal)
    (src / "f1.srt").write_text(SRT.format(text="changed"), encoding="utf-8")  # new content
    os.utime(src / "f2.srt", ns=(1, 1))  # touched only: the hash says it is the same
    (tmp_path / "out" / "f3.vtt").unlink()  # an output removed by hand
    again = batch.run(tasks, jobs=2, journal=journal, resume=True)
    assert again.skipped == 4 and again.converted == 2
    assert {Path(r.input).name for r in again.results if r.status == "converted"} == {"f1.srt", "f3.srt"}
    assert "changed" in (tmp_path / "out" / "f1.vtt").read_text(encoding="utf-8")


def test_an_unsynced_journal_event_survives_the_process(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    journal = Journal(path, key="input")
    journal.append({"input": "a", "event": "done"}, sync=False)
    # Not synced, not closed: a process killed now has still handed the line to the system.
    assert Journal(path, key="input").state["a"]["event"] == "done"
    journal.append({"input": "b", "event": "done"}, sync=False, remember=False)
    assert "b" not in journal.state  # written, not kept in memory
    journal.close()
    assert Journal(path, key="input").state["b"]["event"] == "done"


def test_resume_redoes_an_output_cut_short_by_a_power_failure(tmp_path: Path) -> None:
    src = _files(tmp_path / "in", {f"f{i}.srt": f"text {i}" for i in range(3)})
    journal = tmp_path / "out" / batch.JOURNAL_NAME
    tasks = batch.plan([src], out_dir=tmp_path / "out", to_format="webvtt")
    assert batch.run(tasks, engine="inline", journal=journal).converted == 3
    sizes = {json.loads(line)["output"]: json.loads(line)["output_size"]
             for line in journal.read_text(encoding="utf-8").splitlines()}
    assert sizes == {str(Path(t.output).absolute()): Path(t.output).stat().st_size for t in tasks}
    (tmp_path / "out" / "f1.vtt").write_bytes(b"")  # renamed into place, its data never reached the disk
    again = batch.run(tasks, engine="inline", journal=journal, resume=True)
    assert [Path(r.input).name for r in again.results if r.status == "converted"] == ["f1.srt"]
    assert (tmp_path / "out" / "f1.vtt").read_bytes() == _reference(str(src / "f1.srt"), "webvtt")


@pytest.mark.parametrize("sync_each", [False, True])
def test_outputs_are_synced_in_groups_unless_each_is_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           sync_each: bool) -> None:
    src = _files(tmp_path / "in", {f"f{i}.srt": f"text {i}" for i in range(5)})
    calls = {"fsync": 0, "sync": 0}
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        calls["fsync"] += 1
        real_fsync(fd)

    def sync() -> None:
        calls["sync"] += 1

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "sync", sync)
    tasks = batch.plan([src], out_dir=tmp_path / "out", to_format="webvtt")
    summary = batch.run(tasks, engine="inline", journal=tmp_path / "j.jsonl", sync_each=sync_each)
    assert summary.converted == 5
    if sync_each:
        assert calls["fsync"] >= 5 and calls["sync"] == 0
    else:
        # The outputs are synced at once before the journal (one journal fsync at the end).
        assert calls["sync"] >= 1 and calls["fsync"] <= 2


def test_one_input_to_several_outputs_resumes_each(tmp_path: Path) -> None:
    _files(tmp_path / "in", {"master.srt": "one"})
    (tmp_path / "m.jsonl").write_text("".join(
        json.dumps({"input": "in/master.srt", "format": fmt, "output": f"master.{ext}"}) + "\n"
        for fmt, ext in (("webvtt", "vtt"), ("ttml", "ttml"), ("ass", "ass"))), encoding="utf-8")
    tasks = batch.read_manifest(tmp_path / "m.jsonl", out_dir=tmp_path / "out", to_format=None)
    journal = tmp_path / "j.jsonl"
    assert batch.run(tasks, jobs=2, journal=journal).converted == 3
    again = batch.run(tasks, jobs=2, journal=journal, resume=True)
    assert (again.skipped, again.converted) == (3, 0)


def test_a_run_removes_the_temporaries_of_killed_writers(tmp_path: Path) -> None:
    import subprocess
    import sys

    from subkit import _io

    src = _files(tmp_path / "in", {"a.srt": "one"})
    out = tmp_path / "out"
    out.mkdir()
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    stray = out / f"{_io.TEMP_PREFIX}{int(gone.stdout)}.k3j9x.a.vtt"
    stray.write_text("WEBVTT\n\n00:0", encoding="utf-8")
    alive = out / f"{_io.TEMP_PREFIX}{os.getpid()}.abc.a.vtt"  # a writer that still runs is left alone
    alive.write_text("", encoding="utf-8")
    assert batch.run(batch.plan([src], out_dir=out, to_format="webvtt"), jobs=1).converted == 1
    assert not stray.exists() and alive.exists()
    assert batch.remove_temporaries([str(out / "a.vtt")], pid=os.getpid()) == 1 and not alive.exists()


def test_failures_are_reported_and_the_batch_goes_on(tmp_path: Path) -> None:
    src = _files(tmp_path / "in", {"good.srt": "fine"})
    (src / "bad.srt").write_text("no subtitles in here at all\n", encoding="utf-8")
    summary = batch.run(batch.plan([src], out_dir=tmp_path / "out", to_format="webvtt"), jobs=1,
                        journal=tmp_path / "j.jsonl")
    assert summary.converted == 1 and [Path(r.input).name for r in summary.failed] == ["bad.srt"]
    assert summary.failed[0].reason == "error" and summary.reasons() == {"error": 1}
    state = Journal(tmp_path / "j.jsonl", key="output").state
    assert state[str(tmp_path / "out" / "bad.vtt")]["event"] == "failed"


def test_process_steps_run_on_every_file_and_count_changes(tmp_path: Path) -> None:
    import click

    from subkit.cli.process import _build, split_steps

    src = _files(tmp_path / "in", {"a.srt": "um hello", "b.srt": "well um bye"})
    _, plan = split_steps(["replace", "--find", "um", "clean"])
    with click.Context(click.Command("batch")) as ctx:
        built = [_build(ctx, name, args) for name, args in plan]
    summary = batch.run(batch.plan([src], out_dir=tmp_path / "out", to_format="srt"), steps=built, jobs=2)
    assert summary.converted == 2
    assert "um" not in (tmp_path / "out" / "b.srt").read_text(encoding="utf-8")
    assert all(result.changes.get("replaced") == 1 for result in summary.results)


# ---------------------------------------------------------------- limits


def test_a_slow_file_is_ended_at_the_time_limit_and_the_batch_goes_on(tmp_path: Path) -> None:
    src = _files(tmp_path / "in", {"a.srt": "fine", "b.srt": "SLOW one", "c.srt": "fine too", "d.srt": "ok"})
    summary = batch.run(batch.plan([src], out_dir=tmp_path / "out", to_format="webvtt"),
                        steps=[test_steps.stall_on_slow], jobs=1, chunk=4, timeout=1.0)
    assert summary.converted == 3
    assert [(Path(r.input).name, r.reason) for r in summary.failed] == [("b.srt", "timeout")]
    assert summary.seconds < 30


def test_a_worker_s_start_up_does_not_count_against_the_time_limit(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # Every worker takes 1.5 s to start (a slow disk, a loaded machine); each file is quick.
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text("import time\ntime.sleep(1.5)\n", encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(site), os.environ["PYTHONPATH"]]))
    src = _files(tmp_path / "in", {"a.srt": "fine", "b.srt": "fine too"})
    summary = batch.run(batch.plan([src], out_dir=tmp_path / "out", to_format="webvtt"), jobs=1, timeout=1.0)
    assert summary.converted == 2, [r.error for r in summary.failed]


def test_a_worker_that_dies_fails_its_file_only(tmp_path: Path) -> None:
    src = _files(tmp_path / "in", {"a.srt": "fine", "b.srt": "CRASH here", "c.srt": "fine too"})
    summary = batch.run(batch.plan([src], out_dir=tmp_path / "out", to_format="webvtt"),
                        steps=[test_steps.die_on_crash], jobs=1, chunk=3)
    assert summary.converted == 2
    failed = summary.failed[0]
    assert (Path(failed.input).name, failed.reason) == ("b.srt", "crashed") and "SIGKILL" in (failed.error or "")


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="RLIMIT_AS is a POSIX limit")
def test_a_file_over_the_memory_limit_fails_and_the_batch_goes_on(tmp_path: Path) -> None:
    src = _files(tmp_path / "in", {"a.srt": "fine", "b.srt": "BIG one", "c.srt": "fine too"})
    summary = batch.run(batch.plan([src], out_dir=tmp_path / "out", to_format="webvtt"),
                        steps=[test_steps.hog_on_big], jobs=1, chunk=3, memory_mb=256)
    assert summary.converted == 2
    assert [(Path(r.input).name, r.reason) for r in summary.failed] == [("b.srt", "memory")]


def test_bad_settings_are_config_errors(tmp_path: Path) -> None:
    task = Task(str(tmp_path / "a.srt"), str(tmp_path / "a.vtt"))
    for kwargs in ({"engine": "spark"}, {"jobs": 0}, {"timeout": 0.0}, {"memory_mb": -1},
                   {"engine": "inline", "timeout": 1.0}):
        with pytest.raises(ConfigError):
            batch.run([task], **kwargs)


# ---------------------------------------------------------------- the engines over the corpus


def _corpus_sample(every: int) -> list[Path]:
    rows = (CORPUS / "index.tsv").read_text(encoding="utf-8").splitlines()[1:]
    names = set(subkit.formats.names())
    chosen = []
    for row in rows:
        path, label = row.split("\t")[:2]
        if label.split(" ")[0].replace("-", "_") in names:
            chosen.append(CORPUS / path)
    return chosen[::every]


def _engine_run(tmp_path: Path, engine: str, scheduler: str | None = None) -> None:
    files = _corpus_sample(every=7)
    tasks = [Task(str(p), str(tmp_path / "out" / f"{i:04d}.vtt"), "webvtt") for i, p in enumerate(files)]
    summary = batch.run(tasks, engine=engine, jobs=2, journal=tmp_path / "j.jsonl", scheduler=scheduler)
    assert summary.total == len(tasks) and not summary.interrupted
    agree = 0
    for result in summary.results:
        try:
            expected: bytes | None = _reference(result.input, "webvtt")
        except subkit.SubkitError:
            expected = None
        if expected is None:
            assert result.status == "failed" and result.reason == "error", result
        else:
            assert result.status == "converted", result
            assert Path(result.output).read_bytes() == expected, result.input
        agree += 1
    assert agree == len(tasks)
    assert summary.converted > len(tasks) // 2


@pytest.mark.corpus
@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not available")
def test_corpus_through_the_process_pool(tmp_path: Path) -> None:
    _engine_run(tmp_path, "process")


@pytest.mark.corpus
@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not available")
@pytest.mark.skipif(importlib.util.find_spec("distributed") is None, reason="the dask extra is not installed")
def test_corpus_through_dask_on_a_local_cluster(tmp_path: Path) -> None:
    distributed: Any = importlib.import_module("dask.distributed")

    # A cluster of its own, reached by its address as --scheduler would: 2 worker processes on 127.0.0.1.
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        _engine_run(tmp_path, "dask", scheduler=cluster.scheduler_address)


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("distributed") is None, reason="the dask extra is not installed")
def test_dask_engine_keeps_the_time_limit(tmp_path: Path) -> None:
    src = _files(tmp_path / "in", {"a.srt": "fine", "b.srt": "SLOW one", "c.srt": "fine too"})
    summary = batch.run(batch.plan([src], out_dir=tmp_path / "out", to_format="webvtt"), engine="dask", jobs=2,
                        steps=[test_steps.stall_on_slow], timeout=2.0, chunk=3)
    assert summary.converted == 2
    assert [(Path(r.input).name, r.reason) for r in summary.failed] == [("b.srt", "timeout")]


@pytest.mark.corpus
@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not available")
@pytest.mark.skipif(importlib.util.find_spec("ray") is None, reason="the ray extra is not installed")
def test_corpus_through_ray_on_a_local_cluster(tmp_path: Path) -> None:
    _engine_run(tmp_path, "ray")


def test_a_missing_extra_is_a_config_error_naming_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    src = _files(tmp_path / "in", {"a.srt": "one"})
    tasks = batch.plan([src], out_dir=tmp_path / "out", to_format="webvtt")
    for engine, module, extra in (("dask", "dask.distributed", "subkit[dask]"), ("ray", "ray", "subkit[ray]")):
        monkeypatch.setitem(sys.modules, module, None)  # an import of it now fails
        with pytest.raises(ConfigError, match=extra.replace("[", r"\[").replace("]", r"\]")):
            batch.run(tasks, engine=engine)
