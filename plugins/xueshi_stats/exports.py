"""Exports of a figure's learners or a query's rows as xlsx or CSV, kept for download (ADR 0154).

Every export is an ``ExportJob``. Small ones (at most ``XUESHI_STATS_EXPORT_INLINE_ROWS``) are
written while the request waits; larger ones by the Celery task ``xueshi_stats.tasks.export``,
whose progress (``written`` of ``total``) the job page polls. Either way the rows are read in
chunks in primary-key order (bounded id windows, ADR 0309; never OFFSET, never the whole result
in memory), described by ``lists.describe`` (masked like every list) and written to a temporary
file: openpyxl's write-only workbook or the csv module, both constant in memory. The file then
goes to Django's storage under ``xueshi_stats/exports/``.

The scope is applied three times through ``scoping``: when the export is asked for, when the job
reads the rows (the owner's scope at that moment), and at each download.
"""

from __future__ import annotations

import csv
import io
import secrets
import tempfile
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import default_storage
from django.db.models import F, Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from xueshi_core import audit
from xueshi_core.jsonbody import BadInput
from xueshi_core.scopes import Scope
from xueshi_core.spreadsheets import append_row, csv_cell

from . import conf, lists, scoping, search
from .models import CourseStatus, ExportJob
from .query import parse

CHUNK = 2000
MAX_WINDOW = 64 * CHUNK  # ids a sparse chunk may span (ADR 0309)
FORMATS = (ExportJob.XLSX, ExportJob.CSV)
SOURCES = (ExportJob.FIGURE, ExportJob.QUERY, ExportJob.PROJECT)
COLUMNS = ("learner_id", "name", "id_number", "region", "employer", "course", "enrolled_on", "minutes")
COLUMNS += ("best_score", "completed_on")


def header() -> list[str]:
    """Column titles (translated; the order of ``COLUMNS``)."""
    titles = (_("Learner id"), _("Name"), _("ID number"), _("Region"), _("Employer"), _("Course"))
    titles += (_("Enrolled on"), _("Minutes"), _("Best score"), _("Completed on"))
    return [str(t) for t in titles]


def _rows(user: Any, params: dict[str, Any], request: Any = None) -> tuple[Scope, QuerySet[CourseStatus]]:
    """The scope and the rows the job's parameters select within ``user``'s scope now (refusal recorded)."""
    if params.get("source") == ExportJob.PROJECT:
        from . import projects

        project = projects.by_code(params.get("project", ""))
        scope = scoping.confine_user(user, request=request)
        if projects.lens(scope, project).is_empty:
            raise scoping.refuse_project(request, project.code, user)
        return scope, projects.cohort(scope, project)
    if params.get("source") == ExportJob.FIGURE:
        q = parse(params)
        scope = scoping.confine_user(user, q.region, q.employer, request)
        return scope, lists.figure_rows(scope, q, lists.figure_name(params))
    found = search.parse_search(params)
    scope = scoping.confine_user(user, found.figure.region, found.figure.employer, request)
    people = [int(params["learner"])] if params.get("learner") else None
    if people and not scoping.may_see(user, people[0]):
        people = []  # the learner left the scope since the export was asked for
    return scope, search.rows_of(scope, found, people)


def ask(request: Any) -> ExportJob:
    """Check the request (scope, parameters), record the job, and write it now or queue it."""
    data = request.POST
    source = data.get("source", "")
    file_format = data.get("format", ExportJob.XLSX)
    if source not in SOURCES:
        raise BadInput("invalid_source", f"source must be one of {', '.join(SOURCES)}")
    if file_format not in FORMATS:
        raise BadInput("invalid_format", f"format must be one of {', '.join(FORMATS)}")
    dropped = ("csrfmiddlewaretoken", "format", "id_number", "id_type", "learner")
    params = {k: v for k, v in data.items() if k not in dropped and v}
    if source == ExportJob.QUERY:
        found = search.parse_search(data)
        if found.id_number:
            people = search.people_of(request, found)
            params["learner"] = str(people[0]) if people else "0"
    scope, rows = _rows(request.user, params, request)
    params["covered"] = scoping.kept(scope)
    total = rows.count()
    job = ExportJob.objects.create(
        token=secrets.token_hex(16),
        owner_id=request.user.pk,
        owner_username=request.user.get_username(),
        source=source,
        file_format=file_format,
        params=params,
        total=total,
    )
    if total <= conf.export_inline_rows():
        write(job.pk)
    else:
        from .tasks import export

        export.delay(job.pk)
    job.refresh_from_db()
    return job


def _chunks(rows: QuerySet[CourseStatus]) -> Iterator[list[CourseStatus]]:
    """The rows in primary-key order, at most ``CHUNK`` at a time, each chunk inside a bounded id window.

    A chunk is ``rows`` with ``last < id <= last + window``: a range of the primary key, so the
    database takes at most ``window`` enrolments by the primary key and checks each one's cohort
    condition (``user_id IN (spells in force …)``) by index. An open ``id > last … LIMIT CHUNK``
    let MariaDB materialise the whole province's spells for every chunk (quadratic in the
    province, ADR 0309). The window widens where the rows are sparse (a county's export) and
    narrows where they are dense, between ``CHUNK`` and ``MAX_WINDOW`` ids; ids above the largest
    one at the start (enrolments made during the export) are not walked.
    """
    top = CourseStatus.objects.aggregate(top=Max("pk"))["top"] or 0
    last, window = 0, CHUNK
    while last < top:
        chunk = list(rows.filter(pk__gt=last, pk__lte=last + window).order_by("pk")[:CHUNK])
        if len(chunk) == CHUNK:
            last, window = chunk[-1].pk, max(CHUNK, window // 2)
        else:
            last += window
            window = min(MAX_WINDOW, window * 2) if len(chunk) < CHUNK // 2 else window
        if chunk:
            yield chunk


def _values(row: dict[str, Any]) -> list[Any]:
    return ["" if row[c] is None else row[c] for c in COLUMNS]


def write(job_id: int) -> None:
    """Write the job's file; safe to run again (a retried or re-queued job starts over)."""
    job = ExportJob.objects.get(pk=job_id)
    ExportJob.objects.filter(pk=job.pk).update(state=ExportJob.RUNNING, written=0)
    owner = get_user_model().objects.get(pk=job.owner_id)
    try:
        rows = _rows(owner, job.params)[1]
        q = _query_of(job.params)
        with tempfile.TemporaryFile() as out:
            _write_file(job, rows, q, out)
            out.seek(0)
            name = default_storage.save(f"xueshi_stats/exports/{job.token}.{job.file_format}", File(out))
    except (scoping.Refused, BadInput) as exc:
        reason = getattr(exc, "reason", str(exc))
        ExportJob.objects.filter(pk=job.pk).update(state=ExportJob.FAILED, error=reason[:200])
        return
    except Exception:
        ExportJob.objects.filter(pk=job.pk).update(state=ExportJob.FAILED, error="internal error")
        raise
    done = {"state": ExportJob.DONE, "file_name": name, "finished_at": timezone.now()}
    ExportJob.objects.filter(pk=job.pk).update(**done)


def _query_of(params: dict[str, Any]) -> Any:
    """The period rows are described for: the query's, or a project's days."""
    if params.get("source") == ExportJob.PROJECT:
        from . import projects

        return projects.as_query(projects.by_code(params.get("project", "")))
    return parse(params)


def _write_file(job: ExportJob, rows: QuerySet[CourseStatus], q: Any, out: Any) -> None:
    if job.file_format == ExportJob.XLSX:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(str(_("Learners")))
        append_row(sheet, header())
        for chunk in _chunks(rows):
            for row in lists.describe(chunk, q):
                append_row(sheet, _values(row))
            ExportJob.objects.filter(pk=job.pk).update(written=F("written") + len(chunk))
        book.save(out)
        return
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow([csv_cell(v) for v in header()])
    for chunk in _chunks(rows):
        writer.writerows([csv_cell(v) for v in _values(row)] for row in lists.describe(chunk, q))
        ExportJob.objects.filter(pk=job.pk).update(written=F("written") + len(chunk))
    text.flush()
    text.detach()  # the caller owns ``out`` and still reads it


def job_of(request: Any, token: str) -> ExportJob | None:
    """The request's own job with this token (another account's job does not exist for it)."""
    return ExportJob.objects.filter(token=token[:32], owner_id=request.user.pk).first()


def open_download(request: Any, job: ExportJob) -> Any:
    """Check the scope again (refused and recorded if narrowed), record the export, open the file.

    The file leaving the platform is what core's personal-data audit records (ADR 0159): who,
    which export, the scope its rows were confined to, how many rows, masked (always, here).
    """
    covered = job.params.get("covered") or {}
    scoping.confine_again(request, covered)
    what = f"statistics {job.source} export {job.token[:8]} ({job.file_format})"
    audit.record_export(
        request.user, what, describe_scope(covered), job.written, masked=True, request=request
    )
    ExportJob.objects.filter(pk=job.pk).update(downloads=F("downloads") + 1)
    return default_storage.open(job.file_name, "rb")


def describe_scope(covered: dict[str, Any]) -> str:
    """A kept scope in words for the audit row: ``everything``, or its regions and employers."""
    if covered.get("everything"):
        return "everything"
    parts = [f"regions={','.join(covered.get('regions') or [])}"] if covered.get("regions") else []
    parts += [f"employers={'|'.join(covered.get('employers') or [])}"] if covered.get("employers") else []
    return "; ".join(parts)


def expire_files(now: Any = None) -> int:
    """Delete the files of exports finished more than ``XUESHI_STATS_EXPORT_FILE_DAYS`` ago (ADR 0158).

    The job row stays (state ``expired``, no file): it is the record of the export. Storage is
    deleted before the row changes, so a run that dies in between deletes the file again next time
    (``delete`` of a missing file is harmless). Returns how many files went.
    """
    cutoff = (now or timezone.now()) - timedelta(days=conf.export_file_days())
    old = ExportJob.objects.filter(state=ExportJob.DONE, finished_at__lt=cutoff).exclude(file_name="")
    done = 0
    for job in old.order_by("pk").iterator(chunk_size=500):
        default_storage.delete(job.file_name)
        ExportJob.objects.filter(pk=job.pk, state=ExportJob.DONE).update(
            state=ExportJob.EXPIRED, file_name=""
        )
        done += 1
    return done


def as_dict(job: ExportJob) -> dict[str, Any]:
    """The job's progress for the page and its JSON twin."""
    percent = 100 if job.state == ExportJob.DONE else (job.written * 100 // job.total if job.total else 0)
    return {
        "token": job.token,
        "state": job.state,
        "source": job.source,
        "format": job.file_format,
        "total": job.total,
        "written": job.written,
        "percent": percent,
        "error": job.error,
        "ready": job.state == ExportJob.DONE,
    }
