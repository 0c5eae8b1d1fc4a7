"""Every ledger service for the allowed and the forbidden users; bad input writes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from kiemdiem.core.models import AuditEvent
from kiemdiem.ledger import results, selectors, services
from kiemdiem.ledger.models import Product, Result, Task

from .conftest import assign, record

D = Decimal
PASTED = (
    "Quyết định số 123/QĐ-UBND ngày 15/3/2025 của UBND tỉnh về việc phê duyệt kế hoạch "
    "cải cách hành chính năm 2025"
)


def _one_page_pdf() -> bytes:
    """A real one-page PDF: uploads are parsed with pypdf, not trusted by their first bytes."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = _one_page_pdf()


def errors_of(exc_info) -> dict[str, list[str]]:
    return exc_info.value.message_dict


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


# --- tasks ----------------------------------------------------------------------------------


def test_the_unit_head_assigns_a_task_which_is_approved_at_once(cast):
    task = assign(cast)
    assert task.status == Task.Status.APPROVED
    assert task.source == Task.Source.ASSIGNED
    assert task.organization == cast.division
    assert task.year == 2025
    assert AuditEvent.objects.filter(action="task.assign", object_id=str(task.pk)).exists()


def test_the_approver_one_level_up_may_assign_too(cast):
    assert assign(cast, actor=cast.approver).assigned_by == cast.approver


@pytest.mark.parametrize("who", ["staff", "outsider"])
def test_others_may_not_assign(cast, who):
    with pytest.raises(PermissionDenied):
        assign(cast, actor=getattr(cast, who))
    assert not Task.objects.exists()


def test_a_unit_head_may_not_assign_a_task_to_himself(cast):
    with pytest.raises(PermissionDenied):
        assign(cast, person=cast.head_person)


def test_a_unit_head_may_not_assign_to_a_person_of_a_sibling_unit(cast):
    with pytest.raises(PermissionDenied):
        assign(cast, person=cast.outsider_person)


def test_task_input_errors_are_reported_by_field_and_nothing_is_written(cast):
    with pytest.raises(ValidationError) as exc:
        assign(
            cast,
            title=" ",
            target_quantity=D(0),
            unit="",
            assigned_on=dt.date(2025, 5, 1),
            deadline=dt.date(2025, 4, 30),
            weight=D(-1),
        )
    assert errors_of(exc) == {
        "title": ["Tên nhiệm vụ không được để trống."],
        "target_quantity": ["Số lượng yêu cầu phải lớn hơn 0."],
        "unit": ["Đơn vị tính không được để trống (ví dụ: văn bản, hồ sơ, báo cáo)."],
        "deadline": ["Thời hạn (30/04/2025) không thể trước ngày giao nhiệm vụ (01/05/2025)."],
        "weight": ["Hệ số quy đổi phải lớn hơn 0."],
    }
    assert not Task.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="task.").exists()


def test_a_person_registers_a_task_which_waits_for_approval(cast):
    task = services.task_register(
        actor=cast.staff,
        title="Báo cáo chuyên đề",
        target_quantity=D(1),
        unit="báo cáo",
        assigned_on=dt.date(2025, 2, 1),
        deadline=dt.date(2025, 6, 30),
    )
    assert (task.status, task.source, task.person) == ("proposed", "self", cast.staff_person)


def test_an_account_without_a_person_may_not_register(cast):
    with pytest.raises(PermissionDenied):
        services.task_register(
            actor=cast.approver,
            title="x",
            target_quantity=D(1),
            unit="x",
            deadline=dt.date(2025, 6, 30),
        )


def _proposed(cast):
    return services.task_register(
        actor=cast.staff,
        title="Báo cáo chuyên đề",
        target_quantity=D(1),
        unit="báo cáo",
        assigned_on=dt.date(2025, 2, 1),
        deadline=dt.date(2025, 6, 30),
    )


@pytest.mark.parametrize("who", ["unit_head", "approver"])
def test_the_manager_approves_a_registered_task(cast, who):
    task = services.task_approve(actor=getattr(cast, who), task=_proposed(cast))
    assert task.status == "approved"
    assert AuditEvent.objects.filter(action="task.approve").count() == 1


@pytest.mark.parametrize("who", ["staff", "outsider"])
def test_others_may_not_approve_or_reject(cast, who):
    task = _proposed(cast)
    with pytest.raises(PermissionDenied):
        services.task_approve(actor=getattr(cast, who), task=task)
    with pytest.raises(PermissionDenied):
        services.task_reject(actor=getattr(cast, who), task=task, reason="x")
    task.refresh_from_db()
    assert task.status == "proposed"


def test_the_unit_heads_own_task_is_approved_from_the_level_above(cast):
    own = services.task_register(
        actor=cast.unit_head,
        title="Kế hoạch của phòng",
        target_quantity=D(1),
        unit="kế hoạch",
        assigned_on=dt.date(2025, 1, 2),
        deadline=dt.date(2025, 1, 31),
    )
    with pytest.raises(PermissionDenied):
        services.task_approve(actor=cast.unit_head, task=own)
    assert services.task_approve(actor=cast.approver, task=own).status == "approved"


def test_rejecting_needs_a_reason(cast):
    task = _proposed(cast)
    with pytest.raises(ValidationError) as exc:
        services.task_reject(actor=cast.unit_head, task=task, reason=" ")
    assert errors_of(exc) == {"reason": ["Cần nêu lý do không duyệt."]}
    task = services.task_reject(actor=cast.unit_head, task=task, reason="Trùng nhiệm vụ đã giao")
    assert (task.status, task.status_reason) == ("rejected", "Trùng nhiệm vụ đã giao")


def test_an_approved_task_cannot_be_approved_again(cast):
    with pytest.raises(ValidationError) as exc:
        services.task_approve(actor=cast.unit_head, task=assign(cast))
    assert exc.value.messages == ["Chỉ duyệt được nhiệm vụ đang chờ duyệt."]


def test_the_manager_cancels_with_a_reason_and_the_person_only_withdraws_a_proposal(cast):
    task = assign(cast)
    with pytest.raises(PermissionDenied):
        services.task_cancel(actor=cast.staff, task=task, reason="x")
    with pytest.raises(PermissionDenied):
        services.task_cancel(actor=cast.outsider, task=task, reason="x")
    with pytest.raises(ValidationError) as exc:
        services.task_cancel(actor=cast.unit_head, task=task, reason="")
    assert errors_of(exc) == {"reason": ["Cần nêu lý do hủy nhiệm vụ."]}
    assert services.task_cancel(actor=cast.unit_head, task=task, reason="Đổi kế hoạch").status == (
        "cancelled"
    )
    withdrawn = services.task_cancel(actor=cast.staff, task=_proposed(cast), reason="Nhầm")
    assert withdrawn.status == "cancelled"


def test_updating_a_task_checks_the_version_the_editor_saw(cast):
    task = assign(cast)
    seen = task.updated_at
    task = services.task_update(
        actor=cast.unit_head, task=task, expected_updated_at=seen, target_quantity=D(12)
    )
    assert task.target_quantity == D(12)
    with pytest.raises(ValidationError) as exc:
        services.task_update(
            actor=cast.unit_head, task=task, expected_updated_at=seen, target_quantity=D(15)
        )
    assert exc.value.messages == [
        "Nhiệm vụ này vừa được người khác cập nhật. Vui lòng tải lại trang và nhập lại thay đổi."
    ]
    task.refresh_from_db()
    assert task.target_quantity == D(12)


def test_the_person_edits_only_a_task_not_yet_approved_and_a_rejected_one_is_proposed_again(cast):
    approved = assign(cast)
    with pytest.raises(PermissionDenied):
        services.task_update(
            actor=cast.staff, task=approved, expected_updated_at=approved.updated_at, title="y"
        )
    rejected = services.task_reject(actor=cast.unit_head, task=_proposed(cast), reason="Chưa rõ")
    again = services.task_update(
        actor=cast.staff, task=rejected, expected_updated_at=rejected.updated_at, title="Rõ hơn"
    )
    assert (again.status, again.title) == ("proposed", "Rõ hơn")
    with pytest.raises(PermissionDenied):
        services.task_update(
            actor=cast.outsider, task=again, expected_updated_at=again.updated_at, title="z"
        )


# --- results --------------------------------------------------------------------------------


def test_the_person_records_a_result(cast):
    result = record(cast, assign(cast))
    assert result.recorded_by == cast.staff
    assert AuditEvent.objects.filter(action="result.record").count() == 1


@pytest.mark.parametrize("who", ["unit_head", "approver", "outsider"])
def test_nobody_else_records_a_persons_result(cast, who):
    task = assign(cast)
    with pytest.raises(PermissionDenied):
        record(cast, task, actor=getattr(cast, who))
    assert not Result.objects.exists()


def test_a_result_before_its_task_was_assigned_is_refused(cast):
    task = assign(cast)
    with pytest.raises(ValidationError) as exc:
        record(cast, task, completed_on=dt.date(2025, 1, 5))
    assert errors_of(exc) == {
        "completed_on": [
            "Kết quả không thể hoàn thành trước khi nhiệm vụ được giao (ngày giao 06/01/2025)."
        ]
    }
    assert not Result.objects.exists()


def test_a_result_on_the_day_of_assignment_is_accepted(cast):
    assert record(cast, assign(cast), completed_on=dt.date(2025, 1, 6)).pk


def test_negative_quantities_and_counts_are_refused(cast):
    task = assign(cast)
    with pytest.raises(ValidationError) as exc:
        record(cast, task, achieved_quantity=D(-1), major_errors=-1, delays=-2)
    assert errors_of(exc) == {
        "achieved_quantity": ["Số lượng đạt được không được âm."],
        "major_errors": ["Số lỗi lớn về nội dung không được âm."],
        "delays": ["Số lần chậm tiến độ không được âm."],
    }
    assert not Result.objects.exists()


def test_a_result_dated_in_the_future_is_refused(cast):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    task = assign(cast, deadline=tomorrow + dt.timedelta(days=30), year=tomorrow.year)
    with pytest.raises(ValidationError) as exc:
        record(cast, task, completed_on=tomorrow)
    assert list(errors_of(exc)) == ["completed_on"]
    assert "không thể sau ngày hôm nay" in errors_of(exc)["completed_on"][0]


def test_no_result_on_a_task_waiting_for_approval(cast):
    with pytest.raises(ValidationError) as exc:
        record(cast, _proposed(cast), completed_on=dt.date(2025, 3, 1))
    assert exc.value.messages == ["Chỉ ghi kết quả cho nhiệm vụ đã được duyệt."]


def test_the_manager_confirms_an_objective_cause_and_the_deduction_goes(cast):
    task = assign(cast)
    result = record(cast, task, completed_on=dt.date(2025, 4, 10), major_errors=1)
    assert selectors.person_results_score(cast.staff_person, year=2025) == D("59.50")
    for who in ("staff", "outsider"):
        with pytest.raises(PermissionDenied):
            results.result_confirm_objective_cause(
                actor=getattr(cast, who), result=result, reason="Mưa bão"
            )
    with pytest.raises(ValidationError) as exc:
        results.result_confirm_objective_cause(actor=cast.unit_head, result=result, reason="")
    assert errors_of(exc) == {"reason": ["Cần nêu nguyên nhân khách quan được xác nhận."]}
    result = results.result_confirm_objective_cause(
        actor=cast.unit_head, result=result, reason="Bão số 3"
    )
    assert result.objective_cause and result.objective_cause_confirmed_by == cast.unit_head
    assert selectors.person_results_score(cast.staff_person, year=2025) == D("70.00")


# --- products -------------------------------------------------------------------------------


def test_a_pasted_document_reference_is_parsed_into_its_fields(cast):
    result = record(cast, assign(cast))
    product = results.product_add_document(actor=cast.staff, result=result, reference=PASTED)
    assert (product.kind, product.doc_kind, product.doc_kind_name) == (
        "document",
        "QĐ",
        "Quyết định",
    )
    assert (product.doc_number, product.doc_symbol, product.doc_date) == (
        123,
        "123/QĐ-UBND",
        dt.date(2025, 3, 15),
    )
    assert product.doc_issuer == "UBND tỉnh"
    assert product.summary == "về việc phê duyệt kế hoạch cải cách hành chính năm 2025"
    assert product.title == "Quyết định số 123/QĐ-UBND ngày 15/03/2025"


def test_a_malformed_document_number_gets_the_symbol_messages(cast):
    result = record(cast, assign(cast))
    with pytest.raises(ValidationError) as exc:
        results.product_add_document(
            actor=cast.staff, result=result, reference="Quyết định số 123/QĐ ngày 15/3/2025"
        )
    assert errors_of(exc) == {
        "reference": [
            "Số ký hiệu “Quyết định số 123/QĐ” không đúng định dạng: thiếu chữ viết tắt tên "
            "cơ quan ban hành (ví dụ 123/QĐ-UBND)."
        ]
    }
    with pytest.raises(ValidationError) as exc:
        results.product_add_document(
            actor=cast.staff, result=result, reference="Quyết định số 123/QĐ-UBND ngày 31/02/2025"
        )
    assert errors_of(exc) == {
        "reference": ["Ngày ban hành “31/02/2025” không hợp lệ: tháng 2/2025 chỉ có 28 ngày."]
    }
    assert not Product.objects.exists()


def test_a_document_without_a_date_is_refused(cast):
    result = record(cast, assign(cast))
    with pytest.raises(ValidationError) as exc:
        results.product_add_document(actor=cast.staff, result=result, reference="12-NQ/TU")
    assert errors_of(exc) == {
        "reference": ["Thiếu ngày ban hành của văn bản (ví dụ “… ngày 15/3/2025”)."]
    }


def test_the_same_document_is_not_added_twice_to_a_result(cast):
    result = record(cast, assign(cast))
    results.product_add_document(actor=cast.staff, result=result, reference=PASTED)
    with pytest.raises(ValidationError) as exc:
        results.product_add_document(actor=cast.staff, result=result, reference=PASTED)
    assert errors_of(exc) == {
        "reference": ["Văn bản 123/QĐ-UBND đã có trong sản phẩm của kết quả này."]
    }


@pytest.mark.parametrize("who", ["unit_head", "approver", "outsider"])
def test_only_the_person_adds_products(cast, who):
    result = record(cast, assign(cast))
    actor = getattr(cast, who)
    with pytest.raises(PermissionDenied):
        results.product_add_document(actor=actor, result=result, reference=PASTED)
    with pytest.raises(PermissionDenied):
        results.product_add_link(actor=actor, result=result, url="https://example.vn/a")
    with pytest.raises(PermissionDenied):
        results.product_add_count(actor=actor, result=result, quantity=D(1), title="hồ sơ")
    with pytest.raises(PermissionDenied):
        results.product_add_file(
            actor=actor, result=result, upload=SimpleUploadedFile("a.pdf", PDF)
        )
    assert not Product.objects.exists()


def test_a_file_is_stored_outside_the_code_under_a_random_name_keeping_the_original(
    cast, media_root
):
    result = record(cast, assign(cast))
    product = results.product_add_file(
        actor=cast.staff,
        result=result,
        upload=SimpleUploadedFile("Báo cáo quý 1.pdf", PDF, content_type="text/html"),
    )
    assert product.file_name == "Báo cáo quý 1.pdf"
    assert product.content_type == "application/pdf"  # never the browser's claim
    assert product.file_size == len(PDF)
    assert "Báo cáo" not in product.file.name and product.file.name.endswith(".pdf")
    assert (media_root / product.file.name).read_bytes() == PDF
    # The hash the integrity analytics compare identical evidence by (issue 14).
    assert product.sha256 == hashlib.sha256(PDF).hexdigest()


def test_office_documents_are_checked_inside_the_container(cast):
    result = record(cast, assign(cast))
    ok = results.product_add_file(
        actor=cast.staff, result=result, upload=SimpleUploadedFile("kq.docx", docx_bytes())
    )
    assert ok.content_type.endswith("wordprocessingml.document")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("payload.bin", "x")
    with pytest.raises(ValidationError) as exc:
        results.product_add_file(
            actor=cast.staff, result=result, upload=SimpleUploadedFile("kq.docx", buf.getvalue())
        )
    assert errors_of(exc) == {
        "file": [
            "Nội dung tệp “kq.docx” không phải là Word (.docx) (phần mở rộng không khớp với nội "
            "dung tệp)."
        ]
    }


def test_an_executable_renamed_pdf_is_refused_by_its_magic_bytes(cast, media_root):
    result = record(cast, assign(cast))
    with pytest.raises(ValidationError) as exc:
        results.product_add_file(
            actor=cast.staff,
            result=result,
            upload=SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00\x03" + b"\x00" * 64),
        )
    assert errors_of(exc) == {
        "file": [
            "Nội dung tệp “bao-cao.pdf” không phải là PDF (phần mở rộng không khớp với nội "
            "dung tệp)."
        ]
    }
    assert not Product.objects.exists()
    assert not media_root.exists() or not any(media_root.rglob("*.*"))


def test_a_forbidden_extension_is_refused(cast):
    result = record(cast, assign(cast))
    with pytest.raises(ValidationError) as exc:
        results.product_add_file(
            actor=cast.staff, result=result, upload=SimpleUploadedFile("setup.exe", b"MZ\x90")
        )
    assert errors_of(exc) == {
        "file": [
            "Tệp “setup.exe” không thuộc loại được nhận: chỉ nhận PDF, Word (doc, docx), "
            "Excel (xls, xlsx), OpenDocument (odt, ods) và ảnh (jpg, jpeg, png)."
        ]
    }


@override_settings(MAX_UPLOAD_BYTES=50)
def test_a_file_over_the_limit_is_refused(cast):
    result = record(cast, assign(cast))
    with pytest.raises(ValidationError) as exc:
        results.product_add_file(
            actor=cast.staff, result=result, upload=SimpleUploadedFile("lon.pdf", PDF)
        )
    assert errors_of(exc) == {
        "file": [f"Tệp “lon.pdf” dung lượng {len(PDF)} byte, vượt quá giới hạn 50 byte."]
    }
    assert not Product.objects.exists()


def test_links_and_counts(cast):
    result = record(cast, assign(cast))
    link = results.product_add_link(
        actor=cast.staff, result=result, url="https://dichvucong.gov.vn/ho-so/1", title="Hồ sơ"
    )
    assert link.kind == "link"
    with pytest.raises(ValidationError) as exc:
        results.product_add_link(actor=cast.staff, result=result, url="javascript:alert(1)")
    assert errors_of(exc) == {
        "url": [
            "Đường dẫn “javascript:alert(1)” không hợp lệ (cần bắt đầu bằng http:// hoặc https://)."
        ]
    }
    count = results.product_add_count(
        actor=cast.staff, result=result, quantity=D(15), title="hồ sơ thẩm định"
    )
    assert count.quantity == D(15)
    with pytest.raises(ValidationError) as exc:
        results.product_add_count(actor=cast.staff, result=result, quantity=D(-1), title="")
    assert errors_of(exc) == {
        "title": ["Nêu tên sản phẩm được đếm (ví dụ: hồ sơ thẩm định)."],
        "quantity": ["Số lượng sản phẩm phải lớn hơn 0."],
    }
    assert Product.objects.count() == 2


# --- selectors ------------------------------------------------------------------------------


def test_the_persons_counts_only_take_approved_tasks(cast):
    done = assign(cast)
    record(cast, done, achieved_quantity=D(11))
    assign(cast, title="Chưa làm", deadline=dt.date(2025, 6, 30))
    _proposed(cast)
    cancelled = assign(cast, title="Bỏ")
    services.task_cancel(actor=cast.unit_head, task=cancelled, reason="Đổi kế hoạch")
    counts = selectors.person_task_counts(cast.staff_person, year=2025)
    assert counts == {"assigned": 2, "completed": 1, "on_time": 1, "exceeded": 1}


def test_the_unit_statistics_cover_the_subtree(cast):
    record(cast, assign(cast))
    assign(cast, actor=cast.approver, person=cast.outsider_person)
    stats = selectors.unit_task_statistics(cast.department, year=2025)
    assert stats.totals == {"assigned": 2, "completed": 1, "on_time": 1, "exceeded": 0}
    assert stats.per_person[cast.outsider_person.pk]["assigned"] == 1
    division = selectors.unit_task_statistics(cast.division, year=2025)
    assert division.totals["assigned"] == 1
