"""``subkit segment``: WebVTT segments and an HLS playlist from any subtitle file."""

from __future__ import annotations

from pathlib import Path

import click

from subkit._io import write_files
from subkit.cli._ops import parse_ms
from subkit.cli._run import RunSettings, io_options, pass_settings, read_input
from subkit.cli._shared import (
    echo_json,
    echo_warnings,
    format_loss,
    loss_record,
)
from subkit.errors import OperationError
from subkit.model import Document, LossReport
from subkit.ops import DEFAULT_MPEGTS, PLAYLIST_NAME, SEGMENT_NAME, package
from subkit.streaming import write_hls

__all__ = ["segment_command"]


@click.command("segment", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("source", metavar="IN")
@click.argument("out_dir", metavar="OUT_DIR", type=click.Path(file_okay=False))
@click.option("-s", "--seconds", default="6", show_default=True, metavar="SECONDS",
              help="Length of each segment (at least 1).")
@click.option("--mpegts", type=click.IntRange(0, 2**33 - 1), default=DEFAULT_MPEGTS, show_default=True,
              help="MPEG-2 timestamp (90 kHz) of media time zero, for X-TIMESTAMP-MAP.")
@click.option("--duration", metavar="TIME", help="Length of the video (default: the end of the last cue).")
@click.option("--media-sequence", type=click.IntRange(min=0), default=0, show_default=True,
              help="Value of #EXT-X-MEDIA-SEQUENCE.")
@click.option("--name", "name", default=SEGMENT_NAME, show_default=True, help="Segment file names, with {index}.")
@click.option("--playlist", "playlist_name", default=PLAYLIST_NAME, show_default=True, help="Playlist file name.")
@click.option("--container", type=click.Choice(["ts-webvtt", "fmp4"]), default="ts-webvtt", show_default=True,
              help="ts-webvtt: WebVTT segments for HLS; fmp4: CMAF init + .m4s segments.")
@click.option("--codec", type=click.Choice(["wvtt", "stpp"]), default="wvtt", show_default=True,
              help="fmp4 track: WebVTT (wvtt) or IMSC1 TTML (stpp).")
@click.option("--manifest", type=click.Choice(["hls", "dash", "both"]), default="hls", show_default=True,
              help="fmp4: HLS media + master playlists, a DASH MPD, or both.")
@click.option("--language", metavar="TAG", help="BCP 47 language of the track (default: the document's).")
@click.option("--timescale", type=click.IntRange(1, 2**32 - 1), default=1000, show_default=True,
              help="fmp4: ticks per second of the media timeline.")
@click.option("--variant", "variants", multiple=True, metavar="URI,BANDWIDTH,CODECS",
              help="fmp4 + hls: a video playlist for the master playlist (repeatable).")
@io_options("from", "encoding", "quiet", "json", json={"help": "Print a JSON summary on stdout."})
@pass_settings
def segment_command(
    settings: RunSettings,
    /,
    source: str,
    out_dir: str,
    seconds: str,
    mpegts: int,
    duration: str | None,
    media_sequence: int,
    name: str,
    playlist_name: str,
    container: str,
    codec: str,
    manifest: str,
    language: str | None,
    timescale: int,
    variants: tuple[str, ...],
) -> None:
    """Write WebVTT segments and an HLS playlist for streaming.

    Cuts the timeline of IN (any format) into segments of --seconds, writes
    each as a WebVTT file with an X-TIMESTAMP-MAP header into OUT_DIR, and
    the media playlist (prog_index.m3u8) listing them. A cue spanning a
    segment boundary is written in every segment it overlaps.

    With --container fmp4 the track is CMAF instead: init.mp4 and one .m4s
    per segment, as --codec wvtt (WebVTT) or stpp (IMSC1 TTML), with the
    --manifest asked for (prog_index.m3u8 + master.m3u8, manifest.mpd).

    \b
    Examples:
      subkit segment movie.srt hls/ --seconds 6
      subkit segment movie.ass hls/ --seconds 10 --duration 1:32:00 --mpegts 0
      subkit segment movie.srt cmaf/ --container fmp4 --codec stpp --manifest both
    """
    try:
        duration_ms = parse_ms(duration, "--duration") if duration is not None else None
    except OperationError as exc:
        raise click.BadParameter(str(exc), param_hint="--duration") from None
    loaded = read_input(source, RunSettings(from_spec=settings.from_spec, encoding=settings.encoding,
                                            quiet=settings.quiet))
    quiet, as_json = settings.quiet, settings.as_json
    if (container, codec, manifest) != ("ts-webvtt", "wvtt", "hls"):
        _package_command(loaded.doc, source, loaded.format, out_dir, seconds, container=container, codec=codec,
                         manifest=manifest, language=language, timescale=timescale, variants=variants,
                         duration_ms=duration_ms, mpegts=mpegts, media_sequence=media_sequence,
                         name=None if name == SEGMENT_NAME else name, playlist_name=playlist_name,
                         quiet=quiet, as_json=as_json)
        return
    report = LossReport("webvtt")
    try:
        playlist_path, parts = write_hls(loaded.doc, out_dir, seconds, mpegts=mpegts, duration_ms=duration_ms,
                                         media_sequence=media_sequence, name=name, playlist_name=playlist_name,
                                         report=report)
    except OperationError as exc:
        raise click.UsageError(str(exc)) from None
    if not quiet:
        echo_warnings([format_loss(loss, "webvtt", out_dir) for loss in report])
        echo_warnings([f"segment: {len(parts)} segment(s) of {seconds} s, playlist {playlist_path}"])
    if as_json:
        echo_json({
            "input": source,
            "from": loaded.format,
            "playlist": str(playlist_path),
            "segments": [{"file": p.name, "start_ms": p.start_ms, "end_ms": p.end_ms, "cues": len(p.document.cues)}
                         for p in parts],
            "losses": [loss_record(loss) for loss in report],
        })


def _variant(text: str) -> tuple[str, int, str]:
    uri, _, rest = text.partition(",")
    bandwidth, _, codecs = rest.partition(",")
    if not uri or not bandwidth.isdigit():
        raise click.BadParameter(f"expected URI,BANDWIDTH,CODECS, got {text!r}", param_hint="--variant")
    return uri, int(bandwidth), codecs


def _package_command(doc: Document, source: str, from_name: str, out_dir: str, seconds: str, *, container: str,
                     codec: str, manifest: str, language: str | None, timescale: int, variants: tuple[str, ...],
                     duration_ms: int | None, mpegts: int, media_sequence: int, name: str | None,
                     playlist_name: str, quiet: bool, as_json: bool) -> None:
    target = f"mp4_{codec}" if container == "fmp4" else "webvtt"
    report = LossReport(target)
    try:
        built = package(doc, seconds, container=container, codec=codec, manifest=manifest, language=language,
                        timescale=timescale, duration_ms=duration_ms, mpegts=mpegts, media_sequence=media_sequence,
                        name=name, playlist_name=playlist_name, variants=tuple(_variant(v) for v in variants),
                        report=report)
    except OperationError as exc:
        raise click.UsageError(str(exc)) from None
    write_files(out_dir, [(f.name, f.data) for f in built.files])
    manifests = [m for m in (built.playlist, built.master, built.mpd) if m]
    if not quiet:
        echo_warnings([format_loss(loss, target, out_dir) for loss in report])
        echo_warnings([f"segment: {len(built.segments)} segment(s) of {seconds} s ({container}, {built.codecs}), "
                       f"manifests: {', '.join(manifests)}"])
    if as_json:
        echo_json({
            "input": source,
            "from": from_name,
            "container": container,
            "codecs": built.codecs,
            "playlist": str(Path(out_dir) / built.playlist) if built.playlist else None,
            "master": str(Path(out_dir) / built.master) if built.master else None,
            "mpd": str(Path(out_dir) / built.mpd) if built.mpd else None,
            "segments": [{"file": p.name, "start_ms": p.start_ms, "end_ms": p.end_ms, "cues": len(p.document.cues)}
                         for p in built.segments],
            "losses": [loss_record(loss) for loss in report],
        })
