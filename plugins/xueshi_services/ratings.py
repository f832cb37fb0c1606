"""Course ratings: who may rate (learners who studied the course), saving once per course, moderation.

"Studied" (ADR 0222): credited study time in the ledger, or an active enrolment with video
progress. Platform staff do not rate (they earn no study time). A rating is one row per
(learner, course): rating again edits it, and the unique constraint settles two tabs racing.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count

from xueshi_core import compat as core_compat
from xueshi_core.jsonbody import BadInput
from xueshi_core.permissions import is_platform_staff
from xueshi_studytime import api as ledger

from . import signals
from .data import RatingStats
from .models import CourseRating
from .tickets import clean_text

MAX_COMMENT = 1000


def has_studied(user: object, course_key: str) -> bool:
    """Credited study time in the course, or enrolled with some video watched."""
    if ledger.credited_seconds_by_block(user.pk, course_key):  # type: ignore[attr-defined]
        return True
    if not core_compat.is_enrolled(user, course_key):
        return False
    watch = ledger.course_video_watch(user.pk, [course_key])  # type: ignore[attr-defined]
    return any(seen > 0 for seen, _length, _last in watch.values())


def may_rate(user: object, course_key: str) -> bool:
    """A signed-in learner (no staff role) who studied the course."""
    if not getattr(user, "is_authenticated", False) or is_platform_staff(user):
        return False
    return has_studied(user, course_key)


def save_rating(user: object, course_key: str, stars: object, comment: object) -> CourseRating:
    """Create or edit the learner's rating of the course; refuses bad stars, long comments, non-learners."""
    try:
        value = int(str(stars))
    except ValueError as exc:
        raise BadInput("invalid_stars", "stars must be a whole number from 1 to 5") from exc
    if not 1 <= value <= 5:
        raise BadInput("invalid_stars", "stars must be a whole number from 1 to 5")
    text = clean_text(comment, "comment", MAX_COMMENT, required=False)
    if not may_rate(user, course_key):
        raise BadInput("not_studied", "only learners who studied the course may rate it", status=403)
    for _attempt in range(2):  # a racing first save of the same rating: the second edits the row
        try:
            with transaction.atomic():
                row, _created = CourseRating.objects.update_or_create(
                    user=user, course_key=course_key, defaults={"stars": value, "comment": text}
                )
                signals.send_on_commit(signals.RATING_CHANGED, signals.RatingChanged(course_key, row.user_id))
            return row
        except IntegrityError:
            continue
    raise BadInput("conflict", "the rating changed meanwhile; try again", status=409)


def moderate(rating_id: int, moderator: object, state: str, note: object = "") -> CourseRating:
    """Hide or restore a rating; hidden ones leave the averages at once."""
    if state not in CourseRating.STATES:
        raise BadInput("invalid_state", "state must be published or hidden")
    text = clean_text(note, "note", 200, required=False)
    with transaction.atomic():
        row = CourseRating.objects.select_for_update().filter(pk=rating_id).first()
        if row is None:
            raise BadInput("no_such_rating", "there is no such rating", status=404)
        row.state, row.moderated_by, row.moderation_note = state, moderator, text
        row.save(update_fields=["state", "moderated_by", "moderation_note", "updated_at"])
        signals.send_on_commit(signals.RATING_CHANGED, signals.RatingChanged(row.course_key, row.user_id))
    return row


def stats_for(course_keys: list[str]) -> dict[str, RatingStats]:
    """Published ratings per course (every key present; two grouped queries whatever the count)."""
    keys = [str(k) for k in course_keys]
    published = CourseRating.objects.filter(course_key__in=keys, state=CourseRating.PUBLISHED)
    means = dict(published.values("course_key").annotate(m=Avg("stars")).values_list("course_key", "m"))
    dist: dict[str, dict[int, int]] = {k: dict.fromkeys(range(1, 6), 0) for k in keys}
    for key, stars, n in (
        published.values("course_key", "stars")
        .annotate(n=Count("id"))
        .values_list("course_key", "stars", "n")
    ):
        dist[key][int(stars)] = int(n)
    return {
        k: RatingStats(k, sum(dist[k].values()), round(float(means.get(k) or 0), 2), dist[k]) for k in keys
    }
