"""Retiring an account deletes the proofs of its external hours and keeps the decisions."""

from __future__ import annotations

import os
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from xueshi_hours.models import ExternalHours

from .hourkit import learner

pytestmark = pytest.mark.django_db


def test_retirement_deletes_proofs() -> None:
    me = learner("leaving", ("350000", "350100", "350102"), "professional_technical")
    row = ExternalHours(user=me, title="会议", hours=Decimal(3), activity_day="2026-05-01", status="approved")
    row.attachment.save("proof.pdf", ContentFile("%PDF-1.4 身份证号".encode()), save=True)
    stored = row.attachment.path
    assert os.path.exists(stored)
    call_command("retire_user", "leaving", stdout=open(os.devnull, "w"))  # noqa: SIM115
    kept = ExternalHours.objects.get(pk=row.pk)
    assert not os.path.exists(stored) and not kept.attachment
    assert (kept.hours, kept.status) == (Decimal(3), "approved")
