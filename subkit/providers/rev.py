"""Rev (rev.com) API v1: automated (AI) and human caption orders.

The flow: stage the media with ``POST /inputs`` (by URL, or by uploading the
file), place an order with ``POST /orders``, poll ``GET /orders/{number}``
until its status is ``Complete``, then download the caption attachment in any
caption format (the format is picked at download time by the ``Accept``
header). Every call carries ``Authorization: Rev <client key>:<user key>``.

Orders may carry a ``client_ref`` (up to 40 characters). :meth:`RevClient.submit`
looks it up first and reuses an existing order instead of placing a second
one; it also uses it to recover an order whose creation timed out.

Example::

    from subkit.providers.rev import RevClient

    with RevClient("client-key", "user-key") as client:
        result = client.fetch(media_url="https://example.com/interview.mp4", language="en",
                              client_ref="interview-2024-05")
    result.document.cues[0]
"""

from __future__ import annotations

import mimetypes
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx

import subkit
from subkit.errors import (
    ConfigError,
    ProviderAuthError,
    ProviderError,
    ProviderInputError,
    ProviderJobFailed,
    ProviderProtocolError,
    ProviderQuotaError,
    SubkitError,
    UnknownFormatError,
)
from subkit.providers._base import BaseClient
from subkit.providers._http import PollPolicy, decode_payload, json_body, poll
from subkit.providers._result import FetchResult, Role, SubtitleFile

__all__ = ["CAPTION_FORMATS", "HUMAN_POLL", "OUTPUT_FORMATS", "SANDBOX_URL", "RevClient"]

#: The legacy sandbox host (the current one is production plus ``sandbox_mode``).
SANDBOX_URL = "https://api-sandbox.rev.com/api/v1"

#: Values of ``output_file_formats`` in an order.
OUTPUT_FORMATS = ("SubRip", "Scc", "Mcc", "Ttml", "QTtext", "Transcript", "WebVtt", "Dfxp", "CheetahCap", "Stl",
                  "AvidDs", "AvidDvd", "FacebookSubRip", "EbuStl")

#: Caption formats for download: name -> (MIME type for ``Accept``, suffix of ``/content.<suffix>``,
#: the subkit reader of the format, or ``None`` when it is binary or has none).
CAPTION_FORMATS: dict[str, tuple[str, str, str | None]] = {
    "srt": ("application/x-subrip", "srt", "srt"),
    "webvtt": ("text/vtt", "vtt", "webvtt"),
    "scc": ("text/x-scc", "scc", "scc"),
    "mcc": ("text/x-mcc", "mcc", "mcc"),
    "ttml": ("application/ttml+xml", "ttml", "ttml"),
    "dfxp": ("application/ttaf+xml", "dfxp", "dfxp"),
    "qt": ("application/x-quicktime-timedtext", "qt", "qt_text"),
    "cheetah": ("application/x-cheetah-cap", "cap", None),
    "stl": ("text/x-stl", "stl", "spruce_stl"),
    "avid_ds": ("text/vnd.avid-ds", "txt", "avid_ds"),
}

#: The MIME type asked for a transcript attachment.
TRANSCRIPT_TYPE = "application/json"

#: Polling of human orders: every 30 s to 2 min, for up to 72 hours.
HUMAN_POLL = PollPolicy(interval=30.0, max_interval=120.0, deadline=72 * 3600.0)

#: Rev's 400 codes that mean the account cannot pay.
_QUOTA_CODES = frozenset({"30001", "30002", "30010", "30011"})


def _status_kind(status: str) -> str:
    """``ready``, ``failed`` or ``pending`` for a free-text order status (case does not matter)."""
    key = status.strip().lower()
    if key in ("complete", "completed"):
        return "ready"
    # Doc versions spell it both ways.
    if key in ("cancelled", "canceled"):
        return "failed"
    return "pending"


def _reader(format: str) -> str:
    """The registered text reader for a download format.

    Raises:
        ConfigError: subkit cannot read ``format`` (unknown, binary, or its reader is not installed).
    """
    from subkit import formats

    reader = CAPTION_FORMATS.get(format, ("", "", None))[2]
    if reader is not None and reader in formats.names() and not formats.get(reader).binary:
        return reader
    readable = [k for k, v in CAPTION_FORMATS.items() if v[2] and v[2] in formats.names()]
    raise ConfigError(f"rev: subkit cannot read {format!r} downloads; choose one of {', '.join(readable)}")


class RevClient(BaseClient):
    """A client of the Rev API v1.

    Args:
        client_key: the client (application) API key.
        user_key: the user API key.
        sandbox: put ``sandbox_mode: true`` in every order (orders complete
            after a few minutes with sample files, nothing is charged). For
            the legacy sandbox host pass ``base_url=SANDBOX_URL``.
        **options: see :class:`~subkit.providers._base.BaseClient`. AI orders
            are polled every 10 s to 60 s for up to two hours, human orders
            by :data:`HUMAN_POLL` unless ``poll`` is given.
    """

    name = "rev"
    default_base_url = "https://api.rev.com/api/v1"
    default_poll = PollPolicy(interval=10.0, max_interval=60.0, deadline=2 * 3600.0)

    def __init__(self, client_key: str, user_key: str, *, sandbox: bool = False, **options: Any) -> None:
        if not client_key or not user_key:
            raise ConfigError("rev: client_key and user_key are required")
        self._poll_given = options.get("poll") is not None
        super().__init__(secrets=(f"{client_key}:{user_key}", client_key, user_key), **options)
        self._authorization = f"Rev {client_key}:{user_key}"
        self.sandbox = sandbox

    @classmethod
    def from_settings(cls, settings: Mapping[str, str], **kwargs: Any) -> RevClient:
        """A client from ``client_key``, ``user_key`` and optional ``base_url`` and ``sandbox`` settings.

        Raises:
            ConfigError: a key is missing.
        """
        client_key, user_key = cls._require(settings, "client_key", "user_key")
        kwargs.setdefault("base_url", settings.get("base_url"))
        kwargs.setdefault("sandbox", settings.get("sandbox", "").lower() in ("1", "true", "yes"))
        return cls(client_key, user_key, **kwargs)

    def _auth_headers(self) -> Mapping[str, str]:
        return {"Authorization": self._authorization}

    # ---------------------------------------------------------------- errors

    def _error(self, response: httpx.Response, what: str, *, on_403: type[ProviderError] = ProviderAuthError,
               on_404: type[ProviderError] = ProviderInputError) -> ProviderError:
        status = response.status_code
        code: str | None = str(status)
        message = ""
        if status == 400:
            try:
                body = response.json()
            except ValueError:
                body = None
            if isinstance(body, dict):
                # The code is a string in the docs and a number in recorded answers.
                code = str(body.get("code")) if body.get("code") is not None else code
                message = str(body.get("message") or "")
            cls: type[ProviderError] = ProviderQuotaError if code in _QUOTA_CODES else ProviderInputError
        elif status == 401:
            cls, message = ProviderAuthError, "not authorised (check the client and user keys)"
        elif status == 403:
            cls, message = on_403, "not allowed"
        elif status == 404:
            cls, message = on_404, "not found"
        else:
            cls, message = ProviderProtocolError, f"unexpected HTTP {status}"
        text = self.redactor(f"rev: {what}: {message or 'rejected'} (code {code})")
        return cls(text, provider=self.name, code=code)

    def _json(self, response: httpx.Response) -> Any:
        return json_body(response, self.name, redact=self.redactor)

    # ---------------------------------------------------------------- inputs

    def _location(self, response: httpx.Response, what: str) -> str:
        if response.status_code != 201:
            raise self._error(response, what)
        location = str(response.headers.get("location", ""))
        if not location:
            raise ProviderProtocolError(f"rev: {what}: no Location in the answer", provider=self.name)
        return location

    def upload_url(self, url: str, *, filename: str | None = None, content_type: str | None = None) -> str:
        """Stage media that Rev downloads from ``url``; returns its ``urn:rev:inputmedia:...`` URI.

        Raises:
            ProviderError: Rev refused (10002: it could not fetch the file).
        """
        body: dict[str, str] = {"url": url}
        if filename:
            body["filename"] = filename
        if content_type:
            body["content_type"] = content_type
        response = self.session.request("POST", "/inputs", create=True, json=body)
        return self._location(response, "staging the media URL")

    def upload_file(self, path: str | os.PathLike[str], *, content_type: str | None = None,
                    multipart: bool = False) -> str:
        """Upload a media file; returns its input URI.

        The file is sent as the raw body with ``Content-Disposition`` (or as
        a one-part multipart form with ``multipart``). The write timeout grows
        with the size: 60 s plus 1 s per MB.

        Raises:
            SubkitIOError: the file cannot be read.
            ProviderError: Rev refused it.
        """
        from subkit.errors import SubkitIOError

        target = Path(path)
        try:
            data = target.read_bytes()
        except OSError as exc:
            raise SubkitIOError(f"{target}: cannot read the media file: {exc.strerror or exc}",
                                path=str(target)) from None
        kind = content_type or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        base = self.session.timeouts
        timeout = httpx.Timeout(connect=base.connect, read=base.read, pool=base.pool,
                                write=60.0 + len(data) / 1_000_000)
        if multipart:
            response = self.session.request("POST", "/inputs", create=True, timeout=timeout,
                                            files={"media": (target.name, data, kind)})
        else:
            safe = target.name.replace('"', "")
            response = self.session.request(
                "POST", "/inputs", create=True, content=data, timeout=timeout,
                headers={"Content-Type": kind, "Content-Disposition": f'attachment; filename="{safe}"'})
        return self._location(response, f"uploading {target.name}")

    # ---------------------------------------------------------------- orders

    def place_caption_order(
        self,
        inputs: Sequence[Mapping[str, Any]],
        *,
        output_file_formats: Sequence[str] = ("SubRip",),
        inputs_language: str | None = None,
        human: bool = False,
        subtitle_languages: Sequence[str] | None = None,
        sandbox_mode: bool | None = None,
        client_ref: str | None = None,
        notification: Mapping[str, str] | None = None,
        burned_in_captions: bool | None = None,
        ponumber: str | None = None,
        workspace_id: str | None = None,
        non_standard_tat_guarantee: bool | None = None,
    ) -> str:
        """Place a caption order; returns the order number.

        Args:
            inputs: each ``{"uri": ...}`` or ``{"external_link": ...}``, with
                ``video_length_seconds`` when known (whole seconds, rounded up).
            output_file_formats: values of :data:`OUTPUT_FORMATS`.
            inputs_language: the spoken language.
            human: a human caption order (``caption_options``) instead of an AI one.
            subtitle_languages: foreign-language subtitles (human orders).
            sandbox_mode: overrides the client's ``sandbox``.
            client_ref: your reference, at most 40 characters.
            notification: ``{"url", "level", "content_type"}`` for Rev's callbacks.
            burned_in_captions, ponumber, workspace_id, non_standard_tat_guarantee: passed as given.

        Raises:
            ConfigError: invalid arguments.
            ProviderError: Rev refused the order.
        """
        if not inputs:
            raise ConfigError("rev: an order needs at least one input")
        checked = []
        for item in inputs:
            if ("uri" in item) == ("external_link" in item):
                raise ConfigError("rev: each input needs exactly one of uri and external_link")
            checked.append(dict(item))
        bad = [f for f in output_file_formats if f not in OUTPUT_FORMATS]
        if bad:
            raise ConfigError(f"rev: unknown output format(s) {', '.join(bad)} (known: {', '.join(OUTPUT_FORMATS)})")
        if client_ref is not None and len(client_ref) > 40:
            raise ConfigError("rev: client_ref is limited to 40 characters")
        options: dict[str, Any] = {"inputs": checked, "output_file_formats": list(output_file_formats)}
        if inputs_language:
            options["inputs_language"] = inputs_language
        if subtitle_languages:
            options["subtitle_languages"] = list(subtitle_languages)
        body: dict[str, Any] = {"caption_options" if human else "automated_caption_options": options}
        sandbox = self.sandbox if sandbox_mode is None else sandbox_mode
        if sandbox:
            body["sandbox_mode"] = True
        for key, value in (("client_ref", client_ref), ("burned_in_captions", burned_in_captions),
                           ("ponumber", ponumber), ("workspace_id", workspace_id),
                           ("non_standard_tat_guarantee", non_standard_tat_guarantee)):
            if value is not None:
                body[key] = value
        if notification:
            body["notification"] = dict(notification)
        response = self.session.request("POST", "/orders", create=True, json=body)
        location = self._location(response, "placing the order")
        number = location.rstrip("/").rsplit("/", 1)[-1]
        if not number:
            raise ProviderProtocolError("rev: the order Location has no order number", provider=self.name)
        return number

    def get_order(self, order_number: str, *, known: bool = True) -> dict[str, Any]:
        """``GET /orders/{number}``: the order's details.

        Raises:
            ProviderJobFailed: a known order (``known``) is not found any more.
            ProviderInputError: an unknown order number.
            ProviderError: any other failure.
        """
        response = self.session.request("GET", f"/orders/{order_number}", headers={"Accept": "application/json"})
        if response.status_code != 200:
            raise self._error(response, f"order {order_number}",
                              on_404=ProviderJobFailed if known else ProviderInputError)
        body = self._json(response)
        if not isinstance(body, dict):
            raise ProviderProtocolError(f"rev: order {order_number}: not an object", provider=self.name)
        return body

    def list_orders(self, *, page: int = 0, page_size: int | None = None,
                    client_ref: str | None = None) -> dict[str, Any]:
        """``GET /orders``: one page (0-based) of orders, optionally only those with ``client_ref``.

        Raises:
            ProviderError: the request failed.
        """
        params: dict[str, Any] = {"page": page}
        if page_size is not None:
            params["pageSize"] = page_size
        if client_ref is not None:
            params["clientRef"] = client_ref
        response = self.session.request("GET", "/orders", params=params, headers={"Accept": "application/json"})
        if response.status_code != 200:
            raise self._error(response, "listing orders")
        body = self._json(response)
        if not isinstance(body, dict) or not isinstance(body.get("orders"), list):
            raise ProviderProtocolError("rev: the order list has no orders", provider=self.name)
        return body

    def iter_orders(self, *, client_ref: str | None = None, page_size: int | None = None) -> Iterator[dict[str, Any]]:
        """Every order (of ``client_ref``), page after page.

        Raises:
            ProviderError: a request failed.
        """
        page = 0
        while True:
            body = self.list_orders(page=page, page_size=page_size, client_ref=client_ref)
            orders = body["orders"]
            yield from (order for order in orders if isinstance(order, dict))
            try:
                total = int(body.get("total_count", 0))
                per_page = int(body.get("results_per_page") or len(orders) or 1)
            except (TypeError, ValueError):
                raise ProviderProtocolError("rev: bad paging fields in the order list", provider=self.name) from None
            if not orders or (page + 1) * per_page >= total:
                return
            page += 1

    def find_order(self, client_ref: str) -> dict[str, Any] | None:
        """The first order placed with ``client_ref``, or ``None``.

        Raises:
            ProviderError: a request failed.
        """
        for order in self.iter_orders(client_ref=client_ref):
            if order.get("client_ref") == client_ref:
                return order
        return None

    def cancel_order(self, order_number: str) -> None:
        """Cancel an order (allowed only while it has not started).

        Raises:
            ProviderInputError: Rev does not allow cancelling it (403) or it does not exist.
        """
        response = self.session.request("POST", f"/orders/{order_number}/cancel")
        if response.status_code not in (200, 204):
            raise self._error(response, f"cancelling {order_number}", on_403=ProviderInputError)

    # ---------------------------------------------------------------- attachments

    def get_attachment(self, attachment_id: str) -> dict[str, Any]:
        """``GET /attachments/{id}``: an attachment's metadata.

        Raises:
            ProviderError: the request failed.
        """
        response = self.session.request("GET", f"/attachments/{attachment_id}", headers={"Accept": "application/json"})
        if response.status_code != 200:
            raise self._error(response, f"attachment {attachment_id}")
        body = self._json(response)
        if not isinstance(body, dict):
            raise ProviderProtocolError("rev: attachment metadata is not an object", provider=self.name)
        return body

    def get_attachment_content(self, attachment_id: str, *, format: str = "srt", accept: str | None = None) -> str:
        """An attachment's content as text, in caption format ``format`` (a :data:`CAPTION_FORMATS` key).

        ``accept`` overrides the MIME type (``application/json`` for a
        transcript). When Rev answers 406 to the ``Accept`` header, the
        ``/content.<suffix>`` form is tried once.

        Raises:
            ConfigError: an unknown format.
            ProviderProtocolError: Rev cannot give that format.
            ProviderError: any other failure.
        """
        if format not in CAPTION_FORMATS and accept is None:
            raise ConfigError(f"rev: unknown caption format {format!r} (known: {', '.join(CAPTION_FORMATS)})")
        # An explicit Accept has no suffix form to fall back on.
        mime, suffix = (accept, "") if accept else CAPTION_FORMATS[format][:2]
        response = self.session.request("GET", f"/attachments/{attachment_id}/content",
                                        headers={"Accept": accept or mime})
        if response.status_code == 406 and suffix:
            response = self.session.request("GET", f"/attachments/{attachment_id}/content.{suffix}",
                                            headers={"Accept": "*/*"})
        if response.status_code == 406:
            raise ProviderProtocolError(f"rev: attachment {attachment_id} is not available as {accept or mime}",
                                        provider=self.name, code="406")
        if response.status_code != 200:
            raise self._error(response, f"attachment {attachment_id}")
        return decode_payload(response.content)

    # ---------------------------------------------------------------- high level

    def submit(
        self,
        *,
        media_url: str | None = None,
        file: str | os.PathLike[str] | None = None,
        external_link: str | None = None,
        video_length_seconds: float | None = None,
        language: str | None = None,
        client_ref: str | None = None,
        **order: Any,
    ) -> dict[str, Any]:
        """Stage the media and place an order, unless ``client_ref`` already names one.

        Exactly one of ``media_url``, ``file`` and ``external_link`` (a YouTube
        or Vimeo page) is needed. ``**order`` takes the other arguments of
        :meth:`place_caption_order`.

        Raises:
            ConfigError: no media or several.
            ProviderError: Rev refused.
        """
        if sum(x is not None for x in (media_url, file, external_link)) != 1:
            raise ConfigError("rev: give exactly one of media_url, file and external_link")
        human = bool(order.get("human"))
        if client_ref:
            existing = self.find_order(client_ref)
            if existing is not None and existing.get("order_number"):
                return self._record(str(existing["order_number"]), client_ref, human, reused=True)
        self._emit("submit", status="staging media")
        item: dict[str, Any]
        if external_link is not None:
            item = {"external_link": external_link}
        elif file is not None:
            item = {"uri": self.upload_file(file)}
        else:
            assert media_url is not None
            item = {"uri": self.upload_url(media_url)}
        if video_length_seconds is not None:
            item["video_length_seconds"] = int(-(-video_length_seconds // 1))
        self._emit("submit", status="placing order")
        try:
            number = self.place_caption_order([item], inputs_language=language, client_ref=client_ref, **order)
        except ProviderError as exc:
            # The order may exist although its answer was lost; client_ref finds it.
            if not (exc.maybe_created and client_ref):
                raise
            found = self.find_order(client_ref)
            if found is None or not found.get("order_number"):
                raise
            number = str(found["order_number"])
        return self._record(number, client_ref, human, reused=False)

    def _record(self, number: str, client_ref: str | None, human: bool, *, reused: bool) -> dict[str, Any]:
        return {"provider": self.name, "order_number": number, "client_ref": client_ref, "human": human,
                "reused": reused}

    def finish(self, record: Mapping[str, Any], *, format: str = "srt", transcript: bool = False) -> FetchResult:
        """Wait for an order to complete and download its captions (and transcript).

        Args:
            record: what :meth:`submit` returned.
            format: the caption format to download (a :data:`CAPTION_FORMATS`
                key subkit reads); the document is read from it.
            transcript: also download the transcript JSON, read as ``rev_json``.

        Raises:
            ProviderJobFailed: the order was cancelled or has no captions.
            ProviderTimeout: not complete by the deadline.
            ProviderError: any other failure.
        """
        reader = _reader(format)
        number = str(record["order_number"])
        policy = self.poll_policy
        if record.get("human") and not self._poll_given:
            policy = HUMAN_POLL
        start = self.clock.now()

        def check() -> dict[str, Any] | None:
            order = self.get_order(number)
            status = str(order.get("status", ""))
            self._emit("wait", job=number, status=status, elapsed=self.clock.now() - start)
            kind = _status_kind(status)
            if kind == "failed":
                raise ProviderJobFailed(f"rev: order {number} was {status.lower()}", provider=self.name,
                                        code=status)
            return order if kind == "ready" else None

        order = poll(check, policy=policy, clock=self.clock, provider=self.name, what=f"order {number}")
        attachments = [a for a in order.get("attachments") or [] if isinstance(a, dict)]
        captions = [a for a in attachments if a.get("kind") == "caption" and a.get("id")]
        if not captions:
            raise ProviderJobFailed(f"rev: order {number} is complete but has no caption attachment",
                                    provider=self.name)
        # The caption itself first; foreign-language subtitles after it.
        captions.sort(key=lambda a: 0 if a.get("deliverable_type") in (None, "caption", "ai_caption") else 1)
        self._emit("download", job=number, status="Complete", percent=100.0, elapsed=self.clock.now() - start)
        files: list[SubtitleFile] = []
        for attachment in captions:
            text = self.get_attachment_content(str(attachment["id"]), format=format)
            role: Role = "target" if attachment.get("deliverable_type") == "subtitle" else "source"
            files.append(self._parse(text, format=reader, language=None, role=role,
                                     name=f"{number}.{attachment['id']}.{CAPTION_FORMATS[format][1]}"))
        job: dict[str, Any] = {**record, "status": order.get("status"),
                               "attachments": [str(a["id"]) for a in captions]}
        if transcript:
            files.extend(self._transcripts(number, attachments, job))
        return FetchResult(provider=self.name, job=job, files=tuple(files))

    def _transcripts(self, number: str, attachments: list[dict[str, Any]], job: dict[str, Any]) -> list[SubtitleFile]:
        found = [a for a in attachments if a.get("kind") == "transcript" and a.get("id")]
        files: list[SubtitleFile] = []
        for attachment in found:
            text = self.get_attachment_content(str(attachment["id"]), accept=TRANSCRIPT_TYPE)
            name = f"{number}.{attachment['id']}.json"
            try:
                doc = subkit.loads(text, format="rev_json", source=name)
            except UnknownFormatError:
                job["transcript"] = "downloaded, but this subkit has no rev_json reader"
                continue
            except SubkitError as exc:
                raise ProviderProtocolError(f"rev: the transcript is not valid Rev JSON: {exc}",
                                            provider=self.name) from exc
            files.append(SubtitleFile(format="rev_json", text=text, language=None, role="transcript",
                                      name=name, document=doc))
        return files

    def fetch(self, *, format: str = "srt", transcript: bool = False, **options: Any) -> FetchResult:
        """Order captions for one media and return them: :meth:`submit` then :meth:`finish`.

        Args:
            format: the caption format to download and read.
            transcript: also download the transcript JSON.
            **options: see :meth:`submit`.

        Raises:
            ConfigError: invalid options.
            ProviderError: any failure of the service or the network.
        """
        return self.finish(self.submit(**options), format=format, transcript=transcript)
