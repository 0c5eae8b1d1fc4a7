from django.urls import path

from kiemdiem.reviews import cycle_views, views

# Mounted at /kiem-diem/: Vietnamese paths, like the rest of the site. <pk> is the evaluation's.
urlpatterns = [
    path("", views.selfreview_list, name="selfreview_list"),
    path("<int:pk>/", views.selfreview_form, name="selfreview_form"),
    path("<int:pk>/luu/", views.selfreview_save, name="selfreview_save"),
    path("<int:pk>/xem-truoc/", views.selfreview_preview, name="selfreview_preview"),
    path("<int:pk>/nop/", views.selfreview_submit, name="selfreview_submit"),
    path("<int:pk>/tra-lai/", views.selfreview_return, name="selfreview_return"),
    # The review cycles (personnel body): /kiem-diem/dot/…
    path("dot/", cycle_views.cycle_list, name="cycle_list"),
    path("dot/tao/", cycle_views.cycle_create, name="cycle_create"),
    path("dot/<int:pk>/", cycle_views.cycle_detail, name="cycle_detail"),
    path("dot/<int:pk>/mau-tieu-chi/", cycle_views.cycle_template_set, name="cycle_template_set"),
    path(
        "dot/<int:pk>/nhom/<int:group_pk>/ty-le/",
        cycle_views.cycle_peer_group_ratio,
        name="cycle_peer_group_ratio",
    ),
    path("dot/<int:pk>/mo-dot/", cycle_views.cycle_open_start, name="cycle_open_start"),
    path("dot/<int:pk>/tinh-lai/", cycle_views.cycle_recompute, name="cycle_recompute"),
]
