"""``subkit.ops``: lazy, light, a plain module whose public face names every op and its helpers."""

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


def test_op_functions_are_plain_attributes_and_their_modules_private() -> None:
    # No module-class trick: every op is an ordinary attribute, its module a private one beside it.
    assert type(subkit.ops) is types.ModuleType
    for name in ("exclude", "replace", "merge", "clean", "lint", "segment", "retime", "style", "sync", "words"):
        module = importlib.import_module(f"subkit.ops._{name}")
        value = getattr(subkit.ops, name)
        assert callable(value) and not isinstance(value, types.ModuleType), name
        assert value.__module__ == module.__name__, name
        with pytest.raises(ModuleNotFoundError):
            importlib.import_module(f"subkit.ops.{name}")
    # Importing a private module does not hide the function of the same public name.
    importlib.import_module("subkit.ops._replace")
    assert callable(subkit.ops.replace)


def test_all_matches_the_export_table_and_the_typing_block() -> None:
    # __all__, the lazy table and the TYPE_CHECKING imports name the same things, sorted as ruff sorts them.
    import ast
    from pathlib import Path

    assert set(subkit.ops.__all__) == set(subkit.ops._EXPORTS)
    tree = ast.parse(Path(subkit.ops.__file__).read_text(encoding="utf-8"))
    typed: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            for statement in node.body:
                if isinstance(statement, ast.ImportFrom):
                    typed |= {alias.asname or alias.name for alias in statement.names}
                    for alias in statement.names:
                        target = subkit.ops._EXPORTS[alias.asname or alias.name]
                        assert target == f"{statement.module}:{alias.name}"
    assert typed == set(subkit.ops.__all__)


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
