"""The open data-sharing API for authorities that pull (OAuth2 client credentials, django-oauth-toolkit).

``GET api/v1/changes?cursor=&limit=&kind=``: canonical records in feed order, only of the client's
regions and kinds, personal data masked unless the client's grant says full; ``GET
api/v1/openapi.json``: the OpenAPI document. Every call, refused ones included, is an ``ApiCall``
audit row; each client has a per-minute limit (Redis, core's factory). Errors are JSON
``{"code", "reason"}`` with a 4xx, never a 500 (ADR 0205).
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from xueshi_core import redisclients
from xueshi_core.clientip import request_ip
from xueshi_core.jsonbody import BadInput
from xueshi_core.masking import mask_id_number, mask_name
from xueshi_core.params import query_int, query_text

from . import conf, feed, openapi, schema
from .models import ApiCall, ApiClient


def _refuse(request: HttpRequest, client: ApiClient | None, error: BadInput) -> JsonResponse:
    _audit(request, client, error.status, 0)
    return JsonResponse({"code": error.code, "reason": error.reason}, status=error.status)


def _audit(request: HttpRequest, client: ApiClient | None, status: int, count: int) -> None:
    ApiCall.objects.create(
        client=client,
        path=request.path[:200],
        query=request.META.get("QUERY_STRING", "")[:300],
        status=status,
        records=count,
        full_personal_data=bool(client and client.full_personal_data),
        ip=request_ip(request),
    )


def _client(request: HttpRequest) -> ApiClient:
    """The calling authority from its bearer token (DOT), or ``BadInput`` 401/403."""
    from oauth2_provider.oauth2_backends import get_oauthlib_core

    if not request.META.get("HTTP_AUTHORIZATION", "").startswith("Bearer "):
        raise BadInput("no_token", "send an OAuth2 bearer token (client credentials)", 401)
    valid, oauth = get_oauthlib_core().verify_request(request, scopes=[])
    if not valid or oauth.access_token is None:
        raise BadInput("invalid_token", "the token is unknown or expired", 401)
    application = oauth.access_token.application
    client_id = getattr(application, "client_id", None)
    client = ApiClient.objects.filter(client_id=client_id, active=True).first() if client_id else None
    if client is None:
        raise BadInput("not_a_client", "this application is not a data-sharing client", 403)
    return client


def _within_rate(client: ApiClient) -> bool:
    key = f"xueshi:reporting:api:{client.pk}"
    redis = redisclients.client(conf.redis_url(), setting="XUESHI_REPORTING_REDIS_URL")
    pipe = redis.pipeline()
    pipe.incr(key)
    pipe.expire(key, 60, nx=True)
    return int(pipe.execute()[0]) <= client.per_minute


def _shown(record: dict[str, Any], full: bool) -> dict[str, Any]:
    if not full:
        learner = record.get("learner") or {}
        learner["real_name"] = mask_name(learner.get("real_name"))
        learner["id_number"] = mask_id_number(learner.get("id_number"))
    return record


@require_GET
def changes(request: HttpRequest) -> JsonResponse:
    """One page of changes after ``cursor`` (absent: from the start)."""
    client = None
    try:
        client = _client(request)
        if not _within_rate(client):
            raise BadInput("rate_limited", f"at most {client.per_minute} calls a minute", 429)
        after = feed.decode(query_text(request.GET, "cursor", max_length=40))
        limit = query_int(request.GET, "limit", 100, low=1, high=1000)
        kind = query_text(request.GET, "kind", max_length=16)
        if kind and kind not in schema.KINDS:
            raise BadInput("invalid_kind", f"kind is one of {', '.join(schema.KINDS)}")
        kinds = [k for k in (client.kinds or schema.KINDS) if not kind or k == kind]
    except BadInput as error:
        return _refuse(request, client, error)
    except redisclients.RedisError:
        return _refuse(request, client, BadInput("unavailable", "try again shortly", 503))
    feed.sequence()
    rows, position, more = feed.page(after, limit, kinds, list(client.region_prefixes or []))
    records = []
    for row in rows:
        record = json.loads(str(row.payload.reveal()))
        record["seq"] = row.feed_seq
        records.append(_shown(record, client.full_personal_data))
    _audit(request, client, 200, len(records))
    return JsonResponse({"records": records, "next_cursor": feed.encode(position), "has_more": more})


@require_GET
def openapi_document(request: HttpRequest) -> JsonResponse:
    """The OpenAPI 3.1 document of this API."""
    return JsonResponse(openapi.document(request.build_absolute_uri("/xueshi/reporting/api/v1/")))
