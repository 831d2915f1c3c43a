"""Structure limits `make lint` holds the code to: no module over 500 lines (data and migrations
aside), no function over 60 lines, and no import cycle between Charter's own modules.

Run: python tools/check_structure.py   (exit 1 and a line per breach when a limit is broken)
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("domain", "services", "storage", "dialogs", "bot", "cli", "content")
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60
# Migrations are a history, not code to read in one sitting.
EXEMPT_PARTS = ("migrations",)


def modules() -> Iterator[tuple[str, Path]]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if any(part in EXEMPT_PARTS for part in path.parts):
                continue
            rel = path.relative_to(ROOT).with_suffix("")
            parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
            yield ".".join(parts), path


def size_breaches(name: str, path: Path, tree: ast.Module) -> Iterator[str]:
    lines = len(path.read_text().splitlines())
    if lines > MAX_MODULE_LINES:
        yield f"{path.relative_to(ROOT)}: module has {lines} lines (limit {MAX_MODULE_LINES})"
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            length = (node.end_lineno or node.lineno) - start + 1
            if length > MAX_FUNCTION_LINES:
                yield (
                    f"{path.relative_to(ROOT)}:{node.lineno}: {node.name} has {length} lines "
                    f"(limit {MAX_FUNCTION_LINES})"
                )


def imported(name: str, tree: ast.Module, known: set[str]) -> set[str]:
    """Charter modules this module imports at load time (not inside functions)."""
    found: set[str] = set()
    is_package = (ROOT / name.replace(".", "/") / "__init__.py").exists()
    package = name if is_package else name.rpartition(".")[0]
    for node in tree.body:
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    sys.setrecursionlimit(10_000)
    for node in graph:
        if node not in index:
            visit(node)
    return groups


def main() -> int:
    found = dict(modules())
    known = set(found)
    breaches: list[str] = []
    graph: dict[str, set[str]] = {}
    for name, path in found.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        breaches.extend(size_breaches(name, path, tree))
        # A package's __init__ importing its own children is not a cycle worth naming.
        graph[name] = {m for m in imported(name, tree, known) if not m.startswith(name + ".")}
    for group in cycles(graph):
        breaches.append("import cycle: " + " <-> ".join(group))
    for line in breaches:
        print(line)
    if breaches:
        print(f"{len(breaches)} structure limit(s) broken")
        return 1
    print(f"structure: {len(found)} modules within limits, no import cycles")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
