"""What part of the learner population an account may see: everything, or some regions and employers.

Regions are GB/T 2260 six-digit codes. A province code (``110000``) covers every code that starts
with its first two digits, a city code (``110100``) every code that starts with its first four,
a county code (``110101``) only itself. Employers are matched by their exact name as the learner
entered it (or as it was imported).

In SQL a region is matched on the one column of its level, by equality (``city_code = '350100'``,
several codes of a level by ``IN``), never by prefix over the three columns: that is what the
``(county_code, day)``-style indexes of the tables that carry these columns serve (ADR 0300). It
selects the same learners because the identity app only stores a parent-child chain of current
codes (``divisions.check_region``): a learner whose county starts with ``3501`` has city
``350100``; a city is left blank only where the county hangs directly under its province.

When an account is bound to both regions and employers, a learner must match both (an employer's
branch in a region): binding more never shows more (ADR 0010).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

#: The model that carries a learner's region and employer (by label: core imports no other app).
PROFILE_MODEL = "xueshi_identity.IdentityProfile"
#: Its region columns, broadest first; the city may be blank (municipalities, county-level cities).
REGION_FIELDS = ("province_code", "city_code", "county_code")
EMPLOYER_FIELD = "employer"
_CODE = re.compile(r"^[1-9]\d{5}$")


def region_prefix(code: str) -> str:
    """The prefix a region code covers: ``110000`` → ``11``, ``110100`` → ``1101``, ``110101`` itself."""
    if not _CODE.match(code):
        raise ValueError(f"{code!r} is not a six-digit GB/T 2260 region code")
    if code[2:] == "0000":
        return code[:2]
    if code[4:] == "00":
        return code[:4]
    return code


def region_field(code: str) -> str:
    """The column that holds codes of this one's level: ``110000`` → ``province_code``, and so on."""
    return REGION_FIELDS[(2, 4, 6).index(len(region_prefix(code)))]


def parse_region_codes(text: str) -> tuple[str, ...]:
    """Region codes separated by commas, spaces or new lines; raises ``ValueError`` on a bad one."""
    codes = [c for c in re.split(r"[\s,，;；]+", text or "") if c]
    for code in codes:
        region_prefix(code)
    return tuple(dict.fromkeys(codes))


def parse_employers(text: str) -> tuple[str, ...]:
    """Employer names, one a line (names may contain commas)."""
    return tuple(dict.fromkeys(line.strip() for line in (text or "").splitlines() if line.strip()))


@dataclass(frozen=True)
class Scope:
    """The learners an account may see. ``everything`` wins; otherwise regions and/or employers.

    An empty scope (not ``everything``, no region, no employer) sees nobody: a supervisor who has
    not been bound to a region yet sees an empty list rather than the whole country.
    """

    everything: bool = False
    regions: tuple[str, ...] = ()
    employers: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """Nobody is visible."""
        return not self.everything and not self.regions and not self.employers

    def covers(self, region_codes: Iterable[str], employer: str = "") -> bool:
        """Whether a learner with these region codes (any level) and employer is visible."""
        if self.everything:
            return True
        if self.is_empty:
            return False
        codes = [c for c in region_codes if c]
        prefixes = [region_prefix(r) for r in self.regions]
        in_region = not self.regions or any(c.startswith(p) for c in codes for p in prefixes)
        at_employer = not self.employers or (employer or "").strip() in self.employers
        return in_region and at_employer

    def profile_filter(self, via: str = "") -> Any:
        """A ``Q`` selecting visible profiles; ``via`` is the lookup path to them (``"profile__"``)."""
        from django.db.models import Q

        if self.everything:
            return Q()
        if self.is_empty:
            return Q(pk__in=[])
        condition = Q()
        if self.regions:
            condition &= self.region_filter(via)
        if self.employers:
            condition &= Q(**{f"{via}{EMPLOYER_FIELD}__in": list(self.employers)})
        return condition

    def region_filter(self, via: str = "") -> Any:
        """A ``Q`` on the regions only: equality (or ``IN``) on the column of each code's level."""
        from django.db.models import Q

        by_field: dict[str, list[str]] = {}
        for code in self.regions:
            by_field.setdefault(region_field(code), []).append(code)
        condition = Q()
        for field, codes in by_field.items():
            lookup = {f"{via}{field}": codes[0]} if len(codes) == 1 else {f"{via}{field}__in": codes}
            condition |= Q(**lookup)
        return condition

    def filter_profiles(self, queryset: Any, via: str = "") -> Any:
        """Narrow a queryset of real-name profiles (or of rows reaching one through ``via``)."""
        if self.is_empty:
            return queryset.none()
        return queryset if self.everything else queryset.filter(self.profile_filter(via))

    def visible_user_ids(self) -> Any:
        """A subquery of the user ids this scope covers (for tables that only hold a user id)."""
        from django.apps import apps

        profiles = apps.get_model(PROFILE_MODEL).objects.all()
        return self.filter_profiles(profiles).values("user_id")

    def filter_by_user(self, queryset: Any, user_field: str = "user_id") -> Any:
        """Narrow any queryset with a learner's user id column to the learners in scope."""
        if self.everything:
            return queryset
        if self.is_empty:
            return queryset.none()
        return queryset.filter(**{f"{user_field}__in": self.visible_user_ids()})

    def covers_user(self, user_id: int) -> bool:
        """Whether the learner with this user id is in scope (one indexed query unless everything)."""
        if self.everything:
            return True
        if self.is_empty:
            return False
        from django.apps import apps

        profiles = apps.get_model(PROFILE_MODEL).objects.filter(user_id=user_id)
        return bool(self.filter_profiles(profiles).exists())


EVERYTHING = Scope(everything=True)
NOBODY = Scope()
