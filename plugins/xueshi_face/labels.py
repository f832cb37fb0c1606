"""Readable labels for the codes face records store (status, source, action, decision, liveness).

Rows keep short stable codes that code filters on; the admin and the review pages show these
labels (``get_FOO_display``). An unknown code is shown as stored.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ENROLMENT_STATUS_CHOICES = [
    ("pending", _("Awaiting review")),
    ("approved", _("Approved")),
    ("matched", _("Matches the official photo")),
    ("rejected", _("Rejected")),
]
ENROLMENT_SOURCE_CHOICES = [
    ("upload", _("Uploaded photo")),
    ("camera", _("Camera")),
    ("import", _("Imported")),
]
EVENT_ACTION_CHOICES = [
    ("enrolled", _("Photo registered")),
    ("reset", _("Photo reset")),
    ("approved", _("Approved")),
    ("rejected", _("Rejected")),
    ("matched", _("Matches the official photo")),
    ("unmatched", _("Does not match the official photo")),
    ("official", _("Official photo imported")),
]
CHECK_CONTEXT_CHOICES = [("signin", _("At sign-in")), ("study", _("During study")), ("manual", _("Manual"))]
CHECK_DECISION_CHOICES = [("passed", _("Passed")), ("failed", _("Failed")), ("error", _("Error"))]
LIVENESS_CHOICES = [
    ("passed", _("Passed")),
    ("failed", _("Failed")),
    ("skipped", _("Skipped")),
    ("unsupported", _("Not supported")),
]
