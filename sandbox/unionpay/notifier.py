"""Back-end notices: a signed form POST to ``backUrl``, resent until the merchant answers 200 or 302.

UnionPay counts a notice delivered on HTTP 200 or 302, whatever the body, and otherwise sends it
again. Its published intervals are not in our reference; the sandbox resends after 1, 2, 4, 8 and
16 minutes (6 deliveries, ADR 0162 marks this unverified). ``time_scale`` shrinks the schedule.
The delivery machinery is shared with Alipay's sandbox (``sandbox.notices``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from sandbox.notices import FormNotifier, Notice

from . import state

__all__ = ["DELIVERED", "RETRY_DELAYS", "Notice", "Notifier"]
RETRY_DELAYS = (0, 60, 2 * 60, 4 * 60, 8 * 60, 16 * 60)
DELIVERED = (200, 302)


class Notifier(FormNotifier):
    """UnionPay's schedule; a notice is delivered on HTTP 200 or 302, whatever the body."""

    RETRY_DELAYS = RETRY_DELAYS
    URL_NAME = "backUrl"
    CHARSET = "UTF-8"

    def __init__(
        self, controls: Callable[[], state.Controls], lock: threading.RLock, time_scale: float
    ) -> None:
        super().__init__(controls, lock, time_scale, lambda: state.stamp(state.now()))

    def acknowledged(self, status: int, text: str) -> str | None:
        """200 or 302: the answer's body does not matter to UnionPay."""
        return f"delivered {status}" if status in DELIVERED else None

    def send(self, url: str, params: dict[str, str]) -> None:
        """Queue a signed notice; the ``duplicate`` control sends a second copy."""
        self.queue(url, params)
