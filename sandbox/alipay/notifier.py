"""Asynchronous notices: a signed form POST to ``notify_url``, retried on Alipay's schedule until ``success``.

Alipay sends a notice at once and, while the merchant does not answer exactly ``success``, again
after 4 m, 10 m, 10 m, 1 h, 2 h, 6 h and 15 h (8 deliveries in about 25 h), all with the same
``notify_id``. ``time_scale`` shrinks the schedule for tests (0.001 turns 4 minutes into 0.24 s).
The delivery machinery is shared with UnionPay's sandbox (``sandbox.notices``).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable

from sandbox.notices import FormNotifier, Notice

from . import state

__all__ = ["RETRY_DELAYS", "Notice", "Notifier"]
RETRY_DELAYS = (0, 4 * 60, 10 * 60, 10 * 60, 60 * 60, 2 * 60 * 60, 6 * 60 * 60, 15 * 60 * 60)


class Notifier(FormNotifier):
    """Alipay's schedule; a notice is delivered when the merchant's body is exactly ``success``."""

    RETRY_DELAYS = RETRY_DELAYS
    URL_NAME = "notify_url"

    def __init__(
        self, controls: Callable[[], state.Controls], lock: threading.RLock, time_scale: float
    ) -> None:
        super().__init__(controls, lock, time_scale, lambda: state.stamp(state.now()))

    def acknowledged(self, status: int, text: str) -> str | None:
        """Only a 200 whose body is ``success`` (a redirect to such a page is not an answer)."""
        return "success" if status == 200 and text.strip() == "success" else None

    def send(self, url: str, params: dict[str, str]) -> str:
        """Queue a signed notice; returns its ``notify_id``. The ``duplicate`` control sends a second copy."""
        notify_id = params.get("notify_id") or uuid.uuid4().hex
        self.queue(url, params, notify_id)
        return notify_id
