"""Request plumbing shared by the views: JSON errors with reasons, and safe reading of uploads."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError

from . import conf


def error(status: int, code: str, message: str, **extra: Any) -> JsonResponse:
    """A refusal the page can show: HTTP status, a stable code and a sentence."""
    return JsonResponse({"error": code, "message": str(message), **extra}, status=status)


def uploaded(request: Any, field: str, limit: int) -> tuple[list[bytes], JsonResponse | None]:
    """Files of a multipart field, each read up to ``limit`` + 1 bytes; or an error response.

    The body size is checked before Django parses it, so an oversized upload is refused with 413
    without being written to disk.
    """
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return [], error(400, "bad_request", "Invalid Content-Length.")
    if length > limit * conf.max_frames() + 256 * 1024:
        return [], error(413, "too_large", f"The upload is larger than {limit} bytes per image.")
    if not request.content_type.startswith("multipart/form-data"):
        return [], error(415, "not_multipart", "Send the images as multipart/form-data.")
    try:
        files = request.FILES.getlist(field)
    except (MultiPartParserError, RequestDataTooBig, TooManyFilesSent) as exc:
        return [], error(400, "bad_upload", f"The upload could not be read: {exc}")
    return [f.read(limit + 1) for f in files], None


def throttled(user_id: int, what: str = "checks", per_check: int = 1) -> bool:
    """Count a request against the learner's hourly allowance (shared cache); tell whether it is spent.

    ``what`` keeps separate counts (``checks``, ``challenges``); ``per_check`` scales the allowance
    (a learner may start a few more challenges than they submit checks).
    """
    from django.core.cache import cache

    limit = conf.max_checks_per_hour() * per_check
    if limit <= 0:
        return False
    key = f"xueshi_face:{what}:{user_id}:{int(conf.now() // 3600)}"
    cache.add(key, 0, 3700)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, 3700)
        count = 1
    return int(count) > limit


def api_login_required(view: Any) -> Any:
    """Like ``login_required`` but answers 401 JSON instead of redirecting (for fetch calls)."""
    from functools import wraps

    @wraps(view)
    def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return error(401, "not_signed_in", "Sign in first.")
        return view(request, *args, **kwargs)

    return wrapper
