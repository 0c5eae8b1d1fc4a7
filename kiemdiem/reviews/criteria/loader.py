"""Criteria templates as versioned data: `kiemdiem/reviews/criteria/*.json` → `CriteriaTemplate`.

One file per (code, version). Loading is an upsert keyed by (code, version) and idempotent: an
identical template already stored is left alone. A file whose content differs from the stored
template of the same (code, version) is refused — forms already filled in refer to that version —
and the province publishes its change as version + 1 instead. Nothing is written unless every
file is valid and none is refused.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from kiemdiem.core.audit import audit_record
from kiemdiem.reviews import rules
from kiemdiem.reviews.criteria.models import CriteriaTemplate

CRITERIA_DIR = Path(__file__).resolve().parent
TRACKS = ("party", "state")
GRADES = ["excellent", "good", "average", "poor"]
EMPLOYMENTS = ("", "can_bo", "cong_chuc", "vien_chuc")
FIELDS = (
    "code",
    "version",
    "name",
    "family",
    "track",
    "subject_kind",
    "employment",
    "form_code",
    "scoring",
    "source",
    "definition",
)


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    if isinstance(value, dict):
        return {k: _nfc(v) for k, v in value.items()}
    return value


def template_errors(data: Any) -> list[str]:
    """Everything wrong with one template document, as Vietnamese messages (empty = valid)."""
    if not isinstance(data, dict):
        return ["Nội dung phải là một đối tượng JSON."]
    errors: list[str] = []
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        errors.append(f"Khóa không hợp lệ: {', '.join(unknown)}.")
    for key in FIELDS:
        if key not in data and key != "employment":
            errors.append(f"Thiếu khóa “{key}”.")
    if errors:
        return errors
    for key in ("code", "name", "form_code", "source"):
        if not isinstance(data[key], str) or not data[key].strip():
            errors.append(f"“{key}” phải là chuỗi không rỗng.")
        elif len(data[key]) > (64 if key == "code" else 32 if key == "form_code" else 255):
            errors.append(f"“{key}” quá dài.")
    if (
        not isinstance(data["version"], int)
        or isinstance(data["version"], bool)
        or data["version"] < 1
    ):
        errors.append("“version” phải là số nguyên từ 1 trở lên.")
    if not isinstance(data["family"], str) or not rules.exists(data["family"]):
        errors.append(f"Bộ quy tắc “{data['family']}” không tồn tại.")
    if data["track"] not in TRACKS:
        errors.append("“track” phải là “party” hoặc “state”.")
    if data["subject_kind"] not in CriteriaTemplate.SubjectKind.values:
        errors.append(f"Đối tượng “{data['subject_kind']}” không hợp lệ.")
    if data.get("employment", "") not in EMPLOYMENTS:
        errors.append(f"“employment” “{data.get('employment')}” không hợp lệ.")
    if data["subject_kind"] == "collective" and data["track"] != "party":
        errors.append(
            "Mẫu cho tập thể thuộc bên Đảng (tập thể được xếp loại theo bộ quy tắc bên Đảng)."
        )
    scoring = data["scoring"]
    if scoring not in CriteriaTemplate.Scoring.values:
        errors.append("“scoring” phải là “points” hoặc “grades”.")
        return errors
    errors.extend(_definition_errors(data["definition"], scoring))
    return errors


def _definition_errors(definition: Any, scoring: str) -> list[str]:
    if not isinstance(definition, dict) or set(definition) != {"groups", "sections"}:
        return ["“definition” phải có đúng hai khóa “groups” và “sections”."]
    errors: list[str] = []
    groups, sections = definition["groups"], definition["sections"]
    if not isinstance(groups, list) or not groups:
        return ["“definition.groups” phải là danh sách không rỗng."]
    total = 0
    seen: set[str] = set()
    for gi, group in enumerate(groups):
        where = f"groups[{gi}]"
        if not isinstance(group, dict) or not group.get("code") or not group.get("label"):
            errors.append(f"{where}: cần “code” và “label”.")
            continue
        criteria = group.get("criteria")
        if not isinstance(criteria, list) or not criteria:
            errors.append(f"{where}: “criteria” phải là danh sách không rỗng.")
            continue
        points = 0
        for ci, crit in enumerate(criteria):
            cw = f"{where}.criteria[{ci}]"
            if not isinstance(crit, dict) or not crit.get("code") or not crit.get("label"):
                errors.append(f"{cw}: cần “code” và “label”.")
                continue
            key = f"{group['code']}/{crit['code']}"
            if key in seen:
                errors.append(f"{cw}: mã “{crit['code']}” bị trùng.")
            seen.add(key)
            if scoring == "points":
                mp = crit.get("max_points")
                if not isinstance(mp, int) or isinstance(mp, bool) or mp <= 0:
                    errors.append(f"{cw}: “max_points” phải là số nguyên dương.")
                else:
                    points += mp
            elif crit.get("grades") != GRADES:
                errors.append(f"{cw}: “grades” phải là {GRADES}.")
        if scoring == "points":
            if group.get("max_points") != points:
                errors.append(
                    f"{where} (“{group['code']}”): max_points {group.get('max_points')} khác tổng "
                    f"điểm các tiêu chí ({points})."
                )
            total += points
    if scoring == "points" and not errors and total != 100:
        errors.append(f"Tổng điểm các nhóm tiêu chí là {total}, phải bằng 100.")
    if not isinstance(sections, list) or not sections:
        errors.append("“definition.sections” phải là danh sách không rỗng.")
    else:
        codes = [s.get("code") for s in sections if isinstance(s, dict)]
        if len(codes) != len(sections) or not all(codes) or len(set(codes)) != len(codes):
            errors.append("Mỗi mục trong “sections” cần “code” riêng và “label”.")
        elif not all(isinstance(s.get("label"), str) and s["label"] for s in sections):
            errors.append("Mỗi mục trong “sections” cần “label”.")
    return errors


def _stored(t: CriteriaTemplate) -> dict[str, Any]:
    return {f: getattr(t, f) for f in FIELDS}


def read_template_files(paths: list[Path]) -> list[tuple[Path, dict[str, Any]]]:
    """Parse and validate every file; raise one ValidationError listing every problem."""
    out: list[tuple[Path, dict[str, Any]]] = []
    problems: list[str] = []
    keys: dict[tuple[str, int], Path] = {}
    for path in paths:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            problems.append(f"{path.name}: không đọc được ({exc}).")
            continue
        errs = template_errors(data)
        if errs:
            problems.extend(f"{path.name}: {e}" for e in errs)
            continue
        data = _nfc(data)
        data.setdefault("employment", "")
        key = (data["code"], data["version"])
        if key in keys:
            problems.append(
                f"{path.name}: “{key[0]}” phiên bản {key[1]} đã có trong {keys[key].name}."
            )
            continue
        keys[key] = path
        out.append((path, data))
    if problems:
        raise ValidationError(problems)
    return out


def criteria_load(*, actor: Any = None, directory: Path | None = None) -> LoadReport:
    """Upsert every `*.json` template of `directory` (default: the shipped criteria)."""
    directory = directory or CRITERIA_DIR
    documents = read_template_files(sorted(directory.glob("*.json")))
    report = LoadReport()
    with transaction.atomic():
        existing = {
            (t.code, t.version): t
            for t in CriteriaTemplate.objects.select_for_update().filter(
                code__in=[d["code"] for _p, d in documents]
            )
        }
        refused: list[str] = []
        to_create: list[dict[str, Any]] = []
        for path, data in documents:
            label = f"{data['code']} v{data['version']}"
            stored = existing.get((data["code"], data["version"]))
            if stored is None:
                to_create.append(data)
            elif _stored(stored) == {f: data[f] for f in FIELDS}:
                report.unchanged.append(label)
            else:
                refused.append(
                    f"{path.name}: mẫu “{data['code']}” phiên bản {data['version']} đã được nạp với "
                    "nội dung khác. Không sửa một phiên bản đã nạp: hãy lưu nội dung mới thành "
                    f"phiên bản {data['version'] + 1}."
                )
        if refused:
            raise ValidationError(refused)
        for data in to_create:
            template = CriteriaTemplate.objects.create(**{f: data[f] for f in FIELDS})
            audit_record(
                actor=actor,
                action="criteria_template.create",
                obj=template,
                after={"code": template.code, "version": template.version},
            )
            report.created.append(f"{template.code} v{template.version}")
    return report


__all__ = ["CRITERIA_DIR", "LoadReport", "criteria_load", "read_template_files", "template_errors"]
