"""The ``xueshi_questionnaire`` XBlock: a questionnaire of ``xueshi_services`` inside a course unit.

Operators and supervisors build questionnaires in ``xueshi_services``; this block places one in a
unit, so learners answer it where they study (ADR 0313).

The block stores only which questionnaire it shows (its short-link code): questions, windows,
audiences and the one-answer-per-learner rule stay in ``xueshi_services``, whose ``api`` the block
calls; the same questionnaire answered by QR code or in the course counts once. The block type
and field names are stored in course OLX forever: never rename them.
"""

from __future__ import annotations

from typing import Any

from web_fragments.fragment import Fragment
from xblock.core import XBlock
from xblock.exceptions import JsonHandlerError
from xblock.fields import Scope, String
from xblock.utils.resources import ResourceLoader
from xblock.utils.studio_editable import StudioEditableXBlockMixin
from xblock.validation import ValidationMessage

from xueshi_core.jsonbody import BadInput
from xueshi_core.xblock_i18n import add_js_catalog
from xueshi_video.web import HandlerError, json_api

loader = ResourceLoader(__name__)
#: Up to 50 questions, text answers up to 2,000 characters (6 kB of UTF-8 each): more than 16 kB.
MAX_ANSWERS_BYTES = 256 * 1024


def _(text: str) -> str:
    """Mark a string for extraction; it is translated where it is shown (``self.ugettext``)."""
    return text


def _choices(block: Any) -> list[dict[str, str]]:
    """The Studio editor's list: questionnaires that are published or closed."""
    from xueshi_services import api

    return [
        {"display_name": f"{title} ({slug})", "value": slug} for slug, title in api.questionnaire_choices()
    ]


STRINGS = {
    "submit": _("Submit"),
    "submitted": _("Submitted"),
    "thanks": _("Thank you: your answers are submitted."),
    "required": _("Required"),
    "lowest": _("1 = lowest"),
    "highest": _("highest"),
    "anonymous": _("Anonymous: your answers are not linked to your name in the results."),
    "real_name": _("Real-name: your answers are recorded with your name."),
    "closed": _("This questionnaire is not open for answers now."),
    "missing": _("No questionnaire is chosen for this unit yet."),
}


@XBlock.needs("i18n")
@XBlock.wants("user")
class XueshiQuestionnaireBlock(StudioEditableXBlockMixin, XBlock):
    """A questionnaire answered inline; shows 已提交 once the learner has answered."""

    icon_class = "problem"
    i18n_js_namespace = "XueshiQuestionnaireI18N"
    demo_order = 300  # after the lessons and the practice: the course's closing survey

    display_name = String(display_name=_("Title"), default="问卷调查", scope=Scope.settings)
    questionnaire = String(
        display_name=_("Questionnaire"),
        help=_("The questionnaire's short-link code (questionnaires are built on the staff pages)."),
        default="",
        scope=Scope.settings,
        values_provider=_choices,
    )
    editable_fields = ("display_name", "questionnaire")

    def ugettext(self, text: str) -> str:
        """Translate with the block's ``text`` catalog."""
        return str(self.runtime.service(self, "i18n").gettext(text))

    def _user_id(self) -> int | None:
        service = self.runtime.service(self, "user")
        user_id = service.get_current_user().opt_attrs.get("edx-platform.user_id") if service else None
        return int(user_id) if user_id else None

    def student_view_data(self, context: dict[str, Any] | None = None) -> dict[str, Any]:
        """What the apps and the JS need: the block id and the questionnaire code."""
        return {"block_id": str(self.scope_ids.usage_id), "questionnaire": self.questionnaire}

    @XBlock.supports("multi_device")
    def student_view(self, context: dict[str, Any] | None = None) -> Fragment:
        """The questionnaire form, or 已提交 after answering, or why it cannot be answered."""
        from xueshi_services import api

        found = api.questionnaire(self.questionnaire) if self.questionnaire else None
        user_id = self._user_id()
        answered = bool(found and user_id and api.has_answered(found.slug, user_id))
        context = {
            "title": self.display_name,
            "q": found,
            "answered": answered,
            "t": {key: self.ugettext(text) for key, text in STRINGS.items()},
        }
        frag = Fragment(loader.render_django_template("templates/questionnaire.html", context))
        frag.add_css_url(self.runtime.local_resource_url(self, "public/css/questionnaire.css"))
        add_js_catalog(self, frag)
        frag.add_javascript_url(self.runtime.local_resource_url(self, "public/js/questionnaire.js"))
        frag.initialize_js("XueshiQuestionnaireBlock", self.student_view_data())
        return frag

    @json_api(max_bytes=MAX_ANSWERS_BYTES)
    def submit_answers(self, data: dict[str, Any], request: Any) -> dict[str, Any]:
        """Record the learner's one answer; refusals are 4xx with the reason in the learner's language."""
        from xueshi_services import api

        user_id = self._user_id()
        if not user_id:
            raise HandlerError(403, "sign_in_required", self.ugettext("Sign in to answer."))
        if not self.questionnaire:
            raise HandlerError(404, "no_such_questionnaire", self.ugettext(STRINGS["missing"]))
        answers = data.get("answers")
        try:
            api.submit_answers(self.questionnaire, user_id, answers, str(self.scope_ids.usage_id.course_key))
        except BadInput as exc:
            raise HandlerError(exc.status, exc.code, api.refusal_message(exc.code) or exc.reason) from exc
        return {"submitted": True, "message": self.ugettext(STRINGS["thanks"])}

    @json_api
    def submit_studio_edits(self, data: dict[str, Any], request: Any) -> dict[str, Any]:
        """Studio's Save through our guarded JSON reader, for the course team; the mixin validates and saves.

        The mixin's own handler decodes with ``json.loads`` and indexes ``data["values"]``: hostile
        or partial bodies reached a 500 (the endpoint fuzz test found them).
        """
        service = self.runtime.service(self, "user")
        role = service.get_current_user().opt_attrs.get("edx-platform.user_role") if service else None
        if role == "student":
            raise HandlerError(403, "forbidden", self.ugettext("Only the course team can edit this block."))
        values, defaults = data.get("values", {}), data.get("defaults", [])
        if not isinstance(values, dict) or not isinstance(defaults, list):
            raise HandlerError(400, "invalid_json", "values must be an object and defaults a list")
        if any(not isinstance(values.get(name, ""), str) for name in self.editable_fields):
            raise HandlerError(400, "invalid_json", "the title and the questionnaire are text")
        save = StudioEditableXBlockMixin.submit_studio_edits.__wrapped__  # the mixin's body, unwrapped
        try:
            return dict(save(self, {"values": values, "defaults": defaults}))
        except JsonHandlerError as exc:
            # Studio's editor shows ``error.messages`` (the validation's JSON), so ``error`` carries it.
            message = self.ugettext("There is no such questionnaire.")
            raise HandlerError(exc.status_code, "invalid_fields", message, error=exc.message) from exc

    def validate_field_data(self, validation: Any, data: Any) -> None:
        """Studio refuses a code that names no published questionnaire."""
        from xueshi_services import api

        if data.questionnaire and api.questionnaire(data.questionnaire) is None:
            validation.add(
                ValidationMessage(ValidationMessage.ERROR, self.ugettext("There is no such questionnaire."))
            )

    @classmethod
    def workbench_scenarios(cls) -> list[tuple[str, str]]:
        """The demo course's closing survey (its questionnaire is seeded by ``xueshi_services.demo``)."""
        return [
            (
                "课程问卷",
                '<xueshi_questionnaire url_name="course_survey" display_name="课程满意度问卷"'
                ' questionnaire="demo01"/>',
            )
        ]
