"""A fake Rev API v1 (``providers.md`` §3, "Fake server")."""

from __future__ import annotations

import json
import re
from typing import Any

from tests.providers._harness import FakeServer, Request, Response, Route, json_response

CLIENT_KEY = "rev-SECRET-client-0003"
USER_KEY = "rev-SECRET-user-0004"

SRT = "1\n00:00:00,500 --> 00:00:02,000\nWelcome back.\n\n2\n00:00:02,500 --> 00:00:04,000\nLet's begin.\n"
VTT = "WEBVTT\n\n00:00:00.500 --> 00:00:02.000\nWelcome back.\n\n00:00:02.500 --> 00:00:04.000\nLet's begin.\n"
SPANISH_SRT = "1\n00:00:00,500 --> 00:00:02,000\nBienvenidos.\n"
TRANSCRIPT = {
    "speakers": [{"id": 1, "name": "Host"}],
    "monologues": [{"speaker": 1, "speaker_name": "Host", "elements": [
        {"type": "text", "value": "Welcome", "ts": 0.5, "end_ts": 1.0, "confidence": 0.98},
        {"type": "punct", "value": " "},
        {"type": "text", "value": "back", "ts": 1.0, "end_ts": 2.0, "confidence": 0.95},
        {"type": "punct", "value": "."},
    ]}],
}


class FakeRev(FakeServer):
    """Knobs: ``polls_until_done``, ``finding_captioner``, ``cancel``, ``balance_exceeded``, ``code_as_string``,
    ``accept_406_once``, ``with_subtitle`` (add a Spanish subtitle attachment)."""

    def defaults(self) -> dict[str, Any]:
        return {"polls_until_done": 2, "client_key": CLIENT_KEY, "user_key": USER_KEY}

    def __init__(self, **scenario: Any) -> None:
        super().__init__(**scenario)
        self.inputs: dict[str, dict[str, Any]] = {}
        self.orders: dict[str, dict[str, Any]] = {}
        self.attachments: dict[str, dict[str, Any]] = {}

    def routes(self) -> list[Route]:
        api = r"/api/v1"
        return [
            ("POST", api + r"/inputs", "inputs", self.post_input),
            ("POST", api + r"/orders", "orders.create", self.post_order),
            ("GET", api + r"/orders", "orders.list", self.list_orders),
            ("GET", api + r"/orders/(?P<n>[\w-]+)", "orders.get", self.get_order),
            ("POST", api + r"/orders/(?P<n>[\w-]+)/cancel", "cancel", self.cancel),
            ("GET", api + r"/attachments/(?P<id>\w+)", "attachment", self.attachment),
            ("GET", api + r"/attachments/(?P<id>\w+)/content(?:\.(?P<ext>\w+))?", "content", self.content),
        ]

    def _auth(self, request: Request) -> Response | None:
        if request.header("authorization") == f"Rev {self.scenario['client_key']}:{self.scenario['user_key']}":
            return None
        return Response(401, b"", {"WWW-Authenticate": "Rev"})

    def _error(self, code: int, message: str) -> Response:
        value: Any = str(code) if self.scenario.get("code_as_string") else code
        return json_response({"code": value, "message": message}, 400)

    def _created(self, location: str) -> Response:
        return Response(201, b"", {"Location": location})

    def post_input(self, request: Request, match: re.Match[str]) -> Response:
        denied = self._auth(request)
        if denied:
            return denied
        kind = (request.header("content-type") or "").split(";")[0].strip()
        if kind == "application/json":
            body = request.json() or {}
            if not body.get("url"):
                return self._error(10002, "Could not retrieve the file")
            source: dict[str, Any] = {"url": body["url"], "filename": body.get("filename")}
        elif kind == "multipart/form-data":
            files = request.multipart_files()
            if len(files) != 1:
                return self._error(10003, "Multipart request must have exactly one file part")
            source = {"filename": files[0][1], "size": len(files[0][2])}
        else:
            if kind == "trololo":
                return self._error(10001, "Unsupported content type")
            found = re.search(r'filename="?([^";]+)"?', request.header("content-disposition") or "")
            if not found:
                return self._error(10004, "No filename")
            source = {"filename": found.group(1), "size": len(request.body), "type": kind}
        urn = f"urn:rev:inputmedia:{len(self.inputs) + 1:04d}"
        self.inputs[urn] = source
        return self._created(urn)

    def post_order(self, request: Request, match: re.Match[str]) -> Response:
        denied = self._auth(request)
        if denied:
            return denied
        body = request.json() or {}
        blocks = [k for k in ("automated_caption_options", "caption_options", "transcription_options") if k in body]
        if len(blocks) > 1:
            return self._error(10003, "More than one options block")
        if not blocks:
            return self._error(10004, "No options block")
        options = body[blocks[0]]
        inputs = options.get("inputs") or []
        if not inputs:
            return self._error(10001, "Missing inputs")
        for item in inputs:
            if "uri" in item and "external_link" in item:
                return self._error(10005, "Both link and uri")
            if "uri" not in item and "external_link" not in item:
                return self._error(10006, "Neither link nor uri")
            if "uri" in item and item["uri"] not in self.inputs:
                return self._error(10002, "Invalid input URI")
        if len(body.get("client_ref") or "") > 40:
            return self._error(20010, "client_ref too long")
        if self.scenario.get("balance_exceeded"):
            return self._error(30011, "Balance limit exceeded")
        number = f"CP{len(self.orders) + 1:05d}"
        self.orders[number] = {"body": body, "polls": 0, "status": "In Progress", "cancelled": False}
        return self._created(f"{self.base_url}/api/v1/orders/{number}")

    def _order_json(self, number: str) -> dict[str, Any]:
        order = self.orders[number]
        body = order["body"]
        attachments: list[dict[str, Any]] = []
        if order["status"] == "Complete":
            attachments = [
                {"kind": "media", "name": "x.mp4", "id": f"M{number}", "links": []},
                {"kind": "caption", "name": "x.srt", "id": f"A{number}", "deliverable_type": "ai_caption",
                 "links": [{"rel": "content", "href": f"{self.base_url}/api/v1/attachments/A{number}/content"}]},
                {"kind": "transcript", "name": "x.json", "id": f"T{number}"},
            ]
            if self.scenario.get("with_subtitle"):
                attachments.append({"kind": "caption", "name": "x.es.srt", "id": f"S{number}",
                                    "deliverable_type": "subtitle"})
            for item in attachments:
                self.attachments[item["id"]] = item
        return {"order_number": number, "client_ref": body.get("client_ref"), "price": 1.5,
                "status": order["status"], "priority": "Normal", "placed_on": "2024-01-01T00:00:00Z",
                "caption": {"total_length_seconds": 4}, "comments": [], "attachments": attachments}

    def get_order(self, request: Request, match: re.Match[str]) -> Response:
        denied = self._auth(request)
        if denied:
            return denied
        number = match.group("n")
        order = self.orders.get(number)
        if order is None:
            return Response(404, b'"Not Found"', content_type="application/json")
        if order["status"] not in ("Complete", "Canceled"):
            order["polls"] += 1
            if order["polls"] > self.scenario["polls_until_done"]:
                order["status"] = "Canceled" if self.scenario.get("cancel") else "Complete"
            elif self.scenario.get("finding_captioner") and order["polls"] % 2 == 0:
                order["status"] = "Finding Captioner"
            else:
                order["status"] = "In Progress"
        return json_response(self._order_json(number))

    def list_orders(self, request: Request, match: re.Match[str]) -> Response:
        denied = self._auth(request)
        if denied:
            return denied
        page = int(request.q("page", "0") or 0)
        size = int(request.q("pageSize", "2") or 2)
        ref = request.q("clientRef")
        numbers = [n for n, o in self.orders.items() if ref is None or o["body"].get("client_ref") == ref]
        chosen = numbers[page * size:(page + 1) * size]
        return json_response({"total_count": len(numbers), "results_per_page": size, "page": page,
                              "orders": [{"order_number": n, "client_ref": self.orders[n]["body"].get("client_ref"),
                                          "status": self.orders[n]["status"]} for n in chosen]})

    def cancel(self, request: Request, match: re.Match[str]) -> Response:
        denied = self._auth(request)
        if denied:
            return denied
        order = self.orders.get(match.group("n"))
        if order is None:
            return Response(404, b"")
        if order["status"] == "Complete":
            return Response(403, b"")
        order["status"] = "Cancelled"
        return Response(204, b"")

    def attachment(self, request: Request, match: re.Match[str]) -> Response:
        denied = self._auth(request)
        if denied:
            return denied
        item = self.attachments.get(match.group("id"))
        return json_response(item) if item else Response(404, b"")

    def content(self, request: Request, match: re.Match[str]) -> Response:
        denied = self._auth(request)
        if denied:
            return denied
        item = self.attachments.get(match.group("id"))
        if item is None:
            return Response(404, b"")
        ext = match.group("ext")
        accept = (request.header("accept") or "*/*").split(",")[0].strip()
        if item["kind"] == "transcript":
            if accept in ("application/json", "*/*"):
                return Response(200, json.dumps(TRANSCRIPT).encode(), content_type="application/json")
            return Response(406, b"")
        if ext is None and self.scenario.get("accept_406_once"):
            self.scenario["accept_406_once"] = False
            return Response(406, b"")
        srt = SPANISH_SRT if item.get("deliverable_type") == "subtitle" else SRT
        if ext == "srt" or (ext is None and accept in ("application/x-subrip", "*/*")):
            return Response(200, srt.encode(), content_type="application/x-subrip")
        if ext == "vtt" or (ext is None and accept == "text/vtt"):
            return Response(200, VTT.encode(), content_type="text/vtt")
        return Response(406, b"")
