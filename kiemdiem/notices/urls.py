from django.urls import path

from kiemdiem.notices import views

urlpatterns = [
    path("", views.notice_list, name="notice_list"),
    path("<int:pk>/mo/", views.notice_open, name="notice_open"),
    path("doc-het/", views.notice_read_all, name="notice_read_all"),
]
