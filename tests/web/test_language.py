"""Vietnamese first; English through the language switch (Django's set_language view)."""

from __future__ import annotations

from django.urls import reverse


def test_pages_are_in_vietnamese_by_default(login, cast):
    html = login(cast.staff).get(reverse("org_detail", args=[cast.division.pk])).content.decode()
    assert '<html lang="vi">' in html
    assert "Cơ cấu tổ chức" in html and "Phòng, ban chuyên môn" in html


def test_the_language_switch_turns_the_shell_and_the_model_labels_into_english(login, cast):
    client = login(cast.staff)
    url = reverse("person_detail", args=[cast.staff_person.pk])
    response = client.post(reverse("set_language"), {"language": "en", "next": url})
    assert response["Location"] == url
    html = client.get(url).content.decode()
    assert '<html lang="en">' in html
    assert "Organization tree" in html and "Sign out" in html
    assert "Date of birth" in html and "17/05/1985" in html  # dates stay dd/mm/yyyy
    assert "Female" in html and "Civil servant" in html and "Active" in html
    org_html = client.get(reverse("org_detail", args=[cast.division.pk])).content.decode()
    assert "Division" in org_html and "2 people" in org_html and "Head" in org_html
    client.post(reverse("set_language"), {"language": "vi", "next": url})
    assert "Ngày sinh" in client.get(url).content.decode()


def test_the_login_page_has_the_language_switch(client, cast):
    html = client.get(reverse("login")).content.decode()
    assert f'action="{reverse("set_language")}"' in html
    assert 'value="en"' in html


def test_an_english_browser_still_gets_vietnamese_until_the_user_switches(login, cast):
    client = login(cast.staff)
    url = reverse("org_detail", args=[cast.division.pk])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in html


def test_the_services_refusals_follow_the_interface_language(login, cast):
    """A service's ValidationError is marked for translation: the English interface shows it in
    English, the Vietnamese one in Vietnamese (issue 8)."""
    client = login(cast.approver)
    url = reverse("org_create")
    data = {"code": "PCC", "name": "Phòng X", "kind": "division", "parent": "UBND"}
    client.post(reverse("set_language"), {"language": "en", "next": url})
    errors = client.post(url, data).context["form"].errors
    assert errors["code"] == ["The organization code “PCC” is already used."]
    assert errors["parent"] == ["You do not manage “Ủy ban nhân dân tỉnh Hậu Giang”."]
    client.post(reverse("set_language"), {"language": "vi", "next": url})
    errors = client.post(url, data).context["form"].errors
    assert errors["code"] == ["Mã tổ chức “PCC” đã được dùng."]
