"""Odd option values never escape as anything but a subkit error.

Every option of every reader and writer gets values a user could type by
mistake (from the command line, as text converted by the CLI's own
conversion, and from Python, as values of the wrong kind or range). Each
call either works or raises a :class:`~subkit.errors.SubkitError`
(a ``ConfigError`` for the option itself); nothing else may escape.
"""

from __future__ import annotations

import dataclasses
import typing
import warnings
from typing import Any

import pytest

import subkit
from subkit.cli._options import convert_value
from subkit.errors import SubkitError
from subkit.formats._registry import FORMATS, FormatSpec
from subkit.model import Cue, Document, content_from_text

#: Text a user might type for any option (the CLI converts it to the field's type first).
ODD_TEXT = [
    "", " ", "0", "-1", "1", "12", "-0", "1e309", "-1e309", "nan", "inf", "1000000000000", "0.0001", "1/0",
    "30000/1001", "29.97", "yes", "none", "yesterday", "2026-13-45T99:99:99", "x" * 300, "\x00", "é",
    "0x0", "1x", "99999x99999", "-5x-5", "1,2,3",
]  # fmt: skip

#: Python values of the wrong kind or range, passed straight to the library.
ODD_VALUES: list[Any] = [
    -1, 0, 10**12, -(10**12), 1e309, float("nan"), "", "yesterday", True, (-1, -1), (0, 0), "x" * 300,
    [], {}, b"bytes", object(),
]  # fmt: skip

DOC = Document(
    cues=(
        Cue(start_ms=1000, end_ms=2500, content=content_from_text("Hello there\nsecond line")),
        Cue(start_ms=3000, end_ms=4000, content=content_from_text("Bye")),
    )
)


def _fields(spec: FormatSpec, kind: str) -> dict[str, Any]:
    mod = spec.load()
    cls = mod.ReadOptions if kind == "read" else mod.WriteOptions
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls) if f.name not in ("strict", "source")}


def _sample(spec: FormatSpec) -> str | bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return subkit.render(DOC, spec.name).data


def _cases() -> list[tuple[str, str, str]]:
    cases: list[tuple[str, str, str]] = []
    for spec in FORMATS:
        for kind in ("read", "write"):
            if (kind == "write" and not spec.can_write) or (kind == "read" and not spec.can_read):
                continue
            cases.extend((spec.name, kind, name) for name in _fields(spec, kind))
    return cases


def _attempt(spec: FormatSpec, kind: str, name: str, value: Any, sample: str | bytes | None) -> str | None:
    """None when the call worked or raised a subkit error; else a description of what escaped."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if kind == "write":
                subkit.render(DOC, spec.name, **{name: value})
            else:
                assert sample is not None
                subkit.loads(sample, format=spec.name, **{name: value})
    except SubkitError:
        return None
    except Exception as exc:  # anything else is the failure this test looks for
        return f"{spec.name} {kind} {name}={value!r:.40}: {type(exc).__name__}: {exc!s:.80}"
    return None


@pytest.mark.parametrize(("fmt", "kind", "name"), _cases())
def test_odd_option_values_raise_only_subkit_errors(fmt: str, kind: str, name: str) -> None:
    spec = subkit.formats.get(fmt)
    annotation = _fields(spec, kind)[name]
    sample = _sample(spec) if kind == "read" else None
    escaped = []
    for text in ODD_TEXT:
        try:
            value = convert_value(text, annotation)
        except ValueError:
            continue  # the CLI refuses it as a ConfigError before the format sees it
        problem = _attempt(spec, kind, name, value, sample)
        if problem:
            escaped.append(f"text {text!r:.20}: {problem}")
    for value in ODD_VALUES:
        problem = _attempt(spec, kind, name, value, sample)
        if problem:
            escaped.append(problem)
    assert not escaped, "\n".join(escaped)
