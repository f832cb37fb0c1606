"""Resolve the two hot URLs (heartbeats, challenge answers) before the site's own patterns (ADR 0708).

Django tries a site's URL patterns in order, and the platform mounts plugin URLs after its own:
in the sandbox a heartbeat's path was tested against about 70 patterns (0.15–0.3 ms of CPU, the
largest single cost a beat paid beyond the floor), in the LMS against hundreds. Django lets a
middleware choose the URLconf per request (``request.urlconf``). For exactly the two hot paths,
this one hands Django a URLconf that is the site's own patterns with our app's include moved to
the front: the same resolver objects, namespace and view, so ``resolver_match`` and ``reverse``
answer as before.

The reordering cannot change what a path resolves to: a path is hot only if the site's own URLconf
already resolves it to our view (checked once per process and per ``ROOT_URLCONF``), so
no earlier pattern shadows it. Every other path, and any request whose URLconf another middleware
chose, is left alone. Where the app's URLs are not mounted (Studio), nothing is hot.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver

NAMESPACE = "xueshi_studytime"
#: URL names of the endpoints every studying learner calls every 30 s.
HOT_NAMES = ("heartbeats", "challenge-answer")
_HANDLERS = ("handler400", "handler403", "handler404", "handler500")

# ROOT_URLCONF -> {path_info: URLconf module}; rebuilt when a test overrides ROOT_URLCONF.
_routes: dict[Any, dict[str, ModuleType]] = {}


def hot_routes(root_urlconf: Any) -> dict[str, ModuleType]:
    """``{path_info: URLconf}`` of the hot paths the site at ``root_urlconf`` serves with our views."""
    found = _routes.get(root_urlconf)
    if found is None:
        found = _routes[root_urlconf] = _build(root_urlconf)
    return found


def _build(root_urlconf: Any) -> dict[str, ModuleType]:
    root = get_resolver(root_urlconf)
    ours = next(
        (p for p in root.url_patterns if isinstance(p, URLResolver) and p.namespace == NAMESPACE),
        None,
    )
    if ours is None:
        return {}
    module = ModuleType(f"{__name__}.hot_urlconf")
    module.urlpatterns = [ours, *root.url_patterns]  # type: ignore[attr-defined]
    for name in _HANDLERS:  # a 4xx/5xx inside a hot view renders as the site's own
        if hasattr(root.urlconf_module, name):
            setattr(module, name, getattr(root.urlconf_module, name))
    prefix = str(ours.pattern).lstrip("^")
    routes: dict[str, ModuleType] = {}
    for pattern in ours.url_patterns:
        if not isinstance(pattern, URLPattern) or pattern.name not in HOT_NAMES:
            continue
        path = f"/{prefix}{pattern.pattern}"
        try:
            match = root.resolve(path)
        except Resolver404:
            continue
        if match.func is pattern.callback and match.namespace == NAMESPACE:
            routes[path] = module
    return routes


@receiver(setting_changed)
def _forget(setting: str, **kwargs: Any) -> None:
    """A test that swaps ``ROOT_URLCONF`` gets routes built from the new one."""
    if setting == "ROOT_URLCONF":
        _routes.clear()


class HotRoutesMiddleware:
    """Point the two hot paths at the reordered URLconf; one dict look-up for every other request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Choose the URLconf, unless another middleware chose one already."""
        urlconf = hot_routes(settings.ROOT_URLCONF).get(request.path_info)
        if urlconf is not None and not hasattr(request, "urlconf"):
            request.urlconf = urlconf
        return self.get_response(request)
