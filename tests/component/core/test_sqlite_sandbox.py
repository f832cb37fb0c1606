"""The default sandbox (SQLite, no Redis, no broker) serves several learners at once.

``make sandbox`` without ``XUESHI_DB_URL`` is what a newcomer runs first. This test starts that
very configuration (``runserver`` on a fresh SQLite file, seeded with ``seed_sandbox``) in a
subprocess and drives the three demo learners concurrently through what a player does: open a
playback session, heartbeat, load a checkpoint question, sync progress. Every reply must be a
deliberate answer (2xx, or a 4xx the player understands), never a 5xx such as "database is locked".
"""

from __future__ import annotations

import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from sandbox import payment_sandboxes
from xueshi_core.demo import DEMO_PASSWORD
from xueshi_payments.demo import PAID_DEMO_COURSE_KEY

REPO = Path(__file__).resolve().parents[3]
LEARNERS = ("zhangsan", "lisi", "wangwu")
HEARTBEATS = "/api/xueshi/studytime/v1/heartbeats"
ROUNDS = 12


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _sqlite_env(db: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XUESHI_")}
    env.update(XUESHI_SQLITE_PATH=str(db), XUESHI_SETTINGS_TYPE="devstack", XUESHI_DEBUG="0")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


@pytest.fixture(scope="module")
def payment_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[payment_sandboxes.Running]:
    """The three payment sandboxes beside the site, as `make sandbox` (sandbox/serve.py) does."""
    running = payment_sandboxes.start(
        tmp_path_factory.mktemp("payment-sandboxes"), (_free_port(), _free_port(), _free_port())
    )
    try:
        assert running.wait(), "the payment sandboxes did not start"
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def sqlite_sandbox(
    tmp_path_factory: pytest.TempPathFactory, payment_servers: payment_sandboxes.Running
) -> Iterator[tuple[str, Path]]:
    """A seeded sandbox on a fresh SQLite file, served by ``runserver`` as ``make sandbox`` does."""
    db = tmp_path_factory.mktemp("sqlite-sandbox") / "sandbox.sqlite3"
    env = _sqlite_env(db)
    manage = [sys.executable, str(REPO / "manage.py")]
    for command in (["migrate", "--no-input", "-v0"], ["seed_sandbox"]):
        subprocess.run(manage + command, cwd=REPO, env=env, check=True, capture_output=True, timeout=600)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env.update(payment_servers.env(base))
    log = (db.parent / "server.log").open("w")
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"], cwd=REPO, env=env, stdout=log, stderr=log
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(base + "/login/", timeout=2)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError((db.parent / "server.log").read_text()) from None
                time.sleep(0.3)
        yield base, db
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def _video_units(db: Path) -> list[tuple[str, str]]:
    """(course key, usage key) of the demo course's video units, read from the sandbox's own file."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT c.course_key, b.usage_key FROM sandbox_lms_contentblock b "
            "JOIN sandbox_lms_courserun c ON c.id = b.course_id "
            "WHERE b.usage_key LIKE '%xueshi_video%' "
            # Paid runs (the payments demo) enrol only after paying: the learners study free ones.
            "AND c.course_key NOT IN (SELECT course_id FROM course_modes_coursemode WHERE min_price > 0) "
            "ORDER BY b.position"
        ).fetchall()
    return [(str(course), str(usage)) for course, usage in rows]


def _signed_in(base: str, username: str) -> requests.Session:
    """A session signed in through the login form."""
    session = requests.Session()
    page = session.get(base + "/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, page.text[:500]
    reply = session.post(
        base + "/login/",
        data={"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": base + "/login/"},
        timeout=30,
    )
    assert reply.status_code in (200, 302) and "sessionid" in session.cookies, reply.text[:500]
    return session


def _sign_in(base: str, username: str, course: str) -> requests.Session:
    """Sign in through the login form, then enrol through the course page's form (as a learner would)."""
    session = _signed_in(base, username)
    enrolled = session.post(
        base + "/change_enrollment",
        data={
            "course_id": course,
            "enrollment_action": "enroll",
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": base + "/"},
        timeout=30,
        allow_redirects=False,
    )
    assert enrolled.status_code == 302, enrolled.text[:500]
    return session


class Player:
    """One learner's player: what the video block's front end sends, recorded per reply."""

    def __init__(self, base: str, session: requests.Session, course: str, usage: str) -> None:
        self.base, self.session = base, session
        self.handlers = f"{base}/courses/{course}/xblock/{usage}/handler/"
        self.statuses: list[tuple[str, int, str]] = []

    def _post(self, name: str, url: str, body: dict[str, Any]) -> dict[str, Any]:
        headers = {"X-CSRFToken": self.session.cookies.get("csrftoken", ""), "Referer": self.base + "/"}
        reply = self.session.post(url, json=body, headers=headers, timeout=60)
        self.statuses.append((name, reply.status_code, reply.text[:300]))
        try:
            return dict(reply.json())
        except ValueError:
            return {}

    def study(self) -> None:
        grant = self._post("open_session", self.handlers + "open_session", {"client": "web"})
        token = str(grant.get("token", ""))
        for seq in range(1, ROUNDS + 1):
            beat = {"token": token, "seq": seq, "position": 0.0, "playing": seq > 1, "visible": True}
            self._post("heartbeat", self.base + HEARTBEATS, {**beat, "rate": 1.0, "event": "tick"})
            self._post("checkpoint_question", self.handlers + "checkpoint_question", {"checkpoint": "x"})
            self._post("sync_progress", self.handlers + "sync_progress", {})


def test_three_learners_at_once_get_no_server_error(sqlite_sandbox: tuple[str, Path]) -> None:
    base, db = sqlite_sandbox
    units = _video_units(db)
    assert units, "the demo course has video units"
    players = [
        Player(base, _sign_in(base, name, units[i % len(units)][0]), *units[i % len(units)])
        for i, name in enumerate(LEARNERS)
    ]
    threads = [threading.Thread(target=player.study) for player in players]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=500)
    replies = [status for player in players for status in player.statuses]
    assert len(replies) == len(LEARNERS) * (1 + 3 * ROUNDS)
    errors = [reply for reply in replies if reply[1] >= 500]
    assert not errors, errors[:5]
    opened = [reply for reply in replies if reply[0] == "open_session"]
    assert all(status == 200 for _name, status, _text in opened), opened
    assert sum(1 for name, status, _t in replies if name == "heartbeat" and status == 200) >= len(LEARNERS)


def test_a_learner_buys_the_paid_course_with_wechat_pay_through_its_sandbox(
    sqlite_sandbox: tuple[str, Path], payment_servers: payment_sandboxes.Running
) -> None:
    """`make sandbox` pays through the WeChat Pay sandbox: QR, payer page, notice to the site, enrolled."""
    base, _db = sqlite_sandbox
    session = _signed_in(base, "wangwu")
    checkout = f"{base}/xueshi/payments/checkout/{PAID_DEMO_COURSE_KEY}/"
    page = session.get(checkout, timeout=30)
    assert "微信支付" in page.text and "支付宝" in page.text and "对公转账" in page.text
    order = session.post(
        checkout,
        data={"channel": "wechat", "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": checkout, "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0"},
        timeout=30,
    )
    code_url = re.search(r'data-pay-url="([^"]+)"', order.text)
    assert order.status_code == 200 and code_url, order.text[:500]
    pr = code_url.group(1).rsplit("pr=", 1)[-1]
    wechat = f"http://127.0.0.1:{payment_servers.wechatpay_port}"
    paid = requests.post(f"{wechat}/pay/{pr}", data={}, timeout=30)
    assert paid.status_code == 200 and "支付成功" in paid.text
    state_url = order.url.rstrip("/") + "/state.json"
    deadline = time.monotonic() + 30
    while session.get(state_url, timeout=30).json()["state"] != "fulfilled":
        assert time.monotonic() < deadline, "the order was not paid and enrolled"
        time.sleep(0.3)
    # ... then asks for an invoice: the Nuonuo sandbox `make sandbox` started issues it (ADR 0177).
    mine = f"{base}/xueshi/invoices/mine/"
    order_no = re.search(r'name="order_no" value="([^"]+)"', session.get(mine, timeout=30).text)
    assert order_no, "the paid order is not offered for an invoice"
    asked = session.post(
        f"{mine}request/",
        data={
            "order_no": order_no.group(1),
            "title_kind": "person",
            "buyer_name": "王五",
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": mine},
        timeout=30,
    )
    assert asked.status_code == 200, asked.text[:500]
    deadline = time.monotonic() + 30
    while not (
        link := re.search(r'href="(/xueshi/invoices/files/\d{20}\.pdf)"', session.get(mine, timeout=30).text)
    ):
        assert time.monotonic() < deadline, "the invoice was not issued through the Nuonuo sandbox"
        time.sleep(0.5)
    pdf = session.get(base + link.group(1), timeout=30)
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
