"""``subkit burn``: draw captions into a video for good (ffmpeg with libass), keeping its audio."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from subkit.cli._media import (
    RangeType,
    end_progress,
    plan_media_jobs,
    progress_printer,
    run_media_jobs,
    shown_warnings,
)
from subkit.cli._run import Job, RunSettings, io_options, pass_settings, read_input

__all__ = ["DEFAULT_NAME", "burn_command"]

#: The name of each burned video of several subtitles: the subtitle's stem, ``.burn`` and the video's extension
#: (the name every command gives its outputs, ``{stem}.{command}{ext}``).
DEFAULT_NAME = "{stem}.burn{ext}"


@click.command("burn")
@click.argument("video", type=click.Path(dir_okay=False), metavar="VIDEO")
@click.argument("paths", metavar="IN...", nargs=-1, required=True)
@click.option("-o", "--output", metavar="OUT", help="The video to write for one IN (its extension picks "
              "the container).")
@click.option("--encoder", default="libx264", show_default=True,
              help="ffmpeg video encoder (libx264, libx265, h264_nvenc ...).")
@click.option("--crf", type=int, help="Quality (x264/x265: default 20, lower is better).")
@click.option("--preset", help="Encoder preset (x264/x265: default veryfast; ultrafast is quickest).")
@click.option("--clip", type=RangeType(), metavar="START-END", help="Only this part of the video (10s-20s).")
@io_options("from", "out_dir", "name", "quiet", "json",
            quiet={"help": "Do not print losses, missing fonts, diagnostics or progress."},
            name={"help": "Names of the videos of several inputs or --out-dir: fields {stem} (the subtitle's) "
                          "{ext} (VIDEO's) {format} {command} {name}; default {stem}.burn{ext}."},
            json={"help": "Print a JSON record of each video written on stdout."})
@pass_settings
def burn_command(
    settings: RunSettings,
    /,
    video: str,
    paths: tuple[str, ...],
    output: str | None,
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

    One IN is burned into -o OUT. Without -o, each subtitle (several, or
    folders of them) makes its own video, named after the subtitle:
    STEM.burn.mp4 (VIDEO's extension) beside the subtitle, or in --out-dir (or
    a last folder), named by --name. A file that fails is reported and the
    others go on.

    \b
    Examples:
      subkit burn movie.mp4 movie.srt -o movie.captioned.mp4
      subkit burn talk.mkv styled.ass -o out.mp4 --preset ultrafast --crf 23
      subkit burn movie.mp4 movie.vtt --clip 1:00-1:30 -o preview.mp4
      subkit burn movie.mp4 movie.en.srt movie.fr.srt --out-dir burned/
      subkit burn movie.mp4 subs/ --name "movie.{stem}.mkv"
    """
    from subkit import media

    if output == "-":
        raise click.UsageError("burn writes a video file: give -o OUT.mp4 (or .mkv, .mov)")
    if output is not None:
        if len(paths) != 1 or settings.out_dir is not None or settings.template is not None \
                or Path(paths[0]).is_dir():
            raise click.UsageError("-o OUT names the video of one IN: for several inputs use --out-dir and --name")
        if Path(output).resolve() in {Path(video).resolve(), Path(paths[0]).resolve()}:
            raise click.UsageError(f"{paths[0]} -> {output}: refusing to overwrite an input")
        jobs = [Job(paths, (output,))]
    elif paths == ("-",):
        raise click.UsageError("standard input (-) is one input with its own output: give -o OUT")
    else:
        jobs = plan_media_jobs(paths, settings, command="burn", template=DEFAULT_NAME,
                               suffix=Path(video).suffix or ".mp4", exclude=[video])

    def one(job: Job) -> dict[str, Any]:
        source, target = job.source, job.targets[0]
        loaded = read_input(source, settings)
        progress = progress_printer("burning") if not settings.quiet else None
        with shown_warnings("<stdin>" if source == "-" else source, quiet=settings.quiet):
            try:
                media.burn(video, loaded.doc, target, start_ms=clip[0] if clip else None,
                           end_ms=clip[1] if clip else None, encoder=encoder, crf=crf, preset=preset,
                           progress=progress)
            finally:
                end_progress(progress)
        return {"input": source, "from": loaded.format, "video": video, "output": target,
                "cues": len(loaded.doc.cues)}

    run_media_jobs(jobs, settings, one, verb="burned")
