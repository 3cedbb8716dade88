"""The one place subkit starts ffmpeg and ffprobe.

Everything in :mod:`subkit.media` (rendering, tracks, muxing, audio) runs the
two programs through the functions here, so that finding them, time limits
and turning their failures into subkit errors happen once:

* :func:`find_tool` locates ``ffmpeg``/``ffprobe`` (``SUBKIT_FFMPEG`` and
  ``SUBKIT_FFPROBE`` override the search on ``PATH``); a missing program is a
  :class:`~subkit.errors.ConfigError` that says what to install;
* :func:`run_ffmpeg` and :func:`run_ffprobe` run a command to completion and
  return its standard output; :func:`run_ffmpeg_progress` does the same for
  long encodes and reports ffmpeg's ``-progress`` lines as they come;
* a non-zero exit becomes a :class:`MediaError` carrying the last lines of
  ffmpeg's standard error, a time-out a :class:`MediaError` too.

Nothing here is imported by ``import subkit``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Sequence
from typing import Any

from subkit.errors import ConfigError, SubkitError

__all__ = [
    "MediaError",
    "find_tool",
    "run_ffmpeg",
    "run_ffmpeg_progress",
    "run_ffprobe",
]

#: Environment variables that name the programs explicitly.
TOOL_ENV = {"ffmpeg": "SUBKIT_FFMPEG", "ffprobe": "SUBKIT_FFPROBE", "fc-match": "SUBKIT_FC_MATCH"}

#: What to install, per program, in the message of a missing one.
_INSTALL = {
    "ffmpeg": "install ffmpeg built with libass (Debian/Ubuntu: apt-get install ffmpeg; macOS: brew install ffmpeg)",
    "ffprobe": "install ffmpeg, which includes ffprobe (Debian/Ubuntu: apt-get install ffmpeg; "
               "macOS: brew install ffmpeg)",
    "fc-match": "install fontconfig (Debian/Ubuntu: apt-get install fontconfig)",
}

#: How many characters of ffmpeg's standard error an error message keeps.
_STDERR_TAIL = 600


class MediaError(SubkitError):
    """ffmpeg or ffprobe failed, or a media file is not what subkit expected.

    Attributes:
        command: the program and its arguments (empty when no program ran).
        returncode: the program's exit status (``None`` when it timed out or did not run).
        stderr: the end of the program's standard error.
    """

    command: tuple[str, ...]
    returncode: int | None
    stderr: str

    def __init__(
        self, message: str, *, command: Sequence[str] = (), returncode: int | None = None, stderr: str = ""
    ) -> None:
        super().__init__(message, command=tuple(command), returncode=returncode, stderr=stderr)


def find_tool(name: str) -> str:
    """The path of ``ffmpeg``, ``ffprobe`` or ``fc-match``.

    ``SUBKIT_FFMPEG`` / ``SUBKIT_FFPROBE`` / ``SUBKIT_FC_MATCH`` name the program
    explicitly; otherwise it is looked up on ``PATH``.

    Raises:
        ConfigError: the program cannot be found; the message says what to install.
    """
    override = os.environ.get(TOOL_ENV.get(name, ""), "")
    if override:
        found = shutil.which(override)
        if found is None:
            raise ConfigError(f"{TOOL_ENV[name]}={override} is not an executable program")
        return found
    found = shutil.which(name)
    if found is None:
        raise ConfigError(f"{name} was not found on PATH: {_INSTALL.get(name, f'install {name}')}")
    return found


def _tail(data: bytes) -> str:
    text = data.decode("utf-8", errors="replace").strip()
    return text if len(text) <= _STDERR_TAIL else "..." + text[-_STDERR_TAIL:]


def _check_filters(stderr: str) -> None:
    """Turn "this ffmpeg lacks a filter" into a configuration error.

    Raises:
        ConfigError: ffmpeg was built without a filter subkit needs.
    """
    if "No such filter: 'ass'" in stderr or "No such filter: 'subtitles'" in stderr:
        raise ConfigError("this ffmpeg has no 'ass' filter (it was built without libass): " + _INSTALL["ffmpeg"])
    if "No such filter: 'drawtext'" in stderr:
        raise ConfigError("this ffmpeg has no 'drawtext' filter (built without libfreetype): " + _INSTALL["ffmpeg"])


def _run(tool: str, args: Sequence[str], *, timeout: float, input: bytes | None, cwd: str | None) -> bytes:
    program = find_tool(tool)
    command = [program, "-hide_banner", "-v", "error", *(["-nostdin"] if tool == "ffmpeg" and input is None else []),
               *args]
    try:
        completed = subprocess.run(
            command, input=input, capture_output=True, timeout=timeout, check=False,
            cwd=cwd,
        )
    except subprocess.TimeoutExpired as exc:
        raise MediaError(f"{tool} did not finish within {timeout:g} s", command=command,
                         stderr=_tail(exc.stderr or b"")) from None
    except OSError as exc:
        raise ConfigError(f"cannot run {program}: {exc.strerror or exc}") from None
    if completed.returncode != 0:
        stderr = _tail(completed.stderr)
        _check_filters(stderr)
        last = stderr.splitlines()[-1] if stderr else f"exit status {completed.returncode}"
        raise MediaError(f"{tool} failed: {last}", command=command, returncode=completed.returncode, stderr=stderr)
    return completed.stdout


def run_ffmpeg(
    args: Sequence[str], *, timeout: float, input: bytes | None = None, cwd: str | None = None
) -> bytes:
    """Run ``ffmpeg ARGS`` (quiet: only errors on its standard error) and return its standard output.

    Args:
        args: the arguments after ``ffmpeg -hide_banner -v error``.
        timeout: seconds before ffmpeg is stopped.
        input: bytes for ffmpeg's standard input (``pipe:0``); without it ffmpeg
            runs with ``-nostdin``.
        cwd: the folder ffmpeg runs in. Filter graphs name files relative to it,
            which spares quoting their paths (``ass=filename=subs.ass``).

    Raises:
        ConfigError: ffmpeg is missing, or lacks a filter subkit needs.
        MediaError: ffmpeg failed or timed out.
    """
    return _run("ffmpeg", args, timeout=timeout, input=input, cwd=cwd)


def run_ffprobe(args: Sequence[str], *, timeout: float) -> bytes:
    """Run ``ffprobe ARGS`` and return its standard output.

    Raises:
        ConfigError: ffprobe is missing.
        MediaError: ffprobe failed (an unreadable file) or timed out.
    """
    return _run("ffprobe", args, timeout=timeout, input=None, cwd=None)


#: A progress callback: seconds of output written so far.
Progress = Callable[[float], None]


def run_ffmpeg_progress(
    args: Sequence[str], *, timeout: float | None, progress: Progress | None, cwd: str | None = None
) -> None:
    """Run a long ffmpeg command, calling ``progress`` with the seconds written as ffmpeg reports them.

    ffmpeg's ``-progress pipe:1`` prints ``key=value`` lines on its standard
    output; standard error goes to a temporary file so that neither pipe can
    fill up and stall the encoder.

    Raises:
        ConfigError: ffmpeg is missing, or lacks a filter subkit needs.
        MediaError: ffmpeg failed or timed out.
    """
    program = find_tool("ffmpeg")
    command = [program, "-hide_banner", "-v", "error", "-nostdin", "-nostats", "-progress", "pipe:1", *args]
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors, cwd=cwd)
        except OSError as exc:
            raise ConfigError(f"cannot run {program}: {exc.strerror or exc}") from None
        # A blocking read of the progress pipe cannot time out by itself: a timer stops ffmpeg instead.
        expired = threading.Event()

        def stop() -> None:
            expired.set()
            process.kill()

        timer = threading.Timer(timeout, stop) if timeout is not None else None
        if timer is not None:
            timer.start()
        try:
            _follow(process, progress)
            returncode = process.wait()
        except BaseException:
            process.kill()
            process.wait()
            raise
        finally:
            if timer is not None:
                timer.cancel()
            if process.stdout is not None:
                process.stdout.close()
        if expired.is_set():
            raise MediaError(f"ffmpeg did not finish within {timeout:g} s", command=command)
        errors.seek(0)
        stderr = _tail(errors.read())
    if returncode != 0:
        _check_filters(stderr)
        last = stderr.splitlines()[-1] if stderr else f"exit status {returncode}"
        raise MediaError(f"ffmpeg failed: {last}", command=command, returncode=returncode, stderr=stderr)


def _follow(process: subprocess.Popen[Any], progress: Progress | None) -> None:
    """Read ``-progress`` lines until ffmpeg closes its standard output."""
    assert process.stdout is not None
    for raw in process.stdout:
        key, _, value = raw.decode("ascii", errors="replace").strip().partition("=")
        # out_time_us is microseconds; out_time_ms is too (a historical misnomer in ffmpeg).
        if key == "out_time_us" and progress is not None and value.lstrip("-").isdigit():
            progress(max(0, int(value)) / 1_000_000)
