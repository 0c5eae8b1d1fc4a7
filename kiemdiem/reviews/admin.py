"""Read-only admin views of the review data: every write goes through a service (audited), so
the admin only shows rows; cycles, templates and peer groups are changed by
`kiemdiem.reviews.cycles.services` (the cycle pages) and `kiemdiem load-criteria`."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kiemdiem.explain.reference import ruleset_title
from kiemdiem.orgs.models import EmploymentCategory
from kiemdiem.reviews.decisions.models import Petition
from kiemdiem.reviews.meetings.models import Attendance, Meeting, MeetingEntry
from kiemdiem.reviews.models import CriteriaTemplate, Cycle, Evaluation, PeerGroup, SelfReview
from kiemdiem.reviews.verification.models import Verification


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Cycle)
class CycleAdmin(ReadOnlyAdmin):
    list_display = ["name", "year", "quarter", "scope", "party_rules", "state_rules", "status"]
    list_filter = ["status", "year"]
    search_fields = ["name"]


@admin.register(CriteriaTemplate)
class CriteriaTemplateAdmin(ReadOnlyAdmin):
    list_display = [
        "code",
        "version",
        "form_code",
        "family_title",
        "track_label",
        "subject_kind",
        "employment_label",
    ]
    list_filter = ["family", "track", "subject_kind", "scoring"]
    search_fields = ["code", "name"]

    # The stored codes ("nd335", "state", "cong_chuc") by the names a reader knows.
    @admin.display(description=_("bộ quy tắc"), ordering="family")
    def family_title(self, obj: CriteriaTemplate) -> str:
        return ruleset_title(obj.family)

    @admin.display(description=_("bên"), ordering="track")
    def track_label(self, obj: CriteriaTemplate) -> str:
        return str(dict(Evaluation.Track.choices).get(obj.track, obj.track))

    @admin.display(description=_("áp dụng cho"), ordering="employment")
    def employment_label(self, obj: CriteriaTemplate) -> str:
        return str(dict(EmploymentCategory.choices).get(obj.employment, obj.employment))


@admin.register(PeerGroup)
class PeerGroupAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "cycle", "ratio", "derived"]
    list_filter = ["derived"]
    search_fields = ["code", "name"]
    list_select_related = ["cycle"]


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = [
        "code",
        "cycle",
        "subject",
        "role",
        "track",
        "person",
        "organization",
        "excluded",
        "status",
    ]
    list_filter = ["subject", "role", "track", "excluded", "status"]
    search_fields = ["code", "person__search_key", "organization__search_key"]
    list_select_related = ["cycle", "person", "organization"]
    raw_id_fields = [
        "person",
        "organization",
        "peer_group",
        "template",
        "leads",
        "head_of",
        "leadership_of",
        "state_evaluation",
        "parent",
    ]
    show_full_result_count = False


@admin.register(SelfReview)
class SelfReviewAdmin(ReadOnlyAdmin):
    list_display = ["evaluation", "status", "proposed_level", "quantification", "updated_at"]
    list_filter = ["status", "proposed_level"]
    list_select_related = ["evaluation", "evaluation__person", "evaluation__organization"]
    raw_id_fields = ["evaluation"]
    show_full_result_count = False


# The decision workflow's records: written by their services (meetings, verification,
# decisions), shown here read-only.
@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["__str__"]


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ["__str__"]


@admin.register(MeetingEntry)
class MeetingEntryAdmin(ReadOnlyAdmin):
    list_display = ["__str__"]


@admin.register(Verification)
class VerificationAdmin(ReadOnlyAdmin):
    list_display = ["__str__"]


@admin.register(Petition)
class PetitionAdmin(ReadOnlyAdmin):
    list_display = ["__str__"]
