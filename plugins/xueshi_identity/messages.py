"""Learner-facing messages for validation codes (the codes are stable; the texts are translated)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ID_NUMBER_ERRORS = {
    "required": _("Enter your document number."),
    "unknown_id_type": _("Choose a document type."),
    "legacy_15_digits": _(
        "15-digit ID numbers were retired in 2013. Enter the 18-digit number printed on your current ID card."
    ),
    "wrong_length": _("A resident ID number has 18 characters."),
    "bad_characters": _("A resident ID number is 17 digits followed by a digit or the letter X."),
    "bad_check_digit": _(
        "The last character does not match the rest of the number. Check for a typing mistake."
    ),
    "bad_birth_date": _("The birth date inside the number (characters 7 to 14) is not a real date."),
    "future_birth_date": _("The birth date inside the number is in the future."),
    "implausible_age": _("The birth date inside the number is not plausible."),
    "too_young": _("You are below the minimum age for this platform."),
    "bad_region": _("The first six digits are not a known region code."),
    "bad_format": _("This does not look like a number of the chosen document type."),
    "id_number_taken": _(
        "This ID number is already registered to another account. Contact the platform if it is yours."
    ),
}
