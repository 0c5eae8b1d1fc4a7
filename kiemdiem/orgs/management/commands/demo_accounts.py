"""`kiemdiem demo-accounts`: one demo account per role, linked to people of the demo province.

Idempotent: re-running resets the passwords and the roles. Demo passwords must never reach a
production database, so the command refuses to run unless DEBUG is on (or `--force`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import QuerySet

from kiemdiem.accounts.models import Role, RoleAssignment
from kiemdiem.accounts.services import role_assign, role_revoke
from kiemdiem.core.audit import audit_record
from kiemdiem.orgs.models import EmploymentCategory, Organization, OrgKind, Person, Position
from kiemdiem.orgs.people import person_link_user

DEMO_PASSWORD = "KiemDiem@2025"  # noqa: S105 — documented demo password, DEBUG only


@dataclass
class Account:
    username: str
    role: str
    scopes: list[Organization]
    person: Person
    superuser: bool = False


def _current(qs: QuerySet[Position]) -> QuerySet[Position]:
    return qs.filter(end_date__isnull=True).select_related("person", "organization")


def _scope_label(org: Organization) -> str:
    if org.parent_id is None:
        return org.short_name or org.name
    return f"{org.name} ({org.parent.short_name or org.parent.name})"  # type: ignore[union-attr]


class Command(BaseCommand):
    help = "Tạo (hoặc đặt lại mật khẩu) các tài khoản mẫu, mỗi vai trò một tài khoản."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="chạy cả khi DEBUG tắt (không dùng trên máy chủ thật)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if not settings.DEBUG and not opts["force"]:
            raise CommandError(
                "Tài khoản mẫu chỉ dùng khi DEBUG=true (mật khẩu mẫu không được có trên máy chủ "
                "thật). Dùng --force nếu thật sự cần."
            )
        if not Organization.objects.filter(code="TU", kind=OrgKind.PARTY_PROVINCE).exists():
            self.stderr.write(
                "Không có dữ liệu mẫu (chạy `kiemdiem seed-demo` trước): bỏ qua tài khoản mẫu."
            )
            return
        with transaction.atomic():
            accounts = self._accounts()
            for account in accounts:
                self._apply(account)
            audit_record(
                actor=None,
                action="demo.accounts",
                obj=accounts[0].person,
                after={"usernames": [a.username for a in accounts]},
            )
        self._print(accounts)

    # --- choosing the people ---------------------------------------------------------------

    def _accounts(self) -> list[Account]:
        self.used: set[int] = set()
        org = {
            o.code: o
            for o in Organization.objects.filter(
                code__in=["TU", "UBND", "MTTQ", "TU-BTC", "TU-UBKT", "SNV", "SKHCN"]
            )
        }
        roots = [org[c] for c in ("TU", "UBND", "MTTQ") if c in org]

        staff = self._pick(
            _current(
                Position.objects.filter(
                    organization__kind=OrgKind.DIVISION,
                    organization__parent=org.get("SNV"),
                    organization__name__startswith="Phòng",
                    level=0,
                    person__employment=EmploymentCategory.CIVIL_SERVANT,
                    person__party__isnull=False,
                )
            ).order_by("organization__position", "person_id"),
            fallback=_current(
                Position.objects.filter(organization__kind=OrgKind.DIVISION, level=0)
            ).order_by("organization__path", "person_id"),
        )
        division = staff.organization
        head = self._pick(_current(Position.objects.filter(organization=division, is_head=True)))
        cells = Position.objects.filter(
            organization__kind__in=[OrgKind.CELL_SUB, OrgKind.CELL_BASE], is_head=True
        ).exclude(person__employment=EmploymentCategory.NONE)
        own_cell = division.party_organization
        secretary = self._pick(
            _current(cells.filter(organization=own_cell)),
            _current(
                cells.filter(organization__parent_id=own_cell.parent_id if own_cell else None)
            ).order_by("organization__position", "person_id"),
            _current(cells).order_by("organization__path", "person_id"),
        )
        personnel = self._pick(
            _current(
                Position.objects.filter(organization__path__under=org["TU-BTC"].path, level__gt=0)
            ).order_by("organization__depth", "-level", "person_id")
        )
        competent = self._pick(
            _current(Position.objects.filter(organization=org["UBND"], is_head=True))
        )
        inspector = self._pick(
            _current(Position.objects.filter(organization=org["TU-UBKT"], is_head=False)).order_by(
                "-level", "person_id"
            ),
            fallback=_current(Position.objects.filter(organization=org["TU-UBKT"])),
        )
        admin = self._pick(
            _current(
                Position.objects.filter(
                    organization__parent=org.get("SKHCN"),
                    organization__name__contains="Chuyển đổi số",
                    level=0,
                )
            ).order_by("person_id"),
            fallback=_current(Position.objects.filter(level=0)).order_by("person_id"),
        )
        return [
            Account("nhanvien", Role.STAFF, [division], staff.person),
            Account("truongphong", Role.UNIT_HEAD, [division], head.person),
            Account("bithu", Role.CELL_SECRETARY, [secretary.organization], secretary.person),
            Account("tochuc", Role.PERSONNEL, roots, personnel.person),
            Account("thamquyen", Role.COMPETENT, [org["UBND"], org["TU"]], competent.person),
            Account("kiemtra", Role.INSPECTOR, [org["TU"]], inspector.person),
            Account("quantri", Role.ADMIN, roots, admin.person, superuser=True),
        ]

    def _pick(
        self, *sources: QuerySet[Position] | None, fallback: QuerySet[Position] | None = None
    ) -> Position:
        """The first position whose person is free: not picked for another demo account and
        not linked to a user other than a demo one."""
        demo_users = {
            "nhanvien",
            "truongphong",
            "bithu",
            "tochuc",
            "thamquyen",
            "kiemtra",
            "quantri",
        }
        for source in (*sources, fallback):
            if source is None:
                continue
            for position in source.select_related("person__user")[:200]:
                person = position.person
                if person.pk in self.used:
                    continue
                if person.user is not None and person.user.username not in demo_users:
                    continue
                self.used.add(person.pk)
                return position
        raise CommandError("Không tìm được người phù hợp cho tài khoản mẫu.")

    # --- writing -----------------------------------------------------------------------------

    def _apply(self, account: Account) -> None:
        User = get_user_model()
        user, _created = User.objects.get_or_create(username=account.username)
        user.set_password(DEMO_PASSWORD)
        user.is_active = True
        user.is_staff = account.superuser
        user.is_superuser = account.superuser
        user.first_name = account.person.full_name[:150]
        user.save()
        # People and roles through their services (audited), as an administrator would.
        person_link_user(actor=None, person=account.person, user=user)
        for stale in RoleAssignment.objects.filter(user=user).exclude(
            role=account.role, organization__in=account.scopes
        ):
            role_revoke(actor=None, assignment=stale)
        for scope in account.scopes:
            role_assign(actor=None, user=user, role=account.role, organization=scope)

    def _print(self, accounts: list[Account]) -> None:
        roles = dict(Role.choices)
        rows = [("Tài khoản", "Mật khẩu", "Vai trò", "Phạm vi", "Cá nhân")]
        for a in accounts:
            rows.append(
                (
                    a.username,
                    DEMO_PASSWORD,
                    str(roles[a.role]),
                    "; ".join(_scope_label(s) for s in a.scopes),
                    a.person.full_name,
                )
            )
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        self.stdout.write("Tài khoản mẫu (chỉ dùng để thử, DEBUG=true):")
        for i, r in enumerate(rows):
            line = "  ".join(c.ljust(w) for c, w in zip(r[:4], widths, strict=True))
            self.stdout.write(f"  {line}  {r[4]}")
            if i == 0:
                self.stdout.write("  " + "-" * (sum(widths) + 8 + len(r[4]) + 10))
