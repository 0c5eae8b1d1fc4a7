"""The review meeting (hội nghị kiểm điểm) of a collective: who attended, and per evaluation the
comments, the vote tally and the level the meeting proposes (decisions.md §1 `reviewed`).

Until publication a meeting is seen only by the meeting (its head), the deciders and the
inspection committee (`kiemdiem.reviews.meetings.access`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kiemdiem.reviews.evaluations.models import Evaluation, Level


class Meeting(models.Model):
    cycle = models.ForeignKey("reviews.Cycle", on_delete=models.CASCADE, related_name="meetings")
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("tập thể"),
        on_delete=models.PROTECT,
        related_name="review_meetings",
    )
    held_on = models.DateField(_("ngày họp"))
    place = models.CharField(_("địa điểm"), max_length=255)
    chair = models.CharField(_("chủ trì"), max_length=160)
    secretary = models.CharField(_("thư ký"), max_length=160)
    expected = models.PositiveIntegerField(_("số người được triệu tập"), default=0)
    present = models.PositiveIntegerField(_("số người có mặt"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hội nghị kiểm điểm")
        verbose_name_plural = _("hội nghị kiểm điểm")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.organization} — {self.held_on:%d/%m/%Y}"

    @property
    def has_quorum(self) -> bool:
        """At least two thirds of those convened are present (party-meeting practice)."""
        return self.expected > 0 and self.present * 3 >= self.expected * 2


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    name = models.CharField(_("họ và tên"), max_length=160)
    person = models.ForeignKey(
        "orgs.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    present = models.BooleanField(_("có mặt"), default=True)
    absence_reason = models.CharField(_("lý do vắng"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("người dự họp")
        verbose_name_plural = _("người dự họp")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class MeetingEntry(models.Model):
    """What the meeting said about one evaluation; the latest entry is the meeting's level."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="entries")
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="meeting_entries"
    )
    comments = models.TextField(_("ý kiến của hội nghị"), blank=True)
    votes_excellent = models.PositiveIntegerField(_("phiếu HTXSNV"), default=0)
    votes_good = models.PositiveIntegerField(_("phiếu HTTNV"), default=0)
    votes_done = models.PositiveIntegerField(_("phiếu HTNV"), default=0)
    votes_not_done = models.PositiveIntegerField(_("phiếu KHTNV"), default=0)
    low_confidence_votes = models.PositiveIntegerField(
        _("phiếu tín nhiệm thấp"), null=True, blank=True
    )
    level = models.CharField(_("hội nghị đề xuất"), max_length=16, choices=Level.choices)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kết quả hội nghị với một phiếu")
        verbose_name_plural = _("kết quả hội nghị với từng phiếu")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.evaluation_id}: {self.level}"

    @property
    def votes(self) -> int:
        return self.votes_excellent + self.votes_good + self.votes_done + self.votes_not_done
