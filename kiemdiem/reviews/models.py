"""Django's models module of the `reviews` app: the models live with their area and are
imported here so that Django registers them (and `kiemdiem.reviews.models` names them all).

- `criteria.models`: CriteriaTemplate
- `cycles.models`: Cycle, PeerGroup
- `evaluations.models`: Evaluation, Level, Grade
- `selfreview.models`: SelfReview
"""

from kiemdiem.reviews.criteria.models import CriteriaTemplate
from kiemdiem.reviews.cycles.models import Cycle, PeerGroup
from kiemdiem.reviews.evaluations.models import Evaluation, Grade, Level
from kiemdiem.reviews.selfreview.models import SelfReview

__all__ = ["CriteriaTemplate", "Cycle", "Evaluation", "Grade", "Level", "PeerGroup", "SelfReview"]
