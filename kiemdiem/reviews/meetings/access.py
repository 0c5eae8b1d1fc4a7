"""Who runs a collective's review meeting and who sees it before publication.

The unit head or party-cell secretary of the collective runs it (`orgs.access.is_head_of`);
until publication its record is seen by the meeting (its head), the deciders (competent role)
and the inspection committee over the organization, and superusers.
"""

from __future__ import annotations

from kiemdiem.accounts.access import User, is_superuser
from kiemdiem.accounts.models import Role
from kiemdiem.orgs.access import in_scope, is_head_of
from kiemdiem.orgs.models import Organization

MEETING_READERS = frozenset({Role.COMPETENT, Role.INSPECTOR})


def can_run_meeting(actor: User, organization: Organization) -> bool:
    return is_superuser(actor) or is_head_of(actor, organization)


def can_see_meeting(actor: User, organization: Organization) -> bool:
    return can_run_meeting(actor, organization) or in_scope(actor, MEETING_READERS, organization)
