"""The provincial sandbox in this process, destinations pointing at it, records written to the outbox."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import override_settings

from sandbox.provincial.server import ProvincialSandbox
from xueshi_reporting import outbox, schema
from xueshi_reporting.adapters.signing import new_sm2_private, sm2_public_of
from xueshi_reporting.models import Delivery, Destination
from xueshi_reporting.records import Draft

APP_ID = "xueshi-test"


def key_pairs(sm4: bool) -> tuple[dict[str, str], dict[str, str]]:
    """(the site's secrets entry, the platform's keys) for one destination."""
    client, platform = new_sm2_private(), new_sm2_private()
    shared, sm4_key = secrets.token_hex(32), secrets.token_hex(16)
    site = {
        "hmac_key": shared,
        "sm2_private": client,
        "sm2_public": sm2_public_of(client),
        "peer_sm2_public": sm2_public_of(platform),
    }
    receiver = {
        "hmac_key": shared,
        "client_sm2_public": sm2_public_of(client),
        "platform_sm2_private": platform,
        "platform_sm2_public": sm2_public_of(platform),
    }
    if sm4:
        site["sm4_key"] = receiver["sm4_key"] = sm4_key
    return site, receiver


class Province:
    """A running sandbox, its destination row and the secrets the site holds for it."""

    def __init__(self, code: str, algorithm: str, sm4: bool = False, **fields: Any) -> None:
        self.site_keys, receiver = key_pairs(sm4)
        self.sandbox = ProvincialSandbox(APP_ID, algorithm, receiver).start()
        self.platform = self.sandbox.platform
        fields = {"batch_size": 50, "timeout_seconds": 1.0, "max_attempts": 20, **fields}
        self.destination = Destination.objects.create(
            code=code,
            name=f"{code} 省平台",
            url=f"{self.sandbox.base_url}/records",
            signature=algorithm,
            app_id=APP_ID,
            **fields,
        )


@pytest.fixture
def provinces(db: Any) -> Iterator[Any]:
    """Make provinces with ``provinces(code, algorithm, sm4=…)``; settings carry their secrets."""
    made: list[Province] = []
    overrides = override_settings(XUESHI_REPORTING_BACKOFF_SECONDS=0, XUESHI_REPORTING_LEASE_SECONDS=30)
    overrides.enable()

    def make(code: str, algorithm: str = "HMAC-SHA256", sm4: bool = False, **fields: Any) -> Province:
        province = Province(code, algorithm, sm4, **fields)
        made.append(province)
        from django.conf import settings

        settings.XUESHI_REPORTING_SECRETS = {p.destination.code: p.site_keys for p in made}
        return province

    yield make
    overrides.disable()
    for province in made:
        province.sandbox.stop()


def learner(n: int, region: str = "350102") -> dict[str, Any]:
    return {
        "user_id": n,
        "real_name": f"学员{n}",
        "id_type": "resident_id",
        "id_number": f"35010219900307{n:04d}",
        "region": region,
        "category": "general",
        "employer": "鼓楼电力公司",
    }


def write_study(learners: int, days: int, region: str = "350102") -> list[Any]:
    """``learners`` × ``days`` study-day records, written day by day (so each learner's are interleaved)."""
    drafts = []
    for day in range(1, days + 1):
        for n in range(1, learners + 1):
            data = {
                "day": f"2026-03-{day:02d}",
                "credited_minutes": 30 + n,
                "credited_seconds": (30 + n) * 60,
                "sessions": 1,
            }
            course = {
                "code": "course-v1:X+Y+2026",
                "title": "公需课",
                "category": "public",
                "declared_hours": "10",
            }
            drafts.append(
                Draft(
                    schema.STUDY_DAY,
                    n,
                    f"study:{n}:course-v1:X+Y+2026:2026-03-{day:02d}",
                    learner(n, region),
                    course,
                    data,
                    datetime(2026, 3, day, tzinfo=UTC),
                )
            )
    return outbox.write(drafts)


def held_in_order(platform: Any) -> dict[int, list[int]]:
    """Per learner, the outbox sequence numbers in the order the platform first stored them."""
    seen: dict[int, list[int]] = {}
    for key in platform.arrivals:
        record = platform.records[key]
        seen.setdefault(int(record["learner"]["user_id"]), []).append(int(record["seq"]))
    return seen


def states(destination: Destination) -> dict[str, int]:
    out: dict[str, int] = {}
    for state in Delivery.objects.filter(destination=destination).values_list("state", flat=True):
        out[state] = out.get(state, 0) + 1
    return out


def payload(row: Any) -> dict[str, Any]:
    return json.loads(str(row.payload.reveal()))
