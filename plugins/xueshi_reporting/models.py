"""The outbox: canonical records, their deliveries per destination, destinations, audit of exchanges.

One ``OutboxRecord`` per fact an authority must learn (its idempotency key unique, so writing the
same fact twice is one record); one ``Delivery`` per (record, destination) carrying the state
machine; one ``Exchange`` per request and answer (the audit). The payload holds ID numbers, so it
is encrypted at rest with core's field (ADR 0200).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xueshi_core.fields import EncryptedTextField

PAYLOAD_PURPOSE = "reporting_payload"


class Destination(models.Model):
    """An authority we push to: its profile, address, what it receives and how our codes map to its."""

    JSON_HMAC, JSON_SM, XLSX = "json-hmac", "json-sm", "xlsx"
    PROFILES = (
        (JSON_HMAC, _("Signed JSON over HTTPS (HMAC)")),
        (JSON_SM, _("Signed JSON (SM2/SM3/SM4)")),
        (XLSX, _("Spreadsheet batch for upload")),
    )

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    profile = models.CharField(_("profile"), max_length=16, choices=PROFILES, default=JSON_HMAC)
    url = models.CharField(_("address"), max_length=300, blank=True, default="")
    #: ``HMAC-SHA256`` | ``HMAC-SM3`` | ``SM2`` (json profiles); SM4 is on when the secrets hold ``sm4_key``.
    signature = models.CharField(_("signature"), max_length=16, default="HMAC-SHA256")
    app_id = models.CharField(_("app id"), max_length=64, blank=True, default="")
    kinds = models.JSONField(_("record kinds"), default=list, blank=True)
    region_prefix = models.CharField(_("region prefix"), max_length=12, blank=True, default="")
    category_map = models.JSONField(_("category mapping"), default=dict, blank=True)
    batch_size = models.PositiveIntegerField(_("batch size"), default=200)
    max_attempts = models.PositiveIntegerField(_("attempts before dead-letter"), default=8)
    timeout_seconds = models.FloatField(_("timeout (seconds)"), default=15.0)
    active = models.BooleanField(_("active"), default=True)
    #: Registers this authority answers about learners: ``learner`` (real name + ID), ``accountant``.
    checks = models.JSONField(_("register checks"), default=list, blank=True)
    approval = models.BooleanField(_("classes need its approval"), default=False)
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    lease_owner = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("reporting destination")
        verbose_name_plural = _("reporting destinations")

    def __str__(self) -> str:
        return f"{self.code} ({self.name})"

    def wants(self, kind: str, region: str) -> bool:
        """Whether a record of ``kind`` for a learner in ``region`` goes here."""
        return (
            self.active and (not self.kinds or kind in self.kinds) and region.startswith(self.region_prefix)
        )


class OutboxRecord(models.Model):
    """One canonical record (schema ``xueshi-report/1``), written in the transaction of its fact."""

    kind = models.CharField(max_length=16, db_index=True)
    learner_id = models.IntegerField(db_index=True)
    subject = models.CharField(max_length=255)
    idempotency_key = models.CharField(max_length=64, unique=True)
    payload = EncryptedTextField(purpose=PAYLOAD_PURPOSE)
    created_at = models.DateTimeField(auto_now_add=True)
    #: The learner's region (GB/T 2260), in the clear for scoping the sharing API.
    region = models.CharField(max_length=12, blank=True, default="", db_index=True)
    #: Position in the change feed, given after commit in commit order (``feed.sequence``).
    feed_seq = models.BigIntegerField(null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("outbox record")
        verbose_name_plural = _("outbox records")
        #: ``feed.sequence`` reads "unnumbered, in id order" as a range of this index (no filesort).
        indexes = [models.Index(fields=("feed_seq", "id"), name="xr_outbox_feed")]

    def __str__(self) -> str:
        return f"{self.pk}: {self.subject}"


class StagedFact(models.Model):
    """A fact written in the LMS's transaction (a profile saved, an enrolment made or ended).

    One small INSERT on the write path; the sweep builds the canonical record (which reads and
    discloses the learner's facts) and deletes this row in one transaction (ADR 0330).
    """

    kind = models.CharField(max_length=16)
    learner_id = models.IntegerField()
    facts = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("staged fact")
        verbose_name_plural = _("staged facts")

    def __str__(self) -> str:
        return f"{self.kind} of {self.learner_id}"


class Delivery(models.Model):
    """One record on its way to one destination."""

    PENDING, SENDING, DELIVERED, DEAD, DROPPED = "pending", "sending", "delivered", "dead", "dropped"
    STATES = (
        (PENDING, _("pending")),
        (SENDING, _("sending")),
        (DELIVERED, _("delivered")),
        (DEAD, _("dead-letter")),
        (DROPPED, _("dropped by an operator")),
    )
    #: States that hold back a learner's later records (order per learner).
    OPEN = (PENDING, SENDING, DEAD)

    record = models.ForeignKey(OutboxRecord, on_delete=models.PROTECT, related_name="deliveries")
    destination = models.ForeignKey(Destination, on_delete=models.PROTECT, related_name="deliveries")
    learner_id = models.IntegerField()
    state = models.CharField(max_length=10, choices=STATES, default=PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_try_at = models.DateTimeField(db_index=True)
    batch = models.CharField(max_length=32, blank=True, default="")
    last_error = models.CharField(max_length=300, blank=True, default="")
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [models.UniqueConstraint(fields=("record", "destination"), name="xr_delivery_once")]
        indexes = [
            models.Index(fields=("destination", "state", "record"), name="xr_delivery_queue"),
            models.Index(fields=("destination", "learner_id", "state"), name="xr_delivery_learner"),
        ]

    def __str__(self) -> str:
        return f"{self.record_id} → {self.destination_id}: {self.state}"


class Exchange(models.Model):
    """The audit row of one request to a destination and its answer (or the lack of one)."""

    destination = models.ForeignKey(Destination, on_delete=models.PROTECT, related_name="exchanges")
    batch = models.CharField(max_length=32, db_index=True)
    keys = models.JSONField(default=list)
    request_sha256 = models.CharField(max_length=64)
    started_at = models.DateTimeField(auto_now_add=True)
    duration_ms = models.PositiveIntegerField(default=0)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=16, default="sent")
    answer = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = _("exchange")
        verbose_name_plural = _("exchanges")

    def __str__(self) -> str:
        return f"{self.batch}: {self.outcome}"


class Cursor(models.Model):
    """How far a collector has read a source (ledger ids, certificate ids); moved with its records."""

    name = models.CharField(max_length=32, unique=True)
    position = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("collector cursor")
        verbose_name_plural = _("collector cursors")

    def __str__(self) -> str:
        return f"{self.name}@{self.position}"


class ApiClient(models.Model):
    """An authority's OAuth2 application (client credentials) and what it may read through the API."""

    #: The ``client_id`` of its django-oauth-toolkit application (grant type: client credentials).
    client_id = models.CharField(_("OAuth2 client id"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=100)
    region_prefixes = models.JSONField(_("region prefixes"), default=list, help_text=_("GB/T 2260 prefixes"))
    kinds = models.JSONField(_("record kinds"), default=list, blank=True)
    full_personal_data = models.BooleanField(_("full personal data"), default=False)
    per_minute = models.PositiveIntegerField(_("calls per minute"), default=120)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("data-sharing client")
        verbose_name_plural = _("data-sharing clients")

    def __str__(self) -> str:
        return self.name


class ApiCall(models.Model):
    """The audit row of one call to the sharing API (refused ones too)."""

    client = models.ForeignKey(ApiClient, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    path = models.CharField(max_length=200)
    query = models.CharField(max_length=300, blank=True, default="")
    status = models.PositiveSmallIntegerField()
    records = models.PositiveIntegerField(default=0)
    full_personal_data = models.BooleanField(default=False)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("data-sharing API call")
        verbose_name_plural = _("data-sharing API calls")

    def __str__(self) -> str:
        return f"{self.at}: {self.path} {self.status}"


class ClassDeclaration(models.Model):
    """A class (a course run and its learners) declared to an authority that approves it before study.

    While it is not approved, each learner's study in the course is held (a course-scoped ledger
    hold named ``hold_kind``); approval releases the holds, a rejection keeps them (ADR 0332).
    """

    DECLARING, PENDING, APPROVED, REJECTED, FAILED = "declaring", "pending", "approved", "rejected", "failed"
    STATES = (
        (DECLARING, _("being declared")),
        (PENDING, _("awaiting approval")),
        (APPROVED, _("approved")),
        (REJECTED, _("rejected")),
        (FAILED, _("could not be declared")),
    )

    destination = models.ForeignKey(Destination, on_delete=models.PROTECT, related_name="classes")
    course_key = models.CharField(_("course"), max_length=255)
    name = models.CharField(_("class name"), max_length=100)
    starts_on = models.DateField(_("starts on"))
    learner_ids = models.JSONField(_("learners"), default=list)
    state = models.CharField(_("state"), max_length=10, choices=STATES, default=DECLARING)
    remote_id = models.CharField(_("authority's number"), max_length=64, blank=True, default="")
    reason = models.CharField(_("reason"), max_length=300, blank=True, default="")
    attempts = models.PositiveIntegerField(default=0)
    declared_by = models.IntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    asked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("class declaration")
        verbose_name_plural = _("class declarations")

    def __str__(self) -> str:
        return f"{self.name} ({self.course_key}): {self.state}"

    @property
    def hold_kind(self) -> str:
        """The ledger hold kind of this class's learners."""
        return f"class-{self.pk}"
