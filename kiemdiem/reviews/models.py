"""Django's models module of the `reviews` app: the models live with their area and are
imported here so that Django registers them (and `kiemdiem.reviews.models` names them all).

- `criteria.models`: CriteriaTemplate
- `cycles.models`: Cycle, PeerGroup
- `evaluations.models`: Evaluation, Level, Grade
- `selfreview.models`: SelfReview
- `meetings.models`: Meeting, Attendance, MeetingEntry
- `verification.models`: Verification
- `decisions.models`: Petition
"""

from kiemdiem.reviews.criteria.models import CriteriaTemplate
from kiemdiem.reviews.cycles.models import Cycle, PeerGroup
from kiemdiem.reviews.decisions.models import Petition
from kiemdiem.reviews.evaluations.models import Evaluation, Grade, Level
from kiemdiem.reviews.meetings.models import Attendance, Meeting, MeetingEntry
from kiemdiem.reviews.selfreview.models import SelfReview
from kiemdiem.reviews.verification.models import Verification

__all__ = [
    "Attendance",
    "CriteriaTemplate",
    "Cycle",
    "Evaluation",
    "Grade",
    "Level",
    "Meeting",
    "MeetingEntry",
    "PeerGroup",
    "Petition",
    "SelfReview",
    "Verification",
]
