"""Notifications, their deliveries (one per channel, the send log), learners' choices and WeChat openids.

A ``Notification`` is unique on its ``dedupe_key`` (the fact it announces: "order X paid"), so a
fact told twice (a replayed signal, a retried beat run) makes no second message. Each
``Delivery`` moves ``queued → sending → sent``; ``sending`` is written and committed before the
provider is called, so a worker that dies mid-send leaves a row that is never sent again by itself
(it becomes ``unconfirmed`` for an operator), and the provider's message id is kept once it
answers. Addresses are stored only masked in the log; the phone and the openid are decrypted just before
sending.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xueshi_core.fields import EncryptedTextField

from .kinds import CHANNELS, KINDS

USER = settings.AUTH_USER_MODEL
OPENID_PURPOSE = "wechat_openid"


class Notification(models.Model):
    """One message to one learner about one fact, in one language."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="xueshi_notifications")
    kind = models.CharField(_("kind"), max_length=40, choices=[(k, v.label) for k, v in KINDS.items()])
    dedupe_key = models.CharField(_("dedupe key"), max_length=150, unique=True)
    context = models.JSONField(_("values"), default=dict)
    language = models.CharField(_("language"), max_length=10)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return self.dedupe_key


class Delivery(models.Model):
    """One channel's sending of a notification: the send log row."""

    QUEUED, SENDING, SENT, FAILED, SKIPPED, UNCONFIRMED = (
        "queued",
        "sending",
        "sent",
        "failed",
        "skipped",
        "unconfirmed",
    )
    STATES = {
        QUEUED: _("Queued"),
        SENDING: _("Sending"),
        SENT: _("Sent"),
        FAILED: _("Failed"),
        SKIPPED: _("Skipped"),
        UNCONFIRMED: _("Unconfirmed"),
    }
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=10, choices=list(CHANNELS.items()))
    state = models.CharField(_("state"), max_length=12, choices=list(STATES.items()), db_index=True)
    provider = models.CharField(_("provider"), max_length=20, blank=True)
    provider_message_id = models.CharField(_("provider's message id"), max_length=100, blank=True)
    address_masked = models.CharField(_("to"), max_length=100, blank=True)
    attempts = models.PositiveIntegerField(_("tries"), default=0)
    last_error = models.CharField(_("reason"), max_length=255, blank=True)
    next_try_at = models.DateTimeField(null=True, blank=True, db_index=True)
    sending_since = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(fields=("notification", "channel"), name="xueshi_notify_one_per_channel")
        ]

    def __str__(self) -> str:
        return f"{self.notification_id}/{self.channel} {self.state}"

    @property
    def state_label(self) -> str:
        """The state as operators read it."""
        return str(self.STATES.get(self.state, self.state))


class Preference(models.Model):
    """The channels a learner chose for one kind (no row: the kind's defaults)."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="xueshi_notify_preferences")
    kind = models.CharField(_("kind"), max_length=40)
    channels = models.CharField(_("channels"), max_length=40, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=("user", "kind"), name="xueshi_notify_one_pref")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.channels}"


class WechatBinding(models.Model):
    """The learner's openid under the site's official account (set when they authorise; ADR 0341).

    An openid identifies a person (it is the address of their WeChat), so it is personal data:
    encrypted at rest like the phone, shown only masked, erased when the learner unbinds or the
    account is retired. ``appid`` is the account it belongs to (an openid means nothing under
    another one): a binding made under a former account is not used.
    """

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="xueshi_wechat_binding")
    openid = EncryptedTextField(_("openid"), purpose=OPENID_PURPOSE)
    appid = models.CharField(_("official account"), max_length=32, blank=True)
    bound_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("WeChat binding")
        verbose_name_plural = _("WeChat bindings")

    def __str__(self) -> str:
        return f"{self.user_id}"
