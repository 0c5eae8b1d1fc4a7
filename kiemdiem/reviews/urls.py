from django.urls import path

from kiemdiem.reviews import views

# Mounted at /kiem-diem/: Vietnamese paths, like the rest of the site. <pk> is the evaluation's.
urlpatterns = [
    path("", views.selfreview_list, name="selfreview_list"),
    path("<int:pk>/", views.selfreview_form, name="selfreview_form"),
    path("<int:pk>/luu/", views.selfreview_save, name="selfreview_save"),
    path("<int:pk>/xem-truoc/", views.selfreview_preview, name="selfreview_preview"),
    path("<int:pk>/nop/", views.selfreview_submit, name="selfreview_submit"),
    path("<int:pk>/tra-lai/", views.selfreview_return, name="selfreview_return"),
]
