"""REST API of the question bank (v1), for the course team's tools: questions, import, export, stats.

Authentication is the platform's (session, JWT or DOT token, through ``xueshi_core.caller``);
only accounts that may edit the bank (``xueshi_core.permissions``: operators, global staff, the
course team) may call it. Every refusal is a 4xx ``{"error": code, "detail": text}``; a refused
import is a 400 carrying the full row-by-row report.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpResponse
from rest_framework import exceptions, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xueshi_core import params
from xueshi_core.api import EDIT_QUESTION_BANK, may
from xueshi_core.drf import GuardedViewMixin, LargeGuardedJSONParser
from xueshi_core.rest_auth import CallerAuthentication
from xueshi_questionbank import conf, editing, exporting, stats, tabular
from xueshi_questionbank.access import parse_course
from xueshi_questionbank.exceptions import ImportRefused
from xueshi_questionbank.importing import import_file
from xueshi_questionbank.models import Question as QuestionRow
from xueshi_questionbank.views import download

MAX_PAGE = 200


def error(status_code: int, code: str, detail: str, **extra: Any) -> Response:
    """A 4xx in the bank's error shape."""
    return Response({"error": code, "detail": detail, **extra}, status=status_code)


class Refused(exceptions.APIException):
    """A 4xx with our code."""

    def __init__(self, status_code: int, code: str, detail: str) -> None:
        super().__init__(detail, code)
        self.status_code, self.error_code = status_code, code


class BankView(GuardedViewMixin, APIView):
    """Course parsing, the course-team permission and the error shape."""

    authentication_classes = [CallerAuthentication]
    permission_classes = [IsAuthenticated]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        """Refuse anyone but the course team before the handler runs."""
        super().initial(request, *args, **kwargs)
        if "course_id" in kwargs:
            course_key = parse_course(kwargs["course_id"])
            if course_key is None:
                raise Refused(400, "invalid_course_id", "course_id is not a course key")
            if not may(request.user, EDIT_QUESTION_BANK, course_key=course_key):
                raise Refused(403, "forbidden", "only the course team may manage this bank")
            self.course_key = course_key

    def handle_exception(self, exc: Exception) -> Response:
        """Map our and DRF's 4xx to ``{"error", "detail"}``."""
        if isinstance(exc, Refused):
            return error(exc.status_code, exc.error_code, str(exc.detail))
        response = super().handle_exception(exc)
        if isinstance(exc, exceptions.APIException) and response is not None:
            code = exc.get_codes()
            response.data = {"error": code if isinstance(code, str) else "invalid", "detail": str(exc.detail)}
        return response


def question_json(row: QuestionRow) -> dict[str, Any]:
    """A question for the course team: content with answer, tags, version, state."""
    version = row.current_version
    return {
        "id": str(row.uid),
        "version_id": version.pk if version else None,
        "version": version.number if version else 0,
        "type": row.type,
        "stem": version.stem if version else "",
        "options": version.options if version else [],
        "answer": version.answer if version else [],
        "blanks": version.blanks if version else [],
        "explanation": version.explanation if version else "",
        "trade": row.trade,
        "knowledge_point": row.knowledge_point,
        "difficulty": row.difficulty,
        "active": row.active,
    }


class QuestionListView(BankView):
    """Search with ``GET`` and create with ``POST``.

    ``GET`` reads ``q``, ``trade``, ``knowledge_point``, ``difficulty``, ``type``, ``offset``, ``limit``;
    ``POST`` takes template fields in English (``type``, ``stem``, ``option_a``…, ``answer``…).
    """

    parser_classes = [LargeGuardedJSONParser]

    def get(self, request: Request, course_id: str) -> Response:
        """One page of matching questions."""
        offset = params.query_int(request.query_params, "offset", 0)
        limit = min(MAX_PAGE, max(1, params.query_int(request.query_params, "limit", 50)))
        query = editing.search(self.course_key, request.query_params)
        rows = query[offset : offset + limit]
        return Response({"count": query.count(), "results": [question_json(r) for r in rows]})

    def post(self, request: Request, course_id: str) -> Response:
        """Create a question (first version)."""
        if not isinstance(request.data, dict):
            return error(400, "invalid_json", "the body must be a JSON object")
        version, errors = editing.save(self.course_key, request.data, request.user)
        if version is None:
            return error(
                400, "invalid_question", "the question was refused", errors=[e.as_dict() for e in errors]
            )
        return Response(question_json(version.question), status=status.HTTP_201_CREATED)


class QuestionDetailView(BankView):
    """``GET`` one question; ``PUT`` saves an edit as a new version."""

    parser_classes = [LargeGuardedJSONParser]

    def row(self, uid: str) -> QuestionRow:
        """The question of this course's bank, or a 404."""
        try:
            key = uuid.UUID(uid)
        except ValueError as exc:
            raise Refused(404, "not_found", "no such question") from exc
        row = QuestionRow.objects.filter(uid=key, bank__course_key=self.course_key, source="bank").first()
        if row is None:
            raise Refused(404, "not_found", "no such question")
        return row

    def get(self, request: Request, course_id: str, uid: str) -> Response:
        """The question with its answer."""
        return Response(question_json(self.row(uid)))

    def put(self, request: Request, course_id: str, uid: str) -> Response:
        """A new version when anything changed."""
        row = self.row(uid)
        if not isinstance(request.data, dict):
            return error(400, "invalid_json", "the body must be a JSON object")
        version, errors = editing.save(self.course_key, request.data, request.user, row)
        if version is None:
            return error(
                400, "invalid_question", "the question was refused", errors=[e.as_dict() for e in errors]
            )
        row.refresh_from_db()
        return Response(question_json(row))


class ImportView(BankView):
    """``POST`` a multipart ``file``: 200 with the report, or 400 with every refused row (none imported)."""

    parser_classes = [MultiPartParser]

    def post(self, request: Request, course_id: str) -> Response:
        """Import all or nothing."""
        length = params.content_length(request.META)
        if length > conf.max_import_bytes() + 64 * 1024:
            return error(413, "file_too_large", f"the file is larger than {conf.max_import_bytes()} bytes")
        upload = request.FILES.get("file")
        if upload is None:
            return error(400, "no_file", "send the file as multipart field 'file'")
        try:
            report = import_file(self.course_key, upload.name, upload.read(), request.user)
        except ImportRefused as exc:
            return error(exc.status, exc.code, exc.message)
        body = report.as_dict()
        if not report.accepted:
            return error(400, "rows_refused", "nothing was imported; see errors", **body)
        return Response(body)


class ExportView(BankView):
    """``GET ?format=xlsx|csv``: the bank in the template's layout."""

    def get(self, request: Request, course_id: str) -> HttpResponse:
        """The file."""
        fmt = tabular.CSV if request.query_params.get("format") == tabular.CSV else tabular.XLSX
        key = self.course_key
        return download(
            exporting.export_bank(key, fmt), f"questionbank-{key.org}-{key.course}-{key.run}", fmt
        )


class TemplateView(BankView):
    """``GET ?format=xlsx|csv``: the empty template."""

    def get(self, request: Request) -> HttpResponse:
        """The template."""
        fmt = tabular.CSV if request.query_params.get("format") == tabular.CSV else tabular.XLSX
        return download(exporting.template(fmt), "questionbank-template", fmt)


class StatsView(BankView):
    """``GET ?by=question|learner|tag[&tag=trade|knowledge_point|difficulty][&context=…]``."""

    def get(self, request: Request, course_id: str) -> Response:
        """Figures counted from recorded attempts."""
        by = request.query_params.get("by", "question")
        context = request.query_params.get("context") or None
        if by == "question":
            lines = stats.by_question(self.course_key, context)
        elif by == "learner":
            lines = stats.by_learner(self.course_key, context)
        elif by == "tag":
            tag = request.query_params.get("tag", "trade")
            if tag not in stats.TAG_FIELDS:
                return error(400, "invalid_tag", "tag must be trade, knowledge_point or difficulty")
            lines = stats.by_tag(self.course_key, tag, context)
        else:
            return error(400, "invalid_by", "by must be question, learner or tag")
        return Response({"by": by, "results": [line.as_dict() for line in lines]})
