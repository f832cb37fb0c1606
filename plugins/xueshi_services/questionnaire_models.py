"""Records of questionnaires: the questionnaire, its questions and options, who answered, the answers.

Why the shape (ADR 0310): "one answer per learner" is the unique ``(questionnaire, user)`` row of
``Participation``, inserted in the same transaction as the answers, so a double submit leaves one
row whatever the timing. The answers hang off a ``Response`` that carries the learner's regions
(for supervisors' scopes) but, on an anonymous questionnaire, no user and no time finer than the
day, and a random UUID key: nothing in the results joins an answer back to its ``Participation``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

USER = settings.AUTH_USER_MODEL


class Questionnaire(models.Model):
    """A questionnaire with its window, audience and kind; ``slug`` is the short link's code."""

    DRAFT, PUBLISHED, CLOSED = "draft", "published", "closed"
    STATES = {
        DRAFT: pgettext_lazy("questionnaire", "Draft"),
        PUBLISHED: pgettext_lazy("questionnaire", "Published"),
        CLOSED: pgettext_lazy("questionnaire", "Closed"),
    }

    slug = models.CharField(max_length=12, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    state = models.CharField(max_length=12, choices=list(STATES.items()), default=DRAFT)
    anonymous = models.BooleanField(default=False)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    #: Audience, one value a line; an empty list means everyone.
    audience_courses = models.TextField(blank=True)
    audience_regions = models.TextField(blank=True)
    audience_categories = models.TextField(blank=True)
    #: The questions as the builder typed them (what the edit form shows again).
    source = models.TextField(blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return self.title

    @staticmethod
    def lines(text: str) -> list[str]:
        """The non-empty lines of an audience field."""
        return [line.strip() for line in (text or "").splitlines() if line.strip()]


class Question(models.Model):
    """One question: its kind decides how it is answered (an option, options, a number, text)."""

    SINGLE, MULTIPLE, SCALE5, SCALE10, TEXT = "single", "multiple", "scale5", "scale10", "text"
    KINDS = {
        SINGLE: _("Single choice"),
        MULTIPLE: _("Multiple choice"),
        SCALE5: _("Scale 1–5"),
        SCALE10: _("Scale 1–10"),
        TEXT: _("Text"),
    }

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=list(KINDS.items()))
    text = models.CharField(max_length=500)
    required = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("questionnaire question")
        verbose_name_plural = _("questionnaire questions")
        ordering = ("position", "id")
        constraints = [
            models.UniqueConstraint(fields=("questionnaire", "position"), name="one_question_per_position")
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def scale_max(self) -> int:
        """The top of a scale question (0 for other kinds)."""
        return {self.SCALE5: 5, self.SCALE10: 10}.get(self.kind, 0)

    @property
    def scale_range(self) -> range:
        """The values a scale question offers (empty for other kinds)."""
        return range(1, self.scale_max + 1)


class QuestionOption(models.Model):
    """A choice of a single- or multiple-choice question."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=200)

    class Meta:
        verbose_name = _("questionnaire option")
        verbose_name_plural = _("questionnaire options")
        ordering = ("position", "id")

    def __str__(self) -> str:
        return self.label


class Participation(models.Model):
    """That a learner answered a questionnaire: the one-answer-per-learner fact, nothing of the answer."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("questionnaire participation")
        verbose_name_plural = _("questionnaire participations")
        constraints = [
            models.UniqueConstraint(fields=("questionnaire", "user"), name="one_answer_per_learner")
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire_id}:{self.user_id}"


class Response(models.Model):
    """One learner's submitted answers; ``user`` is empty on an anonymous questionnaire.

    Region codes and employer are the learner's at answering time: what supervisors' scopes select
    by (``Scope.filter_profiles(..., via="")`` reads these very column names).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="responses")
    user = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    province_code = models.CharField(max_length=6, blank=True)
    city_code = models.CharField(max_length=6, blank=True)
    county_code = models.CharField(max_length=6, blank=True)
    employer = models.CharField(max_length=200, blank=True)
    day = models.DateField()
    #: Where it was answered: ``link`` (the QR / short link page) or the course of the XBlock.
    via = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("questionnaire response")
        verbose_name_plural = _("questionnaire responses")
        indexes = [models.Index(fields=("questionnaire", "county_code"))]

    def __str__(self) -> str:
        return str(self.pk)


class Answer(models.Model):
    """One answer to one question: a chosen option (one row each), a scale value, or text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    option = models.ForeignKey(QuestionOption, null=True, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField(null=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("questionnaire answer")
        verbose_name_plural = _("questionnaire answers")
        indexes = [models.Index(fields=("question", "option"))]

    def __str__(self) -> str:
        return f"{self.response_id}:{self.question_id}"
