"""The public portal (门户): front page, news, FAQ, service centre, mobile QR code, course search.

No sign-in needed (需求 000: 门户网站). Content is what operators keep in the admin; each page
extends the core template, so it has the site header, menus and the language switcher.
"""

from __future__ import annotations

import io

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from xueshi_core import params
from xueshi_core.jsonbody import BadInput

from . import courses, ratings
from .models import (
    Article,
    Attachment,
    FaqEntry,
    NewsCategory,
    PortalSettings,
    RecommendedCourse,
    ServiceContact,
)
from .pages import first_url, optional_int


def _published():  # type: ignore[no-untyped-def]
    return Article.objects.filter(is_published=True, category__is_active=True).select_related("category")


def _links() -> dict[str, str]:
    return {
        "verify_url": first_url("xueshi_certificates:verify"),
        "my_study_url": reverse("xueshi_services:my-study"),
        "help_url": reverse("xueshi_services:help"),
    }


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Front page: news, training categories, recommended courses, FAQ, service centre, QR code."""
    recommended = list(RecommendedCourse.objects.filter(is_active=True))
    names = dict(courses.named([r.course_key for r in recommended]))
    cards = courses.cards([(r.course_key, r.title or names[r.course_key]) for r in recommended])
    context = {
        "settings": PortalSettings.current(),
        "news": _published()[:8],
        "training": courses.categories_for(),
        "recommended": list(zip(recommended, cards, strict=True)),
        "faq": FaqEntry.objects.filter(is_active=True)[:5],
        "contacts": ServiceContact.objects.filter(is_active=True),
        **_links(),
    }
    return render(request, "xueshi_services/portal.html", context)


@require_GET
def news_list(request: HttpRequest) -> HttpResponse:
    """All published news, optionally one category."""
    category = optional_int(request.GET.get("category"))
    rows = _published()
    if category is not None:
        rows = rows.filter(category_id=category)
    context = {
        "articles": rows[:200],
        "categories": NewsCategory.objects.filter(is_active=True),
        "category": category,
    }
    return render(request, "xueshi_services/news_list.html", context)


@require_GET
def news_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One published article with its attachments."""
    article = get_object_or_404(_published(), pk=pk)
    return render(request, "xueshi_services/news_detail.html", {"article": article})


@require_GET
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """An attachment of a published article, as a download under its own title."""
    row = get_object_or_404(Attachment.objects.select_related("article__category"), pk=pk)
    if not (row.article.is_published and row.article.category.is_active):
        raise Http404
    try:
        handle = row.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    suffix = row.file.name.rsplit(".", 1)[-1].lower()
    return FileResponse(handle, as_attachment=True, filename=f"{row.title}.{suffix}")


@require_GET
def faq(request: HttpRequest) -> HttpResponse:
    """Every shown FAQ entry."""
    return render(request, "xueshi_services/faq.html", {"faq": FaqEntry.objects.filter(is_active=True)})


@require_GET
def service(request: HttpRequest) -> HttpResponse:
    """The service centre: contacts and hours, the complaint and question forms, the mobile QR code."""
    context = {"contacts": ServiceContact.objects.filter(is_active=True), **_links()}
    return render(request, "xueshi_services/service.html", context)


def mobile_url(request: HttpRequest) -> str:
    """What the QR code opens: the operator's mobile site, else this portal's own address."""
    configured = PortalSettings.current().mobile_url
    return configured or request.build_absolute_uri(reverse("xueshi_services:portal"))


@require_GET
def qr_svg(request: HttpRequest) -> HttpResponse:
    """The mobile QR code as SVG (scan with a phone to open the portal)."""
    import segno

    buffer = io.BytesIO()
    segno.make(mobile_url(request), error="m").save(buffer, kind="svg", scale=4, border=2)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def course_search(request: HttpRequest) -> HttpResponse:
    """Courses by keyword, training category, personnel category and region, with their ratings."""
    text = params.query_text(request.GET, "q", max_length=100).strip()
    personnel = params.query_text(request.GET, "personnel", max_length=32).strip()
    region = params.query_text(request.GET, "region", max_length=12).strip()
    category = optional_int(request.GET.get("category"))
    from xueshi_identity import api as identity

    context = {
        "q": text,
        "personnel": personnel,
        "region": region,
        "category": category,
        "results": courses.search(text, category, personnel, region),
        "categories": courses.categories_for(),
        "personnel_names": identity.category_names(),
    }
    return render(request, "xueshi_services/search.html", context)


MAX_RATING_KEYS = 50


@require_GET
def ratings_json(request: HttpRequest) -> JsonResponse:
    """Published rating figures of up to 50 courses (``?course=<key>&course=<key>``), for catalogue themes.

    The LMS catalogue and the mobile app draw their own course cards; this lets a theme or an MFE
    plug-in show the stars there too. Public figures only (no comments, no names).
    """
    raw = request.GET.getlist("course")
    if not raw or len(raw) > MAX_RATING_KEYS:
        raise BadInput("invalid_course", f"give 1 to {MAX_RATING_KEYS} course keys as ?course=")
    keys = [str(params.course_key(text, "course")) for text in raw]
    stats = ratings.stats_for(keys)
    body = {
        key: {
            "count": s.count,
            "average": s.average,
            "distribution": {str(k): n for k, n in s.distribution.items()},
        }
        for key, s in stats.items()
    }
    return JsonResponse({"courses": body})
