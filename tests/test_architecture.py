"""The package layout is the pipeline, and the layering holds (docs/architecture.md).

Each package may import only itself and the packages in the layers below it;
packages that share a layer are independent of each other.  Imports inside
functions are kept for start-up time, so they live only in the command line
and the Excel adapter, and each says why in a comment.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "salesxl"

# Lowest first.  A tuple is one layer of independent packages.
LAYERS: list[tuple[str, ...]] = [
    ("core",),
    ("forms",),
    ("read",),
    ("validate",),
    ("intake",),
    ("store", "write"),
    ("targets",),
    ("consolidate",),
    ("scorecards",),
    ("excel", "demo", "watch"),
    ("cli",),
]
LAYER_OF = {package: i for i, layer in enumerate(LAYERS) for package in layer}
# Where an import inside a function is allowed: code that runs one command or one button.
LAZY_IMPORTS_ALLOWED = ("cli", "excel")


def _modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if len(parts) > 1:
            found.append((parts[0], path))
    return found


def _imports(path: Path) -> list[tuple[ast.ImportFrom | ast.Import, bool]]:
    """Every import of the module, and whether it sits inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[ast.ImportFrom | ast.Import, bool]] = []

    def walk(node: ast.AST, nested: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                found.append((child, nested))
            inner = nested or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            walk(child, inner)

    walk(tree, False)
    return found


def _targets(node: ast.Import | ast.ImportFrom) -> list[str]:
    """The salesxl packages an import statement reaches ('' for salesxl itself)."""
    names = (
        [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
    )
    out = []
    for name in names:
        parts = name.split(".")
        if parts[0] == "salesxl":
            out.append(parts[1] if len(parts) > 1 else "")
    return out


def test_every_package_has_a_layer() -> None:
    packages = {path.relative_to(PACKAGE).parts[0] for _, path in _modules()}
    assert packages == set(LAYER_OF), "add new packages to LAYERS and docs/architecture.md"


@pytest.mark.parametrize(("package", "path"), _modules(), ids=lambda v: str(v))
def test_imports_only_go_down(package: str, path: Path) -> None:
    mine = LAYER_OF[package]
    wrong = []
    for node, _ in _imports(path):
        for target in _targets(node):
            if target == package:
                continue
            if target == "" or target not in LAYER_OF or LAYER_OF[target] >= mine:
                wrong.append(f"line {node.lineno}: salesxl.{target or '(top level)'}")
    assert not wrong, (
        f"{path.relative_to(PACKAGE)} imports a package at or above its layer: {wrong}"
    )


@pytest.mark.parametrize(("package", "path"), _modules(), ids=lambda v: str(v))
def test_imports_inside_functions_are_few_and_explained(package: str, path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    lazy = [node for node, nested in _imports(path) if nested]
    if package not in LAZY_IMPORTS_ALLOWED:
        assert not lazy, (
            f"{path.relative_to(PACKAGE)}: imports inside functions "
            f"(lines {[n.lineno for n in lazy]}) belong only in cli/ and excel/; import at the top"
        )
        return
    unexplained = []
    for node in lazy:
        # A comment on the line, or in the comment lines just above (a group shares one).
        above = node.lineno - 2
        while above >= 0 and lines[above].strip().startswith(("from ", "import ")):
            above -= 1
        explained = "#" in lines[node.lineno - 1] or (
            above >= 0 and lines[above].strip().startswith("#")
        )
        if not explained:
            unexplained.append(node.lineno)
    assert not unexplained, (
        f"{path.relative_to(PACKAGE)}: say why each import inside a function is there "
        f"(lines {unexplained})"
    )


def test_top_level_package_imports_only_the_public_api() -> None:
    """salesxl/__init__.py re-exports the lower stages; it never loads a command."""
    for node, _ in _imports(PACKAGE / "__init__.py"):
        for target in _targets(node):
            assert target in ("core", "forms", "read", "validate", "intake"), target


def test_code_and_docs_cite_only_this_repository() -> None:
    """Design notes outside the repository are not shipped: say it in README.md or docs/."""
    root = PACKAGE.parent
    shipped = [
        root / "README.md",
        *sorted((root / "docs").glob("*.md")),
        *sorted(PACKAGE.rglob("*.py")),
    ]
    cited = re.compile(r"\bSPEC\b|\bshared/|\bseeds 0\d\d")
    found = [
        f"{path.relative_to(root)}:{n}: {line.strip()}"
        for path in shipped
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if cited.search(line)
    ]
    assert not found, "\n".join(found)
