"""``import subkit`` stays light, and the public namespace is curated.

The import checks are allow-lists, not deny-lists: a module that starts being imported fails here until
it is added on purpose.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import subkit

#: The subkit modules ``import subkit`` loads: the API, the model, the errors and the format table,
#: never a format implementation, the ops, the CLI or the providers.
IMPORT_SUBKIT = {
    "subkit", "subkit._api", "subkit._encoding", "subkit._gc", "subkit._io", "subkit._magic", "subkit._version",
    "subkit.errors", "subkit.formats", "subkit.formats._base", "subkit.formats._options", "subkit.formats._registry",
    "subkit.model",
}  # fmt: skip

#: Third-party packages any of these steps may import: none (chardet and lxml load on demand).
THIRD_PARTY: set[str] = set()


def _imported_after(code: str) -> set[str]:
    script = (
        "import sys; before = set(sys.modules); "
        f"{code}; import json; print(json.dumps(sorted(set(sys.modules) - before)))"
    )
    output = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout
    return set(json.loads(output))


def _third_party(modules: set[str]) -> set[str]:
    roots = {name.split(".")[0] for name in modules}
    return {root for root in roots if root not in sys.stdlib_module_names and root != "subkit"}


def test_import_subkit_loads_only_the_allowed_modules() -> None:
    loaded = _imported_after("import subkit")
    assert _third_party(loaded) == THIRD_PARTY
    assert {name for name in loaded if name.split(".")[0] == "subkit"} == IMPORT_SUBKIT


def test_first_read_with_detection_imports_no_third_party_package() -> None:
    loaded = _imported_after("import subkit; subkit.loads('1\\n00:00:01,000 --> 00:00:02,000\\nx\\n')")
    assert _third_party(loaded) == THIRD_PARTY


def test_reading_srt_by_name_loads_no_other_format() -> None:
    loaded = _imported_after("import subkit; subkit.loads('1\\n00:00:01,000 --> 00:00:02,000\\nx\\n', format='srt')")
    assert _third_party(loaded) == THIRD_PARTY
    formats = {name for name in loaded if name.startswith("subkit.formats.") and not name.split(".")[2].startswith("_")}
    assert formats == {"subkit.formats.srt"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1\n00:00:01,000 --> 00:00:02,000\nx\n", "srt"),
        ("WEBVTT\n\n00:01.000 --> 00:02.000\nx\n", "webvtt"),
        ("[Script Info]\nScriptType: v4.00+\n", "ass"),
    ],
    ids=["srt", "webvtt", "ass"],
)
def test_detecting_a_format_imports_no_other_format(text: str, expected: str) -> None:
    # Detection checks the cheap signatures of the registry rows first and imports only the formats that may match.
    loaded = _imported_after(f"import subkit; assert subkit.loads({text!r}).source_format == {expected!r}")
    formats = {name for name in loaded if name.startswith("subkit.formats.") and not name.split(".")[2].startswith("_")}
    assert formats == {f"subkit.formats.{expected}"}


#: Names in ``subkit``'s namespace that are submodules, not part of the curated API.
SUBMODULES = {"errors", "model", "formats", "timing", "cli", "ops", "providers", "media", "qc", "batch", "streaming"}


def test_all_is_exactly_the_public_namespace_and_sorted() -> None:
    public = {name for name in vars(subkit) if not name.startswith("_")} - SUBMODULES
    assert set(subkit.__all__) - {"__version__"} == public
    assert len(subkit.__all__) == len(set(subkit.__all__))
    # Sorted as isort/ruff sort `__all__`: case-sensitively, so classes come before functions.
    assert list(subkit.__all__) == sorted(subkit.__all__)
