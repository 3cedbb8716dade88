"""``subkit fetch PROVIDER``: get subtitles for media from a hosted service, converted to any format.

One subcommand per provider (``rev``, ``autosubtitle``, ``revid``, ``akool``)
with that API's options, plus options they share: where the result goes
(``-o``, ``--to``, ``--out-dir``), ``--json`` for the job record, and batch
mode (``--from-list``), which keeps a journal so that an interrupted run can be
run again without submitting anything twice.

The provider clients (and httpx) are imported only when a subcommand runs.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

import subkit
from subkit.cli._shared import (
    EXIT_OK,
    FormatType,
    describe,
    echo_json,
    echo_warnings,
    format_loss,
    loss_record,
    report_failure,
)
from subkit.errors import ConfigError, SubkitIOError
from subkit.formats import FormatSpec
from subkit.providers.jobs import JOURNAL_NAME, Finish, Submit
from subkit.providers.jobs import FetchJournal as Journal
from subkit.timing import parse_duration

if TYPE_CHECKING:
    from subkit.providers import FetchResult, ProgressEvent
    from subkit.providers.jobs import FetchOutcome

__all__ = ["JOURNAL_NAME", "Journal", "fetch_command"]


# ---------------------------------------------------------------- progress


class _Progress:
    """A one-line, transient progress display on stderr (only when stderr is a terminal)."""

    def __init__(self, stream: TextIO | None, label: str = "") -> None:
        self.stream = stream
        self.label = label
        self._lock = threading.Lock()
        self._width = 0

    def __call__(self, event: ProgressEvent) -> None:
        if self.stream is None:
            return
        parts = [self.label or event.provider]
        if event.job:
            parts.append(event.job)
        parts.append(event.status or event.stage)
        if event.percent is not None:
            parts.append(f"{event.percent:.0f}%")
        if event.elapsed:
            parts.append(f"{event.elapsed:.0f}s")
        text = " ".join(parts)[:100]
        with self._lock:
            self.stream.write("\r" + text.ljust(self._width))
            self.stream.flush()
            self._width = max(self._width, len(text))

    def clear(self) -> None:
        if self.stream is not None and self._width:
            with self._lock:
                self.stream.write("\r" + " " * self._width + "\r")
                self.stream.flush()
                self._width = 0


def _progress_stream(quiet: bool) -> TextIO | None:
    stream = sys.stderr
    return stream if not quiet and stream.isatty() else None


# ---------------------------------------------------------------- shared options


if TYPE_CHECKING:
    _FloatParam = click.ParamType[float]
else:
    _FloatParam = click.ParamType


class _Seconds(_FloatParam):
    """A duration in the one syntax of every option (a bare number is seconds), converted to seconds.

    Args:
        zero_ok: accept zero (a wait may be zero; a limit may not).
    """

    name = "duration"

    def __init__(self, *, zero_ok: bool = False) -> None:
        self.zero_ok = zero_ok

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            seconds = float(value)
        else:
            try:
                seconds = parse_duration(str(value)) / 1000
            except ValueError:
                self.fail(f"not a duration: {value!r} (e.g. 30 seconds, 1.5s, 500ms, 2m, 1h, 1m30s, 00:01:30)",
                          param, ctx)
        if seconds < 0 or (seconds == 0 and not self.zero_ok):
            self.fail(f"must be {'zero or more' if self.zero_ok else 'more than zero'}, got {value!r}", param, ctx)
        return seconds


@dataclass(frozen=True, slots=True)
class _Common:
    """The options every provider subcommand takes (times in seconds)."""

    media_url: str | None
    from_list: Path | None
    output: str | None
    to_spec: FormatSpec | None
    out_dir: Path | None
    concurrency: int
    as_json: bool
    quiet: bool
    base_url: str | None
    config: str | None
    poll_interval: float | None
    deadline: float | None
    timeout: float | None


_COMMON_OPTIONS: list[Callable[[Any], Any]] = [
    click.option("--media-url", metavar="URL", help="Public URL of the media."),
    click.option("--from-list", type=click.Path(dir_okay=False, exists=True, path_type=Path), metavar="FILE",
                 help="Batch: one media per line (blank lines and # comments skipped); needs --out-dir."),
    click.option("-o", "--output", metavar="OUT",
                 help="Write the subtitles here ('-' for stdout), in the format of its extension or --to."),
    click.option("-t", "--to", "to_spec", type=FormatType(writable=True), metavar="FORMAT",
                 help="Format to write; the provider's own format when omitted."),
    click.option("-d", "--out-dir", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
                 help="Write every file the job produced into DIR (batch: also the journal)."),
    click.option("--concurrency", type=click.IntRange(1, 32), default=2, show_default=True,
                 help="Batch: media processed at the same time."),
    click.option("--json", "as_json", is_flag=True, help="Print the job record(s) as JSON on stdout."),
    click.option("-q", "--quiet", is_flag=True, help="No progress display and no conversion warnings."),
    click.option("--base-url", metavar="URL",
                 help="API root (a sandbox or test server); also SUBKIT_<PROVIDER>_BASE_URL."),
    click.option("--config", type=click.Path(dir_okay=False), metavar="FILE",
                 help="Config file with credentials (default: $XDG_CONFIG_HOME/subkit/config.toml)."),
    click.option("--poll-interval", type=_Seconds(zero_ok=True), metavar="DURATION",
                 help="First wait between status checks (it grows from there); 30, 1.5s, 500ms, 1m..."),
    click.option("--deadline", type=_Seconds(), metavar="DURATION",
                 help="Give up waiting for a job after this long (1h, 90m, 3600...)."),
    click.option("--timeout", type=_Seconds(), metavar="DURATION",
                 help="Longest time one HTTP exchange may take, start to end: connecting, sending, "
                      "and every byte of the answer (a bare number is seconds)."),
]


def _common_options(func: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(_COMMON_OPTIONS):
        func = option(func)
    return func


def _pop_common(kwargs: dict[str, Any]) -> _Common:
    return _Common(**{f.name: kwargs.pop(f.name) for f in dataclasses.fields(_Common)})


# ---------------------------------------------------------------- running


def _client(name: str, common: _Common, progress: Callable[[ProgressEvent], None]) -> Any:
    from subkit import providers
    from subkit.providers import PollPolicy, Timeouts

    kwargs: dict[str, Any] = {"progress": progress}
    if common.base_url:
        kwargs["base_url"] = common.base_url
    module = providers.get(name).load()
    cls = getattr(module, providers.get(name).class_name)
    policy: PollPolicy = cls.default_poll
    if common.poll_interval is not None or common.deadline is not None:
        interval = policy.interval if common.poll_interval is None else common.poll_interval
        kwargs["poll"] = PollPolicy(interval=interval, max_interval=max(interval, policy.max_interval),
                                    factor=policy.factor,
                                    deadline=policy.deadline if common.deadline is None else common.deadline)
    if common.timeout is not None:
        # --timeout is the whole exchange: connecting, sending and the last byte of the answer.
        kwargs["timeouts"] = Timeouts.within(common.timeout, cls.default_timeouts)
    return providers.client(name, config=common.config, **kwargs)


def _extension(spec: FormatSpec) -> str:
    return spec.extensions[0] if spec.extensions else f".{spec.name}"


def _write(result: FetchResult, common: _Common, out_dir: Path | None, stem: str | None) -> list[dict[str, Any]]:
    """Write the result where the options say; returns one record per written file."""
    from subkit import formats

    written: list[dict[str, Any]] = []

    def save(doc: subkit.Document, target: str, spec: FormatSpec) -> None:
        # Several downloads write at once (threads): the losses are printed below, not warned.
        report = subkit.dump(doc, target, format=spec.name, warn=False)
        name = "<stdout>" if target == "-" else target
        if not common.quiet:
            echo_warnings([format_loss(loss, report.format, name) for loss in report.losses])
        written.append({"output": target, "format": report.format,
                        "losses": [loss_record(loss) for loss in report.losses]})

    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        used: set[str] = set()
        for index, file in enumerate(result.files):
            spec = common.to_spec or formats.get(file.format)
            if not spec.can_write:
                spec = formats.get("srt")
            if stem is None:  # one job: the provider's own names (job id, role, language) are unique
                name = Path(file.name).stem
            else:  # a batch: named after the media; the main file plain, the others say what they hold
                name = stem if index == 0 else f"{stem}.{file.role}" + (f".{file.language}" if file.language else "")
            if name in used:
                name += f".{index}"
            used.add(name)
            save(file.document, str(out_dir / f"{name}{_extension(spec)}"), spec)
    if common.output is not None:
        main = result.files[0]
        if common.to_spec is not None:
            spec = common.to_spec
        elif common.output == "-":
            spec = formats.get(main.format)
        else:
            spec = formats.for_path(common.output)
        save(main.document, common.output, spec)
    if out_dir is None and common.output is None:
        main = result.files[0]
        if common.to_spec is None:
            click.echo(main.text, nl=not main.text.endswith("\n"))
            written.append({"output": "-", "format": main.format, "losses": []})
        else:
            save(main.document, "-", common.to_spec)
    return written


def _check_outputs(common: _Common) -> None:
    if common.from_list is not None:
        if common.out_dir is None:
            raise click.UsageError("--from-list needs --out-dir DIR for the results and the journal")
        if common.output is not None or common.media_url is not None:
            raise click.UsageError("--from-list cannot be combined with -o or --media-url")
    if common.as_json and common.output in (None, "-") and common.out_dir is None:
        raise click.UsageError("--json needs -o FILE or --out-dir: standard output carries the JSON record")


def _single(name: str, common: _Common, media: str, submit: Submit, finish: Finish) -> None:
    progress = _Progress(_progress_stream(common.quiet))
    client = _client(name, common, progress)
    try:
        record = submit(client, media)
        result = finish(client, record)
    finally:
        progress.clear()
        client.close()
    outputs = _write(result, common, common.out_dir, None)
    if common.as_json:
        echo_json({"ok": True, **result.record(), "outputs": outputs})


def _batch(ctx: click.Context, name: str, common: _Common, submit: Submit, finish: Finish) -> None:
    from subkit import providers
    from subkit.providers.jobs import fetch_many, media_stem, read_media_list

    assert common.from_list is not None and common.out_dir is not None
    media_list = read_media_list(common.from_list)
    try:
        common.out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SubkitIOError(f"{common.out_dir}: cannot create the folder: {exc.strerror or exc}",
                            path=str(common.out_dir)) from None
    journal = Journal(common.out_dir / JOURNAL_NAME)
    progress = _Progress(_progress_stream(common.quiet))
    codes: dict[str, int] = {}

    def shown(outcome: FetchOutcome) -> None:
        if outcome.unresolved and outcome.error is not None:
            click.echo(f"subkit: {outcome.error}", err=True)
            codes[outcome.media] = 3
        elif outcome.error is not None:
            codes[outcome.media] = report_failure(outcome.error, outcome.media)

    client = _client(name, common, progress)
    try:
        outcomes = fetch_many(
            client, media_list, journal=journal, submit=submit, finish=finish,
            deliver=lambda media, result: _write(result, common, common.out_dir, media_stem(media)),
            concurrency=common.concurrency, idempotent_create=providers.get(name).idempotent_create,
            on_outcome=shown)
    finally:
        progress.clear()
        client.close()
        journal.close()
    records: list[dict[str, Any]] = []
    for outcome in outcomes:
        if outcome.skipped:
            records.append({"media": outcome.media, "ok": True, "skipped": outcome.skipped,
                            "outputs": outcome.outputs})
        elif outcome.result is not None:
            records.append({"media": outcome.media, "ok": True, **outcome.result.record(),
                            "outputs": outcome.outputs})
        else:
            failure = outcome.error or SubkitIOError("failed")
            error = str(failure) if outcome.unresolved else describe(failure, outcome.media)
            records.append({"media": outcome.media, "ok": False, "error": error})
    status = max(codes.values(), default=EXIT_OK)
    if common.as_json:
        echo_json({"ok": status == EXIT_OK, "journal": str(journal.path), "media": records})
    if status != EXIT_OK:
        ctx.exit(status)


def _run(ctx: click.Context, name: str, common: _Common, media: str | None, submit: Submit,
         finish: Finish) -> None:
    _check_outputs(common)
    if common.from_list is not None:
        _batch(ctx, name, common, submit, finish)
        return
    if media is None:
        raise click.UsageError("give the media: --media-url URL (or --from-list FILE)")
    _single(name, common, media, submit, finish)


def _key_values(values: tuple[str, ...], option: str, sep: str = "=") -> Iterator[tuple[str, str]]:
    for value in values:
        key, found, rest = value.partition(sep)
        if not found or not key:
            raise click.BadParameter(f"expected KEY{sep}VALUE, got {value!r}", param_hint=option)
        yield key, rest


def _json_file(path: Path | None, option: str) -> Any:
    if path is None:
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise click.BadParameter(f"{path}: not a readable JSON file ({exc})", param_hint=option) from None


# ---------------------------------------------------------------- the group


@click.group("fetch")
def fetch_command() -> None:
    """Get subtitles for media from a hosted captioning service.

    \b
    Credentials come from SUBKIT_<PROVIDER>_<KEY> environment variables or the
    config file ($XDG_CONFIG_HOME/subkit/config.toml); "subkit providers" lists
    what each provider needs. Provider and network failures exit with status 3.
    """


@fetch_command.command("autosubtitle")
@click.option("-l", "--language", required=True, metavar="LANG", help="Spoken language of the media.")
@click.option("--translate-to", metavar="LANG", help="Also translate the subtitles into LANG.")
@click.option("--subtitle-type", type=click.Choice(["source", "target", "double"]),
              help="Main file: source, target (the translation) or double (both); target when translating.")
@click.option("--noise-reduction", is_flag=True, help="Clean up the audio before recognition.")
@click.option("--enhanced", is_flag=True, help="Use the enhanced recogniser (Google speech language codes).")
@_common_options
@click.pass_context
def autosubtitle_command(ctx: click.Context, /, language: str, translate_to: str | None, subtitle_type: str | None,
                         noise_reduction: bool, enhanced: bool, **kwargs: Any) -> None:
    """Subtitles (and a translation) from Autosubtitle Online.

    \b
    Example:
      subkit fetch autosubtitle --media-url https://example.com/talk.mp4 \\
          --language en --translate-to fr -o talk.fr.vtt
    """
    common = _pop_common(kwargs)
    if subtitle_type in ("target", "double") and not translate_to:
        raise click.UsageError(f"--subtitle-type {subtitle_type} needs --translate-to")

    def submit(client: Any, media: str) -> dict[str, Any]:
        result: dict[str, Any] = client.submit(media, language=language, translate_to=translate_to,
                                               subtitle_type=subtitle_type, noise_reduction=noise_reduction,
                                               enhanced=enhanced)
        return result

    _run(ctx, "autosubtitle", common, common.media_url, submit, lambda client, record: client.finish(record))


_TIME_RANGE = re.compile(r"^(\d+:\d\d:\d\d(?:\.\d{1,3})?)-(\d+:\d\d:\d\d(?:\.\d{1,3})?)$")


@fetch_command.command("revid")
@click.option("--settings", "settings_file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              metavar="FILE", help="JSON file with the caption settings (style, colours, font, position...).")
@click.option("--style", type=click.Choice(["classic", "karaoke", "highlight", "underline", "word_by_word"]),
              help="Caption style (overrides the settings file).")
@click.option("--replace", "replace_rules", multiple=True, metavar="FIND=REPLACE",
              help="Replace text in the captions (repeatable).")
@click.option("--exclude", "exclude_ranges", multiple=True, metavar="START-END",
              help="Leave a time range without captions, hh:mm:ss.ms-hh:mm:ss.ms (repeatable).")
@click.option("-l", "--language", metavar="LANG", help="Spoken language; detected when omitted.")
@click.option("--canvas", metavar="WxH", help="ASS canvas size (PlayResX x PlayResY), e.g. 1920x1080.")
@click.option("--id", "job_ref", metavar="ID", help="Your own id for the job, echoed back.")
@click.option("--webhook-url", metavar="URL",
              help="Queue the job and have the result POSTed here (subkit still polls the status).")
@click.option("--keep-layers", is_flag=True, help="Keep the layer-1 duplicates that non-classic styles add.")
@_common_options
@click.pass_context
def revid_command(ctx: click.Context, /, settings_file: Path | None, style: str | None,
                  replace_rules: tuple[str, ...], exclude_ranges: tuple[str, ...], language: str | None,
                  canvas: str | None, job_ref: str | None, webhook_url: str | None, keep_layers: bool,
                  **kwargs: Any) -> None:
    """Styled ASS captions from Revid.

    \b
    Example:
      subkit fetch revid --media-url https://example.com/clip.mp4 \\
          --settings captions.json --canvas 1080x1920 -o clip.ass
    """
    common = _pop_common(kwargs)
    settings = _json_file(settings_file, "--settings") or {}
    if not isinstance(settings, dict):
        raise click.BadParameter("the settings file must hold a JSON object", param_hint="--settings")
    if style:
        settings["style"] = style
    size: tuple[int, int] | None = None
    if canvas:
        match = re.fullmatch(r"(\d+)[x×X](\d+)", canvas.strip())
        if not match:
            raise click.BadParameter(f"expected WIDTHxHEIGHT, got {canvas!r}", param_hint="--canvas")
        size = (int(match.group(1)), int(match.group(2)))
    ranges = []
    for value in exclude_ranges:
        found = _TIME_RANGE.match(value.strip())
        if not found:
            raise click.BadParameter(f"expected hh:mm:ss.ms-hh:mm:ss.ms, got {value!r}", param_hint="--exclude")
        ranges.append({"start": found.group(1), "end": found.group(2)})
    options: dict[str, Any] = {
        "settings": settings or None,
        "replace": [{"find": k, "replace": v} for k, v in _key_values(replace_rules, "--replace")] or None,
        "exclude_time_ranges": ranges or None,
        "language": language,
        "canvas": size,
        "id": job_ref,
        "webhook_url": webhook_url,
    }
    try:
        from subkit.providers.revid import request_body

        request_body("https://check.invalid/", **options)  # fail on bad settings before any request
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None

    def submit(client: Any, media: str) -> dict[str, Any]:
        result: dict[str, Any] = client.submit(media, **options)
        return result

    _run(ctx, "revid", common, common.media_url, submit,
         lambda client, record: client.finish(record, keep_layers=keep_layers))


@fetch_command.command("rev")
@click.option("--file", "media_file", type=click.Path(dir_okay=False, exists=True, path_type=Path), metavar="PATH",
              help="Upload this media file instead of giving a URL.")
@click.option("--external-link", metavar="URL", help="A YouTube or Vimeo page instead of a media URL.")
@click.option("-l", "--language", metavar="LANG", help="Spoken language (inputs_language).")
@click.option("--video-length", type=click.FloatRange(0), metavar="SECONDS",
              help="Length of the media (helps Rev price it; detected for common formats).")
@click.option("--human", is_flag=True, help="Order human captions instead of automated ones.")
@click.option("--subtitle-language", multiple=True, metavar="LANG",
              help="Foreign-language subtitles (human orders; repeatable).")
@click.option("--output-format", multiple=True, metavar="NAME",
              help="Rev output_file_formats (SubRip, WebVtt, Scc...; repeatable). Default: SubRip.")
@click.option("--caption-format", default="srt", show_default=True,
              type=click.Choice(["srt", "webvtt", "scc", "mcc", "ttml", "dfxp", "qt", "stl", "avid_ds"]),
              help="Format to download the captions in (the document is read from it).")
@click.option("--transcript", is_flag=True, help="Also download the transcript JSON.")
@click.option("--sandbox", is_flag=True, help="Sandbox order (sandbox_mode: nothing is charged).")
@click.option("--client-ref", metavar="REF",
              help="Your reference (<= 40 chars); an existing order with it is reused, not placed again.")
@click.option("--notify-url", metavar="URL", help="Rev's notification callback URL.")
@click.option("--notify-level", type=click.Choice(["FinalOnly", "FileComplete", "Detailed"]),
              help="Notification level.")
@click.option("--notify-content-type", type=click.Choice(["FormUrlEncoded", "ApplicationJson"]),
              help="Notification body encoding.")
@click.option("--burned-in-captions", is_flag=True, default=None, help="Also order a video with burned-in captions.")
@click.option("--ponumber", metavar="PO", help="Purchase order number.")
@click.option("--workspace-id", metavar="ID", help="Rev workspace to place the order in.")
@_common_options
@click.pass_context
def rev_command(ctx: click.Context, /, media_file: Path | None, external_link: str | None, language: str | None,
                video_length: float | None, human: bool, subtitle_language: tuple[str, ...],
                output_format: tuple[str, ...], caption_format: str, transcript: bool, sandbox: bool,
                client_ref: str | None, notify_url: str | None, notify_level: str | None,
                notify_content_type: str | None, burned_in_captions: bool | None, ponumber: str | None,
                workspace_id: str | None, **kwargs: Any) -> None:
    """Automated or human captions from Rev.

    \b
    Example:
      subkit fetch rev --media-url https://example.com/interview.mp4 \\
          --language en --client-ref interview-42 -o interview.vtt
    """
    common = _pop_common(kwargs)
    given = [x for x in (common.media_url, media_file, external_link) if x is not None]
    if len(given) > 1:
        raise click.UsageError("give only one of --media-url, --file and --external-link")
    if client_ref is not None and len(client_ref) > 40:
        raise click.BadParameter("at most 40 characters", param_hint="--client-ref")
    notification = None
    if notify_url:
        notification = {"url": notify_url}
        if notify_level:
            notification["level"] = notify_level
        if notify_content_type:
            notification["content_type"] = notify_content_type
    order: dict[str, Any] = {
        "human": human,
        "subtitle_languages": list(subtitle_language) or None,
        "output_file_formats": list(output_format) or ["SubRip"],
        "sandbox_mode": True if sandbox else None,
        "notification": notification,
        "burned_in_captions": burned_in_captions,
        "ponumber": ponumber,
        "workspace_id": workspace_id,
    }
    from subkit.providers.rev import OUTPUT_FORMATS

    bad = [f for f in order["output_file_formats"] if f not in OUTPUT_FORMATS]
    if bad:
        raise click.BadParameter(f"unknown {', '.join(bad)} (known: {', '.join(OUTPUT_FORMATS)})",
                                 param_hint="--output-format")

    def submit(client: Any, media: str) -> dict[str, Any]:
        if media.startswith("file:"):
            where: dict[str, Any] = {"file": media[5:]}
        elif external_link is not None and media == external_link:
            where = {"external_link": media}
        elif media.startswith(("http://", "https://")):
            where = {"media_url": media}
        else:
            where = {"file": media}
        # In a batch every media gets its own reference, so a re-run finds the orders it placed.
        ref = client_ref if common.from_list is None else f"subkit-{hashlib.sha1(media.encode()).hexdigest()[:30]}"
        result: dict[str, Any] = client.submit(video_length_seconds=video_length, language=language,
                                               client_ref=ref, **where, **order)
        return result

    media = common.media_url or external_link or (f"file:{media_file}" if media_file else None)
    _run(ctx, "rev", common, media, submit,
         lambda client, record: client.finish(record, format=caption_format, transcript=transcript))


@fetch_command.command("akool")
@click.option("--translate-to", "translate_to", multiple=True, required=True, metavar="LANG",
              help="Target language (repeatable, or comma-separated).")
@click.option("-l", "--language", default="DEFAULT", show_default=True, metavar="LANG",
              help="Spoken language; DEFAULT detects it.")
@click.option("--lipsync", is_flag=True, help="Also re-sync the lips.")
@click.option("--webhook-url", metavar="URL", help="Where AKool POSTs progress (subkit polls anyway).")
@click.option("--speaker-num", type=click.IntRange(0), help="Number of speakers (0 detects it).")
@click.option("--remove-bgm", is_flag=True, default=None, help="Remove the background music.")
@click.option("--dynamic-duration", is_flag=True, default=None, help="Let the video length follow the speech.")
@click.option("--caption-type", type=click.IntRange(0, 4),
              help="Subtitles burned into the video: 0 none, 1 original, 2 target, 3 replace original, "
                   "4 translated.")
@click.option("--caption-url", metavar="URL", help="An SRT or ASS file to use as the subtitles.")
@click.option("--voice", "voices", multiple=True, metavar="LANG=VOICE_ID", help="Voice per language (repeatable).")
@click.option("--studio-voice", type=click.Path(dir_okay=False, exists=True, path_type=Path), metavar="FILE",
              help="JSON file with studio_voice (no_translate_words, fixed_words, pronounced_words, style).")
@_common_options
@click.pass_context
def akool_command(ctx: click.Context, /, translate_to: tuple[str, ...], language: str, lipsync: bool,
                  webhook_url: str | None, speaker_num: int | None, remove_bgm: bool | None,
                  dynamic_duration: bool | None, caption_type: int | None, caption_url: str | None,
                  voices: tuple[str, ...], studio_voice: Path | None, **kwargs: Any) -> None:
    """Translated subtitles from AKool video translation.

    \b
    Example:
      subkit fetch akool --media-url https://example.com/promo.mp4 \\
          --translate-to es --translate-to ja --caption-type 2 --out-dir subs/
    """
    common = _pop_common(kwargs)
    targets = [lang.strip() for value in translate_to for lang in value.split(",") if lang.strip()]
    options: dict[str, Any] = {
        "source_language": language,
        "lipsync": lipsync,
        "webhook_url": webhook_url,
        "speaker_num": speaker_num,
        "remove_bgm": remove_bgm,
        "dynamic_duration": dynamic_duration,
        "caption_type": caption_type,
        "caption_url": caption_url,
        "voices_map": {lang: {"voice_id": voice} for lang, voice in _key_values(voices, "--voice")} or None,
        "studio_voice": _json_file(studio_voice, "--studio-voice"),
    }

    def submit(client: Any, media: str) -> dict[str, Any]:
        result: dict[str, Any] = client.submit(media, translate_to=targets, **options)
        return result

    _run(ctx, "akool", common, common.media_url, submit, lambda client, record: client.finish(record))

