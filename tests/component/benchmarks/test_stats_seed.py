"""The statistics benchmark's seed: the bulk writer stores what the ORM writer (and the app) would.

On MariaDB the seed loads tab-separated files with ``LOAD DATA LOCAL INFILE`` and its indexes
deferred (ADR 0306); elsewhere it uses ``bulk_create``. Here the same learners are written both
ways and the tables compared column by column (ciphertexts by what they decrypt to), the identity
columns are checked against the model's own hash and mask code, and the indexes must be back.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from benchmarks.stats import seed as stats_seed

pytestmark = [pytest.mark.component, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def reference_data() -> None:
    """Divisions and categories, which an earlier transactional test's flush may have emptied.

    (``serialized_rollback`` cannot restore them: the flush's ``post_migrate`` recreates the role
    groups under new ids, and reloading the serialized ones then collides on their names.)
    """
    from xueshi_identity.divisions import ensure_reference_data

    ensure_reference_data()


SAVE_TIMES = ("id", "created_at", "updated_at")
SHAPE = {"courses": 5, "per_learner": 2, "year": 2026, "every": 15}


def tables() -> dict[str, Any]:
    from xueshi_identity.models import IdentityProfile
    from xueshi_stats.models import CourseStatus, DailyStudy, RegionSpell

    return {"profile": IdentityProfile, "spell": RegionSpell, "status": CourseStatus, "daily": DailyStudy}


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the seeded tables without ids and save times, encrypted values decrypted."""
    found = {}
    for name, model in tables().items():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if f.attname not in ("id", "created_at", "updated_at")
        ]
        rows = []
        for row in model.objects.values_list(*fields):
            rows.append(tuple(v.reveal() if hasattr(v, "reveal") else v for v in row))
        found[name] = sorted(rows)
    return found


def indexes() -> set[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, index_name, non_unique, seq_in_index, column_name"
            " FROM information_schema.statistics WHERE table_schema = DATABASE()"
        )
        return set(cursor.fetchall())


def test_seed_writes_a_province_and_its_summary() -> None:
    """Either writer: the counts, the summary equal to the rows' sums, profiles complete and consistent."""
    from xueshi_identity.models import IdentityProfile
    from xueshi_stats import summary

    stats_seed.seed("T0", 7, **SHAPE)  # a second seed adds to the summary the first left
    result = stats_seed.seed("T1", 12, **SHAPE)
    assert (result["profiles"], result["statuses"], result["daily_rows"]) == (12, 24, 24 * 12)
    assert result["summary_rows"] == len(summary.current()) > 0
    assert summary.current() == summary.sums(tables()["daily"].objects.all())
    for profile in IdentityProfile.objects.all():
        number = profile.id_number.reveal()
        assert profile.id_number_hash == IdentityProfile.hash_id_number("resident_id", number)
        assert profile.phone_hash == IdentityProfile.hash_phone(profile.phone.reveal())
        assert profile.missing_fields() == []


@pytest.mark.skipif("connection.vendor != 'mysql'")
def test_bulk_load_stores_what_the_orm_stores_and_restores_the_indexes() -> None:
    from django.contrib.auth import get_user_model

    from benchmarks.stats import bulkload
    from xueshi_identity.models import PersonnelCategory

    before = indexes()
    category = PersonnelCategory.objects.get_or_create(code=stats_seed.CATEGORY[0])[0]
    places = stats_seed.counties()
    bulkload.write("T2", 15, category, places=places, **SHAPE)
    assert indexes() == before
    loaded = snapshot()
    assert len(loaded["daily"]) == 15 * 2 * 12
    for model in tables().values():
        model.objects.all().delete()
    uids = sorted(get_user_model().objects.filter(username__startswith="sbT2-").values_list("pk", flat=True))
    everyone = stats_seed.province("T2", uids, places, SHAPE["courses"], SHAPE["per_learner"])
    stats_seed.orm_rows(everyone, "T2", category, SHAPE["year"], SHAPE["every"])
    assert snapshot() == loaded
