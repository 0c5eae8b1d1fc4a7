"""Input parsing of the self-review pages; the rules live in `selfreview.services` and
`selfreview.mapping` (values → facts).

The self-review form's fields come from its criteria template (criteria `c-<code>`, sections
`s-<code>`), so it is read from the POST data here rather than declared as a Django form class;
the values go to the services as typed, and the services keep the template's fields only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from kiemdiem.core.text import ascii_digits
from kiemdiem.reviews.selfreview.models import SelfReview


@dataclass
class SelfReviewValues:
    """What one self-review form carries."""

    sections: dict[str, str]
    criteria: dict[str, str]
    proposed_level: str
    shortcomings_previous: str
    shortcomings_remedied: str
    version: int | None

    def service_kwargs(self) -> dict[str, Any]:
        return {
            "sections": self.sections,
            "criteria": self.criteria,
            "proposed_level": self.proposed_level,
            "shortcomings_previous": self.shortcomings_previous,
            "shortcomings_remedied": self.shortcomings_remedied,
        }


def values_from_post(data: QueryDict) -> SelfReviewValues:
    raw_version = (data.get("version") or "").strip()
    return SelfReviewValues(
        sections={k[2:]: v for k, v in data.items() if k.startswith("s-")},
        criteria={k[2:]: v for k, v in data.items() if k.startswith("c-")},
        proposed_level=data.get("proposed_level", ""),
        shortcomings_previous=data.get("shortcomings_previous", ""),
        shortcomings_remedied=data.get("shortcomings_remedied", ""),
        version=int(raw_version) if ascii_digits(raw_version) else None,
    )


def values_from_review(
    review: SelfReview | None, *, shortcomings_previous: int, shortcomings_remedied: int
) -> SelfReviewValues:
    return SelfReviewValues(
        sections=dict(review.sections) if review else {},
        criteria=dict(review.criteria) if review else {},
        proposed_level=review.proposed_level if review else "",
        shortcomings_previous=str(shortcomings_previous),
        shortcomings_remedied=str(shortcomings_remedied),
        version=review.version if review else 0,
    )


class ReturnForm(forms.Form):
    # Not required here: the service's message ("Phải nêu lý do trả lại.") is the one shown.
    reason = forms.CharField(
        label=_("Lý do trả lại"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "required": True}),
        help_text=_("Người viết bản tự kiểm điểm sẽ thấy lý do này."),
    )
