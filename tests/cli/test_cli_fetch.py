"""``subkit fetch``: every provider end to end against its fake server, outputs, batches and the journal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import subkit
from subkit.cli import cli
from subkit.cli.fetch import JOURNAL_NAME, Journal
from tests.providers import _fake_akool as fake_akool
from tests.providers import _fake_autosubtitle as fake_autosub
from tests.providers import _fake_rev as fake_rev
from tests.providers import _fake_revid as fake_revid
from tests.providers._harness import FakeServer

ROOT = Path(__file__).resolve().parents[2]
MEDIA = "https://media.example.com/talk.mp4"
FAST = ["--poll-interval", "0.001"]


@pytest.fixture(autouse=True)
def _credentials(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    for name in list(os.environ):
        if name.startswith("SUBKIT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg")))
    monkeypatch.setenv("SUBKIT_AUTOSUBTITLE_USER_ID", fake_autosub.USER_ID)
    monkeypatch.setenv("SUBKIT_AUTOSUBTITLE_ACCESS_KEY", fake_autosub.ACCESS_KEY)
    monkeypatch.setenv("SUBKIT_REVID_API_KEY", fake_revid.API_KEY)
    monkeypatch.setenv("SUBKIT_REV_CLIENT_KEY", fake_rev.CLIENT_KEY)
    monkeypatch.setenv("SUBKIT_REV_USER_KEY", fake_rev.USER_KEY)
    monkeypatch.setenv("SUBKIT_AKOOL_API_KEY", fake_akool.API_KEY)


def _serve(server: FakeServer) -> Iterator[FakeServer]:
    server.start()
    yield server
    server.stop()


@pytest.fixture
def autosub() -> Iterator[FakeServer]:
    yield from _serve(fake_autosub.FakeAutosubtitle(polls_until_ready=1))


@pytest.fixture
def revid() -> Iterator[FakeServer]:
    yield from _serve(fake_revid.FakeRevid(polls_until_done=2))


@pytest.fixture
def rev() -> Iterator[FakeServer]:
    yield from _serve(fake_rev.FakeRev(polls_until_done=1))


@pytest.fixture
def akool() -> Iterator[FakeServer]:
    yield from _serve(fake_akool.FakeAkool(polls_until_done=2))


def _invoke(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(cli, ["fetch", *args])


# ---------------------------------------------------------------- one media per provider


def test_fetch_autosubtitle_to_webvtt(runner: CliRunner, autosub: FakeServer, tmp_path: Path) -> None:
    out = tmp_path / "talk.fr.vtt"
    result = _invoke(runner, "autosubtitle", "--media-url", MEDIA, "--language", "en", "--translate-to", "fr",
                     "--base-url", autosub.base_url, "-o", str(out), *FAST)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""
    doc = subkit.load(out)
    assert doc.source_format == "webvtt" and doc.cues[0].plain_text() == "Bonjour."


def test_fetch_autosubtitle_to_stdout_in_native_format(runner: CliRunner, autosub: FakeServer) -> None:
    result = _invoke(runner, "autosubtitle", "--media-url", MEDIA, "-l", "en", "--base-url", autosub.base_url,
                     *FAST)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("1\n00:00:01,000 --> 00:00:02,500\nHello there.")


def test_fetch_autosubtitle_double_needs_translation(runner: CliRunner, autosub: FakeServer) -> None:
    result = _invoke(runner, "autosubtitle", "--media-url", MEDIA, "-l", "en", "--subtitle-type", "double",
                     "--base-url", autosub.base_url)
    assert result.exit_code == 2 and "--translate-to" in result.stderr
    assert autosub.journal == []


def test_fetch_revid_settings_to_srt_reports_losses(runner: CliRunner, revid: FakeServer, tmp_path: Path) -> None:
    settings = tmp_path / "settings.json"
    settings.write_text(json.dumps({"style": "classic", "font_size": 40, "position": "bottom_center"}),
                        encoding="utf-8")
    out = tmp_path / "clip.srt"
    result = _invoke(runner, "revid", "--media-url", MEDIA, "--settings", str(settings), "--canvas", "1080x1920",
                     "--replace", "world=there", "--exclude", "00:00:01.000-00:00:02.000", "--id", "j1",
                     "--language", "en", "--base-url", revid.base_url, "-o", str(out), "--json")
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["ok"] and record["job"]["mode"] == "sync" and record["outputs"][0]["output"] == str(out)
    assert "srt cannot express" in result.stderr  # the ASS styles do not fit SRT
    assert subkit.load(out).cues[0].plain_text() == "Hello, world"
    body = revid.requests("generate")[0].json()
    assert body["canvas_width"] == 1080 and body["replace"] == [{"find": "world", "replace": "there"}]
    assert body["exclude_time_ranges"] == [{"start": "00:00:01.000", "end": "00:00:02.000"}]
    assert body["settings"] == {"style": "classic", "font_size": 40, "position": "bottom_center"}


def test_fetch_revid_keeps_ass(runner: CliRunner, revid: FakeServer, tmp_path: Path) -> None:
    out = tmp_path / "clip.ass"
    result = _invoke(runner, "revid", "--media-url", MEDIA, "--style", "karaoke", "--webhook-url",
                     "http://127.0.0.1:9/hook", "--base-url", revid.base_url, "-o", str(out), *FAST)
    assert result.exit_code == 0, result.stderr
    doc = subkit.load(out)
    assert "Default" in doc.styles and doc.cues[0].words


def test_fetch_revid_bad_settings_are_usage_errors(runner: CliRunner, revid: FakeServer, tmp_path: Path) -> None:
    settings = tmp_path / "s.json"
    settings.write_text('{"colour": "red"}', encoding="utf-8")
    result = _invoke(runner, "revid", "--media-url", MEDIA, "--settings", str(settings), "--base-url",
                     revid.base_url)
    assert result.exit_code == 2 and "colour" in result.stderr
    for bad in (["--canvas", "big"], ["--exclude", "1-2"], ["--replace", "novalue"]):
        assert _invoke(runner, "revid", "--media-url", MEDIA, *bad).exit_code == 2
    assert revid.journal == []


def test_fetch_rev_to_vtt_with_transcript(runner: CliRunner, rev: FakeServer, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    result = _invoke(runner, "rev", "--media-url", MEDIA, "--language", "en", "--client-ref", "ep-1",
                     "--sandbox", "--transcript", "--notify-url", "https://hooks.example.com/r", "--notify-level",
                     "FinalOnly", "--base-url", f"{rev.base_url}/api/v1", "--to", "vtt", "--out-dir", str(out_dir),
                     *FAST)
    assert result.exit_code == 0, result.stderr
    names = {p.name for p in out_dir.iterdir()}
    assert names == {"CP00001.ACP00001.vtt", "CP00001.TCP00001.vtt"}
    assert subkit.load(out_dir / "CP00001.ACP00001.vtt").cues[0].plain_text() == "Welcome back."
    body = rev.requests("orders.create")[0].json()
    assert body["sandbox_mode"] is True and body["client_ref"] == "ep-1"
    assert body["notification"] == {"url": "https://hooks.example.com/r", "level": "FinalOnly"}


def test_fetch_rev_upload_file(runner: CliRunner, rev: FakeServer, tmp_path: Path) -> None:
    media = tmp_path / "clip.mp4"
    media.write_bytes(b"media")
    out = tmp_path / "clip.srt"
    result = _invoke(runner, "rev", "--file", str(media), "--base-url", f"{rev.base_url}/api/v1", "-o", str(out),
                     *FAST)
    assert result.exit_code == 0, result.stderr
    assert rev.requests("inputs")[0].body == b"media"
    assert len(subkit.load(out).cues) == 2


def test_fetch_rev_media_choices_are_exclusive(runner: CliRunner, tmp_path: Path) -> None:
    media = tmp_path / "clip.mp4"
    media.write_bytes(b"media")
    assert _invoke(runner, "rev", "--file", str(media), "--media-url", MEDIA).exit_code == 2
    assert _invoke(runner, "rev").exit_code == 2
    assert _invoke(runner, "rev", "--media-url", MEDIA, "--output-format", "Docx").exit_code == 2


def test_fetch_akool_out_dir(runner: CliRunner, akool: FakeServer, tmp_path: Path) -> None:
    out_dir = tmp_path / "subs"
    result = _invoke(runner, "akool", "--media-url", MEDIA, "--translate-to", "es,ja", "--caption-type", "2",
                     "--voice", "es=voice-1", "--base-url", akool.base_url, "--out-dir", str(out_dir), "--json",
                     "--to", "webvtt", *FAST)
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert [f["language"] for f in record["files"]] == ["es", "ja", None]
    assert [o["format"] for o in record["outputs"]] == ["webvtt"] * 3
    names = sorted(p.name for p in out_dir.iterdir())
    assert len(names) == 3 and all(n.endswith(".vtt") for n in names)
    main = out_dir / record["outputs"][0]["output"].rsplit("/", 1)[-1]
    assert subkit.load(main).cues[0].plain_text() == "Bienvenidos a la demo."
    body = akool.requests("create")[0].json()
    assert body["voices_map"] == {"es": {"voice_id": "voice-1"}} and body["language"] == "es,ja"


# ---------------------------------------------------------------- errors and exit statuses


def test_fetch_provider_error_exit_3(runner: CliRunner, akool: FakeServer, tmp_path: Path) -> None:
    akool.scenario["no_audio"] = True
    result = _invoke(runner, "akool", "--media-url", MEDIA, "--translate-to", "es", "--base-url", akool.base_url,
                     "-o", str(tmp_path / "x.srt"))
    assert result.exit_code == 3
    assert result.stderr.startswith("subkit: akool: error 1203") and "Traceback" not in result.stderr
    assert not (tmp_path / "x.srt").exists()


def test_fetch_missing_credentials_exit_2(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SUBKIT_REVID_API_KEY")
    result = _invoke(runner, "revid", "--media-url", MEDIA, "--base-url", "http://127.0.0.1:9")
    assert result.exit_code == 2 and "SUBKIT_REVID_API_KEY" in result.stderr


def test_fetch_unknown_output_extension_exit_1(runner: CliRunner, autosub: FakeServer, tmp_path: Path) -> None:
    result = _invoke(runner, "autosubtitle", "--media-url", MEDIA, "-l", "en", "--base-url", autosub.base_url,
                     "-o", str(tmp_path / "out.unknownext"), *FAST)
    assert result.exit_code == 1


def test_fetch_deadline_exit_3(runner: CliRunner, autosub: FakeServer) -> None:
    autosub.scenario["polls_until_ready"] = 1000
    result = _invoke(runner, "autosubtitle", "--media-url", MEDIA, "-l", "en", "--base-url", autosub.base_url,
                     "--poll-interval", "0.001", "--deadline", "0.01")
    assert result.exit_code == 3 and "deadline" in result.stderr


def test_fetch_json_needs_a_file(runner: CliRunner) -> None:
    result = _invoke(runner, "revid", "--media-url", MEDIA, "--json")
    assert result.exit_code == 2


# ---------------------------------------------------------------- batch


def _media_list(tmp_path: Path, count: int) -> Path:
    path = tmp_path / "media.txt"
    lines = ["# media to caption", ""] + [f"https://media.example.com/ep{n}.mp4" for n in range(count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_fetch_batch_resumes_without_resubmitting(runner: CliRunner, autosub: FakeServer, tmp_path: Path) -> None:
    media = _media_list(tmp_path, 3)
    out_dir = tmp_path / "out"
    autosub.scenario["polls_until_ready"] = 1000
    first = _invoke(runner, "autosubtitle", "--from-list", str(media), "-l", "en", "--out-dir", str(out_dir),
                    "--concurrency", "3", "--base-url", autosub.base_url, "--poll-interval", "0.001",
                    "--deadline", "0.01")
    assert first.exit_code == 3
    assert len(autosub.requests("upload")) == 3
    journal = Journal(out_dir / JOURNAL_NAME)
    assert {entry["event"] for entry in journal.state.values()} == {"failed"}
    # A re-run picks the submitted jobs up where they were: no new uploads, no new generate calls.
    autosub.scenario["polls_until_ready"] = 0
    second = _invoke(runner, "autosubtitle", "--from-list", str(media), "-l", "en", "--out-dir", str(out_dir),
                     "--base-url", autosub.base_url, "--json", *FAST)
    assert second.exit_code == 0, second.stderr
    assert len(autosub.requests("upload")) == 3 and len(autosub.requests("generate")) == 3
    record = json.loads(second.stdout)
    assert record["ok"] and len(record["media"]) == 3
    assert len(list(out_dir.glob("*.srt"))) == 3
    # A third run finds everything done and sends nothing.
    before = len(autosub.journal)
    third = _invoke(runner, "autosubtitle", "--from-list", str(media), "-l", "en", "--out-dir", str(out_dir),
                    "--base-url", autosub.base_url, "--json", *FAST)
    assert third.exit_code == 0 and len(autosub.journal) == before
    assert all(m["skipped"] == "already done" for m in json.loads(third.stdout)["media"])


def test_fetch_batch_survives_a_cut_journal_line(runner: CliRunner, revid: FakeServer, tmp_path: Path) -> None:
    media = _media_list(tmp_path, 2)
    out_dir = tmp_path / "out"
    result = _invoke(runner, "revid", "--from-list", str(media), "--out-dir", str(out_dir), "--base-url",
                     revid.base_url, "--to", "vtt")
    assert result.exit_code == 0, result.stderr
    journal = out_dir / JOURNAL_NAME
    lines = journal.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["event"] for line in lines].count("done") == 2
    with journal.open("a", encoding="utf-8") as handle:
        handle.write('{"media": "https://media.example.com/ep0.mp4", "ev')  # a crash mid-write
    before = len(revid.requests("generate"))
    with media.open("a", encoding="utf-8") as handle:
        handle.write("https://media.example.com/new.mp4\n")
    again = _invoke(runner, "revid", "--from-list", str(media), "--out-dir", str(out_dir), "--base-url",
                    revid.base_url, "--to", "vtt")
    assert again.exit_code == 0 and len(revid.requests("generate")) == before + 1
    assert len(list(out_dir.glob("*.vtt"))) == 3
    # The events after the cut line are whole lines: a third run has nothing left to do.
    assert Journal(journal).state["https://media.example.com/new.mp4"]["event"] == "done"
    third = _invoke(runner, "revid", "--from-list", str(media), "--out-dir", str(out_dir), "--base-url",
                    revid.base_url, "--to", "vtt")
    assert third.exit_code == 0 and len(revid.requests("generate")) == before + 1


def test_fetch_batch_rev_uses_client_refs(runner: CliRunner, rev: FakeServer, tmp_path: Path) -> None:
    media = _media_list(tmp_path, 2)
    out_dir = tmp_path / "out"
    # The journal is lost, but the orders are found again by their client_ref.
    args = ["rev", "--from-list", str(media), "--out-dir", str(out_dir), "--base-url", f"{rev.base_url}/api/v1",
            *FAST]
    assert _invoke(runner, *args).exit_code == 0
    (out_dir / JOURNAL_NAME).unlink()
    assert _invoke(runner, *args).exit_code == 0
    assert len(rev.requests("orders.create")) == 2
    refs = [r.json()["client_ref"] for r in rev.requests("orders.create")]
    assert all(ref.startswith("subkit-") and len(ref) <= 40 for ref in refs) and len(set(refs)) == 2


def test_fetch_batch_needs_out_dir(runner: CliRunner, tmp_path: Path) -> None:
    result = _invoke(runner, "revid", "--from-list", str(_media_list(tmp_path, 1)))
    assert result.exit_code == 2 and "--out-dir" in result.stderr


def test_fetch_batch_partial_failure(runner: CliRunner, akool: FakeServer, tmp_path: Path) -> None:
    media = _media_list(tmp_path, 2)
    akool.scenario["fail_lang"] = "ja"
    out_dir = tmp_path / "out"
    result = _invoke(runner, "akool", "--from-list", str(media), "--translate-to", "ja", "--out-dir", str(out_dir),
                     "--base-url", akool.base_url, *FAST)
    assert result.exit_code == 3
    assert result.stderr.count("Translation engine failed") == 2


# ---------------------------------------------------------------- a real process


def test_fetch_in_a_subprocess(revid: FakeServer, tmp_path: Path) -> None:
    out = tmp_path / "clip.vtt"
    env = {k: v for k, v in os.environ.items() if k != "SUBKIT_DEBUG"}
    done = subprocess.run(
        [sys.executable, "-m", "subkit", "fetch", "revid", "--media-url", MEDIA, "--base-url", revid.base_url,
         "-o", str(out)],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert fake_revid.API_KEY not in done.stderr
    assert subkit.load(out).cues[1].plain_text() == "Second line\nbroken here"


# ---------------------------------------------------------------- progress


def test_progress_line_is_transient() -> None:
    import io

    from subkit.cli.fetch import _Progress
    from subkit.providers._http import ProgressEvent

    stream = io.StringIO()
    progress = _Progress(stream)
    progress(ProgressEvent(provider="rev", stage="wait", job="CP1", status="In Progress", elapsed=12.4))
    progress(ProgressEvent(provider="rev", stage="wait", job="CP1", status="Done", percent=100.0))
    progress.clear()
    text = stream.getvalue()
    assert "\rrev CP1 In Progress 12s" in text and "rev CP1 Done 100%" in text
    assert text.endswith("\r") and "\n" not in text
    silent = _Progress(None)
    silent(ProgressEvent(provider="rev", stage="wait"))
    silent.clear()


def test_no_progress_when_stderr_is_not_a_terminal(runner: CliRunner, autosub: FakeServer) -> None:
    result = _invoke(runner, "autosubtitle", "--media-url", MEDIA, "-l", "en", "--base-url", autosub.base_url,
                     *FAST)
    assert result.exit_code == 0 and result.stderr == ""


# ---------------------------------------------------------------- times: one duration syntax, --timeout per exchange


@pytest.mark.parametrize("option", ["--poll-interval", "--deadline", "--timeout"])
def test_fetch_times_take_the_duration_syntax_and_errors_name_the_option(runner: CliRunner, option: str) -> None:
    result = _invoke(runner, "autosubtitle", "--media-url", MEDIA, "-l", "en", option, "soon")
    assert result.exit_code == 2
    assert option in result.stderr and "not a duration" in result.stderr and "1m30s" in result.stderr


@pytest.mark.parametrize("option", ["--deadline", "--timeout"])
def test_fetch_limits_must_be_above_zero(runner: CliRunner, option: str) -> None:
    result = _invoke(runner, "autosubtitle", "--media-url", MEDIA, "-l", "en", option, "0s")
    assert result.exit_code == 2 and option in result.stderr and "more than zero" in result.stderr


@pytest.mark.parametrize(("text", "seconds"), [("90", 90.0), ("1.5", 1.5), ("1500ms", 1.5), ("1m30s", 90.0),
                                               ("2m", 120.0), ("1h", 3600.0), ("00:01:30", 90.0)])
def test_fetch_duration_values(text: str, seconds: float) -> None:
    from subkit.cli.fetch import _Seconds

    assert _Seconds().convert(text, None, None) == seconds


def test_fetch_unit_durations_reach_the_poll_policy(runner: CliRunner, autosub: FakeServer) -> None:
    autosub.scenario["polls_until_ready"] = 1000
    result = _invoke(runner, "autosubtitle", "--media-url", MEDIA, "-l", "en", "--base-url", autosub.base_url,
                     "--poll-interval", "1ms", "--deadline", "20ms")
    assert result.exit_code == 3 and "not ready after 0.02 s" in result.stderr


class _Trickle:
    """A loopback server that answers every request one byte every 0.1 s, for a minute."""

    def __init__(self) -> None:
        import socket
        import threading

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.1)
        self.stop = threading.Event()
        self.requests = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _serve(self) -> None:
        import threading

        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: Any) -> None:
        import time

        with conn:
            try:
                conn.settimeout(5)
                data = b""
                while b"\r\n\r\n" not in data:
                    data += conn.recv(65536) or b"\r\n\r\n"
                self.requests += 1
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
                end = time.monotonic() + 60
                while time.monotonic() < end and not self.stop.is_set():
                    conn.sendall(b"a")
                    time.sleep(0.1)
            except OSError:
                pass  # the client hung up: the point of the test

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
        self.sock.close()


@pytest.fixture
def trickle() -> Iterator[_Trickle]:
    server = _Trickle()
    yield server
    server.close()


def test_fetch_timeout_is_the_whole_exchange_in_a_subprocess(trickle: _Trickle) -> None:
    import time

    env = {**os.environ, "PYTHONPATH": str(ROOT), "SUBKIT_AUTOSUBTITLE_USER_ID": fake_autosub.USER_ID,
           "SUBKIT_AUTOSUBTITLE_ACCESS_KEY": fake_autosub.ACCESS_KEY}
    began = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "subkit", "fetch", "autosubtitle", "--media-url", MEDIA, "-l", "en",
         "--base-url", trickle.url, "--timeout", "2s", "-q"],
        capture_output=True, text=True, env=env, timeout=120, check=False)
    took = time.monotonic() - began
    assert done.returncode == 3, done.stderr
    # The upload is a create: cut by the deadline it is not sent again (the service may have it).
    assert "no complete answer within 2 s" in done.stderr and trickle.requests == 1
    # 2 s for the exchange plus the interpreter's start; per-call timeouts (10 s connect + 2 s read) would
    # have allowed 12 s, and the trickle lasts a minute.
    assert took < 10, took
