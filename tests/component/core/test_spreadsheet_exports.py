"""Learner-entered text that looks like a formula comes out of every export as text.

Each export is downloaded or built for real and read back with openpyxl: the hostile value must
be a string cell holding the learner's exact text with Excel's quote prefix (never a formula),
and the question bank's CSV and xlsx exports must import back to the learner's original text.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from openpyxl import load_workbook

from xueshi_core.roles import OPERATOR

HOSTILE = (
    '=HYPERLINK("http://evil.invalid","点击")',
    "+1+2",
    "-3+cmd|' /C calc'!A0",
    "@SUM(A1)",
    "\t=1",
    "\r=2",
)
FORMULA = HOSTILE[0]

pytestmark = pytest.mark.django_db


def _cells(data: bytes) -> dict[str, Any]:
    """Every string-valued cell of every sheet, by value."""
    book = load_workbook(io.BytesIO(data))
    return {c.value: c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value}


def _assert_text(data: bytes, *values: str) -> None:
    cells = _cells(data)
    for value in values:
        assert value in cells, f"{value!r} missing from {sorted(map(str, cells))[:20]}"
        cell = cells[value]
        assert cell.data_type == "s" and cell.quotePrefix, f"{value!r} is not quoted text"


def _staff() -> Client:
    client = Client()
    # Exports are the permission model's ``export`` action: a nationwide operator (ADR 0010).
    exporter = User.objects.create_user("exporter", is_staff=True)
    exporter.groups.add(Group.objects.get_or_create(name=OPERATOR)[0])
    client.force_login(exporter)
    return client


def test_the_sign_in_audit_export_keeps_user_agents_and_names_as_text() -> None:
    from xueshi_access.models import AccessEvent

    at = datetime(2026, 5, 1, 8, tzinfo=UTC)
    for value in HOSTILE:
        AccessEvent.objects.create(
            at=at, event="sign_in", username=value[:150], user_agent=value, ip="10.1.2.3"
        )
    response = _staff().get("/xueshi/access/audit/export.xlsx")
    assert response.status_code == 200
    _assert_text(response.content, *HOSTILE)


def test_the_suspicious_ip_export_keeps_account_names_as_text() -> None:
    from xueshi_access import exports
    from xueshi_access.suspicious import Jump, Report, RoamingAccount, SharedIp

    at = datetime(2026, 5, 1, 8, tzinfo=UTC)
    report = Report(
        start=at,
        end=at,
        course_key="",
        thresholds={},
        shared_ips=[SharedIp("10.1.2.3", "@region", 2, (FORMULA, "b"), at, at)],
        roaming=[RoamingAccount(1, "+roamer", 3, ("-x",))],
        jumps=[Jump(1, "=jumper", "10.1.2.3", "=from", "10.1.2.4", "+to", at, 5, 900)],
        by_region=[("11", "=province", 1, 1)],
    )
    _assert_text(
        exports.suspicious_xlsx(report), "@region", "+roamer", "-x", "=jumper", "=from", "+to", "=province"
    )


def test_the_real_name_export_keeps_the_employer_as_text() -> None:
    from xueshi_identity.divisions import ensure_reference_data
    from xueshi_identity.models import IdentityProfile
    from xueshi_identity.testing import make_resident_id

    ensure_reference_data()
    for index, value in enumerate(HOSTILE):
        profile = IdentityProfile(
            user=User.objects.create_user(f"learner{index}"),
            real_name="林小明",
            id_type="resident_id",
            employer=value,
        )
        profile.id_number = make_resident_id("350102", "19900307", 100 + index)
        profile.phone = "13912345678"
        profile.save()
    response = _staff().get("/xueshi/identity/staff/export.xlsx")
    assert response.status_code == 200
    _assert_text(response.content, *HOSTILE)


def test_the_question_bank_export_is_text_and_imports_back_to_the_same_words() -> None:
    from xueshi_questionbank import exporting, importing, store
    from xueshi_questionbank.data import Tags, question_from_dict
    from xueshi_questionbank.models import Question

    source, copy_xlsx, copy_csv = (f"course-v1:Org+Q{n}+2026" for n in (1, 2, 3))
    content = {
        "type": "single",
        "stem": FORMULA,
        "options": {"A": "+1+2", "B": "-3", "C": "@SUM(A1)", "D": "'=quoted already"},
        "answer": "A",
        "explanation": "=1+1",
    }
    store.create_question(
        store.bank_for(source), store.NewQuestion(question_from_dict(content), Tags("=电工", "", 2))
    )

    xlsx = exporting.export_bank(source)
    _assert_text(xlsx, FORMULA, "+1+2", "-3", "@SUM(A1)", "=1+1", "=电工")
    data = exporting.export_bank(source, "csv")
    fields = [f for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for f in row]
    assert "'" + FORMULA in fields and "''=quoted already" in fields and FORMULA not in fields

    assert importing.import_file(copy_xlsx, "export.xlsx", xlsx).accepted
    assert importing.import_file(copy_csv, "export.csv", data).accepted

    def words(course: str) -> tuple[Any, ...]:
        row = Question.objects.select_related("current_version").get(bank__course_key=course)
        version = row.current_version
        return version.stem, version.options, version.explanation, row.trade

    assert words(copy_xlsx) == words(source) == words(copy_csv)
    assert words(source)[0] == FORMULA
