"""``subkit mux``: add subtitle files to a video as tracks, copying every stream, verified afterwards."""

from __future__ import annotations

import click

from subkit.cli._run import RunSettings, io_options, pass_settings, read_input
from subkit.cli._shared import echo_json, echo_warnings, format_loss, loss_record

__all__ = ["mux_command"]


@click.command("mux")
@click.argument("video", type=click.Path(dir_okay=False), metavar="VIDEO")
@click.argument("sources", nargs=-1, required=True, metavar="SUB...")
@click.option("-o", "--output", required=True, metavar="OUT", help="The .mkv, .mp4, .m4v or .mov file to write.")
@click.option("--lang", "languages", multiple=True, metavar="LANG",
              help="Language of a track (fr, fre, fr-CA); repeat it for each SUB, in order.")
@click.option("--title", "titles", multiple=True, metavar="TITLE",
              help="Name of a track; repeat it for each SUB, in order.")
@click.option("--default", "default", is_flag=True, help="Mark the first SUB as the default track.")
@click.option("--forced", "forced", is_flag=True, help="Mark the first SUB as forced (shown without asking).")
@click.option("--no-verify", is_flag=True, help="Do not read the new tracks back and compare them.")
@io_options("from", "strict", "quiet", "json", strict={"help": "Fail when a track's format cannot hold everything."},
            quiet={"help": "Do not print losses, diagnostics or the verification line."})
@pass_settings
def mux_command(
    settings: RunSettings,
    /,
    video: str,
    sources: tuple[str, ...],
    output: str,
    languages: tuple[str, ...],
    titles: tuple[str, ...],
    default: bool,
    forced: bool,
    no_verify: bool,
) -> None:
    """Add subtitle files to a video as tracks, verified after writing.

    Video, audio and existing subtitle tracks are copied as they are, never
    re-encoded. MKV keeps ASS/SSA as ASS and WebVTT as WebVTT, and stores
    every other format as SRT; MP4 and MOV store mov_text, which holds less
    (losses are reported). Afterwards every new track is read back and
    compared with what was written, times to the millisecond and text; a
    difference is an error and OUT is not written.

    \b
    Examples:
      subkit mux movie.mp4 movie.en.srt -o movie.mkv --lang en --default
      subkit mux movie.mkv fr.ass de.vtt -o out.mkv --lang fr --lang de
      subkit mux movie.mp4 movie.srt -o out.mp4 --lang en --title English
    """
    from subkit import media

    for option, values in (("--lang", languages), ("--title", titles)):
        if len(values) > len(sources):
            raise click.UsageError(f"{option} is given {len(values)} times for {len(sources)} subtitle file(s)")
    inputs = []
    for number, source in enumerate(sources):
        # Each track is read on its own terms (not strictly: --strict is about what a track can hold).
        doc = read_input(source, RunSettings(from_spec=settings.from_spec, quiet=settings.quiet)).doc
        inputs.append(media.SubtitleInput(
            doc,
            language=languages[number] if number < len(languages) else None,
            title=titles[number] if number < len(titles) else None,
            default=default and number == 0,
            forced=forced and number == 0,
        ))
    result = media.mux(video, inputs, output, verify=not no_verify, strict=settings.strict)
    if not settings.quiet:
        for source, track in zip(sources, result.tracks, strict=True):
            echo_warnings([format_loss(loss, track.codec, f"{output} (track {track.index} from {source})")
                           for loss in track.losses])
        if result.corrected_ms is not None:
            echo_warnings([f"{output}: note: ffmpeg moved every cue by {result.corrected_ms:+d} ms; corrected"])
        if not no_verify:
            echo_warnings([f"{output}: verified {len(result.tracks)} track(s): cue times and text read back equal"])
    if settings.as_json:
        echo_json({"output": output, "verified": not no_verify, "corrected_ms": result.corrected_ms,
                   "tracks": [{"index": track.index, "source": source, "codec": track.codec, "cues": track.cues,
                               "losses": [loss_record(loss) for loss in track.losses]}
                              for source, track in zip(sources, result.tracks, strict=True)]})
