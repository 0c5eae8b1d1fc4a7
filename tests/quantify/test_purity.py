"""The quantify package is pure Python: no Django, no third-party imports (STYLE.md 1)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import kiemdiem.quantify

PACKAGE = Path(kiemdiem.quantify.__file__).parent


def test_importing_the_package_does_not_import_django() -> None:
    code = (
        "import sys\n"
        "import kiemdiem.quantify, kiemdiem.quantify.checker, kiemdiem.quantify.docref\n"
        "assert 'django' not in sys.modules, sorted(m for m in sys.modules if 'django' in m)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_the_package_imports_only_the_standard_library_and_itself() -> None:
    imported: set[str] = set()
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add(node.module)
    outside = {
        name
        for name in imported
        if name.split(".")[0] not in sys.stdlib_module_names
        and not name.startswith("kiemdiem.quantify")
    }
    assert outside == set()
