"""``subkit burn``: draw captions into a video for good (ffmpeg with libass), keeping its audio."""

from __future__ import annotations

import click

from subkit.cli._media import RangeType, end_progress, progress_printer, shown_warnings
from subkit.cli._run import RunSettings, io_options, pass_settings, read_input

__all__ = ["burn_command"]


@click.command("burn")
@click.argument("video", type=click.Path(dir_okay=False), metavar="VIDEO")
@click.argument("source", metavar="IN")
@click.option("-o", "--output", required=True, metavar="OUT", help="The video to write (its extension picks "
              "the container).")
@click.option("--encoder", default="libx264", show_default=True,
              help="ffmpeg video encoder (libx264, libx265, h264_nvenc ...).")
@click.option("--crf", type=int, help="Quality (x264/x265: default 20, lower is better).")
@click.option("--preset", help="Encoder preset (x264/x265: default veryfast; ultrafast is quickest).")
@click.option("--clip", type=RangeType(), metavar="START-END", help="Only this part of the video (10s-20s).")
@io_options("from", "quiet", quiet={"help": "Do not print losses, missing fonts, diagnostics or progress."})
@pass_settings
def burn_command(
    settings: RunSettings,
    /,
    video: str,
    source: str,
    output: str,
    encoder: str,
    crf: int | None,
    preset: str | None,
    clip: tuple[int, int] | None,
) -> None:
    """Draw captions into a video for good, keeping its audio.

    The video stream is re-encoded with the captions drawn in (any subtitle
    format: it is written as ASS and drawn by libass); audio streams are
    copied untouched. Progress is shown on standard error when it is a
    terminal. What ASS cannot express and fonts that are not installed are
    reported.

    \b
    Examples:
      subkit burn movie.mp4 movie.srt -o movie.captioned.mp4
      subkit burn talk.mkv styled.ass -o out.mp4 --preset ultrafast --crf 23
      subkit burn movie.mp4 movie.vtt --clip 1:00-1:30 -o preview.mp4
    """
    from subkit import media

    if output == "-":
        raise click.UsageError("burn writes a video file: give -o OUT.mp4 (or .mkv, .mov)")
    doc = read_input(source, settings).doc
    progress = progress_printer("burning") if not settings.quiet else None
    with shown_warnings("<stdin>" if source == "-" else source, quiet=settings.quiet):
        try:
            media.burn(video, doc, output, start_ms=clip[0] if clip else None, end_ms=clip[1] if clip else None,
                         encoder=encoder, crf=crf, preset=preset, progress=progress)
        finally:
            end_progress(progress)
