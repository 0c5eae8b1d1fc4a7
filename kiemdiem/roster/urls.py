from django.urls import path

from kiemdiem.roster import views

app_name = "roster"
urlpatterns = [
    path("", views.roster_upload, name="upload"),
    path("xac-nhan/", views.roster_confirm, name="confirm"),
    path("mau.xlsx", views.roster_template, name="template"),
    path("xuat/<int:pk>.xlsx", views.roster_download, name="download"),
]
