"""The package's imports point down its layers and never go round in a circle.

Every import is read from the source (those inside functions too, which run later but
tie the modules together all the same; not those under ``if TYPE_CHECKING:``, which
never run). ``LAYERS`` is docs/architecture.md's picture,
lowest first: a module may import from its own layer and those below it.
"""

from __future__ import annotations

import ast
import importlib
from fnmatch import fnmatch
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "symbellman"

LAYERS = [
    ("core", ["core", "core.*", "version"]),
    ("text", ["text", "text.*"]),
    ("linalg", ["linalg", "linalg.*"]),
    ("model and files in", ["model", "model.*", "io", "io.*"]),
    ("equations", ["equations", "equations.*"]),
    ("solution", ["solve", "solve.*", "optimal", "optimal.*", "projected", "projected.*"]),
    ("study", ["study"]),
    ("batch, progress and checking", ["batch", "progress", "checking", "checking.*"]),
    ("render", ["render", "render.*"]),
    ("notebook", ["notebook"]),
    ("cli", ["__main__", "cli", "cli.*", ""]),  # "": the package's __init__, which re-exports
]


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The package's modules that ``name`` imports (relative names, "" the package)."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If)
                   and "TYPE_CHECKING" in ast.unparse(block.test)
                   for n in ast.walk(block)}  # for annotations only: never run
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            elif (node.module or "").split(".")[0] == "symbellman":
                target = node.module.partition(".")[2]
            else:
                continue
            subs = [f"{target}.{a.name}".lstrip(".") for a in node.names
                    if f"{target}.{a.name}".lstrip(".") in MODULES]
            found.update(subs)
            if len(subs) < len(node.names):
                while target and target not in MODULES:
                    target = target.rpartition(".")[0]
                found.add(target)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "symbellman":
                    target = alias.name.partition(".")[2]
                    while target and target not in MODULES:
                        target = target.rpartition(".")[0]
                    found.add(target)
    found.discard(name)
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _layer(name: str) -> int:
    for i, (_, patterns) in enumerate(LAYERS):
        if any(fnmatch(name, p) for p in patterns):
            return i
    raise AssertionError(f"symbellman.{name} is in no layer of LAYERS: add it")


def test_every_module_has_a_layer():
    for name in MODULES:
        _layer(name)


def test_imports_point_down():
    upward = [f"symbellman.{a} ({LAYERS[_layer(a)][0]}) imports symbellman.{b} "
              f"({LAYERS[_layer(b)][0]})"
              for a, targets in GRAPH.items() for b in targets if _layer(b) > _layer(a)]
    assert not upward, "\n".join(upward)


def test_no_circles():
    # peel off modules that import nothing left (a topological order, Kahn's algorithm):
    # what cannot be peeled lies on a circle or imports one
    left = {name: set(targets) for name, targets in GRAPH.items()}
    while True:
        leaves = [name for name, targets in left.items() if not targets]
        if not leaves:
            break
        for name in leaves:
            del left[name]
        for targets in left.values():
            targets.difference_update(leaves)
    assert not left, sorted(left)


def test_the_scan_sees_imports_inside_functions():
    # the scan itself: study.py imports optimal.pieces inside a method
    assert "optimal.pieces" in GRAPH["study"] and "render.html" in GRAPH["notebook"]


@pytest.mark.parametrize("name", ["optimal.pieces", "optimal.iteration", "linalg.bareiss",
                                  "render.sections.optimality"])
def test_every_module_imports_by_its_dotted_name(name):
    module = importlib.import_module(f"symbellman.{name}")
    import symbellman  # noqa: F401

    exec(f"import symbellman.{name} as imported", {})
    assert module.__name__ == f"symbellman.{name}"


#: Modules known to be longer, and the most lines they may have until they are split
#: (model.py grew with issue 18's checks; the layout regroup of issue 19 splits it).
KNOWN_LONG: dict[str, int] = {}


def test_no_module_is_over_about_600_lines():
    long = {name: n for name, path in MODULES.items()
            if (n := len(path.read_text(encoding="utf-8").splitlines()))
            > KNOWN_LONG.get(name, 620)}
    assert not long, long


# -- one home and one name for each small idea ---------------------------------------------------
#: Names that once meant two things (issue 19): each is defined by one module now.
ONE_HOME = ["significant_text", "fixed_text", "to_arrays", "pair_arrays", "latex_text",
            "latex_name", "as_fraction", "decimal_text"]


def _defined(name: str) -> list[str]:
    return [module for module, path in MODULES.items()
            if any(isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name
                   for node in ast.parse(path.read_text(encoding="utf-8")).body)]


@pytest.mark.parametrize("name", ONE_HOME)
def test_a_small_idea_has_one_home(name):
    assert len(_defined(name)) <= 1, _defined(name)


def test_an_exact_rational_becomes_a_fraction_in_one_place():
    # Fraction(int(x.p), int(x.q)) and its numerator/denominator twin: expressions.as_fraction
    import re

    pattern = re.compile(r"Fraction\(int\([^()]*\.(p|numerator)\), int\([^()]*\.(q|denominator)\)")
    found = [name for name, path in MODULES.items()
             if pattern.search(path.read_text(encoding="utf-8")) and name != "core.expressions"]
    assert not found, found


@pytest.mark.parametrize("old, new, name", [
    ("model.mdp", "model.fields", "unknown_parameter"),
    ("model.examples", "model.gridworld_examples", "gridworld"),
    ("model.examples", "model.gridworld_examples", "SUTTON_BARTO_SPECIALS"),
    ("solve.horizon", "solve.horizon_algebra", "horizon_of"),
    ("linalg", "linalg.polynomials", "normalise"),
])
def test_a_moved_name_is_still_where_it_was(old, new, name):
    # a split module keeps its public names importable from the old place: one object
    moved = getattr(importlib.import_module(f"symbellman.{new}"), name)
    assert getattr(importlib.import_module(f"symbellman.{old}"), name) is moved
    assert name in importlib.import_module(f"symbellman.{old}").__all__


def test_the_architecture_page_names_every_module_in_its_layer():
    # docs/architecture.md draws LAYERS: each top-level module and package is named in
    # the block of its own layer (headed by the layer's first word), and in no other
    import re

    text = (PACKAGE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    picture = text.split("```text", 1)[1].split("```", 1)[0]
    blocks, current = {}, None
    for line in picture.splitlines():
        head = line[:16].strip()
        if head:
            current = head
        blocks[current] = blocks.get(current, "") + " " + line[16:]
    top = {name.split(".")[0] for name in MODULES if name}
    for name in sorted(top - {"__main__"}):
        layer = LAYERS[_layer(name)][0]
        found = [head for head, body in blocks.items()
                 if re.search(rf"(?<![\w/]){re.escape(name)}(\.py|/)", body)]
        assert found, f"{name} is not named in docs/architecture.md"
        assert found == [layer.split()[0].rstrip(",")], (name, layer, found)
