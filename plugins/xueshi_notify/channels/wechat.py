"""WeChat official-account subscription messages (订阅通知, ``/cgi-bin/message/subscribe/bizsend``).

WeChat has no official Python SDK; its HTTP API is small: an ``access_token`` from
``/cgi-bin/token`` (client_credential, 7200 s, one per account: every worker shares it through
Redis, because fetching a new one invalidates the old one after 5 minutes), then a JSON POST per
message. ``errcode`` 40001/42001/40014 means the token went stale: fetch a fresh one and try once
more. ``-1`` (busy) and 45009 (rate limit) are retried later; 43101 (the learner did not accept
this template) and other codes are final.
"""

from __future__ import annotations

from typing import Any

import requests

from xueshi_core import redisclients

from .base import Message, Permanent, Transient

PRODUCTION = "https://api.weixin.qq.com"
STALE_TOKEN = {40001, 40014, 42001}
TRANSIENT = {-1, 45009, 45011}
TOKEN_KEY = "xueshi:notify:wechat-token:{appid}"  # noqa: S105 (a Redis key name)


def _call(method: str, url: str, timeout: float, **kwargs: Any) -> dict[str, Any]:
    try:
        reply = requests.request(method, url, timeout=timeout, **kwargs)
        reply.raise_for_status()
        data = reply.json()
    except (requests.RequestException, ValueError) as exc:
        raise Transient("network", str(exc)[:200]) from exc
    if not isinstance(data, dict):
        raise Transient("bad_reply", "not a JSON object")
    return data


def access_token(options: dict[str, Any], redis_url: str, timeout: float, *, fresh: bool = False) -> str:
    """The account's token from Redis, or a new one from WeChat (stored for its lifetime less 5 min)."""
    redis = redisclients.client(redis_url, setting="XUESHI_NOTIFY_REDIS_URL")
    key = TOKEN_KEY.format(appid=options["APPID"])
    if not fresh:
        cached = redis.get(key)
        if cached:
            return str(cached)
    base = (options.get("BASE_URL") or PRODUCTION).rstrip("/")
    query = {
        "grant_type": "client_credential",
        "appid": options["APPID"],
        "secret": options.get("SECRET", ""),
    }
    data = _call("GET", base + "/cgi-bin/token", timeout, params=query)
    token = data.get("access_token")
    if not token:
        code = int(data.get("errcode") or 0)
        error = Transient if code in TRANSIENT else Permanent
        raise error(f"token_{code}", str(data.get("errmsg", ""))[:200])
    redis.set(key, token, ex=max(60, int(data.get("expires_in", 7200)) - 300))
    return str(token)


def _payload(openid: str, message: Message, template: dict[str, Any]) -> dict[str, Any]:
    fields = template.get("fields") or {}
    data = {name: {"value": message.values.get(source, "")[:20]} for name, source in fields.items()}
    payload: dict[str, Any] = {"touser": openid, "template_id": template["id"], "data": data}
    if template.get("page"):
        payload["page"] = template["page"]
    return payload


def send(openid: str, message: Message, options: dict[str, Any], redis_url: str, timeout: float) -> str:
    """Send one subscription message; return WeChat's msgid (or our reference if it gives none)."""
    template = (options.get("TEMPLATES") or {}).get(message.kind)
    if not options.get("APPID") or not template or not template.get("id"):
        raise Permanent("not_configured", f"no WeChat template for {message.kind}")
    base = (options.get("BASE_URL") or PRODUCTION).rstrip("/")
    payload = _payload(openid, message, template)
    for fresh in (False, True):
        token = access_token(options, redis_url, timeout, fresh=fresh)
        url = base + "/cgi-bin/message/subscribe/bizsend"
        data = _call("POST", url, timeout, params={"access_token": token}, json=payload)
        code = int(data.get("errcode") or 0)
        if code == 0:
            return str(data.get("msgid") or message.reference)
        if code not in STALE_TOKEN:
            break
    error = Transient if code in TRANSIENT or code in STALE_TOKEN else Permanent
    raise error(str(code), str(data.get("errmsg", ""))[:200])
