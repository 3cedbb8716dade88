"""``subkit tracks``: list the subtitle tracks of a video file (ffprobe)."""

from __future__ import annotations

import click

from subkit.cli._run import RunSettings, io_options, pass_settings
from subkit.cli._shared import echo_json

__all__ = ["tracks_command"]


@click.command("tracks")
@click.argument("path", type=click.Path(dir_okay=False), metavar="FILE")
@io_options("json", json={"help": "Print the tracks as JSON."})
@pass_settings
def tracks_command(settings: RunSettings, /, path: str) -> None:
    """List the subtitle tracks of an MKV, MP4, MOV or TS file.

    One line per track: the index that "subkit extract --track" takes, the
    codec, text or image (image tracks need OCR), language, flags, cue count
    and title. Closed captions carried in a video stream are listed too.

    \b
    Examples:
      subkit tracks movie.mkv
      subkit tracks movie.mp4 --json
    """
    from subkit import media

    found = media.tracks(path)
    if settings.as_json:
        echo_json({"file": path, "tracks": [track.as_json() for track in found]})
        return
    if not found:
        click.echo(f"{path}: no subtitle tracks")
        return
    click.echo(f"{'index':>5}  {'codec':<18} {'kind':<8} {'lang':<5} {'flags':<14} {'cues':>6}  title")
    for track in found:
        flags = ",".join(flag for flag, on in (("default", track.default), ("forced", track.forced)) if on) or "-"
        cues = "-" if track.cues is None else str(track.cues)
        click.echo(f"{track.index:>5}  {track.codec:<18} {track.kind:<8} {track.language or '-':<5} {flags:<14} "
                   f"{cues:>6}  {track.title or ''}".rstrip())
