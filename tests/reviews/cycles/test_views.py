"""The review-cycle pages: who may list, create, look at and change a cycle; the create form's
refusals (the service's messages, nothing written); the open and recompute buttons (a Job,
then the job page); the query count of the cycle page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kiemdiem.accounts.models import Role
from kiemdiem.core.models import AuditEvent, Job
from kiemdiem.orgs.models import Person
from kiemdiem.reviews.criteria.loader import criteria_load
from kiemdiem.reviews.cycles.opening import cycle_open
from kiemdiem.reviews.cycles.peer_groups import peer_group_create
from kiemdiem.reviews.cycles.services import cycle_create
from kiemdiem.reviews.models import CriteriaTemplate, Cycle, Evaluation, PeerGroup
from tests.conftest import make_user
from tests.web.test_query_counts import add_people

HTMX = {"HTTP_HX_REQUEST": "true"}
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def cycle(cast):
    criteria_load()
    return cycle_create(
        actor=None, name="Kiểm điểm năm 2025 Sở Nội vụ", year=2025, scope=cast.department
    )


@pytest.fixture
def opened(cycle):
    cycle_open(actor=None, cycle=cycle)
    cycle.refresh_from_db()
    if not PeerGroup.objects.filter(cycle=cycle).exists():
        peer_group_create(actor=None, cycle=cycle, code="NN-THU", name="Nhóm thử")
    return cycle


@pytest.fixture
def people(cast):
    """The cast plus a superuser, a competent level and an inspector over the province."""
    User = get_user_model()
    return {
        "staff": cast.staff,
        "unit_head": cast.unit_head,
        "approver": cast.approver,
        "outsider": cast.outsider,
        "superuser": User.objects.create_superuser(username="quantri", password="x-Quantri-1!"),
        "competent": make_user("thamquyen", role=Role.COMPETENT, org=cast.province),
        "inspector": make_user("kiemtra", role=Role.INSPECTOR, org=cast.department),
        # Personnel of a sibling division only: a narrower scope than the cycle's.
        "narrow": make_user("tochucphong", role=Role.PERSONNEL, org=cast.sibling),
    }


def as_user(client, user):
    client.force_login(user)
    return client


def counts() -> dict[str, int]:
    return {
        "cycles": Cycle.objects.count(),
        "audit": AuditEvent.objects.count(),
        "jobs": Job.objects.count(),
        "evaluations": Evaluation.objects.count(),
    }


MANAGERS = ["approver", "superuser"]
VIEWERS = ["competent", "inspector"]
OTHERS = ["staff", "unit_head", "outsider", "narrow"]


# --------------------------------------------------------------------------- the list


def test_the_list_shows_a_cycle_to_those_over_its_scope_only(client, people, cycle):
    for who in MANAGERS + VIEWERS:
        response = as_user(client, people[who]).get(reverse("cycle_list"))
        assert response.status_code == 200
        assert cycle.name in response.content.decode(), who
    for who in OTHERS:
        response = as_user(client, people[who]).get(reverse("cycle_list"))
        assert response.status_code == 200
        assert cycle.name not in response.content.decode(), who
        assert "Chưa có đợt kiểm điểm nào trong phạm vi của bạn." in response.content.decode()


def test_the_list_offers_creation_only_to_personnel_and_admins(client, people, cycle):
    create = reverse("cycle_create")
    assert create in as_user(client, people["approver"]).get(reverse("cycle_list")).content.decode()
    page = as_user(client, people["competent"]).get(reverse("cycle_list")).content.decode()
    assert create not in page
    assert "15/12/2025" in page and "31/12/2025" in page  # deadlines as dd/mm/yyyy


def test_the_list_costs_the_same_queries_for_one_cycle_and_three(client, people, cycle, cast):
    client = as_user(client, people["approver"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("cycle_list")).status_code == 200
        return len(ctx.captured_queries)

    one = queries()
    for year in (2024, 2026):
        cycle_create(actor=None, name=f"Năm {year}", year=year, scope=cast.department)
    assert queries() == one


def test_the_nav_links_to_the_cycles_for_every_signed_in_user(client, people):
    page = as_user(client, people["staff"]).get(reverse("home")).content.decode()
    assert reverse("cycle_list") in page and "Đợt kiểm điểm" in page


# --------------------------------------------------------------------------- create


def create_data(**overrides):
    data = {
        "name": "Kiểm điểm năm 2025 Sở Nội vụ",
        "year": "2025",
        "quarter": "",
        "scope": "SNV",
        "party_rules": "",
        "state_rules": "",
        "state_deadline": "",
        "party_deadline": "",
        "special_deadline": "",
        "min_quantification": "",
    }
    return {**data, **overrides}


@pytest.mark.parametrize("who", MANAGERS)
def test_personnel_over_the_scope_and_superusers_open_the_create_form(client, people, who):
    assert as_user(client, people[who]).get(reverse("cycle_create")).status_code == 200


@pytest.mark.parametrize("who", ["staff", "unit_head", "outsider", "competent", "inspector"])
def test_other_roles_may_not_create_a_cycle(client, people, who):
    client = as_user(client, people[who])
    assert client.get(reverse("cycle_create")).status_code == 403
    assert client.post(reverse("cycle_create"), create_data()).status_code == 403
    assert not Cycle.objects.exists()


def test_a_cycle_is_created_with_rule_sets_and_deadlines_defaulting_from_the_year(
    client, people, cast
):
    criteria_load()
    client = as_user(client, people["approver"])
    response = client.post(
        reverse("cycle_create"), create_data(scope="SNV — Sở Nội vụ", min_quantification="60")
    )
    created = Cycle.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("cycle_detail", args=[created.pk])
    assert (created.scope, created.party_rules, created.state_rules) == (
        cast.department,
        "qd366",
        "nd90",
    )
    assert (created.state_deadline, created.party_deadline, created.special_deadline) == (
        dt.date(2025, 12, 15),
        dt.date(2025, 12, 31),
        dt.date(2026, 1, 15),
    )
    assert created.min_quantification == 60
    assert created.created_by == people["approver"]


def test_dates_are_entered_as_dd_mm_yyyy_and_a_quarter_is_optional(client, people):
    criteria_load()
    client = as_user(client, people["approver"])
    data = create_data(
        quarter="3",
        party_rules="qd124",
        state_deadline="10/09/2025",
        party_deadline="25/09/2025",
        special_deadline="",
    )
    assert client.post(reverse("cycle_create"), data).status_code == 302
    created = Cycle.objects.get()
    assert (created.quarter, created.party_rules) == (3, "qd124")
    assert (created.state_deadline, created.party_deadline) == (
        dt.date(2025, 9, 10),
        dt.date(2025, 9, 25),
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"party_rules": "qd999"},
            "party_rules",
            "Bộ quy tắc “qd999” không tồn tại (có: haiphong212, nd335, nd90, qd124, qd366).",
        ),
        (
            {"state_deadline": "20/12/2025", "party_deadline": "10/12/2025"},
            "party_deadline",
            "Hạn xếp loại đảng viên, tổ chức đảng (10/12/2025) không được trước hạn xếp loại "
            "cán bộ, công chức, viên chức (20/12/2025).",
        ),
        (
            {"state_rules": "qd366"},
            "state_rules",
            "“qd366” là bộ quy tắc bên Đảng, không dùng cho bên chính quyền.",
        ),
        ({"year": "1999"}, "year", "Năm đánh giá phải từ 2018 đến 2100."),
        ({"name": ""}, "name", "Tên đợt không được để trống."),
        ({"scope": "TU"}, "scope", "Bạn không có quyền quản lý “Đảng bộ tỉnh Hậu Giang”."),
        ({"scope": "KHONGCO"}, "scope", "Không có tổ chức nào mang mã “KHONGCO”."),
        ({"party_deadline": "31/02/2025"}, "party_deadline", None),
    ],
)
def test_bad_create_input_is_shown_next_to_its_field_and_nothing_is_written(
    client, people, overrides, field, message
):
    client = as_user(client, people["approver"])
    before = counts()
    response = client.post(reverse("cycle_create"), create_data(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    if message is None:
        message = "Nhập ngày theo dạng dd/mm/yyyy, ví dụ 17/05/1985."
    assert errors == [message]
    assert message in response.content.decode()
    assert counts() == before


def test_a_second_cycle_for_the_same_scope_and_year_is_refused_next_to_the_scope(
    client, people, cycle
):
    client = as_user(client, people["approver"])
    before = counts()
    response = client.post(reverse("cycle_create"), create_data(name="Lần hai"))
    assert response.context["form"].errors["scope"] == [
        "Đã có đợt kiểm điểm năm 2025 cho phạm vi “Sở Nội vụ”."
    ]
    assert counts() == before


# --------------------------------------------------------------------------- the cycle page


@pytest.mark.parametrize("who", MANAGERS + VIEWERS)
def test_the_cycle_page_is_shown_to_managers_and_to_the_competent_and_inspecting_levels(
    client, people, opened, who
):
    response = as_user(client, people[who]).get(reverse("cycle_detail", args=[opened.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert opened.name in page
    buttons = reverse("cycle_open_start", args=[opened.pk]) in page
    assert buttons is (who in MANAGERS)


@pytest.mark.parametrize("who", OTHERS)
def test_the_cycle_page_is_refused_to_everyone_else(client, people, cycle, who):
    response = as_user(client, people[who]).get(reverse("cycle_detail", args=[cycle.pk]))
    assert response.status_code == 403


def test_the_cycle_page_shows_counts_and_templates_with_the_other_parts_as_counted_tabs(
    client, people, opened
):
    client = as_user(client, people["approver"])
    url = reverse("cycle_detail", args=[opened.pk])
    page = client.get(url).content.decode()
    total = Evaluation.objects.filter(cycle=opened).count()
    groups = PeerGroup.objects.filter(cycle=opened)
    assert total > 0
    assert f"Phiếu đánh giá: {total}" in page
    assert "Chưa nộp tự đánh giá" in page
    assert "Mẫu 2A-HD KĐ.ĐG 2025" in page  # party leaders' template
    assert "Tính lại mức gợi ý" in page  # an open cycle can be recomputed
    assert f'Nhóm tương đồng <span class="count">{groups.count()}</span>' in page
    assert not any(f'id="pg-{group.pk}"' in page for group in groups)  # on their own tab
    tab = client.get(url, {"tab": "nhom"}).content.decode()
    for group in groups:
        assert group.code in tab
    assert "Mẫu 2A-HD KĐ.ĐG 2025" not in tab
    assert client.get(url, {"tab": "khong-co"}).status_code == 200  # unknown tab: overview


def test_the_excluded_tab_is_paged_by_100_with_the_full_count(client, people, opened, cast):
    add_people(cast.division, 1205)
    Evaluation.objects.bulk_create(
        [
            Evaluation(
                cycle=opened,
                code=f"X{person.pk}",
                subject=Evaluation.Subject.INDIVIDUAL,
                role=Evaluation.Role.STAFF,
                track=Evaluation.Track.STATE,
                person=person,
                organization=cast.division,
                excluded=True,
                exclusion_reason="Dưới 6 tháng công tác (ND90-2).",
            )
            for person in Person.objects.filter(identity_number__startswith="001080")
        ]
    )
    excluded = Evaluation.objects.filter(cycle=opened, excluded=True).count()
    assert excluded >= 1205
    client = as_user(client, people["approver"])
    url = reverse("cycle_detail", args=[opened.pk])
    page = client.get(url, {"tab": "loai-tru"}).content.decode()
    shown = f"{excluded:,}".replace(",", ".")  # Vietnamese thousands separator
    assert f"Không xếp loại: {shown}" in page
    assert f"Trang 1/{-(-excluded // 100)}" in page
    assert page.count("Dưới 6 tháng công tác (ND90-2).") == 100
    last = client.get(url, {"tab": "loai-tru", "trang": "999"}).content.decode()
    assert last.count("Dưới 6 tháng công tác (ND90-2).") == excluded - 100 * (excluded // 100)


def test_the_cycle_page_costs_the_same_queries_for_a_small_and_a_larger_tree(
    client, people, cycle, cast
):
    client = as_user(client, people["approver"])
    url = reverse("cycle_detail", args=[cycle.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            for tab in ("tong-quan", "nhom", "loai-tru", "ngoai-nhom"):
                assert client.get(url, {"tab": tab}).status_code == 200
        return len(ctx.captured_queries)

    add_people(cast.division, 2)
    cycle_open(actor=None, cycle=cycle)
    small = Evaluation.objects.filter(cycle=cycle).count()
    few = queries()
    add_people(cast.division, 60, offset=2)
    cycle_open(actor=None, cycle=cycle)
    assert Evaluation.objects.filter(cycle=cycle).count() >= small + 60
    assert queries() == few
    assert few <= 4 * 14  # per tab: the counts, its page of rows, the session and 2FA device


# --------------------------------------------------------------------------- templates


def other_template(cycle, slot="party.staff"):
    return (
        CriteriaTemplate.objects.filter(track="party", is_active=True)
        .exclude(pk=cycle.templates[slot])
        .first()
    )


def test_a_template_is_changed_while_draft_with_htmx_getting_the_section_only(
    client, people, cycle
):
    client = as_user(client, people["approver"])
    url = reverse("cycle_template_set", args=[cycle.pk])
    template = other_template(cycle)
    response = client.post(url, {"slot": "party.staff", "template": template.pk}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="cycle-templates"' in body and "<html" not in body
    cycle.refresh_from_db()
    assert cycle.templates["party.staff"] == template.pk


def test_a_template_change_works_as_a_plain_post(client, people, cycle):
    client = as_user(client, people["approver"])
    template = other_template(cycle, "collective")
    response = client.post(
        reverse("cycle_template_set", args=[cycle.pk]),
        {"slot": "collective", "template": template.pk},
    )
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.templates["collective"] == template.pk


def test_a_template_change_after_opening_is_refused_with_the_services_message(
    client, people, opened
):
    client = as_user(client, people["approver"])
    before = dict(opened.templates)
    response = client.post(
        reverse("cycle_template_set", args=[opened.pk]),
        {"slot": "party.staff", "template": other_template(opened).pk},
    )
    assert response.status_code == 200
    assert "Chỉ đổi mẫu tiêu chí trước khi mở đợt." in response.content.decode()
    opened.refresh_from_db()
    assert opened.templates == before


def test_a_state_template_is_refused_for_a_party_slot(client, people, cycle):
    client = as_user(client, people["approver"])
    state = CriteriaTemplate.objects.filter(track="state").first()
    response = client.post(
        reverse("cycle_template_set", args=[cycle.pk]),
        {"slot": "party.staff", "template": state.pk},
        **HTMX,
    )
    assert f"Mẫu “{state}” không dùng được cho “Đảng viên không giữ chức vụ”." in (
        response.content.decode()
    )


# --------------------------------------------------------------------------- peer-group ratio

TOO_HIGH = (
    "Tỷ lệ 0.30 vượt mức tối đa 0.25: số HTXSNV không quá 25% số HTTNV (QĐ 366, Điều 11 khoản 1)."
)


def test_a_ratio_above_a_quarter_is_refused_with_the_services_message(client, people, opened):
    client = as_user(client, people["approver"])
    group = PeerGroup.objects.filter(cycle=opened).first()
    url = reverse("cycle_peer_group_ratio", args=[opened.pk, group.pk])
    before = counts()
    htmx = client.post(url, {"ratio": "0.30"}, **HTMX)
    assert TOO_HIGH in htmx.content.decode()
    assert f'id="pg-{group.pk}"' in htmx.content.decode() and "<html" not in htmx.content.decode()
    plain = client.post(url, {"ratio": "0.30"})
    assert plain.status_code == 200 and TOO_HIGH in plain.content.decode()
    group.refresh_from_db()
    assert group.ratio == "0.20"
    assert counts() == before


def test_a_valid_ratio_is_saved_and_audited(client, people, opened):
    client = as_user(client, people["approver"])
    group = PeerGroup.objects.filter(cycle=opened).first()
    url = reverse("cycle_peer_group_ratio", args=[opened.pk, group.pk])
    response = client.post(url, {"ratio": "0.25", "reason": "Đơn vị nổi trội"})
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.ratio == "0.25"
    event = AuditEvent.objects.get(action="peer_group.set_ratio")
    assert (event.actor, event.reason) == (people["approver"], "Đơn vị nổi trội")


# --------------------------------------------------------------------------- forbidden actions


@pytest.mark.parametrize("who", VIEWERS + OTHERS)
def test_only_managers_may_change_open_or_recompute_a_cycle(
    client, people, opened, who, django_capture_on_commit_callbacks
):
    client = as_user(client, people[who])
    group = PeerGroup.objects.filter(cycle=opened).first()
    posts = [
        (reverse("cycle_template_set", args=[opened.pk]), {"slot": "party.staff"}),
        (reverse("cycle_peer_group_ratio", args=[opened.pk, group.pk]), {"ratio": "0.10"}),
        (reverse("cycle_open_start", args=[opened.pk]), {}),
        (reverse("cycle_recompute", args=[opened.pk]), {}),
    ]
    before = counts()
    with django_capture_on_commit_callbacks() as callbacks:
        for url, data in posts:
            assert client.post(url, data).status_code == 403, url
    assert callbacks == []
    assert counts() == before
    group.refresh_from_db()
    assert group.ratio == "0.20"


def test_the_buttons_accept_post_only(client, people, cycle):
    client = as_user(client, people["approver"])
    assert client.get(reverse("cycle_open_start", args=[cycle.pk])).status_code == 405
    assert not Job.objects.exists()


# --------------------------------------------------------------------------- open, recompute


def test_the_open_button_creates_a_job_and_enqueues_it_on_commit(
    client, people, cycle, django_capture_on_commit_callbacks
):
    client = as_user(client, people["approver"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("cycle_open_start", args=[cycle.pk]))
    job = Job.objects.get()
    assert (job.kind, job.status, job.created_by) == ("open_cycle", "queued", people["approver"])
    assert job.title == "Mở đợt “Kiểm điểm năm 2025 Sở Nội vụ”"
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.task_result_id  # enqueued with the database backend
    assert response.status_code == 302
    assert response.url.startswith(reverse("job_detail", args=[job.pk]) + "?next=")


def test_the_recompute_button_creates_a_job_and_enqueues_it_on_commit(
    client, people, opened, django_capture_on_commit_callbacks
):
    client = as_user(client, people["approver"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("cycle_recompute", args=[opened.pk]))
    job = Job.objects.get()
    assert (job.kind, job.created_by) == ("cycle.recompute", people["approver"])
    assert len(callbacks) == 1
    assert response.url.startswith(reverse("job_detail", args=[job.pk]))


@pytest.mark.django_db(transaction=True)
def test_an_opening_run_to_the_end_shows_succeeded_with_done_equal_to_total(
    client, people, cycle, settings
):
    # The immediate backend runs the task inside the request once the Job row commits; the
    # test is transactional because job_progress refuses to run inside a transaction.
    settings.TASKS = IMMEDIATE
    client = as_user(client, people["approver"])
    response = client.post(reverse("cycle_open_start", args=[cycle.pk]))
    job = Job.objects.get(kind="open_cycle")  # (the statistics refresh it asks for is another)
    assert job.status == Job.Status.SUCCEEDED
    assert job.total > 0 and job.done == job.total
    cycle.refresh_from_db()
    assert cycle.status == Cycle.Status.OPEN
    assert Evaluation.objects.filter(cycle=cycle).count() == job.result["created"] > 0
    page = client.get(response.url)
    body = page.content.decode()
    assert "Hoàn thành" in body and "100%" in body and f"({job.done}/{job.total})" in body
    assert 'hx-trigger="every 1s"' not in body
    assert f'href="{reverse("cycle_detail", args=[cycle.pk])}"' in body


@pytest.mark.django_db(transaction=True)
def test_a_recompute_run_to_the_end_shows_succeeded(client, people, opened, settings):
    settings.TASKS = IMMEDIATE
    client = as_user(client, people["approver"])
    response = client.post(reverse("cycle_recompute", args=[opened.pk]))
    job = Job.objects.get(kind="cycle.recompute")
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert job.done == job.total
    assert "Hoàn thành" in client.get(response.url).content.decode()


def test_a_staff_member_sees_the_cycles_they_take_part_in_with_their_deadline(
    client, people, opened
):
    staff = people["staff"]
    mine = Evaluation.objects.filter(cycle=opened, person__user=staff).select_related("cycle")
    assert mine.exists()
    page = as_user(client, staff).get(reverse("cycle_list")).content.decode()
    assert "Đợt bạn tham gia" in page and opened.name in page
    assert "Chưa có đợt kiểm điểm nào trong phạm vi của bạn." not in page
    for ev in mine:
        assert reverse("selfreview_form", args=[ev.pk]) in page
        assert f"hạn xếp loại {ev.deadline:%d/%m/%Y}" in page
    form = client.get(reverse("selfreview_form", args=[mine[0].pk])).content.decode()
    assert f"Hạn xếp loại: {mine[0].deadline:%d/%m/%Y}" in form
    assert f"hạn xếp loại {mine[0].deadline:%d/%m/%Y}" in (
        client.get(reverse("selfreview_list")).content.decode()
    )


def test_someone_in_no_cycle_is_told_so(client, opened):
    nobody = get_user_model().objects.create_user("khach", password="x-Khach-12345!")
    page = as_user(client, nobody).get(reverse("cycle_list")).content.decode()
    assert "Đợt bạn tham gia" not in page
    assert "Chưa có đợt kiểm điểm nào trong phạm vi của bạn." in page
