"""``import subkit`` stays light, and the public namespace is curated."""

from __future__ import annotations

import json
import subprocess
import sys

import subkit

#: Modules that must not be imported by ``import subkit``.
HEAVY = ("click", "httpx", "lxml", "pysubs2", "webvtt", "charset_normalizer", "hypothesis", "numpy", "webrtcvad")


def _imported_after(code: str) -> set[str]:
    script = f"import sys; {code}; import json; print(json.dumps(sorted(sys.modules)))"
    output = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout
    return {name.split(".")[0] for name in json.loads(output)}


def test_import_subkit_is_light() -> None:
    loaded = _imported_after("import subkit")
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_reading_srt_stays_light() -> None:
    loaded = _imported_after("import subkit; subkit.loads('1\\n00:00:01,000 --> 00:00:02,000\\nx\\n', format='srt')")
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_all_matches_public_namespace() -> None:
    public = {name for name in vars(subkit) if not name.startswith("_")} - {
        "errors", "model", "formats", "timing", "cli", "ops", "providers", "media",
    }
    assert set(subkit.__all__) - {"__version__"} == public
    assert list(subkit.__all__) == sorted(subkit.__all__, key=lambda n: (n.startswith("_"), n.lower() != n, n)) or \
        sorted(subkit.__all__) == sorted(set(subkit.__all__))
