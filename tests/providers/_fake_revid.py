"""A fake Revid ASS caption API (``providers.md`` §2, "Fake server")."""

from __future__ import annotations

import re
import threading
import time
import uuid
from typing import Any

from tests.providers._harness import FakeServer, Request, Response, Route, json_response, post_json

API_KEY = "rv-SECRET-api-key-0002"

HEADER = """[Script Info]
ScriptType: v4.00+
PlayResX: 1920
PlayResY: 1080

[V4+ Styles]
Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, \
Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, \
MarginV, Encoding
Style: Default,Arial,48,&H00FFFFFF,&H0000FFFF,&H00000000,&H00000000,-1,0,0,0,100,100,0,0,1,3,0,2,20,20,60,1

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
"""
CLASSIC = HEADER + (
    "Dialogue: 0,0:00:00.50,0:00:02.00,Default,,0,0,0,,{\\an2}Hello, world\n"
    "Dialogue: 0,0:00:02.10,0:00:04.00,Default,,0,0,0,,Second line\\Nbroken here\n"
    "Dialogue: 0,0:00:04.20,0:00:06.00,Default,,0,0,0,,{\\pos(960,900)}Last one\n"
)
KARAOKE = HEADER + (
    "Dialogue: 0,0:00:00.50,0:00:02.00,Default,,0,0,0,,{\\k50}Hello, {\\k100}world\n"
    "Dialogue: 0,0:00:02.10,0:00:04.00,Default,,0,0,0,,{\\k90}Second {\\k100}line\n"
)
HIGHLIGHT = HEADER + (
    "Dialogue: 0,0:00:00.50,0:00:02.00,Default,,0,0,0,,Hello world\n"
    "Dialogue: 1,0:00:00.50,0:00:01.20,Default,,0,0,0,,{\\c&H00FFFF&}Hello{\\r} world\n"
    "Dialogue: 1,0:00:01.20,0:00:02.00,Default,,0,0,0,,Hello {\\c&H00FFFF&}world\n"
)

SETTING_TYPES: dict[str, type] = {
    "line_color": str, "word_color": str, "outline_color": str, "all_caps": bool, "max_words_per_line": int,
    "x": int, "y": int, "position": str, "alignment": str, "font_family": str, "font_size": int, "bold": bool,
    "italic": bool, "underline": bool, "strikeout": bool, "style": str, "outline_width": int, "spacing": int,
    "angle": int, "shadow_offset": int,
}
TOP_LEVEL = {"media_url", "canvas_width", "canvas_height", "settings", "replace", "exclude_time_ranges",
             "language", "webhook_url", "id"}
STYLES = {"classic", "karaoke", "highlight", "underline", "word_by_word"}


def _seconds(value: str) -> float:
    h, m, s = value.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def validate(body: Any) -> str | None:
    """The schema check of the real service: an error text, or ``None``."""
    if not isinstance(body, dict):
        return "Missing JSON in request"
    extra = set(body) - TOP_LEVEL
    if extra:
        return f"Invalid payload: Additional properties are not allowed ({sorted(extra)})"
    url = body.get("media_url")
    if not isinstance(url, str) or not re.match(r"^https?://", url):
        return "Invalid payload: 'media_url' is a required property"
    if ("canvas_width" in body) != ("canvas_height" in body):
        return "Invalid payload: canvas_width and canvas_height go together"
    settings = body.get("settings", {})
    if not isinstance(settings, dict):
        return "Invalid payload: settings must be an object"
    for key, value in settings.items():
        kind = SETTING_TYPES.get(key)
        if kind is None:
            return f"Invalid payload: Additional properties are not allowed ({key!r} was unexpected)"
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            return f"Invalid payload: {key} has the wrong type"
    if settings.get("style", "classic") not in STYLES:
        return "Invalid payload: bad style"
    for item in body.get("exclude_time_ranges", []):
        if set(item) != {"start", "end"} or _seconds(item["end"]) <= _seconds(item["start"]):
            return "Invalid payload: bad exclude_time_ranges"
    for item in body.get("replace", []):
        if not {"find", "replace"} <= set(item):
            return "Invalid payload: bad replace rule"
    return None


class FakeRevid(FakeServer):
    """Knobs: ``delay``, ``font_error``, ``font_error_docs_shape``, ``queue_full``, ``job_fails``,
    ``status_404_times``, ``quota``, ``webhook`` (POST the result to ``webhook_url``), ``polls_until_done``."""

    def defaults(self) -> dict[str, Any]:
        return {"polls_until_done": 3, "api_key": API_KEY}

    def __init__(self, **scenario: Any) -> None:
        super().__init__(**scenario)
        self.jobs: dict[str, dict[str, Any]] = {}
        self.files: dict[str, str] = {}

    def routes(self) -> list[Route]:
        return [
            ("POST", r"/paid/media/generate/ass", "generate", self.generate),
            ("POST", r"/paid/get/job/status", "status", self.status),
            ("GET", r"/files/(?P<job>[\w-]+)\.ass", "file", self.file),
        ]

    def _envelope(self, job_id: str, body: dict[str, Any], code: int, response: Any, message: Any) -> dict[str, Any]:
        return {"endpoint": "/v1/media/generate/ass", "code": code, "id": body.get("id"), "job_id": job_id,
                "response": response, "message": message, "pid": 7, "queue_id": 1, "run_time": 1.2,
                "queue_time": 0.0, "total_time": 1.2, "queue_length": 0, "build_number": "1"}

    def _result(self, job_id: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if self.scenario.get("font_error"):
            return 400, self._envelope(job_id, body, 400, None,
                                       {"error": "Font 'Comic' not available", "available_fonts": ["Arial", "Roboto"]})
        if self.scenario.get("font_error_docs_shape"):
            envelope = self._envelope(job_id, body, 400, None, "failed")
            envelope.update(error="Font 'Comic' not available", available_fonts=["Arial", "Roboto"])
            return 400, envelope
        if self.scenario.get("job_fails"):
            return 500, self._envelope(job_id, body, 500, None, {"error": "Download failed"})
        style = (body.get("settings") or {}).get("style", "classic")
        self.files[job_id] = {"karaoke": KARAOKE, "highlight": HIGHLIGHT}.get(style, CLASSIC)
        return 200, self._envelope(job_id, body, 200, f"{self.base_url}/files/{job_id}.ass", "success")

    def generate(self, request: Request, match: re.Match[str]) -> Response:
        if request.header("x-api-key") != self.scenario["api_key"]:
            return json_response({"message": "Unauthorized"}, 401)
        if self.scenario.get("quota"):
            return json_response({"message": "Payment required"}, 402)
        body = request.json()
        error = validate(body)
        if error:
            return json_response({"message": error}, 400)
        if self.scenario.get("queue_full"):
            return json_response({"message": "MAX_QUEUE_LENGTH (10) reached"}, 429)
        job_id = str(uuid.uuid4())
        if not body.get("webhook_url"):
            delay = float(self.scenario.get("delay", 0))
            if delay:
                self.lock.release()  # let other requests through while this one "works"
                try:
                    time.sleep(delay)
                finally:
                    self.lock.acquire()
            status, envelope = self._result(job_id, body)
            return json_response(envelope, status)
        self.jobs[job_id] = {"body": body, "polls": 0, "misses": self.scenario.get("status_404_times", 0)}
        if self.scenario.get("webhook"):
            status, envelope = self._result(job_id, body)
            threading.Thread(target=post_json, args=(body["webhook_url"], envelope), daemon=True).start()
        return json_response({"code": 202, "id": body.get("id"), "job_id": job_id, "message": "processing",
                              "pid": 7, "queue_id": 1, "max_queue_length": "unlimited", "queue_length": 0,
                              "build_number": "1"}, 202)

    def status(self, request: Request, match: re.Match[str]) -> Response:
        if request.header("x-api-key") != self.scenario["api_key"]:
            return json_response({"message": "Unauthorized"}, 401)
        body = request.json() or {}
        job = self.jobs.get(body.get("job_id", ""))
        if job is None:
            return json_response({"error": "Job not found"}, 404)
        if job["misses"] > 0:
            job["misses"] -= 1
            return json_response({"error": "Job not found"}, 404)
        job["polls"] += 1
        done = job["polls"] >= self.scenario["polls_until_done"]
        state = "queued" if job["polls"] == 1 and not done else ("done" if done else "running")
        final = None
        if done:
            _, final = self._result(body["job_id"], job["body"])
        record = {"job_status": state, "job_id": body["job_id"], "queue_id": 1, "process_id": 7, "response": final}
        return json_response({"code": 200, "endpoint": "/v1/toolkit/job/status", "job_id": body["job_id"],
                              "response": record, "message": "success"})

    def file(self, request: Request, match: re.Match[str]) -> Response:
        text = self.files.get(match.group("job"))
        if text is None:
            return Response(404, "no such file")
        return Response(200, text.encode("utf-8"), content_type="text/plain")
