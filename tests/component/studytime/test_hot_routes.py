"""The two hot URLs are resolved before the site's own patterns, and only where that changes nothing.

ADR 0708: Django tried about 70 patterns before it reached the heartbeat view (hundreds in the
LMS). ``HotRoutesMiddleware`` gives exactly the heartbeat and answer paths a URLconf with our
include first, but only where the site's own URLconf already resolves them to our views.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import path

from sandbox.urls import urlpatterns as sandbox_urlpatterns
from xueshi_studytime.routing import hot_routes

from .conftest import ANSWER, HEARTBEATS, SUMMARY

pytestmark = [pytest.mark.component, pytest.mark.django_db]


def shadowing_view(request: Any) -> HttpResponse:
    """A site pattern placed before the plugin's: it owns the heartbeat path on this site."""
    return HttpResponse("the site's own", status=418)


# This module doubles as a ROOT_URLCONF in which an earlier pattern shadows the heartbeat path.
urlpatterns = [path(HEARTBEATS.lstrip("/"), shadowing_view), *sandbox_urlpatterns]


def test_a_beat_is_routed_by_the_hot_urlconf_and_matched_as_the_site_would(
    learner: Any, open_player: Any, settings: Any
) -> None:
    player = open_player(learner)
    reply = player.beat(0, event="play")
    assert reply.status_code == 200 and reply.json()["accepted"]
    assert reply.wsgi_request.urlconf is hot_routes(settings.ROOT_URLCONF)[HEARTBEATS]
    match = reply.resolver_match
    assert (match.namespace, match.url_name, match.route) == (
        "xueshi_studytime",
        "heartbeats",
        "^api/xueshi/studytime/v1/heartbeats",
    )
    # Every other path keeps the site's URLconf, including this app's colder endpoints.
    summary = player.http.get(SUMMARY)
    assert summary.resolver_match.url_name == "summary" and not hasattr(summary.wsgi_request, "urlconf")
    assert set(hot_routes(settings.ROOT_URLCONF)) == {HEARTBEATS, ANSWER}


def test_a_path_the_site_serves_itself_is_not_made_hot(settings: Any) -> None:
    settings.ROOT_URLCONF = __name__
    assert set(hot_routes(__name__)) == {ANSWER}
    reply = Client().post(HEARTBEATS, "{}", content_type="application/json")
    assert reply.status_code == 418 and reply.content == b"the site's own"
    assert not hasattr(reply.wsgi_request, "urlconf")


def test_a_site_without_the_ledger_urls_has_no_hot_routes(settings: Any) -> None:
    settings.ROOT_URLCONF = "sandbox.lms.urls"  # the LMS stand-in alone (as Studio: no ledger API)
    assert hot_routes("sandbox.lms.urls") == {}
    assert Client().post(HEARTBEATS, "{}", content_type="application/json").status_code == 404
