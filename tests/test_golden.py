"""Golden cases: ``fixtures/cases/<case>/`` holds an input and what subkit must make of it.

A case folder contains:

* ``input.<ext>``: the file read (format detected from content, unless ``flags`` says);
* ``flags`` (optional): lines ``read.<option> = <json value>`` and ``write.<option> = ...``,
  and ``format = <name>`` to force the input format;
* ``expected.subkit.json``: the model snapshot of the input (reader tests);
* ``expected.<ext>`` for any other format: the writer's output for the snapshot
  (writer tests), and ``expected.<ext>.losses`` with the loss features, one per line.

Reader and writer failures show up separately because the writers start from the
snapshot, not from the input. Run with ``SUBKIT_REGEN=1`` to rewrite the expected
files after an intended change (then review the diff).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import subkit
from subkit import formats
from tests import golden

CASES = Path(__file__).resolve().parents[1] / "fixtures" / "cases"


def _flags(case: Path) -> dict[str, Any]:
    flags: dict[str, Any] = {"read": {}, "write": {}}
    file = case / "flags"
    if file.exists():
        for line in file.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            key, _, value = line.partition("=")
            key = key.strip()
            if key == "format":
                flags["format"] = value.strip()
            else:
                side, _, option = key.partition(".")
                flags[side][option] = json.loads(value)
    return flags


def _cases() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if p.is_dir()) if CASES.is_dir() else []


def _check(path: Path, actual: str) -> None:
    golden.check_text(path, actual, newline=None)


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.name)
def test_reader_golden(case: Path) -> None:
    flags = _flags(case)
    (source,) = case.glob("input.*")
    doc = subkit.load(source, format=flags.get("format"), **flags["read"])
    snapshot = doc.replace(diagnostics=tuple(d.__class__(**{**_fields(d), "source": None}) for d in doc.diagnostics))
    _check(case / "expected.subkit.json", str(subkit.dumps(snapshot, "subkit_json")))


def _fields(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in obj.__dataclass_fields__}


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.name)
def test_writer_golden(case: Path) -> None:
    flags = _flags(case)
    snapshot_file = case / "expected.subkit.json"
    if not snapshot_file.exists():
        pytest.skip("no snapshot yet (the reader test writes it)")
    doc = subkit.load(snapshot_file, format="subkit_json")
    expected = [p for p in case.glob("expected.*") if not p.name.startswith("expected.subkit.json")
                and not p.name.endswith(".losses")]
    if not expected:
        pytest.skip("no writer expectations in this case")
    for path in expected:
        spec = formats.for_path(path.name)
        result = subkit.render(doc, spec.name, **flags["write"])
        _check(path, str(result.data))
        _check(path.with_name(path.name + ".losses"), "".join(f"{loss.feature}\n" for loss in result.losses))
