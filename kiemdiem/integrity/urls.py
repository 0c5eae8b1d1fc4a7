from django.urls import path

from kiemdiem.integrity import views

urlpatterns = [
    path("", views.page, name="integrity_page"),
    path("phan-tich/", views.recompute, name="integrity_recompute"),
    path("xlsx/", views.download, name="integrity_export"),
    path("<int:pk>/kiem-tra/", views.justify, name="integrity_justify"),
]
