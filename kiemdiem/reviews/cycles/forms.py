"""Forms of the review-cycle pages: input parsing only.

The rules (year range, rule sets, deadline order, duplicates, ratio cap, and whether the user may
name the scope) live in `kiemdiem.reviews.cycles.services` and `.peer_groups`; the views pass the
cleaned data to
one service and put its ValidationError back on the fields. Fields the services check are
`required=False` and plain text here, so that the service's Vietnamese message is the one shown
(an unknown rule set is refused by `cycle_create`, not by a choice field).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kiemdiem.engine import available_rulesets
from kiemdiem.orgs.forms import DateField, OrganizationCodeField


def _ruleset_choices() -> list[tuple[str, str]]:
    return [("", _("Mặc định theo năm đánh giá")), *((n, n) for n in available_rulesets())]


class CycleCreateForm(forms.Form):
    name = forms.CharField(label=_("Tên đợt"), max_length=255, required=False)
    year = forms.IntegerField(
        label=_("Năm đánh giá"),
        required=False,
        error_messages={"invalid": _("Nhập năm bằng số, ví dụ 2025.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    quarter = forms.TypedChoiceField(
        label=_("Quý"),
        choices=[("", _("Cả năm")), ("1", "1"), ("2", "2"), ("3", "3"), ("4", "4")],
        coerce=int,
        empty_value=None,
        required=False,
    )
    scope = OrganizationCodeField(
        label=_("Phạm vi (mã tổ chức)"),
        required=True,
        error_messages={"required": _("Nhập mã tổ chức làm phạm vi của đợt.")},
        help_text=_("Mã tổ chức ghi trên trang của tổ chức, ví dụ TU hoặc SNV."),
    )
    party_rules = forms.CharField(
        label=_("Bộ quy tắc bên Đảng"), required=False, widget=forms.Select()
    )
    state_rules = forms.CharField(
        label=_("Bộ quy tắc bên chính quyền"), required=False, widget=forms.Select()
    )
    state_deadline = DateField(
        label=_("Hạn xếp loại cán bộ, công chức, viên chức"),
        help_text=_("Để trống: ngày 15 của tháng cuối kỳ."),
    )
    party_deadline = DateField(
        label=_("Hạn xếp loại đảng viên, tổ chức đảng"),
        help_text=_("Để trống: ngày cuối của tháng cuối kỳ."),
    )
    special_deadline = DateField(
        label=_("Hạn của đơn vị đặc thù"),
        help_text=_("Để trống: ngày 15 của tháng sau kỳ."),
    )
    min_quantification = forms.IntegerField(
        label=_("Mức lượng hóa tối thiểu để nộp (0–100)"),
        required=False,
        error_messages={"invalid": _("Nhập một số nguyên từ 0 đến 100.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = _ruleset_choices()
        self.fields["party_rules"].widget.choices = choices
        self.fields["state_rules"].widget.choices = choices

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["name"] = data["name"] or ""
        data["party_rules"] = data["party_rules"] or None
        data["state_rules"] = data["state_rules"] or None
        data["min_quantification"] = data["min_quantification"] or 0
        return data


class RatioForm(forms.Form):
    ratio = forms.CharField(label=_("Tỷ lệ HTXSNV/HTTNV"), max_length=8, required=False)
    reason = forms.CharField(label=_("Lý do"), max_length=500, required=False)

    def clean_ratio(self) -> str:
        # "0,25" as typed with a Vietnamese decimal comma.
        return self.cleaned_data["ratio"].strip().replace(",", ".")


class CloseForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), max_length=2000, required=False)


class TemplateSlotForm(forms.Form):
    slot = forms.CharField(required=False)
    template = forms.IntegerField(required=False)
