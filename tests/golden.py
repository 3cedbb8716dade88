"""Golden files: expected outputs kept in the repository and compared byte for byte.

A missing expected file is a failure, never a file the test writes for itself:
``SUBKIT_REGEN=1`` (re)writes every expected file the run reaches, to be reviewed
in the diff before it is committed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

#: ``SUBKIT_REGEN=1`` rewrites expected files instead of comparing with them.
REGEN = os.environ.get("SUBKIT_REGEN") == "1"


def _missing(path: Path) -> None:
    pytest.fail(f"{path} is missing: run the test with SUBKIT_REGEN=1 to write it, then review it before committing")


def check_text(path: Path, actual: str, *, newline: str | None = "\n") -> None:
    """Compare ``actual`` with the expected text at ``path`` (written instead under ``SUBKIT_REGEN=1``)."""
    if REGEN:
        path.write_text(actual, encoding="utf-8", newline=newline)
        return
    if not path.exists():
        _missing(path)
    assert actual == path.read_text(encoding="utf-8"), f"{path} differs (SUBKIT_REGEN=1 rewrites it)"


def check_bytes(path: Path, actual: bytes) -> None:
    """Compare ``actual`` with the expected bytes at ``path`` (written instead under ``SUBKIT_REGEN=1``)."""
    if REGEN:
        path.write_bytes(actual)
        return
    if not path.exists():
        _missing(path)
    assert actual == path.read_bytes(), f"{path} differs (SUBKIT_REGEN=1 rewrites it)"
