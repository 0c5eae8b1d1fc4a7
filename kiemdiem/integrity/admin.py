from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms import ModelForm
from django.utils.translation import gettext as _

from kiemdiem.integrity.heuristics.base import Thresholds
from kiemdiem.integrity.models import IntegritySettings


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
    autocomplete_fields = ["organization"]
