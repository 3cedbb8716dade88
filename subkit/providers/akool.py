"""AKool video translation: translated videos, and their original and translated SRT subtitles.

``createbytranslate`` starts one job per target language; each is polled with
``infobymodelid`` until ``video_status`` is 3 (done) or 4 (failed). A done job
lists ``audio_splits.original_srt_url`` and ``translated_srt_url``, public CDN
URLs that subkit downloads and reads.

Authentication is an API key (``x-api-key``), or, the older way, a client id
and secret exchanged for a bearer token (cached, refreshed once when AKool
says it expired). Only one of the two headers is ever sent: AKool prefers
``Authorization`` when both are present.

Every answer is ``{code, msg, data}``; ``code`` 1000 is success, business
errors come with HTTP 200.

Example::

    from subkit.providers.akool import AkoolClient

    with AkoolClient(api_key="my-api-key") as client:
        result = client.fetch("https://example.com/promo.mp4", translate_to=["es", "ja"], caption_type=2)
    [f.name for f in result.files]   # original, then one translation per language
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from subkit.errors import (
    ConfigError,
    ProviderAuthError,
    ProviderError,
    ProviderInputError,
    ProviderJobFailed,
    ProviderProtocolError,
    ProviderTransportError,
)
from subkit.providers._base import BaseClient
from subkit.providers._http import PollPolicy, decode_payload, json_body, poll
from subkit.providers._result import FetchResult, SubtitleFile

__all__ = [
    "CAPTION_TYPES",
    "ERROR_CODES",
    "STUDIO_STYLES",
    "AkoolClient",
    "decrypt_webhook",
    "verify_webhook",
]

#: ``caption_type`` values: what subtitles AKool burns into the translated video.
CAPTION_TYPES = {0: "none", 1: "add original subtitle", 2: "add target subtitle",
                 3: "translate and replace the original subtitle", 4: "add translated subtitle"}

#: ``studio_voice.style`` values (AKool's emotion names).
STUDIO_STYLES = ("professional", "affectionate", "angry", "calm", "cheerful", "depressed", "disgruntled",
                 "embarrassed", "empathetic", "envious", "excited", "fearful", "friendly", "gentle", "hopeful",
                 "sad")

#: Known codes: code -> (error class, meaning). 1101 in token mode refreshes the token once first;
#: 1201/1205 are resubmitted (see the client).
ERROR_CODES: dict[int, tuple[type[ProviderError], str]] = {
    1003: (ProviderInputError, "parameter error or empty parameter"),
    1008: (ProviderInputError, "the content does not exist"),
    1009: (ProviderAuthError, "no permission"),
    1101: (ProviderAuthError, "invalid authorization or expired token"),
    1102: (ProviderAuthError, "authorization is empty"),
    1200: (ProviderAuthError, "the account is banned"),
    1201: (ProviderTransportError, "create audio error, try again later"),
    1202: (ProviderInputError, "the same video was already translated with these settings"),
    1203: (ProviderInputError, "the video has no audio"),
    1204: (ProviderInputError, "the video is longer than the plan allows"),
    1205: (ProviderTransportError, "create video error, try again later"),
    1206: (ProviderInputError, "rejected (code 1206)"),
    1207: (ProviderInputError, "the file exceeds 300 MB"),
    1208: (ProviderInputError, "rejected (code 1208)"),
    1209: (ProviderInputError, "unsupported encoding"),
    1210: (ProviderInputError, "the frame rate exceeds 30 fps"),
}

OK = 1000
_RESUBMIT = frozenset({1201, 1205})

_STATUS = {1: "queueing", 2: "processing", 3: "completed", 4: "failed"}


def verify_webhook(payload: Mapping[str, Any], *, client_id: str) -> bool:
    """Whether a webhook's ``signature`` matches: SHA-1 of the sorted ``clientId``, timestamp, nonce and data.

    >>> verify_webhook({"signature": "x", "dataEncrypt": "d", "timestamp": 1, "nonce": 2}, client_id="c")
    False
    """
    parts = sorted([client_id, str(payload.get("timestamp", "")), str(payload.get("nonce", "")),
                    str(payload.get("dataEncrypt", ""))])
    expected = hashlib.sha1("".join(parts).encode("utf-8")).hexdigest()  # AKool's signature scheme
    return bool(payload.get("signature")) and str(payload["signature"]).lower() == expected


def decrypt_webhook(payload: Mapping[str, Any], *, client_id: str, client_secret: str) -> dict[str, Any]:
    """The JSON inside a webhook: base64, then AES-CBC (key = client secret, IV = client id), PKCS#7.

    Needs the ``cryptography`` package (``pip install cryptography``).

    Raises:
        ConfigError: ``cryptography`` is missing, or the id/secret have the wrong length.
        ProviderProtocolError: the signature does not match or the data does not decrypt to JSON.
    """
    try:
        from cryptography.hazmat.primitives import padding
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    except ModuleNotFoundError:
        raise ConfigError("decrypting AKool webhooks needs cryptography (pip install cryptography)") from None
    key, iv = client_secret.encode("utf-8"), client_id.encode("utf-8")
    if len(key) not in (16, 24, 32) or len(iv) != 16:
        raise ConfigError("akool: the client secret must be 16, 24 or 32 bytes and the client id 16 bytes")
    if not verify_webhook(payload, client_id=client_id):
        raise ProviderProtocolError("akool: the webhook signature does not match", provider="akool")
    try:
        data = base64.b64decode(str(payload.get("dataEncrypt", "")), validate=True)
        decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
        padded = decryptor.update(data) + decryptor.finalize()
        unpadder = padding.PKCS7(128).unpadder()
        plain = unpadder.update(padded) + unpadder.finalize()
        value = json.loads(plain.decode("utf-8"))
    except ValueError:
        raise ProviderProtocolError("akool: the webhook data does not decrypt to JSON", provider="akool") from None
    if not isinstance(value, dict):
        raise ProviderProtocolError("akool: the webhook data is not an object", provider="akool")
    return value


class AkoolClient(BaseClient):
    """A client of AKool's video translation API.

    Give ``api_key``, or ``client_id`` and ``client_secret`` (token mode).

    Args:
        api_key: the API key (sent as ``x-api-key``).
        client_id: the legacy client id.
        client_secret: the legacy client secret.
        resubmits: creates repeated after "try again later" codes (1201, 1205).
        **options: see :class:`~subkit.providers._base.BaseClient`.

    Raises:
        ConfigError: no complete credentials.
    """

    name = "akool"
    default_base_url = "https://openapi.akool.com"
    default_poll = PollPolicy(interval=5.0, max_interval=15.0, deadline=3600.0)

    def __init__(
        self,
        api_key: str | None = None,
        *,
        client_id: str | None = None,
        client_secret: str | None = None,
        resubmits: int = 2,
        **options: Any,
    ) -> None:
        if not api_key and not (client_id and client_secret):
            raise ConfigError("akool: give an API key, or a client id and client secret")
        super().__init__(secrets=(api_key, client_id, client_secret), **options)
        self._api_key = api_key
        self._client_id = client_id
        self._client_secret = client_secret
        self._token: str | None = None
        self.resubmits = resubmits

    @classmethod
    def from_settings(cls, settings: Mapping[str, str], **kwargs: Any) -> AkoolClient:
        """A client from ``api_key`` or ``client_id`` + ``client_secret`` (and optional ``base_url``).

        Raises:
            ConfigError: neither credential set is complete.
        """
        kwargs.setdefault("base_url", settings.get("base_url"))
        if settings.get("api_key"):
            return cls(settings["api_key"], **kwargs)
        if settings.get("client_id") and settings.get("client_secret"):
            return cls(client_id=settings["client_id"], client_secret=settings["client_secret"], **kwargs)
        raise ConfigError("akool: missing credentials: set SUBKIT_AKOOL_API_KEY, or SUBKIT_AKOOL_CLIENT_ID and "
                          "SUBKIT_AKOOL_CLIENT_SECRET (or the [akool] table of the config file)")

    # ---------------------------------------------------------------- auth

    @property
    def token_mode(self) -> bool:
        """Whether the client authenticates with a bearer token (no API key)."""
        return not self._api_key

    def _auth_headers(self) -> Mapping[str, str]:
        if self._api_key:
            return {"x-api-key": self._api_key}
        if self._token is None:
            self._token = self.get_token()
        return {"Authorization": f"Bearer {self._token}"}

    def get_token(self) -> str:
        """Exchange the client id and secret for a bearer token.

        Raises:
            ProviderAuthError: the pair is wrong.
        """
        response = self.session.request("POST", "/api/open/v3/getToken", auth=False,
                                        json={"clientId": self._client_id, "clientSecret": self._client_secret})
        body = self._body(response)
        if body.get("code") != OK:
            raise self._error(body)
        token = body.get("token")
        if not isinstance(token, str) or not token:
            raise ProviderProtocolError("akool: getToken returned no token", provider=self.name)
        self.redactor.add(token)
        return token

    # ---------------------------------------------------------------- envelopes

    def _body(self, response: httpx.Response) -> dict[str, Any]:
        body = json_body(response, self.name, redact=self.redactor)
        if not isinstance(body, dict):
            raise ProviderProtocolError("akool: the answer is not a JSON object", provider=self.name)
        if not 200 <= response.status_code < 300 and body.get("code") in (None, OK):
            status = response.status_code
            cls = ProviderAuthError if status in (401, 403) else ProviderProtocolError
            raise cls(f"akool: HTTP {status}: {self.redactor(str(body.get('msg') or 'error'))}",
                      provider=self.name, code=str(status))
        return body

    def _error(self, body: Mapping[str, Any]) -> ProviderError:
        code = body.get("code")
        try:
            number = int(code)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            number = -1
        cls, meaning = ERROR_CODES.get(number, (ProviderProtocolError, "unknown error code"))
        msg = body.get("msg")
        text = f"{meaning} ({msg})" if msg and str(msg) != meaning else meaning
        return cls(f"akool: error {code}: {self.redactor(text)}", provider=self.name, code=str(code))

    def _call(self, method: str, path: str, *, create: bool = False, **kwargs: Any) -> Any:
        """Send a call and return ``data``; in token mode an expired token is refreshed once."""
        refreshed = False
        while True:
            response = self.session.request(method, path, create=create, **kwargs)
            body = self._body(response)
            if body.get("code") == OK:
                return body.get("data")
            if body.get("code") == 1101 and self.token_mode and not refreshed:
                refreshed = True
                self._token = None
                continue
            raise self._error(body)

    # ---------------------------------------------------------------- API calls

    def languages(self) -> list[dict[str, Any]]:
        """The languages AKool translates to (``lang_code``, ``lang_name``, ``need_voice_id``...).

        Raises:
            ProviderError: the call failed.
        """
        data = self._call("GET", "/api/open/v3/language/list")
        items = data.get("lang_list") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise ProviderProtocolError("akool: the language list is missing", provider=self.name)
        return [item for item in items if isinstance(item, dict)]

    def voices(self, *, language_code: str | None = None, size: int = 100) -> list[dict[str, Any]]:
        """Every voice for video translation (all pages), optionally of one language.

        Raises:
            ProviderError: a call failed.
        """
        voices: list[dict[str, Any]] = []
        page = 1
        while True:
            params: dict[str, Any] = {"page": page, "size": size}
            if language_code:
                params["language_code"] = language_code
            data = self._call("GET", "/api/open/v4/voice/videoTranslation", params=params)
            if not isinstance(data, dict) or not isinstance(data.get("result"), list):
                raise ProviderProtocolError("akool: the voice list is missing", provider=self.name)
            result = [v for v in data["result"] if isinstance(v, dict)]
            voices.extend(result)
            try:
                count = int(data.get("count", 0))
                got_size = int(data.get("size") or size)
            except (TypeError, ValueError):
                raise ProviderProtocolError("akool: bad paging fields in the voice list",
                                            provider=self.name) from None
            if not result or page * got_size >= count:
                return voices
            page += 1

    def create_translation(
        self,
        url: str,
        language: str | Sequence[str],
        *,
        source_language: str = "DEFAULT",
        lipsync: bool = False,
        webhook_url: str | None = None,
        speaker_num: int | None = None,
        remove_bgm: bool | None = None,
        dynamic_duration: bool | None = None,
        caption_type: int | None = None,
        caption_url: str | None = None,
        voices_map: Mapping[str, Mapping[str, str]] | None = None,
        studio_voice: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """``createbytranslate``: start a translation; returns ``data`` (with ``all_results`` for several languages).

        Args:
            url: the video's public URL.
            language: the target language(s).
            source_language: the spoken language; ``DEFAULT`` detects it.
            lipsync: also re-sync the lips.
            webhook_url: where AKool POSTs progress (subkit polls anyway).
            speaker_num: the number of speakers (0 = detect).
            remove_bgm: remove the background music.
            dynamic_duration: let the video length follow the translation.
            caption_type: subtitles burned into the video (:data:`CAPTION_TYPES`).
            caption_url: an SRT or ASS file to use as the subtitles.
            voices_map: ``{language: {"voice_id": ...}}``.
            studio_voice: ``{"no_translate_words", "fixed_words", "pronounced_words", "style"}``.

        Raises:
            ConfigError: invalid arguments.
            ProviderError: AKool refused. "Try again later" answers are resubmitted up to ``resubmits`` times.
        """
        targets = [language] if isinstance(language, str) else list(language)
        if not targets or not all(targets):
            raise ConfigError("akool: at least one target language is needed")
        if caption_type is not None and caption_type not in CAPTION_TYPES:
            raise ConfigError(f"akool: caption_type must be one of {sorted(CAPTION_TYPES)}, not {caption_type}")
        if studio_voice is not None:
            unknown = sorted(set(studio_voice) - {"no_translate_words", "fixed_words", "pronounced_words", "style"})
            if unknown:
                raise ConfigError(f"akool: unknown studio_voice field(s): {', '.join(unknown)}")
            if "style" in studio_voice and studio_voice["style"] not in STUDIO_STYLES:
                raise ConfigError(f"akool: studio_voice style must be one of {', '.join(STUDIO_STYLES)}")
        body: dict[str, Any] = {"url": url, "language": ",".join(targets), "source_language": source_language,
                                "lipsync": lipsync}
        optional = {"webhookUrl": webhook_url, "speaker_num": speaker_num, "remove_bgm": remove_bgm,
                    "dynamic_duration": dynamic_duration, "caption_type": caption_type,
                    "caption_url": caption_url}
        body.update({key: value for key, value in optional.items() if value is not None})
        if voices_map:
            body["voices_map"] = {lang: dict(voice) for lang, voice in voices_map.items()}
        if studio_voice:
            body["studio_voice"] = dict(studio_voice)
        attempts = 0
        while True:
            try:
                data = self._call("POST", "/api/open/v3/content/video/createbytranslate", create=True, json=body)
            except ProviderTransportError as exc:
                if exc.code is not None and exc.code.isdigit() and int(exc.code) in _RESUBMIT \
                        and attempts < self.resubmits:
                    attempts += 1
                    self.clock.sleep(self.session.retry.delay(attempts - 1, self.session.rand()))
                    continue
                raise
            if not isinstance(data, dict):
                raise ProviderProtocolError("akool: the create answer has no data", provider=self.name)
            return data

    def video_info(self, video_model_id: str) -> dict[str, Any]:
        """``infobymodelid``: a job's status, progress and results.

        Raises:
            ProviderError: the call failed (1008: no such job).
        """
        data = self._call("GET", "/api/open/v3/content/video/infobymodelid",
                          params={"video_model_id": video_model_id})
        if not isinstance(data, dict):
            raise ProviderProtocolError("akool: the job info has no data", provider=self.name)
        return data

    # ---------------------------------------------------------------- high level

    def submit(self, media_url: str, *, translate_to: str | Sequence[str], **options: Any) -> dict[str, Any]:
        """Start the translation; returns the job record for :meth:`finish`.

        The record maps each language to its job id; a language AKool refused
        at once is listed under ``failed``.

        Raises:
            ConfigError: invalid options.
            ProviderError: AKool refused the whole request.
        """
        targets = [translate_to] if isinstance(translate_to, str) else list(translate_to)
        self._emit("submit", status="creating")
        data = self.create_translation(media_url, targets, **options)
        jobs: dict[str, str] = {}
        failed: dict[str, str] = {}
        results = data.get("all_results")
        if isinstance(results, list) and results:
            for item in results:
                if not isinstance(item, dict):
                    continue
                inner: dict[str, Any] = item["data"] if isinstance(item.get("data"), dict) else {}
                lang = str(inner.get("language") or "")
                if item.get("code", OK) != OK:
                    failed[lang or "?"] = str(self._error(item))
                elif inner.get("_id") and lang:
                    jobs[lang] = str(inner["_id"])
        if not jobs and not failed:
            job_id = data.get("_id")
            if not job_id:
                raise ProviderProtocolError("akool: the create answer has no job id", provider=self.name)
            # One language, or all_results missing: the single id stands for every target.
            jobs = {lang: str(job_id) for lang in targets}
        return {"provider": self.name, "media_url": media_url, "jobs": jobs, "failed": failed,
                "source_language": options.get("source_language", "DEFAULT")}

    def finish(self, record: Mapping[str, Any]) -> FetchResult:
        """Wait for every language's job and download the original and translated SRT files.

        A language whose job failed is listed under ``failed`` in the result's
        job record; only when every language failed is it an error.

        Raises:
            ProviderJobFailed: every language failed, or a done job returned no subtitle files.
            ProviderTimeout: not done by the deadline.
        """
        jobs: dict[str, str] = dict(record.get("jobs") or {})
        failed: dict[str, str] = dict(record.get("failed") or {})
        files: list[SubtitleFile] = []
        original: SubtitleFile | None = None
        source_language = record.get("source_language")
        source_lang = None if source_language in (None, "DEFAULT") else str(source_language)
        for lang, job_id in jobs.items():
            try:
                info = self._wait(job_id, lang)
            except ProviderJobFailed as exc:
                failed[lang] = exc.message
                continue
            splits = info.get("audio_splits")
            if not isinstance(splits, dict) or not splits.get("translated_srt_url"):
                raise ProviderJobFailed(f"akool: job {job_id} ({lang}) returned no subtitle files",
                                        provider=self.name)
            self._emit("download", job=job_id, status="completed", percent=100.0)
            text = decode_payload(self.session.download(str(splits["translated_srt_url"])))
            files.append(self._parse(text, format="srt", language=lang, role="target", name=f"{job_id}.{lang}.srt"))
            if original is None and splits.get("original_srt_url"):
                text = decode_payload(self.session.download(str(splits["original_srt_url"])))
                original = self._parse(text, format="srt", language=source_lang, role="source",
                                       name=f"{job_id}.original.srt")
        if not files:
            detail = "; ".join(f"{lang}: {why}" for lang, why in failed.items()) or "no job"
            raise ProviderJobFailed(f"akool: the translation failed ({detail})", provider=self.name)
        if original is not None:
            files.append(original)
        job = {**record, "failed": failed, "status": "completed" if not failed else "partial"}
        return FetchResult(provider=self.name, job=job, files=tuple(files))

    def _wait(self, job_id: str, lang: str) -> dict[str, Any]:
        start = self.clock.now()

        def check() -> dict[str, Any] | None:
            try:
                info = self.video_info(job_id)
            except ProviderInputError as exc:
                if exc.code == "1008":  # our own job vanished
                    raise ProviderJobFailed(f"akool: job {job_id} does not exist", provider=self.name,
                                            code="1008") from exc
                raise
            status = info.get("video_status")
            progress = info.get("progress")
            percent = float(progress) if isinstance(progress, (int, float)) else None
            self._emit("wait", job=f"{job_id} ({lang})", status=_STATUS.get(status, str(status)),  # type: ignore[arg-type]
                       percent=percent, elapsed=self.clock.now() - start)
            if status == 4:
                reason = info.get("error_reason") or "no reason given"
                raise ProviderJobFailed(f"akool: job {job_id} ({lang}) failed: {self.redactor(str(reason))}",
                                        provider=self.name, code=str(info.get("error_code") or "4"))
            return info if status == 3 else None

        return poll(check, policy=self.poll_policy, clock=self.clock, provider=self.name, what=f"job {job_id}")

    def fetch(self, media_url: str, *, translate_to: str | Sequence[str], **options: Any) -> FetchResult:
        """Translate ``media_url`` and return its subtitles (translations first, then the original).

        Args:
            media_url: the video's public URL.
            translate_to: one or several target languages.
            **options: see :meth:`create_translation`.

        Raises:
            ConfigError: invalid options.
            ProviderError: any failure of the service or the network.
        """
        return self.finish(self.submit(media_url, translate_to=translate_to, **options))
