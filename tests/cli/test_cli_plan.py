"""Planning in the CLI: -R/--recursive, the shared name-template vocabulary, collisions, and the IN OUT guard."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

import subkit
from subkit.cli import cli
from tests.ops.helpers import run_subkit

SRT = "1\n00:00:10,000 --> 00:00:12,000\n[MUSIC] Hi\n\n2\n00:00:13,000 --> 00:00:14,000\nthere\n"
FR = "1\n00:00:10,000 --> 00:00:12,000\nSalut\n\n2\n00:00:13,000 --> 00:00:14,000\nla\n"


def _tree(root: Path, *relpaths: str, text: str = SRT) -> Path:
    for relpath in relpaths:
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _listing(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


# ---------------------------------------------------------------- -R/--recursive


def test_recursive_out_dir_keeps_the_folders_with_relpath(runner: CliRunner, tmp_path: Path) -> None:
    season = _tree(tmp_path / "season", "ep0.en.srt", "s1/ep1.en.srt", "s2/ep1.en.srt", "s2/.hidden.srt",
                   ".cache/ep9.srt")
    out = tmp_path / "out"
    result = runner.invoke(cli, ["clean", "-R", str(season), "-d", str(out), "--name", "{relpath}.clean{ext}",
                                 "--hi", "--json", "-q"])
    assert result.exit_code == 0, result.stderr
    assert _listing(out) == ["ep0.en.clean.srt", "s1/ep1.en.clean.srt", "s2/ep1.en.clean.srt"]
    assert [c.plain_text() for c in subkit.load(out / "s2" / "ep1.en.clean.srt")] == ["Hi", "there"]
    assert [Path(r["input"]).name for r in json.loads(result.stdout)] == ["ep0.en.srt", "ep1.en.srt", "ep1.en.srt"]
    # Without -R a folder is its own files only; with -R and a flat name the two ep1 collide, both named.
    result = runner.invoke(cli, ["clean", str(season), "-d", str(tmp_path / "flat"), "--hi"])
    assert result.exit_code == 0, result.stderr
    assert _listing(tmp_path / "flat") == ["ep0.en.clean.srt"]
    result = runner.invoke(cli, ["clean", "--recursive", str(season), "-d", str(tmp_path / "clash")])
    assert result.exit_code == 2
    assert (f"{season / 's1' / 'ep1.en.srt'} and {season / 's2' / 'ep1.en.srt'} would both be written to "
            f"{tmp_path / 'clash' / 'ep1.en.clean.srt'}") in result.stderr
    assert not (tmp_path / "clash").exists()


def test_recursive_without_out_dir_writes_beside_each_input(runner: CliRunner, tmp_path: Path) -> None:
    season = _tree(tmp_path / "season", "s1/ep1.srt", "s2/ep2.srt")
    result = runner.invoke(cli, ["retime", "-R", str(season), "--shift", "1s", "--to", "vtt"])
    assert result.exit_code == 0, result.stderr
    assert subkit.load(season / "s1" / "ep1.retime.vtt").cues[0].start_ms == 11000
    assert (season / "s2" / "ep2.retime.vtt").is_file()
    # A name may hold a folder as long as it stays inside the output folder (here: the input's own).
    result = runner.invoke(cli, ["convert", "-R", str(season), "--to", "srt", "--name", "web/{base}.{lang}{ext}"])
    assert result.exit_code == 0, result.stderr
    assert (season / "s1" / "web" / "ep1.und.srt").is_file() and (season / "s2" / "web" / "ep2.und.srt").is_file()
    result = runner.invoke(cli, ["clean", "-R", str(season), "--name", "../{stem}{ext}"])
    assert result.exit_code == 2 and "not a file name inside the output folder" in result.stderr


def test_replace_keeps_its_short_flag_and_lint_and_info_walk_too(runner: CliRunner, tmp_path: Path) -> None:
    season = _tree(tmp_path / "season", "s1/ep1.srt")
    result = runner.invoke(cli, ["replace", "--recursive", str(season), "-F", "there", "-R", "here"])
    assert result.exit_code == 0, result.stderr
    assert subkit.load(season / "s1" / "ep1.replace.srt").cues[1].plain_text() == "here"
    help_text = runner.invoke(cli, ["replace", "--help"]).stdout
    assert "-R, --replace" in help_text and "  --recursive" in help_text
    assert "-R, --recursive" in runner.invoke(cli, ["clean", "--help"]).stdout
    result = runner.invoke(cli, ["info", "-R", str(season), "--json"])
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)) == 2  # ep1.srt and ep1.replace.srt
    result = runner.invoke(cli, ["info", str(season)])
    assert result.exit_code == 2 and "no subtitle file in it" in result.stderr


def test_convert_takes_folders_with_out_dir_and_a_name(runner: CliRunner, tmp_path: Path) -> None:
    season = _tree(tmp_path / "season", "a.en.srt", "s1/b.fr.srt")
    out = tmp_path / "out"
    result = runner.invoke(cli, ["convert", "-R", str(season), "-d", str(out), "--to", "vtt",
                                 "--name", "{reldir}/{base}-{lang}{ext}"])
    assert result.exit_code == 0, result.stderr
    assert _listing(out) == ["a-en.vtt", "s1/b-fr.vtt"]
    result = runner.invoke(cli, ["convert", str(season), "-d", str(tmp_path / "one"), "--to", "vtt"])
    assert result.exit_code == 0, result.stderr
    assert _listing(tmp_path / "one") == ["a.en.vtt"]


# ---------------------------------------------------------------- the vocabulary's refusals


def test_old_spellings_and_misspellings_are_usage_errors(runner: CliRunner, tmp_path: Path) -> None:
    season = _tree(tmp_path / "season", "ep1.en.srt")
    out = tmp_path / "out"
    cases = [
        (["clean", str(season), "--name", "{stem}.clean.{ext}"], "{ext} includes its dot: write '{stem}.clean{ext}'"),
        (["clean", str(season), "--name", "{stem}.{lang}{ext}"], "write '{base}.{lang}{ext}'"),
        (["clean", str(season), "--name", "{bsae}{ext}"], "did you mean {base}?"),
        (["batch", str(season), "--to", "vtt", "-o", str(out), "--name", "{relpath}.{ext}"],
         "{ext} includes its dot: write '{relpath}{ext}'"),
        (["batch", str(season), "--to", "vtt", "-o", str(out), "--name", "{stem}.{lang}.{ext}"], "includes its dot"),
        (["batch", str(season), "--to", "vtt", "-o", str(out), "--name", "{stem}.{lang}{ext}"],
         "{stem} keeps the language tag"),
        (["split", str(season), "--name", "{stem}.half{ext}"], "with {part}"),
    ]
    for args, needle in cases:
        result = runner.invoke(cli, args)
        assert result.exit_code == 2, (args, result.stderr)
        assert needle in result.stderr, (args, result.stderr)
    assert _listing(tmp_path) == ["season/ep1.en.srt"]  # nothing written


def test_batch_default_names_are_unchanged(runner: CliRunner, tmp_path: Path) -> None:
    season = _tree(tmp_path / "season", "ep1.en.srt", "s1/ep2.srt")
    out = tmp_path / "out"
    result = runner.invoke(cli, ["batch", str(season), "--to", "vtt", "-o", str(out), "-q", "--jobs", "1"])
    assert result.exit_code == 0, result.stderr
    assert [n for n in _listing(out) if n.endswith(".vtt")] == ["ep1.en.vtt", "s1/ep2.vtt"]


# ---------------------------------------------------------------- the IN OUT guard


def test_a_second_input_taken_for_out_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    _tree(tmp_path, "a.srt", "b.srt", "ref.vtt")
    _tree(tmp_path, "fr.srt", text=FR)
    a, b, fr, ref = (str(tmp_path / n) for n in ("a.srt", "b.srt", "fr.srt", "ref.vtt"))
    for args, shown in ((["merge", a, b, "--with", fr], b), (["sync", a, fr, "--to-subtitle", ref], fr),
                        (["clean", a, b], b), (["process", a, b, "clean"], b)):
        result = runner.invoke(cli, args)
        assert result.exit_code == 2, (args, result.stderr)
        assert f"{shown} already exists and is a .srt file like {a}" in result.stderr
        assert "give --out-dir DIR or --name" in result.stderr and f"give --force to replace {shown}" \
            in result.stderr
    assert (tmp_path / "b.srt").read_text(encoding="utf-8") == SRT
    assert (tmp_path / "fr.srt").read_text(encoding="utf-8") == FR
    # --force replaces it; so does the name template that makes both paths inputs.
    result = runner.invoke(cli, ["merge", a, b, "--with", fr, "--force"])
    assert result.exit_code == 0, result.stderr
    assert subkit.load(b).cues[0].plain_text() == "[MUSIC] Hi\nSalut"
    result = runner.invoke(cli, ["clean", a, fr, "--name", "{stem}.{command}{ext}", "--hi"])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "a.clean.srt").is_file() and (tmp_path / "fr.clean.srt").is_file()


def test_an_out_of_another_kind_is_replaced_and_an_input_never_is(runner: CliRunner, tmp_path: Path) -> None:
    _tree(tmp_path, "a.srt", "old.vtt")
    _tree(tmp_path, "fr.srt", text=FR)
    a, fr = str(tmp_path / "a.srt"), str(tmp_path / "fr.srt")
    # A re-run writing another format replaces the earlier output, as before.
    for _ in range(2):
        result = runner.invoke(cli, ["clean", a, str(tmp_path / "old.vtt"), "--hi"])
        assert result.exit_code == 0, result.stderr
    assert subkit.load(tmp_path / "old.vtt").cues[0].plain_text() == "Hi"
    # An OUT that is B of the merge (read by the job) is refused even with --force.
    result = runner.invoke(cli, ["merge", a, fr, "--with", fr, "--force"])
    assert result.exit_code == 2 and f"refusing to overwrite an input: {a} would be written over the input {fr}" \
        in result.stderr
    assert (tmp_path / "fr.srt").read_text(encoding="utf-8") == FR


def test_planning_through_a_subprocess(tmp_path: Path) -> None:
    season = _tree(tmp_path / "season", "s1/ep1.en.srt", "s2/ep1.en.srt")
    out = tmp_path / "out"
    done = run_subkit("clean", "-R", str(season), "-d", str(out), "--name", "{reldir}/{base}.{lang}{ext}", "--hi")
    assert done.returncode == 0, done.stderr
    assert _listing(out) == ["s1/ep1.en.srt", "s2/ep1.en.srt"]
    done = run_subkit("clean", "-R", str(season), "-d", str(out), "--name", "{stem}.{lang}{ext}")
    assert done.returncode == 2 and "{stem} keeps the language tag: write '{base}.{lang}{ext}'" in done.stderr
    done = run_subkit("batch", str(season), "--to", "vtt", "-o", str(tmp_path / "b"), "--name", "{base}{ext}")
    assert done.returncode == 2 and "would both be written to" in done.stderr
    a, b = season / "s1" / "ep1.en.srt", season / "s2" / "ep1.en.srt"
    done = run_subkit("retime", str(a), str(b), "--shift", "1s")
    assert done.returncode == 2 and f"{b} already exists" in done.stderr
    assert b.read_text(encoding="utf-8") == SRT


def test_lint_fix_into_a_folder_refuses_two_inputs_of_one_name(runner: CliRunner, tmp_path: Path) -> None:
    season = _tree(tmp_path / "season", "s1/ep1.srt", "s2/ep1.srt")
    result = runner.invoke(cli, ["lint", "-R", str(season), "--fix", "-d", str(tmp_path / "fixed")])
    assert result.exit_code == 2
    assert f"{season / 's1' / 'ep1.srt'} and {season / 's2' / 'ep1.srt'} would both be written to" in result.stderr
    assert not (tmp_path / "fixed").exists()
