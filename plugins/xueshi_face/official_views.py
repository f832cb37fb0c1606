"""The operator page that uploads official photos (one photo or a zip), beside the review queue.

``MANAGE_FACE`` opens it (ADR 0010); each photo is checked against the uploader's scope and
recorded by ``official_upload`` (ADR 0546). Uploads are POSTs behind Django's CSRF check.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from xueshi_core.api import MANAGE_FACE, requires

from . import official_upload

TEMPLATE = "xueshi_face/official_photos.html"


@require_http_methods(["GET", "POST"])
@requires(MANAGE_FACE)
def official_photos(request: Any) -> HttpResponse:
    """GET: the upload form. POST ``file`` (+ ``source``): a line per photo; 400 if any was refused."""
    context: dict[str, Any] = {"results": None, "problem": ""}
    if request.method != "POST":
        return render(request, TEMPLATE, context)
    upload = request.FILES.get("file")
    source = str(request.POST.get("source", "")).strip()[:64]
    if upload is None:
        context["problem"] = _("Choose a photo or a zip file of photos.")
        return render(request, TEMPLATE, context, status=400)
    if upload.size and upload.size > official_upload.MAX_UPLOAD_BYTES:
        context["problem"] = _("The file is larger than 50 MB.")
        return render(request, TEMPLATE, context, status=413)
    try:
        results = official_upload.upload(request.user, upload.name or "", upload.read(), source=source)
    except official_upload.UploadRefused as exc:
        context["problem"] = str(exc)
        return render(request, TEMPLATE, context, status=400)
    context["results"] = results
    context["imported"] = sum(1 for r in results if r.imported)
    return render(request, TEMPLATE, context, status=200 if all(r.imported for r in results) else 400)
