"""``subkit convert``: formats, streams, batches, reports and failures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import subkit
from subkit.cli import cli
from subkit.cli.convert import output_name
from subkit.formats import get
from tests.cli.helpers import DEMO_TEXT, FLAWED_TEXT, needs_formats

DEMO_AS_SRT = subkit.dumps(subkit.loads(DEMO_TEXT, format="srt"), "srt")


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line]


# ---------------------------------------------------------------- one file


def test_convert_by_output_extension(runner: CliRunner, demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "demo.subkit.json"
    result = runner.invoke(cli, ["convert", "--from", "srt", str(demo), str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == ""
    doc = subkit.load(out, format="subkit_json")
    assert doc.cues[0].plain_text() == "Welcome to subkit."
    assert len(doc) == 3


@pytest.mark.parametrize("name", ["subkit_json", "subkit-json", "SUBKIT-JSON", "json-model"])
def test_convert_accepts_aliases_hyphens_and_case(
    runner: CliRunner, demo: Path, tmp_path: Path, name: str
) -> None:
    out = tmp_path / "out.txt"
    result = runner.invoke(cli, ["convert", "-f", "subrip", "-t", name, str(demo), str(out)])
    assert result.exit_code == 0, result.stderr
    assert subkit.load(out, format="subkit_json").source_format == "srt"


def test_convert_to_overrides_the_extension(runner: CliRunner, demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.subkit.json"
    result = runner.invoke(cli, ["convert", "--from", "srt", "--to", "srt", str(demo), str(out)])
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8") == DEMO_AS_SRT


@needs_formats()
def test_convert_detects_the_input_format(runner: CliRunner, demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "demo.subkit.json"
    result = runner.invoke(cli, ["convert", str(demo), str(out)])
    assert result.exit_code == 0, result.stderr
    assert subkit.load(out, format="subkit_json").source_format == "srt"


@pytest.mark.usefixtures("only_srt_and_json")
def test_convert_detection_path(runner: CliRunner, demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "demo.subkit.json"
    result = runner.invoke(cli, ["convert", "--json", str(demo), str(out)])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["files"][0]["from"] == "srt"
    back = runner.invoke(cli, ["convert", "--to", "srt", "-", "-"], input=out.read_bytes())
    assert back.exit_code == 0, back.stderr
    assert back.stdout == DEMO_AS_SRT


@pytest.mark.usefixtures("only_srt_and_json")
def test_convert_undetectable_input_exit_1(runner: CliRunner, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("just some text\n", encoding="utf-8")
    out = tmp_path / "out.srt"
    result = runner.invoke(cli, ["convert", str(notes), str(out)])
    assert result.exit_code == 1
    (line,) = _lines(result.stderr)
    assert line.startswith(f"subkit: {notes}: ") and "--from" in line
    assert not out.exists()


@needs_formats("webvtt")
def test_convert_to_vtt_alias(runner: CliRunner, demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "demo.out"
    result = runner.invoke(cli, ["convert", "--from", "srt", "--to", "vtt", str(demo), str(out)])
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8").startswith("WEBVTT")
    assert result.stdout == ""


def test_convert_stdin_to_stdout(runner: CliRunner) -> None:
    result = runner.invoke(
        cli, ["convert", "--from", "srt", "--to", "srt", "-", "-"], input=DEMO_TEXT.encode("utf-8")
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == DEMO_AS_SRT
    assert result.stderr == ""


@needs_formats()
def test_convert_stdin_is_detected_from_content(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["convert", "--to", "srt", "-", "-"], input=DEMO_TEXT.encode("utf-8"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == DEMO_AS_SRT


def test_convert_file_to_stdout_and_stdin_to_file(runner: CliRunner, demo: Path, tmp_path: Path) -> None:
    to_stdout = runner.invoke(cli, ["convert", "--from", "srt", str(demo), "-", "--to", "subkit-json"])
    assert to_stdout.exit_code == 0, to_stdout.stderr
    assert json.loads(to_stdout.stdout)["cues"][0]["start_ms"] == 1000
    out = tmp_path / "back.srt"
    from_stdin = runner.invoke(cli, ["convert", "-f", "json-model", "-", str(out)], input=to_stdout.stdout)
    assert from_stdin.exit_code == 0, from_stdin.stderr
    assert out.read_text(encoding="utf-8") == DEMO_AS_SRT


# ---------------------------------------------------------------- reports


def test_convert_reports_losses_on_stderr_without_python_warnings(
    runner: CliRunner, rich: Path, tmp_path: Path
) -> None:
    # pyproject sets filterwarnings=error: a LossyConversionWarning would turn into exit status 70 here.
    out = tmp_path / "rich.srt"
    result = runner.invoke(cli, ["convert", "--from", "subkit-json", str(rich), str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    lines = _lines(result.stderr)
    dropped = {line.split(" cannot express ")[1].split(":")[0] for line in lines}
    assert dropped >= {"speaker", "word-timing", "regions"}
    speaker = next(line for line in lines if "speaker" in line)
    assert speaker == f"{out}: warning: srt cannot express speaker: speakers dropped (2 cues, first at cue 1)"
    assert "Warning" not in result.stderr
    assert "Traceback" not in result.stderr
    assert out.read_text(encoding="utf-8").startswith("1\n00:00:00,000 --> 00:00:01,000\nHi there\n")


def test_convert_prints_read_diagnostics_with_lines(runner: CliRunner, flawed: Path, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["convert", "--from", "srt", str(flawed), str(tmp_path / "out.srt")])
    assert result.exit_code == 0, result.stderr
    lines = _lines(result.stderr)
    assert len(lines) == 2
    assert lines[0].startswith(f"{flawed}:2: warning: ")
    assert lines[1].startswith(f"{flawed}:6: error: ")


def test_convert_quiet_prints_nothing(runner: CliRunner, rich: Path, flawed: Path, tmp_path: Path) -> None:
    for source, fmt in ((rich, "subkit-json"), (flawed, "srt")):
        args = ["convert", "-q", "--to", "srt", "-f", fmt, str(source), str(tmp_path / "o")]
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.stderr
        assert result.stderr == ""
        assert result.stdout == ""


def test_convert_json_summary(runner: CliRunner, rich: Path, flawed: Path, tmp_path: Path) -> None:
    out = tmp_path / "rich.srt"
    result = runner.invoke(cli, ["convert", "--json", "--quiet", "-f", "subkit_json", str(rich), str(out)])
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["ok"] is True
    (record,) = summary["files"]
    assert record["input"] == str(rich)
    assert record["output"] == str(out)
    assert record["ok"] is True
    assert (record["from"], record["to"], record["cues"]) == ("subkit_json", "srt", 2)
    losses = {loss["feature"]: loss for loss in record["losses"]}
    assert set(losses) >= {"speaker", "word-timing", "regions"}
    assert losses["speaker"] == {
        "feature": "speaker",
        "message": "speakers dropped",
        "count": 2,
        "first_cue": 0,
    }
    assert record["diagnostics"] == []

    flawed_out = tmp_path / "flawed.subkit.json"
    result = runner.invoke(cli, ["convert", "--json", "-f", "srt", str(flawed), str(flawed_out)])
    assert result.exit_code == 0, result.stderr
    diagnostics = json.loads(result.stdout)["files"][0]["diagnostics"]
    assert [(d["line"], d["severity"]) for d in diagnostics] == [(2, "warning"), (6, "error")]
    assert set(diagnostics[0]) >= {"line", "message", "action", "severity"}
    assert diagnostics[0]["action"]


# ---------------------------------------------------------------- strict, encodings


def test_convert_strict_refuses_a_lossy_write(runner: CliRunner, rich: Path, tmp_path: Path) -> None:
    out = tmp_path / "rich.srt"
    result = runner.invoke(cli, ["convert", "--strict", "-f", "subkit_json", str(rich), str(out)])
    assert result.exit_code == 1
    assert result.stdout == ""
    (line,) = _lines(result.stderr)
    assert line.startswith(f"subkit: {rich}: srt cannot express ")
    assert not out.exists()


def test_convert_strict_refuses_a_flawed_input(runner: CliRunner, flawed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.srt"
    out.write_text("precious", encoding="utf-8")
    result = runner.invoke(cli, ["convert", "--strict", "-f", "srt", str(flawed), str(out)])
    assert result.exit_code == 1
    (line,) = _lines(result.stderr)
    assert line.startswith(f"subkit: {flawed}:2: ")
    assert out.read_text(encoding="utf-8") == "precious"


def test_convert_strict_passes_a_clean_lossless_conversion(
    runner: CliRunner, demo: Path, tmp_path: Path
) -> None:
    out = tmp_path / "d.subkit.json"
    result = runner.invoke(cli, ["convert", "--strict", "-f", "srt", str(demo), str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""


def test_convert_input_and_output_encodings(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "latin.srt"
    source.write_bytes("1\n00:00:01,000 --> 00:00:02,000\nCafé crème\n".encode("cp1252"))
    out = tmp_path / "out.srt"
    result = runner.invoke(
        cli, ["convert", "-f", "srt", "-e", "cp1252", "--out-encoding", "utf-16", str(source), str(out)]
    )
    assert result.exit_code == 0, result.stderr
    data = out.read_bytes()
    assert data[:2] in (b"\xff\xfe", b"\xfe\xff")
    assert "Café crème" in data.decode("utf-16")
    summary = runner.invoke(cli, ["convert", "--json", "-f", "srt", "-e", "cp1252", str(source), str(out)])
    assert json.loads(summary.stdout)["files"][0]["encoding"] == "cp1252"


def test_convert_wrong_input_encoding_is_an_input_error(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "utf8.srt"
    source.write_text("1\n00:00:01,000 --> 00:00:02,000\nCafé\n", encoding="utf-8")
    result = runner.invoke(cli, ["convert", "-f", "srt", "-e", "ascii", str(source), str(tmp_path / "o.srt")])
    assert result.exit_code == 1
    (line,) = _lines(result.stderr)
    assert line.startswith("subkit: ") and "ascii" in line


def test_convert_unencodable_output_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "utf8.srt"
    source.write_text("1\n00:00:01,000 --> 00:00:02,000\nCafé\n", encoding="utf-8")
    out = tmp_path / "o.srt"
    result = runner.invoke(cli, ["convert", "-f", "srt", "--out-encoding", "ascii", str(source), str(out)])
    assert result.exit_code == 1
    (line,) = _lines(result.stderr)
    assert line.startswith("subkit: ") and "ascii" in line
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [source]  # no temporary file left behind either


# ---------------------------------------------------------------- failures


def test_convert_parse_error_leaves_existing_output_untouched(
    runner: CliRunner, bad: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.srt"
    out.write_text("precious", encoding="utf-8")
    result = runner.invoke(cli, ["convert", "--from", "srt", str(bad), str(out)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"subkit: {bad}:1: ")
    assert "Traceback" not in result.stderr
    assert out.read_text(encoding="utf-8") == "precious"


def test_convert_missing_input(runner: CliRunner, tmp_path: Path) -> None:
    missing = tmp_path / "nope.srt"
    result = runner.invoke(cli, ["convert", "-f", "srt", str(missing), str(tmp_path / "o.srt")])
    assert result.exit_code == 1
    assert result.stderr == f"subkit: {missing}: cannot read: No such file or directory\n"


def test_convert_unknown_output_extension(runner: CliRunner, demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xyz"
    result = runner.invoke(cli, ["convert", "-f", "srt", str(demo), str(out)])
    assert result.exit_code == 1
    (line,) = _lines(result.stderr)
    assert line.startswith("subkit: ") and "out.xyz" in line
    assert not out.exists()


def test_convert_refuses_to_overwrite_its_input(runner: CliRunner, demo: Path) -> None:
    before = demo.read_bytes()
    result = runner.invoke(cli, ["convert", "-f", "srt", "--to", "subkit-json", str(demo), str(demo)])
    assert result.exit_code == 1
    assert "refusing to overwrite an input file" in result.stderr
    assert demo.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["convert", "-f", "srt", "IN", "-"], "needs --to"),
        (["convert", "-f", "srt", "--json", "--to", "srt", "IN", "-"], "--json needs an output file"),
        (["convert", "-f", "srt", "IN"], "name the output format with --to FORMAT"),
        (["convert", "-f", "srt", "IN", "IN", "OUT"], "name the output format with --to FORMAT"),
        (["convert", "--to", "nope", "IN", "OUT"], "unknown format 'nope'"),
        (["convert", "--from", "nope", "IN", "OUT"], "unknown format 'nope'"),
        (["convert", "--encoding", "klingon", "IN", "OUT"], "unknown encoding 'klingon'"),
        (["convert", "--out-encoding", "klingon", "IN", "OUT"], "unknown encoding 'klingon'"),
        (["convert", "--out-dir", "D", "IN"], "--out-dir needs --to"),
        (["convert", "--to", "srt", "--out-dir", "D", "-"], "standard input (-) cannot be used"),
        (["convert"], "Missing argument"),
        (["convert", "--bogus", "IN", "OUT"], "No such option"),
    ],
)
def test_convert_usage_errors_exit_2(
    runner: CliRunner, demo: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    args = [str(demo) if a == "IN" else str(tmp_path / "out.srt") if a == "OUT" else a for a in args]
    args = [str(tmp_path / "D") if a == "D" else a for a in args]
    result = runner.invoke(cli, args)
    assert result.exit_code == 2, result.stderr
    assert message in result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "out.srt").exists()
    assert not (tmp_path / "D").exists()


# ---------------------------------------------------------------- several files


def test_convert_batch_into_out_dir(runner: CliRunner, demo: Path, rich: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "made" / "here"
    result = runner.invoke(
        cli, ["convert", "--to", "srt", "-q", "-f", "subkit_json", str(rich), "--out-dir", str(out_dir)]
    )
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out_dir.iterdir()) == ["rich.srt"]

    second = tmp_path / "second.srt"
    second.write_text(DEMO_TEXT, encoding="utf-8")
    args = ["convert", "-f", "srt", "--to", "subkit-json", str(demo), str(second), "--out-dir", str(out_dir)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert sorted(p.name for p in out_dir.iterdir()) == ["demo.subkit.json", "rich.srt", "second.subkit.json"]
    assert len(subkit.load(out_dir / "second.subkit.json", format="subkit_json")) == 3


def test_convert_batch_continues_past_a_failure(
    runner: CliRunner, demo: Path, bad: Path, tmp_path: Path
) -> None:
    out_dir = tmp_path / "out"
    third = tmp_path / "third.srt"
    third.write_text(FLAWED_TEXT, encoding="utf-8")
    result = runner.invoke(
        cli,
        ["convert", "--json", "-q", "-f", "srt", "-t", "subkit_json", "-d", str(out_dir),
         str(demo), str(bad), str(third)],
    )
    assert result.exit_code == 1
    (line,) = _lines(result.stderr)
    assert line.startswith(f"subkit: {bad}:1: ")
    assert sorted(p.name for p in out_dir.iterdir()) == ["demo.subkit.json", "third.subkit.json"]
    summary = json.loads(result.stdout)
    assert summary["ok"] is False
    assert [f["ok"] for f in summary["files"]] == [True, False, True]
    failed = summary["files"][1]
    assert failed["input"] == str(bad)
    assert failed["output"] == str(out_dir / "bad.subkit.json")
    assert failed["error"] == line.removeprefix("subkit: ")
    assert len(summary["files"][2]["diagnostics"]) == 2


def test_convert_batch_refuses_to_overwrite_an_input(runner: CliRunner, demo: Path, tmp_path: Path) -> None:
    before = demo.read_bytes()
    args = ["convert", "-f", "srt", "--to", "srt", "--out-dir", str(tmp_path), str(demo)]
    result = runner.invoke(cli, args)
    # Refused when planning, as in every command, before anything is read.
    assert result.exit_code == 2
    assert f"refusing to overwrite an input: {demo} would be written over the input" in result.stderr
    assert demo.read_bytes() == before


def test_convert_batch_refuses_two_inputs_with_one_output(runner: CliRunner, tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        text = DEMO_TEXT if folder == "a" else FLAWED_TEXT
        (tmp_path / folder / "ep.srt").write_text(text, encoding="utf-8")
    out_dir = tmp_path / "out"
    result = runner.invoke(
        cli,
        ["convert", "-q", "-f", "srt", "--to", "subkit-json", "--out-dir", str(out_dir),
         str(tmp_path / "a" / "ep.srt"), str(tmp_path / "b" / "ep.srt")],
    )
    assert result.exit_code == 2
    assert f"{tmp_path / 'a' / 'ep.srt'} and {tmp_path / 'b' / 'ep.srt'} would both be written to" in result.stderr
    assert not out_dir.exists()  # refused before anything was read or written


def test_convert_out_dir_that_is_a_file(runner: CliRunner, demo: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = runner.invoke(cli, ["convert", "-f", "srt", "--to", "srt", "--out-dir", str(blocker), str(demo)])
    assert result.exit_code == 2
    assert blocker.read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        ("shows/ep1.en.srt", "vtt", "ep1.en.vtt"),
        ("x.subkit.json", "srt", "x.srt"),
        ("X.SRT", "subkit-json", "X.subkit.json"),
        ("notes", "ass", "notes.ass"),
        ("odd.name.txt", "srt", "odd.name.srt"),
    ],
)
def test_convert_output_name(source: str, target: str, expected: str) -> None:
    assert output_name(source, get(target)) == expected


def test_convert_bom_starts_the_output_with_a_byte_order_mark(runner: CliRunner, demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.srt"
    result = runner.invoke(cli, ["convert", str(demo), str(out), "--bom"])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf1\n") and data.count(b"\xef\xbb\xbf") == 1
    assert subkit.load(out).cues == subkit.load(demo).cues  # readers take the mark off
    result = runner.invoke(cli, ["convert", str(demo), str(tmp_path / "u16.srt"), "--bom", "--out-encoding", "utf-16"])
    assert result.exit_code == 0 and (tmp_path / "u16.srt").read_bytes().startswith(b"\xff\xfe1\x00")
    result = runner.invoke(cli, ["convert", str(demo), str(tmp_path / "x.srt"), "--bom", "--out-encoding", "cp1252"])
    assert result.exit_code == 2 and "Unicode" in result.output
    assert not (tmp_path / "x.srt").exists()
    plain = tmp_path / "plain.srt"
    assert runner.invoke(cli, ["convert", str(demo), str(plain)]).exit_code == 0
    assert not plain.read_bytes().startswith(b"\xef\xbb\xbf")


def test_convert_bom_as_a_subprocess(demo: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    completed = subprocess.run([sys.executable, "-m", "subkit", "convert", str(demo), "-", "--to", "srt", "--bom"],
                               capture_output=True, check=False)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith(b"\xef\xbb\xbf1")


def test_convert_says_when_a_vtt_file_has_no_signature(runner: CliRunner, tmp_path: Path) -> None:
    misnamed = tmp_path / "movie.vtt"
    misnamed.write_text("1\n00:00:01,000 --> 00:00:02,000\nHi\n", encoding="utf-8")
    result = runner.invoke(cli, ["convert", str(misnamed), str(tmp_path / "out.srt")])
    assert result.exit_code == 0
    assert "does not start with its signature (WEBVTT); read it as srt" in result.stderr


def test_convert_webvtt_for_ffmpeg_moves_style_into_markup(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "styled.vtt"
    source.write_text("WEBVTT\n\nSTYLE\n::cue(.loud) { font-weight: bold }\n\n00:00.000 --> 00:01.000\n"
                      "<c.loud>Hi</c>\n", encoding="utf-8")
    result = runner.invoke(cli, ["convert", str(source), "-", "--to", "vtt", "-w", "stylesheets=inline"])
    assert result.exit_code == 0
    assert "STYLE" not in result.stdout and "<c.loud><b>Hi</b></c>" in result.stdout
    result = runner.invoke(cli, ["convert", str(source), "-", "--to", "vtt", "-w", "stylesheets=drop"])
    assert result.exit_code == 0 and "STYLE" not in result.stdout and "stylesheets" in result.stderr
