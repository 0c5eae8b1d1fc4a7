"""Forms of the organization pages: input parsing only.

The rules (CCCD, dates, tree cycles, duplicates, and whether the user may name an organization
at all) live in `kiemdiem.orgs.services` / `kiemdiem.orgs.people`; the views pass
the cleaned data to one service and put its ValidationError back on the fields. Fields the
services check are `required=False` here (with the HTML `required` attribute kept for the
browser) so that the service's Vietnamese message is the one shown.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from kiemdiem.orgs.models import (
    EmploymentCategory,
    Gender,
    Organization,
    OrgKind,
    PartyStatus,
    PostLevel,
)

# dd/mm/yyyy first; "17051985" too, because a phone's numeric keypad may have no "/".
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d%m%Y", "%Y-%m-%d"]


class DateField(forms.DateField):
    """dd/mm/yyyy in and out (ISO also accepted, for pasted values)."""

    widget = forms.DateInput(
        format="%d/%m/%Y",
        attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"},
    )
    default_error_messages = {"invalid": _("Nhập ngày theo dạng dd/mm/yyyy, ví dụ 17/05/1985.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


class OrganizationCodeField(forms.CharField):
    """An organization entered by its code (a select would hold a province's thousands of units).

    The page offers suggestions through a <datalist> filled by htmx; without JavaScript the user
    types the code shown on every organization page. The field only finds the organization:
    whether the user may name it is the service's check, made for every organization it is
    handed.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "list": "org-suggestions",
                    "autocomplete": "off",
                    "autocapitalize": "characters",
                    "hx-get": reverse_lazy("org_suggest"),
                    "hx-trigger": "input changed delay:250ms",
                    "hx-target": "#org-suggestions",
                    "hx-sync": "this:replace",
                }
            ),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Organization):
            return value.code
        if isinstance(value, int):
            org = Organization.objects.filter(pk=value).only("code").first()
            return org.code if org else ""
        return value

    def clean(self, value):
        code = super().clean(value)
        if not code:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        # "SNV — Sở Nội vụ" (a picked suggestion) or just "SNV".
        code = code.split(" — ")[0].strip()
        org = Organization.objects.filter(code__iexact=code).first()
        if org is None:
            raise ValidationError(
                _("Không có tổ chức nào mang mã “%(code)s”.") % {"code": code}, code="unknown"
            )
        return org


def _required(field: forms.Field) -> forms.Field:
    field.widget.attrs["required"] = True
    return field


class PersonFields(forms.Form):
    full_name = _required(forms.CharField(label=_("Họ và tên"), max_length=120, required=False))
    gender = forms.ChoiceField(
        label=_("Giới tính"), choices=Gender.choices, widget=forms.RadioSelect, required=False
    )
    date_of_birth = _required(DateField(label=_("Ngày sinh")))
    identity_number = _required(
        forms.CharField(
            label=_("Số CCCD"),
            max_length=20,
            required=False,
            help_text=_("12 chữ số trên căn cước công dân."),
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        )
    )
    employment = forms.ChoiceField(
        label=_("Đối tượng"),
        choices=EmploymentCategory.choices,
        initial=EmploymentCategory.CIVIL_SERVANT,
        required=False,
    )


class PersonCreateForm(PersonFields):
    """A new person with their first post in the unit the form was opened from."""

    title = _required(forms.CharField(label=_("Chức danh"), max_length=160, required=False))
    level = forms.TypedChoiceField(
        label=_("Cấp chức vụ"),
        choices=PostLevel.choices,
        coerce=int,
        initial=PostLevel.STAFF,
        required=False,
        empty_value=PostLevel.STAFF,
    )
    start_date = _required(DateField(label=_("Từ ngày")))


class PersonUpdateForm(PersonFields):
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    # The person's `updated_at` when the form was opened: a later save by someone else is
    # detected by the service instead of being silently overwritten.
    version = forms.CharField(widget=forms.HiddenInput, required=False)


class PositionForm(forms.Form):
    organization = OrganizationCodeField(label=_("Mã tổ chức, đơn vị"), required=True)
    title = _required(forms.CharField(label=_("Chức danh"), max_length=160, required=False))
    level = forms.TypedChoiceField(
        label=_("Cấp chức vụ"),
        choices=PostLevel.choices,
        coerce=int,
        initial=PostLevel.STAFF,
        required=False,
        empty_value=PostLevel.STAFF,
    )
    is_head = forms.BooleanField(label=_("Người đứng đầu"), required=False)
    start_date = _required(DateField(label=_("Từ ngày")))
    end_date = DateField(label=_("Đến ngày"), help_text=_("Để trống nếu đang giữ chức vụ."))


class PositionEndForm(forms.Form):
    end_date = _required(DateField(label=_("Ngày kết thúc")))
    reason = forms.CharField(
        label=_("Lý do"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PartyMembershipForm(forms.Form):
    # Any organization: the service says why a non-cell cannot hold party members.
    cell = OrganizationCodeField(label=_("Mã chi bộ, đảng bộ sinh hoạt"), required=True)
    admitted_on = _required(DateField(label=_("Ngày vào Đảng")))
    official_on = DateField(label=_("Ngày chính thức"))
    status = forms.ChoiceField(
        label=_("Tình trạng"),
        choices=PartyStatus.choices,
        initial=PartyStatus.ACTIVE,
        required=False,
    )
    outside_system = forms.BooleanField(
        label=_("Đảng viên ngoài hệ thống chính trị"),
        required=False,
        help_text=_("Hưu trí, sinh viên, làm việc ở doanh nghiệp tư nhân…"),
    )


class OrganizationCreateForm(forms.Form):
    code = _required(forms.CharField(label=_("Mã"), max_length=32, required=False))
    name = _required(forms.CharField(label=_("Tên"), max_length=255, required=False))
    kind = forms.ChoiceField(label=_("Loại"), choices=OrgKind.choices)
    parent = OrganizationCodeField(
        label=_("Mã đơn vị cấp trên trực tiếp"),
        help_text=_("Để trống để tạo một gốc của cây (chỉ quản trị hệ thống)."),
    )
    party_organization = OrganizationCodeField(label=_("Mã tổ chức đảng lãnh đạo"))
    leads = OrganizationCodeField(
        label=_("Mã tổ chức được lãnh đạo"),
        help_text=_("Chỉ với tập thể lãnh đạo, quản lý."),
    )


class OrganizationUpdateForm(forms.Form):
    code = _required(forms.CharField(label=_("Mã"), max_length=32, required=False))
    name = _required(forms.CharField(label=_("Tên"), max_length=255, required=False))
    short_name = forms.CharField(label=_("Tên viết tắt"), max_length=64, required=False)
    party_organization = OrganizationCodeField(label=_("Mã tổ chức đảng lãnh đạo"))
    position = forms.IntegerField(
        label=_("Thứ tự"),
        required=False,
        min_value=0,
        error_messages={"invalid": _("Nhập một số nguyên không âm.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    is_active = forms.BooleanField(label=_("Đang hoạt động"), required=False)
    reason = forms.CharField(
        label=_("Lý do"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_position(self):
        return self.cleaned_data["position"] or 0


class OrganizationMoveForm(forms.Form):
    parent = OrganizationCodeField(
        label=_("Mã đơn vị cấp trên mới"),
        help_text=_("Để trống để đưa lên gốc của cây (chỉ quản trị hệ thống)."),
    )
    reason = forms.CharField(
        label=_("Lý do"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def apply_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's errors next to the fields they name (the rest above the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
