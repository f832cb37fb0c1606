"""The ``xueshi_practice`` XBlock: N questions drawn from the bank by tag, practice or a timed mock exam.

The browser is untrusted: it only ever receives question views (no answers, no explanations)
until an answer is submitted; every answer is judged and recorded by the question bank
(``xueshi_questionbank.api``); exam start times and deadlines are the server's, and the exam
grade is computed and published here from recorded judgements only.

Field names are stored in course OLX forever: never rename one; migrate values instead.
"""

from __future__ import annotations

from typing import Any

from xblock.completable import CompletableXBlockMixin
from xblock.core import XBlock
from xblock.fields import Boolean, Dict, Float, Integer, List, Scope, String

from xueshi_video.web import HandlerError, json_api

from . import logic, render
from .logic import EXAM, PRACTICE, SOURCE_WRONG_BOOK


def _(text: str) -> str:
    """Mark a string for extraction; it is translated where it is shown (``self.ugettext``)."""
    return text


@XBlock.needs("i18n")
@XBlock.wants("user")
class XueshiPracticeBlock(CompletableXBlockMixin, XBlock):
    """Practice with immediate feedback and a wrong-answer book, or a mock exam graded by the server."""

    has_score = True
    icon_class = "problem"
    # The global the compiled JS catalog defines (public/js/*.js read it; ADR 0081).
    i18n_js_namespace = "XueshiPracticeI18N"
    demo_order = 200  # the demo course shows the lessons first, then practice and the mock exam

    display_name = String(display_name=_("Title"), default="练习", scope=Scope.settings)
    mode = String(display_name=_("Mode"), default=PRACTICE, values=list(logic.MODES), scope=Scope.settings)
    trades = List(display_name=_("Trades (工种)"), default=[], scope=Scope.settings)
    knowledge_points = List(display_name=_("Knowledge points (知识点)"), default=[], scope=Scope.settings)
    difficulties = List(display_name=_("Difficulties (1-3)"), default=[], scope=Scope.settings)
    question_count = Integer(display_name=_("Number of questions"), default=10, scope=Scope.settings)
    time_limit_minutes = Integer(display_name=_("Time limit (minutes)"), default=30, scope=Scope.settings)
    pass_percent = Integer(display_name=_("Pass mark (%)"), default=60, scope=Scope.settings)
    max_attempts = Integer(display_name=_("Exam attempts (0 = unlimited)"), default=0, scope=Scope.settings)
    weight = Float(display_name=_("Grading weight"), default=1.0, scope=Scope.settings)
    show_explanations = Boolean(display_name=_("Show explanations"), default=True, scope=Scope.settings)

    current_round = Dict(default={}, scope=Scope.user_state)
    exam_attempts_used = Integer(default=0, scope=Scope.user_state)
    best_percent = Float(default=0.0, scope=Scope.user_state)

    # -- helpers ------------------------------------------------------------------------------
    def ugettext(self, text: str) -> str:
        """Translate with the block's ``text`` catalog."""
        return str(self.runtime.service(self, "i18n").gettext(text))

    def max_score(self) -> float:
        """Mock exams are graded by their weight; practice is not graded."""
        return float(self.weight) if self.mode == EXAM else 0.0

    def tags(self) -> dict[str, list[Any]]:
        """The author's tag filter for the bank."""
        return {
            "trade": list(self.trades),
            "knowledge_point": list(self.knowledge_points),
            "difficulty": [int(d) for d in self.difficulties],
        }

    @property
    def course_key(self) -> Any:
        """The course this block is in."""
        return self.scope_ids.usage_id.course_key

    def _user_id(self) -> int:
        service = self.runtime.service(self, "user")
        user_id = service.get_current_user().opt_attrs.get("edx-platform.user_id") if service else None
        if not user_id:
            raise HandlerError(403, "sign_in_required", self.ugettext("Sign in to practise."))
        return int(user_id)

    def _round(self, data: dict[str, Any]) -> dict[str, Any]:
        """The learner's own current round named by ``round_id`` (anything else is unknown)."""
        round_ = self.current_round
        if not round_ or data.get("round_id") != round_.get("id"):
            raise HandlerError(
                404, "unknown_round", self.ugettext("This set of questions is no longer open.")
            )
        return round_

    def _version_in(self, round_: dict[str, Any], data: dict[str, Any]) -> int:
        try:
            version_id = int(data.get("version_id"))
        except (TypeError, ValueError):
            version_id = -1
        if version_id not in round_["versions"]:
            raise HandlerError(
                404, "unknown_question", self.ugettext("This question is not in your current set.")
            )
        return version_id

    def round_payload(self, round_: dict[str, Any]) -> dict[str, Any]:
        """What the page may see of a round: views, and judgements only for answered questions."""
        from xueshi_questionbank import api as bank

        if not round_:
            return {}
        finished = logic.is_finished(round_)
        questions = []
        for vid in round_["versions"]:
            item: dict[str, Any] = {"view": bank.view(vid, round_["seed"]).as_dict()}
            key = str(vid)
            if key in round_["answers"]:
                item["answer"] = round_["answers"][key]
            if key in round_["results"] and (round_["kind"] != EXAM or finished):
                item["judgement"] = self._judgement(vid, round_["answers"].get(key))
            questions.append(item)
        payload = {
            "id": round_["id"],
            "kind": round_["kind"],
            "questions": questions,
            "finished": finished,
            "remaining_seconds": logic.remaining_seconds(round_, bank.now()),
        }
        if round_["kind"] == EXAM and finished:
            payload["score"] = logic.score(
                round_["results"], len(round_["versions"]), self.pass_percent
            ).as_dict()
            payload["late"] = bool(round_.get("late"))
        return payload

    def _judgement(self, version_id: int, answer: Any) -> dict[str, Any]:
        from xueshi_questionbank import api as bank

        try:
            judged = bank.judge_answer(version_id, answer).as_dict()
        except bank.InvalidAnswer:  # unanswered in an exam: wrong, and the key is shown after submission
            judged = bank.reveal(version_id).as_dict()
        if not self.show_explanations:
            judged["explanation"] = ""
        return judged

    def status(self, user_id: int) -> dict[str, Any]:
        """The learner's standing: the open round, attempts, best score, wrong-answer book size."""
        from xueshi_questionbank import api as bank

        self._close_overdue_exam(user_id)
        return {
            "mode": self.mode,
            "round": self.round_payload(self.current_round),
            "available": bank.count_available(self.course_key, self.tags()),
            "question_count": self.question_count,
            "time_limit_minutes": self.time_limit_minutes,
            "pass_percent": self.pass_percent,
            "attempts_left": logic.attempts_left(self.max_attempts, self.exam_attempts_used),
            "best_percent": round(self.best_percent, 1),
            "wrong_book": len(bank.wrong_book(user_id, self.course_key)),
        }

    # -- views --------------------------------------------------------------------------------
    def student_view_data(self, context: dict[str, Any] | None = None) -> dict[str, Any]:
        """Course-wide settings for the apps and the JS (no questions, no answers)."""
        return {
            "block_id": str(self.scope_ids.usage_id),
            "title": self.display_name,
            "mode": self.mode,
            "question_count": self.question_count,
            "time_limit_minutes": self.time_limit_minutes,
            "pass_percent": self.pass_percent,
            "only_on_web": False,
        }

    @XBlock.supports("multi_device")
    def student_view(self, context: dict[str, Any] | None = None) -> Any:
        """The learner's page (phones included)."""
        return render.student_fragment(self)

    def studio_view(self, context: dict[str, Any] | None = None) -> Any:
        """The author's editor."""
        return render.studio_fragment(self)

    @classmethod
    def workbench_scenarios(cls) -> list[tuple[str, str]]:
        """Demo units: a practice set and a mock exam on the demo bank."""
        from .scenarios import SCENARIOS

        return list(SCENARIOS)

    # -- handlers -----------------------------------------------------------------------------
    @json_api
    def state(self, data: dict[str, Any], request: Any) -> dict[str, Any]:
        """The learner's standing (closes an exam whose time is up)."""
        return self.status(self._user_id())

    @json_api
    def start(self, data: dict[str, Any], request: Any) -> dict[str, Any]:
        """Draw a new set (or resume the running exam); ``source=wrong_book`` retries missed questions."""
        from xueshi_questionbank import api as bank

        user_id = self._user_id()
        self._close_overdue_exam(user_id)
        running = self.current_round
        if self.mode == EXAM:
            if running.get("kind") == EXAM and not running.get("submitted"):
                return self.status(user_id)
            if logic.attempts_left(self.max_attempts, self.exam_attempts_used) == 0:
                raise HandlerError(
                    409, "no_attempts_left", self.ugettext("You have used all your exam attempts.")
                )
        if data.get("source") == SOURCE_WRONG_BOOK and self.mode == PRACTICE:
            entries = bank.wrong_book(user_id, self.course_key, limit=self.question_count)
            versions, kind = [e.version_id for e in entries], SOURCE_WRONG_BOOK
        else:
            seed = logic.new_round(self.mode, [], 0)["seed"]
            drawn = bank.draw(self.course_key, tags=self.tags(), count=self.question_count, seed=seed)
            versions, kind = [v.version_id for v in drawn], self.mode
        if not versions:
            message = (
                self.ugettext("Your wrong-answer book is empty.")
                if kind == SOURCE_WRONG_BOOK
                else self.ugettext("The question bank has no questions for this practice yet.")
            )
            raise HandlerError(409, "no_questions", message)
        self.current_round = logic.new_round(kind, versions, bank.now(), self.time_limit_minutes)
        if self.mode == EXAM:
            self.exam_attempts_used += 1
        return self.status(user_id)

    @json_api
    def answer(self, data: dict[str, Any], request: Any) -> dict[str, Any]:
        """Practice: judge one answer now, record it, and show the correct answer and explanation."""
        from xueshi_questionbank import api as bank

        user_id = self._user_id()
        round_ = self._round(data)
        if round_["kind"] == EXAM:
            raise HandlerError(
                409, "exam_mode", self.ugettext("Answers in a mock exam are judged when you submit.")
            )
        version_id = self._version_in(round_, data)
        if str(version_id) in round_["results"]:
            raise HandlerError(
                409, "already_answered", self.ugettext("You have already answered this question.")
            )
        try:
            judged = bank.judge_answer(version_id, data.get("answer"))
        except bank.InvalidAnswer as exc:
            raise HandlerError(400, "invalid_answer", str(exc)) from exc
        key = f"practice:{self.scope_ids.usage_id}:{user_id}:{round_['id']}:{version_id}"
        bank.record_attempt(
            user_id,
            self.course_key,
            self.scope_ids.usage_id,
            "practice",
            round_["id"],
            version_id,
            data.get("answer"),
            judged.correct,
            key,
        )
        round_["answers"][str(version_id)] = data.get("answer")
        round_["results"][str(version_id)] = judged.correct
        self.current_round = round_
        if logic.is_finished(round_):
            self.emit_completion(1.0)
        return {
            "judgement": self._judgement(version_id, data.get("answer")),
            "finished": logic.is_finished(round_),
        }

    @json_api
    def save_answer(self, data: dict[str, Any], request: Any) -> dict[str, Any]:
        """Mock exam: keep an answer (no feedback) until submission; refused after the deadline."""
        from xueshi_questionbank import api as bank

        user_id = self._user_id()
        round_ = self._round(data)
        if round_["kind"] != EXAM or round_["submitted"]:
            raise HandlerError(409, "not_open", self.ugettext("This exam is already submitted."))
        if logic.is_overdue(round_, bank.now()):
            self._close_overdue_exam(user_id)
            raise HandlerError(
                409,
                "time_up",
                self.ugettext(
                    "Time is up: your exam was submitted with the answers saved before the deadline."
                ),
                result=self.round_payload(self.current_round),
            )
        version_id = self._version_in(round_, data)
        try:
            bank.judge_answer(version_id, data.get("answer"))  # shape check only; the result is not shown
        except bank.InvalidAnswer as exc:
            raise HandlerError(400, "invalid_answer", str(exc)) from exc
        round_["answers"][str(version_id)] = data.get("answer")
        self.current_round = round_
        return {"saved": True, "remaining_seconds": logic.remaining_seconds(round_, bank.now())}

    @json_api
    def submit(self, data: dict[str, Any], request: Any) -> dict[str, Any]:
        """Mock exam: grade on the server, record every answer, publish the grade; refuse late answers."""
        from xueshi_questionbank import api as bank

        user_id = self._user_id()
        round_ = self._round(data)
        if round_["kind"] != EXAM:
            raise HandlerError(409, "not_exam", self.ugettext("Only a mock exam is submitted."))
        if round_["submitted"]:
            raise HandlerError(
                409,
                "already_submitted",
                self.ugettext("This exam is already submitted."),
                result=self.round_payload(round_),
            )
        late = logic.is_overdue(round_, bank.now())
        answers = data.get("answers") or {}
        if not isinstance(answers, dict):
            raise HandlerError(400, "invalid_answers", "answers must be an object keyed by version id")
        if not late:
            for key, value in answers.items():
                version_id = self._version_in(round_, {"version_id": key})
                try:
                    bank.judge_answer(version_id, value)
                except bank.InvalidAnswer as exc:
                    raise HandlerError(400, "invalid_answer", str(exc)) from exc
                round_["answers"][str(version_id)] = value
        self._grade(user_id, round_, late)
        return self.round_payload(self.current_round)

    @json_api
    def wrong_book(self, data: dict[str, Any], request: Any) -> dict[str, Any]:
        """The learner's wrong-answer book in this course: stems only (retry with ``start``)."""
        from xueshi_questionbank import api as bank

        user_id = self._user_id()
        entries = bank.wrong_book(user_id, self.course_key)
        return {
            "entries": [
                {
                    "view": bank.view(e.version_id, "book").as_dict(),
                    "times_wrong": e.times_wrong,
                    "missed_at": e.missed_at,
                }
                for e in entries
            ]
        }

    @json_api
    def submit_studio_edits(self, data: dict[str, Any], request: Any) -> dict[str, Any]:
        """Validate and save the editor's values; answer per-field errors in the author's language."""
        service = self.runtime.service(self, "user")
        role = service.get_current_user().opt_attrs.get("edx-platform.user_role") if service else None
        if role == "student":
            raise HandlerError(403, "forbidden", self.ugettext("Only the course team can edit this block."))
        values = data.get("values", data)
        if not isinstance(values, dict):
            raise HandlerError(400, "invalid_json", "values must be an object")
        clean, errors = logic.validate_edits(values, self.ugettext)
        if errors:
            raise HandlerError(
                400,
                "invalid_fields",
                self.ugettext("Please correct the highlighted fields."),
                field_errors=errors,
            )
        for name, value in clean.items():
            setattr(self, name, value)
        self.save()
        return {"result": "success", "values": clean}

    # -- grading ------------------------------------------------------------------------------
    def _close_overdue_exam(self, user_id: int) -> None:
        """Submit an exam whose deadline passed with the answers saved before it (auto-submit)."""
        from xueshi_questionbank import api as bank

        round_ = self.current_round
        if (
            round_.get("kind") == EXAM
            and not round_.get("submitted")
            and logic.is_overdue(round_, bank.now())
        ):
            self._grade(user_id, round_, late=True)

    def _grade(self, user_id: int, round_: dict[str, Any], late: bool) -> None:
        from xueshi_questionbank import api as bank

        for vid in round_["versions"]:
            answer = round_["answers"].get(str(vid))
            try:
                correct = answer is not None and bank.judge_answer(vid, answer).correct
            except bank.InvalidAnswer:
                correct = False
            key = f"exam:{self.scope_ids.usage_id}:{user_id}:{round_['id']}:{vid}"
            bank.record_attempt(
                user_id,
                self.course_key,
                self.scope_ids.usage_id,
                "exam",
                round_["id"],
                vid,
                answer if answer is not None else "",
                correct,
                key,
            )
            round_["results"][str(vid)] = correct
        round_.update(submitted=True, submitted_at=bank.now(), late=late)
        self.current_round = round_
        result = logic.score(round_["results"], len(round_["versions"]), self.pass_percent)
        self.best_percent = max(self.best_percent, result.percent)
        self.emit_completion(1.0)
        if self.weight > 0:
            value = round(float(self.weight) * result.percent / 100, 4)
            self.runtime.publish(
                self, "grade", {"value": value, "max_value": float(self.weight), "only_if_higher": True}
            )
        self.save()
