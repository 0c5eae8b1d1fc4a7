"""STYLE practice 1: the engine is pure Python — no Django anywhere in ``kiemdiem.engine``."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "kiemdiem" / "engine"


def test_importing_the_engine_and_every_rule_set_imports_no_django() -> None:
    code = (
        "import sys, importlib\n"
        "import kiemdiem.engine as e\n"
        "from kiemdiem.engine import ruleset\n"
        "[ruleset.load(n) for n in ruleset.available()]\n"
        "import kiemdiem.engine.cli\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not bad, bad\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr.decode()


def test_no_engine_file_mentions_django_in_an_import() -> None:
    offenders = []
    for path in ENGINE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module":
                names = [
                    a.value
                    for a in node.args
                    if isinstance(a, ast.Constant) and isinstance(a.value, str)
                ]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "django"]
    assert offenders == []


def test_the_core_names_no_rule_set_outside_the_year_defaults() -> None:
    core = (ENGINE / "core.py").read_text(encoding="utf-8")
    defaults_end = core.index("TRACKS = ")
    rest = core[defaults_end:]
    for name in ("qd124", "qd366", "nd90", "nd335", "haiphong212"):
        assert f'"{name}"' not in rest


def test_every_rule_set_file_is_discovered_and_compiles() -> None:
    from kiemdiem.engine import available_rulesets
    from kiemdiem.engine.ruleset import ROLES, load, plan

    names = available_rulesets()
    assert set(names) >= {"qd124", "qd366", "nd90", "nd335", "haiphong212"}
    for name in names:
        assert load(name).name == name
        for role in ROLES:
            plan(name, role)


def test_an_empty_input_imports_neither_the_predicate_library_nor_the_fast_paths(
    tmp_path: Path,
) -> None:
    """Start-up (issue 15, case d): they are imported when a rule set's plan is built."""
    inp, out = tmp_path / "in.json", tmp_path / "out.json"
    inp.write_text('{"year": 2025, "evaluations": []}\n', encoding="utf-8")
    code = (
        "import sys\n"
        "from kiemdiem.engine import cli\n"
        f"assert cli.main([{str(inp)!r}, '-o', {str(out)!r}]) == 0\n"
        "lazy = ('kiemdiem.engine.predicates', 'kiemdiem.engine.fastpath', 'pkgutil')\n"
        "loaded = [m for m in lazy if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr.decode()
    assert out.read_text(encoding="utf-8").startswith('{"year":2025,')
