"""A fake Autosubtitle Online API (``providers.md`` §1, "Fake server")."""

from __future__ import annotations

import re
from typing import Any

from tests.providers._harness import FakeServer, Request, Response, Route, json_response

USER_ID = "4242"
ACCESS_KEY = "as-SECRET-access-key-0001"

SOURCE_SRT = (
    "1\r\n00:00:01,000 --> 00:00:02,500\r\nHello there.\r\n\r\n"
    "2\r\n00:00:03,000 --> 00:00:04,000\r\nHow are you?\r\n"
)
TARGET_SRT = (
    "\ufeff1\n00:00:01,000 --> 00:00:02,500\nBonjour.\n\n"
    "2\n00:00:03.000 --> 00:00:04,000\nComment allez-vous ?\n"
)
DOUBLE_SRT = (
    "1\n00:00:01,000 --> 00:00:02,500\nHello there.\nBonjour.\n\n"
    "2\n00:00:03,000 --> 00:00:04,000\nHow are you?\nComment allez-vous ?\n"
)
TEXTS = {"source": SOURCE_SRT, "target": TARGET_SRT, "double": DOUBLE_SRT}


class FakeAutosubtitle(FakeServer):
    """Knobs: ``auth_401``, ``url_fail``, ``empty_tag``, ``quota``, ``download_as_json``,
    ``fail_with`` (2004-2010), ``polls_until_ready``, ``upload_1005_times``, ``generate_2002_times``."""

    def defaults(self) -> dict[str, Any]:
        return {"polls_until_ready": 2, "user_id": USER_ID, "access_key": ACCESS_KEY}

    def __init__(self, **scenario: Any) -> None:
        super().__init__(**scenario)
        self.tags: dict[str, dict[str, Any]] = {}
        self.counter = 0

    def routes(self) -> list[Route]:
        return [
            ("POST", r"/p/tts/upload_api", "upload", self.upload),
            ("POST", r"/p/tts/generate_subtitles_api", "generate", self.generate),
            ("GET", r"/p/tts/download_subtitles_api", "download", self.download),
        ]

    def _denied(self, fields: dict[str, str]) -> Response | None:
        if fields.get("user_id") == self.scenario["user_id"] and fields.get("access_key") == self.scenario[
                "access_key"]:
            return None
        if self.scenario.get("auth_401"):
            return Response(401, "unauthorised")
        return json_response({"err_code": 1001, "msg": "Invalid Access Key!"})

    def upload(self, request: Request, match: re.Match[str]) -> Response:
        form = request.form()
        denied = self._denied(form)
        if denied:
            return denied
        if self.scenario.get("upload_1005_times", 0) > 0:
            self.scenario["upload_1005_times"] -= 1
            return json_response({"err_code": 1005, "msg": "upload failed"})
        if not form.get("url"):
            return json_response({"err_code": 1003})
        if self.scenario.get("url_fail"):
            return json_response({"err_code": 1006})
        if self.scenario.get("empty_tag"):
            return json_response({"err_code": 1000, "tag": []})
        self.counter += 1
        tag = f"T{self.counter}"
        self.tags[tag] = {"generated": False, "downloads": 0, "form": form}
        return json_response({"err_code": 1000, "tag": [tag]})

    def generate(self, request: Request, match: re.Match[str]) -> Response:
        form = request.form()
        denied = self._denied(form)
        if denied:
            return denied
        if form.get("filetag") not in self.tags:
            return json_response({"err_code": 2001})
        if self.scenario.get("generate_2002_times", 0) > 0:
            self.scenario["generate_2002_times"] -= 1
            return json_response({"err_code": 2002})
        if self.scenario.get("quota"):
            return json_response({"err_code": 2003})
        self.tags[form["filetag"]].update(generated=True, generate=form)
        return json_response({"err_code": 1000})

    def download(self, request: Request, match: re.Match[str]) -> Response:
        fields = {k: v[0] for k, v in request.query.items()}
        denied = self._denied(fields)
        if denied:
            return denied
        job = self.tags.get(fields.get("filetag", ""))
        if job is None or not job["generated"]:
            return json_response({"err_code": 2001})
        job["downloads"] += 1
        failure = self.scenario.get("fail_with")
        if failure and job["downloads"] == 1:
            return json_response({"err_code": int(failure)})
        if job["downloads"] <= self.scenario["polls_until_ready"]:
            return json_response({"err_code": 3001})
        text = TEXTS[fields.get("subtitle_type", "source")]
        if self.scenario.get("download_as_json"):
            return json_response({"err_code": 1000, "data": text})
        return Response(200, text.encode("utf-8"), content_type="text/plain; charset=utf-8")
