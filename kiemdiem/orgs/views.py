"""Pages of the organization tree and its people.

Each view: access check (raising PermissionDenied) → form → one service → redirect or render.
Fragments for htmx are template partials of the same page; every fragment also has a plain
page or link behind it, so the shell works without JavaScript.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kiemdiem.accounts.models import RoleAssignment
from kiemdiem.core.todos import todos_for
from kiemdiem.notices.selectors import recent_notices
from kiemdiem.orgs import access, people, services
from kiemdiem.orgs.forms import (
    OrganizationCreateForm,
    OrganizationMoveForm,
    OrganizationUpdateForm,
    PartyMembershipForm,
    PersonCreateForm,
    PersonUpdateForm,
    PositionEndForm,
    PositionForm,
    apply_service_errors,
)
from kiemdiem.orgs.models import Organization, Person, Position, Sector
from kiemdiem.orgs.selectors import (
    competent_level_for_person,
    org_ancestors,
    org_children,
    org_page,
    org_search,
    people_search,
    person_page,
)


def _htmx_target(request: HttpRequest, target: str) -> bool:
    return bool(request.htmx) and request.htmx.target == target


def _masked(number: str) -> str:
    """Province code and the last three digits stay readable to tell records apart."""
    return number[:3] + "•" * (len(number) - 6) + number[-3:] if len(number) > 6 else "•" * 6


def _form_page(request: HttpRequest, form, *, title: str, subject, submit: str) -> HttpResponse:
    if isinstance(subject, Organization):
        back = reverse("org_detail", args=[subject.pk])
    elif isinstance(subject, Person):
        back = reverse("person_detail", args=[subject.pk])
    else:
        back = reverse("org_tree")
    context = {"form": form, "title": title, "subject": subject, "submit": submit, "back": back}
    return render(request, "orgs/form.html", context)


def _submitted(request: HttpRequest, form) -> bool:
    return request.method == "POST" and form.is_valid()


# Reading pages ---------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    roles = (
        RoleAssignment.objects.filter(user=request.user)
        .select_related("organization")
        .order_by("organization__path", "role")
    )
    person = getattr(request.user, "person", None)
    posts = (
        person.positions.filter(end_date__isnull=True).select_related("organization")
        if person
        else []
    )
    return render(
        request,
        "core/home.html",
        {
            "roles": roles,
            "person": person,
            "posts": posts,
            "can_manage": access.keeps_records(request.user),
            "todos": todos_for(request.user),
            "recent_notices": recent_notices(user=request.user),
        },
    )


@login_required
def org_tree(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    context = {
        "query": query,
        "nodes": [] if query else org_children(None),
        "results": org_search(query) if query else None,
    }
    if _htmx_target(request, "tree-body"):
        return render(request, "orgs/tree.html#tree-body", context)
    return render(request, "orgs/tree.html", context)


@login_required
@require_GET
def org_children_fragment(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.org_for_user(request.user, pk)
    if not request.htmx:
        return redirect("org_detail", pk=org.pk)
    return render(request, "orgs/tree.html#nodes", {"nodes": org_children(org)})


@login_required
def org_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.org_for_user(request.user, pk)
    show_people = access.can_view_org_people(request.user, org)
    query = request.GET.get("q", "").strip()
    context = {
        "page": org_page(org, query=query, with_people=show_people),
        "sector": Sector(org.sector).label,
        "show_people": show_people,
        "query": query,
        "can_manage": access.keeps_records_of(request.user, org),
        # "/ca-nhan/" — the people list builds its links from it (one reverse, not 2,000).
        "person_base": reverse("person_detail", args=[0]).removesuffix("0/"),
    }
    if _htmx_target(request, "people"):
        return render(request, "orgs/org_detail.html#people", context)
    return render(request, "orgs/org_detail.html", context)


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.person_for_user(request.user, pk)
    can_manage = access.can_manage_person(request.user, person)
    number = person.identity_number
    page = person_page(person)
    top = page.highest.organization if page.highest else None
    context = {
        "page": page,
        "crumbs": [*org_ancestors(top), top] if top else [],
        "competent": competent_level_for_person(person),
        "can_manage": can_manage,
        "identity_number": number
        if can_manage or person.user_id == request.user.pk
        else _masked(number),
    }
    return render(request, "orgs/person_detail.html", context)


@login_required
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    current = Position.objects.filter(end_date__isnull=True).select_related("organization")
    found = people_search(query, visible=access.visible_people_q(request.user)).prefetch_related(
        Prefetch("positions", queryset=current, to_attr="current_positions")
    )
    context = {"query": query, "people": found, "orgs": org_search(query, limit=20)}
    if _htmx_target(request, "search-results"):
        return render(request, "orgs/search.html#results", context)
    return render(request, "orgs/search.html", context)


@login_required
@require_GET
def org_suggest(request: HttpRequest) -> HttpResponse:
    """<option>s for the organization-code inputs; htmx names the input that asked."""
    query = request.GET.get(request.htmx.trigger_name or "q", "")
    return render(
        request, "orgs/form.html#suggestions", {"suggestions": org_search(query, limit=15)}
    )


# Forms: access helper → form → one service (which checks every organization it is handed
# against the user's scope again) → redirect, or the form with the service's messages ----------


@login_required
def person_create(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.org_for_record_keeper(request.user, pk)
    form = PersonCreateForm(request.POST if request.method == "POST" else None)
    if _submitted(request, form):
        try:
            person = people.person_enroll(actor=request.user, organization=org, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm %(name)s.") % {"name": person.full_name})
            return redirect("person_detail", pk=person.pk)
    return _form_page(request, form, title=_("Thêm cá nhân"), subject=org, submit=_("Thêm"))


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.person_for_record_keeper(request.user, pk)
    if request.method == "POST":
        form = PersonUpdateForm(request.POST)
    else:
        initial = {f: getattr(person, f) for f in PersonUpdateForm.base_fields if f != "version"}
        form = PersonUpdateForm(initial={**initial, "version": person.updated_at.isoformat()})
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            people.person_update(
                actor=request.user, person=person, expected_version=version, **data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu hồ sơ."))
            return redirect("person_detail", pk=person.pk)
    return _form_page(request, form, title=_("Sửa hồ sơ"), subject=person, submit=_("Lưu"))


@login_required
def position_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.person_for_record_keeper(request.user, pk)
    form = PositionForm(request.POST if request.method == "POST" else None)
    if _submitted(request, form):
        try:
            people.position_add(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm chức vụ."))
            return redirect("person_detail", pk=person.pk)
    return _form_page(request, form, title=_("Thêm chức vụ"), subject=person, submit=_("Thêm"))


@login_required
def position_end(request: HttpRequest, pk: int) -> HttpResponse:
    position = get_object_or_404(Position.objects.select_related("person", "organization"), pk=pk)
    person = access.person_for_user(request.user, position.person_id)
    if not access.keeps_records_of(request.user, position.organization):
        raise PermissionDenied
    form = PositionEndForm(request.POST if request.method == "POST" else None)
    if _submitted(request, form):
        try:
            people.position_end(actor=request.user, position=position, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã kết thúc chức vụ."))
            return redirect("person_detail", pk=person.pk)
    title = _("Kết thúc chức vụ: %(post)s") % {"post": position}
    return _form_page(request, form, title=title, subject=person, submit=_("Kết thúc"))


@login_required
def party_membership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.person_for_record_keeper(request.user, pk)
    current = getattr(person, "party", None)
    initial = (
        {
            "cell": current.cell,
            "admitted_on": current.admitted_on,
            "official_on": current.official_on,
            "status": current.status,
            "outside_system": current.outside_system,
        }
        if current
        else {}
    )
    form = PartyMembershipForm(request.POST if request.method == "POST" else None, initial=initial)
    if _submitted(request, form):
        try:
            people.party_membership_set(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu đảng tịch."))
            return redirect("person_detail", pk=person.pk)
    return _form_page(request, form, title=_("Đảng tịch"), subject=person, submit=_("Lưu"))


@login_required
def org_create(request: HttpRequest) -> HttpResponse:
    if not access.keeps_records(request.user):
        raise PermissionDenied
    initial = {"parent": request.GET.get("parent", "")}
    form = OrganizationCreateForm(
        request.POST if request.method == "POST" else None, initial=initial
    )
    if _submitted(request, form):
        try:
            org = services.organization_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo %(name)s.") % {"name": org.name})
            return redirect("org_detail", pk=org.pk)
    return _form_page(request, form, title=_("Tạo tổ chức, đơn vị"), subject=None, submit=_("Tạo"))


@login_required
def org_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.org_for_record_keeper(request.user, pk)
    fields = ["code", "name", "short_name", "party_organization", "position", "is_active"]
    initial = {f: getattr(org, f) for f in fields}
    form = OrganizationUpdateForm(
        request.POST if request.method == "POST" else None, initial=initial
    )
    if _submitted(request, form):
        try:
            services.organization_update(actor=request.user, organization=org, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu %(name)s.") % {"name": form.cleaned_data["name"]})
            return redirect("org_detail", pk=org.pk)
    return _form_page(request, form, title=_("Sửa tổ chức, đơn vị"), subject=org, submit=_("Lưu"))


@login_required
def org_move(request: HttpRequest, pk: int) -> HttpResponse:
    org = access.org_for_record_keeper(request.user, pk)
    data = request.POST if request.method == "POST" else None
    form = OrganizationMoveForm(data, initial={"parent": org.parent_id})
    if _submitted(request, form):
        try:
            services.organization_move(
                actor=request.user,
                organization=org,
                new_parent=form.cleaned_data["parent"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Đã chuyển %(name)s.") % {"name": org.name})
            return redirect("org_detail", pk=org.pk)
    return _form_page(request, form, title=_("Chuyển đơn vị"), subject=org, submit=_("Chuyển"))
