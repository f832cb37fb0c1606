"""The data-sharing API: client credentials, scopes by region and kind, masking by grant, cursor
pagination that misses nothing when records commit out of id order, bad input as 4xx, all audited."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest
from django.test import Client
from oauth2_provider.models import Application

from xueshi_reporting import feed, schema
from xueshi_reporting.models import ApiCall, ApiClient, OutboxRecord
from xueshi_reporting.records import Draft

from .conftest import learner, write_study

API = "/xueshi/reporting/api/v1/changes"
FUZHOU, XIAMEN = "350102", "350203"


def make_client(name: str, prefixes: list[str], **fields) -> tuple[str, str]:
    secret = f"{name}-secret-0123456789"
    app = Application.objects.create(
        name=name,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
    )
    ApiClient.objects.create(client_id=app.client_id, name=name, region_prefixes=prefixes, **fields)
    return app.client_id, secret


def token(client_id: str, secret: str) -> str:
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    response = Client().post(
        "/oauth2/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {basic}"
    )
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


def get(bearer: str, **query) -> tuple[int, dict]:
    response = Client().get(API, query, HTTP_AUTHORIZATION=f"Bearer {bearer}")
    return response.status_code, response.json()


def read_all(bearer: str, limit: int, cursor: str = "") -> tuple[list[dict], str]:
    seen: list[dict] = []
    while True:
        status, body = get(bearer, cursor=cursor, limit=limit)
        assert status == 200, body
        seen += body["records"]
        cursor = body["next_cursor"]
        if not body["has_more"]:
            return seen, cursor


@pytest.mark.django_db
def test_a_city_sees_only_its_learners_masked_unless_granted_full() -> None:
    fuzhou = token(*make_client("fuzhou", ["3501"]))
    xiamen = token(*make_client("xiamen", ["3502"], full_personal_data=True, kinds=[schema.STUDY_DAY]))
    write_study(learners=3, days=2, region=FUZHOU)
    write_study(learners=2, days=1, region=XIAMEN)  # the same learner ids, other people
    mine, _ = read_all(fuzhou, limit=4)
    assert len(mine) == 6 and {r["learner"]["region"] for r in mine} == {FUZHOU}
    assert all("*" in r["learner"]["id_number"] and "*" in r["learner"]["real_name"] for r in mine)
    theirs, _ = read_all(xiamen, limit=100)
    assert len(theirs) == 2 and {r["learner"]["region"] for r in theirs} == {XIAMEN}
    assert theirs[0]["learner"]["id_number"] == "350102199003070001"  # full by grant
    seqs = [r["seq"] for r in mine]
    assert seqs == sorted(seqs) and len(set(seqs)) == 6
    calls = ApiCall.objects.filter(status=200)
    assert calls.count() == 3 and sum(calls.values_list("records", flat=True)) == 8
    assert calls.filter(full_personal_data=True).count() == 1


@pytest.mark.django_db
def test_paging_across_concurrent_writes_misses_and_repeats_nothing() -> None:
    bearer = token(*make_client("fj", ["35"]))
    write_study(learners=2, days=3)
    status, body = get(bearer, limit=4)
    assert status == 200 and body["has_more"]
    first, cursor = body["records"], body["next_cursor"]
    # Meanwhile: a record whose transaction began earlier commits now, with an id below the page's.
    low = min(OutboxRecord.objects.values_list("id", flat=True)) - 1
    late = Draft(
        schema.HOURS,
        9,
        "hours:9:2026",
        learner(9),
        None,
        {"earned_total": "12"},
        datetime(2026, 3, 1, tzinfo=UTC),
    )
    OutboxRecord.objects.create(
        id=low,
        kind=late.kind,
        learner_id=9,
        subject=late.subject,
        idempotency_key=late.key(),
        payload=schema.canonical_json(late.record(0)),
        region=FUZHOU,
    )
    write_study(learners=1, days=5)  # and newer ones (days 4 and 5 are new)
    rest, _ = read_all(bearer, limit=4, cursor=cursor)
    keys = [r["key"] for r in first + rest]
    assert len(keys) == len(set(keys)) == OutboxRecord.objects.count() == 6 + 1 + 2
    assert "hours:9:2026" in [r["subject"] for r in rest]  # an id cursor would have skipped it
    assert feed.sequence() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({"cursor": "bm90LW91cnM"}, "invalid_cursor"),
        ({"cursor": "%%%"}, "invalid_cursor"),
        ({"limit": "0"}, "invalid_limit"),
        ({"limit": "1001"}, "invalid_limit"),
        ({"limit": "abc"}, "invalid_limit"),
        ({"kind": "salary"}, "invalid_kind"),
    ],
)
def test_bad_input_is_a_clear_400(query, code) -> None:
    bearer = token(*make_client("fj", ["35"]))
    status, body = get(bearer, **query)
    assert (status, body["code"]) == (400, code)
    assert ApiCall.objects.filter(status=400).count() == 1


@pytest.mark.django_db
def test_tokens_clients_and_rate_limits() -> None:
    assert Client().get(API).status_code == 401
    assert Client().get(API, HTTP_AUTHORIZATION="Bearer forged").status_code == 401
    stranger = Application.objects.create(
        name="x",
        client_type="confidential",
        authorization_grant_type="client-credentials",
        client_secret="s" * 20,
    )
    assert get(token(stranger.client_id, "s" * 20))[0] == 403
    bearer = token(*make_client("busy", ["35"], per_minute=2))
    assert [get(bearer)[0] for _ in range(3)] == [200, 200, 429]
    assert list(ApiCall.objects.order_by("id").values_list("status", flat=True)) == [
        401,
        401,
        403,
        200,
        200,
        429,
    ]
    document = Client().get("/xueshi/reporting/api/v1/openapi.json").json()
    assert document["openapi"] == "3.1.0" and "/changes" in document["paths"]
