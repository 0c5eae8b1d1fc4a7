"""Invalid input (contract section 1 and 9.1–9.8): every kind is reported with its place."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.engine.conftest import cli, collective, doc, dumps, errors, leader, run, staff, tasks


def ok_staff(id: str = "S", **kw: Any) -> dict[str, Any]:
    kw.setdefault("general", "good")
    return staff(id, **kw)


def one_error(document: Any) -> str:
    msgs = errors(document)
    assert len(msgs) == 1, msgs
    return msgs[0]


def test_top_level_must_be_an_object() -> None:
    assert one_error([1, 2]) == "input: must be a JSON object"


def test_unknown_top_level_key() -> None:
    assert one_error({"year": 2025, "evaluations": [], "yaer": 1}) == "yaer: unknown top-level key"


@pytest.mark.parametrize("year", [2017, 2101, "2025", 2025.0, True, None])
def test_year_must_be_an_integer_in_range(year: Any) -> None:
    value = Decimal("2025.0") if year == 2025.0 and not isinstance(year, bool) else year
    assert one_error({"year": value, "evaluations": []}).startswith("year:")


def test_year_is_required() -> None:
    assert one_error({"evaluations": []}) == "year: is required"


def test_evaluations_are_required_and_a_list() -> None:
    assert one_error({"year": 2025}) == "evaluations: is required"
    assert one_error({"year": 2025, "evaluations": {}}) == "evaluations: must be a list"


def test_an_empty_evaluations_list_is_valid() -> None:
    out = run({"year": 2025, "evaluations": []})
    assert out == {
        "year": 2025,
        "rules": {"party": "qd366", "state": "nd90"},
        "results": [],
        "quota": [],
        "order": [],
    }


def test_unknown_rule_set_name() -> None:
    assert "unknown rule set" in one_error(doc(2025, rules={"party": "qd999"}))


def test_rule_set_on_the_wrong_track() -> None:
    assert one_error(doc(2025, rules={"party": "nd90"})).startswith("rules.party:")
    assert one_error(doc(2025, rules={"state": "qd366"})).startswith("rules.state:")


def test_unknown_track_in_rules() -> None:
    assert one_error(doc(2025, rules={"union": "qd366"})).startswith("rules.union:")


def test_a_year_before_2023_needs_both_tracks_named() -> None:
    assert [m.split(":")[0] for m in errors(doc(2022))] == ["rules.party", "rules.state"]
    assert one_error(doc(2020, rules={"party": "qd124"})).startswith("rules.state:")
    assert run(doc(2020, rules={"party": "qd124", "state": "nd90"}))["rules"] == {
        "party": "qd124",
        "state": "nd90",
    }


@pytest.mark.parametrize(
    ("year", "party", "state"),
    [
        (2023, "qd124", "nd90"),
        (2024, "qd124", "nd90"),
        (2025, "qd366", "nd90"),
        (2026, "qd366", "nd335"),
    ],
)
def test_default_rules_by_year(year: int, party: str, state: str) -> None:
    assert run(doc(year))["rules"] == {"party": party, "state": state}


def test_one_named_track_and_the_other_from_the_year() -> None:
    assert run(doc(2026, rules={"state": "nd90"}))["rules"] == {"party": "qd366", "state": "nd90"}


def test_unknown_cap() -> None:
    assert one_error(doc(2025, caps=["party_le_state", "boss_le_god"])).startswith("caps[1]:")


@pytest.mark.parametrize("ratio", ["0.26", "1", "-0.1", "2.5e-1", "", "0,2", 0.2, "abc"])
def test_bad_ratios_are_invalid(ratio: Any) -> None:
    assert one_error(doc(2025, peer_groups={"G": {"ratio": ratio}})).startswith('peer_groups["G"]')


@pytest.mark.parametrize("ratio", ["0.25", "0", "0.1", "0.250", ".2"])
def test_good_ratios_are_valid(ratio: str) -> None:
    run(doc(2025, peer_groups={"G": {"ratio": ratio}}))


def test_a_peer_group_entry_may_hold_only_ratio() -> None:
    assert "unknown key" in one_error(doc(2025, peer_groups={"G": {"ratio": "0.2", "x": 1}}))
    run(doc(2025, peer_groups={"G": {}}))


def test_unknown_evaluation_key_names_the_place() -> None:
    assert one_error(doc(2025, ok_staff(scroe=1))) == 'evaluations[0] (id "S"): unknown key "scroe"'


def test_duplicate_ids() -> None:
    msg = one_error(doc(2025, ok_staff("A"), ok_staff("A")))
    assert msg.startswith('evaluations[1] (id "A"): duplicate id')


def test_a_duplicate_id_is_reported_right_after_its_evaluations_own_messages() -> None:
    """The index is built after the pass; the message order stays the pass's order."""
    msgs = errors(
        doc(
            2025,
            ok_staff("A"),
            ok_staff("B", score=101),
            ok_staff("A", general="great"),
            ok_staff("C"),
            ok_staff("B"),
            ok_staff("D", degradation="no"),
            ok_staff("", general="good"),
            ok_staff(""),
        )
    )
    assert [(m.split(": ", 1)[0], m.split(": ", 1)[1].split()[0]) for m in msgs] == [
        ('evaluations[1] (id "B")', "score"),
        ('evaluations[2] (id "A")', "general"),
        ('evaluations[2] (id "A")', "duplicate"),
        ('evaluations[4] (id "B")', "duplicate"),
        ('evaluations[5] (id "D")', "degradation"),
        ("evaluations[6]", "id"),
        ("evaluations[7]", "id"),
        ('evaluations[7] (id "")', "duplicate"),
    ]


def test_unknown_keys_come_after_the_ids_message_and_before_the_others() -> None:
    bad = ok_staff(scroe=1, degradation="no", role="boss")
    del bad["id"]
    first = [m.split(": ", 1)[1].split()[0] for m in errors(doc(2025, bad))]
    assert first == ["id", "unknown", "role", "degradation"]
    good_id = [
        m.split(": ", 1)[1].split()[0] for m in errors(doc(2025, ok_staff(scroe=1, role="boss")))
    ]
    assert good_id == ["unknown", "role"]


@pytest.mark.parametrize("value", [[], {}, 20200101, None, "2020-13-01"])
def test_a_remembered_valid_date_does_not_let_other_values_through(value: Any) -> None:
    msgs = errors(
        doc(2025, ok_staff("A", party_admission="2020-01-01"), ok_staff(party_admission=value))
    )
    assert len(msgs) == 1 and msgs[0].startswith('evaluations[1] (id "S"): party_admission')


def test_missing_id() -> None:
    d = ok_staff()
    del d["id"]
    assert one_error(doc(2025, d)) == "evaluations[0]: id is required (a non-empty string)"


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"subject": "person"}, "subject"),
        ({"role": "organization"}, "role"),
        ({"track": "union"}, "track"),
        ({"role": "party_outside"}, "party_outside"),
    ],
)
def test_subject_role_and_track(change: dict[str, Any], fragment: str) -> None:
    assert fragment in one_error(doc(2025, ok_staff(**change)))


def test_a_track_on_a_collective_is_invalid() -> None:
    assert "collective has no track" in one_error(
        doc(2025, collective("U", score=80, track="party"))
    )


def test_an_individual_needs_a_track() -> None:
    d = ok_staff()
    del d["track"]
    assert "track is required" in one_error(doc(2025, d))


@pytest.mark.parametrize(
    ("t", "fragment"),
    [
        (tasks(10, c=12, t=10), "tasks.completed (12) exceeds tasks.assigned (10)"),
        (tasks(10, c=8, t=9), "tasks.on_time (9) exceeds tasks.completed (8)"),
        (tasks(10, c=8, e=9), "tasks.exceeded (9) exceeds tasks.completed (8)"),
        ({"assigned": 0, "completed": 0, "on_time": 0, "exceeded": 0}, "tasks.assigned (0)"),
        ({"assigned": 10, "completed": 10, "on_time": 10}, "tasks.exceeded is required"),
        ({**tasks(), "late": 1}, "tasks.late: unknown key"),
        ({"assigned": 10, "completed": 10, "on_time": 10, "late": 0}, "tasks.late: unknown key"),
        ({"late": 0, "completed": 10, "on_time": 10, "exceeded": 0}, "tasks.assigned is required"),
        ({**tasks(), "assigned": "10"}, 'tasks.assigned must be an integer, not "10"'),
        ({**tasks(), "exceeded": True}, "tasks.exceeded must be an integer, not true"),
        ({**tasks(), "exceeded": -1}, "negative"),
        ({**tasks(), "assigned": Decimal("10.0")}, "tasks.assigned must be an integer"),
        ([1, 2], "tasks must be an object"),
    ],
)
def test_task_counts(t: Any, fragment: str) -> None:
    msgs = errors(doc(2025, ok_staff(tasks=t)))
    assert all(m.startswith('evaluations[0] (id "S"): ') for m in msgs)
    assert any(fragment in m for m in msgs), msgs


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("score", "80"),
        ("score", True),
        ("score", 101),
        ("score", -1),
        ("score", Decimal("100.01")),
        ("months_worked", 13),
        ("absent_months", "3"),
        ("low_confidence_share", Decimal("1.5")),
        ("general", "great"),
        ("results_grade", 3),
        ("degradation", "yes"),
        ("maternity", 1),
        ("peer_group", 5),
        ("party_admission", "2020-02-30"),
        ("party_admission", "20200101"),
        ("party_status", "retired"),
        ("manages", "U"),
        ("discipline", {"year": 2025}),
        ("shortcomings", {"previous": 1, "remedied": 2}),
        ("shortcomings", {"previous": 1}),
    ],
)
def test_field_types_and_ranges(field: str, value: Any) -> None:
    msg = one_error(doc(2025, ok_staff(**{field: value})))
    assert msg.startswith('evaluations[0] (id "S"): ') and field in msg


@pytest.mark.parametrize(
    ("entry", "fragment"),
    [
        ({}, "discipline[0].year is required"),
        ({"year": "2025"}, "discipline[0].year must be an integer"),
        ({"year": 2025, "duty_related": "no"}, "discipline[0].duty_related"),
        ({"year": 2025, "form": "khiển trách"}, "discipline[0].form: unknown key"),
    ],
)
def test_discipline_entries(entry: dict[str, Any], fragment: str) -> None:
    assert fragment in one_error(doc(2025, ok_staff(discipline=[entry])))


def test_unused_keys_are_range_checked_but_otherwise_ignored() -> None:
    assert (
        run(doc(2025, ok_staff(score=50, low_confidence_share=Decimal("0.9"))))["results"][0][
            "level"
        ]
        == "HTTNV"
    )
    assert "score" in one_error(doc(2025, ok_staff(score=150)))


@pytest.mark.parametrize(
    ("ev", "fragment"),
    [
        (staff("P", track="party", general="good", tasks=tasks()), "score is required under qd366"),
        (staff("P", track="party", score=80, tasks=None), "tasks"),
        (ok_staff(general=None), "general"),
        (staff("S", score=80), "general is required under nd90"),
        (collective("U"), "score is required under qd366"),
    ],
)
def test_fields_required_by_the_selected_rule_set(ev: dict[str, Any], fragment: str) -> None:
    ev = {k: v for k, v in ev.items() if v is not None}
    assert fragment in one_error(doc(2025, ev))


def test_qd124_needs_results_grade_and_tasks_even_for_collectives() -> None:
    msgs = errors(
        doc(2024, {"id": "U", "subject": "collective", "role": "organization", "general": "good"})
    )
    assert any("results_grade is required under qd124" in m for m in msgs)
    assert any("tasks is required under qd124" in m for m in msgs)


def test_all_field_errors_of_all_evaluations_come_in_one_pass() -> None:
    msgs = errors(
        doc(
            2025,
            ok_staff("A", score="1", tasks=tasks(10, c=11)),
            ok_staff("B", general="meh"),
            ok_staff("C", state_evaluation="nobody"),
        )
    )
    assert len(msgs) == 4
    assert [m.split(":")[0] for m in msgs] == [
        'evaluations[0] (id "A")',
        'evaluations[0] (id "A")',
        'evaluations[1] (id "B")',
        'evaluations[2] (id "C")',
    ]


@pytest.mark.parametrize(
    ("field", "target"),
    [
        ("state_evaluation", staff("T", track="party", score=80)),
        ("state_evaluation", collective("T", score=80)),
        ("leads", collective("T", "leadership", score=80)),
        ("leadership_of", staff("T", general="good")),
        ("head_of", staff("T", general="good")),
        ("parent", staff("T", general="good")),
    ],
)
def test_references_must_name_the_right_kind(field: str, target: dict[str, Any]) -> None:
    msg = one_error(doc(2025, target, ok_staff(**{field: "T"})))
    assert msg.startswith('evaluations[1] (id "S"): ' + field)


def test_manages_must_name_collectives_once_each() -> None:
    units = [collective("U", score=80)]
    assert "listed twice" in one_error(
        doc(2025, *units, leader("L", general="good", manages=["U", "U"]))
    )
    assert "must name a collective" in one_error(
        doc(2025, ok_staff("X"), leader("L", general="good", manages=["X"]))
    )
    assert "not the id of any" in one_error(doc(2025, leader("L", general="good", manages=["Q"])))


def test_a_peer_group_mixing_point_and_grade_rule_sets_is_invalid() -> None:
    evs = [ok_staff("A", peer_group="G"), staff("B", track="party", score=80, peer_group="G")]
    assert one_error(doc(2025, *evs)).startswith('peer group "G": mixes')


def test_a_state_and_a_party_group_may_mix_when_both_are_point_rule_sets() -> None:
    evs = [
        staff("A", score=80, peer_group="G"),
        staff("B", track="party", score=80, peer_group="G"),
    ]
    assert run(doc(2026, *evs))["quota"][0]["eligible"] == 2


def test_invalid_input_through_the_command_exits_2_with_nothing_on_stdout() -> None:
    proc = cli("-", stdin=dumps(doc(2025, ok_staff(tasks=tasks(10, c=12)))))
    assert proc.returncode == 2 and proc.stdout == b""
    assert proc.stderr.decode().strip() == (
        'evaluations[0] (id "S"): tasks.completed (12) exceeds tasks.assigned (10)'
    )


@pytest.mark.parametrize(
    "text",
    [b"{", b'{"year": 2025, "evaluations": [}', b"", b'{"year": NaN, "evaluations": []}', b"\xff"],
)
def test_malformed_json_exits_2(text: bytes) -> None:
    proc = cli("-", stdin=text)
    assert proc.returncode == 2 and proc.stdout == b""
    assert "malformed JSON" in proc.stderr.decode()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-32"])
def test_the_command_reads_every_json_encoding_as_json_loads_does(encoding: str) -> None:
    """The command decodes the bytes itself (so that it can drop them before building the
    document): the same encodings as ``json.loads`` of bytes, the same output."""
    text = dumps(doc(2025, ok_staff("Sĩ", general="Tốt"))).decode("utf-8")
    proc = cli("-", stdin=text.encode(encoding))
    assert proc.returncode == 2 and proc.stdout == b""
    assert proc.stderr.decode("utf-8").startswith('evaluations[0] (id "Sĩ"): general')


def test_bytes_that_are_not_utf8_are_named_by_position() -> None:
    proc = cli("-", stdin=b'{"year": 2025, "evaluations": [{"id": "\xff"}]}')
    assert proc.returncode == 2 and proc.stdout == b""
    assert proc.stderr.decode() == (
        "<stdin>: malformed JSON: 'utf-8' codec can't decode byte 0xff in position 39: "
        "invalid start byte\n"
    )


def test_numbers_written_as_strings_are_invalid_through_the_command() -> None:
    proc = cli("-", stdin=b'{"year": "2025", "evaluations": []}')
    assert proc.returncode == 2 and proc.stderr.decode().startswith("year:")


def test_a_cycle_through_the_command_exits_2() -> None:
    evs = [collective("A", score=80, parent="B"), collective("B", score=80, parent="A")]
    proc = cli("-", stdin=dumps(doc(2025, *evs)))
    assert proc.returncode == 2 and b"cycle" in proc.stderr


def test_unknown_rule_set_through_the_command_exits_2() -> None:
    proc = cli("-", stdin=dumps(doc(2025, rules={"state": "nd91"})))
    assert proc.returncode == 2 and proc.stderr.startswith(b"rules.state:")
