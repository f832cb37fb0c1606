"""Fixtures of the invoice component tests: the Nuonuo sandbox on loopback, a seller, paid orders."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import transaction

from sandbox.baiwang.server import BaiwangSandbox
from sandbox.nuonuo.server import NuonuoSandbox
from tests.component.payments.conftest import make_user, order_for, paid_course, signed_in  # noqa: F401
from xueshi_invoices.models import SellerProfile
from xueshi_payments import orders, refunds, states

SELLER_TAX = "91110108600037341L"[:0] + "91110000600037341L"


@pytest.fixture
def nuonuo(settings: Any) -> Iterator[NuonuoSandbox]:
    """The sandbox with a fresh app; the site's settings point at it (no callback URL: we poll)."""
    key, secret = secrets.token_hex(8), secrets.token_hex(16)
    with NuonuoSandbox(key, secret, SELLER_TAX, delay=0.05) as server:
        settings.XUESHI_INVOICES_NUONUO_URL = server.base_url
        settings.XUESHI_INVOICES_NUONUO_TOKEN_URL = ""
        settings.XUESHI_INVOICES_NUONUO_APP_KEY = key
        settings.XUESHI_INVOICES_NUONUO_APP_SECRET = secret
        settings.XUESHI_INVOICES_RETRY_DELAYS = [0, 0, 0]
        settings.XUESHI_INVOICES_TIMEOUT = 3
        settings.XUESHI_INVOICES_CALLBACK_BASE_URL = ""
        yield server


@pytest.fixture
def baiwang(settings: Any) -> Iterator[BaiwangSandbox]:
    """The Baiwang sandbox with a fresh app and user; the site issues through it (we poll)."""
    key, secret, password = secrets.token_hex(8), secrets.token_hex(16), secrets.token_hex(6)
    with BaiwangSandbox(key, secret, "xueshi", password, SELLER_TAX, delay=0.05) as server:
        settings.XUESHI_INVOICES_PROVIDER = "baiwang"
        settings.XUESHI_INVOICES_BAIWANG_URL = server.url
        settings.XUESHI_INVOICES_BAIWANG_APP_KEY = key
        settings.XUESHI_INVOICES_BAIWANG_APP_SECRET = secret
        settings.XUESHI_INVOICES_BAIWANG_USERNAME = "xueshi"
        settings.XUESHI_INVOICES_BAIWANG_PASSWORD = password
        settings.XUESHI_INVOICES_RETRY_DELAYS = [0, 0, 0]
        settings.XUESHI_INVOICES_TIMEOUT = 3
        settings.XUESHI_INVOICES_CALLBACK_BASE_URL = ""
        yield server


@pytest.fixture
def seller(db: Any) -> SellerProfile:
    return SellerProfile.objects.create(
        name="学时继续教育培训有限公司", tax_number=SELLER_TAX, rate_bp=300, drawer="王会计", is_default=True
    )


def paid_order(payer: Any, course_key: str, learners: list[Any] | None = None) -> Any:
    """An order frozen and paid through the real order logic (its ORDER_PAID runs on commit)."""
    order = order_for(payer, course_key, learners=learners)
    with transaction.atomic():
        locked = orders.locked(order.order_no)
        orders.transition(locked, states.PAID, "test: transfer confirmed")
    return order


def refund(order_no: str, amount_fen: int) -> str:
    """A refund asked and reported succeeded through the real refund logic."""
    made = refunds.request_refund(order_no, amount_fen, "课程退课", None)
    refunds.apply_result(made.refund_no, "succeeded", "{}")
    return made.refund_no


def settle(step: Callable[[], str], done: set[str], seconds: float = 10.0) -> str:
    """Call ``step`` until it answers one of ``done`` (the sandbox issues after a short delay)."""
    deadline = time.monotonic() + seconds
    while True:
        state = step()
        if state in done or time.monotonic() > deadline:
            return state
        time.sleep(0.05)
