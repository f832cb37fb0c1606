"""The MariaDB writer of the benchmark province: tab-separated files, ``LOAD DATA LOCAL INFILE`` (ADR 0306).

Per learner it writes one line per row, in chunks of ``CHUNK`` learners; the server parses and
appends them in primary-key order while Python writes the next chunk. The secondary indexes (those
no foreign key needs and not led by ``user_id``) are dropped before the first chunk and added back
in one ``ALTER TABLE`` per table at the end, which builds each by sorting once instead of inserting
24,000,000 keys one by one into a 128 MB buffer pool. The statement that restores them is printed
before they are dropped, and runs in ``finally``.

The stored values are the app's: the encrypted columns go through the model field's own
``get_prep_value`` (``crypto.encrypt``), hashes and masks through the model's and ``masking``'s
functions, date-times through the connection's adapter; the column lists are checked against the
models, so a column added to a model stops the seed instead of being left to a wrong default.
Each chunk commits on its own: a run that dies leaves the learners of the chunks it finished.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date, timedelta
from itertools import islice
from typing import Any

from .seed import (
    EXAMINED,
    FIRST_SPELL,
    LAST_STUDY,
    PROVINCE,
    STATUS_MS,
    STUDY_MS,
    Learner,
    course_key,
    province,
)

CHUNK = 25_000
COUNTED = {"profiles": "profiles", "spells": "", "statuses": "statuses", "daily": "daily_rows"}
LOAD = (
    "LOAD DATA LOCAL INFILE %s INTO TABLE `{table}` CHARACTER SET utf8mb4"
    " FIELDS TERMINATED BY '\\t' LINES TERMINATED BY '\\n' ({columns})"
)
USER_COLUMNS = (
    "username password is_superuser first_name last_name email is_staff is_active date_joined last_login"
)
PROFILE_COLUMNS = (
    "user_id real_name id_type id_number id_number_hash id_number_masked province_code city_code"
    " county_code employer category_id phone phone_hash phone_masked completed_at source created_at"
    " updated_at"
)
REGION = "province_code city_code county_code employer category_code"
SPELL_COLUMNS = f"user_id valid_from valid_to {REGION}"
STATUS_COLUMNS = (
    "user_id course_key enrolled_on unenrolled_on first_study_day last_study_day credited_ms examined_on"
    " best_score completed_on"
)
DAILY_COLUMNS = f"user_id course_key day credited_ms sessions {REGION}"


def models() -> dict[str, tuple[Any, str]]:
    """Each table's model and the columns this writer fills, checked against the model's own."""
    from django.contrib.auth import get_user_model

    from xueshi_identity.models import IdentityProfile
    from xueshi_stats.models import CourseStatus, DailyStudy, RegionSpell

    found = {
        "users": (get_user_model(), USER_COLUMNS), "profiles": (IdentityProfile, PROFILE_COLUMNS),
        "spells": (RegionSpell, SPELL_COLUMNS), "statuses": (CourseStatus, STATUS_COLUMNS),
        "daily": (DailyStudy, DAILY_COLUMNS),
    }  # fmt: skip
    for model, columns in found.values():
        wanted = {f.column for f in model._meta.concrete_fields} - {model._meta.pk.column}
        if wanted != set(columns.split()):
            table = model._meta.db_table
            raise SystemExit(f"{table}: the model has {sorted(wanted)}, the seed writes {columns}")
    return found


def connect() -> Any:
    """A connection of its own to Django's database, with ``local_infile`` on (off by default)."""
    import MySQLdb
    from django.db import connection

    s = connection.settings_dict
    return MySQLdb.connect(
        host=s["HOST"], port=int(s["PORT"] or 3306), user=s["USER"], passwd=s["PASSWORD"], db=s["NAME"],
        charset="utf8mb4", local_infile=1, autocommit=True,
    )  # fmt: skip


def secondary_indexes(cursor: Any, table: str) -> list[str]:
    """``ADD [UNIQUE] INDEX`` clauses re-creating the table's indexes worth deferring.

    Not those a foreign key needs (they cannot be dropped), nor those led by ``user_id``: the rows
    arrive in ascending account id, so those trees only grow at their right edge (cheap to keep).
    """
    cursor.execute(
        "SELECT column_name FROM information_schema.key_column_usage WHERE table_schema = DATABASE()"
        " AND table_name = %s AND referenced_table_name IS NOT NULL",
        [table],
    )
    keyed = {row[0] for row in cursor.fetchall()}
    cursor.execute(
        "SELECT index_name, non_unique, column_name, sub_part FROM information_schema.statistics"
        " WHERE table_schema = DATABASE() AND table_name = %s AND index_name <> 'PRIMARY'"
        " ORDER BY index_name, seq_in_index",
        [table],
    )
    indexes: dict[str, tuple[bool, list[str]]] = {}
    for name, non_unique, column, part in cursor.fetchall():
        column = f"`{column}`" + (f"({part})" if part else "")
        indexes.setdefault(name, (not non_unique, []))[1].append(column)
    return [
        f"ADD {'UNIQUE ' if unique else ''}INDEX `{name}` ({', '.join(columns)})"
        for name, (unique, columns) in indexes.items()
        if columns[0].split("`")[1] not in keyed | {"user_id"}
    ]


@contextmanager
def deferred_indexes(cursor: Any, tables: list[str]) -> Iterator[None]:
    """Drop the tables' secondary indexes for the load; add them back (one sort each) however it ends."""
    restore = {table: secondary_indexes(cursor, table) for table in tables}
    restore = {table: clauses for table, clauses in restore.items() if clauses}
    for table, clauses in restore.items():
        _say(f"-- if this seed dies, restore with: ALTER TABLE `{table}` {', '.join(clauses)}")
        drops = ", ".join("DROP INDEX " + clause.split("INDEX ", 1)[1].split(" (")[0] for clause in clauses)
        cursor.execute(f"ALTER TABLE `{table}` {drops}")
    try:
        yield
    finally:
        for table, clauses in restore.items():
            started = time.perf_counter()
            cursor.execute(f"ALTER TABLE `{table}` {', '.join(clauses)}")
            _say(f"-- {table}: {len(clauses)} indexes in {time.perf_counter() - started:.0f} s")


def spool(lines: Iterable[str]) -> str:
    """The lines in a temporary file (removed by ``load``)."""
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".tsv", delete=False) as out:
        out.writelines(lines)
    return out.name


def load(cursor: Any, table: str, columns: str, path: str) -> int:
    """``LOAD DATA`` a spooled file into the table and remove it; rows loaded."""
    try:
        cursor.execute(LOAD.format(table=table, columns=", ".join(columns.split())), [path])
        return int(cursor.rowcount)
    finally:
        os.unlink(path)


def write(
    run: str, learners: int, category: Any, *, places: list[tuple[str, str]], courses: int,
    per_learner: int, year: int, every: int,
) -> tuple[dict[str, int], Any]:  # fmt: skip
    """Load the province into MariaDB; rows per table (``profiles``, ``statuses``, ``daily_rows``) and
    the count of its daily rows for the summary (``tally.StudyTally``)."""
    from django.db import connection
    from django.utils import timezone

    from .tally import StudyTally

    tables = models()
    study = StudyTally(date(year, 1, 1), category.code)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    conn = connect()
    cursor = conn.cursor()
    counts = {"profiles": 0, "statuses": 0, "daily_rows": 0}
    names = {key: model._meta.db_table for key, (model, _) in tables.items()}

    def load_chunk(files: dict[str, str]) -> None:
        for key, counted in COUNTED.items():
            rows = load(cursor, names[key], tables[key][1], files[key])
            if counted:
                counts[counted] += rows
        _say(f"-- {counts['profiles']:,} learners, {counts['daily_rows']:,} daily rows")

    # The server loads one chunk while Python writes the next (the query releases the GIL).
    with deferred_indexes(cursor, list(names.values())), ThreadPoolExecutor(max_workers=1) as loader:
        for start in range(0, learners, CHUNK):
            stop = min(learners, start + CHUNK)
            users = (f"sb{run}-{i}\t!\t0\t\t\t\t0\t1\t{now}\t\\N\n" for i in range(start, stop))
            load(cursor, names["users"], USER_COLUMNS, spool(users))
        mine = f"SELECT id FROM `{names['users']}` WHERE username LIKE %s ORDER BY id"
        cursor.execute(mine, [f"sb{run}-%"])
        everyone = province(run, [row[0] for row in cursor.fetchall()], places, courses, per_learner)
        pending: Future[None] | None = None
        while chunk := list(islice(everyone, CHUNK)):
            files = {
                key: spool(lines)
                for key, lines in chunk_lines(run, chunk, category, now, study, every).items()
            }
            if pending is not None:
                pending.result()
            pending = loader.submit(load_chunk, files)
        if pending is not None:
            pending.result()
    conn.close()
    return counts, study


def chunk_lines(
    run: str, learners: list[Learner], category: Any, now: str, study: Any, every: int
) -> dict[str, list[str]]:
    """The tab-separated lines of a chunk's profiles, spells, statuses and daily rows."""
    from xueshi_identity.models import IdentityProfile

    seal: dict[str, Callable[[str], str]] = {
        name: IdentityProfile._meta.get_field(name).get_prep_value for name in ("id_number", "phone")
    }
    source = IdentityProfile._meta.get_field("source").get_default()
    first = study.first
    day = [str(first + timedelta(days=i)) for i in range(180 + LAST_STUDY + 1)]
    studied = range(0, 180, every)
    profiles, spells, statuses, daily = [], [], [], []
    for one in learners:
        p = one.identity()
        region = f"{PROVINCE}\t{one.city}\t{one.county}\t{one.employer}"
        profiles.append(
            f"{one.uid}\t{p['real_name']}\t{p['id_type']}\t{seal['id_number'](p['id_number'])}\t"
            f"{p['id_number_hash']}\t{p['id_number_masked']}\t{region}\t{category.pk}\t"
            f"{seal['phone'](p['phone'])}\t{p['phone_hash']}\t{p['phone_masked']}\t\\N\t{source}\t{now}\t{now}\n"
        )
        region += f"\t{category.code}\n"
        spells.append(f"{one.uid}\t{FIRST_SPELL}\t\\N\t{region}")
        offsets = []
        for c, o, score in one.enrolments:
            key = course_key(run, c)
            done = day[o + EXAMINED] if score >= 60 else "\\N"
            statuses.append(
                f"{one.uid}\t{key}\t{day[o]}\t\\N\t{day[o]}\t{day[o + LAST_STUDY]}\t{STATUS_MS}\t"
                f"{day[o + EXAMINED]}\t{score}\t{done}\n"
            )
            head, tail = f"{one.uid}\t{key}\t", f"\t{STUDY_MS}\t1\t{region}"
            days = [o + d for d in studied]
            daily.extend([head + day[x] + tail for x in days])
            offsets += days
        study.add(one.county, offsets)
    return {"profiles": profiles, "spells": spells, "statuses": statuses, "daily": daily}


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
