"""Payment and refund notices sent to the merchant's ``notify_url`` the way WeChat Pay sends them.

Each notice is a JSON envelope (``id``, ``create_time``, ``event_type``, ``resource_type``,
``summary``, an AES-256-GCM ``resource``) signed with the WeChat Pay public key or the platform
certificate (``signer``), POSTed until the merchant answers 200/204, on WeChat Pay's retry
schedule (15s/15s/30s/3m/10m/20m/30m/30m/30m/60m/3h/3h/3h/6h/6h after the first try), scaled by
``time_scale`` so tests wait milliseconds. ``Controls`` lets a test fail, delay, duplicate, reorder
or lose notices, and sign them with a probe signature (``WECHATPAY/SIGNTEST/…``).
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from .protocol import encrypt_resource, signed_headers
from .trades import SHANGHAI, rfc3339

RETRY_SCHEDULE = (0, 15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600)
REPLY_TIMEOUT = 5.0  # the merchant must answer within five seconds
PROBE_PREFIX = "WECHATPAY/SIGNTEST/"


@dataclass
class Controls:
    """What a test asks of the notice sender (all off by default)."""

    fail_deliveries: int = 0  # the next N delivery attempts are not even sent (network failure)
    delay_seconds: float = 0.0  # hold each new notice this long before its first try
    duplicate: int = 0  # send each new notice this many extra times, independently
    reorder: bool = False  # hold new notices until release_held(), then send newest first
    lose: int = 0  # the next N notices are never sent
    signer: str = "public_key"  # or "certificate": which WeChat Pay key signs notices
    probe: int = 0  # the next N notices carry a WECHATPAY/SIGNTEST/ probe signature
    refund_outcome: str = "SUCCESS"  # or CLOSED / ABNORMAL
    refund_seconds: float = 1.0  # how long a refund stays PROCESSING (scaled)
    corrupt_bill_hash: bool = False  # the next bill apply returns a wrong hash_value
    fail_api: int = 0  # the next N API calls answer 500 SYSTEM_ERROR

    def reset(self) -> None:
        """Everything back to normal (in place: the API and the notifier share this object)."""
        for name, value in vars(Controls()).items():
            setattr(self, name, value)


@dataclass
class Notice:
    """One notice and every delivery attempt of it (HTTP status, or the error)."""

    id: str
    event_type: str
    url: str
    body: bytes
    headers: dict[str, str]
    attempts: list[str] = field(default_factory=list)
    delivered: bool = False
    lost: bool = False
    probe: bool = False


class Notifier:
    """Builds, signs and delivers notices on background threads."""

    def __init__(self, keys: Any, controls: Controls, time_scale: float = 1.0) -> None:
        self.keys, self.controls, self.time_scale = keys, controls, time_scale
        self.sent: list[Notice] = []
        self.held: list[Notice] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()

    def _sign(self, body: bytes, probe: bool) -> dict[str, str]:
        """Fresh ``Wechatpay-*`` headers: every attempt is signed when it is sent."""
        name, serial = (
            ("public_key_private", self.keys.public_key_id)
            if self.controls.signer == "public_key"
            else ("platform_private_key", self.keys.platform_serial)
        )
        headers = signed_headers(self.keys.private_key(name), serial, body, int(time.time()))
        if probe:
            headers["Wechatpay-Signature"] = PROBE_PREFIX + headers["Wechatpay-Signature"]
        return headers

    def notify(
        self, url: str, event_type: str, summary: str, original_type: str, plaintext: dict[str, Any]
    ) -> Notice:
        """Build a signed notice and send it (or hold, lose or duplicate it, as the controls say)."""
        resource = encrypt_resource(
            self.keys.apiv3_key,
            json.dumps(plaintext, ensure_ascii=False).encode("utf-8"),
            original_type,
            original_type,
        )
        envelope = {
            "id": str(uuid.uuid4()),
            "create_time": rfc3339(datetime.now(SHANGHAI)),
            "resource_type": "encrypt-resource",
            "event_type": event_type,
            "summary": summary,
            "resource": resource,
        }
        body = json.dumps(envelope, ensure_ascii=False).encode("utf-8")
        notice = Notice(str(envelope["id"]), event_type, url, body, {})
        with self.lock:
            self.sent.append(notice)
            if self.controls.probe > 0:
                self.controls.probe -= 1
                notice.probe = True
            if self.controls.lose > 0:
                self.controls.lose -= 1
                notice.lost = True
                return notice
            # a duplicate is the same notice delivered again, on its own schedule
            copies = [notice] + [replace(notice, attempts=[]) for _ in range(self.controls.duplicate)]
            self.sent.extend(copies[1:])
            if self.controls.reorder:
                self.held.extend(copies)
                return notice
        for copy in copies:
            self._start(copy, self.controls.delay_seconds)
        return notice

    def release_held(self) -> None:
        """Send the held notices newest first.

        Each first try ends before the next starts, so the merchant really sees them in that
        order; retries run on their own.
        """
        with self.lock:
            held, self.held = self.held[::-1], []
            self.controls.reorder = False

        def in_order() -> None:
            for notice in held:
                self._deliver(notice, 0.0, RETRY_SCHEDULE[:1])
                if not notice.delivered:
                    self._start(notice, 0.0, RETRY_SCHEDULE[1:])

        threading.Thread(target=in_order, daemon=True).start()

    def _start(self, notice: Notice, delay: float, schedule: tuple[int, ...] = RETRY_SCHEDULE) -> None:
        threading.Thread(target=self._deliver, args=(notice, delay, schedule), daemon=True).start()

    def _deliver(self, notice: Notice, delay: float, schedule: tuple[int, ...] = RETRY_SCHEDULE) -> None:
        if delay and self.stopping.wait(delay):
            return
        for wait in schedule:
            if self.stopping.wait(wait * self.time_scale):
                return
            status = self._post(notice)
            notice.attempts.append(status)
            if status in ("200", "204"):
                notice.delivered = True
                return

    def _post(self, notice: Notice) -> str:
        with self.lock:
            if self.controls.fail_deliveries > 0:
                self.controls.fail_deliveries -= 1
                return "network error (control)"
        notice.headers = self._sign(notice.body, notice.probe)
        if not notice.url.startswith(("http://", "https://")):
            return "error: not an http(s) URL"
        request = urllib.request.Request(  # noqa: S310 — http(s) checked above
            notice.url,
            data=notice.body,
            method="POST",
            headers={"Content-Type": "application/json", "User-Agent": "Mozilla/4.0", **notice.headers},
        )
        try:
            with urllib.request.urlopen(request, timeout=REPLY_TIMEOUT) as reply:  # noqa: S310 — http(s) checked
                return str(reply.status)
        except urllib.error.HTTPError as exc:
            return str(exc.code)
        except OSError as exc:
            return f"error: {exc}"

    def wait_delivered(self, predicate: Callable[[Notice], bool], timeout: float = 10.0) -> list[Notice]:
        """Tests: the sent notices matching ``predicate`` once each has had an answer (or time ran out)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            matching = [n for n in self.sent if predicate(n)]
            if matching and all(n.attempts or n.lost for n in matching):
                return matching
            time.sleep(0.02)
        return [n for n in self.sent if predicate(n)]
