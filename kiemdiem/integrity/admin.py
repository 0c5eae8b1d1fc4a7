from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms import ModelForm
from django.utils.translation import gettext as _

from kiemdiem.integrity.heuristics.base import Thresholds
from kiemdiem.integrity.models import Flag, IntegritySettings


class SettingsForm(ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = IntegritySettings
        fields = ["organization", "values"]

    def clean_values(self) -> dict[str, object]:
        values = self.cleaned_data["values"] or {}
        if not isinstance(values, dict):
            raise ValidationError(_("Nhập một đối tượng JSON: tên ngưỡng → giá trị."))
        unknown = sorted(set(values) - set(Thresholds.__dataclass_fields__))
        if unknown:
            raise ValidationError(
                _("Ngưỡng không tồn tại: %(names)s.") % {"names": ", ".join(unknown)}
            )
        try:
            Thresholds.from_values(values)
        except (TypeError, ValueError) as error:
            raise ValidationError(_("Giá trị ngưỡng không hợp lệ.")) from error
        return values


@admin.register(IntegritySettings)
class IntegritySettingsAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = SettingsForm
    list_display = ["organization", "updated_at"]
    raw_id_fields = ["organization"]


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: flags are computed and justified through the integrity page's service. A
    superuser may delete one (the next computation brings it back open, to be looked at again)."""

    list_display = ["code", "organization", "person", "status", "active", "computed_at"]
    list_filter = ["code", "status", "active"]
    list_select_related = ["organization", "person"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False
