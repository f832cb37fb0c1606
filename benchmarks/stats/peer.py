"""The peer and the plans: plain SQL over the raw roll-up rows, and MariaDB's EXPLAIN of the dashboard.

The peer is what one would write by hand for the province dashboard without the summary table
(ADR 0301): the daily line and minutes as ``SUM`` and ``COUNT(DISTINCT user_id)`` over the
learners' ``DailyStudy`` rows, and the cohort's counts per city over ``CourseStatus`` and the
spells in force on the period's last day, each filtered by equality on the level's column (the
best a plain query can do with ADR 0300's indexes). It answers the same numbers as the dashboard,
so the two are timed in the same run on the same data.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

LINE = """
SELECT day, SUM(credited_ms), COUNT(DISTINCT user_id) FROM xueshi_stats_dailystudy
WHERE province_code = %s AND day BETWEEN %s AND %s GROUP BY day
"""
MINUTES = """
SELECT city_code, SUM(credited_ms) FROM xueshi_stats_dailystudy
WHERE province_code = %s AND day BETWEEN %s AND %s GROUP BY city_code
"""
COHORT = """
SELECT s.city_code, COUNT(*), COUNT(CASE WHEN cs.completed_on <= %s THEN 1 END),
       COUNT(CASE WHEN cs.examined_on <= %s THEN 1 END),
       SUM(CASE WHEN cs.examined_on <= %s THEN cs.best_score END),
       COUNT(CASE WHEN EXISTS (SELECT 1 FROM xueshi_stats_dailystudy d WHERE d.user_id = cs.user_id
             AND d.course_key = cs.course_key AND d.day BETWEEN %s AND %s) THEN 1 END)
FROM xueshi_stats_regionspell s JOIN xueshi_stats_coursestatus cs ON cs.user_id = s.user_id
WHERE s.province_code = %s AND s.valid_from <= %s AND (s.valid_to IS NULL OR s.valid_to > %s)
  AND cs.enrolled_on <= %s AND (cs.unenrolled_on IS NULL OR cs.unenrolled_on > %s)
  AND (cs.completed_on IS NULL OR cs.completed_on >= %s)
GROUP BY s.city_code
"""


def province_peer(province: str, start: date, end: date) -> Callable[[], None]:
    """A call that runs the three plain queries of a province's dashboard for ``start``–``end``."""
    from django.db import connection

    def run() -> None:
        with connection.cursor() as cursor:
            cursor.execute(LINE, [province, start, end])
            cursor.fetchall()
            cursor.execute(MINUTES, [province, start, end])
            cursor.fetchall()
            cursor.execute(COHORT, [end, end, end, start, end, province, end, end, end, end, start])
            cursor.fetchall()

    return run


def explain_requests(get: Callable[[], None]) -> list[dict[str, Any]]:
    """MariaDB's plan of every SELECT on the stats tables that one dashboard request runs."""
    from django.db import connection

    captured: list[tuple[str, Any]] = []

    def keep(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        get()
    plans = []
    for sql, params in captured:
        if not sql.lstrip().upper().startswith("SELECT") or "xueshi_stats_" not in sql:
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql, params)
            names = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                step = dict(zip(names, row, strict=True))
                plans.append(
                    {
                        "query": sql[:70].replace("\n", " "),
                        **{k: step.get(k) for k in ("select_type", "table", "type", "key", "rows", "Extra")},
                    }
                )
    return plans
