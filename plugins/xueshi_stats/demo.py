"""Demo statistics for ``make sandbox``: roll up what the demo seeded so ``jianguan`` sees 福州市."""

from __future__ import annotations

from django.urls import reverse

from . import rebuild


def seed_demo_statistics() -> list[str]:
    """Bring the roll-ups up to the demo's enrolments, profiles, study and exams (a rebuild)."""
    rows = rebuild.rebuild()
    return [
        f"statistics: {rows} daily study rows rolled up; the supervisor jianguan sees 福州市 (350100) "
        f"at {reverse('xueshi_stats:dashboard')}",
        f"statistics: queries and exports at {reverse('xueshi_stats:query')}; operators create supervisor "
        f"accounts at {reverse('xueshi_stats:supervisors')}",
    ]
