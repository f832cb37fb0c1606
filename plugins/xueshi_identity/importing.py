"""Bulk import of learners with real-name profiles from xlsx: all rows or none, with a per-row report.

Every row goes through the same ``ProfileForm`` as a learner's own page; the file is written only
when every row is valid, inside one transaction. ID numbers must be text cells: Excel keeps
numbers as doubles and silently drops digits after the fifteenth.

An importer bound to regions or employers (``AccountScope``, ADR 0010) may only create learners
it could see afterwards: a row whose region columns or employer fall outside the scope is refused
with its reason, and so, all or nothing, is the file. The region columns decide, not the ID
number's division code: that code is where the number was issued (often the birthplace), while
the scope, every list and the statistics match the region the learner works in.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from xueshi_core.scopes import EVERYTHING, Scope
from xueshi_core.spreadsheets import append_row

from . import compat, idnumbers
from .forms import ProfileForm
from .models import IdentityProfile, PersonnelCategory

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
#: (key, header) in template order; headers are what operators see, keys what we read.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("username", "用户名 username"),
    ("email", "邮箱 email"),
    ("password", "初始密码 password (可空)"),
    ("real_name", "真实姓名 real name"),
    ("id_type", "证件类型 ID type"),
    ("id_number", "证件号码 ID number"),
    ("phone", "手机号 mobile"),
    ("province_code", "省级代码 province"),
    ("city_code", "市级代码 city"),
    ("county_code", "县级代码 county"),
    ("employer", "工作单位 employer"),
    ("category", "人员类别 category"),
)


class ImportFileError(ValueError):
    """The upload is not a usable workbook (not xlsx, too big, wrong columns)."""


@dataclass
class RowResult:
    """One data row: its spreadsheet row number and what is wrong with it."""

    row: int
    username: str
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    """The whole file: one result per row, and whether anything was written."""

    rows: list[RowResult]
    committed: bool = False

    @property
    def ok(self) -> bool:
        """Every row is valid."""
        return bool(self.rows) and not any(r.errors for r in self.rows)


def template_workbook() -> bytes:
    """An empty import template with the header row, text-formatted number columns and one example."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "learners"
    sheet.append([header for _key, header in COLUMNS])
    for index, (key, _header) in enumerate(COLUMNS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = 22
        if key in ("id_number", "phone", "province_code", "city_code", "county_code"):
            for row in range(2, 1002):
                sheet.cell(row=row, column=index).number_format = "@"
    codes = sheet.parent.create_sheet("codes")
    codes.append(["证件类型 code", "名称"])
    for code, name in idnumbers.ID_TYPES.items():
        codes.append([code, name])
    codes.append([])
    codes.append(["人员类别 code", "名称"])
    for category in PersonnelCategory.objects.filter(active=True):
        append_row(codes, [category.code, category.name])  # staff-entered names: written as text
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell_text(value: Any, key: str) -> str:
    if value is None:
        return ""
    if isinstance(value, float | int) and not isinstance(value, bool):
        if key == "id_number" or (isinstance(value, float) and not value.is_integer()):
            raise ValueError(_("store %(column)s as text, not as a number") % {"column": key})
        return str(int(value))
    return str(value).strip()


def read_rows(data: bytes) -> list[tuple[int, dict[str, Any]]]:
    """Parse the first sheet into ``(row number, {key: value})`` pairs, checking size and headers."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if len(data) > MAX_BYTES:
        raise ImportFileError(_("The file is larger than 5 MB."))
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(
            _("This is not an .xlsx workbook. Download the template and fill it in.")
        ) from exc
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(h or "").strip() for h in next(rows, ())]
    expected = [h for _k, h in COLUMNS]
    if header[: len(expected)] != expected:
        raise ImportFileError(
            _("The header row does not match the template. Download the template and use it.")
        )
    parsed: list[tuple[int, dict[str, Any]]] = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v in (None, "") for v in values):
            continue
        if len(parsed) >= MAX_ROWS:
            raise ImportFileError(_("At most %(max)d learners per file.") % {"max": MAX_ROWS})
        parsed.append(
            (number, {key: values[i] if i < len(values) else None for i, (key, _h) in enumerate(COLUMNS)})
        )
    if not parsed:
        raise ImportFileError(_("The file has no learners."))
    return parsed


def _id_type_code(value: str) -> str:
    by_name = {name: code for code, name in idnumbers.ID_TYPES.items()}
    return by_name.get(value, value)


def _category_code(value: str) -> str:
    found = PersonnelCategory.objects.filter(name=value).values_list("code", flat=True).first()
    return found or value


def _scope_errors(values: dict[str, str], scope: Scope) -> list[str]:
    """Why this row's learner would fall outside the importer's scope (empty when inside)."""
    if scope.everything:
        return []
    regions = [values["province_code"], values["city_code"], values["county_code"]]
    if scope.covers(regions, values["employer"]):
        return []
    errors = []
    if scope.regions and not Scope(regions=scope.regions).covers(regions):
        region = values["county_code"] or values["city_code"] or values["province_code"] or "—"
        errors.append(
            _("region %(region)s: outside the regions your account may manage (%(scope)s)")
            % {"region": region, "scope": ", ".join(scope.regions)}
        )
    if scope.employers and values["employer"].strip() not in scope.employers:
        errors.append(
            _("employer %(employer)s: not an employer your account may manage")
            % {"employer": values["employer"] or "—"}
        )
    return errors or [_("outside the learners your account may manage")]


def _check_row(
    number: int, raw: dict[str, Any], seen: dict[str, set[str]], scope: Scope = EVERYTHING
) -> tuple[RowResult, Any]:
    result = RowResult(number, str(raw.get("username") or ""))
    try:
        values = {key: _cell_text(raw.get(key), key) for key, _h in COLUMNS}
    except ValueError as exc:
        result.errors.append(str(exc))
        return result, None
    values["id_type"] = _id_type_code(values["id_type"])
    values["category"] = _category_code(values["category"])
    result.errors.extend(_scope_errors(values, scope))
    user_model = get_user_model()
    username = values["username"]
    try:
        user_model.username_validator(username)
    except ValidationError as exc:
        result.errors.append(_("username: %(reason)s") % {"reason": " ".join(exc.messages)})
    if user_model.objects.filter(username=username).exists() or username in seen["username"]:
        result.errors.append(_("username: already taken"))
    try:
        validate_email(values["email"])
    except ValidationError:
        result.errors.append(_("email: not a valid address"))
    form = ProfileForm(data=values)
    if form.is_valid():
        digest = IdentityProfile.hash_id_number(values["id_type"], form.cleaned_data["id_number"])
        if digest in seen["id"]:
            result.errors.append(_("ID number: appears twice in this file"))
        seen["id"].add(digest)
    else:
        for field_name, errors in form.errors.items():
            label = form.fields[field_name].label if field_name in form.fields else field_name
            result.errors.extend(f"{label}: {error}" for error in errors)
    seen["username"].add(username)
    return result, (values, form)


def import_learners(data: bytes, *, dry_run: bool = False, scope: Scope = EVERYTHING) -> ImportReport:
    """Check every row; if all are valid (and not ``dry_run``), create accounts and profiles atomically.

    ``scope`` is the importer's (``permissions.scope_of``): rows outside it are refused.
    """
    parsed = read_rows(data)
    seen: dict[str, set[str]] = {"username": set(), "id": set()}
    checked = [_check_row(number, raw, seen, scope) for number, raw in parsed]
    report = ImportReport([result for result, _pair in checked])
    if not report.ok or dry_run:
        return report
    with transaction.atomic():
        for _result, (values, form) in checked:
            _create(values, form)
    report.committed = True
    return report


def _create(values: dict[str, str], form: ProfileForm) -> int:
    """The account (as registration makes it) and its real-name profile, from one checked row."""
    user_id = compat.create_learner(
        values["username"], values["email"], values["real_name"], values["password"] or None
    )
    profile = form.save(commit=False)
    profile.user_id = user_id
    profile.source = "import"
    profile.save()
    return user_id


def import_each(
    parsed: list[tuple[int, dict[str, Any]]], *, scope: Scope = EVERYTHING
) -> list[tuple[RowResult, int | None]]:
    """Check every row and create each valid one on its own: ``(result, new user id or None)``.

    For callers that accept part of a list, such as an employer's order (``xueshi_payments``): a bad
    row is refused with its reasons while the good ones get accounts and profiles, each in its own
    savepoint of the caller's transaction, through the same checks as ``import_learners``.
    """
    seen: dict[str, set[str]] = {"username": set(), "id": set()}
    results: list[tuple[RowResult, int | None]] = []
    for number, raw in parsed:
        result, pair = _check_row(number, raw, seen, scope)
        if result.errors or pair is None:
            results.append((result, None))
            continue
        values, form = pair
        with transaction.atomic():
            results.append((result, _create(values, form)))
    return results
