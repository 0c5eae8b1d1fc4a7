from django.urls import path

from kiemdiem.reviews.cycles import progress_views
from kiemdiem.reviews.cycles import views as cycle_views
from kiemdiem.reviews.decisions import views as decision_views
from kiemdiem.reviews.meetings import views as meeting_views
from kiemdiem.reviews.selfreview import views as selfreview_views

# Mounted at /kiem-diem/: Vietnamese paths, like the rest of the site. <pk> is the evaluation's.
urlpatterns = [
    path("", selfreview_views.selfreview_list, name="selfreview_list"),
    path("<int:pk>/", selfreview_views.selfreview_form, name="selfreview_form"),
    path("<int:pk>/luu/", selfreview_views.selfreview_save, name="selfreview_save"),
    path("<int:pk>/xem-truoc/", selfreview_views.selfreview_preview, name="selfreview_preview"),
    path("<int:pk>/nop/", selfreview_views.selfreview_submit, name="selfreview_submit"),
    path("<int:pk>/tra-lai/", selfreview_views.selfreview_return, name="selfreview_return"),
    # The review cycles (personnel body): /kiem-diem/dot/…
    path("dot/", cycle_views.cycle_list, name="cycle_list"),
    path("dot/tao/", cycle_views.cycle_create, name="cycle_create"),
    path("dot/<int:pk>/", cycle_views.cycle_detail, name="cycle_detail"),
    path("dot/<int:pk>/tien-do/", progress_views.cycle_progress, name="cycle_progress"),
    path("dot/<int:pk>/mau-tieu-chi/", cycle_views.cycle_template_set, name="cycle_template_set"),
    path(
        "dot/<int:pk>/nhom/<int:group_pk>/ty-le/",
        cycle_views.cycle_peer_group_ratio,
        name="cycle_peer_group_ratio",
    ),
    path("dot/<int:pk>/mo-dot/", cycle_views.cycle_open_start, name="cycle_open_start"),
    path("dot/<int:pk>/tinh-lai/", cycle_views.cycle_recompute, name="cycle_recompute"),
    path("dot/<int:pk>/ket-thuc/", cycle_views.cycle_close, name="cycle_close"),
    # The decision workflow (decisions.md): decision page, publication, history and petition.
    path("dot/<int:pk>/quyet-dinh/", decision_views.decision_page, name="decision_page"),
    path("dot/<int:pk>/quyet-dinh/gui/", decision_views.decision_submit, name="decision_submit"),
    path("dot/<int:pk>/cong-bo/", decision_views.decision_publish, name="decision_publish"),
    path("dot/<int:pk>/hoi-nghi/", meeting_views.meeting_page, name="meeting_page"),
    path("dot/<int:pk>/tham-dinh/", meeting_views.verification_page, name="verification_page"),
    path("<int:pk>/lich-su/", decision_views.evaluation_history, name="evaluation_history"),
]
