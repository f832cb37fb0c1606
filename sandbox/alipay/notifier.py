"""Asynchronous notices: a signed form POST to ``notify_url``, retried on Alipay's schedule until ``success``.

Alipay sends a notice at once and, while the merchant does not answer exactly ``success``, again
after 4 m, 10 m, 10 m, 1 h, 2 h, 6 h and 15 h (8 deliveries in about 25 h), all with the same
``notify_id``. ``time_scale`` shrinks the schedule for tests (0.001 turns 4 minutes into 0.24 s).
"""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from . import state

RETRY_DELAYS = (0, 4 * 60, 10 * 60, 10 * 60, 60 * 60, 2 * 60 * 60, 6 * 60 * 60, 15 * 60 * 60)
REPLY_TIMEOUT = 5.0


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Alipay does not follow redirects: a 302 to a page that says "success" is not an answer."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


@dataclass
class Notice:
    """One notice and every delivery attempt of it: (Beijing time, outcome)."""

    notify_id: str
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

    def send(self, url: str, params: dict[str, str]) -> str:
        """Queue a signed notice; returns its ``notify_id``. The ``duplicate`` control sends a second copy."""
        notify_id = params.get("notify_id") or uuid.uuid4().hex
        with self._lock:
            copies = 2 if self._controls().take("duplicate") else 1
            delay = self._controls().notify_delay
            batch = [Notice(notify_id, url, dict(params), copy=n + 1) for n in range(copies)]
            self.notices.extend(batch)
        for notice in batch:
            threading.Thread(target=self._deliver, args=(notice, delay), daemon=True).start()
        return notify_id

    def _deliver(self, notice: Notice, first_delay: float) -> None:
        for number, delay in enumerate(RETRY_DELAYS):
            wait = delay * self.time_scale + (first_delay if number == 0 else 0.0)
            if self._stopped.wait(wait):
                return
            with self._lock:
                lost = self._controls().take("lose")
            outcome = "lost" if lost else self._post(notice)
            with self._lock:
                notice.attempts.append((state.stamp(state.now()), outcome))
                if outcome == "success":
                    notice.delivered = True
                    return
        with self._lock:
            notice.gave_up = True

    @staticmethod
    def _post(notice: Notice) -> str:
        if not notice.url.startswith(("http://", "https://")):
            return "error bad notify_url"
        body = urlencode(notice.params).encode("utf-8")
        request = urllib.request.Request(  # noqa: S310 (scheme checked above)
            notice.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
        )
        try:
            with _OPENER.open(request, timeout=REPLY_TIMEOUT) as response:
                text = response.read(200).decode("utf-8", "replace")
                return "success" if text.strip() == "success" else f"{response.status} {text[:40]!r}"
        except urllib.error.HTTPError as error:
            return f"HTTP {error.code}"
        except OSError as error:
            return f"error {error.__class__.__name__}"

    def stop(self) -> None:
        """No more deliveries (the server is shutting down)."""
        self._stopped.set()
