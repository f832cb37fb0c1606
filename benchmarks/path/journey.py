"""One learner's evening on the platform, as a locust user: sign in, study, answer, practise, sit an exam.

Why this mix (docs/performance.md, "The whole learner path"): a continuing-education learner signs
in after work, opens the course, watches one or two lessons through (the heartbeat is most of the
requests), meets a quiz checkpoint, answers the "still there?" prompt, does a short practice set,
sometimes sits the mock exam, and looks at their hours before signing out. Think times between
pages are a person's (seconds to read a page), scaled by ``think_scale`` so a run compresses an
evening; the ledger runs on the benchmark's fast clock, so heartbeats keep their 30 server seconds.

Every request is named by what it is (``unit page (video)``, ``heartbeat``...), so the report gives
figures per page and per API. A reply that the real player treats as normal (a refused exam start
after the last attempt, an anti-idle prompt answered late) counts as a success; anything else a
real browser would show as an error counts as a failure.
"""

from __future__ import annotations

import itertools
import json
import random
import re
import uuid
from typing import Any

import gevent
from locust import FastHttpUser, constant, task

CONFIG: dict[str, Any] = {}
_ACCOUNTS: dict[str, Any] = {}
#: Evenings finished, from the sign-in form to signing out (the smoke waits for one per learner).
FINISHED = {"evenings": 0}
ASSET = re.compile(r"""(?:src|href)=["']((?:/static/|/xblock/resource/)[^"']+)["']""")
HEARTBEATS = "/api/xueshi/studytime/v1/heartbeats"
ANSWER = "/api/xueshi/studytime/v1/challenges/answer"


def next_account() -> dict[str, str]:
    """The next prepared account (round robin: a returning learner after the pool is used up)."""
    if "cycle" not in _ACCOUNTS:
        _ACCOUNTS["cycle"] = itertools.cycle(CONFIG["accounts"])
    return dict(next(_ACCOUNTS["cycle"]))


class PathLearner(FastHttpUser):
    """A learner's browser: its own cookies, a browser cache for static assets, one evening per task."""

    wait_time = constant(0)
    network_timeout = 60.0
    connection_timeout = 10.0

    def on_start(self) -> None:
        """A random generator per user, so runs with the same seed repeat."""
        self.rng = random.Random(CONFIG.get("seed", 7) * 1_000_003 + id(self) % 1_000_003)
        self.cached: set[str] = set()
        self.read_code = None
        if CONFIG.get("challenge_key"):
            from functools import partial

            from xueshi_studytime.challenges import code_under

            self.read_code = partial(code_under, bytes.fromhex(CONFIG["challenge_key"]))

    # -- helpers -------------------------------------------------------------------------------
    def think(self, low: float, high: float) -> None:
        """A person reading the page for ``low``–``high`` seconds (scaled)."""
        gevent.sleep(self.rng.uniform(low, high) * float(CONFIG.get("think_scale", 1.0)))

    def csrf(self) -> str:
        for cookie in self.client.cookiejar:
            if cookie.name == "csrftoken":
                return str(cookie.value)
        return ""

    def page(self, path: str, name: str) -> str:
        """GET a page (and, the first time, the assets it links, as a browser with a cache)."""
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
                return ""
            text = response.text or ""
        for asset in ASSET.findall(text):
            if asset not in self.cached:
                self.cached.add(asset)
                kind = "static file" if asset.startswith("/static/") else "XBlock resource"
                self.client.get(asset, name=kind)
        return text

    def post(
        self, path: str, body: dict[str, Any], name: str, ok: tuple[int, ...] = (200,)
    ) -> dict[str, Any]:
        """POST JSON as the player does; statuses in ``ok`` count as success."""
        headers = {"X-CSRFToken": self.csrf(), "Content-Type": "application/json"}
        with self.client.post(
            path, data=json.dumps(body), headers=headers, name=name, catch_response=True
        ) as r:
            try:
                data = json.loads(r.text or "{}")
            except ValueError:
                data = {}
            if r.status_code not in ok:
                r.failure(f"{r.status_code} {str(data.get('error') or data.get('reason') or '')[:80]}")
            else:
                r.success()
            data["_status"] = r.status_code
            return data if isinstance(data, dict) else {"_status": r.status_code}

    def handler(self, usage: str, name: str) -> str:
        return f"/courses/{CONFIG['course']}/xblock/{usage}/handler/{name}"

    # -- the evening -----------------------------------------------------------------------------
    @task
    def evening(self) -> None:
        """One learner, from the sign-in form to signing out."""
        account = next_account()
        self.client.cookiejar.clear()
        if not self.sign_in(account):
            self.think(5, 10)
            return
        self.page("/", "dashboard")
        self.think(3, 8)
        self.page(f"/courses/{CONFIG['course']}/", "course page")
        self.think(3, 8)
        self.checkpoint_lesson()
        for usage in CONFIG["study_videos"]:
            self.study(usage, int(CONFIG.get("beats_per_video", 4)))
            self.think(3, 10)
        self.practice()
        if self.rng.random() < float(CONFIG.get("exam_share", 0.5)):
            self.exam()
        for path, name in (("/xueshi/hours/", "my hours"), ("/xueshi/hours/archive/", "learning archive")):
            self.page(path, name)
            self.think(3, 8)
        self.page("/xueshi/certificates/", "my certificates")
        self.think(2, 5)
        self.client.post("/logout/", data={"csrfmiddlewaretoken": self.csrf()}, name="sign-out")
        FINISHED["evenings"] += 1

    def sign_in(self, account: dict[str, str]) -> bool:
        """The login form: GET for the CSRF cookie, POST the password (PBKDF2, one device, audit)."""
        self.client.get("/login/", name="sign-in form")
        self.think(3, 8)
        form = {"csrfmiddlewaretoken": self.csrf(), "next": "/", **account}
        with self.client.post(
            "/login/", data=form, name="sign-in", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                response.failure(f"{response.status_code}")
                return False
        return True

    def open_video(self, usage: str) -> dict[str, Any]:
        self.page(f"/xblock/{usage}", "unit page (video)")
        opened = self.post(self.handler(usage, "open_session"), {"client": "web"}, "open_session")
        sources = opened.get("sources") or []
        if sources:  # the player's first range request (the media server's cost, on this server)
            self.client.get(sources[0]["url"], headers={"Range": "bytes=0-262143"}, name="media (range)")
        return opened

    def beat(self, state: dict[str, Any], event: str, position: float) -> dict[str, Any]:
        state["seq"] += 1
        body = {
            "token": state["token"],
            "seq": state["seq"],
            "position": round(position, 3),
            "playing": event not in ("pause", "ended"),
            "visible": True,
            "rate": 1.0,
            "event": event,
        }
        reply = self.post(HEARTBEATS, body, "heartbeat")
        challenge = (reply.get("challenge") or {}).get("id")
        if challenge and self.read_code is not None:
            self.think(3, 12)
            answer = {"token": state["token"], "challenge_id": challenge, "code": self.read_code(challenge)}
            self.post(ANSWER, answer, "still there? answer", ok=(200, 400))
        return reply

    def play(self, opened: dict[str, Any], until: float, beats: int) -> float:
        """Play from the resume point, one beat per interval on the server clock, up to ``until``."""
        state = {"token": opened["token"], "seq": 0}
        interval = float(opened.get("heartbeat_seconds") or 30.0)
        position = float(opened.get("resume_position") or 0.0)
        duration = float(opened.get("duration") or until)
        self.beat(state, "play", position)
        for _ in range(beats):
            gevent.sleep(interval / float(CONFIG.get("clock_factor", 1.0)))
            position = min(position + interval, until, duration)
            ended = position >= duration - 1e-3
            reply = self.beat(state, "ended" if ended else "tick", position)
            position = float(reply.get("position", position))
            if ended or reply.get("stop") or reply.get("_status") != 200 or position >= until:
                break
        return position

    def checkpoint_lesson(self) -> None:
        """Watch up to the first quiz checkpoint, read the question, answer it (the right option)."""
        usage = CONFIG["checkpoint_video"]
        checkpoint_id, at, right = CONFIG["checkpoint"]
        opened = self.open_video(usage)
        if "token" not in opened:
            return
        # Up to four beats: a beat that waited in a queue is clipped to the server's own clock
        # (it credits at most the time between arrivals), so the player beats again until the
        # server has seen the checkpoint's position, as the real player does before answering.
        self.play(opened, float(at), 4)
        question = self.post(
            self.handler(usage, "checkpoint_question"),
            {"checkpoint_id": checkpoint_id},
            "checkpoint question",
            ok=(200, 409),
        )
        options = ((question.get("question") or {}).get("options")) or []
        key = next((o["key"] for o in options if o.get("text") == right), None)
        if key is None:
            return
        self.think(5, 15)
        body = {"checkpoint_id": checkpoint_id, "attempt_id": uuid.uuid4().hex, "answer": key}
        self.post(self.handler(usage, "answer_checkpoint"), body, "checkpoint answer")

    def study(self, usage: str, beats: int) -> None:
        opened = self.open_video(usage)
        if "token" in opened:
            self.play(opened, float(opened.get("duration") or 0.0), beats)

    @staticmethod
    def choose(view: dict[str, Any], rng: random.Random) -> Any:
        """A learner's pick: one option, some options, or words in the blanks."""
        options = [o["key"] for o in view.get("options") or []]
        kind = view.get("type")
        if kind == "multiple" and options:
            return sorted(rng.sample(options, k=min(2, len(options))))
        if options:
            return rng.choice(options)
        return ["安全"] * max(1, int(view.get("blank_count") or 1))

    def practice(self) -> None:
        usage = CONFIG["practice"]
        self.page(f"/xblock/{usage}", "unit page (practice)")
        self.post(self.handler(usage, "state"), {}, "practice: state")
        started = self.post(self.handler(usage, "start"), {}, "practice: start")
        questions = ((started.get("round") or {}).get("questions")) or []
        round_id = (started.get("round") or {}).get("id")
        for item in questions[: int(CONFIG.get("practice_answers", 5))]:
            self.think(5, 20)
            view = item.get("view") or {}
            body = {
                "round_id": round_id,
                "version_id": view.get("version_id"),
                "answer": self.choose(view, self.rng),
            }
            self.post(self.handler(usage, "answer"), body, "practice: answer", ok=(200, 409))

    def exam(self) -> None:
        usage = CONFIG["exam"]
        self.page(f"/xblock/{usage}", "unit page (exam)")
        started = self.post(self.handler(usage, "start"), {}, "exam: start", ok=(200, 409))
        round_ = started.get("round") or {}
        if started.get("_status") != 200 or not round_.get("questions"):
            return
        answers = {}
        for item in round_["questions"][: int(CONFIG.get("exam_answers", 5))]:
            self.think(5, 20)
            view = item.get("view") or {}
            answer = self.choose(view, self.rng)
            answers[str(view.get("version_id"))] = answer
            body = {"round_id": round_["id"], "version_id": view.get("version_id"), "answer": answer}
            self.post(self.handler(usage, "save_answer"), body, "exam: save answer", ok=(200, 409))
        self.think(3, 10)
        self.post(
            self.handler(usage, "submit"),
            {"round_id": round_["id"], "answers": answers},
            "exam: submit",
            ok=(200, 409),
        )
