"""Learners' WeChat openids: bound through the official account's web authorisation, unbound at will.

The openid is personal data (ADR 0341): stored encrypted (``wechat_openid``), shown masked, read in
clear only here, just before a message is addressed. A binding records the official account
(appid) it was made under; one made under another account is not used. Unbinding, and the
account's retirement, delete the row.

Binding (``start``/``finish``): the learner's browser goes to WeChat's ``snsapi_base``
authorisation for the notifying account (``XUESHI_NOTIFY_WECHAT``: ``APPID``, ``SECRET``,
``OAUTH_AUTHORIZE_URL``, ``BASE_URL``) with a one-time state kept in the session; WeChat sends it
back with a code, exchanged once for the openid (``xueshi_core.wechat_oauth``).
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from django.utils.translation import gettext as _

from xueshi_core import wechat_oauth
from xueshi_core.jsonbody import BadInput
from xueshi_core.masking import mask_middle

from . import conf
from .models import WechatBinding

STATE_KEY = "xueshi_notify_wechat_state"


def _config() -> wechat_oauth.OAuthConfig:
    """The official account's OAuth settings; 404 where the site has none (a missing feature, no fault)."""
    options = conf.wechat()
    if not options.get("APPID") or not options.get("SECRET"):
        raise BadInput("wechat_not_configured", _("WeChat notifications are not set up on this site."), 404)
    return wechat_oauth.OAuthConfig(
        appid=str(options["APPID"]),
        secret=str(options["SECRET"]),
        authorize_url=str(options.get("OAUTH_AUTHORIZE_URL") or wechat_oauth.AUTHORIZE_URL),
        api_url=str(options.get("BASE_URL") or wechat_oauth.API_URL).rstrip("/"),
    )


def _binding(user: Any) -> WechatBinding | None:
    appid = str(conf.wechat().get("APPID") or "")
    row = WechatBinding.objects.filter(user=user).first()
    return row if row is not None and row.appid in ("", appid) else None


def bind(user: Any, openid: str) -> None:
    """Remember the learner's openid under the notifying official account (replacing an older one)."""
    if not openid or len(openid) > 64:
        raise BadInput("bad_openid", "openid must be 1-64 characters")
    appid = str(conf.wechat().get("APPID") or "")[:32]
    WechatBinding.objects.update_or_create(user=user, defaults={"openid": openid, "appid": appid})


def unbind(user: Any) -> bool:
    """Forget the learner's openid; ``True`` if there was one."""
    return bool(WechatBinding.objects.filter(user=user).delete()[0])


def openid_of(user: Any) -> str:
    """The learner's openid in clear, to address a message (``""`` when not bound here)."""
    row = _binding(user)
    return row.openid.reveal() if row is not None else ""  # type: ignore[union-attr]


def masked(user: Any) -> str:
    """The openid as pages and the send log show it (``oAbC****wxyz``), ``""`` when not bound."""
    openid = openid_of(user)
    return mask_middle(openid, 4, 4) if openid else ""


def start(session: Any, redirect_uri: str) -> str:
    """Where to send the browser to bind; the one-time state is kept in ``session``."""
    config = _config()
    state = secrets.token_urlsafe(16)
    session[STATE_KEY] = state
    return wechat_oauth.authorize_url(config, redirect_uri, state)


def finish(user: Any, session: Any, code: str, state: str) -> None:
    """WeChat's return: check the state, exchange the code, bind. ``BadInput`` (4xx/502) otherwise."""
    expected = str(session.pop(STATE_KEY, "") or "")
    if not expected or not hmac.compare_digest(expected.encode(), str(state)[:100].encode()):
        raise BadInput("bad_state", _("This authorisation link is not for this page. Bind again."), 400)
    try:
        openid = wechat_oauth.openid_for_code(_config(), code)
    except wechat_oauth.OAuthError as exc:
        reason = _("WeChat did not confirm who you are (%(code)s). Try again.") % {"code": exc.code}
        raise BadInput("wechat_refused", reason, 502 if exc.retryable else 400) from exc
    bind(user, openid)


def retire_account(sender: Any, retiree: Any, **kwargs: Any) -> None:
    """``xueshi_core.retirement.ACCOUNT_RETIRING``: the openid goes with the account (idempotent)."""
    WechatBinding.objects.filter(user_id=retiree.user_id).delete()
