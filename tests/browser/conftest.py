"""Browser-layer fixtures: Playwright driving Debian's Chromium against a live sandbox."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls in fixtures
# are still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("XUESHI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session (Debian's build, never a downloaded one)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def demo_live_server(live_server: Any, transactional_db: Any) -> Any:
    """A live sandbox seeded exactly as ``seed_sandbox`` leaves it (``DEMO_UNENROLLED`` not enrolled)."""
    from django.core.management import call_command

    call_command("seed_sandbox", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return live_server


@pytest.fixture
def seeded_live_server(demo_live_server: Any) -> Any:
    """A live sandbox with the demo seeded (roles, course, users, media), every demo learner enrolled."""
    from tests.enrolkit import enrol_demo_learners

    enrol_demo_learners()
    return demo_live_server


def sign_in(context: Any, base_url: str, username: str, password: str = "xueshi-demo-2026") -> Any:
    """Sign in through the real login form; return the page, left on the home page."""
    page = context.new_page()
    page.goto(f"{base_url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")
    return page
