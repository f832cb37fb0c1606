"""The OpenAPI 3.1 document of the data-sharing API (records described by ``schema.JSON_SCHEMA``)."""

from __future__ import annotations

from typing import Any

from . import schema

_ERROR = {"type": "object", "properties": {"code": {"type": "string"}, "reason": {"type": "string"}}}


def document(base_url: str) -> dict[str, Any]:
    """The document, with the server at ``base_url`` and the token URL of the LMS's OAuth2 provider."""
    errors = {
        str(code): {"description": text, "content": {"application/json": {"schema": _ERROR}}}
        for code, text in (
            (400, "bad cursor, limit or kind"),
            (401, "no, unknown or expired token"),
            (403, "not a data-sharing client"),
            (429, "over the client's calls per minute"),
        )
    }
    page = {
        "type": "object",
        "properties": {
            "records": {"type": "array", "items": {"$ref": "#/components/schemas/Record"}},
            "next_cursor": {"type": "string"},
            "has_more": {"type": "boolean"},
        },
    }
    parameters = [
        {
            "name": "cursor",
            "in": "query",
            "schema": {"type": "string"},
            "description": "next_cursor of the last page",
        },
        {
            "name": "limit",
            "in": "query",
            "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100},
        },
        {"name": "kind", "in": "query", "schema": {"enum": list(schema.KINDS)}},
    ]
    return {
        "openapi": "3.1.0",
        "info": {"title": "Xueshi data sharing (学时·数据共享)", "version": schema.VERSION},
        "servers": [{"url": base_url}],
        "components": {
            "schemas": {"Record": schema.JSON_SCHEMA},
            "securitySchemes": {
                "oauth2": {
                    "type": "oauth2",
                    "flows": {"clientCredentials": {"tokenUrl": "/oauth2/token/", "scopes": {}}},
                }
            },
        },
        "security": [{"oauth2": []}],
        "paths": {
            "/changes": {
                "get": {
                    "summary": "Changes after a cursor, in feed order, within the client's regions and kinds",
                    "parameters": parameters,
                    "responses": {
                        "200": {"description": "a page", "content": {"application/json": {"schema": page}}},
                        **errors,
                    },
                }
            }
        },
    }
