"""Back-end notices: a signed form POST to ``backUrl``, resent until the merchant answers 200 or 302.

UnionPay counts a notice delivered on HTTP 200 or 302, whatever the body, and otherwise sends it
again. Its published intervals are not in our reference; the sandbox resends after 1, 2, 4, 8 and
16 minutes (6 deliveries, ADR 0162 marks this unverified). ``time_scale`` shrinks the schedule.
"""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from . import state

RETRY_DELAYS = (0, 60, 2 * 60, 4 * 60, 8 * 60, 16 * 60)
DELIVERED = (200, 302)
REPLY_TIMEOUT = 5.0


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A 302 is itself the acknowledgement; it is not followed."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


@dataclass
class Notice:
    """One notice and every delivery attempt of it: (Beijing time, outcome)."""

    url: str
    params: dict[str, str]
    copy: int = 1
    attempts: list[tuple[str, str]] = field(default_factory=list)
    delivered: bool = False
    gave_up: bool = False


class Notifier:
    """Delivers notices from background threads; ``stop()`` ends all of them."""

    def __init__(
        self, controls: Callable[[], state.Controls], lock: threading.RLock, time_scale: float
    ) -> None:
        self._controls = controls
        self._lock = lock
        self.time_scale = time_scale
        self.notices: list[Notice] = []
        self._stopped = threading.Event()

    def send(self, url: str, params: dict[str, str]) -> None:
        """Queue a signed notice; the ``duplicate`` control sends a second copy."""
        with self._lock:
            copies = 2 if self._controls().take("duplicate") else 1
            delay = self._controls().notify_delay
            batch = [Notice(url, dict(params), copy=n + 1) for n in range(copies)]
            self.notices.extend(batch)
        for notice in batch:
            threading.Thread(target=self._deliver, args=(notice, delay), daemon=True).start()

    def _deliver(self, notice: Notice, first_delay: float) -> None:
        for number, delay in enumerate(RETRY_DELAYS):
            if self._stopped.wait(delay * self.time_scale + (first_delay if number == 0 else 0.0)):
                return
            with self._lock:
                lost = self._controls().take("lose")
            outcome = "lost" if lost else self._post(notice)
            with self._lock:
                notice.attempts.append((state.stamp(state.now()), outcome))
                if outcome.startswith("delivered"):
                    notice.delivered = True
                    return
        with self._lock:
            notice.gave_up = True

    @staticmethod
    def _post(notice: Notice) -> str:
        if not notice.url.startswith(("http://", "https://")):
            return "error bad backUrl"
        request = urllib.request.Request(  # noqa: S310 (scheme checked above)
            notice.url,
            data=urlencode(notice.params).encode("utf-8"),
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"},
        )
        try:
            with _OPENER.open(request, timeout=REPLY_TIMEOUT) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError as error:
            return f"error {error.__class__.__name__}"
        return f"delivered {status}" if status in DELIVERED else f"HTTP {status}"

    def stop(self) -> None:
        """No more deliveries (the server is shutting down)."""
        self._stopped.set()
