from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kiemdiem.accounts import urls as account_urls
from kiemdiem.accounts.views import LoginView
from kiemdiem.core import views as core_views
from kiemdiem.orgs import job_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("dang-nhap/", LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    *account_urls.urlpatterns,
    path("quan-tri/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("so-nhiem-vu/", include("kiemdiem.ledger.urls")),
    path("cong-viec/<int:pk>/", job_views.job_detail, name="job_detail"),
    path("kiem-diem/", include("kiemdiem.reviews.urls")),
    path("to-chuc/nhap/", include("kiemdiem.roster.urls")),
    path("thong-bao/", include("kiemdiem.notices.urls")),
    path("quy-dinh/", include("kiemdiem.explain.urls")),
    path("tai-lieu/", include("kiemdiem.documents.urls")),
    path("api/v1/", include("kiemdiem.api.urls")),
    path("tai-khoan/", include("kiemdiem.api.page_urls")),
    path("thong-ke/", include("kiemdiem.stats.urls")),
    path("liem-chinh/", include("kiemdiem.integrity.urls")),
    path("", include("kiemdiem.orgs.urls")),
]
