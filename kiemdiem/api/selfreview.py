"""The self-review through the API (issue 12): read it where the evaluation is visible; save and
submit it as its author, through the page's services (`reviews.selfreview.services`).

Optimistic concurrency as on the page: a save carries the `version` it was based on (0 before
the first save) and a stale one answers 409 `conflict`; a submission carries it too, so nobody
submits a text they have not seen.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from kiemdiem.api import selectors
from kiemdiem.api.body import Body
from kiemdiem.api.errors import ApiError
from kiemdiem.api.http import api_view, json_response
from kiemdiem.reviews.evaluations.models import Evaluation
from kiemdiem.reviews.selfreview import services
from kiemdiem.reviews.selfreview.models import SelfReview

SAVE_FIELDS = (
    "version",
    "sections",
    "criteria",
    "proposed_level",
    "shortcomings_previous",
    "shortcomings_remedied",
)


def review_json(ev: Evaluation, review: SelfReview | None, errors: Any = None) -> dict[str, Any]:
    return {
        "evaluation": ev.pk,
        "status": review.status if review else SelfReview.Status.DRAFT,
        "version": review.version if review else 0,
        "sections": review.sections if review else {},
        "criteria": review.criteria if review else {},
        "proposed_level": (review.proposed_level or None) if review else None,
        "quantification": review.quantification if review else 0,
        "returned_reason": review.returned_reason if review else "",
        "submitted_at": review.submitted_at.isoformat() if review and review.submitted_at else None,
        "evaluation_state": ev.status,
        "evaluation_version": ev.version,
        "errors": errors or {},
    }


def _stored(ev: Evaluation) -> SelfReview | None:
    return SelfReview.objects.filter(evaluation=ev).first()


def _save(request: HttpRequest, ev: Evaluation) -> HttpResponse:
    body = Body(request, SAVE_FIELDS)
    version = body.integer("version", required=True)
    values = {
        "sections": body.mapping("sections"),
        "criteria": body.mapping("criteria"),
        "proposed_level": body.text("proposed_level", limit=16),
        "shortcomings_previous": body.text("shortcomings_previous"),
        "shortcomings_remedied": body.text("shortcomings_remedied"),
    }
    body.check()
    assert version is not None
    outcome = services.self_review_save(
        actor=request.user, evaluation=ev, expected_version=version, **values
    )
    ev.refresh_from_db(fields=["status", "version"])
    # What is stored but not yet valid (a criterion out of range): the page shows it the same way.
    return json_response(review_json(ev, outcome.review, outcome.mapped.errors))


@api_view("GET", "PUT")
def self_review(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the stored self-review; PUT: save it (its author; incomplete text is kept)."""
    ev = selectors.evaluation_for_api(request.user, pk)
    if request.method == "PUT":
        return _save(request, ev)
    return json_response(review_json(ev, _stored(ev)))


@api_view("POST")
def self_review_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit the stored self-review, as last read (`version`)."""
    ev = selectors.evaluation_for_api(request.user, pk)
    body = Body(request, ("version",))
    version = body.integer("version", required=True)
    body.check()
    with transaction.atomic():
        review = SelfReview.objects.select_for_update().filter(evaluation=ev).first()
        current = review.version if review else 0
        if review is not None and version != current:
            raise ApiError(
                "conflict",
                _(
                    "Bản tự kiểm điểm đã được lưu ở nơi khác (phiên bản %(current)s, bạn gửi "
                    "phiên bản %(sent)s): hãy đọc lại trước khi nộp."
                )
                % {"current": current, "sent": version},
                {"version": current},
            )
        review = services.self_review_submit(actor=request.user, evaluation=ev)
    ev.refresh_from_db(fields=["status", "version"])
    return json_response(review_json(ev, review))
