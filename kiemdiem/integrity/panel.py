"""The flag counts on the statistics page (registered with `stats.panels`)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from kiemdiem.integrity import access, selectors
from kiemdiem.stats.panels import Panel, register_panel
from kiemdiem.stats.shares import vn_int


def provider(user: Any, cycle: Any, org: Any) -> Panel | None:
    if not access.can_view(user, org):
        return None
    counts = selectors.open_counts(cycle, org)
    return Panel(
        title=_("Dấu hiệu bất thường (phân tích liêm chính)"),
        rows=[
            (_("Cần xem xét"), vn_int(counts["open"])),
            (_("Đã kiểm tra, có lý do chính đáng"), vn_int(counts["justified"])),
        ],
        url=f"{reverse('integrity_page')}?cycle={cycle.pk}&org={org.pk}",
        link_label=_("Xem chi tiết"),
    )


def register() -> None:
    register_panel("integrity", provider)
