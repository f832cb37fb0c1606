"""Demo data of reporting: a destination for the provincial sandbox that ``make sandbox`` starts."""

from __future__ import annotations

from .conf import DEMO_CODE
from .models import Destination

__all__ = ["DEMO_CODE", "seed_demo_destination"]


def seed_demo_destination() -> list[str]:
    """Create the demo destination once (study days, hours, completions, certificates; HMAC-SHA256)."""
    Destination.objects.get_or_create(
        code=DEMO_CODE,
        defaults={
            "name": "省继续教育管理平台（沙箱）",
            "url": "http://127.0.0.1:8770/records",
            "signature": "HMAC-SHA256",
            "app_id": "xueshi-demo",
            "category_map": {"course": {"public": "GX", "professional": "ZY"}},
            "checks": ["learner", "accountant"],
            "approval": True,
        },
    )
    return [
        "reporting: the beat sweep pushes study days, hours and certificates to the provincial sandbox",
        "  (`make sandbox` runs it; its /sandbox/ page lists them); operators: /xueshi/reporting/manage/",
        "  it also checks saved real-name profiles against the sandbox's register and approves classes",
        "  declared at /xueshi/reporting/manage/classes/ (decide them on the sandbox page's instructions)",
    ]
