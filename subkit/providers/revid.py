"""Revid: styled ASS captions for a media URL.

``POST /paid/media/generate/ass`` transcribes the media and returns the URL of
an ``.ass`` file. Without a ``webhook_url`` the request is held open until the
file is ready (synchronous mode, minutes for long media: the read timeout is
15 minutes); with one, the service answers 202 with a job id at once, POSTs
the result to the webhook, and subkit also polls ``/paid/get/job/status``.

The service rejects unknown fields, so settings are checked here against
:data:`SETTINGS` before anything is sent. Styles other than ``classic`` add
layer-1 duplicates (``highlight``) or split cues; :meth:`RevidClient.finish`
drops events above layer 0 for them unless asked to keep everything, and keeps
the ASS styles in the document.

Example::

    from subkit.providers.revid import RevidClient

    with RevidClient("my-api-key") as client:
        result = client.fetch("https://example.com/clip.mp4",
                              settings={"style": "classic", "font_size": 48})
    result.document.styles     # the ASS styles, kept
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from subkit.errors import (
    ConfigError,
    OperationError,
    ProviderAuthError,
    ProviderError,
    ProviderInputError,
    ProviderJobFailed,
    ProviderProtocolError,
    ProviderQuotaError,
    ProviderRateLimitError,
    ProviderTransportError,
)
from subkit.ops import ALIGNMENTS, POSITIONS, STYLES, StyleSettings
from subkit.providers._base import BaseClient
from subkit.providers._http import PollPolicy, Timeouts, decode_payload, json_body, poll
from subkit.providers._result import FetchResult

__all__ = ["ALIGNMENTS", "POSITIONS", "SETTINGS", "STYLES", "RevidClient", "check_settings", "request_body"]

#: The caption settings the service accepts, with their JSON types (it rejects any other key).
SETTINGS: dict[str, type | tuple[type, ...]] = {
    "line_color": str,
    "word_color": str,
    "outline_color": str,
    "all_caps": bool,
    "max_words_per_line": int,
    "x": int,
    "y": int,
    "position": str,
    "alignment": str,
    "font_family": str,
    "font_size": int,
    "bold": bool,
    "italic": bool,
    "underline": bool,
    "strikeout": bool,
    "style": str,
    "outline_width": int,
    "spacing": int,
    "angle": int,
    "shadow_offset": int,
}

_TIME = re.compile(r"^(\d+):([0-5]\d):([0-5]\d)(?:\.(\d{1,3}))?$")


def _time_ms(value: str) -> int:
    match = _TIME.match(value)
    if not match:
        raise ConfigError(f"revid: {value!r} is not a time in hh:mm:ss.ms form")
    h, m, s, frac = match.groups()
    return ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int((frac or "0").ljust(3, "0"))


def check_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    """Validate caption settings as the service would, and return them as a dict.

    >>> check_settings({"style": "karaoke", "font_size": 40})
    {'style': 'karaoke', 'font_size': 40}
    >>> check_settings({"colour": "red"})
    Traceback (most recent call last):
    ...
    subkit.errors.ConfigError: revid: unknown caption setting(s): colour (the service rejects them)

    Raises:
        ConfigError: an unknown key, a value of the wrong type, or an unknown enum value.
    """
    unknown = sorted(set(settings) - set(SETTINGS))
    if unknown:
        raise ConfigError(f"revid: unknown caption setting(s): {', '.join(unknown)} (the service rejects them)")
    for key, value in settings.items():
        expected = SETTINGS[key]
        # bool is an int in Python but not in JSON Schema.
        if (expected is int and isinstance(value, bool)) or not isinstance(value, expected):
            raise ConfigError(f"revid: setting {key} must be {getattr(expected, '__name__', expected)}, "
                              f"not {value!r}")
    # The values themselves (enumerations, #RRGGBB colours, ranges, x with y) follow the
    # same rules as the local style op, so a settings file means the same in both places.
    try:
        StyleSettings.from_json(settings)
    except OperationError as exc:
        raise ConfigError(f"revid: {exc}") from None
    return dict(settings)


def request_body(
    media_url: str,
    *,
    settings: Mapping[str, Any] | None,
    replace: Sequence[Mapping[str, str]] | None,
    exclude_time_ranges: Sequence[Mapping[str, str]] | None,
    language: str | None,
    canvas: tuple[int, int] | None,
    id: str | None,
    webhook_url: str | None,
) -> dict[str, Any]:
    """The JSON body of ``generate/ass``, checked as the service's schema would check it.

    Arguments as :meth:`RevidClient.generate_ass`.

    >>> request_body("https://x.test/a.mp4", settings=None, replace=None, exclude_time_ranges=None,
    ...              language=None, canvas=(1080, 1920), id=None, webhook_url=None)
    {'media_url': 'https://x.test/a.mp4', 'canvas_width': 1080, 'canvas_height': 1920}

    Raises:
        ConfigError: anything the service would reject.
    """
    if not media_url.startswith(("http://", "https://")):
        raise ConfigError(f"revid: media_url must be an http(s) URL, not {media_url!r}")
    body: dict[str, Any] = {"media_url": media_url}
    if settings:
        body["settings"] = check_settings(settings)
    if replace:
        rules = []
        for rule in replace:
            if set(rule) != {"find", "replace"} or not all(isinstance(v, str) for v in rule.values()):
                raise ConfigError("revid: each replace rule needs exactly 'find' and 'replace' strings")
            rules.append(dict(rule))
        body["replace"] = rules
    if exclude_time_ranges:
        ranges = []
        for item in exclude_time_ranges:
            if set(item) != {"start", "end"}:
                raise ConfigError("revid: each excluded range needs exactly 'start' and 'end'")
            if _time_ms(item["end"]) <= _time_ms(item["start"]):
                raise ConfigError(f"revid: excluded range {item['start']}-{item['end']} ends before it starts")
            ranges.append(dict(item))
        body["exclude_time_ranges"] = ranges
    if language:
        body["language"] = language
    if canvas is not None:
        width, height = canvas
        if width < 1 or height < 1:
            raise ConfigError("revid: the canvas width and height must be >= 1")
        # The schema takes both or neither, so they travel together.
        body["canvas_width"], body["canvas_height"] = int(width), int(height)
    if id is not None:
        body["id"] = id
    if webhook_url:
        body["webhook_url"] = webhook_url
    return body


class RevidClient(BaseClient):
    """A client of Revid's ASS caption API.

    Args:
        api_key: the ``x-api-key``.
        status_404_retries: polls that may answer "job not found" before the
            job counts as failed (job records may not be visible at once).
        **options: see :class:`~subkit.providers._base.BaseClient`; the read
            timeout defaults to 15 minutes for synchronous requests.
    """

    name = "revid"
    default_base_url = "https://api.revidapi.com"
    default_poll = PollPolicy(interval=5.0, max_interval=30.0, deadline=3600.0)
    default_timeouts = Timeouts(read=900.0)

    def __init__(self, api_key: str, *, status_404_retries: int = 2, **options: Any) -> None:
        if not api_key:
            raise ConfigError("revid: an API key is required")
        super().__init__(secrets=(api_key,), **options)
        self._api_key = api_key
        self.status_404_retries = status_404_retries

    @classmethod
    def from_settings(cls, settings: Mapping[str, str], **kwargs: Any) -> RevidClient:
        """A client from the ``api_key`` (and optional ``base_url``) settings.

        Raises:
            ConfigError: the key is missing.
        """
        (api_key,) = cls._require(settings, "api_key")
        kwargs.setdefault("base_url", settings.get("base_url"))
        return cls(api_key, **kwargs)

    def _auth_headers(self) -> Mapping[str, str]:
        return {"x-api-key": self._api_key}

    # ---------------------------------------------------------------- errors

    @staticmethod
    def _error_fields(body: Any) -> tuple[str, list[str]]:
        """The error text and available fonts, from ``message`` (string or object) or the top level."""
        if not isinstance(body, dict):
            return (str(body) if body else ""), []
        message = body.get("message")
        parts: list[Any] = [message, body] if isinstance(message, dict) else [body]
        error = ""
        fonts: list[str] = []
        for part in parts:
            if not error and part.get("error"):
                error = str(part["error"])
            if not fonts and isinstance(part.get("available_fonts"), list):
                fonts = [str(f) for f in part["available_fonts"]]
        if not error and isinstance(message, str):
            error = message
        return error, fonts

    def _raise_for(self, status: int, body: Any) -> None:
        error, fonts = self._error_fields(body)
        text = self.redactor(error or f"HTTP {status}")
        code = str(status)
        cls: type[ProviderError]
        if status == 401 or status == 403:
            cls = ProviderAuthError
        elif status == 402:
            cls = ProviderQuotaError
        elif status == 429:
            cls = ProviderRateLimitError
        elif status == 400:
            cls = ProviderInputError
            if fonts:
                text += f"; available fonts: {', '.join(fonts)}"
        elif status >= 500:
            cls = ProviderJobFailed
        else:
            cls = ProviderProtocolError
        raise cls(f"revid: {text}", provider=self.name, code=code)

    def _envelope(self, response: Any) -> dict[str, Any]:
        body = json_body(response, self.name, redact=self.redactor)
        if not 200 <= response.status_code < 300:
            self._raise_for(response.status_code, body)
        if not isinstance(body, dict):
            raise ProviderProtocolError("revid: the answer is not a JSON object", provider=self.name)
        return body

    # ---------------------------------------------------------------- API calls

    def generate_ass(
        self,
        media_url: str,
        *,
        settings: Mapping[str, Any] | None = None,
        replace: Sequence[Mapping[str, str]] | None = None,
        exclude_time_ranges: Sequence[Mapping[str, str]] | None = None,
        language: str | None = None,
        canvas: tuple[int, int] | None = None,
        id: str | None = None,
        webhook_url: str | None = None,
    ) -> dict[str, Any]:
        """``POST /paid/media/generate/ass``: the final envelope (sync) or the 202 job record (webhook).

        Args:
            media_url: the media's public URL.
            settings: caption settings (:data:`SETTINGS`).
            replace: ``{"find", "replace"}`` rules applied to the text.
            exclude_time_ranges: ``{"start", "end"}`` ranges (``hh:mm:ss.ms``) left without captions.
            language: the spoken language; the service detects it (``auto``) when ``None``.
            canvas: ``(width, height)`` of the ASS canvas (PlayResX/Y).
            id: your own id, echoed back.
            webhook_url: queue the job and POST the result there.

        Raises:
            ConfigError: invalid arguments (checked before sending).
            ProviderError: the service refused or failed. A 500 is tried once
                more, then counts as a failed job.
        """
        body = request_body(media_url, settings=settings, replace=replace, exclude_time_ranges=exclude_time_ranges,
                        language=language, canvas=canvas, id=id, webhook_url=webhook_url)
        # 429 (queue full) and 5xx are retried by the session; a 500 once at most, since
        # the work may have been done (and billed) before it failed.
        attempts = 0
        while True:
            try:
                response = self.session.request("POST", "/paid/media/generate/ass", create=True, json=body,
                                                retry_statuses=frozenset({429, 502, 503, 504}))
            except ProviderTransportError as exc:
                if exc.code is None:  # the connection failed: not a verdict on the job
                    raise
                raise ProviderJobFailed(f"revid: {exc.message}", provider=self.name, code=exc.code,
                                        maybe_created=exc.maybe_created) from exc
            if response.status_code == 500 and attempts < 1:
                attempts += 1
                self.clock.sleep(self.session.retry.delay(0, self.session.rand()))
                continue
            return self._envelope(response)

    def job_status(self, job_id: str) -> dict[str, Any]:
        """``POST /paid/get/job/status``: the status envelope of a queued job.

        Raises:
            ProviderJobFailed: the job is unknown (HTTP 404).
            ProviderError: any other failure.
        """
        response = self.session.request("POST", "/paid/get/job/status", json={"job_id": job_id})
        if response.status_code == 404:
            raise ProviderJobFailed(f"revid: job {job_id} not found", provider=self.name, code="404")
        return self._envelope(response)

    def wait(self, job_id: str) -> dict[str, Any]:
        """Poll a queued job until it is done; returns its final envelope.

        Raises:
            ProviderJobFailed: the job failed, or stayed unknown after ``status_404_retries`` polls.
            ProviderTimeout: the polling deadline passed.
        """
        start = self.clock.now()
        misses = 0

        def check() -> dict[str, Any] | None:
            nonlocal misses
            try:
                envelope = self.job_status(job_id)
            except ProviderJobFailed as exc:
                if exc.code == "404" and misses < self.status_404_retries:
                    misses += 1
                    return None
                raise
            record = envelope.get("response")
            if not isinstance(record, dict):
                raise ProviderProtocolError("revid: the job status has no response record", provider=self.name)
            status = str(record.get("job_status", ""))
            self._emit("wait", job=job_id, status=status, elapsed=self.clock.now() - start)
            if status == "failed":
                final = record.get("response")
                error, _ = self._error_fields(final)
                raise ProviderJobFailed(f"revid: job {job_id} failed: {error or 'no reason given'}",
                                        provider=self.name)
            if status != "done":
                return None
            final = record.get("response")
            if not isinstance(final, dict):
                raise ProviderProtocolError("revid: a done job has no result envelope", provider=self.name)
            return final

        return poll(check, policy=self.poll_policy, clock=self.clock, provider=self.name, what=f"job {job_id}")

    def _ass_url(self, envelope: Mapping[str, Any]) -> str:
        """The .ass URL of a final envelope, or the failure it reports."""
        code = envelope.get("code", 200)
        if str(code) != "200":
            error, fonts = self._error_fields(envelope)
            text = error or "no reason given"
            if fonts:
                text += f"; available fonts: {', '.join(fonts)}"
            raise ProviderJobFailed(f"revid: the job failed ({code}): {self.redactor(text)}", provider=self.name,
                                    code=str(code))
        url = envelope.get("response")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise ProviderProtocolError("revid: the result holds no file URL", provider=self.name)
        return url

    def download_ass(self, url: str) -> str:
        """The ASS text at ``url`` (cloud storage: no API key is sent).

        Raises:
            ProviderError: the download failed.
        """
        return decode_payload(self.session.download(url))

    # ---------------------------------------------------------------- high level

    def submit(self, media_url: str, **options: Any) -> dict[str, Any]:
        """Send the job (see :meth:`generate_ass` for the options); returns the job record for :meth:`finish`.

        In synchronous mode this waits for the file; the record then holds its URL.

        Raises:
            ConfigError: invalid options.
            ProviderError: the service refused or failed.
        """
        settings = options.get("settings") or {}
        self._emit("submit", status="queued" if options.get("webhook_url") else "generating")
        envelope = self.generate_ass(media_url, **options)
        record: dict[str, Any] = {"provider": self.name, "media_url": media_url,
                                  "style": settings.get("style", "classic")}
        if options.get("webhook_url"):
            job_id = envelope.get("job_id")
            if not isinstance(job_id, str) or not job_id:
                raise ProviderProtocolError("revid: the queued job has no job_id", provider=self.name)
            record.update(mode="webhook", job_id=job_id)
        else:
            record.update(mode="sync", job_id=envelope.get("job_id"), ass_url=self._ass_url(envelope))
        if options.get("id") is not None:
            record["id"] = options["id"]
        return record

    def finish(self, record: Mapping[str, Any], *, keep_layers: bool = False) -> FetchResult:
        """Wait for the job if it was queued, download the ASS and read it (styles kept).

        Args:
            record: what :meth:`submit` returned.
            keep_layers: keep events above layer 0 even for non-classic
                styles (they duplicate the base cues).

        Raises:
            ProviderError: the job failed or the file cannot be fetched or read.
        """
        url = record.get("ass_url")
        job_id = str(record.get("job_id") or record.get("id") or "revid")
        if not url:
            url = self._ass_url(self.wait(job_id))
        self._emit("download", job=job_id, status="done", percent=100.0)
        text = self.download_ass(str(url))
        file = self._parse(text, format="ass", language=None, role="source", name=f"{job_id}.ass")
        if record.get("style", "classic") != "classic" and not keep_layers:
            doc = file.document
            kept = tuple(cue for cue in doc.cues if cue.placement.layer == 0)
            file = type(file)(format=file.format, text=file.text, language=file.language, role=file.role,
                              name=file.name, document=doc.with_cues(kept))
        job = {**record, "ass_url": url, "status": "done"}
        return FetchResult(provider=self.name, job=job, files=(file,))

    def fetch(self, media_url: str, *, keep_layers: bool = False, **options: Any) -> FetchResult:
        """Generate captions for ``media_url`` and return them read into a document.

        Args:
            media_url: the media's public URL.
            keep_layers: see :meth:`finish`.
            **options: see :meth:`generate_ass`.

        Raises:
            ConfigError: invalid options.
            ProviderError: any failure of the service or the network.
        """
        return self.finish(self.submit(media_url, **options), keep_layers=keep_layers)
