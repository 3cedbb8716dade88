"""``subkit segment``: WebVTT segments and an HLS playlist from any subtitle file."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from subkit import formats
from subkit._io import write_files
from subkit.cli._ops import parse_ms
from subkit.cli._run import Job, RunSettings, io_options, output_stem, pass_settings, plan_jobs, read_input
from subkit.cli._shared import (
    EXIT_OK,
    Loaded,
    describe,
    echo_json,
    echo_warnings,
    format_loss,
    loss_record,
    report_failure,
)
from subkit.errors import OperationError, SubkitError
from subkit.model import Document, LossReport
from subkit.ops import DEFAULT_MPEGTS, PLAYLIST_NAME, SEGMENT_NAME, Package, join_tracks, package
from subkit.streaming import write_hls, write_package

__all__ = ["name_tag", "segment_command"]

#: A two-letter language subtag (with a script or region) ending a file name: ``.fr``, ``.pt-BR``, ``.zh-Hant``.
_NAME_TAG = re.compile(r"\.([a-z]{2}(?:-[A-Za-z0-9]{2,8})*)$")


@click.command("segment", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", metavar="IN... OUT_DIR", nargs=-1, required=True)
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
              help="fmp4 + hls, or several inputs: a video playlist for the master playlist (repeatable).")
@io_options("from", "name", "encoding", "quiet", "json", json={"help": "Print a JSON summary on stdout."},
            name={"decls": ("--track-dir",),
                  "help": "Several inputs: the subfolder of OUT_DIR each track goes to; fields {stem} {name} "
                          "{format} {ext} {command}.  [default: {stem}]"})
@pass_settings
def segment_command(
    settings: RunSettings,
    /,
    paths: tuple[str, ...],
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

    Several inputs (the languages of one title), or folders of them, are
    packaged as one track each, in a subfolder of OUT_DIR named by
    --track-dir (default: the input's name without extension), every track
    with the same segment layout. A track's language is --language for one
    input; with several, each document's own, else a language tag ending the
    file name (movie.fr.srt: fr). A file that fails is reported and the
    others go on.

    \b
    Examples:
      subkit segment movie.srt hls/ --seconds 6
      subkit segment movie.ass hls/ --seconds 10 --duration 1:32:00 --mpegts 0
      subkit segment movie.srt cmaf/ --container fmp4 --codec stpp --manifest both
      subkit segment movie.en.srt movie.fr.srt hls/ --track-dir "subs_{stem}"
    """
    if len(paths) < 2:
        raise click.UsageError("give IN... OUT_DIR: the subtitle file(s) and the folder to write into")
    *inputs, out_dir = paths
    if Path(out_dir).is_file():
        raise click.BadParameter(f"{out_dir!r} is a file.", param_hint="'IN... OUT_DIR'")
    if len(inputs) == 1 and settings.template is None and not Path(inputs[0]).is_dir():
        duration_ms = _duration(duration)
        record = _segment_track(settings, _read(settings, inputs[0]), inputs[0], out_dir, seconds=seconds,
                                   mpegts=mpegts, duration_ms=duration_ms, media_sequence=media_sequence, name=name,
                                   playlist_name=playlist_name, container=container, codec=codec,
                                   manifest=manifest, language=language, timescale=timescale, variants=variants)
        if settings.as_json:
            echo_json(record)
        return
    if language is not None:
        raise click.UsageError("--language names the language of one track: with several inputs each track "
                               "takes its document's language, or a tag ending its file name (movie.fr.srt)")
    _segment_many(settings, inputs, out_dir, seconds=seconds, mpegts=mpegts, duration=duration,
                  media_sequence=media_sequence, name=name, playlist_name=playlist_name, container=container,
                  codec=codec, manifest=manifest, timescale=timescale, variants=variants)


def _duration(duration: str | None) -> int | None:
    try:
        return parse_ms(duration, "--duration") if duration is not None else None
    except OperationError as exc:
        raise click.BadParameter(str(exc), param_hint="--duration") from None


def _read(settings: RunSettings, source: str) -> Loaded:
    return read_input(source, RunSettings(from_spec=settings.from_spec, encoding=settings.encoding,
                                          quiet=settings.quiet))


def _segment_track(settings: RunSettings, loaded: Loaded, source: str, out_dir: str, *, seconds: str, mpegts: int,
                   duration_ms: int | None, media_sequence: int, name: str, playlist_name: str, container: str,
                   codec: str, manifest: str, language: str | None, timescale: int,
                   variants: tuple[str, ...]) -> dict[str, Any]:
    """Package one input into ``out_dir``; report on stderr; return the JSON record.

    Raises:
        click.UsageError: a bad option value.
        SubkitError: the files cannot be written.
    """
    quiet = settings.quiet
    if (container, codec, manifest) != ("ts-webvtt", "wvtt", "hls"):
        return _package_command(loaded.doc, source, loaded.format, out_dir, seconds, container=container,
                                codec=codec, manifest=manifest, language=language, timescale=timescale,
                                variants=variants, duration_ms=duration_ms, mpegts=mpegts,
                                media_sequence=media_sequence, name=None if name == SEGMENT_NAME else name,
                                playlist_name=playlist_name, quiet=quiet)[0]
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
    return {
        "input": source,
        "from": loaded.format,
        "playlist": str(playlist_path),
        "segments": [{"file": p.name, "start_ms": p.start_ms, "end_ms": p.end_ms, "cues": len(p.document.cues)}
                     for p in parts],
        "losses": [loss_record(loss) for loss in report],
    }


def name_tag(path: str) -> str | None:
    """The BCP 47 language tag ending a file's name (``movie.fr.srt``: ``fr``; ``ep1.pt-BR.vtt``: ``pt-BR``), if any.

    Only a two-letter language (with a region or script) counts: a longer word ending the name (``movie.final``)
    is more often not a language.

    >>> name_tag("movie.fr.srt"), name_tag("ep1.pt-BR.vtt"), name_tag("movie.srt"), name_tag("x.zz.srt")
    ('fr', 'pt-BR', None, None)
    """
    from subkit._lang import check_language_tag

    match = _NAME_TAG.search(output_stem(path))
    if match is None:
        return None
    try:
        return check_language_tag(match.group(1))
    except ValueError:
        return None


def _segment_many(settings: RunSettings, inputs: Sequence[str], out_dir: str, *, seconds: str, mpegts: int,
                  duration: str | None, media_sequence: int, name: str, playlist_name: str, container: str,
                  codec: str, manifest: str, timescale: int, variants: tuple[str, ...]) -> None:
    """Several inputs (or folders): one track each in a subfolder of ``out_dir``, and manifests joining them.

    Every track is cut on one timeline (``--duration``, else the end of the
    latest cue of all inputs), so their segments line up; :func:`subkit.ops.join_tracks`
    makes the top-level manifests.
    """
    duration_ms = _duration(duration)  # a bad --duration is a usage error before any file is read
    parsed_variants = tuple(_variant(v) for v in variants)
    settings.out_dir = Path(out_dir)
    saved = settings.to_spec
    # The subfolder's {format} and {ext} are the track's; the inputs are read by their content, not their names.
    settings.to_spec = formats.get(f"mp4_{codec}" if container == "fmp4" else "webvtt")
    try:
        jobs = plan_jobs(inputs, settings, command="segment", template="{stem}")
    finally:
        settings.to_spec = saved
    status = EXIT_OK
    records: dict[Job, dict[str, Any]] = {}
    loaded: dict[Job, Loaded] = {}
    for job in jobs:  # read everything first: the common timeline needs every document's end
        try:
            loaded[job] = _read(settings, job.source)
        except SubkitError as exc:
            status = max(status, report_failure(exc, job.source))
            records[job] = {"input": job.source, "output": job.targets[0], "ok": False,
                            "error": describe(exc, job.source)}
    if duration_ms is None:
        duration_ms = max((cue.end_ms for one in loaded.values() for cue in one.doc.cues), default=0) or None
    tracks: list[tuple[str, Package]] = []
    for job, one in loaded.items():
        language = one.doc.language or name_tag(job.source)
        target = job.targets[0]
        try:
            record, built = _package_command(
                one.doc, job.source, one.format, target, seconds, container=container, codec=codec,
                manifest=manifest, language=language, timescale=timescale, variants=variants,
                duration_ms=duration_ms, mpegts=mpegts, media_sequence=media_sequence,
                name=None if name == SEGMENT_NAME else name, playlist_name=playlist_name, quiet=settings.quiet,
                write=write_package)
        except SubkitError as exc:
            status = max(status, report_failure(exc, job.source, target))
            records[job] = {"input": job.source, "output": target, "ok": False,
                            "error": describe(exc, job.source, target)}
            continue
        records[job] = {**record, "output": target, "language": language, "ok": True}
        tracks.append((Path(target).name, built))
        if not settings.quiet:
            click.echo(f"{job.source} -> {target}", err=True)
    summary: dict[str, Any] = {"ok": status == EXIT_OK, "files": [records[job] for job in jobs],
                               "master": None, "mpd": None}
    if tracks:
        try:
            joined = join_tracks(tracks, variants=parsed_variants)
        except OperationError as exc:
            raise click.UsageError(str(exc)) from None
        paths = write_files(out_dir, [(f.name, f.data) for f in joined])
        for path in paths:
            summary["mpd" if path.endswith(".mpd") else "master"] = path
        if not settings.quiet:
            echo_warnings([f"segment: {len(tracks)} track(s), manifests: {', '.join(paths)}"])
    if settings.as_json:
        echo_json(summary)
    if status != EXIT_OK:
        click.get_current_context().exit(status)


def _variant(text: str) -> tuple[str, int, str]:
    uri, _, rest = text.partition(",")
    bandwidth, _, codecs = rest.partition(",")
    if not uri or not bandwidth.isdigit():
        raise click.BadParameter(f"expected URI,BANDWIDTH,CODECS, got {text!r}", param_hint="--variant")
    return uri, int(bandwidth), codecs


def _package_command(doc: Document, source: str, from_name: str, out_dir: str, seconds: str, *, container: str,
                     codec: str, manifest: str, language: str | None, timescale: int, variants: tuple[str, ...],
                     duration_ms: int | None, mpegts: int, media_sequence: int, name: str | None,
                     playlist_name: str, quiet: bool,
                     write: Callable[[Package, str], object] | None = None) -> tuple[dict[str, Any], Package]:
    target = f"mp4_{codec}" if container == "fmp4" else "webvtt"
    report = LossReport(target)
    try:
        built = package(doc, seconds, container=container, codec=codec, manifest=manifest, language=language,
                        timescale=timescale, duration_ms=duration_ms, mpegts=mpegts, media_sequence=media_sequence,
                        name=name, playlist_name=playlist_name, variants=tuple(_variant(v) for v in variants),
                        report=report)
    except OperationError as exc:
        raise click.UsageError(str(exc)) from None
    if write is None:
        write_files(out_dir, [(f.name, f.data) for f in built.files])
    else:
        write(built, out_dir)
    manifests = [m for m in (built.playlist, built.master, built.mpd) if m]
    if not quiet:
        echo_warnings([format_loss(loss, target, out_dir) for loss in report])
        echo_warnings([f"segment: {len(built.segments)} segment(s) of {seconds} s ({container}, {built.codecs}), "
                       f"manifests: {', '.join(manifests)}"])
    return {
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
    }, built
