from django.urls import path

from kiemdiem.ledger import unit_views, views

# Mounted at /so-nhiem-vu/ (sổ nhiệm vụ): Vietnamese paths, like the rest of the site.
urlpatterns = [
    path("", views.my_ledger, name="ledger_mine"),
    path("dang-ky/", views.task_register, name="ledger_task_register"),
    path("nhiem-vu/<int:pk>/ket-qua/", views.result_record, name="ledger_result_record"),
    path("nhiem-vu/<int:pk>/sua/", unit_views.task_update, name="ledger_task_update"),
    path("nhiem-vu/<int:pk>/duyet/", unit_views.task_approve, name="ledger_task_approve"),
    path("nhiem-vu/<int:pk>/khong-duyet/", unit_views.task_reject, name="ledger_task_reject"),
    path("nhiem-vu/<int:pk>/huy/", unit_views.task_cancel, name="ledger_task_cancel"),
    path("ket-qua/<int:pk>/van-ban/", views.document_add, name="ledger_document_add"),
    path(
        "ket-qua/<int:pk>/van-ban/xem-truoc/",
        views.document_preview,
        name="ledger_document_preview",
    ),
    path("ket-qua/<int:pk>/tep/", views.file_add, name="ledger_file_add"),
    path("ket-qua/<int:pk>/duong-dan/", views.link_add, name="ledger_link_add"),
    path("ket-qua/<int:pk>/so-luong/", views.count_add, name="ledger_count_add"),
    path("ket-qua/<int:pk>/khach-quan/", unit_views.objective_cause, name="ledger_objective_cause"),
    path("san-pham/<int:pk>/tai-ve/", views.product_download, name="ledger_product_download"),
    path("don-vi/<int:pk>/", unit_views.unit_ledger, name="ledger_unit"),
    path("don-vi/<int:pk>/giao/", unit_views.task_assign, name="ledger_task_assign"),
]
