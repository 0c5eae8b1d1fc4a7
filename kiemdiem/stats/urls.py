from django.urls import path

from kiemdiem.stats import views

urlpatterns = [
    path("", views.dashboard, name="stats_dashboard"),
    path("xlsx/", views.export, name="stats_export"),
]
