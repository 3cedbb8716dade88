"""The ``subkit`` group: help, version, lazy commands, exit statuses, ``python -m subkit``, import weight."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import subkit
from subkit.cli import COMMANDS, LazyCommand, LazyGroup, cli, main
from subkit.errors import (
    ConfigError,
    FormatDetectionError,
    ParseError,
    ProviderAuthError,
    SubkitIOError,
    UnknownFormatError,
    UnsupportedFeatureError,
)
from tests.cli.helpers import needs_formats

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python <args>`` in a fresh interpreter, in the checkout, without SUBKIT_DEBUG."""
    env = {key: value for key, value in os.environ.items() if key != "SUBKIT_DEBUG"}
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120, check=False
    )


# ---------------------------------------------------------------- group


def test_main_version(runner: CliRunner) -> None:
    for flag in ("--version", "-V"):
        result = runner.invoke(cli, [flag])
        assert result.exit_code == 0
        assert result.stdout == f"subkit {subkit.__version__}\n"
        assert result.stderr == ""


def test_main_help_lists_commands_and_exit_statuses(runner: CliRunner) -> None:
    for flag in ("--help", "-h"):
        result = runner.invoke(cli, [flag])
        assert result.exit_code == 0
        assert result.stderr == ""
        out = result.stdout
        for name, entry in COMMANDS.items():
            assert f"  {name}  " in out and entry.summary in out
        assert "Exit status:" in out
        for code in ("0 ", "1 ", "2 ", "3 ", "70 "):
            assert f"\n    {code}" in out


def test_main_command_table_matches_the_commands() -> None:
    for name, entry in COMMANDS.items():
        assert entry.target.endswith(f":{name}_command")
        command = entry.load()
        assert command.name == name
        assert command.get_short_help_str(limit=200) == entry.summary


def test_main_command_help(runner: CliRunner) -> None:
    for name in COMMANDS:
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith(f"Usage: subkit {name} ")


def test_main_unknown_command_exit_2(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["transmogrify"])
    assert result.exit_code == 2
    assert "No such command 'transmogrify'" in result.stderr
    assert result.stdout == ""


def test_main_no_arguments_shows_usage(runner: CliRunner) -> None:
    result = runner.invoke(cli, [])
    assert result.exit_code in (0, 2)  # click < 8.2 exits 0 after the help, later versions 2
    assert "Usage: subkit" in result.output


def test_lazy_group_imports_on_demand() -> None:
    group = LazyGroup(
        "g", lazy_commands={"hello": LazyCommand("click.testing:CliRunner", "not a command")}
    )
    ctx = click.Context(group)
    assert group.list_commands(ctx) == ["hello"]
    with pytest.raises(TypeError, match="not a click command"):
        group.get_command(ctx, "hello")
    assert group.get_command(ctx, "missing") is None


def test_main_function_exits(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out == f"subkit {subkit.__version__}\n"


# ---------------------------------------------------------------- exit statuses


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (ParseError("bad cue", source="in.srt", line=7), 1),
        (FormatDetectionError("in.srt: no known subtitle format recognised"), 1),
        (UnknownFormatError("unknown format 'x'"), 1),
        (SubkitIOError("in.srt: cannot read", path="in.srt"), 1),
        (UnsupportedFeatureError("srt cannot express ruby", format="srt", feature="ruby"), 1),
        (ConfigError("bad option for the srt reader"), 2),
        (ProviderAuthError("rev: the API key was refused", provider="rev"), 3),
    ],
)
@pytest.mark.parametrize("command", ["info", "convert"])
def test_main_subkit_errors_map_to_exit_statuses(
    runner: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
    demo: Path,
    error: Exception,
    status: int,
    command: str,
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(subkit, "load", fail)
    args = [command, "-f", "srt", str(demo)]
    if command == "convert":
        args.append(str(demo.with_suffix(".subkit.json")))
    result = runner.invoke(cli, args)
    assert result.exit_code == status
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("subkit: ")
    assert str(error) in line
    assert str(demo) in line  # the file is named, by the message or in front of it
    assert "Traceback" not in result.stderr


def test_main_internal_error_exit_70(runner: CliRunner, monkeypatch: pytest.MonkeyPatch, demo: Path) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(subkit, "load", explode)
    monkeypatch.delenv("SUBKIT_DEBUG", raising=False)
    result = runner.invoke(cli, ["info", "-f", "srt", str(demo)])
    assert result.exit_code == 70
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == "subkit: internal error: ZeroDivisionError: division by zero"
    assert len(lines) == 2 and "please report it" in lines[1] and "SUBKIT_DEBUG=1" in lines[1]
    assert "Traceback" not in result.stderr

    debug = runner.invoke(cli, ["info", "-f", "srt", str(demo)], env={"SUBKIT_DEBUG": "1"})
    assert debug.exit_code == 70
    assert debug.stderr.startswith("Traceback (most recent call last):")
    assert "ZeroDivisionError: division by zero" in debug.stderr
    assert "subkit: internal error: ZeroDivisionError: division by zero" in debug.stderr


def test_main_internal_error_in_batch_stops_with_70(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, demo: Path, tmp_path: Path
) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise KeyError("cue")

    monkeypatch.setattr(subkit, "load", explode)
    result = runner.invoke(cli, ["convert", "-f", "srt", "-t", "srt", "-d", str(tmp_path / "o"), str(demo)])
    assert result.exit_code == 70
    assert result.stderr.startswith("subkit: internal error: KeyError: 'cue'\n")


def test_main_debug_shows_traceback_of_subkit_errors(runner: CliRunner, bad: Path) -> None:
    result = runner.invoke(cli, ["info", "-f", "srt", str(bad)], env={"SUBKIT_DEBUG": "1"})
    assert result.exit_code == 1
    assert "Traceback" in result.stderr
    assert result.stderr.splitlines()[-1].startswith(f"subkit: {bad}:1: ")


# ---------------------------------------------------------------- end to end


def test_e2e_python_m_subkit_converts(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "demo.subkit.json"
    done = _run("-m", "subkit", "convert", "--from", "srt", str(demo), str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and done.stderr == ""
    assert len(subkit.load(out, format="subkit_json")) == 3


def test_e2e_python_m_subkit_to_stdout(demo: Path) -> None:
    done = _run("-m", "subkit", "convert", "-f", "srt", str(demo), "-", "--to", "srt")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("1\n00:00:01,000 --> 00:00:03,200\nWelcome to <i>subkit</i>.\n")


def test_e2e_lossy_conversion_warns_without_python_warnings(rich: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.srt"
    done = _run("-W", "error", "-m", "subkit", "convert", "-f", "subkit-json", str(rich), str(out))
    assert done.returncode == 0, done.stderr
    assert "srt cannot express speaker" in done.stderr
    assert "Warning" not in done.stderr and "Traceback" not in done.stderr


def test_e2e_bad_file_is_one_clean_line(bad: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.srt"
    out.write_text("precious", encoding="utf-8")
    done = _run("-m", "subkit", "convert", "--from", "srt", str(bad), str(out))
    assert done.returncode == 1
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"subkit: {bad}:1: ")
    assert out.read_text(encoding="utf-8") == "precious"


def test_e2e_usage_error_exit_2(demo: Path) -> None:
    done = _run("-m", "subkit", "convert", str(demo), "-")
    assert done.returncode == 2
    assert "needs --to" in done.stderr
    assert "Usage: subkit convert" in done.stderr


@needs_formats("webvtt")
def test_e2e_readme_quickstart() -> None:
    done = _run("-m", "subkit", "convert", "--from", "srt", "fixtures/demo.srt", "-", "--to", "vtt")
    if not (ROOT / "fixtures" / "demo.srt").is_file():
        pytest.skip("fixtures/demo.srt not present")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("WEBVTT")


@needs_formats()
def test_e2e_detects_and_converts(demo: Path, tmp_path: Path) -> None:
    done = _run("-m", "subkit", "convert", str(demo), str(tmp_path / "demo.subkit.json"))
    assert done.returncode == 0, done.stderr


# ---------------------------------------------------------------- start-up weight

#: Modules the CLI must not load before a command needs them.
HEAVY = ("httpx", "httpcore", "lxml", "pysubs2", "webvtt", "charset_normalizer", "rich")


def _loaded_after(code: str) -> set[str]:
    done = _run("-c", f"import sys\n{code}\nprint('\\n'.join(sorted(sys.modules)))")
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


def test_import_cli_is_light() -> None:
    loaded = _loaded_after("import subkit.cli")
    assert not {name for name in loaded if name.split(".")[0] in HEAVY}
    assert "click" in loaded


def test_help_and_version_import_no_command() -> None:
    code = (
        "from click.testing import CliRunner\n"
        "from subkit.cli import cli\n"
        "assert CliRunner().invoke(cli, ['--help']).exit_code == 0\n"
        "assert CliRunner().invoke(cli, ['--version']).exit_code == 0"
    )
    loaded = _loaded_after(code)
    assert not {name for name in loaded if name.split(".")[0] in HEAVY}
    assert not {name for name in loaded if name.startswith(("subkit.cli.convert", "subkit.cli.info"))}
    implementations = {name for name in loaded if name.startswith("subkit.formats.")}
    assert implementations <= {"subkit.formats._base", "subkit.formats._options", "subkit.formats._registry"}


def test_import_subkit_does_not_import_click() -> None:
    loaded = _loaded_after("import subkit")
    assert "click" not in loaded
