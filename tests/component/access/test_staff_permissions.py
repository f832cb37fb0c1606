"""The sign-in audit and the suspicious-IP report under the one permission model."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from xueshi_access.models import AccessEvent

from ..permkit import account, learner_in, signed_in

pytestmark = pytest.mark.django_db
AUDIT, SUSPICIOUS = "/xueshi/access/audit/", "/xueshi/access/suspicious/"


def _signed_in_event(username: str, user_id: int) -> None:
    AccessEvent.objects.create(
        at=datetime(2026, 5, 1, 2, tzinfo=UTC), event="sign_in", user_id=user_id, username=username
    )


def test_auditors_and_operators_read_the_audit_and_others_get_403(db) -> None:
    for who in (account("aud", "xueshi_auditor"), account("op", "xueshi_operator")):
        client = signed_in(who)
        assert client.get(AUDIT).status_code == 200 and client.get(SUSPICIOUS).status_code == 200
        assert client.get(f"{AUDIT}export.xlsx").status_code == 200
    for who in (
        account("sup", "xueshi_supervisor_city", regions="320100"),
        account("admin", is_staff=True, is_superuser=True),
    ):
        client = signed_in(who)
        for url in (AUDIT, f"{AUDIT}export.xlsx", SUSPICIOUS, f"{SUSPICIOUS}export.xlsx"):
            assert client.get(url).status_code == 403, (who.username, url)


def test_a_regional_auditor_sees_their_region_only(db) -> None:
    nanjing = learner_in("nj-learner", ("320000", "320100", "320102"), "南京建工集团", 984)
    beijing = learner_in("bj-learner", ("110000", "", "110101"), "北京东城会计所", 985)
    _signed_in_event("nj-learner", nanjing.user_id)
    _signed_in_event("bj-learner", beijing.user_id)
    client = signed_in(account("nj-aud", "xueshi_auditor", regions="320000"))
    rows = client.get(AUDIT).context["page"].object_list
    assert [row.username for row in rows] == ["nj-learner"]
    assert client.get(SUSPICIOUS).status_code == 403  # the report compares every region
    national = signed_in(account("aud", "xueshi_auditor"))
    seen = {row.username for row in national.get(AUDIT).context["page"].object_list}
    assert {"nj-learner", "bj-learner", "nj-aud"} <= seen  # staff sign-ins too
