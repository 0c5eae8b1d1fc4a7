"""The self-review pages: who may open and act, htmx fragments and plain POSTs, the live
suggestion equal to `kiemdiem classify`, and a bounded number of queries."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kiemdiem.core.models import AuditEvent
from kiemdiem.orgs import people
from kiemdiem.reviews.evaluations.engine import classify_rows, dependency_closure, document_dumps
from kiemdiem.reviews.models import Evaluation, SelfReview
from tests.conftest import make_person, make_user
from tests.reviews.selfreview import support
from tests.reviews.selfreview.support import (
    GENERAL_FULL,
    PARTY_FULL,
    RESULTS_TEXT,
    VAGUE_TEXT,
    add_task,
    sections_for,
)

_fast_hashers = support._fast_hashers  # the autouse fixture, in this module too


@pytest.fixture
def setup(cast) -> support.Setup:
    return support.make_setup(cast)


HTMX = {"HTTP_HX_REQUEST": "true"}


def form_data(evaluation, *, version=0, criteria=None, text=RESULTS_TEXT, level="HTTNV", **extra):
    data = {
        "version": str(version),
        "proposed_level": level,
        "shortcomings_previous": "0",
        "shortcomings_remedied": "0",
    }
    for code, value in (criteria if criteria is not None else GENERAL_FULL).items():
        data[f"c-{code}"] = value
    for code, value in sections_for(evaluation, text).items():
        data[f"s-{code}"] = value
    data.update(extra)
    return data


def url(name, evaluation):
    return reverse(name, args=[evaluation.pk])


# --- the list and the form page ------------------------------------------------------------


def test_the_list_shows_the_signed_in_users_own_reviews(client, setup):
    client.force_login(setup.cast.staff)
    response = client.get(reverse("selfreview_list"))
    assert response.status_code == 200
    assert [e.code for e in response.context["mine"]] == ["P-ANH", "S-ANH"]
    assert response.context["to_review"] == []


def test_the_unit_heads_list_holds_the_collective_report_and_submitted_reviews_in_scope(
    client, setup
):
    add_task(setup.cast.staff_person, setup.cast.division)
    client.force_login(setup.cast.staff)
    client.post(url("selfreview_submit", setup.state), form_data(setup.state))
    client.force_login(setup.cast.unit_head)
    response = client.get(reverse("selfreview_list"))
    assert {e.code for e in response.context["mine"]} == {"O-PCC", "S-DUC"}
    assert [e.code for e in response.context["to_review"]] == ["S-ANH"]


@pytest.mark.parametrize(
    ("which", "code"),
    [
        ("state", "Phiếu đánh giá (NĐ 335/2025)"),
        ("party", "Mẫu 2B-HD KĐ.ĐG 2025"),
        ("collective", "Mẫu 01-HD KĐ.ĐG 2025"),
        ("leader", "Phiếu đánh giá (NĐ 335/2025)"),
    ],
)
def test_the_form_title_shows_the_form_code_of_the_subjects_kind(client, setup, which, code):
    evaluation = getattr(setup, which)
    author = setup.cast.unit_head if which in {"collective", "leader"} else setup.cast.staff
    client.force_login(author)
    response = client.get(url("selfreview_form", evaluation))
    assert response.status_code == 200
    assert code in response.context["title"]
    assert f'<span class="formcode">{code}</span>' in response.content.decode()
    assert response.context["editable"] is True


@pytest.mark.parametrize(
    ("who", "status", "editable"),
    [
        ("staff", 200, True),
        ("unit_head", 200, False),
        ("approver", 200, False),
        ("outsider", 403, None),
    ],
)
def test_the_author_edits_reviewers_read_and_an_outsider_is_refused(
    client, setup, who, status, editable
):
    client.force_login(getattr(setup.cast, who))
    response = client.get(url("selfreview_form", setup.state))
    assert response.status_code == status
    if editable is not None:
        assert response.context["editable"] is editable
        assert ("<textarea" in response.content.decode()) is editable


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, setup):
    response = client.get(url("selfreview_form", setup.state))
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    response = client.post(url("selfreview_save", setup.state), form_data(setup.state), **HTMX)
    assert response.status_code == 302
    assert not SelfReview.objects.exists()


def test_the_form_shows_the_ledgers_figures_and_a_link_to_the_ledger(client, setup):
    add_task(setup.cast.staff_person, setup.cast.division, quality="exceeds")
    client.force_login(setup.cast.staff)
    body = client.get(url("selfreview_form", setup.state)).content.decode()
    assert '<dd data-count="assigned">1</dd>' in body
    assert '<dd data-count="exceeded">1</dd>' in body
    assert '<dd data-count="results_score">70/70</dd>' in body
    assert reverse("ledger_mine") + "?nam=2026" in body


def test_a_leaders_form_shows_the_units_task_statistics_per_person_and_in_total(client, setup):
    cast = setup.cast
    add_task(cast.staff_person, cast.division)
    add_task(cast.staff_person, cast.division, delivered=None)
    add_task(cast.head_person, cast.division)
    client.force_login(cast.unit_head)
    response = client.get(url("selfreview_form", setup.leader))
    lines = {line.person.full_name: line.counts for line in response.context["unit_ledger"].lines}
    assert lines["Nguyễn Thị Ánh"] == {"assigned": 2, "completed": 1, "on_time": 1, "exceeded": 0}
    assert response.context["unit_ledger"].totals["assigned"] == 3
    assert "Cả đơn vị" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "scope"),
    [("cell_secretary", "cell"), ("inspector", "department_party")],
)
def test_the_units_task_table_is_shown_only_to_those_who_may_open_that_units_ledger(
    client, setup, role, scope
):
    """Issue 13: the leader's party-track self-review is visible over the party cell, but the
    task table of the unit the leader leads is a list of other people's work: shown to those
    who get the unit's ledger page, hidden from a cell secretary or an inspection committee
    whose scope does not hold the unit."""
    cast = setup.cast
    add_task(cast.staff_person, cast.division)
    party_leader = Evaluation.objects.create(
        cycle=setup.cycle,
        code="P-DUC",
        subject="individual",
        role="leader",
        track="party",
        person=cast.head_person,
        organization=cast.cell,
        leads=setup.collective,
        template=support.load_template("qd366-pl3-lanh-dao"),
    )
    viewer = make_user(f"vai-{role}", role=role, org=getattr(cast, scope))
    client.force_login(viewer)
    assert client.get(reverse("ledger_unit", args=[cast.division.pk])).status_code == 403
    response = client.get(url("selfreview_form", party_leader))
    assert response.status_code == 200
    assert response.context["unit_ledger"] is None
    body = response.content.decode()
    assert 'id="sr-unit"' not in body and "Nguyễn Thị Ánh" not in body
    client.force_login(cast.unit_head)  # the leader, who may open the unit's ledger
    assert client.get(url("selfreview_form", party_leader)).context["unit_ledger"] is not None


# --- autosave ------------------------------------------------------------------------------


def test_autosave_returns_the_new_version_into_the_form(client, setup):
    client.force_login(setup.cast.staff)
    response = client.post(url("selfreview_save", setup.state), form_data(setup.state), **HTMX)
    assert response.status_code == 200
    assert response["X-Selfreview-Version"] == "1"
    body = response.content.decode()
    assert 'id="sr-version" value="1" hx-swap-oob="true"' in body
    assert SelfReview.objects.get().sections["ket_qua_nhiem_vu"] == RESULTS_TEXT


def test_an_autosave_from_a_stale_page_is_refused_with_a_message_to_reload(client, setup):
    client.force_login(setup.cast.staff)
    client.post(url("selfreview_save", setup.state), form_data(setup.state), **HTMX)
    response = client.post(
        url("selfreview_save", setup.state), form_data(setup.state, text="Bản cũ"), **HTMX
    )
    assert response.status_code == 409
    assert response["X-Selfreview"] == "conflict"
    assert "Hãy tải lại trang" in response.content.decode()
    assert SelfReview.objects.get().sections["ket_qua_nhiem_vu"] == RESULTS_TEXT


def test_a_plain_post_save_redirects_back_to_the_form(client, setup):
    client.force_login(setup.cast.staff)
    response = client.post(url("selfreview_save", setup.state), form_data(setup.state))
    assert response.status_code == 302 and response["Location"] == url(
        "selfreview_form", setup.state
    )


def test_a_save_with_an_invalid_field_never_says_saved_beside_the_error(client, setup):
    client.force_login(setup.cast.staff)
    data = form_data(setup.state, level="KHONGCO")
    response = client.post(url("selfreview_save", setup.state), data)
    page = response.content.decode()
    assert response.status_code == 200 and "Chọn một mức xếp loại trong danh sách." in page
    assert "Đã lưu" not in page
    assert "còn 1 ô chưa hợp lệ" in page
    htmx = client.post(
        url("selfreview_save", setup.state), form_data(setup.state, version=1, level="X"), **HTMX
    ).content.decode()
    assert "Còn ô chưa hợp lệ" in htmx and "Đã tự động lưu" not in htmx
    version = SelfReview.objects.get().version  # an unchanged save keeps the version
    clean = client.post(
        url("selfreview_save", setup.state), form_data(setup.state, version=version)
    )
    assert clean.status_code == 302
    assert "Đã lưu bản tự kiểm điểm." in client.get(clean["Location"]).content.decode()


@pytest.mark.parametrize("who", ["unit_head", "approver", "outsider"])
def test_nobody_but_the_author_saves_previews_or_submits(client, setup, who):
    client.force_login(getattr(setup.cast, who))
    for name in ("selfreview_save", "selfreview_preview", "selfreview_submit"):
        response = client.post(url(name, setup.state), form_data(setup.state), **HTMX)
        assert response.status_code == 403, name
    assert not SelfReview.objects.exists()


# --- the live preview ----------------------------------------------------------------------


def engine_level(evaluation, facts) -> str:
    """`kiemdiem classify` on the closure's document with the same facts."""
    rows = dependency_closure(evaluation.cycle, [evaluation.pk])
    rows[evaluation.pk] = {**rows[evaluation.pk], **facts}
    _suggestions, document = classify_rows(evaluation.cycle, rows)
    command = subprocess.run(
        [sys.executable, "-m", "kiemdiem.cli", "classify", "-"],
        input=document_dumps(document),
        capture_output=True,
        text=True,
        check=True,
    )
    results = {r["id"]: r for r in json.loads(command.stdout)["results"]}
    return results[evaluation.code]["level"]


@pytest.mark.parametrize(
    ("which", "criteria", "expected"),
    [
        ("state", GENERAL_FULL, "HTXSNV"),
        ("state", {**GENERAL_FULL, "1.1": "0", "1.2": "0", "1.3": "0"}, "HTTNV"),
        ("party", PARTY_FULL, "HTTNV"),
        ("party", {**PARTY_FULL, "2.1": "0", "2.2": "5"}, "HTNV"),
    ],
)
def test_the_previews_suggested_level_is_what_kiemdiem_classify_says(
    client, setup, which, criteria, expected
):
    add_task(setup.cast.staff_person, setup.cast.division)
    evaluation = getattr(setup, which)
    client.force_login(setup.cast.staff)
    response = client.post(
        url("selfreview_preview", evaluation), form_data(evaluation, criteria=criteria)
    )
    assert response.status_code == 200
    suggestion = response.context["suggestion"]
    assert suggestion.level == expected
    assert suggestion.level == engine_level(evaluation, response.context["mapped"].facts)
    assert suggestion.reasons and suggestion.reasons[0]["rule"]


def test_the_preview_saves_nothing_and_returns_the_fragments(client, setup):
    add_task(setup.cast.staff_person, setup.cast.division)
    client.force_login(setup.cast.staff)
    events = AuditEvent.objects.count()
    response = client.post(
        url("selfreview_preview", setup.state), form_data(setup.state, text=VAGUE_TEXT), **HTMX
    )
    body = response.content.decode()
    assert response["X-Selfreview"] == "preview"
    assert body.lstrip().startswith('<section id="sr-preview"')
    assert 'data-level="HTXSNV"' in body
    assert 'id="q-ket_qua_nhiem_vu" class="sr-qfeedback" hx-swap-oob="true"' in body
    assert '<mark class="f-vague"' in body
    assert "<html" not in body
    assert not SelfReview.objects.exists()
    assert AuditEvent.objects.count() == events
    setup.state.refresh_from_db()
    assert setup.state.score is None


def test_the_quantification_indicator_rises_with_concrete_products(client, setup):
    client.force_login(setup.cast.staff)
    vague = client.post(
        url("selfreview_preview", setup.state), form_data(setup.state, text=VAGUE_TEXT)
    ).context["report"]
    concrete = client.post(
        url("selfreview_preview", setup.state),
        form_data(setup.state, text=VAGUE_TEXT + " Ban hành 12 văn bản, 100% hồ sơ đúng hạn."),
    ).context["report"]
    assert vague.score == 0 < concrete.score
    assert vague.level_label == "Chưa lượng hóa"


# --- submit and return through the pages ---------------------------------------------------


def test_a_failed_submission_shows_the_messages_and_keeps_what_was_typed(client, setup):
    client.force_login(setup.cast.staff)
    data = form_data(setup.state, level="", text="Ghi chú đang viết dở")
    response = client.post(url("selfreview_submit", setup.state), data)
    assert response.status_code == 400
    assert response.context["errors"]["proposed_level"] == "Chưa tự xếp loại."
    assert "Bản tự kiểm điểm chưa đầy đủ, chưa thể nộp." in response.content.decode()
    review = SelfReview.objects.get()
    assert (review.status, review.sections["ket_qua_nhiem_vu"]) == ("draft", "Ghi chú đang viết dở")
    assert response.context["version"] == review.version


def test_submit_then_return_then_the_person_sees_the_reason(client, setup):
    add_task(setup.cast.staff_person, setup.cast.division)
    client.force_login(setup.cast.staff)
    response = client.post(url("selfreview_submit", setup.state), form_data(setup.state))
    assert response.status_code == 302
    page = client.get(url("selfreview_form", setup.state))
    assert page.context["editable"] is False and "Đã nộp lúc" in page.content.decode()

    client.force_login(setup.cast.unit_head)
    page = client.get(url("selfreview_form", setup.state))
    assert page.context["can_return"] is True
    response = client.post(url("selfreview_return", setup.state), {"reason": ""})
    assert response.status_code == 400
    assert "Phải nêu lý do trả lại." in response.content.decode()
    response = client.post(
        url("selfreview_return", setup.state), {"reason": "Nêu rõ số văn bản đã ban hành."}
    )
    assert response.status_code == 302

    client.force_login(setup.cast.staff)
    page = client.get(url("selfreview_form", setup.state))
    assert page.context["editable"] is True
    assert "Nêu rõ số văn bản đã ban hành." in page.content.decode()


@pytest.mark.parametrize(
    ("who", "status"), [("staff", 403), ("outsider", 403), ("approver", 302), ("unit_head", 302)]
)
def test_only_a_reviewer_with_scope_returns_through_the_page(client, setup, who, status):
    add_task(setup.cast.staff_person, setup.cast.division)
    client.force_login(setup.cast.staff)
    client.post(url("selfreview_submit", setup.state), form_data(setup.state))
    client.force_login(getattr(setup.cast, who))
    response = client.post(url("selfreview_return", setup.state), {"reason": "Bổ sung."})
    assert response.status_code == status
    expected = "returned" if status == 302 else "submitted"
    assert SelfReview.objects.get().status == expected


# --- query count ---------------------------------------------------------------------------


GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khoa", "Lan", "Minh", "Nga"]


def add_colleagues(setup, count: int, offset: int = 0) -> None:
    for i in range(offset, offset + count):
        name = f"Phạm {GIVEN[i // len(GIVEN)]} {GIVEN[i % len(GIVEN)]}"
        person = make_person(name, gender="male", born=dt.date(1990, 1, 1))
        people.position_add(
            actor=None,
            person=person,
            organization=setup.cast.division,
            title="Chuyên viên",
            start_date=dt.date(2020, 1, 1),
        )
        add_task(person, setup.cast.division)


def queries_for(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_form_page_costs_the_same_bounded_queries_for_3_and_30_colleagues(client, setup):
    client.force_login(setup.cast.unit_head)
    path = url("selfreview_form", setup.leader)
    add_colleagues(setup, 3)
    few = queries_for(client, path)
    add_colleagues(setup, 27, offset=3)
    many = queries_for(client, path)
    assert few == many, (few, many)
    assert many <= 23, many  # + unread count, + ledger products (evidence), + the statistics link


def test_a_grade_form_of_2024_shows_grade_selects_and_its_suggestion_is_the_engines(client, cast):
    s = support.make_setup(cast, year=2024, party_rules="qd124", state_rules="nd90")
    s.party.template = support.load_template("qd124-mau02a-khong-chuc-vu")
    s.party.save(update_fields=["template"])
    support.add_task(
        cast.staff_person,
        cast.division,
        year=2024,
        quality="exceeds",
        deadline=dt.date(2024, 6, 30),
        completed_on=dt.date(2024, 6, 1),
    )
    client.force_login(cast.staff)
    page = client.get(url("selfreview_form", s.party))
    assert "Mẫu 02A-HD KĐ.ĐG 2023" in page.context["title"]
    assert '<select id="id-c-chinh_tri" name="c-chinh_tri"' in page.content.decode()
    grades = {
        c["code"]: "excellent" for g in s.party.template.definition["groups"] for c in g["criteria"]
    }
    for general, expected in (("excellent", "HTXSNV"), ("average", "HTNV")):
        response = client.post(
            url("selfreview_preview", s.party),
            form_data(s.party, criteria={**grades, "van_hoa": general}),
        )
        facts = response.context["mapped"].facts
        assert facts["general"] == general and facts["results_grade"] == "excellent"
        assert response.context["suggestion"].level == expected
        assert engine_level(s.party, facts) == expected


def add_submitted(setup, count: int, offset: int = 0) -> None:
    """Colleagues with submitted state-track reviews in the unit head's scope."""
    for i in range(offset, offset + count):
        name = f"Võ {GIVEN[i // len(GIVEN)]} {GIVEN[i % len(GIVEN)]}"
        person = make_person(name, gender="male", born=dt.date(1991, 1, 1))
        evaluation = Evaluation.objects.create(
            cycle=setup.cycle,
            code=f"S-{i}",
            subject="individual",
            role="staff",
            track="state",
            person=person,
            organization=setup.cast.division,
            status="submitted",
            template=setup.state.template,
        )
        SelfReview.objects.create(evaluation=evaluation, status="submitted", quantification=50)


def test_the_list_page_costs_the_same_bounded_queries_for_3_and_30_submitted_reviews(client, setup):
    client.force_login(setup.cast.unit_head)
    path = reverse("selfreview_list")
    add_submitted(setup, 3)
    few = queries_for(client, path)
    add_submitted(setup, 27, offset=3)
    response = client.get(path)
    assert len(response.context["to_review"]) == 30
    many = queries_for(client, path)
    assert few == many, (few, many)
    assert many <= 13, many  # 10 + head posts (roles by position), second factor, statistics link


def test_the_indicator_is_checked_against_the_ledgers_products_with_the_reason(client, setup):
    from kiemdiem.ledger.models import Product

    task = support.add_task(setup.cast.staff_person, setup.cast.division)
    Product.objects.create(
        result=task.results.get(),
        kind="document",
        title="Báo cáo thẩm định",
        doc_kind="BC",
        doc_kind_name="Báo cáo",
        doc_number=7,
        doc_symbol="7/BC-SNV",
        doc_date=dt.date(2025, 12, 20),  # before the task was assigned (05/01/2026)
    )
    client.force_login(setup.cast.staff)
    text = "Thẩm định 10 hồ sơ theo Báo cáo số 7/BC-SNV ngày 20/12/2025 của Sở Nội vụ."
    response = client.post(
        url("selfreview_preview", setup.state), form_data(setup.state, text=text)
    )
    evidence = response.context["evidence"]
    assert [i.kind for i in evidence.issues] == ["before_assignment"]
    assert evidence.score == response.context["report"].score - 10
    page = response.content.decode()
    assert "trước ngày giao nhiệm vụ “Thẩm định hồ sơ” (05/01/2026)" in page
    assert f"mức lượng hóa còn {evidence.score}/100" in page
