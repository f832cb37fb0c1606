"""Fixtures of the payments component tests: a paid course run priced by its course mode, learners,
orders frozen through the real order logic, and a helper that runs calls from racing threads."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from opaque_keys.edx.keys import CourseKey

from sandbox.lms.models import CourseMode, CourseRun
from xueshi_payments import products
from xueshi_payments.orders import create_order

PAID_COURSE = "course-v1:XueshiPay+PAY101+2026"
FREE_COURSE = "course-v1:XueshiPay+FREE101+2026"


@pytest.fixture
def paid_course(db: Any) -> str:
    """A run whose verified mode costs ¥30 (3000 fen), plus its free audit mode."""
    key = CourseKey.from_string(PAID_COURSE)
    CourseRun.objects.get_or_create(course_key=key, defaults={"title": "付费演示课程"})
    CourseMode.objects.get_or_create(
        course_id=key,
        mode_slug="verified",
        currency="cny",
        defaults={"mode_display_name": "认证", "min_price": 30},
    )
    CourseMode.objects.get_or_create(
        course_id=key,
        mode_slug="audit",
        currency="cny",
        defaults={"mode_display_name": "旁听", "min_price": 0},
    )
    return PAID_COURSE


@pytest.fixture
def free_course(db: Any) -> str:
    """A run without course modes: price 0."""
    CourseRun.objects.get_or_create(
        course_key=CourseKey.from_string(FREE_COURSE), defaults={"title": "免费课程"}
    )
    return FREE_COURSE


def make_user(username: str, **extra: Any) -> Any:
    """An account (signed in with ``signed_in``)."""
    user, _created = get_user_model().objects.get_or_create(username=username, defaults=extra)
    return user


def signed_in(user: Any) -> Any:
    """A test client in ``user``'s session (``force_login``: no password hashing per test)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def learner(db: Any) -> Any:
    return make_user("zhao_learner")


def order_for(
    payer: Any, course_key: str, channel: str = "transfer", learners: list[Any] | None = None
) -> Any:
    """Freeze an order for ``course_key`` through the real product and order logic."""
    product = products.course_product(course_key, "付费演示课程")
    offer = products.offer_for(product)
    assert offer is not None
    from datetime import timedelta

    return create_order(payer, offer, learners or [payer], channel, "", timedelta(minutes=30))


def race(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run each call in its own thread (own DB connection), released together; results or exceptions."""
    results: list[Any] = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = calls[i]()
        except BaseException as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
