"""The only module of ``xueshi_identity`` that imports edx-platform, always lazily inside a function.

Written against Verawood (``release/verawood.1``). The sandbox and tests route these calls to
``settings.XUESHI_PLATFORM_SHIM`` (``sandbox.platform``) through ``xueshi_core.shim``.
"""

from __future__ import annotations

import secrets

from xueshi_core.shim import platform_function


@platform_function
def create_learner(username: str, email: str, full_name: str, password: str | None) -> int:
    """Create an active LMS account the way registration does; return its user id.

    Wraps ``common/djangoapps/student/helpers.py`` ``do_create_account`` with
    ``openedx/core/djangoapps/user_authn/views/registration_form.py`` ``AccountCreationForm``
    (User + UserProfile + Registration). Without a password the account gets an unusable one:
    the learner sets theirs with "forgot password".
    """
    from common.djangoapps.student.helpers import do_create_account
    from openedx.core.djangoapps.user_authn.views.registration_form import AccountCreationForm

    form = AccountCreationForm(
        data={
            "username": username,
            "email": email,
            "name": full_name,
            "password": password or secrets.token_urlsafe(24),
        },
        tos_required=False,
    )
    user, _profile, _registration = do_create_account(form)
    if not password:
        user.set_unusable_password()
    user.is_active = True
    user.save()
    return int(user.pk)
