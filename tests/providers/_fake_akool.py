"""A fake AKool video translation API (``providers.md`` §4, "Fake server")."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
from typing import Any

from tests.providers._harness import FakeServer, Request, Response, Route, json_response, post_json

API_KEY = "ak-SECRET-api-key-0005"
#: The fixed test pair of the webhook vectors: a 16-character id (the IV) and a 24-character secret (AES-192).
CLIENT_ID = "akoolCLIENTid016"
CLIENT_SECRET = "akool-SECRET-secret-0024"

ORIGINAL_SRT = "1\n00:00:00,000 --> 00:00:01,500\nWelcome to the demo.\n"
TRANSLATED = {
    "es": "1\n00:00:00,000 --> 00:00:01,500\nBienvenidos a la demo.\n",
    "ja": "1\n00:00:00,000 --> 00:00:01,500\nデモへようこそ。\n",
    "fr": "1\n00:00:00,000 --> 00:00:01,500\nBienvenue dans la démo.\n",
}


def encrypt_envelope(payload: dict[str, Any], *, client_id: str, client_secret: str, timestamp: int,
                     nonce: str) -> dict[str, Any]:
    """The webhook body AKool sends: AES-CBC encrypted JSON plus its SHA-1 signature."""
    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    padder = padding.PKCS7(128).padder()
    data = padder.update(json.dumps(payload).encode()) + padder.finalize()
    encryptor = Cipher(algorithms.AES(client_secret.encode()), modes.CBC(client_id.encode())).encryptor()
    encrypted = base64.b64encode(encryptor.update(data) + encryptor.finalize()).decode()
    signature = hashlib.sha1("".join(sorted([client_id, str(timestamp), nonce, encrypted])).encode()).hexdigest()
    return {"signature": signature, "dataEncrypt": encrypted, "timestamp": timestamp, "nonce": nonce}


class FakeAkool(FakeServer):
    """Knobs: ``banned``, ``token_expires_after``, ``no_audio``, ``too_long``, ``transient_create``,
    ``fail_lang``, ``omit_audio_splits``, ``polls_until_done``, ``webhook``."""

    def defaults(self) -> dict[str, Any]:
        return {"polls_until_done": 3, "api_key": API_KEY, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}

    def __init__(self, **scenario: Any) -> None:
        super().__init__(**scenario)
        self.tokens: dict[str, int] = {}  # token -> uses left (-1: unlimited)
        self.jobs: dict[str, dict[str, Any]] = {}
        self.counter = 0

    def routes(self) -> list[Route]:
        v3 = "/api/open/v3"
        return [
            ("POST", v3 + r"/getToken", "token", self.get_token),
            ("GET", v3 + r"/language/list", "languages", self.languages),
            ("GET", r"/api/open/v4/voice/videoTranslation", "voices", self.voices),
            ("POST", v3 + r"/content/video/createbytranslate", "create", self.create),
            ("GET", v3 + r"/content/video/infobymodelid", "info", self.info),
            ("GET", r"/files/(?P<name>[\w-]+)\.srt", "file", self.file),
        ]

    def _denied(self, request: Request) -> Response | None:
        authorization = request.header("authorization")
        if authorization is not None:  # AKool checks only Bearer when both are sent
            token = authorization.removeprefix("Bearer ").strip()
            left = self.tokens.get(token)
            if left is None or left == 0:
                return json_response({"code": 1101, "msg": "Invalid authorization or The request token has expired"})
            if left > 0:
                self.tokens[token] = left - 1
        elif request.header("x-api-key") is None:
            return json_response({"code": 1102, "msg": "Authorization cannot be empty"})
        elif request.header("x-api-key") != self.scenario["api_key"]:
            return json_response({"code": 1101, "msg": "Invalid authorization"})
        if self.scenario.get("banned"):
            return json_response({"code": 1200, "msg": "The account has been banned"})
        return None

    def get_token(self, request: Request, match: re.Match[str]) -> Response:
        body = request.json() or {}
        if body.get("clientId") != self.scenario["client_id"] or body.get("clientSecret") != self.scenario[
                "client_secret"]:
            return json_response({"code": 1101, "msg": "Invalid client"})
        self.counter += 1
        token = f"tok-SECRET-{self.counter:04d}"
        self.tokens[token] = int(self.scenario.get("token_expires_after", -1))
        return json_response({"code": 1000, "token": token})

    def languages(self, request: Request, match: re.Match[str]) -> Response:
        denied = self._denied(request)
        if denied:
            return denied
        return json_response({"code": 1000, "msg": "OK", "data": {"lang_list": [
            {"lang_code": "en", "lang_name": "English", "url": ""},
            {"lang_code": "es", "lang_name": "Spanish", "url": "", "need_voice_id": True},
            {"lang_code": "ja", "lang_name": "Japanese", "url": ""},
        ]}})

    def voices(self, request: Request, match: re.Match[str]) -> Response:
        denied = self._denied(request)
        if denied:
            return denied
        page = int(request.q("page", "1") or 1)
        size = int(request.q("size", "100") or 100)
        count = 150
        start = (page - 1) * size
        result = [{"_id": f"v{i}", "voice_id": f"voice-{i}", "gender": "female", "language": "Spanish",
                   "name": f"Voice {i}", "preview": "", "language_code": "es", "style": []}
                  for i in range(start, min(count, start + size))]
        return json_response({"code": 1000, "msg": "OK",
                              "data": {"page": page, "size": size, "count": count, "result": result}})

    def create(self, request: Request, match: re.Match[str]) -> Response:
        denied = self._denied(request)
        if denied:
            return denied
        body = request.json() or {}
        if not body.get("url") or not body.get("language") or body.get("caption_type", 0) not in range(5):
            return json_response({"code": 1003, "msg": "Parameter error"})
        if self.scenario.get("no_audio"):
            return json_response({"code": 1203, "msg": "video has no audio"})
        if self.scenario.get("too_long"):
            return json_response({"code": 1204, "msg": "video exceeds 60s"})
        if self.scenario.get("transient_create", 0) > 0:
            self.scenario["transient_create"] -= 1
            return json_response({"code": 1205, "msg": "Create video error, please try again later"})
        results: list[dict[str, Any]] = []
        for lang in str(body["language"]).split(","):
            self.counter += 1
            job_id = f"job{self.counter:04d}{lang}"
            self.jobs[job_id] = {"lang": lang, "polls": 0, "body": body}
            results.append({"code": 1000, "msg": "OK",
                            "data": {"_id": job_id, "language": lang, "video_status": 1, "progress": 0}})
        if self.scenario.get("webhook") and body.get("webhookUrl"):
            envelope = encrypt_envelope({"_id": results[0]["data"]["_id"], "status": 3, "type": "video translate",
                                         "url": f"{self.base_url}/files/video.mp4"},
                                        client_id=self.scenario["client_id"],
                                        client_secret=self.scenario["client_secret"], timestamp=1710000000,
                                        nonce="1234")
            threading.Thread(target=post_json, args=(body["webhookUrl"], envelope), daemon=True).start()
        first = results[0]["data"]
        return json_response({"code": 1000, "msg": "OK",
                              "data": {"_id": first["_id"], "video_status": 1, "video": "",
                                       "all_results": results} if len(results) > 1 else
                              {"_id": first["_id"], "video_status": 1, "video": ""}})

    def info(self, request: Request, match: re.Match[str]) -> Response:
        denied = self._denied(request)
        if denied:
            return denied
        job = self.jobs.get(request.q("video_model_id") or "")
        if job is None:
            return json_response({"code": 1008, "msg": "Content does not exist"})
        job["polls"] += 1
        job_id = str(request.q("video_model_id"))
        data: dict[str, Any] = {"_id": job_id, "video": "", "progress": 0, "deduction_duration": 0}
        total = self.scenario["polls_until_done"]
        if job["polls"] == 1 and total > 1:
            data["video_status"] = 1
        elif job["polls"] < total:
            data.update(video_status=2, progress=int(100 * job["polls"] / total))
        elif self.scenario.get("fail_lang") == job["lang"]:
            data.update(video_status=4, error_code=2001, error_reason="Translation engine failed")
        else:
            data.update(video_status=3, progress=100, video=f"{self.base_url}/files/{job_id}.mp4")
            if not self.scenario.get("omit_audio_splits"):
                data["audio_splits"] = {"original_srt_url": f"{self.base_url}/files/{job_id}_orig.srt",
                                        "translated_srt_url": f"{self.base_url}/files/{job_id}_tr.srt",
                                        "no_caption_video_url": ""}
        return json_response({"code": 1000, "msg": "OK", "data": data})

    def file(self, request: Request, match: re.Match[str]) -> Response:
        if request.header("x-api-key") or request.header("authorization"):
            return Response(400, "CDN files take no credentials")
        name = match.group("name")
        job_id, _, kind = name.rpartition("_")
        job = self.jobs.get(job_id)
        if job is None:
            return Response(404, "missing")
        text = ORIGINAL_SRT if kind == "orig" else TRANSLATED.get(job["lang"], ORIGINAL_SRT)
        return Response(200, text.encode("utf-8"), content_type="application/x-subrip")
