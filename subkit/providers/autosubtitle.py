"""Autosubtitle Online (API v1): subtitles, and translations, for a media URL.

The service has three calls: upload a media URL (it returns a file tag),
start subtitle generation for the tag, and download the SRT. There is no
status call, so readiness is found by polling the download: code 3001 means
"not ready yet" until the deadline (an assumption, ``providers.md`` §1).

Every call carries ``user_id`` and ``access_key``, the download as URL query
parameters, which is why logged and quoted URLs are always redacted.

Example (against a test server; the client works the same on the real one)::

    from subkit.providers.autosubtitle import AutosubtitleClient

    with AutosubtitleClient("42", "my-access-key") as client:
        result = client.fetch("https://example.com/talk.mp4", language="en", translate_to="fr")
    result.document            # the French subtitles
    result.files[1].document   # the English ones
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from subkit.errors import (
    ConfigError,
    ProviderAuthError,
    ProviderError,
    ProviderInputError,
    ProviderJobFailed,
    ProviderProtocolError,
    ProviderQuotaError,
    ProviderTransportError,
)
from subkit.providers._base import BaseClient
from subkit.providers._http import PollPolicy, Timeouts, decode_payload, json_body, poll
from subkit.providers._result import FetchResult, SubtitleFile

__all__ = ["ERROR_CODES", "AutosubtitleClient", "SubtitleType"]

#: What to download: the spoken language, the translation, or both in one file.
SubtitleType = Literal["source", "target", "double"]

#: ``err_code`` of a successful call.
OK = 1000
#: ``err_code`` of a download that is not ready (or failed; the API does not say which).
NOT_READY = 3001

#: Known error codes: code -> (error class, meaning). 1005 and 2002 are retried first (see the client).
ERROR_CODES: dict[int, tuple[type[ProviderError], str]] = {
    1001: (ProviderAuthError, "invalid access key"),
    1002: (ProviderQuotaError, "exceeds the upload limit"),
    1003: (ProviderInputError, "format error"),
    1004: (ProviderInputError, "invalid or nonexistent video"),
    1005: (ProviderTransportError, "upload failed, try again"),
    1006: (ProviderInputError, "the provider could not fetch the media URL"),
    2001: (ProviderProtocolError, "missing video tag"),
    2002: (ProviderInputError, "video not uploaded"),
    2003: (ProviderQuotaError, "not enough time left on the account"),
    2004: (ProviderJobFailed, "the video failed to load"),
    2005: (ProviderJobFailed, "parsing failed (audio or noise reduction); try again without noise reduction"),
    2006: (ProviderJobFailed, "processing failed"),
    2007: (ProviderJobFailed, "processing failed"),
    2008: (ProviderJobFailed, "processing failed"),
    2009: (ProviderJobFailed, "processing failed"),
    2010: (ProviderJobFailed, "processing failed"),
    3001: (ProviderJobFailed, "subtitle download failed"),
}

_UPLOAD = "/p/tts/upload_api"
_GENERATE = "/p/tts/generate_subtitles_api"
_DOWNLOAD = "/p/tts/download_subtitles_api"


class AutosubtitleClient(BaseClient):
    """A client of the Autosubtitle Online API.

    Args:
        user_id: the account's user id.
        access_key: the access key from the "myinfo" page.
        flags: how booleans are sent, ``(true, false)``; ``("1", "0")`` is
            assumed (the API does not document it).
        upload_retries: re-uploads after code 1005 ("upload failed, try again").
        generate_retries: generate calls repeated after code 2002 ("video not
            uploaded"), within ``generate_window`` seconds of the upload.
        generate_window: see ``generate_retries``.
        **options: see :class:`~subkit.providers._base.BaseClient`.
    """

    name = "autosubtitle"
    default_base_url = "https://api.autosubtitle.online"
    # No status call: readiness is polled on the download, 10 s to 60 s apart, for up to an hour.
    default_poll = PollPolicy(interval=10.0, max_interval=60.0, deadline=3600.0)
    # The upload makes the service fetch the URL, which can be slow.
    default_timeouts = Timeouts(read=60.0)

    def __init__(
        self,
        user_id: str,
        access_key: str,
        *,
        flags: tuple[str, str] = ("1", "0"),
        upload_retries: int = 2,
        generate_retries: int = 3,
        generate_window: float = 30.0,
        **options: Any,
    ) -> None:
        if not user_id or not access_key:
            raise ConfigError("autosubtitle: user_id and access_key are required")
        super().__init__(secrets=(access_key,), **options)
        self._user_id = user_id
        self._access_key = access_key
        self.flags = flags
        self.upload_retries = upload_retries
        self.generate_retries = generate_retries
        self.generate_window = generate_window

    @classmethod
    def from_settings(cls, settings: Mapping[str, str], **kwargs: Any) -> AutosubtitleClient:
        """A client from ``user_id``, ``access_key`` and optionally ``base_url`` settings.

        Raises:
            ConfigError: a credential is missing.
        """
        user_id, access_key = cls._require(settings, "user_id", "access_key")
        kwargs.setdefault("base_url", settings.get("base_url"))
        return cls(user_id, access_key, **kwargs)

    # ---------------------------------------------------------------- API calls

    def _auth(self) -> dict[str, str]:
        return {"user_id": self._user_id, "access_key": self._access_key}

    def _flag(self, value: bool) -> str:
        return self.flags[0] if value else self.flags[1]

    def _error(self, code: int, body: Any) -> ProviderError:
        cls, meaning = ERROR_CODES.get(code, (ProviderProtocolError, "unknown error code"))
        detail = body.get("msg") if isinstance(body, dict) else None
        text = f"{meaning} ({detail})" if detail and str(detail) != meaning else meaning
        return cls(f"autosubtitle: error {code}: {self.redactor(text)}", provider=self.name, code=str(code))

    def _call(self, method: str, path: str, *, create: bool = False, **kwargs: Any) -> dict[str, Any]:
        """Send a call and return its JSON envelope; ``err_code`` first, then the HTTP status."""
        response = self.session.request(method, path, create=create, **kwargs)
        text = response.text
        if response.status_code in (401, 403) and not text.strip().startswith("{"):
            raise ProviderAuthError(f"autosubtitle: HTTP {response.status_code}: not authorised",
                                    provider=self.name, code=str(response.status_code))
        body = json_body(response, self.name, redact=self.redactor)
        if not isinstance(body, dict) or "err_code" not in body:
            raise ProviderProtocolError(f"autosubtitle: {path}: no err_code in the answer", provider=self.name)
        return body

    def _code(self, body: Mapping[str, Any]) -> int:
        try:
            return int(body["err_code"])
        except (TypeError, ValueError):
            raise ProviderProtocolError(f"autosubtitle: err_code is not a number: {body['err_code']!r}",
                                        provider=self.name) from None

    def upload(self, media_url: str) -> str:
        """Upload media by URL; returns the file tag.

        Code 1005 ("upload failed, try again") is retried ``upload_retries`` times.

        Raises:
            ProviderError: the upload failed (see :data:`ERROR_CODES`).
        """
        attempts = 0
        while True:
            body = self._call("POST", _UPLOAD, create=True, data={**self._auth(), "url": media_url})
            code = self._code(body)
            if code == 1005 and attempts < self.upload_retries:
                attempts += 1
                self.clock.sleep(self.session.retry.delay(attempts - 1, self.session.rand()))
                continue
            if code != OK:
                raise self._error(code, body)
            tags = body.get("tag")
            # The tag comes as a list; its first element is the file tag (an assumption).
            if isinstance(tags, str) and tags:
                return tags
            if not isinstance(tags, list) or not tags or not isinstance(tags[0], (str, int)):
                raise ProviderProtocolError("autosubtitle: the upload returned no file tag", provider=self.name)
            return str(tags[0])

    def generate(
        self,
        filetag: str,
        *,
        language: str,
        translate_to: str | None = None,
        noise_reduction: bool = False,
        enhanced: bool = False,
    ) -> None:
        """Start subtitle generation for an uploaded file.

        Args:
            filetag: the tag :meth:`upload` returned.
            language: the spoken language (Google speech codes with ``enhanced``).
            translate_to: also translate into this language.
            noise_reduction: clean up the audio first.
            enhanced: the enhanced recogniser.

        Raises:
            ProviderError: the service refused (see :data:`ERROR_CODES`).
        """
        form = {
            **self._auth(),
            "filetag": filetag,
            "slan": language,
            "is_translate": self._flag(translate_to is not None),
            "tlan": translate_to or "",
            "is_email": self._flag(False),
            "is_noise_reduction": self._flag(noise_reduction),
            "is_enhanced": self._flag(enhanced),
        }
        start = self.clock.now()
        attempts = 0
        while True:
            body = self._call("POST", _GENERATE, create=True, data=form)
            code = self._code(body)
            # 2002 right after an upload: the file is not registered yet; try again briefly.
            if (code == 2002 and attempts < self.generate_retries
                    and self.clock.now() - start < self.generate_window):
                attempts += 1
                self.clock.sleep(self.session.retry.delay(attempts - 1, self.session.rand()))
                continue
            if code != OK:
                raise self._error(code, body)
            return

    def download(self, filetag: str, *, subtitle_type: SubtitleType = "source", fmt: str = "srt") -> str | None:
        """The subtitles as SRT text, or ``None`` while they are not ready (code 3001).

        The answer's form is not documented: a JSON envelope is read (its
        first string field holding ``-->`` is the SRT), anything else is taken
        as the SRT itself.

        Raises:
            ProviderError: the job failed or the answer makes no sense.
        """
        response = self.session.request(
            "GET", _DOWNLOAD,
            params={**self._auth(), "filetag": filetag, "fmt": fmt, "subtitle_type": subtitle_type},
        )
        kind = response.headers.get("content-type", "").lower()
        text = decode_payload(response.content)
        if "json" in kind or text.lstrip().startswith("{"):
            body = json_body(response, self.name, redact=self.redactor)
            if not isinstance(body, dict):
                raise ProviderProtocolError("autosubtitle: the download answer is not an object",
                                            provider=self.name)
            code = self._code(body) if "err_code" in body else OK
            if code == NOT_READY:
                return None
            if code != OK:
                raise self._error(code, body)
            for value in body.values():
                if isinstance(value, str) and "-->" in value:
                    return decode_payload(value.encode("utf-8"))
            raise ProviderProtocolError("autosubtitle: the download answer holds no subtitles", provider=self.name)
        if response.status_code in (401, 403):
            raise ProviderAuthError(f"autosubtitle: HTTP {response.status_code}: not authorised",
                                    provider=self.name, code=str(response.status_code))
        if not 200 <= response.status_code < 300 or "-->" not in text:
            raise ProviderProtocolError(
                f"autosubtitle: the download answered HTTP {response.status_code} without subtitles",
                provider=self.name, code=str(response.status_code))
        return text

    # ---------------------------------------------------------------- high level

    def submit(
        self,
        media_url: str,
        *,
        language: str,
        translate_to: str | None = None,
        subtitle_type: SubtitleType | None = None,
        noise_reduction: bool = False,
        enhanced: bool = False,
    ) -> dict[str, Any]:
        """Upload and start generation; returns the job record for :meth:`finish`.

        Raises:
            ConfigError: ``target``/``double`` subtitles without ``translate_to``.
            ProviderError: the service refused.
        """
        kind = subtitle_type or ("target" if translate_to else "source")
        if kind in ("target", "double") and not translate_to:
            raise ConfigError(f"autosubtitle: {kind} subtitles need a translation language (translate_to)")
        self._emit("submit", status="uploading")
        filetag = self.upload(media_url)
        self._emit("submit", job=filetag, status="generating")
        self.generate(filetag, language=language, translate_to=translate_to,
                      noise_reduction=noise_reduction, enhanced=enhanced)
        return {"provider": self.name, "filetag": filetag, "media_url": media_url, "language": language,
                "translate_to": translate_to, "subtitle_type": kind}

    def finish(self, record: Mapping[str, Any]) -> FetchResult:
        """Wait for a submitted job and download its subtitles.

        The requested kind comes first in the result; with a translation the
        other single-language file follows (``double`` is downloaded alone, its
        cues kept whole: its layout is undocumented).

        Raises:
            ProviderTimeout: not ready by the deadline.
            ProviderError: the job failed.
        """
        filetag = str(record["filetag"])
        kind: SubtitleType = record.get("subtitle_type") or "source"
        start = self.clock.now()

        def ready() -> str | None:
            text = self.download(filetag, subtitle_type=kind)
            if text is None:
                self._emit("wait", job=filetag, status="generating", elapsed=self.clock.now() - start)
            return text

        first = poll(ready, policy=self.poll_policy, clock=self.clock, provider=self.name,
                     what=f"subtitles of {filetag}")
        self._emit("download", job=filetag, status="ready", percent=100.0, elapsed=self.clock.now() - start)
        language = record.get("language")
        target = record.get("translate_to")
        files = [self._file(filetag, first, kind, language, target)]
        if kind != "double" and target:
            other: SubtitleType = "source" if kind == "target" else "target"
            text = self.download(filetag, subtitle_type=other)
            if text is not None:
                files.append(self._file(filetag, text, other, language, target))
        job = {**record, "status": "ready"}
        return FetchResult(provider=self.name, job=job, files=tuple(files))

    def _file(self, filetag: str, text: str, kind: SubtitleType, language: Any, target: Any) -> SubtitleFile:
        lang = {"source": language, "target": target, "double": None}[kind]
        result = self._parse(text, format="srt", language=str(lang) if lang else None, role=kind,
                             name=f"{filetag}.{kind}.srt")
        if kind == "double":
            doc = result.document.replace(header={**result.document.header, "autosubtitle.subtitle_type": "double"})
            return SubtitleFile(format=result.format, text=result.text, language=None, role="double",
                                name=result.name, document=doc)
        return result

    def fetch(
        self,
        media_url: str,
        *,
        language: str,
        translate_to: str | None = None,
        subtitle_type: SubtitleType | None = None,
        noise_reduction: bool = False,
        enhanced: bool = False,
    ) -> FetchResult:
        """Upload ``media_url``, generate, wait and download: :meth:`submit` then :meth:`finish`.

        Args:
            media_url: a public URL of the media.
            language: the spoken language.
            translate_to: a language to translate into.
            subtitle_type: the main file: ``source``, ``target`` or ``double``;
                ``target`` when translating, else ``source``.
            noise_reduction: clean up the audio first.
            enhanced: the enhanced recogniser.

        Raises:
            ConfigError: inconsistent options.
            ProviderError: any failure of the service or the network.
        """
        record = self.submit(media_url, language=language, translate_to=translate_to,
                             subtitle_type=subtitle_type, noise_reduction=noise_reduction, enhanced=enhanced)
        return self.finish(record)
