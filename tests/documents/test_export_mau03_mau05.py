"""Mẫu 03 and Mẫu 05 in the bulk export. Mẫu 03 (the re-rating decision): an evaluation the competent level's
superior annulled and that was decided again gets its decision, naming the annulled level, the
new one and the annulment's reason, listed in the folder's Mẫu 04; the others get none.
Mẫu 05 (the self-assessment) for each person when the cycle is a quarter, never otherwise."""

from __future__ import annotations

import zipfile

from django.contrib.auth import get_user_model

from kiemdiem.documents.exports import export_documents, subtree_evaluations
from kiemdiem.reviews.decisions.demo import advance
from kiemdiem.reviews.decisions.workflow import annul
from kiemdiem.reviews.models import Evaluation
from tests.documents.support import docx_text, with_reviews
from tests.reviews.selfreview import support

_fast_hashers = support._fast_hashers
REASON = "Kết quả không đúng tiêu chuẩn mức xếp loại <script>x</script>"


def _decide(ev: Evaluation, level: str, to: str) -> Evaluation:
    ev.suggested_level = level  # `advance` decides at the suggestion
    advance(ev, to)
    return Evaluation.objects.get(pk=ev.pk)


def test_an_annulled_then_re_decided_evaluation_gets_its_mau_03(cast, tmp_path):
    setup = with_reviews(cast)
    chief = get_user_model().objects.create_superuser("chief", password="x")  # noqa: S106
    ev = _decide(setup.state, "HTXSNV", "published")
    annul(actor=chief, evaluation=ev, reason=REASON)
    ev = _decide(Evaluation.objects.get(pk=ev.pk), "HTTNV", "decided")
    assert (ev.status, ev.decided_level) == ("decided", "HTTNV")
    other = _decide(setup.party, "HTTNV", "published")  # decided once: no Mẫu 03
    out = tmp_path / "out.zip"
    export_documents(cycle=setup.cycle, organization=cast.province, fmt="docx", out=out)
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        [mau03] = [n for n in names if n.endswith("-hd43-mau03.docx")]
        assert mau03.endswith(f"/{ev.code}-hd43-mau03.docx")
        assert not any(n.endswith(f"/{other.code}-hd43-mau03.docx") for n in names)
        text = docx_text(archive.read(mau03))
        folder = mau03.split("/")[0]
        dossier = docx_text(archive.read(f"{folder}/hd43-mau04.docx"))
    assert "QUYẾT ĐỊNH" in text and "Mẫu 03-HD KĐ.ĐG" in text
    assert "Hủy bỏ kết quả xếp loại “Hoàn thành xuất sắc nhiệm vụ”" in text
    assert "ở mức “Hoàn thành tốt nhiệm vụ”" in text
    assert REASON in text  # literal, as typed
    assert f"ngày {ev.decided_at:%d} tháng {ev.decided_at:%m} năm {ev.decided_at:%Y}" in text
    assert f"{ev.code}-hd43-mau03" in dossier


def test_a_quarterly_cycle_exports_each_persons_mau_05_and_a_yearly_one_none(cast, tmp_path):
    from kiemdiem.reviews.models import Cycle

    setup = with_reviews(cast)
    people = subtree_evaluations(setup.cycle, cast.province).exclude(person=None)
    assert people.exists()

    def names(out):
        export_documents(cycle=setup.cycle, organization=cast.province, fmt="docx", out=out)
        with zipfile.ZipFile(out) as archive:
            found = {n: archive.read(n) for n in archive.namelist() if "-hd43-mau05" in n}
        return found

    assert names(tmp_path / "year.zip") == {}
    Cycle.objects.filter(pk=setup.cycle.pk).update(quarter=3)
    setup.cycle.refresh_from_db()
    found = names(tmp_path / "quarter.zip")
    assert sorted(n.split("/")[-1] for n in found) == sorted(
        f"{e.code}-hd43-mau05.docx" for e in people
    )
    text = docx_text(next(iter(found.values())))
    assert "Mẫu 05-HD KĐ.ĐG" in text and "Kết quả thực hiện nhiệm vụ quý 3 năm" in text
