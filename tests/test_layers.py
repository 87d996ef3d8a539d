"""The layer rule, read from the source (function bodies too): each layer imports only the layers below it.

    core  <  forms  <  readers, derive  <  rules  <  adapters  <  app  <  cli, addin

core, forms, readers, derive and rules never touch a file or a workbook object: they import no workbook library and
nothing from adapters/ or app/. No two modules import each other, directly or around a loop.
"""

import ast
import pathlib


ROOT = pathlib.Path(__file__).resolve().parent.parent / "xlbudget"

ALLOWED = {
    "core": {"core"},
    "forms": {"core", "forms"},
    "readers": {"core", "forms", "readers"},
    "derive": {"core", "forms", "derive"},
    "rules": {"core", "forms", "readers", "derive", "rules"},
    "adapters": {"core", "forms", "readers", "derive", "rules", "adapters"},
    "app": {"core", "forms", "readers", "derive", "rules", "adapters", "app"},
    "top": {"core", "forms", "readers", "derive", "rules", "adapters", "app", "top"},
}
PURE = {"core", "forms", "readers", "derive", "rules"}
WORKBOOK_LIBRARIES = {"openpyxl", "xlwings", "python_calamine", "lxml", "defusedxml", "pypdf", "xlsxwriter"}

# Known breaches of the rule, being removed (issue 12). The list may only shrink: an entry that no longer
# happens fails too, so it is struck off as soon as it is fixed.
KNOWN: set = set()


def _module_name(path: pathlib.Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) >= 3 and parts[1] in ALLOWED:
        return parts[1]
    if len(parts) == 2 and parts[1] in ALLOWED:  # the layer's own __init__
        return parts[1]
    return "top"


def _imports(path: pathlib.Path, module: str):
    """Every import of the file, at any depth: (imported module or package, line)."""
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            yield target, node.lineno
            for alias in node.names:  # `from xlbudget.core import model` imports a module
                yield f"{target}.{alias.name}", node.lineno


def _graph():
    modules = {_module_name(p): p for p in ROOT.rglob("*.py") if "data" not in p.relative_to(ROOT).parts}
    edges = {}
    for module, path in modules.items():
        edges[module] = {}
        for target, line in _imports(path, module):
            if target in modules and target != module:
                edges[module].setdefault(target, line)
            elif target.split(".")[0] != "xlbudget":
                edges[module].setdefault("lib:" + target.split(".")[0], line)
    return modules, edges


def _breaches():
    modules, edges = _graph()
    found = set()
    for module, targets in edges.items():
        layer = _layer(module)
        for target in targets:
            if target.startswith("lib:"):
                if layer in PURE and target[4:] in WORKBOOK_LIBRARIES:
                    found.add((module, target))
            elif target.endswith("__init__") or target in ("xlbudget",) or target.count(".") < 2 and target != "xlbudget.cli" and target != "xlbudget.addin":
                continue  # a package itself (its __init__ holds no code)
            elif _layer(target) not in ALLOWED[layer]:
                found.add((module, target))
    return found


def _cycles():
    """Strongly connected components of more than one module (Tarjan), as sorted tuples."""
    modules, edges = _graph()
    graph = {m: [t for t in ts if t in modules and t.count(".") >= 2] for m, ts in edges.items()}
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(tuple(sorted(component)))

    for v in graph:
        if v not in index:
            visit(v)
    return set(out)


def test_every_module_is_in_a_layer():
    modules, _ = _graph()
    loose = [m for m in modules if _layer(m) == "top" and m not in (
        "xlbudget", "xlbudget.cli", "xlbudget.addin", "xlbudget.__main__") and not m.startswith("xlbudget.addin.")]
    assert loose == []


def test_layers_import_downwards_only():
    assert _breaches() - KNOWN == set()


def test_known_breaches_still_exist():
    """KNOWN only shrinks: a fixed breach must be struck off the list."""
    assert KNOWN - _breaches() - {("cycle", c) for c in _cycles()} == set()


def test_no_import_cycles():
    assert {("cycle", c) for c in _cycles()} - KNOWN == set()


def test_the_rule_catches_a_breach(tmp_path, monkeypatch):
    """Falsification: a core module importing an adapter in a function body, and a cycle, are both seen."""
    fake = tmp_path / "xlbudget"
    for layer in ("core", "adapters"):
        (fake / layer).mkdir(parents=True)
        (fake / layer / "__init__.py").write_text("")
    (fake / "__init__.py").write_text("")
    (fake / "core" / "a.py").write_text("def f():\n    from xlbudget.adapters import b\n")
    (fake / "adapters" / "b.py").write_text("import openpyxl\nfrom xlbudget.core.a import f\n")
    monkeypatch.setattr(__import__(__name__), "ROOT", fake)
    assert ("xlbudget.core.a", "xlbudget.adapters.b") in _breaches()
    assert ("xlbudget.adapters.b", "xlbudget.core.a") not in _breaches()
    assert ("xlbudget.adapters.b", "xlbudget.core.a") in {c for c in _cycles()}
