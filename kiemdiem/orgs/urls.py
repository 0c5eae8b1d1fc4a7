from django.urls import path

from kiemdiem.orgs import views

urlpatterns = [
    path("", views.home, name="home"),
]
