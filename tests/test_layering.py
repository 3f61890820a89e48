"""The package's architecture, held by its imports (ARCHITECTURE.md): layers, no cycles, no prying.

Read from the source with ``ast``, so a violation is found whether or not the import ever runs.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from support import REPO

PACKAGE = REPO / "src" / "caucasus_corpus"

# Lower layers never import higher ones; the groups within one layer do not import each other.
LAYERS: list[tuple[str, ...]] = [
    ("errors", "vocab", "_options", "_frames", "_html"),
    ("text", "model"),
    ("engine",),
    ("analysis", "release"),
    ("suggest",),
    ("authoring",),
    ("intake",),
    ("interop", "reliability"),
    ("shards",),
    ("sharing",),
    ("widgets", "cli"),
    ("__init__", "__main__", "concordance", "lexical"),  # entry points and re-exports, above all
]
LAYER_OF = {group: n for n, groups in enumerate(LAYERS) for group in groups}
# The documented exception: the Corpus facade's methods import the function they delegate to.
FACADE = "caucasus_corpus.model.corpus"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def group_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _resolve(current: str, is_package: bool, node: ast.ImportFrom) -> list[str]:
    base = current.split(".") if is_package else current.split(".")[:-1]
    if node.level:
        base = base[: len(base) - (node.level - 1)]
        prefix = ".".join(base + ([node.module] if node.module else []))
    else:
        prefix = node.module or ""
    out = []
    for alias in node.names:
        candidate = f"{prefix}.{alias.name}"
        out.append(candidate if candidate in MODULES else prefix)
    return out


def imports(module: str) -> list[tuple[str, int, bool]]:
    """(imported package module, line, at module level?) for every import of the package's own
    modules, TYPE_CHECKING blocks excluded (they never run)."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[tuple[str, int, bool]] = []

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for sub in child.orelse:
                    visit(sub, top)
                continue
            if isinstance(child, ast.ImportFrom):
                for name in _resolve(module, path.name == "__init__.py", child):
                    if name.startswith("caucasus_corpus"):
                        out.append((name, child.lineno, top))
            elif isinstance(child, ast.Import):
                out.extend((a.name, child.lineno, top) for a in child.names if a.name.startswith("caucasus_corpus."))
            visit(child, top and not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))

    visit(tree, True)
    return out


def test_every_module_has_a_layer() -> None:
    assert {group_of(m) for m in MODULES} <= set(LAYER_OF), "add the new subpackage to LAYERS and ARCHITECTURE.md"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_follow_the_layers(module: str) -> None:
    here = group_of(module)
    wrong = []
    for target, line, top in imports(module):
        there = group_of(target)
        if there == here or (module == FACADE and not top):
            continue
        if LAYER_OF[there] >= LAYER_OF[here] and LAYER_OF[here] < len(LAYERS) - 1:
            wrong.append(f"{MODULES[module].relative_to(REPO)}:{line}: {module} ({here}) imports {target} ({there})")
    assert not wrong, "\n".join(wrong)


def test_no_import_cycles_at_module_level() -> None:
    graph = {m: {t for t, _line, top in imports(m) if top and t in MODULES and t != m} for m in MODULES}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for t in sorted(graph[m]):
            if state.get(t) == 1:
                raise AssertionError("import cycle: " + " -> ".join(stack[stack.index(t):] + [t]))
            if t not in state:
                visit(t)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)


def corpus_private_names() -> set[str]:
    tree = ast.parse((PACKAGE / "model" / "corpus.py").read_text(encoding="utf-8"))
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Corpus")
    names = {n.attr for n in ast.walk(cls) if isinstance(n, ast.Attribute) and n.attr.startswith("_") and not n.attr.startswith("__")}
    names |= {f.name for f in cls.body if isinstance(f, ast.FunctionDef) and f.name.startswith("_") and not f.name.startswith("__")}
    return {n for n in names if not n.startswith("_repr_")}  # _repr_html_ is IPython's protocol, not private


def test_nothing_outside_the_model_touches_a_corpus_private_attribute() -> None:
    private = corpus_private_names()
    assert {"_texts", "_engine", "_frames"} <= private  # the test reads the real class
    wrong = []
    for module, path in MODULES.items():
        if group_of(module) == "model":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in private:
                if not (isinstance(node.value, ast.Name) and node.value.id == "self"):
                    wrong.append(f"{path.relative_to(REPO)}:{node.lineno}: {ast.unparse(node)}")
    assert not wrong, "\n".join(wrong)


def test_the_checker_finds_a_violation(tmp_path: Path) -> None:
    # The rules above must be able to fail: an engine module importing analysis breaks them.
    src = "from ..analysis import tables\n"
    fake = PACKAGE / "engine" / "_layering_probe.py"
    fake.write_text(src, encoding="utf-8")
    try:
        MODULES["caucasus_corpus.engine._layering_probe"] = fake
        with pytest.raises(AssertionError, match="imports caucasus_corpus.analysis"):
            test_imports_follow_the_layers("caucasus_corpus.engine._layering_probe")
    finally:
        MODULES.pop("caucasus_corpus.engine._layering_probe", None)
        fake.unlink()
