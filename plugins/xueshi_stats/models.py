"""Roll-up tables of ``xueshi_stats``: what supervisors' figures are counted from (ADR 0150, 0151).

None of these is a source of truth except ``RegionSpell`` (the identity app keeps only a learner's
current region): every other row is derived from the ledger, the question bank and enrolment
events, kept current by ``rollup`` and recomputable by ``xueshi_stats_rebuild``. Learners are plain
ids (no foreign keys): retiring an account never cascades into statistics, and the rows hold no
personal data beyond the employer's name the scope is matched on.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


def by_level_and_day(table: str, county_covers: tuple[str, ...] = ()) -> list[models.Index]:
    """Indexes ``(county_code, day)``, ``(city_code, day)``, ``(province_code, day)`` of a table.

    A scope is an equality on one level's column, then a question asks a range of days (ADR 0300).
    ``county_covers`` adds columns to the county's index so that a county's query reads the index only.
    """
    return [
        models.Index(
            fields=[f"{level}_code", "day", *(county_covers if level == "county" else ())],
            name=f"xss_{table}_{level}_day",
        )
        for level in ("county", "city", "province")
    ]


class RegionColumns(models.Model):
    """Where a learner belonged: GB/T 2260 codes, employer and personnel category."""

    province_code = models.CharField(_("province"), max_length=6, blank=True)
    city_code = models.CharField(_("city"), max_length=6, blank=True)
    county_code = models.CharField(_("county"), max_length=6, blank=True)
    employer = models.CharField(_("employer"), max_length=128, blank=True)
    category_code = models.CharField(_("personnel category"), max_length=40, blank=True)

    class Meta:
        abstract = True

    def region(self) -> tuple[str, str, str, str, str]:
        """The five columns as a tuple (the shape ``regions`` compares)."""
        return (self.province_code, self.city_code, self.county_code, self.employer, self.category_code)


def in_force_key(level: str) -> list[str]:
    """A level's spells in force on a day and their learners: the covering key (ADR 0307)."""
    return [f"{level}_code", "valid_to", "valid_from", "user_id"]


class RegionSpell(RegionColumns):
    """A learner's region from ``valid_from`` until the day before ``valid_to`` (open while current).

    The first spell of a learner starts on 2000-01-01: before we knew better, the learner belonged
    where their profile first said. A move starts a new spell on the China day it was saved.
    """

    user_id = models.BigIntegerField(_("learner id"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("learner region spell")
        verbose_name_plural = _("learner region spells")
        constraints = [models.UniqueConstraint(fields=["user_id", "valid_from"], name="xss_spell_user_from")]
        # Covering (ADR 0307): a region's spells in force on a day and their learners (and, for a
        # county, employers) are read from the index alone, not one table page per learner.
        indexes = [
            models.Index(fields=[*in_force_key("county"), "employer"], name="xss_spell_county_cover"),
            models.Index(fields=in_force_key("city"), name="xss_spell_city_cover"),
            models.Index(fields=in_force_key("province"), name="xss_spell_province_cover"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.county_code or self.city_code} from {self.valid_from}"


class DailyStudy(RegionColumns):
    """Credited study per learner × course × China day, stamped with the region of that day."""

    user_id = models.BigIntegerField(_("learner id"))
    course_key = models.CharField(_("course"), max_length=255)
    day = models.DateField(_("day"))
    credited_ms = models.BigIntegerField(_("credited milliseconds"), default=0)
    sessions = models.PositiveIntegerField(_("playback sessions"), default=0)

    class Meta:
        verbose_name = _("daily study roll-up")
        verbose_name_plural = _("daily study roll-ups")
        constraints = [
            models.UniqueConstraint(fields=["user_id", "course_key", "day"], name="xss_daily_user_course_day")
        ]
        indexes = [
            # a county's minutes per employer (its drill-down) read the county's index only
            *by_level_and_day("daily", county_covers=("employer", "credited_ms")),
            models.Index(fields=["day"], name="xss_daily_day"),
            models.Index(fields=["course_key", "day"], name="xss_daily_course_day"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.course_key} {self.day} {self.credited_ms // 1000}s"


class DayRegionStudy(models.Model):
    """Credited study per China day × county (× city, province) × personnel category (ADR 0301).

    The sum of the ``DailyStudy`` rows of that day and region stamp: what the dashboard's line and
    credited minutes add up, at most days × counties × categories rows however many learners.
    ``learners`` is the number of distinct learners with study that day there; a learner has one
    region stamp a day, so adding it over regions gives the distinct learners of the day exactly
    (it cannot be added over days: a period's distinct learners come from ``CourseStatus``).
    """

    day = models.DateField(_("day"))
    province_code = models.CharField(_("province"), max_length=6, blank=True)
    city_code = models.CharField(_("city"), max_length=6, blank=True)
    county_code = models.CharField(_("county"), max_length=6, blank=True)
    category_code = models.CharField(_("personnel category"), max_length=40, blank=True)
    credited_ms = models.BigIntegerField(_("credited milliseconds"), default=0)
    learners = models.PositiveIntegerField(_("learners studying"), default=0)

    class Meta:
        verbose_name = _("daily regional study summary")
        verbose_name_plural = _("daily regional study summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "county_code", "city_code", "province_code", "category_code"],
                name="xss_dayregion_key",
            )
        ]
        indexes = by_level_and_day("dayregion")

    def __str__(self) -> str:
        return f"{self.day} {self.county_code or self.city_code or self.province_code} {self.learners}"


class LearnerCounts(models.Model):
    """The learner counts ``stocks.COLUMNS`` names: each adds up over rows to a region's figure."""

    enrolled = models.IntegerField(_("enrolled"), default=0)
    studying = models.IntegerField(_("studying"), default=0)
    completed = models.IntegerField(_("completed"), default=0)
    examined = models.IntegerField(_("examined"), default=0)
    scored = models.IntegerField(_("scored"), default=0)
    score_sum = models.BigIntegerField(_("score sum"), default=0)
    band0 = models.IntegerField(_("score 90-100"), default=0)
    band1 = models.IntegerField(_("score 80-89"), default=0)
    band2 = models.IntegerField(_("score 70-79"), default=0)
    band3 = models.IntegerField(_("score 60-69"), default=0)
    band4 = models.IntegerField(_("score 0-59"), default=0)

    class Meta:
        abstract = True


class PlaceCounts(LearnerCounts):
    """Learner counts of one county × personnel category (a learner's place: the spell's codes)."""

    province_code = models.CharField(_("province"), max_length=6, blank=True)
    city_code = models.CharField(_("city"), max_length=6, blank=True)
    county_code = models.CharField(_("county"), max_length=6, blank=True)
    category_code = models.CharField(_("personnel category"), max_length=40, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.county_code or self.city_code or self.province_code} {self.enrolled}"


class CountyDayStock(PlaceCounts):
    """Open enrolments of a county × personnel category, each counted at one day per figure (ADR 0303).

    Every open enrolment (enrolled, not unenrolled) of a learner whose current region is this
    county and category adds 1 to ``enrolled`` at its completion day (the far-future ``stocks.LATE``
    when not completed), to ``studying`` at the earlier of that and its last study day (the
    far-past ``stocks.EARLY`` when it never studied), to ``completed`` at its completion day, and,
    once examined, to ``examined``, ``scored``, ``score_sum`` and its score band at its completion
    day (or ``LATE``). A period ending today or later then counts each figure as the sum of its
    column over the days from the period's first day on: rows ≈ counties × categories × days.
    """

    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("county enrolment stock")
        verbose_name_plural = _("county enrolment stocks")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "county_code", "city_code", "province_code", "category_code"],
                name="xss_stock_key",
            )
        ]
        indexes = [*by_level_and_day("stock"), models.Index(fields=["day"], name="xss_stock_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.county_code or self.city_code or self.province_code} {self.enrolled}"


class CourseStatus(models.Model):
    """One learner in one course: enrolled when, studied when, examined, best score, completed when.

    Days are China days. ``completed_on`` comes from the provisional rule of ADR 0150 (the first
    exam round at or above ``XUESHI_STATS_PASS_PERCENT``) until the hours app sends completions.
    """

    user_id = models.BigIntegerField(_("learner id"))
    course_key = models.CharField(_("course"), max_length=255)
    enrolled_on = models.DateField(_("enrolled on"), null=True, blank=True)
    unenrolled_on = models.DateField(_("unenrolled on"), null=True, blank=True)
    first_study_day = models.DateField(_("first study day"), null=True, blank=True)
    last_study_day = models.DateField(_("last study day"), null=True, blank=True)
    credited_ms = models.BigIntegerField(_("credited milliseconds"), default=0)
    examined_on = models.DateField(_("first examined on"), null=True, blank=True)
    best_score = models.PositiveSmallIntegerField(_("best exam score (%)"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("learner course status")
        verbose_name_plural = _("learner course statuses")
        constraints = [
            models.UniqueConstraint(fields=["user_id", "course_key"], name="xss_status_user_course")
        ]
        indexes = [models.Index(fields=["course_key", "enrolled_on"], name="xss_status_course_enrolled")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.course_key}"


class Cursor(models.Model):
    """A roll-up's high-water mark in a source (ledger id, attempt id, profile save time and id).

    Moved in the same transaction as the rows it covers: a worker that dies mid-run leaves the
    mark where the last committed run put it, and the next run reads those sources again.
    """

    name = models.CharField(max_length=40, unique=True)
    position = models.BigIntegerField(default=0)
    moment = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("roll-up cursor")
        verbose_name_plural = _("roll-up cursors")

    def __str__(self) -> str:
        return f"{self.name} @ {self.position} {self.moment or ''}".strip()


class ExportJob(models.Model):
    """One export a supervisor asked for: what, by whom, how far it got, and where the file is kept.

    The row is the record of the export (who, which rows, when, how many, each download), kept
    with the file in Django's storage (ADR 0154). It holds the query's parameters but never a
    full ID number: an ID-number query is stored as the learner id it resolved to.
    """

    QUEUED, RUNNING, DONE, FAILED, EXPIRED = "queued", "running", "done", "failed", "expired"
    STATES = ((QUEUED, _("queued")), (RUNNING, _("running")), (DONE, _("done")), (FAILED, _("failed")))
    STATES += ((EXPIRED, _("file deleted")),)
    FIGURE, QUERY, PROJECT = "figure", "query", "project"
    XLSX, CSV = "xlsx", "csv"

    token = models.CharField(max_length=32, unique=True)
    owner_id = models.BigIntegerField(_("account id"), db_index=True)
    owner_username = models.CharField(_("account"), max_length=150)
    source = models.CharField(_("source"), max_length=10)
    file_format = models.CharField(_("format"), max_length=4)
    params = models.JSONField(_("query"), default=dict)
    state = models.CharField(_("state"), max_length=8, choices=STATES, default=QUEUED)
    total = models.PositiveIntegerField(_("rows to write"), default=0)
    written = models.PositiveIntegerField(_("rows written"), default=0)
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    error = models.CharField(_("error"), max_length=200, blank=True)
    downloads = models.PositiveIntegerField(_("downloads"), default=0)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("statistics export")
        verbose_name_plural = _("statistics exports")

    def __str__(self) -> str:
        progress = f"{self.written}/{self.total}"
        return f"{self.owner_username} {self.source}.{self.file_format} {self.state} {progress}"


class TrainingProject(models.Model):
    """A training project (培训项目): who plans it, which courses, for whom, when (ADR 0157).

    A bureau or an employer plans it; an operator records it (draft), approves it, and from its
    first day it runs; after its last day it has ended and its figures are its results. Targets
    are GB/T 2260 region codes (any level), personnel category codes and exact employer names;
    an empty target list means "no restriction" on that axis. Courses and targets are JSON lists
    of plain keys: a project only reads the roll-ups, it owns no learner rows.
    """

    code = models.SlugField(_("project code"), max_length=40, unique=True)
    name = models.CharField(_("project name"), max_length=120)
    organiser = models.CharField(_("organiser"), max_length=128)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    courses = models.JSONField(_("courses"), default=list)
    regions = models.JSONField(_("target regions"), default=list)
    categories = models.JSONField(_("target personnel categories"), default=list)
    employers = models.JSONField(_("target employers"), default=list)
    required_hours = models.DecimalField(_("required hours"), max_digits=6, decimal_places=2, default=0)
    exam_required = models.BooleanField(_("exam required"), default=False)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.CharField(_("approved by"), max_length=150, blank=True)
    created_by = models.CharField(_("recorded by"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("training project")
        verbose_name_plural = _("training projects")
        ordering = ("-start", "code")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ClosedPeriod(models.Model):
    """An ended period whose learner counts were counted once its late data had settled (ADR 0304).

    Written in one transaction with its ``ClosedPeriodCounts``: a period is either counted in full
    or not at all. ``seconds`` is what the cohort pass took, the wait a supervisor no longer has.
    """

    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    counted_at = models.DateTimeField(_("counted at"))
    seconds = models.FloatField(_("seconds to count"), default=0)

    class Meta:
        verbose_name = _("closed period")
        verbose_name_plural = _("closed periods")
        constraints = [models.UniqueConstraint(fields=["start", "end"], name="xss_closed_period")]

    def __str__(self) -> str:
        return f"{self.start}–{self.end}"


class ClosedPeriodCounts(PlaceCounts):
    """A closed period's learner counts in one county × personnel category (by the spell on its last day)."""

    period = models.ForeignKey(ClosedPeriod, on_delete=models.CASCADE, related_name="counts")

    class Meta:
        verbose_name = _("closed period counts")
        verbose_name_plural = _("closed period counts")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "county_code", "city_code", "province_code", "category_code"],
                name="xss_closed_counts_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.period_id} {self.county_code or self.city_code or self.province_code} {self.enrolled}"
