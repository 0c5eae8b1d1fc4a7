"""Who runs a collective's review meeting and who sees it before publication.

The unit head or party-cell secretary of the collective runs it (`orgs.access.is_head_of`);
until publication its record is seen by the meeting (its head), the deciders (competent role)
and the inspection committee over the organization, and superusers. Every page, fragment, API
serializer and document that shows a meeting's comments or tallies reads them through
`meeting_entries_for`, so the rule lives here once.
"""

from __future__ import annotations

from django.db.models import QuerySet

from kiemdiem.accounts.access import User, is_superuser
from kiemdiem.accounts.models import Role
from kiemdiem.orgs.access import in_scope, is_head_of
from kiemdiem.orgs.models import Organization
from kiemdiem.reviews.evaluations.models import Evaluation
from kiemdiem.reviews.meetings.models import MeetingEntry

MEETING_READERS = frozenset({Role.COMPETENT, Role.INSPECTOR})


def can_run_meeting(actor: User, organization: Organization) -> bool:
    return is_superuser(actor) or is_head_of(actor, organization)


def can_see_meeting(actor: User, organization: Organization) -> bool:
    return can_run_meeting(actor, organization) or in_scope(actor, MEETING_READERS, organization)


def meeting_record_visible(actor: User, evaluation: Evaluation) -> bool:
    """After publication the meeting's record is part of the result (a later petition, which
    moves the evaluation back to verification, does not hide it again); before, only the
    readers of `can_see_meeting` see it."""
    return evaluation.published_at is not None or can_see_meeting(actor, evaluation.organization)


def meeting_entries_for(actor: User, evaluation: Evaluation) -> QuerySet[MeetingEntry]:
    """The meeting entries (comments, tallies) of `evaluation` that `actor` may read: all of them,
    oldest meeting first, or none."""
    if not meeting_record_visible(actor, evaluation):
        return MeetingEntry.objects.none()
    return (
        MeetingEntry.objects.filter(evaluation=evaluation)
        .select_related("meeting")
        .order_by("meeting__held_on", "id")
    )
