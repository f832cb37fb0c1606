"""What other parts (the course page, later invoices) may ask payments: through here only."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from . import products
from .pipeline import paid_line


def course_offer(user: Any, course_key: Any) -> dict[str, Any] | None:
    """The price and buy link of a paid run for the course page; None for a free run.

    ``paid`` says the learner already has a paid line (the page then offers to enrol or study).
    """
    price = products.course_price(course_key)
    if price is None:
        return None
    signed_in = bool(getattr(user, "is_authenticated", False))
    return {
        "price_fen": price.price_fen,
        "price": products.yuan(price.price_fen),
        "mode": price.slug,
        "checkout_url": reverse("xueshi_payments:checkout", kwargs={"course_key": str(course_key)}),
        "paid": bool(signed_in and paid_line(user, course_key)),
    }
