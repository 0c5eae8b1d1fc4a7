from django.urls import path

from kiemdiem.orgs import views

# Vietnamese paths, like the login page's /dang-nhap/: the addresses users see and share.
urlpatterns = [
    path("", views.home, name="home"),
    path("tim-kiem/", views.search, name="search"),
    path("to-chuc/", views.org_tree, name="org_tree"),
    path("to-chuc/goi-y/", views.org_suggest, name="org_suggest"),
    path("to-chuc/them/", views.org_create, name="org_create"),
    path("to-chuc/<int:pk>/", views.org_detail, name="org_detail"),
    path("to-chuc/<int:pk>/truc-thuoc/", views.org_children_fragment, name="org_children"),
    path("to-chuc/<int:pk>/sua/", views.org_edit, name="org_edit"),
    path("to-chuc/<int:pk>/chuyen/", views.org_move, name="org_move"),
    path("to-chuc/<int:pk>/them-ca-nhan/", views.person_create, name="person_create"),
    path("ca-nhan/<int:pk>/", views.person_detail, name="person_detail"),
    path("ca-nhan/<int:pk>/sua/", views.person_edit, name="person_edit"),
    path("ca-nhan/<int:pk>/chuc-vu/", views.position_add, name="position_add"),
    path("ca-nhan/<int:pk>/dang-tich/", views.party_membership_edit, name="party_membership_edit"),
    path("chuc-vu/<int:pk>/ket-thuc/", views.position_end, name="position_end"),
]
