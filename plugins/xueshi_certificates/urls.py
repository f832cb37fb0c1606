"""URLs of ``xueshi_certificates``: learner and staff pages, public verification, keys and status lists.

Public paths (no sign-in) are under ``/xueshi/certificates/verify/``, ``.well-known/``, ``issuer``
and ``revocations``; staff paths under ``/xueshi/certificates/staff/`` (permission tests find
them by that word).
"""

from captcha.views import captcha_image
from django.urls import path, re_path

from . import learner_views, public_views, staff_views

app_name = "xueshi_certificates"

_SERIAL = "<str:serial>"

urlpatterns = [
    path("xueshi/certificates/", learner_views.my_certificates, name="mine"),
    path("xueshi/certificates/claim/", learner_views.claim, name="claim"),
    path("xueshi/certificates/claim/course/", learner_views.claim_course, name="claim-course"),
    path(f"xueshi/certificates/mine/{_SERIAL}.pdf", learner_views.download_pdf, name="download"),
    path(f"xueshi/certificates/mine/{_SERIAL}.jwt", learner_views.credential_file, name="credential"),
    path("xueshi/certificates/verify/", public_views.verify_home, name="verify"),
    path("xueshi/certificates/verify/person/", public_views.verify_person, name="verify-person"),
    # The look-up's captcha picture (django-simple-captcha's view, ADR 0182).
    re_path(
        r"^xueshi/certificates/verify/captcha/(?P<key>\w+)/$",
        captcha_image,
        {"scale": 1},
        name="captcha-image",
    ),
    path(
        "xueshi/certificates/verify/credential/",
        public_views.verify_credential_page,
        name="verify-credential",
    ),
    path(
        f"xueshi/certificates/verify/{_SERIAL}/<str:check_code>/",
        public_views.verify_code,
        name="verify-code",
    ),
    path("xueshi/certificates/.well-known/jwks.json", public_views.jwks, name="jwks"),
    path("xueshi/certificates/issuer", public_views.issuer_profile, name="issuer"),
    path("xueshi/certificates/revocations/<int:list_id>", public_views.status_list, name="status-list"),
    path("api/xueshi/certificates/v1/verify", public_views.verify_credential_api, name="api-verify"),
    path("xueshi/certificates/staff/", staff_views.staff_list, name="staff-list"),
    path(f"xueshi/certificates/staff/{_SERIAL}/revoke/", staff_views.staff_revoke, name="staff-revoke"),
    path("xueshi/certificates/staff/batches/", staff_views.staff_batch_start, name="staff-batch-start"),
    path(
        "xueshi/certificates/staff/batches/<int:batch_id>/",
        staff_views.staff_batch_status,
        name="staff-batch",
    ),
]
