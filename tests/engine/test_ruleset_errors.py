"""A broken rule-set file is reported with the file's name and the entry (issue 8)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiemdiem.engine import ruleset
from kiemdiem.engine.ruleset import RuleSetError, load_file

QD366 = Path(ruleset.__file__).with_name("rulesets") / "qd366.py"


def _variant(tmp_path: Path, name: str, *edits: tuple[str, str]) -> Path:
    text = QD366.read_text(encoding="utf-8").replace('name="qd366"', f'name="{name}"')
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / f"{name}.py"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_copy_of_a_good_file_loads(tmp_path: Path) -> None:
    rs = load_file(str(_variant(tmp_path, "tinh_a")))
    assert rs.name == "tinh_a" and rs.levels == ruleset.load("qd366").levels


def test_a_misspelt_predicate_names_the_file_and_the_entry(tmp_path: Path) -> None:
    path = _variant(
        tmp_path, "tinh_b", ('Cond("score_at_least", ("90",))', 'Cond("score_abov", ("90",))')
    )
    with pytest.raises(RuleSetError) as caught:
        load_file(str(path))
    message = str(caught.value)
    assert str(path) in message
    assert "levels[0] (HTXSNV).conditions[0]: unknown predicate 'score_abov'" in message
    assert "score_above" in message  # the known names are listed


def test_bad_arguments_and_unknown_audiences_are_each_named(tmp_path: Path) -> None:
    path = _variant(
        tmp_path,
        "tinh_c",
        ('Check(KO, "score_below", ("50",))', 'Check(KO, "score_below", ("fifty",))'),
        ('"individual", review=MITIGATION', '"individuals", review=MITIGATION'),
    )
    with pytest.raises(RuleSetError) as caught:
        load_file(str(path))
    lines = str(caught.value).splitlines()
    assert all(line.startswith(f"{path}: ") for line in lines)
    assert any("knockouts[1] (score_below): arguments ('fifty',)" in line for line in lines)
    assert any(
        "knockouts[2] (current_discipline): unknown audience 'individuals'" in line
        for line in lines
    )


def test_a_file_whose_name_does_not_match_its_ruleset_is_refused(tmp_path: Path) -> None:
    path = _variant(tmp_path, "tinh_d")
    other = path.with_name("tinh_e.py")
    path.rename(other)
    with pytest.raises(
        RuleSetError, match=r"tinh_e\.py: must define RULESET = RuleSet\(name='tinh_e'"
    ):
        load_file(str(other))
