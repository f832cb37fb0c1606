"""GB/T 2260 administrative divisions kept as dated data, so codes that change stay meaningful.

Each dataset file (``divisions/<effective date>.json``) lists every division valid from that
date. Loading datasets in date order keeps history: a code missing from a newer dataset gets
``valid_to`` (it is no longer offered, but profiles, reports and certificates that carry it still
resolve its name), a renamed code gets a new row, a new code starts at the dataset's date.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

BUNDLED = Path(__file__).resolve().parent / "divisions"
LEVELS = ("province", "city", "county")


@dataclass(frozen=True)
class Division:
    """A division as offered to learners."""

    code: str
    name: str
    level: str
    parent_code: str


@dataclass
class LoadReport:
    """What loading one dataset changed."""

    effective: datetime.date
    added: int = 0
    renamed: int = 0
    retired: int = 0
    unchanged: int = 0


def read_dataset(path: Path) -> tuple[datetime.date, str, list[Division]]:
    """Parse and check a dataset file: effective date, source, divisions."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    effective = datetime.date.fromisoformat(str(data["effective"]))
    source = str(data.get("source") or path.name)[:200]
    divisions = []
    for row in data["divisions"]:
        code, name, level, parent = (str(v) for v in row)
        if len(code) != 6 or not code.isdigit() or level not in LEVELS or (parent and len(parent) != 6):
            raise ValueError(f"{path.name}: bad division row {row!r}")
        divisions.append(Division(code, name, level, parent))
    return effective, source, divisions


def _model(model: Any) -> Any:
    if model is not None:
        return model  # a data migration's historical model
    from .models import AdminDivision

    return AdminDivision


@transaction.atomic
def load_dataset(path: Path, model: Any = None) -> LoadReport:
    """Apply one dataset (idempotent: loading it twice changes nothing)."""
    AdminDivision = _model(model)
    effective, source, divisions = read_dataset(path)
    report = LoadReport(effective)
    current = {d.code: d for d in AdminDivision.objects.select_for_update().filter(valid_to__isnull=True)}
    later = AdminDivision.objects.filter(valid_from__gt=effective).exists()
    if later:
        raise ValueError(f"a dataset newer than {effective} is already loaded; load datasets in date order")
    wanted = {d.code: d for d in divisions}
    new_rows = []
    for code, division in wanted.items():
        row = current.get(code)
        if row and (row.name, row.level, row.parent_code) == (
            division.name,
            division.level,
            division.parent_code,
        ):
            report.unchanged += 1
            continue
        if row:
            if row.valid_from == effective:
                row.delete()
            else:
                row.valid_to = effective
                row.save(update_fields=["valid_to"])
            report.renamed += 1
        else:
            report.added += 1
        new_rows.append(
            AdminDivision(
                code=code,
                name=division.name,
                level=division.level,
                parent_code=division.parent_code,
                valid_from=effective,
                source=source,
            )
        )
    AdminDivision.objects.bulk_create(new_rows, batch_size=1000)
    for code, row in current.items():
        if code not in wanted:
            row.valid_to = effective
            row.save(update_fields=["valid_to"])
            report.retired += 1
    return report


def load_bundled(model: Any = None) -> list[LoadReport]:
    """Load every dataset shipped with the app, oldest first, skipping those already loaded."""
    AdminDivision = _model(model)
    reports = []
    for path in sorted(BUNDLED.glob("*.json")):
        effective = datetime.date.fromisoformat(path.stem[:10])
        if AdminDivision.objects.filter(valid_from__gte=effective).exists():
            continue
        reports.append(load_dataset(path, AdminDivision))
    return reports


def ensure_reference_data() -> None:
    """Make sure divisions and default categories exist (after a test flush, on a fresh site); cheap if so."""
    from .categories import ensure_default_categories
    from .models import AdminDivision, PersonnelCategory

    if not AdminDivision.objects.exists():
        load_bundled()
    ensure_default_categories(PersonnelCategory)


def _as_division(row: Any) -> Division:
    return Division(row.code, row.name, row.level, row.parent_code)


def children(parent_code: str = "") -> list[Division]:
    """Current divisions under ``parent_code`` ("" = provinces), in code order."""
    from .models import AdminDivision

    rows = AdminDivision.objects.filter(parent_code=parent_code, valid_to__isnull=True).order_by("code")
    return [_as_division(r) for r in rows]


def current(code: str) -> Division | None:
    """The current division with this code, or ``None`` (unknown or retired)."""
    from .models import AdminDivision

    row = AdminDivision.objects.filter(code=code, valid_to__isnull=True).first()
    return _as_division(row) if row else None


def name_of(code: str) -> str:
    """The newest name a code had (retired codes too), for display of stored records."""
    from .models import AdminDivision

    row = AdminDivision.objects.filter(code=code).order_by("-valid_from").first()
    return row.name if row else code


def names_of(codes: list[str]) -> dict[str, str]:
    """``name_of`` for many codes in one query (a list of learners names every county it shows)."""
    from .models import AdminDivision

    names = {code: code for code in codes}
    rows = AdminDivision.objects.filter(code__in=names).order_by("code", "valid_from")
    for code, name in rows.values_list("code", "name"):
        names[code] = name  # ordered by valid_from: the newest name is written last
    return names


def ever_existed(code: str) -> bool:
    """Whether a code is in the division data at all (ID numbers carry historic codes)."""
    from .models import AdminDivision

    return AdminDivision.objects.filter(code=code).exists()


def check_region(province: str, city: str, county: str) -> dict[str, str]:
    """Check a province/city/county choice; return ``{field: reason}`` for each problem.

    The chain must be current codes, each the parent of the next. A city is skipped where a
    county hangs directly under its province (municipalities, 省直辖县级 units); a county is
    required wherever the chosen parent has any.
    """
    errors: dict[str, str] = {}
    prov = current(province or "")
    if prov is None or prov.level != "province":
        return {"province_code": _("Choose a province.")}
    parent = prov
    if city:
        found = current(city)
        if found is None or found.level != "city" or found.parent_code != prov.code:
            return {"city_code": _("This city is not in the chosen province.")}
        parent = found
    elif children(prov.code) and any(d.level == "city" for d in children(prov.code)) and not county:
        return {"city_code": _("Choose a city.")}
    if county:
        found = current(county)
        if found is None or found.level != "county" or found.parent_code != parent.code:
            errors["county_code"] = _("This county is not in the chosen city.")
    elif children(parent.code):
        errors["county_code"] = _("Choose a county or district.")
    return errors
