"""Stand-in for ``openedx/core/djangoapps/user_api/preferences/api.py``: read and write a preference.

Same names and signatures as Verawood's functions, over the sandbox's ``user_api_userpreference``
table (``sandbox.lms.models.UserPreference``). Like the platform, a user reads and writes their
own preferences; another account's only as staff.
"""

from sandbox.lms.models import UserPreference


class UserNotAuthorized(Exception):
    """The requesting user may not read or change that account's preferences."""


def _owner(requesting_user, username):
    if username is None or username == requesting_user.username:
        return requesting_user
    if not requesting_user.is_staff:
        raise UserNotAuthorized()
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def get_user_preference(requesting_user, preference_key, username=None):
    """The value of the preference, or None."""
    user = _owner(requesting_user, username)
    row = UserPreference.objects.filter(user=user, key=preference_key).first()
    return row.value if row else None


def set_user_preference(requesting_user, preference_key, preference_value, username=None):
    """Create or change one preference."""
    user = _owner(requesting_user, username)
    UserPreference.objects.update_or_create(
        user=user, key=preference_key, defaults={"value": preference_value}
    )


def delete_user_preference(requesting_user, preference_key, username=None):
    """Delete one preference; True if there was one."""
    user = _owner(requesting_user, username)
    return bool(UserPreference.objects.filter(user=user, key=preference_key).delete()[0])
