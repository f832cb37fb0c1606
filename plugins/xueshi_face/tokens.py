"""Signed context of a check URL: which learner, which hold, which course and block.

A hold's URL carries it so the check page knows the context without trusting the browser; it is
signed with Django's signing (SECRET_KEY, salted), expires, and is bound to the learner: a token
that was altered, has expired or belongs to someone else is refused with 400.
"""

from __future__ import annotations

from django.core import signing

from . import conf
from .data import CONTEXTS, MANUAL, CheckContext

SALT = "xueshi_face.check-context"


class BadToken(ValueError):
    """The context token was altered, expired or is another learner's."""


def make(user_id: int, context: CheckContext) -> str:
    """A URL-safe token for ``context``."""
    payload = {"u": user_id, "k": context.kind, "c": context.course_key, "b": context.usage_key}
    return signing.dumps(payload, salt=SALT, compress=True)


def read(token: str, user_id: int) -> CheckContext:
    """The context in ``token`` or :class:`BadToken`; an empty token is a manual check."""
    if not token:
        return CheckContext(MANUAL)
    try:
        payload = signing.loads(token, salt=SALT, max_age=conf.token_max_age_seconds())
    except signing.SignatureExpired as exc:
        raise BadToken("The check link has expired; reopen the video to get a new one.") from exc
    except signing.BadSignature as exc:
        raise BadToken("The check link is not valid.") from exc
    if not isinstance(payload, dict) or payload.get("u") != user_id or payload.get("k") not in CONTEXTS:
        raise BadToken("The check link belongs to another account.")
    return CheckContext(str(payload["k"]), str(payload.get("c") or ""), str(payload.get("b") or ""))


def check_url(user_id: int, context: CheckContext) -> str:
    """The check page's URL for a hold (relative, so it works on any LMS host name)."""
    return f"{conf.check_url_base()}?t={make(user_id, context)}"
