"""An openedx-filters step on ``StudentLoginRequested`` (the LMS login form, before the password).

It turns a locked account or IP, and under the ``refuse`` policy a sign-in while another device is
active, into ``PreventLogin``, which the LMS answers with its usual JSON error
(``{"success": false, "value": <message>, "error_code": ...}``) that the authn MFE shows.
The refusal is only given when the password is right, so it never tells a stranger that an
account is online. ``DeviceMiddleware`` covers sign-in paths that run no filter.
"""

from __future__ import annotations

from typing import Any

from openedx_filters import PipelineStep
from openedx_filters.learning.filters import StudentLoginRequested

from . import audit, conf, devices, hotstate, messages, throttle
from .handlers import applies_to
from .models import AccessEvent

FILTER_TYPE = "org.openedx.learning.student.login.requested.v1"
STEP = "xueshi_access.pipeline.GuardSignIn"


def another_device_active(user_id: int) -> bool:
    """Whether the account's current device has been seen within ``ACTIVE_SECONDS``."""
    current = devices.hydrate(user_id)
    if not current:
        return False
    seen, ended = hotstate.client().hmget(hotstate.Keys(user_id).device(current), "seen", "ended")
    return not ended and conf.now() - float(seen or 0) < conf.active_seconds()


def _authenticated(user: Any, post: Any) -> bool:
    """The password is right, or there is none because a third-party provider (WeChat...) vouched."""
    if "password" not in post:
        return True  # login_user refuses first-party posts without a password before this step
    return bool(user.check_password(str(post.get("password", ""))))


class GuardSignIn(PipelineStep):
    """Stop sign-ins of locked accounts/IPs, and (``refuse``) of accounts active elsewhere."""

    def run_filter(self, user: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:  # type: ignore[override]
        """Return the user unchanged, or raise ``PreventLogin`` with the reason."""
        from crum import get_current_request

        request = get_current_request()
        client = audit.client_of(request)
        post = getattr(request, "POST", {}) or {}
        typed = str(post.get("email_or_username") or post.get("email") or post.get("username") or "")
        username = getattr(user, "username", "") or typed
        lock = throttle.current_lock(typed or username, client.ip) or throttle.current_lock(
            username, client.ip
        )
        if lock is not None:
            audit.record(
                AccessEvent.THROTTLED, client, user=user, username=username, reason=f"{lock.scope}_locked"
            )
            raise StudentLoginRequested.PreventLogin(
                messages.locked_message(lock.scope, lock.minutes), error_code=f"{lock.scope}_locked"
            )
        if (
            user is not None
            and conf.concurrent_login() == conf.REFUSE
            and applies_to(user)
            and _authenticated(user, post)
            and another_device_active(user.id)
        ):
            audit.record(
                AccessEvent.REFUSED, client, user=user, channel="session", reason="signed_in_elsewhere"
            )
            raise StudentLoginRequested.PreventLogin(
                messages.refused_message(max(1, conf.active_seconds() // 60)),
                error_code=messages.code_for("refused"),
            )
        return {"user": user}
