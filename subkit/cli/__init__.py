"""The ``subkit`` command line: a thin click layer over the library.

Each command lives in its own module (``subkit/cli/<name>.py``, function
``<name>_command``) and is imported only when it runs. To add a command, write
its module and add one line to :data:`COMMANDS`.

Importing this package loads click and the light core of subkit, nothing else:
no httpx, no lxml (a test checks this), so ``subkit --help`` starts fast.

Exit statuses (also shown by ``subkit --help``): 0 success, 1 input or format
error, 2 usage error, 3 provider or network error, 70 internal error.
"""

from __future__ import annotations

from collections.abc import Sequence

import click

from subkit._version import __version__
from subkit.cli._group import LazyCommand, LazyGroup, SubkitGroup
from subkit.cli._shared import EXIT_STATUS_HELP

__all__ = ["COMMANDS", "LazyCommand", "LazyGroup", "SubkitGroup", "cli", "main"]

#: Every subcommand: name -> where it lives and its one-line summary for ``subkit --help``.
_C = LazyCommand
COMMANDS: dict[str, LazyCommand] = {
    "burn": _C("subkit.cli.burn:burn_command", "Draw captions into a video for good, keeping its audio."),
    "clean": _C("subkit.cli.clean:clean_command", "Fix timing and common errors, remove hearing-impaired text."),
    "convert": _C("subkit.cli.convert:convert_command", "Convert subtitle files from one format to another."),
    "exclude": _C("subkit.cli.exclude:exclude_command", "Remove time ranges: drop, clip or cut out the cues in them."),
    "extract": _C("subkit.cli.extract:extract_command", "Extract subtitle tracks from a video into any format."),
    "fetch": _C("subkit.cli.fetch:fetch_command", "Get subtitles for media from a hosted captioning service."),
    "formats": _C("subkit.cli.formats:formats_command", "List the formats subkit reads and writes."),
    "info": _C("subkit.cli.info:info_command", "Describe a subtitle file: format, cues, timing, features."),
    "lint": _C("subkit.cli.lint:lint_command", "Check subtitle files against a delivery profile."),
    "merge": _C("subkit.cli.merge:merge_command", "Merge two subtitle files into one bilingual file."),
    "mux": _C("subkit.cli.mux:mux_command", "Add subtitle files to a video as tracks, verified after writing."),
    "process": _C("subkit.cli.process:process_command", "Run several operations on a subtitle file in one pass."),
    "providers": _C("subkit.cli.providers:providers_command", "List the caption providers and their credentials."),
    "render": _C("subkit.cli.render:render_command", "Draw captions into a frame, a contact sheet or a short clip."),
    "replace": _C("subkit.cli.replace:replace_command", "Find and replace words or patterns in subtitle text."),
    "retime": _C("subkit.cli.retime:retime_command", "Shift, scale, convert frame rates, sync or snap to frames."),
    "segment": _C("subkit.cli.segment:segment_command", "Write WebVTT segments and an HLS playlist for streaming."),
    "split": _C("subkit.cli.split:split_command", "Split a bilingual subtitle file into its two languages."),
    "style": _C("subkit.cli.style:style_command", "Draw captions in a Revid style: karaoke, highlight, word by word."),
    "sync": _C("subkit.cli.sync:sync_command", "Sync a subtitle to a media file's speech or to another subtitle."),
    "tracks": _C("subkit.cli.tracks:tracks_command", "List the subtitle tracks of an MKV, MP4, MOV or TS file."),
    "words": _C("subkit.cli.words:words_command", "Give every cue timed words and re-cut cues into lines."),
}


@click.group(
    "subkit",
    cls=SubkitGroup,
    lazy_commands=COMMANDS,
    epilog=EXIT_STATUS_HELP,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "-V", "--version", prog_name="subkit", message="%(prog)s %(version)s")
def cli() -> None:
    """Read, write and convert subtitle and caption files.

    Every format is read into one cue model and written out of it, so any
    format converts to any other; what the target cannot express is reported.
    Use "-" for standard input or output. Run "subkit COMMAND --help" for the
    options of a command.
    """


def main(args: Sequence[str] | None = None) -> None:
    """Run the command line (the ``subkit`` console script and ``python -m subkit``).

    Args:
        args: the arguments; ``sys.argv[1:]`` when ``None``.
    """
    cli.main(args=None if args is None else list(args), prog_name="subkit")
