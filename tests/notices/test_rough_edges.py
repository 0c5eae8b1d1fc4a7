"""Rough edges of issue 10 fixed on the way."""

from __future__ import annotations

from django.urls import reverse

from kiemdiem.ledger.models import Task


def test_a_weight_of_0_is_refused_by_name_not_saved_as_1(client, cast):
    client.force_login(cast.staff)
    response = client.post(
        reverse("ledger_task_register") + "?nam=2025",
        {
            "title": "Báo cáo chuyên đề",
            "target_quantity": "1",
            "unit": "báo cáo",
            "assigned_on": "01/02/2025",
            "deadline": "30/06/2025",
            "weight": "0",
        },
    )
    assert response.status_code == 200
    assert "Hệ số quy đổi phải lớn hơn 0." in response.content.decode()
    assert not Task.objects.exists()
