from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kiemdiem.notices.models import Notice
from kiemdiem.notices.selectors import notices_for, unread_count
from kiemdiem.notices.services import notices_mark_read


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(notices_for(user=request.user), 30).get_page(request.GET.get("trang"))
    return render(
        request,
        "notices/list.html",
        {"page": page, "unread": unread_count(user=request.user)},
    )


@login_required
@require_POST
def notice_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of the user's notices read and go where it points."""
    notice = Notice.objects.filter(pk=pk, recipient=request.user).first()
    if notice is None:
        return redirect("notice_list")
    notices_mark_read(user=request.user, ids=[notice.pk])
    if notice.url and url_has_allowed_host_and_scheme(notice.url, allowed_hosts=None):
        return redirect(notice.url)
    return redirect("notice_list")


@login_required
@require_POST
def notice_read_all(request: HttpRequest) -> HttpResponse:
    count = notices_mark_read(user=request.user)
    messages.success(request, _("Đã đánh dấu %(n)s thông báo là đã đọc.") % {"n": count})
    return redirect("notice_list")
