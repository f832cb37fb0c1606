"""The platform's registers and class approvals: ``POST /register/<name>``, ``/classes``, ``/classes/status``.

Questions are signed like pushes (``Platform.verified``) and carry a ``request_id`` the signed
answer echoes. Register answers come from the controls (``register_answers`` by
``<register>:<id number>`` or ID number, else ``register_default``; ``timeout`` hangs past the
client's timeout, ``register_timeout`` does so for the next N questions). A declared class gets
``class_decision`` at once (``pending`` by default) and is decided later with
``POST /sandbox/classes/<id>`` ``{"decision": "approved"|"rejected", "reason": …}``.
"""

from __future__ import annotations

import html
import json
import time
from typing import Any
from urllib.parse import parse_qsl

from .platform import Platform

REGISTERS = ("learner", "accountant")
ANSWERS = ("match", "mismatch", "not_found")
Reply = tuple[int, dict[str, str], bytes] | None


def register(platform: Platform, name: str, headers: Any, body: bytes) -> Reply:
    """One register question: a signed ``{result, detail}`` (or no answer, when told to hang)."""
    status, error, doc = platform.verified(headers, body)
    if not isinstance(doc, dict) or not isinstance(doc.get("request_id"), str):
        return platform.signed({"error": error or "no request_id"}, status if status != 200 else 400)
    id_number = str(doc.get("id_number", ""))
    if name not in REGISTERS or not id_number or not str(doc.get("real_name", "")):
        return platform.signed(
            {"request_id": doc["request_id"], "error": "unknown register or no name/ID"}, 400
        )
    with platform.lock:
        c = platform.controls
        answer = (
            c.register_answers.get(f"{name}:{id_number}")
            or c.register_answers.get(id_number)
            or c.register_default
        )
    hang = platform.take("register_timeout") or answer == "timeout"
    platform.checks.append(
        {
            "at": time.strftime("%H:%M:%S"),
            "register": name,
            "name": str(doc["real_name"]),
            "answer": "hung" if hang else answer,
        }
    )
    if hang:
        time.sleep(platform.controls.hang)
        return None
    result: dict[str, Any] = {
        "request_id": doc["request_id"],
        "result": answer if answer in ANSWERS else "not_found",
    }
    if name == "accountant" and answer == "match":
        result["entry"] = {"certificate_no": f"KJ{id_number[-8:]}", "status": "valid"}
    return platform.signed(result)


def declare(platform: Platform, headers: Any, body: bytes) -> Reply:
    """A class declared: stored under a new number, answered with its (perhaps immediate) decision."""
    status, error, doc = platform.verified(headers, body)
    if not isinstance(doc, dict) or not isinstance(doc.get("request_id"), str):
        return platform.signed({"error": error or "no request_id"}, status if status != 200 else 400)
    klass = doc.get("class")
    if not isinstance(klass, dict) or not isinstance(klass.get("learners"), list) or not klass["learners"]:
        return platform.signed({"request_id": doc["request_id"], "error": "a class needs learners"}, 400)
    with platform.lock:
        number = f"BJ{len(platform.classes) + 1:06d}"
        decision = platform.controls.class_decision
        platform.classes[number] = {"class": klass, "status": decision, "reason": ""}
    return platform.signed({"request_id": doc["request_id"], "class_id": number, "status": decision})


def class_status(platform: Platform, headers: Any, body: bytes) -> Reply:
    """Where a declared class stands: pending, approved or rejected (with the reason)."""
    status, error, doc = platform.verified(headers, body)
    if not isinstance(doc, dict) or not isinstance(doc.get("request_id"), str):
        return platform.signed({"error": error or "no request_id"}, status if status != 200 else 400)
    with platform.lock:
        found = platform.classes.get(str(doc.get("class_id", "")))
    if found is None:
        return platform.signed({"request_id": doc["request_id"], "error": "no such class"}, 404)
    return platform.signed(
        {"request_id": doc["request_id"], "status": found["status"], "reason": found["reason"]}
    )


def decide(platform: Platform, number: str, changes: dict[str, Any]) -> bool:
    """The authority's decision on a class (the sandbox page's buttons, tests)."""
    decision = str(changes.get("decision", ""))
    with platform.lock:
        found = platform.classes.get(number)
        if found is None or decision not in ("approved", "rejected", "pending"):
            return False
        found["status"], found["reason"] = decision, str(changes.get("reason", ""))[:200]
    return True


def form_or_json(body: bytes, form: bool) -> dict[str, Any]:
    """A decision from the page's form or a test's JSON."""
    value = dict(parse_qsl(body.decode())) if form else json.loads(body or b"{}")
    if not isinstance(value, dict):
        raise ValueError("not an object")
    return value


def _buttons(number: str) -> str:
    return "".join(
        f"<form method=post action='/sandbox/classes/{number}' style='display:inline'>"
        f"<input type=hidden name=decision value={d}><input name=reason placeholder='原因' size=8>"
        f"<button>{label}</button></form>"
        for d, label in (("approved", "批准"), ("rejected", "不批准"))
    )


def page_sections(platform: Platform) -> str:
    """The register questions and the declared classes, for the sandbox page."""
    with platform.lock:
        checks = "".join(
            f"<tr><td>{c['at']}</td><td>{c['register']}</td><td>{html.escape(c['name'])}</td>"
            f"<td>{c['answer']}</td></tr>"
            for c in reversed(platform.checks[-100:])
        )
        classes = "".join(
            f"<tr data-class='{n}'><td>{n}</td><td>{html.escape(str(k['class'].get('name', '')))}</td>"
            f"<td>{len(k['class'].get('learners', []))}</td><td>{k['status']}</td>"
            f"<td>{html.escape(k['reason'])}</td><td>{_buttons(n)}</td></tr>"
            for n, k in platform.classes.items()
        )
    return (
        "<h2>核验（实名、会计人员）</h2><table border=1 id=checks><tr><th>时间</th><th>登记库</th>"
        f"<th>姓名</th><th>答复</th></tr>{checks}</table><h2>培训班备案</h2>"
        "<p>审批：POST /sandbox/classes/&lt;编号&gt; "
        '{"decision":"approved"|"rejected","reason":…}</p><table border=1 id=classes>'
        f"<tr><th>编号</th><th>班级</th><th>人数</th><th>状态</th><th>原因</th></tr>{classes}</table>"
    )
