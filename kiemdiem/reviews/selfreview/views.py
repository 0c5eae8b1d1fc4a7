"""Pages of the self-review (bản tự kiểm điểm).

Each view: the evaluation the user may see (`evaluations.access.evaluation_for_user`) → the
values → one service (which decides who may edit or return) → redirect, or the page from its
one selector (`selectors.selfreview_page`). htmx requests get template partials of the same
page (`reviews/selfreview_form.html#…`); every form also works as a plain POST.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kiemdiem.reviews.evaluations.access import evaluation_for_user
from kiemdiem.reviews.evaluations.models import Evaluation
from kiemdiem.reviews.selfreview import selectors, services
from kiemdiem.reviews.selfreview.forms import ReturnForm, SelfReviewValues, values_from_post

FORM_TEMPLATE = "reviews/selfreview_form.html"


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
    return {"__all__": list(exc.messages)}


def _page(
    request: HttpRequest,
    evaluation: Evaluation,
    *,
    values: SelfReviewValues | None = None,
    errors: dict[str, list[str]] | None = None,
    return_form: ReturnForm | None = None,
    status: int = 200,
) -> HttpResponse:
    page = selectors.selfreview_page(viewer=request.user, evaluation=evaluation, values=values)
    context = selectors.page_context(
        page, viewer=request.user, errors=errors, return_form=return_form
    )
    return render(request, FORM_TEMPLATE, context, status=status)


def _save(request: HttpRequest, evaluation: Evaluation, values: SelfReviewValues):
    return services.self_review_save(
        actor=request.user,
        evaluation=evaluation,
        expected_version=values.version if values.version is not None else -1,
        **values.service_kwargs(),
    )


@login_required
@require_GET
def selfreview_list(request: HttpRequest) -> HttpResponse:
    mine, to_review = selectors.selfreview_lists(request.user)
    return render(request, "reviews/selfreview_list.html", {"mine": mine, "to_review": to_review})


@login_required
@require_GET
def selfreview_form(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, evaluation_for_user(request.user, pk))


@login_required
@require_POST
def selfreview_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Autosave (htmx: the status line and the new version) or the plain "Lưu" button."""
    evaluation = evaluation_for_user(request.user, pk)
    values = values_from_post(request.POST)
    try:
        outcome = _save(request, evaluation, values)
    except ValidationError as exc:
        errors = _errors(exc)
        if not request.htmx:
            return _page(request, evaluation, values=values, errors=errors, status=409)
        context = {"save_error": " ".join(errors.get("__all__", [])), "version": values.version}
        response = render(request, f"{FORM_TEMPLATE}#save-status", context, status=409)
        response["X-Selfreview"] = "conflict"
        return response
    if not request.htmx:
        # "Saved" beside fields marked invalid reads as "all is well": the page again, with
        # what was typed, each error by its field and a warning saying what is left.
        if outcome.mapped.errors:
            messages.warning(
                request,
                _(
                    "Nội dung đã gõ được giữ lại, nhưng còn %(n)s ô chưa hợp lệ (đánh dấu bên "
                    "dưới): sửa rồi lưu lại."
                )
                % {"n": len(outcome.mapped.errors)},
            )
            values.version = outcome.review.version
            errors = {k: [str(v)] for k, v in outcome.mapped.errors.items()}
            return _page(request, evaluation, values=values, errors=errors)
        messages.success(request, _("Đã lưu bản tự kiểm điểm."))
        return redirect("selfreview_form", pk=evaluation.pk)
    context = {
        "saved_at": timezone.localtime(),
        "version": outcome.review.version,
        "oob_version": True,
        "save_warnings": bool(outcome.mapped.errors),
    }
    response = render(request, f"{FORM_TEMPLATE}#save-status", context)
    response["X-Selfreview"] = "saved"
    response["X-Selfreview-Version"] = str(outcome.review.version)
    return response


@login_required
@require_POST
def selfreview_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The engine's suggestion and the quantification for the typed values; saves nothing."""
    evaluation = evaluation_for_user(request.user, pk)
    values = values_from_post(request.POST)
    page = selectors.selfreview_page(viewer=request.user, evaluation=evaluation, values=values)
    if not page.can_edit:
        raise PermissionDenied
    context = selectors.page_context(page, viewer=request.user)
    if not request.htmx:
        return render(request, FORM_TEMPLATE, context)
    response = render(request, f"{FORM_TEMPLATE}#preview", {**context, "oob": True})
    response["X-Selfreview"] = "preview"
    return response


@login_required
@require_POST
def selfreview_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Save what the form carries (nothing typed is lost), then submit the stored review."""
    evaluation = evaluation_for_user(request.user, pk)
    values = values_from_post(request.POST)
    try:
        basis = None
        if values.version is not None:
            outcome = _save(request, evaluation, values)
            values.version, basis = outcome.review.version, outcome.basis
        services.self_review_submit(actor=request.user, evaluation=evaluation, basis=basis)
    except ValidationError as exc:
        evaluation.refresh_from_db()
        return _page(request, evaluation, values=values, errors=_errors(exc), status=400)
    messages.success(request, _("Đã nộp bản tự kiểm điểm."))
    return redirect("selfreview_form", pk=evaluation.pk)


@login_required
@require_POST
def selfreview_return(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = evaluation_for_user(request.user, pk)
    form = ReturnForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.self_review_return(actor=request.user, evaluation=evaluation, reason=reason)
    except ValidationError as exc:
        for name, msgs in _errors(exc).items():
            for message in msgs:
                form.add_error(None if name == "__all__" else name, message)
        return _page(request, evaluation, return_form=form, status=400)
    messages.success(request, _("Đã trả lại bản tự kiểm điểm kèm lý do."))
    return redirect("selfreview_form", pk=evaluation.pk)
