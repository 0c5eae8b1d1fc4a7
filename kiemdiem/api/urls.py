from django.urls import path, re_path

from kiemdiem.api import decisions, directory, schema, views

# English paths: the API is read by programs; the pages keep the Vietnamese addresses.
urlpatterns = [
    path("me/", views.me, name="api_me"),
    path("cycles/", views.cycle_list, name="api_cycles"),
    path("cycles/<int:pk>/evaluations/", views.cycle_evaluations, name="api_cycle_evaluations"),
    path("cycles/<int:pk>/decisions/", decisions.cycle_decisions, name="api_cycle_decisions"),
    path("cycles/<int:pk>/statistics/", views.cycle_statistics, name="api_cycle_statistics"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="api_evaluation"),
    path("evaluations/<int:pk>/history/", views.evaluation_history, name="api_evaluation_history"),
    path("organizations/", directory.organization_list, name="api_organizations"),
    path("organizations/<int:pk>/", directory.organization_detail, name="api_organization"),
    path("people/", directory.person_list, name="api_people"),
    path("people/<int:pk>/", directory.person_detail, name="api_person"),
    path("schema/", schema.schema_view, name="api_schema"),
    re_path(r"^(?P<rest>.*)$", views.unknown),
]
