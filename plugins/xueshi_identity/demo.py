"""Demo real-name profiles for the demo learners, plus an auditor and a supervisor to try the roles.

ID numbers are generated with valid check digits and sequence numbers 99x (see ``testing``);
phones use the 13800000xxx range. Idempotent: an existing profile is left as it is.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from xueshi_core.api import ensure_user_profile
from xueshi_core.demo import DEMO_PASSWORD, DEMO_ROLE_USERS
from xueshi_core.models import AccountScope

from .divisions import ensure_reference_data
from .models import IdentityProfile, PersonnelCategory
from .testing import make_resident_id

#: username → (real name, (province, city, county), birth date, sequence, employer, category, phone)
DEMO_PROFILES = {
    "zhangsan": (
        "张三",
        ("350000", "350100", "350102"),
        "19880512",
        991,
        "福州市第一建筑公司",
        "professional_technical",
        "13800000001",
    ),
    "lisi": (
        "李四",
        ("110000", "", "110101"),
        "19920830",
        992,
        "北京东城会计师事务所",
        "accounting",
        "13800000002",
    ),
    "wangwu": (
        "王五",
        ("420000", "", "429004"),
        "19790101",
        993,
        "仙桃市职业培训中心",
        "vocational",
        "13800000003",
    ),
}
#: Region each demo supervisor is bound to (福州市: sees zhangsan, not lisi in Beijing nor wangwu).
DEMO_SCOPES = {"jianguan": "350100"}


def _ensure_role_users() -> list[str]:
    user_model = get_user_model()
    lines = []
    for username, name, group in DEMO_ROLE_USERS:
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"email": f"{username}@demo.xueshi.invalid", "first_name": name}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        ensure_user_profile(int(user.pk), name)
        user.groups.add(Group.objects.get_or_create(name=group)[0])
        region = DEMO_SCOPES.get(username, "")
        if region:
            AccountScope.objects.get_or_create(user=user, defaults={"region_codes": region, "note": "demo"})
        bound = f", region {region}" if region else ""
        lines.append(f"  login {username:<10} password {DEMO_PASSWORD}  ({group}, {name}{bound})")
    return lines


def seed_demo_profiles() -> list[str]:
    """Give each demo learner a complete profile; create the role users; return lines to print."""
    ensure_reference_data()
    user_model = get_user_model()
    lines = []
    for username, (name, region, born, seq, employer, category, phone) in DEMO_PROFILES.items():
        user = user_model.objects.filter(username=username).first()
        if user is None or IdentityProfile.objects.filter(user=user).exists():
            continue
        profile = IdentityProfile(
            user=user,
            real_name=name,
            id_type="resident_id",
            province_code=region[0],
            city_code=region[1],
            county_code=region[2],
            employer=employer,
            category=PersonnelCategory.objects.get(code=category),
            source="demo",
        )
        profile.id_number = make_resident_id(region[2], born, seq)
        profile.phone = phone
        profile.save()
        lines.append(f"  real-name profile for {username}: {profile.id_number_masked}")
    return lines + _ensure_role_users()
