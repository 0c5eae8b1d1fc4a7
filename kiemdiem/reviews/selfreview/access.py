"""Who may edit and return a self-review; who sees it is the evaluation's rule
(`kiemdiem.reviews.evaluations.access.can_view`).

* The author edits (the person; for a collective, the head of its organization).
* A work manager over the evaluation's organization (`WORK_MANAGER_ROLES`: every scope role but
  the inspection committee) or a superuser returns it — never its own author.
"""

from __future__ import annotations

from kiemdiem.accounts.access import User, is_authenticated, is_superuser
from kiemdiem.accounts.models import WORK_MANAGER_ROLES
from kiemdiem.orgs.access import in_scope
from kiemdiem.reviews.evaluations.access import is_author
from kiemdiem.reviews.evaluations.models import Evaluation


def can_edit(user: User, evaluation: Evaluation) -> bool:
    return is_author(user, evaluation)


def can_return(user: User, evaluation: Evaluation) -> bool:
    if not is_authenticated(user) or is_author(user, evaluation):
        return False
    return is_superuser(user) or in_scope(user, WORK_MANAGER_ROLES, evaluation.organization)
