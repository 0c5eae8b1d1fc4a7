from django.urls import path, re_path

from kiemdiem.api import decisions, directory, ledger, schema, selfreview, views, workflow

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
    path("tasks/", ledger.task_collection, name="api_tasks"),
    path("tasks/<int:pk>/", ledger.task_detail, name="api_task"),
    path("tasks/<int:pk>/results/", ledger.task_results, name="api_task_results"),
    path("results/<int:pk>/products/", ledger.result_products, name="api_result_products"),
    path("results/<int:pk>/files/", ledger.result_files, name="api_result_files"),
    path("evaluations/<int:pk>/self-review/", selfreview.self_review, name="api_self_review"),
    path(
        "evaluations/<int:pk>/self-review/submit/",
        selfreview.self_review_submit,
        name="api_self_review_submit",
    ),
    path(
        "evaluations/<int:pk>/verification/",
        workflow.evaluation_verification,
        name="api_evaluation_verification",
    ),
    path("cycles/<int:pk>/meetings/", workflow.cycle_meetings, name="api_cycle_meetings"),
    path("meetings/<int:pk>/", workflow.meeting_detail, name="api_meeting"),
    path("meetings/<int:pk>/entries/", workflow.meeting_entries, name="api_meeting_entries"),
    path("schema/", schema.schema_view, name="api_schema"),
    # (?s): an address with a newline in it ("%0A") is under /api/v1/ too, and answers JSON.
    re_path(r"^(?P<rest>(?s:.*))$", views.unknown),
]
