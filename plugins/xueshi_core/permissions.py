"""Who may do what, and over whom: the one permission model of Xueshi (ADR 0010).

Three questions, asked the same way by every view, export and API:

- ``may(user, action)``: does one of the user's roles (Django groups, ``roles.ROLES``) grant the
  named action (``ACTIONS``)?
- ``scope_of(user)``: which learners (``scopes.Scope``): everything for operators and auditors
  not bound otherwise, the bound regions/employers of an ``AccountScope`` row, else nobody.
- ``may_see_learner(user, action, user_id)``: both at once, for one learner.

Django's ``is_staff`` and ``is_superuser`` grant no personal data (separation of duties,
三员分立): they are the system administrator's flags, who runs the service (status page, the
question bank like the platform's global staff) but needs a Xueshi role to see learners.
"""

from __future__ import annotations

from typing import Any

from . import roles
from .scopes import EVERYTHING, NOBODY, Scope, parse_employers, parse_region_codes

VIEW_LEARNERS = "view_learners"  # list, search and open learners' real-name profiles (masked)
REVEAL_PERSONAL_DATA = "reveal_personal_data"  # show a full ID number or phone (audited, POST)
IMPORT_LEARNERS = "import_learners"  # bulk-create learners from a spreadsheet
EXPORT = "export"  # download spreadsheets of what the account may see (masked)
VIEW_AUDIT = "view_audit"  # the sign-in audit (every sign-in, IPs in full)
VIEW_SUSPICIOUS_IPS = "view_suspicious_ips"  # the suspicious-IP report of the scope (ADR 0063)
VIEW_FACE_CHECKS = "view_face_checks"  # a learner's face check records (no images)
VIEW_FACE_IMAGES = "view_face_images"  # a registered photo or a check frame (audited, POST)
MANAGE_FACE = "manage_face"  # reset, approve or reject a registered photo; import official ones
VIEW_STATUS = "view_status"  # the deployment status page
EDIT_QUESTION_BANK = "edit_question_bank"  # author every course's question bank
VIEW_STATISTICS = "view_statistics"  # study-hour statistics and reports of the scope
MANAGE_SCOPES = "manage_scopes"  # bind accounts to regions and employers (AccountScope, admin)
MANAGE_CERTIFICATES = "manage_certificates"  # list, revoke and batch-issue certificates

ACTIONS = (
    VIEW_LEARNERS,
    REVEAL_PERSONAL_DATA,
    IMPORT_LEARNERS,
    EXPORT,
    VIEW_AUDIT,
    VIEW_SUSPICIOUS_IPS,
    VIEW_FACE_CHECKS,
    VIEW_FACE_IMAGES,
    MANAGE_FACE,
    VIEW_STATUS,
    EDIT_QUESTION_BANK,
    VIEW_STATISTICS,
    MANAGE_SCOPES,
    MANAGE_CERTIFICATES,
)
#: Full views of personal data: granted to the groups of ``roles.full_view_groups()`` only, so the
#: existing setting ``XUESHI_PERSONAL_DATA_FULL_VIEW_GROUPS`` keeps deciding who may see them.
FULL_VIEW_ACTIONS = frozenset({REVEAL_PERSONAL_DATA, VIEW_FACE_IMAGES})
_READ_LEARNERS = frozenset({VIEW_LEARNERS, EXPORT, VIEW_STATISTICS})
#: Supervisors watch for proxy study in their regions (需求 002: 可疑IP统计), on masked IPs.
_SUPERVISE = _READ_LEARNERS | {VIEW_SUSPICIOUS_IPS}

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    roles.OPERATOR: frozenset(ACTIONS),
    # Reads everything, changes nothing: no import, no reset, no authoring.
    roles.AUDITOR: _READ_LEARNERS
    | {
        REVEAL_PERSONAL_DATA,
        VIEW_AUDIT,
        VIEW_SUSPICIOUS_IPS,
        VIEW_FACE_CHECKS,
        VIEW_FACE_IMAGES,
        VIEW_STATUS,
    },
    roles.SUPERVISOR_PROVINCE: _SUPERVISE,
    roles.SUPERVISOR_CITY: _SUPERVISE,
    roles.SUPERVISOR_COUNTY: _SUPERVISE,
    roles.EMPLOYER_CONTACT: _READ_LEARNERS,
}
#: What Django's own flags give without any Xueshi role (the system administrator's share).
STAFF_ACTIONS = frozenset({VIEW_STATUS, EDIT_QUESTION_BANK})
#: Roles that see every learner unless an ``AccountScope`` row binds the account.
NATIONWIDE_ROLES = (roles.OPERATOR, roles.AUDITOR)


def _active(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def _groups(user: Any) -> frozenset[str]:
    cached = getattr(user, "_xueshi_groups", None)
    if cached is None:
        cached = frozenset(user.groups.filter(name__in=ROLE_ACTIONS).values_list("name", flat=True))
        user._xueshi_groups = cached
    return cached


def actions_of(user: Any) -> frozenset[str]:
    """Every action the user's roles grant (empty for anonymous or inactive accounts)."""
    if not _active(user):
        return frozenset()
    full_view = set(roles.full_view_groups())
    granted: set[str] = set(STAFF_ACTIONS) if (user.is_staff or user.is_superuser) else set()
    for group in _groups(user):
        actions = ROLE_ACTIONS[group] - FULL_VIEW_ACTIONS
        granted |= actions | (FULL_VIEW_ACTIONS if group in full_view else set())
    return frozenset(granted)


def may(user: Any, action: str, course_key: Any = None) -> bool:
    """Whether ``user`` may do ``action``; with a course, its course team may edit its bank too.

    ``course_key`` only matters for ``COURSE_TEAM_ACTIONS``: the course's staff and instructors
    (the roles Studio's course team page grants) author that course's bank and hour settings.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if action in actions_of(user):
        return True
    if action in COURSE_TEAM_ACTIONS and course_key is not None and _active(user):
        from . import compat

        return bool(compat.is_course_staff(user, course_key))
    return False


def scope_of(user: Any) -> Scope:
    """The learners ``user`` may see (remembered on the user object for the request)."""
    if not _active(user):
        return NOBODY
    cached = getattr(user, "_xueshi_scope", None)
    if isinstance(cached, Scope):
        return cached
    from .models import AccountScope

    row = AccountScope.objects.filter(user_id=user.pk).first()
    if row is not None:
        scope = Scope(regions=parse_region_codes(row.region_codes), employers=parse_employers(row.employers))
    elif _groups(user) & set(NATIONWIDE_ROLES):
        scope = EVERYTHING
    else:
        scope = NOBODY
    user._xueshi_scope = scope
    return scope


def may_see_learner(user: Any, action: str, learner_id: int) -> bool:
    """``action`` is granted and the learner is in the user's scope."""
    return may(user, action) and scope_of(user).covers_user(learner_id)


def can_view_personal_data(user: Any) -> bool:
    """Whether ``user`` may see full (unmasked) personal data of learners in their scope."""
    return may(user, REVEAL_PERSONAL_DATA)


def is_platform_staff(user: Any) -> bool:
    """Accounts that work on the platform instead of studying: Django staff or any Xueshi role.

    They need no real-name profile and no face check (they earn no study time).
    """
    if not _active(user):
        return False
    return bool(user.is_staff or user.is_superuser or _groups(user))


def may_study(user: Any, course_key: Any) -> bool:
    """Whether ``user`` may study in the course: open a playback session, earn credit (ADR 0094).

    Learners must be enrolled (asked through ``compat.is_enrolled``, the platform's
    ``CourseEnrollment``), as the LMS's courseware requires; the course team and the platform's
    staff may preview without enrolling, as ``has_access(user, "staff", course)`` lets them.
    """
    if not _active(user):
        return False
    from . import compat

    if compat.is_enrolled(user, course_key):
        return True
    return bool(user.is_staff or user.is_superuser or compat.is_course_staff(user, course_key))


# -- study hours (xueshi_hours): appended so merges stay simple -----------------------------------
MANAGE_HOURS_RULES = "manage_hours_rules"  # list, edit (a new version), import and export hour rule sets
DECIDE_EXTERNAL_HOURS = "decide_external_hours"  # approve or reject learners' external hours (scope)
EDIT_COURSE_HOURS = "edit_course_hours"  # a course's declared hours and completion rule
ACTIONS += (MANAGE_HOURS_RULES, DECIDE_EXTERNAL_HOURS, EDIT_COURSE_HOURS)
ROLE_ACTIONS[roles.OPERATOR] = frozenset(ACTIONS)
#: Actions a course's own team holds over that course (``may(user, action, course_key)``).
COURSE_TEAM_ACTIONS = frozenset({EDIT_QUESTION_BANK, EDIT_COURSE_HOURS})

# -- payments (issue 17) -----------------------------------------------------------------------------
VIEW_ORDERS = "view_orders"  # the operator orders page, order details and the orders export
MANAGE_ORDERS = "manage_orders"  # confirm or reject bank transfers, refund, resolve orders needing attention

ACTIONS = (*ACTIONS, VIEW_ORDERS, MANAGE_ORDERS)
ROLE_ACTIONS[roles.OPERATOR] = frozenset(ACTIONS)
# The auditor reads the money trail too, and changes nothing.
ROLE_ACTIONS[roles.AUDITOR] = ROLE_ACTIONS[roles.AUDITOR] | {VIEW_ORDERS}

# -- e-invoices (issue 18) ---------------------------------------------------------------------------
VIEW_INVOICES = "view_invoices"  # the operator invoices page, search, xlsx export, the clerk's login
MANAGE_INVOICES = "manage_invoices"  # approve, retry and resend invoices, retry red-letter forms

ACTIONS = (*ACTIONS, VIEW_INVOICES, MANAGE_INVOICES)
ROLE_ACTIONS[roles.OPERATOR] = frozenset(ACTIONS)
ROLE_ACTIONS[roles.AUDITOR] = ROLE_ACTIONS[roles.AUDITOR] | {VIEW_INVOICES}

# -- learner services (issue 22): portal, ratings, Q&A and complaints --------------------------------
MANAGE_PORTAL = "manage_portal"  # edit news, training categories, recommendations, FAQ, service centre
MODERATE_RATINGS = "moderate_ratings"  # hide or restore learners' course ratings
ANSWER_TICKETS = "answer_tickets"  # read, answer and close learners' questions and complaints

ACTIONS = (*ACTIONS, MANAGE_PORTAL, MODERATE_RATINGS, ANSWER_TICKETS)
ROLE_ACTIONS[roles.OPERATOR] = frozenset(ACTIONS)

# -- course media (issue 24) -------------------------------------------------------------------------
MANAGE_MEDIA = "manage_media"  # upload to a course's video library, retry its transcoding jobs

ACTIONS = (*ACTIONS, MANAGE_MEDIA)
ROLE_ACTIONS[roles.OPERATOR] = frozenset(ACTIONS)
# A course's own team manages its video library, as it authors its question bank.
COURSE_TEAM_ACTIONS = COURSE_TEAM_ACTIONS | {MANAGE_MEDIA}

# -- notifications (issue 22) ------------------------------------------------------------------------
VIEW_NOTIFICATIONS = "view_notifications"  # the operator send log (masked addresses), filter by kind/state
MANAGE_NOTIFICATIONS = "manage_notifications"  # resend a failed or unconfirmed delivery

ACTIONS = (*ACTIONS, VIEW_NOTIFICATIONS, MANAGE_NOTIFICATIONS)
ROLE_ACTIONS[roles.OPERATOR] = frozenset(ACTIONS)
ROLE_ACTIONS[roles.AUDITOR] = ROLE_ACTIONS[roles.AUDITOR] | {VIEW_NOTIFICATIONS}

# -- provincial reporting (issue 21) ---------------------------------------------------------------
VIEW_REPORTING = "view_reporting"  # destinations, queue depth, failures, what was sent where per learner
MANAGE_REPORTING = "manage_reporting"  # re-drive, correct or drop dead-letter records

ACTIONS = (*ACTIONS, VIEW_REPORTING, MANAGE_REPORTING)
ROLE_ACTIONS[roles.OPERATOR] = frozenset(ACTIONS)
ROLE_ACTIONS[roles.AUDITOR] = ROLE_ACTIONS[roles.AUDITOR] | {VIEW_REPORTING}

# -- training projects (issue 20, xueshi_stats) --------------------------------------------------------
MANAGE_TRAINING_PROJECTS = "manage_training_projects"  # record, edit and approve training projects

ACTIONS = (*ACTIONS, MANAGE_TRAINING_PROJECTS)
ROLE_ACTIONS[roles.OPERATOR] = frozenset(ACTIONS)

# -- employer orders (issue 17) ------------------------------------------------------------------------
ORDER_FOR_STAFF = "order_for_staff"  # order and pay courses for a list of learners (the employer's staff)

ACTIONS = (*ACTIONS, ORDER_FOR_STAFF)
ROLE_ACTIONS[roles.OPERATOR] = frozenset(ACTIONS)
# The purchaser sees its own employers' learners (scope) masked, and may order for them.
ROLE_ACTIONS[roles.EMPLOYER_PURCHASER] = frozenset({ORDER_FOR_STAFF})

# -- questionnaires (issue 22, xueshi_services) -------------------------------------------------------
MANAGE_QUESTIONNAIRES = (
    "manage_questionnaires"  # build, publish and close questionnaires (own, or all: operators)
)
VIEW_QUESTIONNAIRE_RESULTS = (
    "view_questionnaire_results"  # results and xlsx export, answers of the scope only
)

ACTIONS = (*ACTIONS, MANAGE_QUESTIONNAIRES, VIEW_QUESTIONNAIRE_RESULTS)
ROLE_ACTIONS[roles.OPERATOR] = frozenset(ACTIONS)
# Supervisors survey the learners of their regions (需求 003) and read the answers of their scope.
for _group in roles.SUPERVISOR_GROUPS:
    ROLE_ACTIONS[_group] = ROLE_ACTIONS[_group] | {MANAGE_QUESTIONNAIRES, VIEW_QUESTIONNAIRE_RESULTS}
ROLE_ACTIONS[roles.AUDITOR] = ROLE_ACTIONS[roles.AUDITOR] | {VIEW_QUESTIONNAIRE_RESULTS}
del _group
