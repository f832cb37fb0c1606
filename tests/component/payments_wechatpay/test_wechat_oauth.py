"""The payer's openid through the web-authorisation sandbox: silent snsapi_base redirect, code
exchange, one openid per browser, codes used once, wrong secrets and foreign domains refused."""

from __future__ import annotations

import urllib.parse

import pytest
import requests

from sandbox.wechat_oauth.server import OAuthSandbox, OAuthServer
from xueshi_payments.channels.base import ChannelError
from xueshi_payments.channels.wechat_oauth import OAuthConfig, authorize_url, openid_for_code

APPID, SECRET = "wxd678efh567hg6787", "sandbox-app-secret-0001"
RETURN = "http://127.0.0.1:8000/xueshi/payments/wechat/openid"


@pytest.fixture
def oauth():
    with OAuthServer(OAuthSandbox(APPID, SECRET)) as server:
        yield (
            server,
            OAuthConfig(APPID, SECRET, f"{server.base_url}/connect/oauth2/authorize", server.base_url),
        )


def _code(browser: requests.Session, config: OAuthConfig, redirect_uri: str = RETURN) -> dict[str, str]:
    reply = browser.get(authorize_url(config, redirect_uri, "csrf-1"), allow_redirects=False)
    assert reply.status_code == 302, reply.text
    location = urllib.parse.urlsplit(reply.headers["Location"])
    assert location.geturl().startswith(redirect_uri)
    return dict(urllib.parse.parse_qsl(location.query))


def test_a_browser_gets_one_stable_openid_and_codes_work_once(oauth):
    _server, config = oauth
    browser, other = requests.Session(), requests.Session()
    first = _code(browser, config)
    assert first["state"] == "csrf-1"
    openid = openid_for_code(config, first["code"])
    assert openid.startswith("o") and len(openid) == 28
    assert openid_for_code(config, _code(browser, config)["code"]) == openid
    assert openid_for_code(config, _code(other, config)["code"]) != openid

    with pytest.raises(ChannelError) as used:
        openid_for_code(config, first["code"])
    assert (used.value.code, used.value.retryable) == ("40163", False)
    with pytest.raises(ChannelError) as wrong_secret:
        openid_for_code(
            OAuthConfig(APPID, "not-the-secret", config.authorize_url, config.api_url),
            _code(browser, config)["code"],
        )
    assert wrong_secret.value.code == "40125"


def test_a_redirect_outside_the_authorised_domain_gets_no_code(oauth):
    _server, config = oauth
    reply = requests.get(authorize_url(config, "https://evil.example/steal", "s"), allow_redirects=False)
    assert reply.status_code == 200 and "10003" in reply.text and "Location" not in reply.headers
