"""Employer (单位) orders: the row rules, one order for the accepted rows, a masked per-row report,
and each learner enrolled exactly once when the order is paid, whoever races to enrol (ADR 0166)."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from sandbox.lms.models import Enrollment
from tests.component.permkit import account, learner_in, signed_in
from xueshi_core import roles
from xueshi_identity.importing import COLUMNS
from xueshi_identity.models import IdentityProfile
from xueshi_identity.testing import make_resident_id, with_wrong_check_digit
from xueshi_payments import enrolment, states, transfers
from xueshi_payments.employer_models import EmployerUpload
from xueshi_payments.models import Order, OrderLine

from .conftest import PAID_COURSE, order_for, race

pytestmark = pytest.mark.django_db(transaction=True)
EMPLOYER = "北京某单位"
REGION = ("110000", "110100", "110101")
NEW_URL = f"/xueshi/payments/employer/new/{PAID_COURSE}/"


def _row(n: int, **overrides: Any) -> list[Any]:
    values = {
        "username": f"staff{n}",
        "email": f"staff{n}@example.invalid",
        "password": "",
        "real_name": "单位学员",
        "id_type": "居民身份证",
        "id_number": make_resident_id("110101", "19850101", 800 + n),
        "phone": f"1390000{n:04d}",
        "province_code": "110000",
        "city_code": "",
        "county_code": "110101",
        "employer": EMPLOYER,
        "category": "会计人员",
    }
    values.update(overrides)
    return [values[key] for key, _header in COLUMNS]


def _id_only(number: str) -> list[Any]:
    return [number if key == "id_number" else None for key, _header in COLUMNS]


def workbook(rows: list[list[Any]]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append([h for _k, h in COLUMNS])
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return SimpleUploadedFile("staff.xlsx", out.getvalue())


def enrolments(user: Any) -> int:
    return Enrollment.objects.filter(user=user, course__course_key=PAID_COURSE, is_active=True).count()


@pytest.fixture
def purchaser(paid_course: str) -> Any:
    # Divisions and categories: a transactional (browser) test run earlier may have flushed the
    # rows the identity migration seeded, and the row rules check regions and categories.
    from xueshi_identity.divisions import ensure_reference_data

    ensure_reference_data()
    return account("hr_buyer", roles.EMPLOYER_PURCHASER, employers=EMPLOYER)


def number_of(profile: IdentityProfile) -> str:
    return str(IdentityProfile.objects.get(pk=profile.pk).id_number.reveal())


def test_row_rules_accept_known_and_new_learners_and_refuse_the_rest_with_reasons(purchaser: Any) -> None:
    known = learner_in("known", REGION, EMPLOYER, 901)
    elsewhere = learner_in("elsewhere", REGION, "别的单位", 902)
    paid = learner_in("paid_already", REGION, EMPLOYER, 903)
    earlier = order_for(paid.user, PAID_COURSE)
    Order.objects.filter(pk=earlier.pk).update(state=states.FULFILLED)
    new_number = make_resident_id("110101", "19850101", 811)
    rows = [
        _id_only(number_of(known)),  # row 2: accepted (existing account, ID columns only)
        _row(11),  # row 3: accepted, account created with its real name
        _id_only(with_wrong_check_digit(make_resident_id("110101", "19850101", 812))),  # 4: bad check digit
        _id_only(number_of(known)),  # row 5: duplicate of row 2
        _id_only(number_of(elsewhere)),  # row 6: not this employer's learner
        _id_only(number_of(paid)),  # row 7: already paid
        _row(13, employer="别的单位"),  # row 8: a new learner outside the purchaser's employers
        _id_only(make_resident_id("110101", "19850101", 814)),  # row 9: no account, no details
    ]
    response = signed_in(purchaser).post(
        NEW_URL, {"channel": "transfer", "workbook": workbook(rows)}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 302
    upload = EmployerUpload.objects.get()
    reasons = {r.row: r.reason for r in upload.rows.all()}
    assert reasons[2] == "" and reasons[3] == ""
    assert "check" in reasons[4].lower() or "校验" in reasons[4]
    assert "row 2" in reasons[5] and "employers" in reasons[6] and "already paid" in reasons[7]
    assert "别的单位" in reasons[8] and "no account" in reasons[9]
    assert (upload.accepted, upload.refused) == (2, 6)

    created = IdentityProfile.objects.get(
        id_number_hash=IdentityProfile.hash_id_number("resident_id", new_number)
    )
    assert created.real_name == "单位学员" and created.source == "import"
    order = upload.order
    assert order.payer == purchaser and order.amount_fen == 2 * 3000 and order.state == states.PENDING
    assert set(order.lines.values_list("learner_id", flat=True)) == {known.user_id, created.user_id}

    client = signed_in(purchaser)
    page = client.get(f"/xueshi/payments/employer/lists/{upload.pk}/").content.decode()
    report = client.get(f"/xueshi/payments/employer/lists/{upload.pk}/report.xlsx", HTTP_ACCEPT_LANGUAGE="en")
    sheet = load_workbook(BytesIO(report.content)).active
    cells = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [c[0] for c in cells] == list(range(2, 10))
    assert [c[3] for c in cells].count("accepted") == 2
    assert number_of(known) not in page and number_of(known) not in str(cells)  # masked everywhere


def test_typed_numbers_an_open_order_blocks_a_second_list_and_no_order_without_rows(purchaser: Any) -> None:
    known = learner_in("known2", REGION, EMPLOYER, 921)
    client = signed_in(purchaser)
    text = f"{number_of(known)}\n\n{make_resident_id('110101', '19850101', 922)}\n"
    client.post(NEW_URL, {"channel": "transfer", "id_numbers": text})
    first = EmployerUpload.objects.get()
    assert (first.accepted, first.refused) == (1, 1)
    assert [r.row for r in first.rows.all()] == [1, 3]

    response = client.post(
        NEW_URL, {"channel": "transfer", "id_numbers": number_of(known)}, HTTP_ACCEPT_LANGUAGE="en"
    )
    second = EmployerUpload.objects.exclude(pk=first.pk).get()
    assert second.order is None and first.order.order_no in second.rows.get().reason
    page = client.get(response["Location"])
    assert page.status_code == 200 and b"employer-no-order" in page.content
    assert Order.objects.count() == 1


def test_paying_the_order_enrols_each_learner_once_and_a_repeat_list_is_refused(purchaser: Any) -> None:
    staff = [learner_in(f"worker{i}", REGION, EMPLOYER, 930 + i) for i in range(4)]
    client = signed_in(purchaser)
    client.post(NEW_URL, {"channel": "transfer", "id_numbers": "\n".join(number_of(p) for p in staff)})
    order = EmployerUpload.objects.get().order
    operator = account("op", roles.OPERATOR)
    race(
        [lambda: transfers.confirm(order.order_no, operator)] * 2
        + [lambda: enrolment.enrol_order(order.order_no)] * 2
    )
    order.refresh_from_db()
    assert order.state == states.FULFILLED
    assert [enrolments(p.user) for p in staff] == [1] * 4 and enrolments(purchaser) == 0
    assert OrderLine.objects.filter(order=order, enrolled_at__isnull=False).count() == 4

    client.post(
        NEW_URL, {"channel": "transfer", "id_numbers": number_of(staff[0])}, HTTP_ACCEPT_LANGUAGE="en"
    )
    repeat = EmployerUpload.objects.order_by("-id").first()
    assert repeat.order is None and repeat.rows.get().reason == "already paid for this course"


def test_bad_input_is_a_clear_4xx_and_changes_nothing(purchaser: Any) -> None:
    client = signed_in(purchaser)
    not_xlsx = SimpleUploadedFile("staff.xlsx", b"not a workbook")
    assert client.post(NEW_URL, {"channel": "transfer", "workbook": not_xlsx}).status_code == 400
    assert client.post(NEW_URL, {"channel": "bitcoin", "id_numbers": "x"}).status_code == 400
    assert client.post(NEW_URL, {"channel": "transfer", "id_numbers": "  \n"}).status_code == 400
    bogus = "/xueshi/payments/employer/new/course-v1:No+Such+Run/"
    assert client.post(bogus, {"channel": "transfer", "id_numbers": "x"}).status_code == 404
    learner = account("plain_learner")
    assert signed_in(learner).get(NEW_URL).status_code == 403
    assert EmployerUpload.objects.count() == 0 and Order.objects.count() == 0

    client.post(NEW_URL, {"channel": "transfer", "id_numbers": make_resident_id("110101", "19850101", 941)})
    upload = EmployerUpload.objects.get()
    other = account("other_buyer", roles.EMPLOYER_PURCHASER, employers="别的单位")
    assert signed_in(other).get(f"/xueshi/payments/employer/lists/{upload.pk}/").status_code == 404
    assert signed_in(other).get(f"/xueshi/payments/employer/lists/{upload.pk}/report.xlsx").status_code == 404


def test_purchasers_listing_the_same_learners_at_once_make_one_open_order_for_them(purchaser: Any) -> None:
    others = [account(f"hr_buyer{n}", roles.EMPLOYER_PURCHASER, employers=EMPLOYER) for n in (2, 3, 4)]
    staff = [learner_in(f"shared{i}", REGION, EMPLOYER, 960 + i) for i in range(3)]
    numbers = "\n".join(number_of(p) for p in staff)

    def post_as(user: Any) -> int:
        return signed_in(user).post(NEW_URL, {"channel": "transfer", "id_numbers": numbers}).status_code

    buyers = [purchaser, *others]
    assert race([lambda user=user: post_as(user) for user in buyers]) == [302] * 4
    for profile in staff:  # each learner is in exactly one order awaiting payment, not two
        assert OrderLine.objects.filter(learner=profile.user, order__state__in=states.PAYABLE).count() == 1
    uploads = list(EmployerUpload.objects.order_by("pk"))
    assert sorted((u.accepted, u.refused) for u in uploads) == [(0, 3)] * 3 + [(3, 0)]
    assert Order.objects.count() == 1


def test_an_expired_employer_order_deactivates_only_the_untouched_accounts_it_created(
    purchaser: Any, free_course: str
) -> None:
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from xueshi_core import compat as core_compat
    from xueshi_payments import orders, tasks

    known = learner_in("known_exp", REGION, EMPLOYER, 941)
    rows = [_id_only(number_of(known))] + [_row(n) for n in (21, 22, 23)]
    signed_in(purchaser).post(NEW_URL, {"channel": "transfer", "workbook": workbook(rows)})
    order = EmployerUpload.objects.get().order
    users = get_user_model().objects
    signed, enrolled, untouched = (users.get(username=f"staff{n}") for n in (21, 22, 23))
    users.filter(pk=signed.pk).update(last_login=timezone.now())  # signed in once
    core_compat.enroll(enrolled, free_course)  # studies a free course

    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert tasks.sweep()["closed"] == 1
    active = dict(
        users.filter(pk__in=[known.user_id, signed.pk, enrolled.pk, untouched.pk]).values_list(
            "username", "is_active"
        )
    )
    assert active == {"known_exp": True, "staff21": True, "staff22": True, "staff23": False}
    row = EmployerUpload.objects.get().rows.get(learner=untouched)
    assert row.deactivated_at is not None and IdentityProfile.objects.filter(user=untouched).exists()  # kept
    order.refresh_from_db()
    assert order.state == states.CLOSED and "1 unused accounts" in order.transitions.last().reason

    with transaction.atomic():  # the money arrived after all; an operator accepts it
        locked = orders.locked(order.order_no)
        orders.transition(locked, states.ATTENTION, "money arrived for a closed order")
        orders.transition(locked, states.PAID, "an operator accepted the payment")
    assert (
        users.get(pk=untouched.pk).is_active and row.__class__.objects.get(pk=row.pk).deactivated_at is None
    )
