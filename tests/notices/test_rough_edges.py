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


def test_a_task_due_next_january_registered_on_the_2026_page_says_where_it_went(client, cast):
    client.force_login(cast.staff)
    response = client.post(
        reverse("ledger_task_register") + "?nam=2026",
        {
            "title": "Tổng kết năm",
            "target_quantity": "1",
            "unit": "báo cáo",
            "assigned_on": "01/12/2026",
            "deadline": "15/01/2027",
        },
        follow=True,
    )
    task = Task.objects.get()
    assert task.year == 2027
    assert (
        "Nhiệm vụ có thời hạn 15/01/2027 nên được ghi vào sổ nhiệm vụ năm 2027, "
        "không nằm trong sổ năm 2026." in response.content.decode()
    )


def test_a_period_without_a_task_says_so_and_the_score_is_explained(client, cast):
    client.force_login(cast.staff)
    page = client.get(reverse("ledger_mine") + "?nam=2026").content.decode()
    assert "không có nhiệm vụ đến hạn trong kỳ" in page
    assert 'id="score-explained"' in page and "/quy-dinh/ND335-2/" in page
