"""``subkit_json``: the lossless JSON form of the model, for pipelines and golden tests.

Reading what this writer wrote gives back an equal :class:`~subkit.model.Document`
(diagnostics included), so ``X -> subkit_json -> X`` is the identity for every
format. Fields equal to their defaults are left out to keep files small.

Layout (``"subkit"`` names the schema version)::

    {"subkit": 1, "cues": [{"start_ms": 0, "end_ms": 1000,
                            "content": [{"run": "Hi", "style": {"italic": true}}, {"br": true},
                                        {"raw": "{\\\\blur3}", "format": "ass"}],
                            "words": [{"text": "Hi", "start_ms": 0, "end_ms": 500}], ...}],
     "styles": [...], "regions": [...], "frame_rate": "30000/1001", ...}

Colours are ``#RRGGBBAA`` strings, frame rates ``"num/den"`` strings and
attachment data base64.
"""

from __future__ import annotations

import base64
import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from subkit.formats._base import BaseReadOptions, BaseWriteOptions, DiagnosticSink
from subkit.formats._lower import Lowering, lower
from subkit.model import (
    PLAIN,
    Attachment,
    Color,
    ContentItem,
    Cue,
    Diagnostic,
    Document,
    LineBreak,
    LossReport,
    Note,
    Placement,
    Raw,
    Region,
    Run,
    RunStyle,
    Style,
    Word,
)

__all__ = ["FEATURES", "LOWERING", "NAME", "ReadOptions", "WriteOptions", "read", "sniff", "write"]

NAME = "subkit_json"
SCHEMA = 1

#: The JSON form keeps everything.
FEATURES = frozenset(
    {
        "italic", "bold", "underline", "strike", "color", "background", "outline", "font", "classes",
        "language", "voice", "ruby", "raw", "alignment", "position", "line", "region", "vertical",
        "margins", "layer", "speaker", "word-timing", "karaoke", "comment", "forced", "effect",
        "caption-mode", "id", "styles", "regions", "stylesheets", "notes", "attachments",
    }
)  # fmt: skip
#: How documents are lowered before writing (see :mod:`subkit.formats._lower`).
#: The model itself: negative times and every feature are kept.
LOWERING = Lowering(negative="keep")


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions(BaseReadOptions):
    """Reader options (only the common ones)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteOptions(BaseWriteOptions):
    """Writer options.

    Attributes:
        indent: JSON indentation, 0-16 spaces (``None`` for one line).
    """

    indent: int | None = 1

    def __post_init__(self) -> None:
        if self.indent is not None and not 0 <= self.indent <= 16:
            raise ValueError(f"indent must be 0-16, got {self.indent!r}")


def sniff(head: str) -> bool:
    """True for a JSON object whose first key is ``"subkit"``."""
    return head.lstrip().startswith('{"subkit"') or head.lstrip().startswith('{\n "subkit"')


# ---------------------------------------------------------------- writing


def _value(value: Any) -> Any:
    if isinstance(value, Color):
        return value.to_hex(alpha=True)
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, tuple):
        return [_value(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _value(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _object(value)
    return value


def _object(obj: Any, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in dataclasses.fields(obj):
        if f.name in skip:
            continue
        value = getattr(obj, f.name)
        if f.default is not dataclasses.MISSING and value == f.default:
            continue
        if f.default_factory is not dataclasses.MISSING and value == f.default_factory():
            continue
        out[f.name] = _value(value)
    return out


def _content(items: tuple[ContentItem, ...]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in items:
        if isinstance(item, Run):
            entry: dict[str, Any] = {"run": item.text}
            if item.style is not PLAIN and item.style != PLAIN:
                entry["style"] = _object(item.style)
            out.append(entry)
        elif isinstance(item, LineBreak):
            out.append({"br": True})
        else:
            out.append({"raw": item.markup, "format": item.format})
    return out


def _cue(cue: Cue) -> dict[str, Any]:
    entry = _object(cue, skip=("content", "start_ms", "end_ms"))
    result: dict[str, Any] = {"start_ms": cue.start_ms, "end_ms": cue.end_ms}
    if cue.content:
        result["content"] = _content(cue.content)
    result.update(entry)
    return result


def write(doc: Document, *, options: WriteOptions, report: LossReport) -> str:
    """Serialise ``doc`` losslessly as JSON (the lowering stage finds nothing to change)."""
    lower(doc, LOWERING, report, options=options, supported=FEATURES)
    body: dict[str, Any] = {"subkit": SCHEMA}
    head = _object(doc, skip=("cues", "styles", "regions", "loaded"))
    body["cues"] = [_cue(cue) for cue in doc.cues]
    if doc.styles:
        body["styles"] = [_object(style) for style in doc.styles.values()]
    if doc.regions:
        body["regions"] = [_object(region) for region in doc.regions.values()]
    body.update(head)
    return json.dumps(body, ensure_ascii=False, indent=options.indent) + "\n"


# ---------------------------------------------------------------- reading


def _color(value: Any) -> Color | None:
    return None if value is None else Color.from_hex(str(value))


def _build(cls: type[Any], data: dict[str, Any], converters: dict[str, Any]) -> Any:
    if not isinstance(data, dict):
        raise TypeError(f"expected an object for {cls.__name__}, got {type(data).__name__}")
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = set(data) - known
    if unknown:
        raise TypeError(f"unknown {cls.__name__} field(s): {', '.join(sorted(unknown))}")
    values = {key: converters[key](value) if key in converters else value for key, value in data.items()}
    return cls(**values)


_COLOR_FIELDS = ("color", "background", "outline_color", "shadow_color")
_RUN_STYLE = {name: _color for name in _COLOR_FIELDS} | {"classes": tuple}
_STYLE = {name: _color for name in ("primary_color", "secondary_color", "outline_color", "back_color")}


def _pair(value: Any) -> tuple[float, float] | None:
    return None if value is None else (float(value[0]), float(value[1]))


_REGION = {"region_anchor": _pair, "viewport_anchor": _pair, "origin": _pair, "extent": _pair}


def _item(data: dict[str, Any]) -> ContentItem:
    if "run" in data:
        style = _build(RunStyle, data["style"], _RUN_STYLE) if "style" in data else PLAIN
        return Run(data["run"], style)
    if "br" in data:
        return LineBreak()
    if "raw" in data:
        return Raw(str(data["format"]), str(data["raw"]))
    raise TypeError(f"unknown content item {data!r}")


def _cue_from(data: dict[str, Any]) -> Cue:
    cue: Cue = _build(
        Cue,
        data,
        {
            "content": lambda items: tuple(_item(i) for i in items),
            "placement": lambda p: _build(Placement, p, {}),
            "words": lambda ws: tuple(_build(Word, w, {}) for w in ws),
        },
    )
    return cue


def _doc_from(data: dict[str, Any]) -> Document:
    data = dict(data)
    version = data.pop("subkit", None)
    if version != SCHEMA:
        raise TypeError(f"unsupported subkit JSON schema {version!r} (this version reads {SCHEMA})")
    doc: Document = _build(
        Document,
        data,
        {
            "cues": lambda cues: tuple(_cue_from(c) for c in cues),
            "styles": lambda styles: {s["name"]: _build(Style, s, _STYLE) for s in styles},
            "regions": lambda regions: {r["id"]: _build(Region, r, _REGION) for r in regions},
            "frame_rate": lambda v: None if v is None else Fraction(v),
            "canvas": lambda v: None if v is None else (int(v[0]), int(v[1])),
            "stylesheets": tuple,
            "notes": lambda notes: tuple(_build(Note, n, {}) for n in notes),
            "attachments": lambda atts: tuple(
                _build(Attachment, a, {"data": lambda d: base64.b64decode(d, validate=True)}) for a in atts
            ),
            "diagnostics": lambda ds: tuple(_build(Diagnostic, d, {}) for d in ds),
        },
    )
    return doc


def read(data: str, *, options: ReadOptions) -> Document:
    """Parse subkit JSON back into the document it was written from.

    Raises:
        ParseError: invalid JSON, or JSON that does not describe a valid document.
    """
    sink = DiagnosticSink(NAME, options)
    try:
        parsed = json.loads(data)
    except json.JSONDecodeError as exc:
        raise sink.fail(f"invalid JSON: {exc.msg}", line=exc.lineno) from None
    except ValueError as exc:  # a number beyond what Python converts (over 4,300 digits)
        raise sink.fail(f"invalid JSON: a number too long to read ({str(exc).split(':')[0]})", line=1) from None
    except RecursionError:
        raise sink.fail("JSON nested too deeply", line=1) from None
    try:
        return _doc_from(parsed)
    except (TypeError, ValueError, KeyError, IndexError, AttributeError) as exc:
        raise sink.fail(f"not a subkit document: {exc}") from None
