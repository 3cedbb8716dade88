"""The import structure of the package: private modules stay private, layers only import downwards, no cycles.

Every module under ``subkit/`` is parsed with :mod:`ast` (nothing is imported), and each ``import`` statement,
wherever it is (module level, inside a function, under ``TYPE_CHECKING``), is checked against two rules:

* ``subkit.<pkg>._private`` is imported only from inside ``<pkg>``: other packages use ``<pkg>``'s public face
  (its ``__init__`` or a public module). The modules of the root package (``subkit._io``, ``subkit._text``...)
  are the shared toolbox of every subpackage and are not covered.
* a module imports nothing from a higher layer of :data:`LAYERS` (the order of ``DESIGN.md``: the model at the
  centre, formats around it, the load/dump API, QC rules and ops above, media and streaming delivery, the batch
  engine, providers, and the CLI on top).

The module-level imports that run at import time must also form an acyclic graph.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "subkit"

#: Bottom to top. A module may import from its own layer and the layers below it. Top-level modules of the root
#: package are named alone; a subpackage stands for all its modules.
LAYERS: tuple[frozenset[str], ...] = (
    # The model and what it is made of: errors, time arithmetic, text encodings, the styled-text editing
    # shared by ops and QC, and the HTML table of a document.
    frozenset({"errors", "timing", "_version", "_gc", "_magic", "_encoding", "_lang", "_io", "model", "_html",
               "_text", "_fixes"}),
    frozenset({"formats"}),
    # load / loads / dump / dumps / render, and the root package that re-exports them; the planning of many
    # outputs (folder walks, name templates) that the batch engine and the CLI share.
    frozenset({"_api", "_streams", "_plan", "subkit"}),
    # The QC rule registry and profiles; ``ops.lint`` and ``ops.clean(profile=...)`` are ops over it.
    frozenset({"qc"}),
    frozenset({"ops"}),
    # The edges that touch files and processes: ffmpeg (media) and streaming packages written to disk.
    frozenset({"media", "streaming"}),
    frozenset({"batch"}),
    frozenset({"providers"}),
    frozenset({"cli", "__main__"}),
)

#: Imports that break a rule on purpose: (importer, imported) -> why. Keep it short.
ALLOWED: dict[tuple[str, str], str] = {
    # Document.save is the documented shortcut for subkit.dump; the import runs when save is called.
    ("subkit.model", "subkit._api"): "Document.save calls subkit.dump at call time",
    # ops.sync takes a media file as the reference for convenience and hands it to media at call time.
    ("subkit.ops._sync", "subkit.media"): "sync(doc, 'video.mp4') reads the audio through subkit.media",
}


@dataclass(frozen=True, slots=True)
class Import:
    """One imported subkit module, as the importing module names it."""

    importer: str
    target: str
    line: int
    module_level: bool
    typing_only: bool


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES: dict[str, Path] = {_module_name(path): path for path in sorted(ROOT.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _resolve(importer: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = importer if MODULES[importer].name == "__init__.py" else importer.rpartition(".")[0]
    for _ in range(node.level - 1):
        base = base.rpartition(".")[0]
    return f"{base}.{node.module}" if node.module else base


def imports_of(module: str) -> Iterator[Import]:
    """Every subkit module that ``module`` imports (``from pkg import sub`` names the submodule)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))

    def walk(node: ast.AST, module_level: bool, typing_only: bool) -> Iterator[Import]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name.split(".")[0] == "subkit":
                        yield Import(module, alias.name, child.lineno, module_level, typing_only)
            elif isinstance(child, ast.ImportFrom):
                base = _resolve(module, child)
                if base.split(".")[0] == "subkit":
                    for alias in child.names:
                        sub = f"{base}.{alias.name}"
                        yield Import(module, sub if sub in MODULES else base, child.lineno, module_level,
                                     typing_only)
            elif isinstance(child, ast.If) and _is_type_checking(child):
                for statement in child.body:
                    yield from walk(ast.Module(body=[statement], type_ignores=[]), module_level, True)
                for statement in child.orelse:
                    yield from walk(ast.Module(body=[statement], type_ignores=[]), module_level, typing_only)
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                yield from walk(child, False, typing_only)
            else:
                yield from walk(child, module_level, typing_only)

    yield from walk(tree, True, False)


ALL_IMPORTS: list[Import] = [found for module in MODULES for found in imports_of(module)]


def unit(module: str) -> str:
    """The layer unit of a module: its subpackage, or its own name for a module of the root package."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "subkit"


def layer(module: str) -> int:
    name = unit(module)
    for index, members in enumerate(LAYERS):
        if name in members:
            return index
    raise AssertionError(f"{module} is in no layer: add {name!r} to LAYERS")


def private_violations() -> list[str]:
    found = []
    for item in ALL_IMPORTS:
        parts = item.target.split(".")
        # subkit.<pkg>._private... imported from outside <pkg>.
        if (len(parts) > 2 and any(p.startswith("_") for p in parts[2:]) and unit(item.importer) != parts[1]
                and (item.importer, item.target) not in ALLOWED):
            found.append(f"{item.importer}:{item.line} imports {item.target}")
    return sorted(set(found))


def upward_violations() -> list[str]:
    found = []
    for item in ALL_IMPORTS:
        if layer(item.target) > layer(item.importer) and not _allowed(item):
            found.append(f"{item.importer}:{item.line} imports {item.target} (a higher layer)")
    return sorted(set(found))


def _allowed(item: Import) -> bool:
    return any(item.importer == importer and (item.target == target or item.target.startswith(target + "."))
               for importer, target in ALLOWED)


def runtime_graph(*, typing: bool = False) -> dict[str, set[str]]:
    """Module -> the modules its import-time statements load (a submodule's import loads its packages too).

    With ``typing``, the ``TYPE_CHECKING`` imports count as well (the graph the type checker walks).
    """
    graph: dict[str, set[str]] = {module: set() for module in MODULES}
    for item in ALL_IMPORTS:
        if not item.module_level or (item.typing_only and not typing):
            continue
        parts = item.target.split(".")
        for end in range(2, len(parts) + 1):
            target = ".".join(parts[:end])
            # A module's own packages are loaded before it: they are not its imports.
            if target in MODULES and target != item.importer and not item.importer.startswith(target + "."):
                graph[item.importer].add(target)
    return graph


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))
    return components


def test_the_walk_sees_the_imports() -> None:
    # A guard that finds nothing proves nothing: the walk must see the imports it is about.
    assert len(MODULES) > 100
    seen = {(i.importer, i.target) for i in ALL_IMPORTS}
    assert ("subkit._api", "subkit.formats") in seen
    assert ("subkit.formats._base", "subkit.model") in seen
    assert any(i.importer == "subkit.model" and i.target == "subkit._api" and not i.module_level
               for i in ALL_IMPORTS)


def test_no_module_imports_another_packages_private_module() -> None:
    assert private_violations() == []


def test_no_module_imports_from_a_higher_layer() -> None:
    assert upward_violations() == []


def test_every_allowed_exception_is_still_needed() -> None:
    used = {(i.importer, t) for i in ALL_IMPORTS for t in (target for _, target in ALLOWED)
            if i.target == t or i.target.startswith(t + ".")}
    assert set(ALLOWED) <= used


def test_the_import_time_graph_is_acyclic() -> None:
    assert find_cycles(runtime_graph()) == []
    # Also with the imports only the type checker follows (Document.save's WriteResult once closed a cycle).
    assert find_cycles(runtime_graph(typing=True)) == []


def test_every_package_is_in_a_layer() -> None:
    for module in MODULES:
        layer(module)


def test_the_rules_catch_what_they_are_about() -> None:
    # The checks run on a made-up graph: a private import, an upward one and a cycle are all reported.
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []
    fake = [Import("subkit.cli.info", "subkit.formats._features", 1, True, False),
            Import("subkit.batch._work", "subkit.cli._options", 2, False, False)]
    saved = ALL_IMPORTS[:]
    try:
        ALL_IMPORTS[:] = fake
        assert private_violations() == ["subkit.batch._work:2 imports subkit.cli._options",
                                        "subkit.cli.info:1 imports subkit.formats._features"]
        assert upward_violations() == ["subkit.batch._work:2 imports subkit.cli._options (a higher layer)"]
    finally:
        ALL_IMPORTS[:] = saved


@pytest.mark.parametrize("package", ["formats", "ops", "qc", "media", "batch", "providers"])
def test_public_faces_are_exact(package: str) -> None:
    # Every name in __all__ exists, and every class or function the package defines and shows is in __all__
    # (names imported for the package's own use are private or come from elsewhere: subkit.errors, typing...).
    import importlib
    import types

    module = importlib.import_module(f"subkit.{package}")
    exported = set(module.__all__)
    assert len(module.__all__) == len(exported)
    for name in module.__all__:
        assert getattr(module, name) is not None, f"subkit.{package}.{name}"
    shown = {name for name, value in vars(module).items()
             if not name.startswith("_") and not isinstance(value, types.ModuleType)
             and str(getattr(value, "__module__", "")).startswith(f"subkit.{package}")}
    assert shown <= exported, sorted(shown - exported)
    # Sorted as ruff sorts __all__: constants, then classes, then functions.
    assert list(module.__all__) == sorted(module.__all__, key=lambda n: (not n.isupper(), not n[:1].isupper(), n))


if __name__ == "__main__":  # pragma: no cover - a report for people: python tests/test_layers.py
    print(f"cycles: {find_cycles(runtime_graph())}", file=sys.stderr)
    for line in private_violations() + upward_violations():
        print(line, file=sys.stderr)


#: Calls that write, move or delete files.
_WRITERS = frozenset({"write_bytes", "write_text", "write_files", "atomic_write", "mkdir", "makedirs",
                      "unlink", "remove", "rename", "rmtree"})


def _file_writes(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name in _WRITERS:
            found.append(f"{path.name}:{node.lineno} {name}()")
        elif name == "open":
            modes = [arg for arg in node.args[1:2]] + [k.value for k in node.keywords if k.arg == "mode"]
            if any(isinstance(m, ast.Constant) and isinstance(m.value, str) and set(m.value) & set("wax+")
                   for m in modes):
                found.append(f"{path.name}:{node.lineno} open() for writing")
    return found


def test_ops_never_write_files() -> None:
    # Ops are pure: segment and package build files in memory, subkit.streaming writes them.
    found = [hit for path in sorted((ROOT / "ops").glob("*.py")) for hit in _file_writes(path)]
    assert found == []
    # The check sees a write where there is one.
    assert _file_writes(ROOT / "streaming.py")
