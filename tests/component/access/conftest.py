"""Fixtures of the access tests: a seeded site, a learner, a browser-like and an app-like client."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

PASSWORD = "xueshi-demo-2026"
PC_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0"
PHONE_UA = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/124.0 Mobile Safari/537.36"
APP_UA = "edX/org.edx.mobile/5.2.0 (iPhone; iOS 17.4; Scale/3.00)"


@pytest.fixture
def learner(demo_site: dict[str, Any]) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="zhangsan")


def browser(ip: str = "202.96.128.86", ua: str = PC_UA) -> Client:
    """A browser at a public IP (REMOTE_ADDR, as without a proxy)."""
    return Client(REMOTE_ADDR=ip, HTTP_USER_AGENT=ua)


def web_sign_in(client: Client, username: str = "zhangsan", password: str = PASSWORD) -> Any:
    """Post the sign-in form, as the learner's browser does."""
    return client.post("/login/", {"username": username, "password": password})


def app_token(
    client: Client, username: str = "zhangsan", password: str = PASSWORD, token_type: str = "jwt"
) -> Any:
    """The mobile app's password grant at /oauth2/access_token."""
    return client.post(
        "/oauth2/access_token",
        {
            "grant_type": "password",
            "client_id": "xueshi-sandbox-mobile",
            "username": username,
            "password": password,
            "token_type": token_type,
        },
    )


def app_client(ip: str = "58.60.0.1") -> Client:
    return Client(REMOTE_ADDR=ip, HTTP_USER_AGENT=APP_UA)
