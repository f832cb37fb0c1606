"""The one error the PDF renderer raises for the operator's configuration (bad template, image)."""

from __future__ import annotations


class PdfTemplateError(ValueError):
    """A template, stylesheet or image the operator named is missing, unreadable or not allowed.

    ``reason`` is a short machine code ("template_not_found", "image_not_found",
    "image_type_not_allowed", "resource_outside_template", "does_not_fit"); the message names the path.
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
