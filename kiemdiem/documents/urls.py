from django.urls import path, re_path

from kiemdiem.documents import views

# Mounted at /tai-lieu/.
urlpatterns = [
    re_path(
        r"^phieu/(?P<pk>[0-9]+)/(?P<fmt>docx|pdf)/$", views.form_download, name="documents_form"
    ),
    path("xuat/", views.export_start, name="documents_export"),
    path("xuat/<int:pk>/", views.export_detail, name="documents_export_detail"),
    path("xuat/<int:pk>/tai-ve/", views.export_download, name="documents_export_download"),
]
