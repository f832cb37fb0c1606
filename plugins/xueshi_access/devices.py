"""The one-device rule: register sign-ins, end replaced devices, check requests.

A device is a browser session or an app's token grant. Redis answers the per-request question
"is this still the account's current device?"; ``SignInDevice`` rows are the durable truth that
Redis is rebuilt from after a restart. Ending a device deletes its web session, revokes its
OAuth2 tokens and stops its video playback (``xueshi_studytime.api.end_playback``).
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime

from django.db import transaction

from . import conf, hotstate, lastseen
from .data import EXPIRED, OK, REPLACED, UNKNOWN, Client, SignInResult, Verdict
from .models import SignInDevice

log = logging.getLogger(__name__)
ENDED_NOTICE_TTL = 30 * 86400
SEEN_EVERY = 60


def _dt(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, tz=UTC)


def _fields(device: SignInDevice) -> dict[str, str]:
    seen = device.last_seen_at.timestamp()
    return {
        "uid": str(device.user_id),
        "since": repr(device.signed_in_at.timestamp()),
        "seen": repr(seen),
        "channel": device.channel,
        "kind": device.kind,
        "ended": device.end_reason if device.ended_at else "",
    }


def hydrate(user_id: int) -> str:
    """The current device id, rebuilding Redis from MariaDB when the key is missing ('' if none)."""
    keys, r = hotstate.Keys(user_id), hotstate.client()
    current = r.get(keys.current)
    if current is not None:
        return str(current)
    live = (
        SignInDevice.objects.filter(user_id=user_id, ended_at__isnull=True).order_by("-signed_in_at").first()
    )
    if live is None:
        return ""
    r.hset(keys.device(str(live.id)), mapping=_fields(live))
    r.expire(keys.device(str(live.id)), hotstate.DEVICE_TTL)
    r.set(keys.current, str(live.id), ex=hotstate.DEVICE_TTL, nx=True)
    return str(r.get(keys.current) or "")


def begin(
    user_id: int, channel: str, client: Client, *, session_key: str = "", policy: str | None = None
) -> SignInResult:
    """Register a sign-in as the account's current device, under ``policy`` (default: configured).

    ``takeover`` ends the previous device (reason ``replaced``, or ``expired`` when it had been
    idle past ``ACTIVE_SECONDS``); ``refuse`` returns ``refused=True`` while another device is
    active, and then nothing is stored.
    """
    now = conf.now()
    device_id = str(uuid.uuid4())
    keys = hotstate.Keys(user_id)
    hydrate(user_id)
    fields = {
        "uid": str(user_id),
        "since": repr(now),
        "seen": repr(now),
        "channel": channel,
        "kind": client.kind,
        "ended": "",
    }
    args = [
        device_id,
        repr(now),
        policy or conf.concurrent_login(),
        conf.active_seconds(),
        hotstate.DEVICE_TTL,
        keys.device_prefix,
        *[x for kv in fields.items() for x in kv],
    ]
    taken, old = hotstate.script(hotstate.BEGIN_LUA)(keys=[keys.current, keys.device(device_id)], args=args)
    if not int(taken):
        return SignInResult(device_id="", refused=True, replaced_device=str(old))
    SignInDevice.objects.create(
        id=device_id,
        user_id=user_id,
        channel=channel,
        kind=client.kind,
        ip=client.ip or None,
        user_agent=client.user_agent[:512],
        session_key=session_key[:64],
        signed_in_at=_dt(now),
        last_seen_at=_dt(now),
    )
    reason = ""
    if old:
        reason = _end_reason(user_id, str(old), now)
        end(user_id, str(old), reason, by=device_id)
    return SignInResult(device_id=device_id, replaced_device=str(old or ""), replaced_reason=reason)


def _end_reason(user_id: int, device_id: str, now: float) -> str:
    return EXPIRED if now - last_seen(user_id, device_id) >= conf.active_seconds() else REPLACED


def last_seen(user_id: int, device_id: str) -> float:
    """The newest time Redis saw a device (epoch seconds; 0 when Redis does not know it)."""
    value = hotstate.client().hget(hotstate.Keys(user_id).device(device_id), "seen")
    return float(value or 0)


def session_gone(device_id: str) -> bool:
    """Whether a browser device's Django session no longer exists (something else ended it).

    Open edX's single login (``PREVENT_CONCURRENT_LOGINS``, ``student`` ``enforce_single_login``)
    deletes the older session inside ``login()``; an app's token device has no session: ``False``.
    """
    from importlib import import_module

    from django.conf import settings

    key = SignInDevice.objects.filter(pk=device_id).values_list("session_key", flat=True).first()
    if not key:
        return False
    return not import_module(settings.SESSION_ENGINE).SessionStore().exists(key)


def attach_session(user_id: int, device_id: str, session_key: str) -> None:
    """Remember a device's web session key so ending the device can delete the session."""
    SignInDevice.objects.filter(pk=device_id, user_id=user_id).update(session_key=session_key[:64])


def end(user_id: int, device_id: str, reason: str, *, by: str | None = None) -> bool:
    """End one device now: mark it, delete its web session, revoke its tokens, stop its playback.

    Returns whether the device was live (ending twice is harmless and records nothing twice).
    """
    from . import audit, tokens

    now = conf.now()
    r, keys = hotstate.client(), hotstate.Keys(user_id)
    if r.exists(keys.device(device_id)):
        r.hset(keys.device(device_id), mapping={"ended": reason, "ended_at": repr(now)})
    r.set(hotstate.ended_key(device_id), reason, ex=ENDED_NOTICE_TTL)
    if r.get(keys.current) == device_id:
        r.delete(keys.current)
    with transaction.atomic():
        updated = SignInDevice.objects.filter(pk=device_id, ended_at__isnull=True).update(
            ended_at=_dt(now), end_reason=reason, ended_by=by
        )
    device = SignInDevice.objects.filter(pk=device_id).first()
    if not updated or device is None:
        return False
    if device.session_key:
        _delete_session(device.session_key)
    tokens.revoke_device_tokens(user_id, device_id)
    audit.record_ended(device, reason)
    if reason != "signed_out":
        _stop_playback(user_id)
    return True


def _delete_session(session_key: str) -> None:
    from importlib import import_module

    from django.conf import settings

    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore(session_key=session_key).delete()


def _stop_playback(user_id: int) -> None:
    """The video lease follows the device: stop every playback of the learner (contract C1)."""
    from xueshi_studytime import api as studytime

    studytime.end_playback(user_id, "signed_in_elsewhere")


def check(user_id: int, device_id: str) -> Verdict:
    """Is ``device_id`` the account's current device? Also records that it was seen now."""
    r, keys = hotstate.client(), hotstate.Keys(user_id)
    pipe = r.pipeline(transaction=False)
    pipe.get(keys.current)
    pipe.hmget(keys.device(device_id), "seen", "ended", "dbseen")
    current, (seen, ended, db_seen) = pipe.execute()
    if ended:
        return Verdict(str(ended), user_id, device_id)
    if current is None:
        current = hydrate(user_id)
    if current and current != device_id:
        return Verdict(REPLACED, user_id, device_id)
    if not current:
        return _without_current(user_id, device_id)
    now = conf.now()
    if seen is None or now - float(seen) >= SEEN_EVERY:
        _touch(user_id, device_id, now, float(db_seen or seen or 0))
    return Verdict(OK, user_id, device_id)


def _without_current(user_id: int, device_id: str) -> Verdict:
    """No live device in Redis or MariaDB: an ended device stays ended, anything else is unknown."""
    row = SignInDevice.objects.filter(pk=device_id).only("ended_at", "end_reason").first()
    if row is not None and row.ended_at is not None:
        return Verdict(row.end_reason or REPLACED, user_id, device_id)
    return Verdict(UNKNOWN, user_id, device_id)


def _touch(user_id: int, device_id: str, now: float, queued_at: float) -> None:
    """Record activity in Redis each minute; every five, queue it for MariaDB (``lastseen``).

    Nothing is written to MariaDB here: the request pays one pipelined Redis round trip.
    """
    fields = {"seen": repr(now)}
    pipe = hotstate.client().pipeline(transaction=False)
    if lastseen.due(now, queued_at):
        lastseen.mark(pipe, device_id, now)
        fields["dbseen"] = repr(now)
    pipe.hset(hotstate.Keys(user_id).device(device_id), mapping=fields)
    pipe.execute()


def since(user_id: int, device_id: str) -> float:
    """When the device signed in (epoch seconds; 0 if unknown)."""
    value = hotstate.client().hget(hotstate.Keys(user_id).device(device_id), "since")
    return float(value or 0)


def ended_reason(device_id: str) -> str:
    """Why a device ended ('' if it did not, or long ago)."""
    return str(hotstate.client().get(hotstate.ended_key(device_id)) or "")


def expire_idle(idle_seconds: int) -> int:
    """End live devices unseen for ``idle_seconds`` (reason ``expired``); return how many.

    Queued last-seen times are saved first, and a device Redis saw within the window is spared
    even if MariaDB has not caught up (a copy that failed must not end an active learner).
    """
    lastseen.save()
    now = conf.now()
    cutoff = _dt(now - idle_seconds)
    count = 0
    for row in SignInDevice.objects.filter(ended_at__isnull=True, last_seen_at__lt=cutoff).only(
        "id", "user_id"
    ):
        if now - last_seen(row.user_id, str(row.id)) < idle_seconds:
            continue
        count += int(end(row.user_id, str(row.id), EXPIRED))
    return count
