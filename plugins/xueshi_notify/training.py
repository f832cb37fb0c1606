"""Training arrangements (培训安排): a project's target learners hear when it is approved or moved.

The statistics app announces a project (``TRAINING_PROJECT_ANNOUNCED``: approved, or an approved
project's days changed) after commit. ``announce`` reads the plan and the audience through
``xueshi_stats.api`` a page at a time and hands each page to a Celery task (``tell_batch``), so a
province-wide project becomes many small tasks instead of one long one. Each learner gets one
notification per fact: the dedupe key is ``training:<project>:<revision>:<user id>``, so a signal
sent twice, a page retried or a task message delivered twice tells nobody twice (ADR 0340).

A learner who arrives in a project's audience later (moved into a target region, or a new
real-name profile) hears of each open project once, as the revision ``joined``, unless told
about it before (ADR 0345).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from xueshi_stats import api as stats_api

from . import conf
from .api import notify
from .languages import language_of
from .models import Notification

log = logging.getLogger(__name__)
KIND = "training_arrangement"
JOINED = "joined"


def dedupe_key(code: str, revision: str, user_id: int) -> str:
    """The fact "learner ``user_id`` was told ``revision`` of project ``code``"."""
    return f"training:{code}:{revision}:{int(user_id)}"


def _context(user: Any, plan: stats_api.ProjectPlan, revision: str) -> dict[str, str]:
    """The message's values, written in the learner's language (``details`` is a sentence)."""
    values = {"organiser": plan.organiser, "hours": plan.required_hours}
    if revision.startswith("dates:"):
        details = _("The dates have changed. Organised by {organiser}; {hours} hours required.")
    else:
        details = _("Organised by {organiser}; {hours} hours required.")
    return {
        "name": str(user.get_full_name() or user.username),
        "title": plan.name,
        "when": f"{plan.start.isoformat()} – {plan.end.isoformat()}",
        "details": details.format_map(values),
    }


def tell(code: str, revision: str, user_ids: Iterable[int]) -> int:
    """Notify these learners of the project (each in their own language); return how many were new.

    The page is recorded in one transaction (one commit instead of one per learner): all of it or,
    if the task dies, none of it, and the retried page tells everyone once.
    """
    plan = stats_api.project_plan(code)
    if plan is None or not plan.approved:
        return 0
    users = list(get_user_model().objects.filter(pk__in=list(user_ids), is_active=True).order_by("pk"))
    keys = {user.pk: dedupe_key(code, revision, user.pk) for user in users}
    told = set(Notification.objects.filter(dedupe_key__in=keys.values()).values_list("dedupe_key", flat=True))
    new = 0
    with transaction.atomic():  # one commit per page; the deliveries are queued when it commits
        for user in users:
            if keys[user.pk] in told:  # a retried page or a repeated announcement: already told
                continue
            language = language_of(user)
            with override(language):
                context = _context(user, plan, revision)
            notify(user, KIND, context, dedupe_key=keys[user.pk], language=language)
            new += 1
    return new


def announce(code: str, revision: str, queue_batch: Callable[[str, str, list[int]], None]) -> int:
    """Hand the project's audience to ``queue_batch`` a page at a time; return how many learners."""
    plan = stats_api.project_plan(code)
    if plan is None or not plan.approved:
        log.info("training project %s is unknown or not approved: nobody told", code)
        return 0
    after, total, size = 0, 0, conf.batch_size()
    while True:
        page = stats_api.project_audience(code, after=after, limit=size)
        if not page:
            return total
        queue_batch(code, revision, page)
        total += len(page)
        after = page[-1]


def told_before(code: str, user_id: int) -> bool:
    """Whether the learner was told any revision of the project (approved, new dates, joined)."""
    return Notification.objects.filter(
        dedupe_key__startswith=f"training:{code}:", dedupe_key__endswith=f":{int(user_id)}"
    ).exists()


def tell_newcomers(user_ids: Iterable[int]) -> int:
    """Tell learners who moved into open projects' audiences about each project once; how many told."""
    told = 0
    for user_id, codes in stats_api.projects_targeting(list(user_ids)).items():
        for code in codes:
            if not told_before(code, user_id):
                told += tell(code, JOINED, [user_id])
    return told
