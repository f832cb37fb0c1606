"""``python -m benchmarks.stats.shapes``: ADR 0307's query shapes against the ones they replaced.

On a busy shared machine two runs of ``benchmarks.stats`` differ by 2-3x in load alone, so this
times the same signed-in request alternately with the old and the new shape in one process
(old, new, new, old, ...), ``--repeat`` each after a warm pair, and checks both gave the same
JSON. The indexes (stats migration 0007) are in place for both: only the code differs.

- a county's drill-down; old = each enrolment's employer by a correlated subquery;
- a learner page's total; old = ``COUNT(*)`` of the cohort, new = the stock's figure;
- a county's page; old = ``OFFSET`` over the county's sorted enrolments;
- ADR 0304: a province's and a city's ended month and week; old = the pass (no closed counts
  read), new = the closed counts, each period counted first (its pass's time printed once).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from typing import Any

from .run import PAST, REPO

YEAR = {"period": "year", "date": "2026-06-01"}
ENDED = ({"period": "month", "date": "2026-11-01"}, {"period": "week", "date": "2026-11-25"})


def main(argv: list[str] | None = None) -> int:
    """Print one line per request: each shape's median, min and max (ms) and whether they agreed."""
    p = argparse.ArgumentParser(prog="python -m benchmarks.stats.shapes", description=__doc__)
    p.add_argument("--db-url", default="mysql://root@127.0.0.1:3306/xueshi_bench_seed")
    p.add_argument("--redis-url", default="redis://127.0.0.1:6379/6")
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args(argv)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="benchmarks.settings", XUESHI_SETTINGS_TYPE="production",
        XUESHI_DB_URL=args.db_url, XUESHI_REDIS_URL=args.redis_url,
    )  # fmt: skip
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.db.models import OuterRef, Subquery
    from django.test.utils import override_settings

    from xueshi_stats import closing, figures, lists, stocks
    from xueshi_stats.models import RegionSpell
    from xueshi_stats.query import parse
    from xueshi_stats.regions import spells_on

    from .run import supervisor
    from .seed import PROVINCE, counties

    override_settings(XUESHI_STATS_ROLL_UP_ON_READ=False).enable()
    _user, client = supervisor()
    city, county = counties()[0]

    def by_subquery(scope: Any, q: Any, rows: Any) -> Any:
        spell = RegionSpell.objects.filter(spells_on(q.end), user_id=OuterRef("user_id"))
        at_end = spell.values("employer")[:1]
        counts = figures.pass_counts(q)
        return rows.annotate(child=Subquery(at_end)).values("child").annotate(**counts).order_by()

    def offset(scope: Any, q: Any, figure: str, rows: Any, page: int, size: int) -> Any:
        return list(rows[(page - 1) * size : page * size])

    def stock_only(scope: Any, q: Any, column: str = "") -> Any:
        if not figures.summarised(scope, q) or column == "employer" or not stocks.exact_for(q):
            return None
        return stocks.counts(scope, q, column)

    for period in ENDED:
        q = parse(period)
        counted = closing.count(q.start, q.end)
        said = f"{counted.seconds:.1f} s" if counted else "already counted"
        print(f"closed period {q.start}..{q.end}: {said}", flush=True)

    figs, learners = "/api/xueshi/stats/figures/", "/api/xueshi/stats/learners/"
    closed = (figures, "kept_counts", stock_only)
    employer = (figures, "_by_employer", by_subquery)
    walk = (lists, "page_of", offset)
    cases = [
        ("county, current year", figs, {**YEAR, "region": county}, employer),
        ("county, ended period", figs, {**PAST, "region": county}, employer),
        ("city page, current year", learners, {**YEAR, "region": city},
         (lists, "figure_total", lambda s, q, f, rows: rows.count())),
        ("county page, current year", learners, {**YEAR, "region": county}, walk),
        ("county page, ended period", learners, {**PAST, "region": county}, walk),
        *((f"{level} {period['period']}, ended", figs, {**period, "region": code}, closed)
          for period in ENDED for level, code in (("province", PROVINCE), ("city", city))),
    ]  # fmt: skip
    for name, url, query, (module, attribute, old) in cases:
        new = getattr(module, attribute)
        times: dict[str, list[float]] = {"old": [], "new": []}
        bodies: dict[str, Any] = {}
        for n in range(args.repeat + 1):
            for shape in ("old", "new") if n % 2 == 0 else ("new", "old"):
                setattr(module, attribute, old if shape == "old" else new)
                started = time.perf_counter()
                response = client.get(url, query)
                times[shape].append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.content[:300]
                bodies[shape] = response.json()
        setattr(module, attribute, new)
        shown = {
            k: f"median {statistics.median(v[1:]):.0f} ms (min {min(v[1:]):.0f}, max {max(v[1:]):.0f})"
            for k, v in times.items()
        }
        same = bodies["old"] == bodies["new"]
        print(f"{name}: old {shown['old']}; new {shown['new']}; identical JSON: {same}", flush=True)
    print("load average:", [round(n, 2) for n in os.getloadavg()])
    return 0


if __name__ == "__main__":
    sys.exit(main())
