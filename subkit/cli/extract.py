"""``subkit extract``: pull subtitle tracks out of a video file into any subtitle format."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from subkit.cli._run import RunSettings, io_options, pass_settings, write_output
from subkit.cli._shared import (
    EXIT_OK,
    echo_json,
    echo_warnings,
    format_loss,
    loss_record,
    report_failure,
)
from subkit.errors import SubkitError, SubkitIOError, UnsupportedFeatureError
from subkit.formats import FormatSpec, for_path

__all__ = ["extract_command"]


def _name(video: str, index: int, language: str | None, spec: FormatSpec) -> str:
    """``movie.3.fre.srt``: the video's stem, the track index, its language and the format's extension."""
    extension = spec.extensions[0] if spec.extensions else f".{spec.name}"
    return ".".join(part for part in (Path(video).stem, str(index), language) if part) + extension


@click.command("extract")
@click.argument("path", type=click.Path(dir_okay=False), metavar="FILE")
@click.option("--track", type=int, metavar="N", help="The track's index (as subkit tracks lists it).")
@click.option("--lang", "language", metavar="LANG", help="The first track in this language (fr, fre, fra).")
@click.option("-o", "--output", metavar="OUT", help="Write the track here ('-' for standard output, with --to).")
@io_options("out_dir", "to", "strict", "quiet", "json",
            out_dir={"help": "Write every text track (or the one chosen) into DIR as FILE.INDEX.LANG.EXT; "
                             "needs --to."},
            strict={"help": "Fail when the target format cannot hold everything."},
            quiet={"help": "Do not print conversion losses."},
            json={"help": "Print a JSON summary on standard output."})
@click.pass_context
@pass_settings
def extract_command(
    settings: RunSettings,
    ctx: click.Context,
    /,
    path: str,
    track: int | None,
    language: str | None,
    output: str | None,
) -> None:
    """Extract subtitle tracks from a video into any format.

    Text tracks (SRT, ASS/SSA, WebVTT, mov_text/tx3g, 608 captions in the
    video where ffmpeg can read them) go through subkit's model, so they can
    be written in any format; times are the container's own. Picture tracks
    (PGS, VobSub, DVB) are refused: they need OCR.

    \b
    Examples:
      subkit extract movie.mkv -o movie.srt
      subkit extract movie.mkv --lang fr -o french.vtt
      subkit extract movie.mp4 --track 2 - --to srt
      subkit extract movie.mkv --out-dir subs/ --to srt
    """
    from subkit import media

    out_dir, to_spec, quiet, as_json = settings.out_dir, settings.to_spec, settings.quiet, settings.as_json
    if (output is None) == (out_dir is None):
        raise click.UsageError("give either -o OUT or --out-dir DIR")
    if out_dir is not None and to_spec is None:
        raise click.UsageError("--out-dir needs --to FORMAT")
    if output == "-" and to_spec is None:
        raise click.UsageError("writing to standard output (-) needs --to FORMAT")
    if output == "-" and as_json:
        raise click.UsageError("--json needs an output file: standard output carries the subtitles")
    found = media.tracks(path, count=False)
    if output is not None or track is not None or language is not None:
        chosen = [media.select_track(found, path, track, language)]
    else:
        chosen = list(found)
    jobs: list[tuple[Any, str, FormatSpec]] = []
    for item in chosen:
        if out_dir is not None:
            assert to_spec is not None
            jobs.append((item, str(out_dir / _name(path, item.index, item.language, to_spec)), to_spec))
        else:
            assert output is not None
            jobs.append((item, output, to_spec or for_path(output)))
    if out_dir is not None:
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SubkitIOError(f"{out_dir}: cannot create the folder: {exc.strerror or exc}",
                                path=str(out_dir)) from None
    status = EXIT_OK
    records: list[dict[str, Any]] = []
    readable = [job for job in jobs if job[0].kind != "image"]
    for item, target, _spec in jobs:
        if item.kind == "image":
            # Asked for by index or language, the refusal is the command's error; in a batch it is one failure.
            error = UnsupportedFeatureError(
                f"{path}: track {item.index} is {item.codec}, subtitles stored as pictures: turning them into "
                "text needs OCR, which subkit does not do", feature="image_subtitles")
            if len(jobs) == 1:
                raise error
            status = max(status, report_failure(error, path))
            records.append({"track": item.index, "output": target, "ok": False, "error": str(error)})
    extracted = media.extract_all(path, [job[0] for job in readable]) if readable else []
    for (item, target, spec), (_item, doc) in zip(readable, extracted, strict=True):
        try:
            result = write_output(doc, target, spec, settings)
        except SubkitError as exc:
            status = max(status, report_failure(exc, target))
            records.append({"track": item.index, "output": target, "ok": False, "error": str(exc)})
            continue
        if not quiet:
            shown = "<stdout>" if target == "-" else target
            echo_warnings([format_loss(loss, result.format, shown) for loss in result.losses])
        records.append({"track": item.index, "codec": item.codec, "language": item.language, "output": target,
                        "ok": True, "to": result.format, "cues": len(doc.cues),
                        "losses": [loss_record(loss) for loss in result.losses]})
    if as_json:
        echo_json({"file": path, "ok": status == EXIT_OK, "tracks": records})
    if status != EXIT_OK:
        ctx.exit(status)
