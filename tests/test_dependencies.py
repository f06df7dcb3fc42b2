"""Every package adcs-kg needs at run time is declared in pyproject.toml (CI installs into a fresh venv).

A package that only happened to be installed on a machine (scipy, which networkx's layout needs
from 500 nodes up) once hid a missing declaration: a fresh venv then failed with a traceback.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).parent.parent
OWN_PACKAGES = {"graph", "loaders", "ontology", "queries", "corpus"}
NETWORK_LAYOUT_NODES = 600
"""Above 500 nodes networkx lays a graph out with scipy's sparse matrices, as the network pictures do."""


def _name(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert match, requirement
    return re.sub(r"[-_.]+", "-", match[0]).lower()


def _runtime_requirements(distribution: str) -> list[str]:
    """The distributions ``distribution`` requires at run time (no extras)."""
    return [_name(r) for r in importlib.metadata.requires(distribution) or [] if "extra ==" not in r]


def _declared() -> set[str]:
    return set(_runtime_requirements("adcs-kg"))


def _reachable(declared: set[str]) -> set[str]:
    """``declared`` and everything their run-time requirements pull in."""
    seen: set[str] = set()
    pending = list(declared)
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            pending.extend(_runtime_requirements(name))
        except importlib.metadata.PackageNotFoundError:
            continue
    return seen


def _distributions(modules: set[str]) -> dict[str, set[str]]:
    """Top-level module name -> the distributions installing it (third-party modules only)."""
    installed = importlib.metadata.packages_distributions()
    third_party = modules - set(sys.stdlib_module_names) - OWN_PACKAGES - {"__future__"}
    return {m: {_name(d) for d in installed.get(m, [m])} for m in third_party}


def _imports(directory: Path) -> set[str]:
    names: set[str] = set()
    for path in directory.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names


def test_every_package_the_code_imports_is_declared() -> None:
    declared = _declared()
    imported = _imports(ROOT / "graph") | _imports(ROOT / "loaders")
    undeclared = {m: d for m, d in _distributions(imported).items() if not d & declared}
    assert not undeclared, f"imported but not declared in pyproject.toml: {undeclared}"


def test_the_code_runs_with_only_the_declared_packages_and_what_they_require() -> None:
    """As in a fresh venv: every module imported and a network laid out as large as the pictures are,
    with every installed package that adcs-kg neither declares nor gets through a declared one hidden."""
    reachable = _reachable(_declared())
    hidden = sorted({name for name, ds in importlib.metadata.packages_distributions().items()
                     if name not in OWN_PACKAGES and not {_name(d) for d in ds} & reachable})
    script = textwrap.dedent(
        f"""
        import importlib, pkgutil, sys
        HIDDEN = set({hidden!r})

        class Hide:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in HIDDEN:
                    raise ModuleNotFoundError(f"No module named {{name!r}} (installed, but not declared)")
                return None

        sys.meta_path.insert(0, Hide())
        import graph, loaders
        for package in (graph, loaders):
            for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
                if not module.name.endswith(".__main__"):
                    importlib.import_module(module.name)
        import networkx as nx
        nx.spring_layout(nx.path_graph({NETWORK_LAYOUT_NODES}), seed=0, iterations=1)
        """
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
