"""Signals of ``xueshi_identity``: facts about real-name profiles other apps may subscribe to.

``PROFILE_CHANGED`` is sent *inside* the transaction that saves the profile (``IdentityProfile.save``
wraps both), so a subscriber that writes rows (the reporting outbox) commits or rolls back with
the change itself. Subscribers must therefore be quick and must not talk to outside services;
they queue such work with ``transaction.on_commit``. ``REGISTER_CHECKED`` is sent inside the
transaction that stores an authority's answer about the learner (``api.record_register_check``).
"""

from __future__ import annotations

from django.dispatch import Signal

#: A profile was saved. Keyword arguments: ``user_id`` (int), ``complete`` (bool).
PROFILE_CHANGED = Signal()
#: A register check's result was stored. Keyword arguments: ``user_id``, ``register``, ``status``.
REGISTER_CHECKED = Signal()
