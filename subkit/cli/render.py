"""``subkit render``: draw captions into a picture, a contact sheet or a short clip (ffmpeg with libass)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from subkit import _io
from subkit.cli._media import (
    ClockType,
    RangeType,
    end_progress,
    plan_media_jobs,
    progress_printer,
    run_media_jobs,
    shown_warnings,
)
from subkit.cli._run import Job, RunSettings, io_options, pass_settings, read_input
from subkit.errors import ConfigError

__all__ = ["CLIP_SUFFIXES", "DEFAULT_NAMES", "parse_grid", "render_command"]


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


#: The extensions of a clip's video container that a last path may have to be the clip written (IN OUT).
CLIP_SUFFIXES = (".mp4", ".mkv", ".mov", ".m4v", ".webm")

#: The default output name of each kind of picture: the name says what the file holds, so a frame and a sheet
#: of one subtitle file sit side by side.
DEFAULT_NAMES = {"frame": "{stem}.frame{ext}", "sheet": "{stem}.sheet{ext}", "clip": "{stem}.clip{ext}"}


@click.command("render")
@click.argument("paths", metavar="IN... [OUT]", nargs=-1, required=True)
@click.option("-o", "--output", metavar="OUT",
              help="The PNG (frame, sheet) or video (clip) to write, for one IN (- for a PNG on stdout).")
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
@io_options("from", "out_dir", "name", "quiet", "json",
            quiet={"help": "Do not print losses, missing fonts or read diagnostics."},
            name={"help": "Names of the outputs of several inputs or --out-dir: fields {stem} {ext} (.png, or the "
                          "clip's .mp4) {format} {command} {name}; default {stem}.frame{ext}, {stem}.sheet{ext} "
                          "or {stem}.clip{ext}."},
            json={"help": "Print a JSON record of each picture on stdout."})
@pass_settings
def render_command(
    settings: RunSettings,
    /,
    paths: tuple[str, ...],
    output: str | None,
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

    One IN is drawn into -o OUT, or into OUT given after it (a .png, or for
    --clip a video). Otherwise each input (several, or folders of them) is
    drawn into its own file: beside the input as STEM.frame.png,
    STEM.sheet.png or STEM.clip.mp4, or into --out-dir (or a last folder),
    named by --name. A file that fails is reported and the others go on.

    \b
    Examples:
      subkit render movie.srt --at 12.5s -o frame.png
      subkit render movie.srt --at 1:02 --video movie.mp4 -o frame.png
      subkit render styled.ass --sheet 4x4 -o sheet.png
      subkit render movie.vtt --clip 10s-20s --video movie.mp4 -o preview.mp4
      subkit render subs/ --sheet 4x4 --out-dir sheets/
      subkit render ep1.srt ep2.srt --at 30s --name "{stem}-30s.png"
    """
    from subkit import media

    chosen = [name for name, value in (("--at", at_ms), ("--sheet", sheet), ("--clip", clip)) if value is not None]
    if len(chosen) != 1:
        raise click.UsageError("give exactly one of --at TIME, --sheet CxR or --clip START-END")
    kind = "clip" if clip is not None else "frame" if at_ms is not None else "sheet"
    suffix = ".mp4" if kind == "clip" else ".png"
    many = settings.out_dir is not None or settings.template is not None
    if output is not None and (len(paths) != 1 or many or Path(paths[0]).is_dir()):
        raise click.UsageError("-o OUT names the picture of one IN: for several inputs use --out-dir and --name")
    if output is None and not many and len(paths) == 2 and not Path(paths[1]).is_dir() \
            and Path(paths[1]).suffix.lower() in (CLIP_SUFFIXES if kind == "clip" else (".png",)):
        output, paths = paths[-1], paths[:1]
    if output is not None:
        if clip is not None and output == "-":
            raise click.UsageError("a clip is a video file: give -o OUT.mp4 (or .mkv, .mov)")
        jobs = [Job(paths[:1], (output,))]
        if output != "-" and Path(output).resolve() in {Path(p).resolve() for p in (paths[0], video) if p}:
            raise click.UsageError(f"{paths[0]} -> {output}: refusing to overwrite an input")
        if settings.as_json and output == "-":
            raise click.UsageError("--json needs an output file: standard output carries the picture")
    elif paths == ("-",):
        raise click.UsageError("standard input (-) is one input with its own output: give -o OUT")
    else:
        jobs = plan_media_jobs(paths, settings, command="render", template=DEFAULT_NAMES[kind], suffix=suffix,
                               exclude=[video] if video else [])
    frame_size = media.parse_size(size) if size else None

    def one(job: Job) -> dict[str, Any]:
        source, target = job.source, job.targets[0]
        if clip is None and target != "-" and Path(target).suffix.lower() != ".png":
            raise ConfigError(f"{target}: frames and sheets are written as PNG (.png)")
        loaded = read_input(source, settings)
        doc = loaded.doc
        name = "<stdin>" if source == "-" else source
        record: dict[str, Any] = {"input": source, "from": loaded.format, "output": target, "kind": kind,
                                  "cues": len(doc.cues)}
        with shown_warnings(name, quiet=settings.quiet):
            if clip is not None:
                progress = progress_printer("rendering") if not settings.quiet else None
                try:
                    media.preview_clip(doc, target, start_ms=clip[0], end_ms=clip[1], video=video, size=frame_size,
                                       background=background, encoder=encoder, crf=crf, preset=preset,
                                       progress=progress)
                finally:
                    end_progress(progress)
                return record
            if at_ms is not None:
                png = media.render_frame(doc, at_ms, video=video, size=frame_size, background=background)
                record["at_ms"] = at_ms
            else:
                columns, rows = parse_grid(sheet or "")
                png = media.contact_sheet(doc, columns=columns, rows=rows, moments="even" if moments == "even"
                                          else "busiest", video=video, size=frame_size, tile_width=tile_width,
                                          background=background)
        _io.write_bytes(target, png)
        return record

    run_media_jobs(jobs, settings, one, verb="drawn")
