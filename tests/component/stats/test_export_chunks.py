"""The export's bounded id windows (ADR 0309) write the same file as one pass in primary-key order.

The fixture's enrolments get ids out of learner order and far apart (gaps wider than the largest
window), so the windows must widen over the gaps, narrow over a dense run and still give every
row once, in id order, described and masked exactly as one ``describe`` of all the rows would.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.storage import default_storage

from xueshi_core import roles
from xueshi_core.spreadsheets import csv_cell
from xueshi_stats import exports, lists
from xueshi_stats.models import CourseStatus, ExportJob
from xueshi_stats.query import parse

from ..permkit import account

pytestmark = [pytest.mark.component, pytest.mark.django_db]


def test_windowed_chunks_write_the_file_one_pass_in_id_order_would(
    province: dict[str, Any], settings: Any, monkeypatch: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    monkeypatch.setattr(exports, "CHUNK", 2)
    monkeypatch.setattr(exports, "MAX_WINDOW", 8)
    users, today = province["users"], province["today"]
    base = CourseStatus.objects.order_by("pk").first()
    assert base is not None
    for n, key in enumerate("EDBAC"):  # a dense run, then rows 40 ids apart, learners out of order
        pk = base.pk + 500 + n if n < 3 else base.pk + 1000 + 40 * n
        CourseStatus.objects.create(
            pk=pk, user_id=users[key].id, course_key=f"course-v1:X+C{n}+2026", enrolled_on=base.enrolled_on
        )
    CourseStatus.objects.create(user_id=users["A"].id, course_key="course-v1:X+Old+2026", enrolled_on=today)
    params = {"source": "figure", "figure": "enrolled", "period": "year", "date": today.isoformat()}
    params["covered"] = {"regions": ["350000"]}
    owner = account("stats_chunk_operator", roles.OPERATOR)
    job = ExportJob.objects.create(
        token="chunks0309", owner_id=owner.pk, owner_username=owner.username,
        source="figure", file_format="csv", params=params,
    )  # fmt: skip
    exports.write(job.pk)
    job.refresh_from_db()
    assert job.state == ExportJob.DONE, job.error
    with default_storage.open(job.file_name, "rb") as f:
        written = list(csv.reader(io.StringIO(f.read().decode("utf-8-sig"))))
    q = parse(params)
    every = list(exports._rows(owner, params)[1].order_by("pk"))  # one pass, the old chunks' order
    described = [[str(csv_cell(v)) for v in exports._values(r)] for r in lists.describe(every, q)]
    one_pass = [[str(csv_cell(v)) for v in exports.header()], *described]
    assert len(every) >= 9 and job.written == len(every)
    assert written == one_pass
    assert [r[0] for r in written[1:]] != sorted(r[0] for r in written[1:]), "id order is not learner order"
