"""The shared run layer of the CLI: one settings object, one option stack, and many inputs for process/split/merge."""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import subkit
from subkit.cli import COMMANDS, cli
from subkit.cli._run import RunSettings, io_options, pass_settings
from subkit.cli.merge import partner_key
from tests.ops.helpers import run_subkit

EN = "1\n00:00:01,000 --> 00:00:03,000\nHello big world\n\n2\n00:00:04,000 --> 00:00:06,000\num Bye\n"
FR = "1\n00:00:01,100 --> 00:00:02,900\nBonjour\n\n2\n00:00:04,000 --> 00:00:06,000\nAu revoir\n"
BOTH = "1\n00:00:01,000 --> 00:00:03,000\nHello\nBonjour\n\n2\n00:00:04,000 --> 00:00:06,000\nBye\nAu revoir\n"

#: The click parameter names of the shared I/O options: no command takes them as callback arguments.
IO_NAMES = {"from_spec", "to_spec", "encoding", "out_encoding", "strict", "quiet", "as_json", "read_pairs",
            "write_pairs", "out_dir", "template", "recursive", "force"}


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _texts(path: Path) -> list[str]:
    return [cue.plain_text() for cue in subkit.load(path)]


# ---------------------------------------------------------------- the settings object and the option stack


def test_io_options_fill_the_settings_object_that_pass_settings_hands_over() -> None:
    seen: list[RunSettings] = []

    @click.command()
    @io_options("from", "encoding", "quiet", "read")
    @pass_settings
    def command(settings: RunSettings, /) -> None:
        seen.append(settings)
        assert click.get_current_context().obj is settings

    result = CliRunner().invoke(command, ["-f", "vtt", "-e", "cp1252", "-q", "-r", "a=1", "-r", "b=2"])
    assert result.exit_code == 0, result.output
    (settings,) = seen
    assert settings.from_spec is not None and settings.from_spec.name == "webvtt"
    assert (settings.encoding, settings.quiet, settings.read_pairs) == ("cp1252", True, ("a=1", "b=2"))
    assert settings.to_spec is None and settings.out_encoding == "utf-8"  # options not declared keep defaults


def test_io_options_refuse_an_unknown_key() -> None:
    with pytest.raises(KeyError):
        io_options("form")


@pytest.mark.parametrize("name", sorted(set(COMMANDS) - {"fetch"}))
def test_no_command_repeats_the_io_parameters_in_its_signature(name: str) -> None:
    command = COMMANDS[name].load()
    options = [param for param in command.params if isinstance(param, click.Option)]
    taken = {param.name for param in options if param.expose_value} & IO_NAMES
    callback = command.callback
    assert callback is not None
    positional = {param.name for param in command.params if isinstance(param, click.Argument)}
    arguments = set(inspect.signature(inspect.unwrap(callback)).parameters) & IO_NAMES - positional
    if name == "sync":  # sync's own --force (write a weak match anyway) belongs to the op, not to the output
        taken, arguments = taken - {"force"}, arguments - {"force"}
    assert not taken and not arguments, f"{name} takes {sorted(taken | arguments)} as arguments"


def test_a_process_step_learns_each_output_format_from_the_run(runner: CliRunner, tmp_path: Path) -> None:
    # No --to and no --target: the style step lays out each file for the format that file is written in.
    srt, vtt = _write(tmp_path / "a.srt", EN), tmp_path / "b.vtt"
    assert runner.invoke(cli, ["convert", str(srt), str(vtt)]).exit_code == 0
    result = runner.invoke(cli, ["process", "-d", str(tmp_path / "out"), str(srt), str(vtt), "style", "--style",
                                 "highlight"])
    assert result.exit_code == 0, result.stderr
    assert "<c.yellow>" in (tmp_path / "out" / "b.process.vtt").read_text(encoding="utf-8")
    assert "<font color" in (tmp_path / "out" / "a.process.srt").read_text(encoding="utf-8")


# ---------------------------------------------------------------- process


def test_process_one_input_without_out_is_written_beside_it(runner: CliRunner, tmp_path: Path) -> None:
    source = _write(tmp_path / "ep1.srt", EN)
    result = runner.invoke(cli, ["process", str(source), "replace", "--find", "um"])
    assert result.exit_code == 0, result.stderr
    assert _texts(tmp_path / "ep1.process.srt") == ["Hello big world", "Bye"]
    assert source.read_text(encoding="utf-8") == EN


def test_process_a_folder_into_out_dir_with_a_template_and_json(runner: CliRunner, tmp_path: Path) -> None:
    _write(tmp_path / "season" / "ep1.srt", EN)
    _write(tmp_path / "season" / "ep2.srt", EN)
    out = tmp_path / "out"
    result = runner.invoke(cli, ["process", "--json", "-d", str(out), "--name", "{stem}.fixed{ext}", "--to", "vtt",
                                 str(tmp_path / "season"), "replace", "--find", "um", "retime", "--shift", "1s"])
    assert result.exit_code == 0, result.stderr
    records = json.loads(result.stdout)
    assert [Path(r["output"]).name for r in records] == ["ep1.fixed.vtt", "ep2.fixed.vtt"]
    assert all(r["ok"] and [s["step"] for s in r["steps"]] == ["replace", "retime"] for r in records)
    assert subkit.load(out / "ep2.fixed.vtt").cues[0].start_ms == 2000


def test_process_refuses_collisions_and_save_for_many_inputs(runner: CliRunner, tmp_path: Path) -> None:
    a, b = _write(tmp_path / "a" / "ep.srt", EN), _write(tmp_path / "b" / "ep.srt", EN)
    out = tmp_path / "out"
    result = runner.invoke(cli, ["process", "-d", str(out), str(a), str(b), "clean"])
    assert result.exit_code == 2
    assert f"{a} and {b} would both be written to" in result.stderr
    assert not out.exists()  # refused before anything was read or written
    for inputs in ([str(a), str(b), str(a)], [str(tmp_path / "a")]):
        result = runner.invoke(cli, ["process", *inputs, "clean", "save", str(tmp_path / "x.srt")])
        assert result.exit_code == 2 and "'save OUT' takes one IN" in result.stderr


# ---------------------------------------------------------------- split


def test_split_one_input_writes_both_parts_beside_it(runner: CliRunner, tmp_path: Path) -> None:
    both = _write(tmp_path / "film.srt", BOTH)
    result = runner.invoke(cli, ["split", str(both), "--by", "lines"])
    assert result.exit_code == 0, result.stderr
    assert _texts(tmp_path / "film.a.srt") == ["Hello", "Bye"]
    assert _texts(tmp_path / "film.b.srt") == ["Bonjour", "Au revoir"]


def test_split_a_folder_into_out_dir_and_its_refusals(runner: CliRunner, tmp_path: Path) -> None:
    _write(tmp_path / "in" / "x.srt", BOTH)
    _write(tmp_path / "in" / "y.srt", BOTH)
    out = tmp_path / "out"
    result = runner.invoke(cli, ["split", str(tmp_path / "in"), "-d", str(out), "--name", "{stem}-{part}.vtt",
                                 "--to", "vtt", "--json", "-q"])
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["x-a.vtt", "x-b.vtt", "y-a.vtt", "y-b.vtt"]
    records = json.loads(result.stdout)
    assert [[o["cues"] for o in r["outputs"]] for r in records] == [[2, 2], [2, 2]]
    # Without {part} the two parts of one input would be one file: refused up front.
    result = runner.invoke(cli, ["split", str(tmp_path / "in" / "x.srt"), "--name", "{stem}.half{ext}"])
    assert result.exit_code == 2 and "with {part}" in result.stderr
    result = runner.invoke(cli, ["split", str(tmp_path / "in" / "x.srt"), str(tmp_path / "only-one.srt")])
    assert result.exit_code == 2 and "only-one.srt: no such input" in result.stderr


# ---------------------------------------------------------------- merge


def test_merge_partner_key_sets_language_tags_aside() -> None:
    assert partner_key("en/ep01.en.srt") == partner_key("fr/ep01.fr.vtt") == "ep01"
    assert partner_key("a/show.pt-BR.srt") == "show"
    assert partner_key("ep02.srt") != partner_key("ep01.srt")


def test_merge_with_one_b_into_many_a(runner: CliRunner, tmp_path: Path) -> None:
    names = ("one", "two", "three")
    inputs = [str(_write(tmp_path / f"{name}.srt", EN)) for name in names]
    fr = _write(tmp_path / "fr" / "fr.srt", FR)
    result = runner.invoke(cli, ["merge", *inputs, "--with", str(fr), "--lang-b", "fr"])
    assert result.exit_code == 0, result.stderr
    for name in names:
        assert _texts(tmp_path / f"{name}.merge.srt")[0] == "Hello big world\nBonjour"
    # Two paths are A OUT, as IN OUT everywhere.
    result = runner.invoke(cli, ["merge", inputs[0], str(tmp_path / "out.vtt"), "--with", str(fr)])
    assert result.exit_code == 0, result.stderr
    assert _texts(tmp_path / "out.vtt")[1] == "um Bye\nAu revoir"


def test_merge_folders_pair_by_name(runner: CliRunner, tmp_path: Path) -> None:
    _write(tmp_path / "en" / "ep1.en.srt", EN)
    _write(tmp_path / "en" / "ep2.en.srt", EN.replace("Hello", "Howdy"))
    _write(tmp_path / "fr" / "ep1.fr.srt", FR)
    _write(tmp_path / "fr" / "ep2.fr.srt", FR.replace("Bonjour", "Salut"))
    out = tmp_path / "both"
    result = runner.invoke(cli, ["merge", str(tmp_path / "en"), "--with", str(tmp_path / "fr"), "-d", str(out),
                                 "--json", "-q"])
    assert result.exit_code == 0, result.stderr
    records = json.loads(result.stdout)
    assert [Path(p).name for r in records for p in r["inputs"]] == ["ep1.en.srt", "ep1.fr.srt", "ep2.en.srt",
                                                                    "ep2.fr.srt"]
    assert _texts(out / "ep2.en.merge.srt")[0] == "Howdy big world\nSalut"


def test_merge_refusals(runner: CliRunner, tmp_path: Path) -> None:
    en, fr = _write(tmp_path / "en" / "ep1.srt", EN), _write(tmp_path / "fr" / "ep9.srt", FR)
    result = runner.invoke(cli, ["merge", str(en), str(fr)])
    assert result.exit_code == 2 and "--with B" in result.stderr
    result = runner.invoke(cli, ["merge", str(en), "--with", str(tmp_path / "fr")])
    assert result.exit_code == 2 and f"{en}: no file named ep1.* in" in result.stderr
    # B is read too: an output name that is B's own file is refused.
    result = runner.invoke(cli, ["merge", str(en), "--with", str(fr), "-d", str(tmp_path / "fr"),
                                 "--name", "ep9.srt"])
    assert result.exit_code == 2 and "refusing to overwrite an input" in result.stderr
    assert fr.read_text(encoding="utf-8") == FR


# ---------------------------------------------------------------- through a subprocess


def test_many_inputs_through_a_subprocess(tmp_path: Path) -> None:
    _write(tmp_path / "en" / "ep1.en.srt", EN)
    _write(tmp_path / "fr" / "ep1.fr.srt", FR)
    _write(tmp_path / "dual" / "d.srt", BOTH)
    done = run_subkit("merge", str(tmp_path / "en"), "--with", str(tmp_path / "fr"), "-d", str(tmp_path / "m"))
    assert done.returncode == 0, done.stderr
    assert _texts(tmp_path / "m" / "ep1.en.merge.srt")[1] == "um Bye\nAu revoir"
    done = run_subkit("split", str(tmp_path / "dual"), "--by", "lines")
    assert done.returncode == 0, done.stderr
    assert _texts(tmp_path / "dual" / "d.b.srt") == ["Bonjour", "Au revoir"]
    done = run_subkit("process", "-d", str(tmp_path / "p"), str(tmp_path / "en"), str(tmp_path / "fr"), "replace",
                      "--find", "um")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "p").iterdir()) == ["ep1.en.process.srt", "ep1.fr.process.srt"]
    assert "replace: cues 2 -> 2; replaced 1" in done.stderr
    _write(tmp_path / "other" / "ep1.en.srt", EN)
    done = run_subkit("process", "-d", str(tmp_path / "q"), str(tmp_path / "en"), str(tmp_path / "other"), "clean")
    assert done.returncode == 2
    assert "ep1.en.srt would both be written to" in done.stderr and not (tmp_path / "q").exists()
