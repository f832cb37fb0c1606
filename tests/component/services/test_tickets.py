"""Q&A and complaints: states, answer deadlines and overdue counts, signals, counts per period, bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from xueshi_core.days import china_day
from xueshi_services import api, signals
from xueshi_services.models import Ticket

from ..permkit import account, signed_in
from .conftest import COURSE

pytestmark = pytest.mark.django_db(transaction=True)


def _ask(
    client, kind: str = "question", subject: str = "视频无法播放", body: str = "第三章打不开", **extra
) -> Ticket:
    response = client.post(
        "/xueshi/services/help/", {"kind": kind, "subject": subject, "body": body, **extra}
    )
    assert response.status_code == 302, response.content[:300]
    return Ticket.objects.get(serial=response["Location"].rstrip("/").rsplit("/", 1)[-1])


@pytest.fixture
def heard() -> dict[str, list]:
    events: dict[str, list] = {"created": [], "answered": [], "moved": []}
    pairs = [
        (signals.TICKET_CREATED, "created"),
        (signals.TICKET_ANSWERED, "answered"),
        (signals.TICKET_STATE_CHANGED, "moved"),
    ]
    for signal, name in pairs:
        signal.connect(
            lambda event, _n=name, **kw: events[_n].append(event), weak=False, dispatch_uid=f"t-{name}"
        )
    yield events
    for signal, name in pairs:
        signal.disconnect(dispatch_uid=f"t-{name}")


def test_a_question_is_answered_followed_up_and_closed(course: str, operator: User, heard: dict) -> None:
    learner = account("tiwen")
    mine, staff = signed_in(learner), signed_in(operator)
    ticket = _ask(mine, course_key=COURSE)
    assert (ticket.state, ticket.course_key) == ("open", COURSE)
    assert timedelta(hours=23) < ticket.due_at - timezone.now() <= timedelta(hours=24)
    url = f"/xueshi/services/staff/tickets/{ticket.serial}/"
    assert staff.post(url, {"body": "请清除浏览器缓存后重试。"}).status_code == 302
    ticket.refresh_from_db()
    assert ticket.state == "answered" and ticket.first_answered_at is not None
    page = mine.get(f"/xueshi/services/help/{ticket.serial}/").content.decode()
    assert "请清除浏览器缓存后重试。" in page and 'data-state="answered"' in page
    assert mine.post(f"/xueshi/services/help/{ticket.serial}/", {"body": "还是不行"}).status_code == 302
    ticket.refresh_from_db()
    assert ticket.state == "open"  # staff's turn again, with a fresh clock
    assert mine.post(f"/xueshi/services/help/{ticket.serial}/", {"action": "close"}).status_code == 302
    ticket.refresh_from_db()
    assert ticket.state == "closed"
    assert staff.post(url, {"body": "补充"}).status_code == 409  # nothing is added to a closed ticket
    assert ticket.messages.count() == 3
    assert [e.serial for e in heard["created"]] == [ticket.serial]
    assert [(e.user_id, e.subject) for e in heard["answered"]] == [(learner.pk, "视频无法播放")]
    assert [(e.old_state, e.new_state) for e in heard["moved"]] == [
        ("open", "answered"),
        ("answered", "open"),
        ("open", "closed"),
    ]


def test_others_cannot_read_or_touch_a_learners_ticket(course: str) -> None:
    owner, other = account("zhuren"), account("pangren")
    ticket = _ask(signed_in(owner))
    snoop = signed_in(other)
    assert snoop.get(f"/xueshi/services/help/{ticket.serial}/").status_code == 404
    assert snoop.post(f"/xueshi/services/help/{ticket.serial}/", {"body": "x"}).status_code == 404
    assert snoop.get(f"/xueshi/services/staff/tickets/{ticket.serial}/").status_code == 403
    assert snoop.get("/xueshi/services/staff/tickets/").status_code == 403
    assert ticket.messages.count() == 1


def test_bad_input_is_a_clear_4xx_and_nothing_is_stored(course: str, operator: User) -> None:
    client = signed_in(account("cuowu"))
    post = lambda data: client.post("/xueshi/services/help/", data)  # noqa: E731
    assert post({"kind": "praise", "subject": "s", "body": "b"}).status_code == 400
    assert post({"kind": "question", "subject": "", "body": "b"}).status_code == 400
    assert post({"kind": "question", "subject": "s", "body": "  "}).status_code == 400
    assert post({"kind": "question", "subject": "长" * 201, "body": "b"}).status_code == 400
    assert (
        post({"kind": "question", "subject": "s", "body": "b", "course_key": "nonsense"}).status_code == 400
    )
    assert post({"kind": "question", "subject": "s\x00", "body": "b"}).status_code == 400
    assert not Ticket.objects.exists()
    staff = signed_in(operator)
    assert staff.get("/xueshi/services/staff/tickets/NOPE/").status_code == 404
    assert staff.get("/xueshi/services/staff/tickets/counts/?period=decade").status_code == 400
    assert staff.get("/xueshi/services/staff/tickets/counts/?year=99999999999999999999").status_code == 400
    complaint = _ask(client, kind="complaint", subject="客服态度", body="电话无人接听")
    url = f"/xueshi/services/staff/tickets/{complaint.serial}/"
    assert staff.post(url, {"state": "answered"}).status_code == 409  # a question's state
    assert staff.post(url, {"state": "closed!"}).status_code == 400


def test_overdue_tickets_lead_the_desk_and_complaints_are_counted_per_period(
    course: str, operator: User, settings
) -> None:
    settings.XUESHI_SERVICES_MAX_OPEN_TICKETS = 3
    learner = signed_in(account("tousu"))
    late_q = _ask(learner, subject="迟迟未答")
    fresh_q = _ask(learner, subject="刚刚提问")
    complaint = _ask(learner, kind="complaint", subject="证书未发放", body="已学完两周")
    assert (
        learner.post("/xueshi/services/help/", {"kind": "question", "subject": "s", "body": "b"}).status_code
        == 429
    )
    Ticket.objects.filter(pk__in=[late_q.pk, complaint.pk]).update(due_at=timezone.now() - timedelta(hours=1))
    staff = signed_in(operator)
    desk = staff.get("/xueshi/services/staff/tickets/").content.decode()
    rows = [s for s in (late_q.serial, complaint.serial, fresh_q.serial) if s in desk]
    assert len(rows) == 3 and desk.index(fresh_q.serial) > max(
        desk.index(late_q.serial), desk.index(complaint.serial)
    )
    assert desk.count('data-overdue="1"') == 2 and 'id="overdue-count"' in desk
    today = china_day(timezone.now())
    counts = api.ticket_counts("complaint", today, today)
    assert (counts.total, counts.by_state["received"], counts.overdue) == (1, 1, 1)
    url = f"/xueshi/services/staff/tickets/{complaint.serial}/"
    assert staff.post(url, {"body": "已核实，证书已补发。", "state": "resolved"}).status_code == 302
    counts = api.ticket_counts("complaint", today, today)
    assert (counts.total, counts.by_state["resolved"], counts.by_state["received"], counts.overdue) == (
        1,
        1,
        0,
        0,
    )
    assert api.ticket_counts("question", today, today).overdue == 1
    assert api.ticket_counts("complaint", today - timedelta(days=40), today - timedelta(days=35)).total == 0
    page = staff.get(
        f"/xueshi/services/staff/tickets/counts/?year={today.year}&period=quarter"
    ).content.decode()
    quarter = f"{today.year} Q{(today.month - 1) // 3 + 1}"
    assert f'data-period="{quarter}"' in page and page.count("<tr data-period=") == 4
