"""Dependencies point one way: no module of kit/ imports a module that imports it back, and none
imports from a layer after its own (the layers are the README's dependency line).

The run-time graph holds every ``import``/``from`` statement Python executes, at module level and
inside functions (a function-level import that dodges a cycle is still a cycle), but not the ones
under ``if TYPE_CHECKING:``, which only the type checker reads. The type-level graph holds those as
well: a type that names the module importing it is a circle in the design, which a Protocol at the
lower layer breaks (kit/store/abc.py, kit/protocols.py). There is no ``farm-studio look`` here; this
file is the check.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "kit"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}

#: The README's line "model → store → access rules and sessions → widgets/room and render → report → cli":
#: a module (or package, for everything inside it) may import from its own layer and the ones before it.
LAYERS = [
    # access: rules on plain data, only kit.errors; names, tokens and privacy: text rules, no store;
    # netutil: ports, addresses, QR codes; usercache: what is kept between runs
    ("model", ["errors", "i18n", "model", "canvases", "access", "names", "tokens", "privacy", "netutil",
               "usercache"]),
    ("store", ["store", "formats", "collection", "importing", "board_csv", "kpi_import"]),
    ("access rules and sessions", ["sessions", "facilitation", "roster", "canvas", "workshop", "samples", "protocols",
                                   "",  # kit/__init__.py: kit.open, kit.new, kit.demo
                                   # the method's logic
                                   "agenda", "synthesis", "guide", "plan", "journey", "tracking"]),
    ("widgets/room and render", ["widgets", "live", "room", "serve.panel", "render"]),
    ("report", ["report"]),
    ("cli", ["cli", "__main__", "notebook", "serve", "serve.command", "serve.server", "hub"]),
]


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def runtime_imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement under ``tree`` except those in ``if TYPE_CHECKING:`` bodies."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _resolve(target: str) -> str | None:
    """The kit module ``target`` names, or its nearest enclosing kit package; None outside kit."""
    while target and target not in MODULES:
        target = target.rpartition(".")[0]
    return target or None


def targets(module: str, node: ast.Import | ast.ImportFrom) -> set[str]:
    """The kit modules one import statement in ``module`` executes."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
            for _ in range(node.level - 1):
                package = package.rpartition(".")[0]
            base = f"{package}.{base}" if base else package
        # ``from pkg import name`` loads the submodule pkg.name when there is one, else pkg itself
        names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
    return {found for name in names if (found := _resolve(name)) and found != module}


def all_imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement under ``tree``, those for the type checker included."""
    return [node for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))]


def import_graph(type_level: bool = False) -> dict[str, set[str]]:
    """Module -> the kit modules it imports (at run time; with ``type_level`` also for the type checker)."""
    found = all_imports if type_level else runtime_imports
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        graph[module] = set().union(*(targets(module, node) for node in found(tree)))
    return graph


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (as a path that returns to its start) per strongly connected group of modules."""
    return [_cycle_in(group, graph) for group in strongly_connected(graph)]


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """The groups of two or more modules that all reach each other: each holds at least one cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[set[str]] = []

    def connect(node: str) -> None:  # Tarjan's algorithm
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return groups


def _cycle_in(group: set[str], graph: dict[str, set[str]]) -> list[str]:
    """A shortest path from the group's first module back to itself, staying inside the group."""
    start = min(group)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        nxt_frontier = []
        for node in frontier:
            for nxt in sorted(graph[node] & group):
                if nxt == start:
                    return [*paths[node], start]
                if nxt not in paths:
                    paths[nxt] = [*paths[node], nxt]
                    nxt_frontier.append(nxt)
        frontier = nxt_frontier
    raise AssertionError(f"no cycle through {start}")  # unreachable for a strongly connected group


def test_the_checker_finds_a_cycle_and_skips_type_checking_imports() -> None:
    source = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .b import B\n" \
             "def f():\n    from . import c\n"
    nodes = runtime_imports(ast.parse(source))
    assert [ast.unparse(n) for n in nodes] == ["from typing import TYPE_CHECKING", "from . import c"]
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []
    assert [ast.unparse(n) for n in all_imports(ast.parse(source))] == [
        "from typing import TYPE_CHECKING", "from .b import B", "from . import c"]


def test_relative_imports_resolve_to_kit_modules() -> None:
    assert targets("kit.formats", ast.parse("from . import model").body[0]) == {"kit.model"}
    assert targets("kit.render.board", ast.parse("from ..i18n import t").body[0]) == {"kit.i18n"}
    assert targets("kit.cli", ast.parse("import kit").body[0]) == {"kit"}
    assert targets("kit.cli", ast.parse("import json").body[0]) == set()


def test_the_most_specific_layer_wins() -> None:
    names = [name for name, _ in LAYERS]
    assert names[layer("kit.serve.panel")] == "widgets/room and render"
    assert names[layer("kit.serve")] == names[layer("kit.serve.server")] == "cli"
    assert names[layer("kit.store.sqlite")] == "store"
    assert names[layer("kit")] == "access rules and sessions"
    assert layer("kit.nowhere") is None


def layer(module: str) -> int | None:
    """The index in LAYERS of the most specific entry naming ``module`` or a package holding it."""
    name = module.removeprefix("kit").removeprefix(".")
    found = [(len(entry), i) for i, (_, entries) in enumerate(LAYERS) for entry in entries
             if name == entry or (entry and name.startswith(entry + "."))]
    return max(found)[1] if found else None


def test_every_module_has_a_layer() -> None:
    missing = [m for m in MODULES if layer(m) is None]
    assert not missing, f"add {missing} to LAYERS here and to the README's dependency line"


def test_imports_point_one_way_through_the_layers() -> None:
    upward = [f"{a} ({LAYERS[la][0]}) imports {b} ({LAYERS[lb][0]})" for a, targets_ in sorted(import_graph().items())
              for b in sorted(targets_) if (la := layer(a)) is not None and (lb := layer(b)) is not None and lb > la]
    assert not upward, "imports against the dependency line:\n" + "\n".join(upward)


def test_no_runtime_import_cycle_in_kit() -> None:
    graph = import_graph()
    groups = strongly_connected(graph)
    report = [f"{' -> '.join(_cycle_in(group, graph))}   (modules in this knot: {', '.join(sorted(group))})"
              for group in groups]
    assert not groups, "runtime import cycles:\n" + "\n".join(report)


def test_no_import_cycle_in_kit_even_for_the_type_checker() -> None:
    graph = import_graph(type_level=True)
    groups = strongly_connected(graph)
    report = [f"{' -> '.join(_cycle_in(group, graph))}   (modules in this knot: {', '.join(sorted(group))})"
              for group in groups]
    assert not groups, "import cycles (counting `if TYPE_CHECKING:` imports):\n" + "\n".join(report)
