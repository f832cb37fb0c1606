"""Read-only admin pages for auditors: the ledger and its companions can be inspected, never edited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from xueshi_core.readonly_admin import ReadOnlyAdmin

from . import risk
from .labels import (
    CLIENT_LABELS,
    END_REASON_LABELS,
    REFUSED_REASON_LABELS,
    client_label,
    end_reason_label,
    refused_reason_label,
)
from .models import (
    DailyStudyTotal,
    IdleChallenge,
    LedgerEntry,
    PlaybackSession,
    RefusedHeartbeat,
    StudyHold,
    VideoProgress,
)


class RiskFilter(admin.SimpleListFilter):
    """Sessions with or without risk signals, or with one signal in particular."""

    title = _("risk signals")
    parameter_name = "risk"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        """Any signal, none, or each known signal."""
        return [("any", str(_("any"))), ("none", str(_("none"))), *[(s, s) for s in risk.SIGNALS]]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """Filter on the stored signals (JSON object keys)."""
        value = self.value()
        if value == "any":
            return queryset.exclude(risk_signals={})
        if value == "none":
            return queryset.filter(risk_signals={})
        if value in risk.SIGNALS:
            return queryset.filter(risk_signals__has_key=value)
        return queryset


def _signals_text(found: dict[str, int]) -> str:
    return ", ".join(f"{name}×{count}" for name, count in sorted(found.items())) or "-"


def labelled_filter(field: str, title: Any, labels: dict[str, Any]) -> type[admin.SimpleListFilter]:
    """A list filter offering the values present in ``field``, each under its label (codes stay in URLs)."""

    class LabelledValues(admin.SimpleListFilter):
        parameter_name = field

        def lookups(self, request: Any, model_admin: Any) -> list[tuple[str, str]]:
            rows = model_admin.get_queryset(request).exclude(**{field: ""}).order_by(field)
            return [(v, str(labels.get(v, v))) for v in rows.values_list(field, flat=True).distinct()]

        def queryset(self, request: Any, queryset: Any) -> Any:
            return queryset.filter(**{field: self.value()}) if self.value() else queryset

    LabelledValues.title = title
    return LabelledValues


@admin.register(PlaybackSession)
class PlaybackSessionAdmin(ReadOnlyAdmin):
    """Sessions: who played which block, from where, how it ended, and what looked scripted."""

    list_display = (
        "id",
        "user",
        "course_key",
        "usage_key",
        "client_shown",
        "ip",
        "opened_at",
        "ended_at",
        "end_reason_shown",
        "risk",
    )
    list_filter = (
        labelled_filter("client", _("client"), CLIENT_LABELS),
        labelled_filter("end_reason", _("end reason"), END_REASON_LABELS),
        RiskFilter,
    )
    search_fields = ("=id", "user__username", "course_key", "usage_key")
    date_hierarchy = "opened_at"
    readonly_fields = ("risk_assessment",)

    @admin.display(description=_("risk signals"))
    def risk(self, obj: PlaybackSession) -> str:
        """Stored signals (cheap: no query per row)."""
        return _signals_text(obj.risk_signals or {})

    @admin.display(description=_("risk assessment"))
    def risk_assessment(self, obj: PlaybackSession) -> str:
        """Stored signals plus those judged from the session's beats (timing)."""
        return _signals_text(risk.assess(obj))

    @admin.display(description=_("client"), ordering="client")
    def client_shown(self, obj: PlaybackSession) -> str:
        """The client as a label, not its code."""
        return client_label(obj.client)

    @admin.display(description=_("end reason"), ordering="end_reason")
    def end_reason_shown(self, obj: PlaybackSession) -> str:
        """Why the session ended, as a label, not its code."""
        return end_reason_label(obj.end_reason)


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    """The append-only ledger of credited milliseconds."""

    list_display = (
        "session",
        "seq",
        "user",
        "course_key",
        "usage_key",
        "credited_ms",
        "from_position",
        "to_position",
        "received_at",
        "china_day",
    )
    search_fields = ("=session__id", "user__username", "course_key", "usage_key")
    date_hierarchy = "china_day"


@admin.register(DailyStudyTotal)
class DailyStudyTotalAdmin(ReadOnlyAdmin):
    """Per-day totals (China days)."""

    list_display = ("user", "course_key", "day", "credited_ms")
    search_fields = ("user__username", "course_key")
    date_hierarchy = "day"


@admin.register(VideoProgress)
class VideoProgressAdmin(ReadOnlyAdmin):
    """Coverage per learner and block."""

    list_display = (
        "user",
        "usage_key",
        "coverage",
        "watched_seconds",
        "frontier",
        "last_position",
        "completed_at",
    )
    search_fields = ("user__username", "course_key", "usage_key")


@admin.register(RefusedHeartbeat)
class RefusedHeartbeatAdmin(ReadOnlyAdmin):
    """Every refused heartbeat with its reason: seek, speed, gap, hidden, lease lost, replay, ..."""

    list_display = (
        "session",
        "seq",
        "user",
        "usage_key",
        "reason_shown",
        "event",
        "reported_position",
        "position",
        "reported_rate",
        "reported_visible",
        "received_at",
    )
    list_filter = (labelled_filter("reason", _("reason"), REFUSED_REASON_LABELS), "event")
    search_fields = ("=session__id", "user__username", "course_key", "usage_key")
    date_hierarchy = "china_day"

    @admin.display(description=_("reason"), ordering="reason")
    def reason_shown(self, obj: RefusedHeartbeat) -> str:
        """Why the beat earned nothing, as a label, not its code."""
        return refused_reason_label(obj.reason)


@admin.register(IdleChallenge)
class IdleChallengeAdmin(ReadOnlyAdmin):
    """Anti-idle challenges: issued, answered or left unanswered."""

    list_display = ("challenge_id", "session", "user", "usage_key", "issued_at", "answered_at", "status")
    list_filter = ("status",)
    search_fields = ("=challenge_id", "user__username", "usage_key")


@admin.register(StudyHold)
class StudyHoldAdmin(ReadOnlyAdmin):
    """Holds other apps placed on crediting (face checks, say), with when and why they were lifted."""

    list_display = ("user", "kind", "reason", "placed_at", "not_before", "released_at", "release_reason")
    list_filter = ("kind", "release_reason")
    search_fields = ("user__username", "kind")
    date_hierarchy = "placed_at"
