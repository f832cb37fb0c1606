"""Email through Django's mail backend (SMTP in production, the outbox in tests).

The Message-ID header is made here and recorded as the provider's message id, so the send log
points at the exact message in the mail server's logs.
"""

from __future__ import annotations

import smtplib
from email.utils import make_msgid

from django.core.mail import EmailMessage

from .base import Message, Permanent, Transient


def send(address: str, message: Message) -> str:
    """Send to ``address``; return the Message-ID."""
    if not address:
        raise Permanent("no_email", "the account has no email address")
    message_id = make_msgid(domain="xueshi.notify")
    mail = EmailMessage(
        subject=message.subject, body=message.body, to=[address], headers={"Message-ID": message_id}
    )
    try:
        mail.send()
    except smtplib.SMTPRecipientsRefused as error:
        raise Permanent("recipient_refused", str(error)[:200]) from error
    except (OSError, smtplib.SMTPException) as error:  # server down, timeout, 4xx: try again later
        raise Transient("smtp", str(error)[:200]) from error
    return message_id
