"""What a course run or a bundle costs, read when an order is frozen (never afterwards).

A course run's price is its paid course mode's (``compat.paid_mode``), so operators set it where
Open edX sets prices. A run with no paid mode is free: it enrols at once. Bundles are ``Product``
rows of ours with their own price; each line of a bundle keeps the run's paid mode (or ``audit``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from . import compat, conf
from .models import Product

FREE_MODE = "audit"


@dataclass(frozen=True)
class Offer:
    """What a learner is asked to pay for a product: title, total fen and per-run (mode, fen)."""

    product: Product
    title: str
    amount_fen: int
    runs: tuple[tuple[str, str, int], ...]  # (course_key, mode, price_fen)


def course_price(course_key: Any) -> compat.PaidMode | None:
    """The run's paid mode and price, or None when the run is free."""
    return compat.paid_mode(course_key, conf.paid_currency())


def course_product(course_key: str, title: str) -> Product:
    """The product row of one course run (made on first sale; the title follows the course)."""
    code = f"course:{course_key}"
    if len(code) > 64:  # long keys: a digest, never a truncation two runs could share
        code = "course:" + hashlib.sha256(course_key.encode()).hexdigest()[:57]
    product, created = Product.objects.get_or_create(
        code=code,
        defaults={"kind": Product.COURSE, "title": title[:200], "course_keys": [course_key]},
    )
    if not created and product.title != title[:200]:
        product.title = title[:200]
        product.save(update_fields=["title"])
    return product


def offer_for(product: Product) -> Offer | None:
    """The frozen terms of ``product`` now, or None if it is not on sale or costs nothing."""
    if not product.active or not product.course_keys:
        return None
    runs = []
    for course_key in product.course_keys:
        paid = course_price(course_key)
        runs.append((course_key, paid.slug if paid else FREE_MODE, paid.price_fen if paid else 0))
    if product.kind == Product.BUNDLE:
        amount = product.price_fen
    else:
        amount = sum(price for _key, _mode, price in runs)
    if amount <= 0:
        return None
    return Offer(product=product, title=product.title, amount_fen=amount, runs=tuple(runs))


def yuan(fen: int) -> str:
    """Fen as yuan with two decimals (``3000`` -> ``30.00``), exactly, without floats."""
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"
