"""What the ledger pages share: the year in the address, their links, and the one form action
they all run (access checked by the caller → form → one service → redirect or fragment).

A form with errors comes back in place (htmx) or on its own page (plain POST), so everything
works without JavaScript.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemdiem.core.text import ascii_digits
from kiemdiem.ledger.forms import apply_service_errors


def year_of(request: HttpRequest) -> int:
    raw = request.GET.get("nam") or request.POST.get("nam") or ""
    today = timezone.localdate()
    if ascii_digits(raw) and 2000 <= int(raw) <= today.year + 5:
        return int(raw)
    return today.year


def mine_url(year: int, anchor: str = "") -> str:
    return f"{reverse('ledger_mine')}?nam={year}" + (f"#{anchor}" if anchor else "")


def unit_url(org_pk: int, year: int, anchor: str = "") -> str:
    url = f"{reverse('ledger_unit', args=[org_pk])}?nam={year}"
    return url + (f"#{anchor}" if anchor else "")


def refresh() -> HttpResponse:
    response = HttpResponse(status=204)
    response["HX-Refresh"] = "true"
    return response


def dress(
    form: Any,
    *,
    form_id: str,
    action: str,
    submit: str = "",
    multipart: bool = False,
    back: str = "",
    preview: str = "",
) -> Any:
    """What the shared form partial needs to draw `form` (id, target, button, back link)."""
    form.form_id = form_id
    form.action = action
    form.submit = submit or _("Lưu")
    form.multipart = multipart
    form.back = back
    if preview and "reference" in form.fields:
        form.fields["reference"].widget.attrs.update(
            {
                "hx-post": preview,
                "hx-trigger": "input changed delay:400ms",
                "hx-target": f"#{form_id}-preview",
                "hx-swap": "innerHTML",
            }
        )
    return form


def form_action(
    request: HttpRequest,
    form: Any,
    run: Callable[[dict[str, Any]], Any],
    *,
    title: str,
    subject: Any,
    form_id: str,
    back: str,
    done: str,
    on_htmx_success: Callable[[], HttpResponse],
    multipart: bool = False,
    submit: str = "",
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            run(form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if request.htmx and not from_own_page(request):
                return on_htmx_success()
            messages.success(request, done)
            if request.htmx:
                response = HttpResponse(status=204)
                response["HX-Redirect"] = back
                return response
            return redirect(back)
    if not hasattr(form, "form_id"):
        dress(form, form_id=form_id, action=request.path, submit=submit, multipart=multipart)
    form.back = "" if request.htmx else back
    context = {"form": form, "title": title, "subject": subject}
    if request.htmx:
        return render(request, "ledger/form.html#form", context)
    return render(request, "ledger/form.html", context)


def from_own_page(request: HttpRequest) -> bool:
    """An htmx post from the form's own page (not from a ledger page that embeds the form):
    there is no ledger to refresh, so the browser goes back to it."""
    return urlsplit(request.htmx.current_url or "").path == request.path


def data_of(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None
