"""WeChat official-account web authorisation (网页授权): learn a WeChat user's openid (ADR 0143, 0341).

One home for the protocol, used by payments (the JSAPI payer) and notifications (binding a
learner for subscription messages). The browser goes to ``authorize_url`` (``snsapi_base``:
silent, no consent page); WeChat returns it to ``redirect_uri?code=…&state=…``; ``openid_for_code``
exchanges the code (five minutes, once) at ``/sns/oauth2/access_token`` with the AppSecret. The
``state`` is the caller's CSRF token: check it before exchanging. An openid is per appid.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import requests

AUTHORIZE_URL = "https://open.weixin.qq.com/connect/oauth2/authorize"
API_URL = "https://api.weixin.qq.com"
RETRYABLE_ERRCODES = {-1, 45009}  # system busy; API call limit reached
TIMEOUT = 5.0


class OAuthError(Exception):
    """WeChat refused or could not be reached; ``code`` is its errcode (or ours), ``retryable`` says so."""

    def __init__(self, code: str, message: str, *, retryable: bool) -> None:
        super().__init__(f"{code}: {message}")
        self.code, self.message, self.retryable = code, message, retryable


@dataclass(frozen=True)
class OAuthConfig:
    """The official account's appid and AppSecret, and the two endpoints (sandbox or WeChat)."""

    appid: str
    secret: str
    authorize_url: str = AUTHORIZE_URL
    api_url: str = API_URL


def authorize_url(config: OAuthConfig, redirect_uri: str, state: str) -> str:
    """Where to send a browser inside WeChat to learn its openid (silently)."""
    query = urlencode(
        {
            "appid": config.appid,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": "snsapi_base",
            "state": state,
        }
    )
    return f"{config.authorize_url}?{query}#wechat_redirect"


def openid_for_code(config: OAuthConfig, code: str) -> str:
    """Exchange the ``code`` WeChat returned for the user's openid; ``OAuthError`` on refusal."""
    if not code or len(code) > 256:
        raise OAuthError("40029", "invalid code", retryable=False)
    params = {
        "appid": config.appid,
        "secret": config.secret,
        "code": code,
        "grant_type": "authorization_code",
    }
    try:
        reply = requests.get(f"{config.api_url}/sns/oauth2/access_token", params=params, timeout=TIMEOUT)
        data = reply.json()
    except requests.RequestException as exc:
        raise OAuthError("network", f"WeChat unreachable: {exc}", retryable=True) from exc
    except ValueError as exc:
        raise OAuthError("bad_reply", "the access_token reply is not JSON", retryable=True) from exc
    if not isinstance(data, dict) or data.get("errcode") or not data.get("openid"):
        errcode = data.get("errcode", 0) if isinstance(data, dict) else 0
        message = str(data.get("errmsg") or "no openid") if isinstance(data, dict) else "no openid"
        raise OAuthError(str(errcode), message, retryable=errcode in RETRYABLE_ERRCODES)
    return str(data["openid"])
