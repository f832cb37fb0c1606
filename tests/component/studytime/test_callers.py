"""Who may send a heartbeat, through the real endpoint: Django's session checks and the platform's tokens.

The heartbeat used to read only the user id in the session: an account deactivated or whose
password was changed kept earning, and the real-name gate let an opaque OAuth token through.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sandbox.lms.auth import ensure_mobile_application

pytestmark = [pytest.mark.component, pytest.mark.django_db]


def test_a_deactivated_account_stops_earning_at_its_next_beat(
    learner: Any, open_player: Any, clock: Any
) -> None:
    player = open_player(learner)
    assert player.beat(0, event="play").status_code == 200
    learner.is_active = False
    learner.save()
    clock.advance(30)
    refused = player.beat(30)
    assert refused.status_code == 401  # Django's backend no longer returns the user: "session_expired"
    assert refused.json()["error"] in ("user_inactive", "session_expired")


def test_a_password_change_ends_the_old_sessions_beats(learner: Any, open_player: Any, clock: Any) -> None:
    player = open_player(learner)
    assert player.beat(0, event="play").status_code == 200
    learner.set_password("a-new-password")
    learner.save()
    clock.advance(30)
    refused = player.beat(30)
    assert refused.status_code == 401  # Django flushed the session: anonymous now
    assert refused.json()["error"] in ("session_expired", "sign_in_required")


def dot_token(user: Any) -> str:
    from oauth2_provider.models import get_access_token_model

    row = get_access_token_model().objects.create(
        user=user,
        application=ensure_mobile_application(),
        token=f"opaque-{user.pk}",
        expires=timezone.now() + timedelta(hours=1),
        scope="read",
    )
    return str(row.token)


def test_the_real_name_gate_sees_opaque_bearer_tokens(learner: Any, settings: Any) -> None:
    """The gate knew only JWTs: an app with an opaque DOT token studied without a real-name profile."""
    settings.XUESHI_IDENTITY_REQUIRED = True
    path = f"/api/mobile/v4/users/{learner.username}/course_enrollments/"
    response = Client().get(path, HTTP_AUTHORIZATION=f"Bearer {dot_token(learner)}")
    assert response.status_code == 403 and response.json()["error_code"] == "identity_profile_required"
    assert Client().get(path, HTTP_AUTHORIZATION="Bearer never-issued").status_code == 401
