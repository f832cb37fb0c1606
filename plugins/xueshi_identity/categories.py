"""The personnel categories every site starts with (operators add their own in the admin).

Codes match the categories study-hour rules are written for (hours-certificates-reporting.md).
"""

from __future__ import annotations

#: (code, Chinese name, English name, order)
DEFAULT_CATEGORIES: tuple[tuple[str, str, str, int], ...] = (
    ("professional_technical", "专业技术人员", "Professional and technical staff", 10),
    ("accounting", "会计人员", "Accountants", 20),
    ("service", "服务人员", "Service workers", 30),
    ("worker_skill", "工勤技能人员", "Skilled workers", 40),
    ("vocational", "职业培训学员", "Vocational trainees", 50),
    ("other", "其他", "Other", 90),
)


def ensure_default_categories(category_model: type) -> int:
    """Create missing default categories (idempotent); return how many were created."""
    created = 0
    for code, name, name_en, order in DEFAULT_CATEGORIES:
        _, was_created = category_model.objects.get_or_create(  # type: ignore[attr-defined]
            code=code, defaults={"name": name, "name_en": name_en, "sort_order": order}
        )
        created += int(was_created)
    return created
