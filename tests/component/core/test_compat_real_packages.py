"""Our compat code against the real platform packages from PyPI, never a stand-in (ADR 0012).

edx-val, edx-completion, django-oauth-toolkit and edx-drf-extensions are installed apps or
libraries of the sandbox settings, with their migrations in the test database; the JWT settings
have Tutor's production shape (RS512, a private JWK to sign, a public JWK set to verify).
"""

from __future__ import annotations

import json
import time
from typing import Any

import jwt
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.test import Client, RequestFactory
from opaque_keys.edx.keys import UsageKey

import sandbox.platform
from sandbox.lms.auth import MOBILE_CLIENT_ID, ensure_mobile_application, mint_jwt
from xueshi_core import compat as core_compat
from xueshi_core.caller import BEARER, JWT, CallerRefused, who_is_calling
from xueshi_video import compat as video_compat

pytestmark = [pytest.mark.component, pytest.mark.django_db]
COURSE = "course-v1:XueshiDemo+AQ101+2026"
USAGE = "block-v1:XueshiDemo+AQ101+2026+type@xueshi_video+block@video_lesson1"


@pytest.fixture
def learner() -> Any:
    return get_user_model().objects.create_user("real-pkg", "real@example.invalid", "pw-real-1")


def called(header: str) -> Any:
    return who_is_calling(RequestFactory().get("/", HTTP_AUTHORIZATION=header))


# -- edx-val -------------------------------------------------------------------------------------
def test_video_urls_and_transcripts_come_from_edx_val() -> None:
    from edxval import api as edxval_api

    assert sandbox.platform.resolve_val_video is video_compat.resolve_val_video.__wrapped__
    urls = {"desktop_mp4": "https://cdn.example/v.mp4", "hls": "https://cdn.example/v.m3u8"}
    core_compat.register_val_video("val-lesson", "第一课", 93.5, {**urls, "youtube": "abc"}, COURSE)
    cues = {"start": [0, 2000, 4000], "end": [2000, 4000, 6000], "text": ["安全", "<i>安全</i>", "第一"]}
    edxval_api.create_video_transcript("val-lesson", "zh-cn", "sjson", ContentFile(json.dumps(cues)))
    srt = "1\n00:00:00,000 --> 00:00:02,000\nSafety first\n"
    edxval_api.create_video_transcript("val-lesson", "en", "srt", ContentFile(srt.encode()))

    found = video_compat.resolve_val_video("val-lesson")
    assert found == {"urls": urls, "duration": 93.5, "transcripts": ["en", "zh-cn"]}  # no youtube
    fmt, content = video_compat.read_val_transcript("val-lesson", "zh-cn")
    assert fmt == "sjson" and json.loads(content)["text"][2] == "第一"
    assert video_compat.read_val_transcript("val-lesson", "en") == ("srt", srt.encode())
    assert video_compat.read_val_transcript("val-lesson", "fr") is None
    assert video_compat.resolve_val_video("never-registered") is None

    # Registering again (Tutor's init runs the demo on every launch) updates, never duplicates.
    core_compat.register_val_video("val-lesson", "第一课", 60.0, {"desktop_mp4": "https://b/v.mp4"}, COURSE)
    assert edxval_api.get_video_info("val-lesson")["duration"] == 60.0
    assert (
        edxval_api.get_videos_for_course(COURSE)[0] and len(edxval_api.get_video_ids_for_course(COURSE)) == 1
    )


# -- edx-completion ------------------------------------------------------------------------------
def test_completion_recorded_by_our_receiver_is_read_back_through_edx_completion(learner: Any) -> None:
    from completion.models import BlockCompletion
    from completion.services import CompletionService
    from waffle.models import Switch

    from xueshi_studytime.handlers import submit_completion

    Switch.objects.update_or_create(name="completion.enable_completion_tracking", defaults={"active": True})
    usage = UsageKey.from_string(USAGE)
    submit_completion(sender=None, user_id=learner.pk, usage_key=USAGE, coverage=0.97)
    submit_completion(sender=None, user_id=learner.pk, usage_key=USAGE, coverage=0.99)  # a replay
    assert BlockCompletion.get_learning_context_completions(learner, usage.course_key) == {usage: 1.0}
    service = CompletionService(learner, usage.course_key)
    assert service.completion_tracking_enabled()
    assert service.get_completions([usage]) == {usage: 1.0}
    assert BlockCompletion.objects.filter(user=learner).count() == 1


# -- django-oauth-toolkit ------------------------------------------------------------------------
def test_an_opaque_token_issued_by_dot_is_accepted_and_a_revoked_one_refused(learner: Any) -> None:
    ensure_mobile_application()
    response = Client().post(
        "/oauth2/access_token",
        {
            "grant_type": "password",
            "client_id": MOBILE_CLIENT_ID,
            "username": learner.username,
            "password": "pw-real-1",
        },
    )
    assert response.status_code == 200, response.content
    token = response.json()["access_token"]
    caller = called(f"Bearer {token}")
    assert (caller.user_id, caller.via) == (learner.pk, BEARER)

    from oauth2_provider.models import get_access_token_model

    get_access_token_model().objects.get(token=token).revoke()  # DOT's own revocation
    for header in (f"Bearer {token}", f"Bearer {token} extra"):
        with pytest.raises(CallerRefused):
            called(header)


def test_a_dot_token_of_an_account_disabled_by_an_administrator_is_refused(learner: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone
    from oauth2_provider.models import get_access_token_model

    row = get_access_token_model().objects.create(
        user=learner,
        application=ensure_mobile_application(),
        token="disabled-by-admin",
        expires=timezone.now() + timedelta(hours=1),
        scope="read",
    )
    learner.set_unusable_password()  # what the platform's "disable account" does
    learner.save()
    with pytest.raises(CallerRefused, match="disabled"):
        called(f"Bearer {row.token}")


# -- edx-drf-extensions, RS512 as production signs ------------------------------------------------
def production_claims(user: Any) -> dict[str, Any]:
    issuer = settings.JWT_AUTH["JWT_ISSUERS"][0]
    now = int(time.time())
    return {
        "iss": issuer["ISSUER"],
        "aud": issuer["AUDIENCE"],
        "preferred_username": user.username,
        "user_id": user.pk,
        "email": user.email,
        "iat": now,
        "exp": now + 300,
        "version": "1.2.0",
        "scopes": ["user_id", "email", "profile"],
    }


def test_an_rs512_jwt_signed_with_the_platforms_jwk_is_accepted(learner: Any) -> None:
    assert settings.JWT_AUTH["JWT_SIGNING_ALGORITHM"] == "RS512"
    token = mint_jwt(learner)
    assert jwt.get_unverified_header(token) == {"alg": "RS512", "kid": "xueshi-sandbox", "typ": "JWT"}
    caller = called(f"JWT {token}")
    assert (caller.user_id, caller.via) == (learner.pk, JWT)
    assert core_compat.jwt_decode(token)["preferred_username"] == learner.username

    # The LMS's own flow: /oauth2/access_token with token_type=jwt gives a JWT that verifies.
    ensure_mobile_application()
    issued = (
        Client()
        .post(
            "/oauth2/access_token",
            {
                "grant_type": "password",
                "client_id": MOBILE_CLIENT_ID,
                "username": learner.username,
                "password": "pw-real-1",
                "token_type": "jwt",
            },
        )
        .json()
    )
    assert issued["token_type"] == "JWT"
    assert called(f"JWT {issued['access_token']}").user_id == learner.pk


def test_jwts_with_another_key_or_a_symmetric_signature_are_refused(learner: Any) -> None:
    from cryptography.hazmat.primitives.asymmetric import rsa
    from edx_rest_framework_extensions.auth.jwt.authentication import JwtAuthentication
    from rest_framework.request import Request

    claims = production_claims(learner)
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    wrong_key = jwt.encode(claims, stranger, algorithm="RS512", headers={"kid": "xueshi-sandbox"})
    issuer_secret = settings.JWT_AUTH["JWT_ISSUERS"][0]["SECRET_KEY"]
    symmetric = jwt.encode(claims, issuer_secret, algorithm="HS256")
    guessed = jwt.encode(claims, "not-the-secret-" + "x" * 32, algorithm="HS256")
    for token in (wrong_key, symmetric, guessed):
        with pytest.raises(CallerRefused):
            called(f"JWT {token}")
        with pytest.raises(jwt.InvalidTokenError):
            core_compat.jwt_decode(token)
    # Why our compat refuses HS256 itself: the package alone still takes the shared issuer secret.
    request = Request(RequestFactory().get("/", HTTP_AUTHORIZATION=f"JWT {symmetric}"))
    assert JwtAuthentication().authenticate(request)[0] == learner


# -- UserProfile ---------------------------------------------------------------------------------
def test_demo_users_and_imported_learners_get_a_user_profile_once() -> None:
    from sandbox.lms.models import UserProfile
    from xueshi_core.demo import DEMO_USERS, ensure_demo_users
    from xueshi_identity import compat as identity_compat

    ensure_demo_users()
    ensure_demo_users()  # Tutor's init runs it on every launch
    names = dict(UserProfile.objects.values_list("user__username", "name"))
    assert names == {demo.username: demo.full_name for demo in DEMO_USERS}
    user_id = identity_compat.create_learner("imported1", "imp@example.invalid", "赵六", None)
    assert UserProfile.objects.get(user_id=user_id).name == "赵六"


def test_the_demo_says_where_its_lessons_go_when_the_media_volume_lacks_them(settings, tmp_path) -> None:
    from xueshi_core.demo import missing_demo_media

    settings.MEDIA_ROOT, settings.MEDIA_URL = tmp_path, "/media/"
    assert str(tmp_path / "xueshi-demo") in missing_demo_media("/media/xueshi-demo/")
    (tmp_path / "xueshi-demo").mkdir()
    (tmp_path / "xueshi-demo" / "lesson1.mp4").write_bytes(b"\x00")
    assert missing_demo_media("/media/xueshi-demo/") is None
    assert missing_demo_media("https://cdn.example/demo/") is None  # served from elsewhere
