"""Forms of the ledger pages: input parsing only; the rules and their messages are the
services'. Fields are `required=False` so the service's Vietnamese message is the one shown.

Field names are stable (a browser test drives them): title, target_quantity, unit,
assigned_on, deadline, weight, person, achieved_quantity, completed_on, quality, major_errors,
delays, note, reference, file, url, quantity, reason, version.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kiemdiem.ledger.files import ACCEPT
from kiemdiem.ledger.models import Result
from kiemdiem.orgs.forms import DateField, apply_service_errors
from kiemdiem.orgs.models import Person

__all__ = [
    "AssignForm",
    "CountForm",
    "DocumentForm",
    "FileForm",
    "LinkForm",
    "ReasonForm",
    "RegisterForm",
    "ResultForm",
    "TaskUpdateForm",
    "apply_service_errors",
]


class QuantityField(forms.DecimalField):
    """A decimal typed the Vietnamese way ("1,5") or the English way ("1.5")."""

    default_error_messages = {"invalid": _("Nhập một số, ví dụ 12 hoặc 1,5.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(" ", "")
            if value.count(",") == 1 and "." not in value:
                value = value.replace(",", ".")
        try:
            return super().to_python(value)
        except forms.ValidationError:
            raise
        except InvalidOperation:  # pragma: no cover - DecimalField already maps this
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class CountField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}))
        super().__init__(**kwargs)


def _text(label, **kwargs) -> forms.CharField:
    kwargs.setdefault("required", False)
    return forms.CharField(label=label, **kwargs)


class TaskFields(forms.Form):
    title = _text(_("Nhiệm vụ"), max_length=500)
    target_quantity = QuantityField(label=_("Số lượng sản phẩm yêu cầu"))
    unit = _text(_("Đơn vị tính"), max_length=64, help_text=_("Ví dụ: văn bản, hồ sơ, báo cáo."))
    assigned_on = DateField(label=_("Ngày giao"), help_text=_("Để trống: hôm nay."))
    deadline = DateField(label=_("Thời hạn"))
    weight = QuantityField(
        label=_("Hệ số quy đổi"), max_digits=6, initial=Decimal(1), help_text=_("Mặc định 1.")
    )
    quality_requirement = _text(_("Yêu cầu chất lượng"), widget=forms.Textarea(attrs={"rows": 2}))
    description = _text(_("Mô tả"), widget=forms.Textarea(attrs={"rows": 2}))

    def clean_weight(self):
        # Empty means the default 1; a typed 0 is kept so the service refuses it by name
        # ("Hệ số quy đổi phải lớn hơn 0.") instead of silently saving 1.
        weight = self.cleaned_data.get("weight")
        return Decimal(1) if weight is None else weight


class RegisterForm(TaskFields):
    """A task the person registers for themself: the task fields, no assignee."""


class AssignForm(TaskFields):
    person = forms.ModelChoiceField(
        label=_("Giao cho"),
        queryset=Person.objects.none(),
        required=True,
        error_messages={"required": _("Chọn người được giao nhiệm vụ.")},
    )

    field_order = ["person"]

    def __init__(self, *args, people: QuerySet[Person], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class TaskUpdateForm(TaskFields):
    version = forms.CharField(widget=forms.HiddenInput, required=False)


class ResultForm(forms.Form):
    achieved_quantity = QuantityField(label=_("Số lượng đạt được"))
    completed_on = DateField(label=_("Ngày hoàn thành"))
    quality = forms.ChoiceField(
        label=_("Chất lượng"), choices=Result.Quality.choices, initial=Result.Quality.MEETS
    )
    major_errors = CountField(label=_("Số lỗi lớn về nội dung"), initial=0)
    delays = CountField(
        label=_("Số lần chậm tiến độ khác"),
        initial=0,
        help_text=_("Ngoài việc hoàn thành sau thời hạn (được tính tự động)."),
    )
    note = _text(_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}))

    def clean_major_errors(self):
        return self.cleaned_data.get("major_errors") or 0

    def clean_delays(self):
        return self.cleaned_data.get("delays") or 0


class DocumentForm(forms.Form):
    reference = _text(
        _("Số, ký hiệu, ngày và trích yếu"),
        widget=forms.Textarea(
            attrs={
                "rows": 2,
                "placeholder": "Quyết định số 123/QĐ-UBND ngày 15/3/2025 của UBND tỉnh về việc …",
            }
        ),
        help_text=_("Dán số, ký hiệu, ngày ban hành và trích yếu của văn bản."),
    )


class FileForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("PDF, Word, Excel, OpenDocument hoặc ảnh JPG/PNG."),
    )
    title = _text(_("Tên sản phẩm"), max_length=500)


class LinkForm(forms.Form):
    url = _text(_("Đường dẫn"), widget=forms.URLInput(attrs={"placeholder": "https://"}))
    title = _text(_("Tên sản phẩm"), max_length=500)


class CountForm(forms.Form):
    quantity = QuantityField(label=_("Số lượng"))
    title = _text(_("Tên sản phẩm"), max_length=500, help_text=_("Ví dụ: hồ sơ thẩm định."))


class ReasonForm(forms.Form):
    reason = _text(_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}))
