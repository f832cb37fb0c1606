"""Demo data of payments (placeholder)."""


def seed_paid_demo_course() -> list[str]:
    """Nothing yet."""
    return []
