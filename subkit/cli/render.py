"""``subkit render``: draw captions into a picture, a contact sheet or a short clip (ffmpeg with libass)."""

from __future__ import annotations

from pathlib import Path

import click

from subkit import _io
from subkit.cli._media import ClockType, RangeType, end_progress, progress_printer, shown_warnings
from subkit.cli._run import RunSettings, io_options, pass_settings, read_input
from subkit.errors import ConfigError

__all__ = ["parse_grid", "render_command"]


def parse_grid(text: str) -> tuple[int, int]:
    """``"4x4"`` as (columns, rows).

    Raises:
        ConfigError: not COLUMNSxROWS.

    >>> parse_grid("3x2")
    (3, 2)
    """
    columns, x, rows = text.lower().partition("x")
    if not x or not columns.strip().isdigit() or not rows.strip().isdigit():
        raise ConfigError(f"--sheet {text!r}: expected COLUMNSxROWS, e.g. 4x4")
    return int(columns), int(rows)


@click.command("render")
@click.argument("source", metavar="IN")
@click.option("-o", "--output", required=True, metavar="OUT",
              help="The PNG (frame, sheet) or video (clip) to write.")
@click.option("--at", "at_ms", type=ClockType(), metavar="TIME", help="Draw one frame at TIME (12.5s, 1:02.5).")
@click.option("--sheet", metavar="CxR", help="Draw a contact sheet of C columns and R rows (4x4).")
@click.option("--clip", "clip", type=RangeType(), metavar="START-END", help="Write a video of a part (10s-20s).")
@click.option("--video", type=click.Path(dir_okay=False), metavar="VIDEO",
              help="Draw on this video's frames instead of a plain background.")
@click.option("--size", metavar="WxH", help="Frame size (default: the video's, or 1280x720).")
@click.option("--background", default="#000000", show_default=True, metavar="COLOUR",
              help="Background without a video: #RRGGBB or a name.")
@click.option("--moments", type=click.Choice(["busiest", "even"]), default="busiest", show_default=True,
              help="Which moments a sheet shows: where most text is on screen, or evenly spaced.")
@click.option("--tile-width", type=int, default=480, show_default=True, help="Width of one sheet tile in pixels.")
@click.option("--encoder", default="libx264", show_default=True, help="Video encoder of a clip.")
@click.option("--crf", type=int, help="Quality of a clip (x264/x265: default 20, lower is better).")
@click.option("--preset", help="Encoder preset of a clip (x264/x265: default veryfast).")
@io_options("from", "quiet", quiet={"help": "Do not print losses, missing fonts or read diagnostics."})
@pass_settings
def render_command(
    settings: RunSettings,
    /,
    source: str,
    output: str,
    at_ms: int | None,
    sheet: str | None,
    clip: tuple[int, int] | None,
    video: str | None,
    size: str | None,
    background: str,
    moments: str,
    tile_width: int,
    encoder: str,
    crf: int | None,
    preset: str | None,
) -> None:
    """Draw captions into a frame, a contact sheet or a short clip.

    Any subtitle format is drawn: it is written as ASS first and libass (in
    ffmpeg) draws it, so styles from "subkit style" look as designed. What
    ASS cannot express, and any font that is not installed (with the font
    drawn instead), is reported on standard error. Without --video the
    captions are drawn over a plain background.

    \b
    Examples:
      subkit render movie.srt --at 12.5s -o frame.png
      subkit render movie.srt --at 1:02 --video movie.mp4 -o frame.png
      subkit render styled.ass --sheet 4x4 -o sheet.png
      subkit render movie.vtt --clip 10s-20s --video movie.mp4 -o preview.mp4
    """
    from subkit import media

    chosen = [name for name, value in (("--at", at_ms), ("--sheet", sheet), ("--clip", clip)) if value is not None]
    if len(chosen) != 1:
        raise click.UsageError("give exactly one of --at TIME, --sheet CxR or --clip START-END")
    if clip is not None and output == "-":
        raise click.UsageError("a clip is a video file: give -o OUT.mp4 (or .mkv, .mov)")
    if clip is None and output != "-" and Path(output).suffix.lower() != ".png":
        raise ConfigError(f"{output}: frames and sheets are written as PNG (.png)")
    frame_size = media.parse_size(size) if size else None
    doc = read_input(source, settings).doc
    name = "<stdin>" if source == "-" else source
    with shown_warnings(name, quiet=settings.quiet):
        if clip is not None:
            progress = progress_printer("rendering") if not settings.quiet else None
            try:
                media.preview_clip(doc, output, start_ms=clip[0], end_ms=clip[1], video=video, size=frame_size,
                                     background=background, encoder=encoder, crf=crf, preset=preset,
                                     progress=progress)
            finally:
                end_progress(progress)
            return
        if at_ms is not None:
            png = media.render_frame(doc, at_ms, video=video, size=frame_size, background=background)
        else:
            columns, rows = parse_grid(sheet or "")
            png = media.contact_sheet(doc, columns=columns, rows=rows, moments="even" if moments == "even"
                                        else "busiest", video=video, size=frame_size, tile_width=tile_width,
                                        background=background)
    _io.write_bytes(output, png)
