"""Project metadata and everyday conveniences: licence, URLs that work on PyPI, shell completion."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]

ROOT = Path(__file__).resolve().parent.parent
REPOSITORY = "https://github.com/subkit/subkit"


def test_metadata_is_complete() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert project["authors"] and project["keywords"]
    assert "Typing :: Typed" in project["classifiers"]
    assert not any(c.startswith("License ::") for c in project["classifiers"])  # the SPDX string says it
    assert all(url.startswith(REPOSITORY) for url in project["urls"].values())
    assert (ROOT / "subkit" / "py.typed").is_file()


def test_readme_links_are_absolute() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)]+)\)", text)
    assert targets
    assert all(t.startswith(("https://", "#")) for t in targets), [t for t in targets if not t.startswith("http")]
    assert "editable_mode=strict" in text


def test_shell_completion_completes_commands_and_options() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COMP_WORDS": "subkit retime in.srt --convert", "COMP_CWORD": "3",
           "_SUBKIT_COMPLETE": "bash_complete"}
    completed = subprocess.run([sys.executable, "-m", "subkit"], env=env, capture_output=True, text=True, check=False)
    assert "plain,--convert-fps" in completed.stdout.split()
    env.update(COMP_WORDS="subkit conv", COMP_CWORD="1")
    completed = subprocess.run([sys.executable, "-m", "subkit"], env=env, capture_output=True, text=True, check=False)
    assert completed.stdout.split() == ["plain,convert"]
