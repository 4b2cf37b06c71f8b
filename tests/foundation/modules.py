"""Rollbook's modules as found on disk, and the imports each one makes (read with ``ast``).

Read at test time, so a module added or moved is checked without editing a list.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: Rollbook's own packages, lowest layer first.
PACKAGES = ("domain", "site_kit", "admin_site", "public_site", "rollbook", "bench")
#: Python files that are package data, run by a tool rather than imported.
NOT_MODULES = (Path("domain/db/migrations"),)


@dataclass(frozen=True)
class Import:
    #: The module imported (``a.b.c``), or the package a name is taken from.
    target: str
    line: int
    #: Made inside a function or class body rather than when the module loads.
    late: bool


def module_files() -> dict[str, Path]:
    """Every module of the packages by dotted name (the Alembic scripts are data, not modules)."""
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if any(relative.is_relative_to(data) for data in NOT_MODULES):
                continue
            parts = relative.with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def imports_of(name: str, path: Path, known: set[str]) -> list[Import]:
    """What ``name`` imports, each resolved to a module of ``known`` when it is one.

    ``from a.b import c`` names the module ``a.b.c`` when there is one, else
    ``a.b``. Imports under ``if TYPE_CHECKING:`` are left out: they never run.
    """
    tree = ast.parse(path.read_text(), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[Import] = []

    def visit(node: ast.AST, late: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                for other in child.orelse:
                    visit_statement(other, late)
                continue
            visit_statement(child, late)

    def visit_statement(node: ast.AST, late: bool) -> None:
        if isinstance(node, ast.Import):
            found.extend(Import(alias.name, node.lineno, late) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, package)
            for alias in node.names:
                candidate = f"{base}.{alias.name}" if base else alias.name
                target = candidate if candidate in known else base
                found.append(Import(target, node.lineno, late))
        else:
            body = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
            visit(node, late or isinstance(node, body))

    visit(tree, False)
    return found


def _absolute(node: ast.ImportFrom, package: str) -> str:
    if not node.level:
        return node.module or ""
    parts = package.split(".")
    base = ".".join(parts[: len(parts) - node.level + 1])
    return f"{base}.{node.module}" if node.module else base


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def import_graph() -> dict[str, list[Import]]:
    """Every module and what it imports."""
    files = module_files()
    known = set(files)
    return {name: imports_of(name, path, known) for name, path in files.items()}


def top(module: str) -> str:
    return module.split(".")[0]
