from django.urls import path

from kiemdiem.api import pages

urlpatterns = [
    path("ma-api/", pages.token_list, name="api_tokens"),
    path("ma-api/tao/", pages.token_new, name="api_token_new"),
    path("ma-api/<int:pk>/thu-hoi/", pages.token_revoke_view, name="api_token_revoke"),
    path("tai-lieu-api/", pages.reference, name="api_reference"),
]
