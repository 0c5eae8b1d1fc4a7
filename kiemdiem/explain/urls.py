from django.urls import path

from kiemdiem.explain import views

urlpatterns = [
    path("", views.rule_list, name="rule_list"),
    path("<str:rule_id>/", views.rule_detail, name="rule_detail"),
]
