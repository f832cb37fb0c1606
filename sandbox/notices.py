"""Signed form notices, delivered from background threads and resent on a provider's schedule.

Alipay and UnionPay both POST a signed ``application/x-www-form-urlencoded`` notice to the
merchant and send it again until the merchant acknowledges it; they differ only in the schedule
and in what counts as an acknowledgement (Alipay: the body ``success``; UnionPay: HTTP 200 or
302, whatever the body). ``FormNotifier`` is that shared machinery; each sandbox's ``notifier``
module names its schedule and its ``acknowledged`` rule. Redirects are never followed: a 302 is
an answer in itself. The ``duplicate``, ``lose`` and ``notify_delay`` controls (the sandbox's
``Controls``) send a second copy, drop delivery attempts, or hold the first delivery back.
"""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import urlencode

REPLY_TIMEOUT = 5.0


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Providers do not follow a merchant's redirect: its status is the answer."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


@dataclass
class Notice:
    """One notice and every delivery attempt of it: (provider time, outcome)."""

    url: str
    params: dict[str, str]
    copy: int = 1
    notify_id: str = ""
    attempts: list[tuple[str, str]] = field(default_factory=list)
    delivered: bool = False
    gave_up: bool = False


class FormNotifier:
    """Delivers notices from daemon threads until acknowledged or out of retries; ``stop()`` ends all."""

    #: Seconds before each delivery (the first is 0), at full scale.
    RETRY_DELAYS: ClassVar[tuple[float, ...]] = (0,)
    #: How the provider names the URL it posts to, for the "bad URL" outcome.
    URL_NAME: ClassVar[str] = "notify_url"
    CHARSET: ClassVar[str] = "utf-8"

    def __init__(
        self,
        controls: Callable[[], Any],
        lock: threading.RLock,
        time_scale: float,
        stamp: Callable[[], str],
    ) -> None:
        self._controls = controls
        self._lock = lock
        self._stamp = stamp
        self.time_scale = time_scale
        self.notices: list[Notice] = []
        self._stopped = threading.Event()

    def acknowledged(self, status: int, text: str) -> str | None:
        """The outcome to record when the merchant's answer acknowledges the notice, else ``None``."""
        raise NotImplementedError

    def queue(self, url: str, params: dict[str, str], notify_id: str = "") -> None:
        """Queue a signed notice; the ``duplicate`` control sends a second copy (same content)."""
        with self._lock:
            copies = 2 if self._controls().take("duplicate") else 1
            delay = self._controls().notify_delay
            batch = [Notice(url, dict(params), copy=n + 1, notify_id=notify_id) for n in range(copies)]
            self.notices.extend(batch)
        for notice in batch:
            threading.Thread(target=self._deliver, args=(notice, delay), daemon=True).start()

    def _deliver(self, notice: Notice, first_delay: float) -> None:
        for number, delay in enumerate(self.RETRY_DELAYS):
            if self._stopped.wait(delay * self.time_scale + (first_delay if number == 0 else 0.0)):
                return
            with self._lock:
                lost = self._controls().take("lose")
            outcome, delivered = ("lost", False) if lost else self._post(notice)
            with self._lock:
                notice.attempts.append((self._stamp(), outcome))
                if delivered:
                    notice.delivered = True
                    return
        with self._lock:
            notice.gave_up = True

    def _post(self, notice: Notice) -> tuple[str, bool]:
        if not notice.url.startswith(("http://", "https://")):
            return f"error bad {self.URL_NAME}", False
        request = urllib.request.Request(  # noqa: S310 (scheme checked above)
            notice.url,
            data=urlencode(notice.params).encode("utf-8"),
            method="POST",
            headers={"Content-Type": f"application/x-www-form-urlencoded; charset={self.CHARSET}"},
        )
        try:
            with _OPENER.open(request, timeout=REPLY_TIMEOUT) as response:
                status, text = response.status, response.read(200).decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            status, text = error.code, ""
        except OSError as error:
            return f"error {error.__class__.__name__}", False
        outcome = self.acknowledged(status, text)
        return (outcome, True) if outcome else (self.refused(status, text), False)

    @staticmethod
    def refused(status: int, text: str) -> str:
        """The outcome recorded for an answer that does not acknowledge the notice."""
        return f"{status} {text[:40]!r}" if status == 200 else f"HTTP {status}"

    def stop(self) -> None:
        """No more deliveries (the server is shutting down)."""
        self._stopped.set()
