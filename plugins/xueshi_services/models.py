"""Records of learner services: portal content, course ratings, tickets (Q&A and complaints).

Why the shape (ADR 0220): portal content is plain rows an operator edits in the admin (text, not
HTML, so nothing an editor types can run in a learner's browser); a rating is unique per
(learner, course), so "once per course, editable" is a database fact, not a view's hope; a ticket
carries its own ``due_at`` (set when it starts waiting for staff), so "overdue" is one indexed
comparison and the target time in force when it was asked stays with it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

USER = settings.AUTH_USER_MODEL
ATTACHMENT_TYPES = ("pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "jpg", "jpeg", "png", "zip", "ofd")


class Ordered(models.Model):
    """Rows an operator orders by hand and can switch off without deleting."""

    order = models.IntegerField(_("display order"), default=0)
    is_active = models.BooleanField(_("shown"), default=True)

    class Meta:
        abstract = True
        ordering = ("order", "id")


class NewsCategory(Ordered):
    """A column of the portal's news: announcements, policy news, training notices..."""

    name = models.CharField(_("name"), max_length=50, unique=True)

    class Meta(Ordered.Meta):
        verbose_name = _("news category")
        verbose_name_plural = _("news categories")

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    """An announcement or policy news item; ``body`` is plain text (paragraphs by blank lines)."""

    category = models.ForeignKey(NewsCategory, on_delete=models.PROTECT, related_name="articles")
    title = models.CharField(pgettext_lazy("portal", "title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(_("body"), blank=True)
    source = models.CharField(_("source (issuing authority)"), max_length=100, blank=True)
    published_at = models.DateTimeField(_("published at"), db_index=True)
    is_published = models.BooleanField(_("published"), default=True)
    is_pinned = models.BooleanField(_("pinned on top"), default=False)

    class Meta:
        verbose_name = _("announcement or news")
        verbose_name_plural = _("announcements and news")
        ordering = ("-is_pinned", "-published_at", "-id")

    def __str__(self) -> str:
        return self.title


class Attachment(models.Model):
    """A file of an article (a policy document, a form to fill in), served as a download."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(pgettext_lazy("portal", "title"), max_length=200)
    file = models.FileField(
        _("file"),
        upload_to="xueshi_services/attachments/%Y/%m/",
        validators=[FileExtensionValidator(list(ATTACHMENT_TYPES))],
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.title


class TrainingCategory(Ordered):
    """A training category for a personnel category and region, listing its courses (one key a line)."""

    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    personnel_category = models.CharField(
        _("personnel category code (empty: everyone)"), max_length=32, blank=True, db_index=True
    )
    region_code = models.CharField(_("region code (empty: everywhere)"), max_length=12, blank=True)
    course_keys = models.TextField(_("course keys, one a line"), blank=True)

    class Meta(Ordered.Meta):
        verbose_name = _("training category")
        verbose_name_plural = _("training categories")

    def __str__(self) -> str:
        return self.name

    def course_key_list(self) -> list[str]:
        """The listed course keys, blank lines dropped."""
        return [line.strip() for line in self.course_keys.splitlines() if line.strip()]


class RecommendedCourse(Ordered):
    """A course the operator recommends on the portal's front page."""

    course_key = models.CharField(_("course key"), max_length=255)
    title = models.CharField(_("title shown (empty: the course's name)"), max_length=200, blank=True)
    reason = models.CharField(_("why it is recommended"), max_length=300, blank=True)

    class Meta(Ordered.Meta):
        verbose_name = _("recommended course")
        verbose_name_plural = _("recommended courses")

    def __str__(self) -> str:
        return self.title or self.course_key


class FaqEntry(Ordered):
    """A frequently asked question and its answer (plain text)."""

    question = models.CharField(pgettext_lazy("portal", "question"), max_length=300)
    answer = models.TextField(pgettext_lazy("portal", "answer"))

    class Meta(Ordered.Meta):
        verbose_name = _("frequently asked question")
        verbose_name_plural = _("frequently asked questions")

    def __str__(self) -> str:
        return self.question


class ServiceContact(Ordered):
    """A contact of the service centre: a hotline, a mailbox, an office, with its hours."""

    name = models.CharField(_("name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    hours = models.CharField(_("service hours"), max_length=100, blank=True)

    class Meta(Ordered.Meta):
        verbose_name = _("service centre contact")
        verbose_name_plural = _("service centre contacts")

    def __str__(self) -> str:
        return self.name


class PortalSettings(models.Model):
    """The one row of portal-wide texts: the welcome line and the address the mobile QR code opens."""

    welcome = models.CharField(_("welcome line"), max_length=200, blank=True)
    mobile_url = models.URLField(_("address of the mobile site (empty: this portal)"), blank=True)

    class Meta:
        verbose_name = _("portal settings")
        verbose_name_plural = _("portal settings")

    def __str__(self) -> str:
        return str(_("portal settings"))

    @classmethod
    def current(cls) -> PortalSettings:
        """The settings row (created empty on first use)."""
        return cls.objects.get_or_create(pk=1)[0]


class CourseRating(models.Model):
    """One learner's stars and comment on one course; hidden ones count nowhere (moderation)."""

    PUBLISHED, HIDDEN = "published", "hidden"
    STATES = {PUBLISHED: _("Published"), HIDDEN: _("Hidden by an operator")}

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    course_key = models.CharField(max_length=255, db_index=True)
    stars = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(blank=True)
    state = models.CharField(max_length=16, choices=list(STATES.items()), default=PUBLISHED)
    moderated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    moderation_note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("course rating")
        verbose_name_plural = _("course ratings")
        constraints = [models.UniqueConstraint(fields=("user", "course_key"), name="one_rating_per_course")]
        indexes = [models.Index(fields=("course_key", "state"))]

    def __str__(self) -> str:
        return f"{self.course_key} {self.stars}★"


class Ticket(models.Model):
    """A learner's question or complaint, its state, and when staff must act by (``due_at``)."""

    QUESTION, COMPLAINT = "question", "complaint"
    KINDS = {QUESTION: pgettext_lazy("ticket", "Question"), COMPLAINT: pgettext_lazy("ticket", "Complaint")}
    OPEN, ANSWERED, CLOSED = "open", "answered", "closed"
    RECEIVED, INVESTIGATING, RESOLVED, REJECTED = "received", "investigating", "resolved", "rejected"
    STATES = {
        OPEN: pgettext_lazy("ticket", "Awaiting an answer"),
        ANSWERED: pgettext_lazy("ticket", "Answered"),
        CLOSED: pgettext_lazy("ticket", "Closed"),
        RECEIVED: pgettext_lazy("ticket", "Received"),
        INVESTIGATING: pgettext_lazy("ticket", "Being investigated"),
        RESOLVED: pgettext_lazy("ticket", "Resolved"),
        REJECTED: pgettext_lazy("ticket", "Not upheld"),
    }
    #: States in which the next move is staff's: ``due_at`` runs only in these.
    WAITING_FOR_STAFF = (OPEN, RECEIVED, INVESTIGATING)

    serial = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=16, choices=list(KINDS.items()))
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    course_key = models.CharField(max_length=255, blank=True, db_index=True)
    subject = models.CharField(max_length=200)
    state = models.CharField(max_length=16, choices=list(STATES.items()))
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    due_at = models.DateTimeField(null=True, db_index=True)
    first_answered_at = models.DateTimeField(null=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("question or complaint")
        verbose_name_plural = _("questions and complaints")
        indexes = [models.Index(fields=("kind", "state", "due_at"))]

    def __str__(self) -> str:
        return self.serial


class TicketMessage(models.Model):
    """One message of a ticket: the learner's question or follow-up, or staff's answer."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    from_staff = models.BooleanField(default=False)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ticket message")
        verbose_name_plural = _("ticket messages")
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"{self.ticket_id}#{self.pk}"


# Questionnaires live in their own module (ADR 0310); Django finds models through this one.
from .questionnaire_models import (  # noqa: E402
    Answer,
    Participation,
    Question,
    Questionnaire,
    QuestionOption,
    Response,
)

__all__ = [
    "Answer",
    "Article",
    "Attachment",
    "CourseRating",
    "FaqEntry",
    "NewsCategory",
    "Participation",
    "PortalSettings",
    "Question",
    "QuestionOption",
    "Questionnaire",
    "RecommendedCourse",
    "Response",
    "ServiceContact",
    "Ticket",
    "TicketMessage",
    "TrainingCategory",
]
