"""``subkit.ops``: lazy, light, and an op's module never hides the op function."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import types

import pytest

import subkit.ops


def test_every_exported_name_resolves() -> None:
    for name in subkit.ops.__all__:
        assert getattr(subkit.ops, name) is not None, name
    assert sorted(dir(subkit.ops)) == sorted(subkit.ops.__all__)


def test_op_functions_are_not_hidden_by_their_modules() -> None:
    for name in ("exclude", "replace", "merge", "clean", "lint", "segment"):
        module = importlib.import_module(f"subkit.ops.{name}")
        assert isinstance(module, types.ModuleType)
        value = getattr(subkit.ops, name)
        assert callable(value) and not isinstance(value, types.ModuleType), name


def test_import_subkit_ops_is_light() -> None:
    script = "import sys, json, subkit.ops; print(json.dumps(sorted(sys.modules)))"
    output = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout
    loaded = {name for name in json.loads(output) if name.startswith("subkit.ops.")}
    assert not loaded, loaded
    heavy = {name.split(".")[0] for name in json.loads(output)} & {"click", "httpx", "lxml", "webvtt", "pysubs2"}
    assert not heavy, heavy


def test_unknown_names_raise_attribute_error() -> None:
    with pytest.raises(AttributeError, match="nonesuch"):
        getattr(subkit.ops, "nonesuch")  # noqa: B009
