"""The one place the statistics apply an account's scope (ADR 0010, 0152).

Every stats page and API asks ``confine`` (a region, an employer) or ``confine_learner`` (one
learner) before it reads anything. A request outside the account's scope (another county, the
province around one's city, a learner elsewhere) is refused with a reason, and the try is
recorded in core's audit (``audit.record_refusal``). The answer is a ``Scope`` whose
``profile_filter`` selects rows of the roll-ups, which carry the same region and employer columns
as the real-name profile, so matching follows exactly the rules of ``xueshi_core.scopes``.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from xueshi_core import audit, permissions
from xueshi_core.scopes import Scope, region_prefix

ACTION = permissions.VIEW_STATISTICS


class Refused(PermissionError):
    """The account may not see this; ``reason`` says why (shown to the account and recorded)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _refuse(request: Any, target: str, reason: str, user: Any = None) -> Refused:
    audit.record_refusal(user if user is not None else request.user, ACTION, target, reason, request)
    return Refused(reason)


def _inside(code: str, bound: tuple[str, ...]) -> bool:
    """Whether region ``code`` lies within one of the ``bound`` regions (a city within its province)."""
    prefix = region_prefix(code)
    return any(prefix.startswith(region_prefix(b)) for b in bound)


def confine(request: Any, region: str = "", employer: str = "") -> Scope:
    """The rows this request may count: the asked region and employer, within the account's scope.

    Without a region the whole scope is meant. Raises ``Refused`` (recorded) when the account
    holds no statistics role, is bound to nothing, or asks for a region or employer outside it.
    """
    return confine_user(request.user, region, employer, request)


def confine_user(user: Any, region: str = "", employer: str = "", request: Any = None) -> Scope:
    """``confine`` for an account without a request (an export job running in a Celery worker).

    The job asks again with the owner's scope as it is when the rows are read, so an account
    narrowed after asking gets nothing outside its new scope (refused and recorded).
    """
    target = f"region={region or '-'} employer={employer or '-'}"
    if not permissions.may(user, ACTION):
        raise _refuse(request, target, user=user, reason=_("Your roles do not allow statistics."))
    scope = permissions.scope_of(user)
    if scope.is_empty:
        raise _refuse(request, target, user=user, reason=_("Your account is not bound to any region yet."))
    if region and not scope.everything and scope.regions and not _inside(region, scope.regions):
        reason = _("Region %(region)s is outside your scope.") % {"region": region}
        raise _refuse(request, target, user=user, reason=reason)
    if employer and scope.employers and employer not in scope.employers:
        raise _refuse(request, target, user=user, reason=_("This employer is outside your scope."))
    regions = (region,) if region else scope.regions
    employers = (employer,) if employer else scope.employers
    if scope.everything and not region and not employer:
        return scope
    return Scope(regions=regions, employers=employers)


def confine_learner(request: Any, learner_id: int) -> None:
    """Refuse (recorded) unless the account's statistics scope covers this learner."""
    if not permissions.may_see_learner(request.user, ACTION, learner_id):
        raise _refuse(request, f"learner={learner_id}", _("This learner is outside your scope."))


def may_see(user: Any, learner_id: int) -> bool:
    """Whether the account's statistics scope covers this learner (nothing recorded)."""
    return permissions.may_see_learner(user, ACTION, learner_id)


def refuse_learner(request: Any, learner_id: int, reason: str) -> Refused:
    """Record a refused try at one learner (an ID-number query that found someone elsewhere)."""
    return _refuse(request, f"learner={learner_id}", reason)


def refuse_project(request: Any, code: str, user: Any = None) -> Refused:
    """Record a refused try at a training project whose targets lie outside the scope."""
    return _refuse(request, f"project={code}", _("This training project is outside your scope."), user)


def kept(scope: Scope) -> dict[str, Any]:
    """What a confined ``scope`` covered, in a form an export job keeps (JSON)."""
    regions, employers = list(scope.regions), list(scope.employers)
    return {"everything": scope.everything, "regions": regions, "employers": employers}


def confine_again(request: Any, covered: dict[str, Any]) -> None:
    """Refuse (recorded) unless the account's scope still covers all of ``covered`` (a kept export).

    An account narrowed or unbound after an export was written may no longer download it.
    """
    user = request.user
    if covered.get("everything"):
        scope = confine_user(user, request=request)
        if not scope.everything:
            raise _refuse(request, "export=everything", _("The export covers more than your scope."))
        return
    for region in covered.get("regions") or [""]:
        confine_user(user, region, request=request)
    for employer in covered.get("employers") or []:
        confine_user(user, employer=employer, request=request)
