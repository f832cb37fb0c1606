"""Staff bulk import from xlsx: template, per-row report, all rows or none, clear errors for bad files."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from xueshi_identity.importing import COLUMNS
from xueshi_identity.models import IdentityProfile
from xueshi_identity.testing import make_resident_id, with_wrong_check_digit

URL = "/xueshi/identity/staff/import/"


def _row(n: int, **overrides: Any) -> list[Any]:
    values = {
        "username": f"imported{n}",
        "email": f"imported{n}@example.invalid",
        "password": "",
        "real_name": "批量学员",
        "id_type": "居民身份证",
        "id_number": make_resident_id("110101", "19850101", 900 + n),
        "phone": f"1390000{n:04d}",
        "province_code": "110000",
        "city_code": "",
        "county_code": "110101",
        "employer": "北京某单位",
        "category": "会计人员",
    }
    values.update(overrides)
    return [values[key] for key, _header in COLUMNS]


def _xlsx(rows: list[list[Any]], header: list[str] | None = None) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(header or [h for _k, h in COLUMNS])
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return SimpleUploadedFile("learners.xlsx", out.getvalue())


def _operator(users: dict[str, User]) -> Client:
    client = Client()
    client.force_login(users["operator"])
    return client


def test_template_downloads_with_headers_and_code_sheet(users: dict[str, User]) -> None:
    response = _operator(users).get(URL + "template.xlsx")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    assert [c.value for c in book["learners"][1]] == [h for _k, h in COLUMNS]
    assert book["learners"]["F2"].number_format == "@"  # ID numbers as text
    codes = [r[0] for r in book["codes"].iter_rows(values_only=True)]
    assert "resident_id" in codes and "accounting" in codes


def test_valid_file_imports_every_row(users: dict[str, User]) -> None:
    response = _operator(users).post(URL, {"file": _xlsx([_row(1), _row(2, county_code="110102")])})
    assert response.status_code == 200, response.content.decode()[-3000:]
    assert 'id="import-done"' in response.content.decode()
    profiles = IdentityProfile.objects.filter(user__username__startswith="imported").order_by(
        "user__username"
    )
    assert [p.source for p in profiles] == ["import", "import"]
    assert all(p.completed_at and p.category.code == "accounting" for p in profiles)
    assert not User.objects.get(username="imported1").has_usable_password()


def test_one_bad_row_imports_nothing_and_the_report_says_which_and_why(users: dict[str, User]) -> None:
    rows = [
        _row(1),
        _row(2, id_number=with_wrong_check_digit(make_resident_id("110101", "19850101", 903))),
        _row(3, id_number=_row(1)[5]),  # same ID as row 1
        _row(4, username="xiaoming"),  # an existing account
        _row(5, id_number=350102199003079914),  # typed as a number: digits lost in Excel
        _row(6, phone="123", county_code="999999"),
    ]
    response = _operator(users).post(URL, {"file": _xlsx(rows)})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="import-refused"' in html
    assert not User.objects.filter(username__startswith="imported").exists()
    assert not IdentityProfile.objects.exists()
    report = {int(row.split('"')[0]): row for row in html.split('data-row="')[1:]}
    assert "valid" in report[2] or "有效" in report[2]  # spreadsheet row 2 = data row 1
    assert "id_number" not in report[2]
    for row in (3, 4, 5, 6, 7):
        assert "errorlist" in report[row], row
    assert "twice" in report[4] or "重复" in report[4]
    assert "as text" in report[6] or "文本" in report[6]


def test_check_only_writes_nothing(users: dict[str, User]) -> None:
    response = _operator(users).post(URL, {"file": _xlsx([_row(1)]), "dry_run": "1"})
    assert response.status_code == 200 and 'id="import-checked"' in response.content.decode()
    assert not User.objects.filter(username="imported1").exists()


def test_bad_files_get_clear_400s(users: dict[str, User]) -> None:
    client = _operator(users)
    cases = [
        {"file": SimpleUploadedFile("x.xlsx", b"this is not a workbook")},
        {"file": SimpleUploadedFile("x.xlsx", b"PK\x03\x04broken zip")},
        {"file": _xlsx([_row(1)], header=["name", "id"])},
        {"file": _xlsx([])},
        {},
    ]
    for data in cases:
        response = client.post(URL, data)
        assert response.status_code == 400
        assert 'id="import-file-error"' in response.content.decode()


def test_only_staff_may_import(users: dict[str, User]) -> None:
    client = Client()
    client.force_login(users["learner"])
    assert client.post(URL, {"file": _xlsx([_row(1)])}).status_code == 403
    assert not User.objects.filter(username="imported1").exists()


def test_a_region_bound_importer_may_only_import_learners_of_its_scope(users: dict[str, User]) -> None:
    from ..permkit import account

    client = Client()
    client.force_login(account("bj-op", "xueshi_operator", regions="110000", employers="北京某单位"))
    fuzhou = {"province_code": "350000", "city_code": "350100", "county_code": "350102"}
    rows = [
        _row(1),  # Beijing, the bound employer: in scope
        _row(2, **fuzhou),  # another province
        _row(3, employer="别的单位"),  # Beijing, another employer
        _row(4, id_number=make_resident_id("350102", "19850101", 904)),  # born in Fuzhou, works in Beijing
    ]
    response = client.post(URL, {"file": _xlsx(rows)})
    assert response.status_code == 400 and 'id="import-refused"' in response.content.decode()
    assert not User.objects.filter(username__startswith="imported").exists()
    report = {int(row.split('"')[0]): row for row in response.content.decode().split('data-row="')[1:]}
    assert "errorlist" not in report[2] and "errorlist" not in report[5]  # the ID's code does not decide
    assert "350102" in report[3] and "110000" in report[3]  # the row's region and the account's scope
    assert "别的单位" in report[4] and "errorlist" in report[4]
    in_scope = client.post(
        URL, {"file": _xlsx([_row(1), _row(4, id_number=make_resident_id("350102", "19850101", 904))])}
    )
    assert in_scope.status_code == 200 and 'id="import-done"' in in_scope.content.decode()
    assert User.objects.filter(username__startswith="imported").count() == 2
