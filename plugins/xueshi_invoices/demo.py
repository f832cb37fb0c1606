"""Demo data of invoices: a default seller, so a demo learner can ask for an invoice after buying."""

from __future__ import annotations

from .models import SellerProfile


def seed_demo_seller() -> list[str]:
    """Create the demo seller once (3 %, automatic personal invoices); return the lines the demo prints."""
    SellerProfile.objects.get_or_create(
        tax_number="91110000600037341L",
        defaults={
            "name": "学时演示培训中心（沙箱）",
            "rate_bp": 300,
            "drawer": "演示开票员",
            "is_default": True,
        },
    )
    return [
        "invoices: after paying, a learner asks at /xueshi/invoices/mine/ and downloads it a few seconds",
        "  later (`make sandbox` runs the Nuonuo sandbox); operators: /xueshi/invoices/manage/",
    ]
