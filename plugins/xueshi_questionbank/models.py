"""Durable records of the question bank (MariaDB).

A ``Question`` is the stable thing authors manage and learners' statistics hang on; each edit
adds an immutable ``QuestionVersion``, so an answer recorded against version 3 is judged against
version 3 forever. ``Attempt`` is append-only: who answered which version where, what, whether
it was right and when (server time). Users are ``PROTECT``ed, as in the study-time ledger.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from opaque_keys.edx.django.models import CourseKeyField, UsageKeyField

from .data import CONTEXTS, Option, Tags
from .data import Question as QuestionValue


class Bank(models.Model):
    """One course's question bank; ``shared`` lends it to every course of the same organisation."""

    course_key = CourseKeyField(max_length=255, unique=True)
    org = models.CharField(max_length=255, db_index=True)
    title = models.CharField(max_length=255, blank=True)
    shared = models.BooleanField(
        default=False, help_text=_("Courses of the same organisation may draw from this bank.")
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("question bank")
        verbose_name_plural = _("question banks")

    def __str__(self) -> str:
        return f"{self.course_key}{' (shared)' if self.shared else ''}"


class Question(models.Model):
    """A question with a stable identity; its content lives in versions, its tags here (for search)."""

    BANK, BLOCK = "bank", "block"
    SOURCES = [(BANK, _("bank")), (BLOCK, _("written in a block"))]

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, related_name="questions")
    source = models.CharField(max_length=8, choices=SOURCES, default=BANK)
    usage_key = UsageKeyField(max_length=255, null=True, blank=True)
    local_id = models.CharField(max_length=64, blank=True)
    current_version = models.ForeignKey(
        "QuestionVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    type = models.CharField(max_length=16)
    stem_search = models.CharField(max_length=255, blank=True)
    trade = models.CharField(max_length=64, blank=True, db_index=True)
    knowledge_point = models.CharField(max_length=128, blank=True, db_index=True)
    difficulty = models.PositiveSmallIntegerField(default=2)
    active = models.BooleanField(default=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["usage_key", "local_id"],
                condition=models.Q(source="block"),
                name="xqb_block_question_once",
            )
        ]
        indexes = [models.Index(fields=["bank", "source", "active"], name="xqb_question_bank_src")]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return f"{self.uid} {self.stem_search[:30]}"

    def tags(self) -> Tags:
        """The question's current tags."""
        return Tags(self.trade, self.knowledge_point, self.difficulty)


class ImmutableError(RuntimeError):
    """A stored question version was about to change or disappear."""


class QuestionVersion(models.Model):
    """One immutable content of a question; editing adds a version, never changes one."""

    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    type = models.CharField(max_length=16)
    stem = models.TextField()
    options = models.JSONField(default=list)
    answer = models.JSONField(default=list)
    blanks = models.JSONField(default=list)
    explanation = models.TextField(blank=True)
    trade = models.CharField(max_length=64, blank=True)
    knowledge_point = models.CharField(max_length=128, blank=True)
    difficulty = models.PositiveSmallIntegerField(default=2)
    content_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="xqb_version_number"),
        ]
        verbose_name = _("question version")
        verbose_name_plural = _("question versions")

    def __str__(self) -> str:
        return f"{self.question_id} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert only: a saved version is what earlier answers were judged against."""
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ImmutableError("question versions are immutable; add a new version instead")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        """Never: attempts refer to this version."""
        raise ImmutableError("question versions are never deleted")

    def to_question(self) -> QuestionValue:
        """The pure value this row stores."""
        return QuestionValue(
            type=self.type,
            stem=self.stem,
            options=tuple(Option(o["key"], o["text"]) for o in self.options),
            answer=tuple(self.answer),
            blanks=tuple(tuple(b) for b in self.blanks),
            explanation=self.explanation,
        )

    def tags(self) -> Tags:
        """Tags as they were when this version was written."""
        return Tags(self.trade, self.knowledge_point, self.difficulty)


class Attempt(models.Model):
    """Append-only: one answer to one question version, judged on the server."""

    CONTEXT_CHOICES = [(c, c) for c in CONTEXTS]

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    course_key = CourseKeyField(max_length=255)
    usage_key = UsageKeyField(max_length=255)
    context = models.CharField(max_length=16, choices=CONTEXT_CHOICES)
    context_id = models.CharField(max_length=128, blank=True)
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="attempts")
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="attempts")
    answer = models.JSONField()
    correct = models.BooleanField()
    created = models.DateTimeField(db_index=True)
    idempotency_key = models.CharField(max_length=191, unique=True)

    class Meta:
        indexes = [
            models.Index(fields=["course_key", "user", "created"], name="xqb_attempt_course_user"),
            models.Index(fields=["user", "question", "created"], name="xqb_attempt_user_question"),
            models.Index(fields=["course_key", "context"], name="xqb_attempt_course_ctx"),
        ]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")

    def __str__(self) -> str:
        return f"{self.user_id} v{self.version_id} {'right' if self.correct else 'wrong'}"
