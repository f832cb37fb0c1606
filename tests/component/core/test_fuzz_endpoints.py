"""Every registered endpoint answers hostile input with a 4xx (never a 500) and credits nothing.

Endpoints are enumerated from the URL resolver (``get_resolver()``, recursively), so a new URL is
fuzzed the day it is registered; the sandbox's XBlock handler routes are expanded into one route
per handler of each demo block. Path parameters get hostile values (over-long and invalid keys,
integers past BIGINT, invalid UTF-8, unicode), and hypothesis draws query strings and bodies
(JSON nested thousands deep under the size limit, numbers too large to convert, NaN, lone
surrogates, non-objects, invalid UTF-8) sent as GET/POST/PUT/DELETE by an anonymous caller, a
signed-in learner and a staff user. Django's own admin (``admin/``) is not ours and is left out.
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, clear_url_caches, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils.regex_helper import normalize
from hypothesis import HealthCheck, Phase, example, given, seed, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db(transaction=False)

SKIPPED_PREFIXES = ("admin/",)
# Views of other distributions (edx-completion, drf-spectacular, django.contrib.auth) are theirs to
# fix; ours are the plugin apps and the sandbox's stand-ins for the LMS (which run our XBlocks).
OURS = ("xueshi_", "sandbox.")
METHODS = ("get", "post", "put", "delete")
# Drawn cases per endpoint, caller and method, besides the two explicit ones: CI keeps the whole
# test under 90 s; XUESHI_FUZZ_EXAMPLES=20 digs deeper.
EXAMPLES = int(os.environ.get("XUESHI_FUZZ_EXAMPLES", "1"))
HOSTILE_PATH_METHODS = ("get", "post")  # a hostile path parameter is refused before the method matters
HUGE_INT = "9" * 40
LONG_COURSE = "course-v1:" + "O" * 300 + "+C+R"

# Hostile stand-ins for a path parameter; each is tried only where the URL pattern accepts it.
HOSTILE_PATH_VALUES = (
    LONG_COURSE,
    "block-v1:" + "O" * 300 + "+C+R+type@video+block@x",
    "course-v1:bad",
    "block-v1:bad",
    HUGE_INT,
    "%FF%FE%C0",
    quote("课程-v1:中文+测试+运行"),
    "0",
    "x" * 3000,
)

NESTED = "[" * 1500 + "]" * 1500  # 3,000 bytes: under every body limit (the heartbeat's is 4,096)
WORST_QUERY = (
    f"q=%FF%FE&page={HUGE_INT}&offset=-{HUGE_INT}&limit={HUGE_INT}&course_id={LONG_COURSE}&date=0001-01-01"
)
HOSTILE_BODIES: tuple[bytes, ...] = (
    NESTED.encode(),
    b"[" * 8000 + b"]" * 8000,
    ('{"a":' * 2000 + "1" + "}" * 2000).encode(),
    b'{"seq": ' + b"1" * 5000 + b"}",
    b'{"position": 1e400, "seq": 1e400, "rate": -1e400}',
    b'{"position": NaN, "rate": Infinity}',
    b'{"token": "\\ud800", "answer": "\\udfff"}',
    b"\xff\xfe\x00{",
    b"[1, 2, 3]",
    b'"just a string"',
    b"",
    b"{",
)
FIELD_NAMES = (
    "token",
    "seq",
    "position",
    "rate",
    "event",
    "answer",
    "challenge_id",
    "course_id",
    "usage_key",
    "page",
    "limit",
    "question",
    "options",
    "real_name",
    "id_number",
    "image",
    "frames",
    "reason",
    "data",
)
QUERY_NAMES = (  # every name our views read (grep request.GET / query_params), plus common paging names
    *("page", "limit", "offset", "q", "course_id", "format", "tag", "t", "next", "date", "period", "by"),
    *("parent", "purpose", "context", "reason", "retired", "type", "difficulty", "trade", "knowledge_point"),
    *("lang", "source", "event", "ip", "start", "end", "days", "course", "page_size"),
)
HOSTILE_SCALARS = st.one_of(
    st.just(HUGE_INT),
    st.just(10**30),
    st.just(-(10**30)),
    st.just(1e308),
    st.just(LONG_COURSE),
    st.just("\x00"),
    st.just("=1+2"),
    st.booleans(),
    st.none(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
)
JSON_VALUES = st.recursive(
    HOSTILE_SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)
BODIES = st.one_of(
    st.sampled_from(HOSTILE_BODIES),
    st.dictionaries(st.sampled_from(FIELD_NAMES), JSON_VALUES, max_size=5).map(
        lambda d: json.dumps(d, ensure_ascii=False).encode()
    ),
)
QUERY_VALUES = st.one_of(
    st.sampled_from((HUGE_INT, "-" + HUGE_INT, "-1", "abc", "%FF%FE", "1e999", "NaN", LONG_COURSE, "%00")),
    st.text(max_size=20).map(lambda t: quote(t, safe="")),
)
QUERIES = st.dictionaries(st.sampled_from(QUERY_NAMES), QUERY_VALUES, max_size=3).map(
    lambda d: "&".join(f"{k}={v}" for k, v in d.items())
)


@dataclass(frozen=True)
class Route:
    """One registered URL: its format string (``%(name)s`` slots) and the view it resolves to."""

    template: str
    params: tuple[str, ...]
    view: Any
    name: str


def _joined(regex: str, prefix: str) -> str:
    return prefix + regex.lstrip("^")


def _walk(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        regex = _joined(entry.pattern.regex.pattern, prefix)
        if isinstance(entry, URLResolver):
            yield from _walk(entry, regex)
        else:
            yield regex, entry


def registered_routes() -> list[Route]:
    """Every URL pattern the resolver knows (each optional part as its own route), admin excepted."""
    routes = []
    for regex, entry in _walk(get_resolver()):
        for template, params in normalize(regex):
            if template.startswith(SKIPPED_PREFIXES) or not entry.callback.__module__.startswith(OURS):
                continue
            routes.append(Route(template, tuple(params), entry.callback, str(entry.pattern)))
    return routes


def _resolves_to(path: str, view: Any) -> bool:
    try:
        return resolve(path).func is view
    except (Resolver404, UnicodeError):
        return False


@dataclass
class Site:
    """Benign values for each path parameter (so one hostile value is tested at a time)."""

    benign: dict[str, str]
    handlers: dict[str, list[str]]  # usage key -> handler names


def _benign_site(demo_site: dict[str, Any]) -> Site:
    from django.contrib.auth import get_user_model
    from xblock.core import XBlock

    from sandbox.lms.models import ContentBlock

    learner = get_user_model().objects.get(username="zhangsan")
    handlers: dict[str, list[str]] = {}
    for row in ContentBlock.objects.order_by("pk"):  # one block of each type
        cls = XBlock.load_class(row.usage_key.block_type)
        names = sorted(n for n in dir(cls) if getattr(getattr(cls, n, None), "_is_xblock_handler", False))
        if not any(usage.split("type@")[-1].startswith(row.usage_key.block_type + "+") for usage in handlers):
            handlers[str(row.usage_key)] = names
    course = str(demo_site["course_key"])
    usage = next(iter(handlers))
    benign = {
        "course_key": course,
        "course_id": course,
        "usage_key": usage,
        "handler": "x",
        "suffix": "",
        "user_id": str(learner.pk),
        "check_id": "1",
        "uid": "00000000-0000-0000-0000-000000000000",
        "username": "zhangsan",
        "subsection_id": usage,
        "block_type": "xueshi_video",
        "uri": "x.js",
        "path": "x",
    }
    return Site(benign, handlers)


def _expand(route: Route, site: Site) -> list[tuple[str, str]]:
    """``(endpoint, path)`` pairs: benign values, then one hostile value per parameter.

    A handler route is one endpoint per handler name of the demo blocks' classes.
    """
    values = {p: site.benign.get(p, "1") for p in route.params}
    variants = [(route.name, values)]
    if "handler" in route.params:
        variants = [
            (f"{route.name} [{name}]", dict(values, usage_key=quote(usage, safe=":+@"), handler=name))
            for usage, names in site.handlers.items()
            for name in names
        ]
    paths = [(endpoint, "/" + route.template % filled) for endpoint, filled in variants]
    endpoint, filled = variants[0]
    for param in route.params:
        for hostile in HOSTILE_PATH_VALUES if param != "handler" else ():
            path = "/" + route.template % dict(filled, **{param: hostile})
            if _resolves_to(path, route.view):
                paths.append((endpoint, path))
    return paths


def _ledger_snapshot() -> tuple[int, int, int]:
    """Credit anywhere: ledger rows, daily totals, and credited ms in the Redis ledger streams."""
    from django.db.models import Sum

    from xueshi_studytime import hotstate
    from xueshi_studytime.models import DailyStudyTotal, LedgerEntry

    redis = hotstate.client()
    streamed = 0
    for key in redis.scan_iter(match="*:ledger", count=1000):
        for _id, fields in redis.xrange(key):
            event = json.loads(fields[b"e"] if b"e" in fields else fields["e"])
            streamed += int(event.get("cms", 0) or 0)
    total = DailyStudyTotal.objects.aggregate(s=Sum("credited_ms"))["s"] or 0
    return LedgerEntry.objects.filter(credited_ms__gt=0).count(), int(total), streamed


def _callers(demo_site: dict[str, Any]) -> dict[str, tuple[Client, Any]]:
    """An anonymous client, a signed-in learner and a staff user (each with the account it signs in)."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.in_bulk(["zhangsan", "operator"], field_name="username")
    callers: dict[str, tuple[Client, Any]] = {"anonymous": (Client(raise_request_exception=False), None)}
    for username, user in users.items():
        callers[username] = (Client(raise_request_exception=False), user)
    return callers


def _signed_in(client: Client, user: Any) -> Client:
    """Sign in again when fuzzing ``logout/`` (or a device takeover) ended the session."""
    if user is not None and client.session.get("_auth_user_id") != str(user.pk):
        client.force_login(user)
    return client


def _fuzzer(client: Client, method: str, path: str, examples: int, failed: set[str]) -> Any:
    """A hypothesis run of one caller and method over one path: hostile query strings and bodies.

    The seed is the path and method, so runs repeat exactly while endpoints draw different cases.
    ``examples=0`` sends only the two explicit worst cases (used for hostile path parameters).
    """

    phases = (Phase.explicit, Phase.generate) if examples else (Phase.explicit,)

    @seed(zlib.crc32(f"{method} {path}".encode()))
    @settings(
        max_examples=max(examples, 1),
        phases=phases,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @example(query=WORST_QUERY, body=HOSTILE_BODIES[0])  # every endpoint, caller and method gets these
    @example(query="", body=HOSTILE_BODIES[4])
    @given(query=QUERIES, body=BODIES)
    def hit(query: str, body: bytes) -> None:
        url = f"{path}?{query}" if query else path
        send = getattr(client, method)
        response = send(url) if method == "get" else send(url, body, content_type="application/json")
        if response.status_code >= 500:
            failed.add(f"{method.upper()} {url[:100]} {body[:40]!r}")

    return hit


def test_every_registered_endpoint_refuses_hostile_input_with_a_4xx(demo_site: dict[str, Any]) -> None:
    routes = registered_routes()
    assert len(routes) > 40, "the resolver walk lost the plugin URLs"
    packages = {r.view.__module__.split(".")[0] for r in routes}
    assert packages >= {"xueshi_studytime", "xueshi_questionbank", "xueshi_face", "sandbox"}, packages
    site = _benign_site(demo_site)
    callers = _callers(demo_site)
    before = _ledger_snapshot()
    failures: dict[str, set[str]] = {}
    endpoints: set[str] = set()
    checked: set[str] = set()

    for route in routes:
        for endpoint, path in _expand(route, site):
            endpoints.add(endpoint)
            hostile_path = endpoint in checked  # the first path of an endpoint has benign parameters
            checked.add(endpoint)
            for client, user in callers.values():
                for method in HOSTILE_PATH_METHODS if hostile_path else METHODS:
                    _signed_in(client, user)
                    examples = 0 if hostile_path else EXAMPLES
                    failed = failures.setdefault(endpoint, set())
                    _fuzzer(client, method, path, examples, failed)()
            if not failures[endpoint]:
                del failures[endpoint]

    report = "\n".join(f"{name}: {sorted(cases)[:3]}" for name, cases in sorted(failures.items()))
    assert not failures, f"{len(failures)} of {len(endpoints)} endpoints answered 5xx:\n{report}"
    assert _ledger_snapshot() == before, "hostile input credited study time"


def test_the_route_list_follows_the_resolver() -> None:
    """A pattern added at run time is fuzzed without editing this file."""
    from django.urls import path

    from sandbox import urls
    from sandbox.lms.views import index

    urls.urlpatterns.append(path("fuzz-probe/<int:n>/", index))
    try:
        clear_url_caches()
        assert any(
            route.template == "fuzz-probe/%(n)s/" and route.view is index for route in registered_routes()
        )
    finally:
        urls.urlpatterns.pop()
        clear_url_caches()
    assert not any(route.template.startswith("fuzz-probe") for route in registered_routes())
