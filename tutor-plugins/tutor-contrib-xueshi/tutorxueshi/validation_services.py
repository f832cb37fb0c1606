"""Checks on the keys of ``config_services``: media, previews, notifications, reporting, live.

Same rules as ``validation``: each message names the key and the reason, never a secret's value.
A feature that is off asks for nothing; once it is on, every secret it needs is required.
"""

from __future__ import annotations

import re
import typing as t

from . import config_services as xservices

if t.TYPE_CHECKING:
    from .validation import _Checker

_HOST = r"[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+"
_QUEUE = r"[A-Za-z0-9][A-Za-z0-9._-]*"


def check_services(check: _Checker) -> None:
    """Add every problem of the media, previews, notify, reporting and live keys."""
    _check_media(check)
    check.boolean("PREVIEWS")
    _check_notify(check)
    _check_reporting(check)
    _check_live(check)
    if check.get("MYSQL_BUFFER_POOL_SIZE"):
        sizes = "a size in MySQL's units such as 512M or 4G"
        check.pattern("MYSQL_BUFFER_POOL_SIZE", r"[1-9][0-9]*[MG]", sizes)


def _check_media(check: _Checker) -> None:
    check.choice("MEDIA_STORAGE", xservices.MEDIA_STORAGES)
    check.pattern(
        "MEDIA_STORAGE_PREFIX", r"[a-z0-9][a-z0-9_-]*", "one folder name such as xueshi-media"
    )
    check.pattern("MEDIA_VOLUME_SIZE", r"[1-9][0-9]*(Mi|Gi|Ti)", "a Kubernetes size such as 100Gi")
    if check.get("MEDIA_STORAGE_CLASS"):
        check.pattern("MEDIA_STORAGE_CLASS", r"[a-z0-9][a-z0-9.-]*", "a storage class name")
    check.pattern("MEDIA_QUEUE", _QUEUE, "a Celery queue name such as xueshi.media")
    check.integer("MEDIA_WORKER_CONCURRENCY", 1, 32)
    check.integer("MEDIA_WORKER_REPLICAS", 0, 20)
    check.integer("MEDIA_PRESIGNED_SECONDS", 0, 3600)


def _check_notify(check: _Checker) -> None:
    if check.get("SMS_PROVIDER") == "tencent":
        check.pattern("SMS_TENCENT_REGION", r"[a-z]{2}-[a-z0-9-]+", "a region such as ap-guangzhou")
    templates = check.get("NOTIFY_WECHAT_TEMPLATES")
    if not isinstance(templates, dict) or not all(
        isinstance(v, dict)
        and isinstance(v.get("id"), str)
        and isinstance(v.get("fields", {}), dict)
        for v in templates.values()
    ):
        check.add("NOTIFY_WECHAT_TEMPLATES", "must map message kinds to {id: …, fields: {…}}")
    names = ("NOTIFY_WECHAT_APPID", "NOTIFY_WECHAT_SECRET")
    if any(check.get(n) for n in names) or templates:
        missing = check.required(names, "once WeChat subscription messages are configured")
        if "NOTIFY_WECHAT_APPID" not in missing:
            check.pattern(
                "NOTIFY_WECHAT_APPID", r"wx[0-9a-f]{16}", "an AppID such as wx + 16 hex digits"
            )
    check.choice("NOTIFY_DEFAULT_LANGUAGE", ("zh-cn", "en"))
    check.integer("NOTIFY_BATCH_SIZE", 1, 5000)


def _check_reporting(check: _Checker) -> None:
    check.integer("REPORTING_SWEEP_SECONDS", 5, 3600)
    check.boolean("REPORTING_HOLD_UNTIL_CONFIRMED")
    secrets = check.get("REPORTING_SECRETS")
    if not isinstance(secrets, dict):
        check.add("REPORTING_SECRETS", "must map destination codes to their keys")
    else:
        allowed = ", ".join(xservices.REPORTING_KEY_NAMES)
        for code, keys in secrets.items():
            if not isinstance(keys, dict) or not keys:
                check.add(
                    "REPORTING_SECRETS", f"destination {code!r} needs a map of keys ({allowed})"
                )
                continue
            unknown = sorted(str(k) for k in keys if k not in xservices.REPORTING_KEY_NAMES)
            if unknown:
                check.add(
                    "REPORTING_SECRETS",
                    f"destination {code!r}: unknown key(s) {unknown}; use {allowed}",
                )
            empty = sorted(str(k) for k, v in keys.items() if v in ("", None))
            if empty:
                check.add("REPORTING_SECRETS", f"destination {code!r}: {empty} is missing (empty)")
            hmac_key = keys.get("hmac_key")
            if isinstance(hmac_key, str) and 0 < len(hmac_key) < 32:
                check.add(
                    "REPORTING_SECRETS",
                    f"destination {code!r}: hmac_key must be 32 characters or more",
                )
    urls = check.get("REPORTING_URLS")
    if not isinstance(urls, dict) or not all(
        isinstance(u, str) and re.fullmatch(r"https://[^\s/]+(/\S*)?", u) for u in urls.values()
    ):
        check.add("REPORTING_URLS", "must map destination codes to https URLs")


def _check_live(check: _Checker) -> None:
    check.choice("LIVE_PROVIDER", xservices.LIVE_PROVIDERS)
    check.pattern("LIVE_APP", r"[A-Za-z0-9_-]{1,64}", "a path segment such as live")
    hosts = check.get("LIVE_RECORDING_HOSTS")
    if not isinstance(hosts, list) or not all(
        isinstance(h, str) and re.fullmatch(_HOST, h) for h in hosts
    ):
        check.add("LIVE_RECORDING_HOSTS", "must be a list of host names (no scheme, no path)")
    names = ("LIVE_PUSH_DOMAIN", "LIVE_PLAY_DOMAIN", "LIVE_AUTH_KEY")
    if not check.get("LIVE_PROVIDER"):
        return
    missing = check.required(names, f"with LIVE_PROVIDER={check.get('LIVE_PROVIDER')!r}")
    for name in ("LIVE_PUSH_DOMAIN", "LIVE_PLAY_DOMAIN"):
        if name not in missing:
            check.pattern(name, _HOST, "a domain name such as live.example.cn (no scheme, no path)")
    if "LIVE_AUTH_KEY" not in missing:
        check.pattern(
            "LIVE_AUTH_KEY", r"[\x21-\x7e]{8,}", "8 or more printable characters", secret=True
        )
    if check.get("LIVE_API_KEY_ID"):  # stream-state queries (ADR 0356) need both halves
        check.required(("LIVE_API_SECRET",), "with LIVE_API_KEY_ID set")
