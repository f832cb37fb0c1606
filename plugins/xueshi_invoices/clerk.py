"""The tax clerk's login at the bureau (via the provider): issuing stops while the clerk is logged out.

Asked live, cached for a minute in Redis so the operator page does not spend provider calls.
"""

from __future__ import annotations

import json

from xueshi_core import redisclients

from . import conf
from .providers import client as provider_client
from .providers.common import ProviderError

CACHE_KEY = "xueshi:invoices:clerk-state"
METHOD = "nuonuo.OpeMplatform.getCertificationStatus"


def login_state() -> dict[str, str]:
    """``{"state": "logged_in" | "logged_out" | "unknown", "detail": ...}``."""
    cache = redisclients.client(conf.redis_url(), setting="XUESHI_INVOICES_REDIS_URL")
    try:
        cached = cache.get(CACHE_KEY)
        if cached:
            return dict(json.loads(cached))
    except redisclients.RedisError:
        cache = None
    try:
        answer = provider_client().call(METHOD, {})
        if answer.code != "E0000":
            raise ProviderError(answer.code, answer.describe, retryable=True)
        logged_in = str((answer.result or {}).get("loginStatus")) == "1"
        value = {"state": "logged_in" if logged_in else "logged_out", "detail": answer.describe}
    except ProviderError as error:
        value = {"state": "unknown", "detail": f"{error.code}: {error.message}"}
    try:
        if cache is not None:
            cache.set(CACHE_KEY, json.dumps(value, ensure_ascii=False), ex=60)
    except redisclients.RedisError:
        pass
    return value
