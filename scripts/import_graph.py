"""Print which project packages import which, counting import lines: the map a newcomer needs, and a check
that lower layers never import higher ones (retrieval/ and audit/ know nothing of summariser/ or ui/).

    python scripts/import_graph.py [DEPTH]     # from the project root. DEPTH 1: top-level packages (default); 2: their sub-packages
"""
from __future__ import annotations

import ast
import sys
from collections import Counter
from pathlib import Path

ROOT = Path.cwd()
SKIP = {".venv", ".git", "tests", "bench", "evals", "scripts", "migrations", "data"}


def package_of(module: str, depth: int) -> str:
    return ".".join(module.split(".")[:depth])


def edges(depth: int) -> Counter:
    local = {p.stem if p.is_file() else p.name for p in ROOT.iterdir() if p.suffix == ".py" or (p / "__init__.py").exists()}
    found: Counter = Counter()
    for path in ROOT.rglob("*.py"):
        if SKIP & set(path.relative_to(ROOT).parts):
            continue
        source = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else \
                [a.name for a in node.names] if isinstance(node, ast.Import) else []
            for name in names:
                if name.split(".")[0] in local and package_of(name, depth) != package_of(source, depth):
                    found[(package_of(source, depth), package_of(name, depth))] += 1
    return found


if __name__ == "__main__":
    for (source, target), count in sorted(edges(int(sys.argv[1]) if len(sys.argv) > 1 else 1).items()):
        print(f"{source:32} -> {target:32} {count}")
