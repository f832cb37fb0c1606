"""Queries (name, ID number by keyed hash, score band) and export jobs end to end, within the scope.

Exports run through the real Celery task (eager in the test settings, the same code a worker runs),
write into Django's storage (a temporary MEDIA_ROOT) and are read back with openpyxl and csv.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from xueshi_core import roles
from xueshi_core.models import AccountScope, RefusedAccess
from xueshi_identity.models import IdentityProfile
from xueshi_identity.testing import make_resident_id
from xueshi_stats import exports
from xueshi_stats.models import ExportJob

from ..permkit import account, full_id_number, signed_in

pytestmark = [pytest.mark.component, pytest.mark.django_db]

QUERY = "/api/xueshi/stats/query/"
YEAR = {"period": "year", "date": "2026-06-01"}


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def _id_of(user: Any) -> str:
    return full_id_number(IdentityProfile.objects.get(user=user))


def test_an_id_number_finds_its_learner_masked(gulou_county: dict[str, Any]) -> None:
    number = _id_of(gulou_county["here"])
    response = gulou_county["client"].post(QUERY, {**YEAR, "id_number": number.lower()})
    assert response.status_code == 200
    (row,) = response.json()["learners"]
    assert row["learner_id"] == gulou_county["here"].id and "*" in row["id_number"]
    assert number not in response.content.decode(), "the answer never carries the full number"
    assert not RefusedAccess.objects.exists()
    page = gulou_county["client"].post("/xueshi/stats/query/", {**YEAR, "id_number": number})
    assert page.status_code == 200 and f'data-learner="{gulou_county["here"].id}"' in page.content.decode()


def test_an_id_number_elsewhere_answers_like_nobody_and_is_recorded(gulou_county: dict[str, Any]) -> None:
    client, elsewhere = gulou_county["client"], gulou_county["elsewhere"]
    outside = client.post(QUERY, {**YEAR, "id_number": _id_of(elsewhere)}).json()
    nobody = client.post(QUERY, {**YEAR, "id_number": make_resident_id("350102", "19800101", 999)}).json()
    assert outside["learners"] == nobody["learners"] == [] and outside["total"] == nobody["total"] == 0
    (row,) = RefusedAccess.objects.all()
    assert row.target == f"learner={elsewhere.id}" and row.actor_id == gulou_county["supervisor"].id


def test_a_name_query_stays_inside_the_scope(gulou_county: dict[str, Any]) -> None:
    client = gulou_county["client"]
    here = client.get(QUERY, {**YEAR, "name": "学员201"}).json()["learners"]
    assert [r["learner_id"] for r in here] == [gulou_county["here"].id]
    assert client.get(QUERY, {**YEAR, "name": "学员202"}).json()["learners"] == [], "学员202 is in 思明区"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({"score_min": "101"}, "invalid_score_min"),
        ({"score_min": "80", "score_max": "60"}, "invalid_score_band"),
        ({"id_number": "1", "id_type": "library_card"}, "invalid_id_type"),
        ({"id_number": "1", "name": "学员201"}, "one_person"),
        ({"name": "名" * 65}, "invalid_name"),
        ({"region": "999999"}, "unknown_region"),
    ],
)
def test_a_bad_query_is_a_clear_4xx(gulou_county: dict[str, Any], query: dict[str, str], code: str) -> None:
    response = gulou_county["client"].get(QUERY, query)
    assert 400 <= response.status_code < 500 and response.json()["error"] == code


def _export(client: Any, **form: str) -> Any:
    return client.post(reverse("xueshi_stats:export-start"), form, HTTP_ACCEPT="application/json")


def _download(client: Any, token: str) -> bytes:
    response = client.get(reverse("xueshi_stats:export-file", args=[token]))
    assert response.status_code == 200, response
    return b"".join(response.streaming_content)


def _rows_of(content: bytes, file_format: str) -> list[list[Any]]:
    if file_format == "csv":
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_an_export_job_end_to_end_with_the_scope_checked_again_at_download(
    gulou_county: dict[str, Any], settings: Any, file_format: str
) -> None:
    settings.XUESHI_STATS_EXPORT_INLINE_ROWS = 0  # through the Celery task
    client, here = gulou_county["client"], gulou_county["here"]
    response = _export(client, source="figure", figure="enrolled", format=file_format, **YEAR)
    assert response.status_code == 201, response.content
    job = response.json()["job"]
    assert (job["state"], job["total"], job["written"], job["percent"]) == ("done", 1, 1, 100)
    assert client.get(reverse("xueshi_stats:api-export", args=[job["token"]])).json()["job"]["ready"]
    page = client.get(reverse("xueshi_stats:export", args=[job["token"]])).content.decode()
    assert 'id="stats-export-progress"' in page and 'id="stats-export-download"' in page
    rows = _rows_of(_download(client, job["token"]), file_format)
    assert rows[0] == exports.header() and len(rows) == 2
    assert str(rows[1][0]) == str(here.id) and "*" in rows[1][2] and rows[1][4] == "鼓楼电力公司"
    assert ExportJob.objects.get(token=job["token"]).downloads == 1

    other = signed_in(account("other_sup", roles.SUPERVISOR_COUNTY, regions="350102"))
    assert other.get(reverse("xueshi_stats:export-file", args=[job["token"]])).status_code == 404
    AccountScope.objects.filter(user=gulou_county["supervisor"]).update(region_codes="350103")
    refused = client.get(reverse("xueshi_stats:export-file", args=[job["token"]]))
    assert refused.status_code == 403
    (row,) = RefusedAccess.objects.all()
    assert row.actor_id == gulou_county["supervisor"].id and row.path.endswith("/file")


def test_an_export_outside_the_scope_or_malformed_is_refused(gulou_county: dict[str, Any]) -> None:
    client = gulou_county["client"]
    outside = _export(client, source="figure", figure="enrolled", region="350203", **YEAR)
    assert outside.status_code == 403 and outside.json()["error"] == "outside_scope"
    assert RefusedAccess.objects.count() == 1
    assert _export(client, source="figure", format="pdf").json()["error"] == "invalid_format"
    assert _export(client, source="everything").json()["error"] == "invalid_source"
    assert _export(client, source="query", score_min="-3").status_code == 400
    assert client.get(reverse("xueshi_stats:export-start")).status_code == 405
    assert not ExportJob.objects.exists()


def test_a_query_export_in_chunks_has_every_row_once(
    province: dict[str, Any], settings: Any, monkeypatch: Any
) -> None:
    """Five learners written two rows at a time (keyset chunks), a score band, an ID-number query."""
    settings.XUESHI_STATS_EXPORT_INLINE_ROWS = 0
    monkeypatch.setattr(exports, "CHUNK", 2)
    client = signed_in(account("stats_operator", roles.OPERATOR))
    today = province["today"].isoformat()
    span = {"period": "range", "start": province["yesterday"].isoformat(), "end": today}
    users = province["users"]
    job = _export(client, source="query", format="xlsx", **span).json()["job"]
    rows = _rows_of(_download(client, job["token"]), "xlsx")
    assert sorted(r[0] for r in rows[1:]) == sorted(users[k].id for k in "ABDE"), "C unenrolled"
    passed = client.get(QUERY, {**span, "score_min": "60"}).json()["learners"]
    assert [(r["learner_id"], r["best_score"]) for r in passed] == [(users["D"].id, 80)]
    failed = client.get(QUERY, {**span, "score_max": "59"}).json()["learners"]
    assert [r["learner_id"] for r in failed] == [users["E"].id]
    job = _export(client, source="query", format="csv", id_number=_id_of(users["E"]), **span).json()["job"]
    assert job["total"] == 1 and "id_number" not in ExportJob.objects.get(token=job["token"]).params
