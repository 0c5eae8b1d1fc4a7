from django.apps import apps
from django.contrib import admin


def test_every_model_of_ours_is_in_the_django_admin():
    ours = [m for m in apps.get_models() if m.__module__.startswith("kiemdiem.")]
    missing = [m._meta.label for m in ours if not admin.site.is_registered(m)]
    assert ours and missing == []


def test_the_admin_changelists_open_for_a_superuser(admin_client):
    for model, _ in admin.site._registry.items():
        if not model.__module__.startswith("kiemdiem."):
            continue
        url = f"/quan-tri/{model._meta.app_label}/{model._meta.model_name}/"
        assert admin_client.get(url).status_code == 200, url
