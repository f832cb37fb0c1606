"""The platform's state: stored records by idempotency key, arrivals in order, calls, controls."""

from __future__ import annotations

import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from . import protocol

KEY = re.compile(r"^[0-9a-f]{64}$")
SCHEMA = "xueshi-report/1"
MAX_SKEW = 300


@dataclass
class Controls:
    """What the next pushes suffer; counters count down per push."""

    fail: int = 0  # answer 500 without storing
    timeout: int = 0  # store, then hang past the client's timeout
    lose_ack: int = 0  # store, then drop the connection without an answer
    forge: int = 0  # store, then answer with a wrong signature
    ack_twice: int = 0  # store, answer every key twice and repeat the previous batch's ack
    delay: float = 0.0  # seconds to wait before storing (a slow platform)
    hang: float = 3.0  # how long a "timeout" hangs
    reject_ids: list[str] = field(default_factory=list)  # ID numbers the register does not know
    #: Register answers by ``<register>:<id number>`` or ID number: match | mismatch | not_found | timeout.
    register_answers: dict[str, str] = field(default_factory=dict)
    register_default: str = "match"
    register_timeout: int = 0  # hang on the next N register questions, then answer
    class_decision: str = "pending"  # what a declared class gets at once: pending | approved | rejected


@dataclass
class Call:
    """One push as the page lists it."""

    at: str
    batch: str
    count: int
    result: str


class Platform:
    """One provincial platform with one client app (its keys as the platform holds them)."""

    def __init__(self, app_id: str, algorithm: str, keys: dict[str, str]) -> None:
        self.app_id, self.algorithm, self.keys = app_id, algorithm, keys
        self.lock = threading.Lock()
        self.controls = Controls()
        self.records: dict[str, dict[str, Any]] = {}
        self.arrivals: list[str] = []  # keys in the order they were first stored
        self.receipts: dict[str, int] = {}  # how many times each key arrived (stored or duplicate)
        self.calls: list[Call] = []
        self.nonces: set[str] = set()
        self.last_results: list[dict[str, str]] = []
        self.last_batch = ""
        self.pushes = 0  # verified pushes that arrived (counted before any delay)
        self.checks: list[dict[str, str]] = []  # register questions and answers, in order
        self.classes: dict[str, dict[str, Any]] = {}  # declared classes by our number

    def log(self, batch: str, count: int, result: str) -> None:
        self.calls.append(Call(time.strftime("%H:%M:%S"), batch, count, result))

    def take(self, name: str) -> bool:
        """Use up one of a countdown control."""
        with self.lock:
            left = getattr(self.controls, name)
            if left > 0:
                setattr(self.controls, name, left - 1)
                return True
            return False

    def verified(self, headers: Any, body: bytes) -> tuple[int, str, Any]:
        """Verify app, time, nonce, signature, decrypt; (status, error, the JSON body or None)."""
        ts, nonce = headers.get("X-Xr-Timestamp", ""), headers.get("X-Xr-Nonce", "")
        if headers.get("X-Xr-App", "") != self.app_id:
            return 401, "unknown app", None
        if headers.get("X-Xr-Signature-Alg", "") != self.algorithm:
            return 401, "wrong signature algorithm", None
        if not ts.isdigit() or abs(time.time() - int(ts)) > MAX_SKEW or not (8 <= len(nonce) <= 64):
            return 401, "stale or malformed timestamp/nonce", None
        message = protocol.text(self.app_id, ts, nonce, body)
        if not protocol.verify(self.algorithm, self.keys, message, headers.get("X-Xr-Signature", "")):
            return 401, "signature refused", None
        with self.lock:
            if nonce in self.nonces:
                return 401, "nonce replayed", None
            self.nonces.add(nonce)
        try:
            plain = protocol.sm4_open(self.keys["sm4_key"], body) if self.keys.get("sm4_key") else body
            return 200, "", json.loads(plain)
        except (ValueError, KeyError):
            return 400, "body does not decrypt or is not JSON", None

    def check(self, headers: Any, body: bytes) -> tuple[int, str, dict[str, Any] | None]:
        """A verified push: (status, error, envelope)."""
        status, error, envelope = self.verified(headers, body)
        if envelope is None:
            return status, error, None
        if (
            not isinstance(envelope, dict)
            or envelope.get("schema") != SCHEMA
            or not isinstance(envelope.get("records"), list)
        ):
            return 400, "not an xueshi-report/1 envelope", None
        if not isinstance(envelope.get("batch"), str) or not envelope["batch"]:
            return 400, "no batch id", None
        return 200, "", envelope

    def store(self, envelope: dict[str, Any]) -> list[dict[str, str]]:
        """Store each record once by key; per-key results."""
        results = []
        with self.lock:
            for record in envelope["records"]:
                key = record.get("key") if isinstance(record, dict) else None
                if not isinstance(key, str) or not KEY.match(key):
                    continue
                self.receipts[key] = self.receipts.get(key, 0) + 1
                id_number = str((record.get("learner") or {}).get("id_number", ""))
                if key in self.records:
                    results.append({"key": key, "status": "duplicate"})
                elif id_number in self.controls.reject_ids:
                    results.append({"key": key, "status": "rejected", "reason": "身份证号码未在登记库中"})
                else:
                    self.records[key] = dict(record, _batch=envelope["batch"], _at=time.time())
                    self.arrivals.append(key)
                    results.append({"key": key, "status": "stored"})
        return results

    def answer(
        self, batch: str, results: list[dict[str, str]], status: int = 200, forged: bool = False
    ) -> tuple[int, dict[str, str], bytes]:
        """A signed (or deliberately mis-signed) answer."""
        return self.signed({"batch": batch, "results": results}, status, forged)

    def signed(
        self, doc: dict[str, Any], status: int = 200, forged: bool = False
    ) -> tuple[int, dict[str, str], bytes]:
        """Any answer document, sealed and signed as the platform."""
        plain = json.dumps(doc, ensure_ascii=False).encode()
        body = protocol.sm4_seal(self.keys["sm4_key"], plain) if self.keys.get("sm4_key") else plain
        ts, nonce = str(int(time.time())), secrets.token_hex(16)
        signature = protocol.sign(self.algorithm, self.keys, protocol.text(self.app_id, ts, nonce, body))
        if forged:
            signature = ("0" if signature[0] != "0" else "1") + signature[1:]
        headers = {
            "X-Xr-App": self.app_id,
            "X-Xr-Timestamp": ts,
            "X-Xr-Nonce": nonce,
            "X-Xr-Signature-Alg": self.algorithm,
            "X-Xr-Signature": signature,
        }
        return status, headers, body

    def held(self) -> dict[str, int]:
        """How many records each key is held as (always 1: the property under test)."""
        with self.lock:
            return dict.fromkeys(self.records, 1)
