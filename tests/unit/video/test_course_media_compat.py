"""The LMS body of ``read_course_media``: ``/static/`` and ``/asset-v1:`` paths reach the contentstore.

edx-platform is not installable here, so ``xmodule.contentstore`` is a store with the platform's
key rules (``StaticContent.get_asset_key_from_path``: strip ``/static/``, a ``/`` in the name
becomes ``_``; ``get_location_from_path`` parses an ``/asset-v1:`` URL) and its ``NotFoundError``.
"""

from __future__ import annotations

import sys
from types import ModuleType, SimpleNamespace

import pytest
from django.test import override_settings
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import AssetKey

from xueshi_video import compat

COURSE = "course-v1:Org+KJ101+2026"


class NotFoundError(Exception):
    """xmodule.exceptions.NotFoundError."""


class StaticContent:
    @staticmethod
    def get_location_from_path(path):
        return AssetKey.from_string(path[1:])

    @staticmethod
    def get_asset_key_from_path(course_key, path):
        if path.startswith("/static/"):
            path = path[len("/static/") :]
        path = path.lstrip("/")
        try:
            return AssetKey.from_string(path)
        except InvalidKeyError:
            return course_key.make_asset_key("asset", path.replace("/", "_"))


@pytest.fixture
def files(monkeypatch):
    stored: dict[str, bytes] = {}

    def find(location):
        if str(location) not in stored:
            raise NotFoundError(str(location))
        return SimpleNamespace(data=stored[str(location)])

    content = ModuleType("xmodule.contentstore.content")
    content.StaticContent = StaticContent
    django_mod = ModuleType("xmodule.contentstore.django")
    django_mod.contentstore = lambda: SimpleNamespace(find=find)
    exceptions = ModuleType("xmodule.exceptions")
    exceptions.NotFoundError = NotFoundError
    for name, module in {
        "xmodule": ModuleType("xmodule"),
        "xmodule.contentstore": ModuleType("xmodule.contentstore"),
        "xmodule.contentstore.content": content,
        "xmodule.contentstore.django": django_mod,
        "xmodule.exceptions": exceptions,
    }.items():
        monkeypatch.setitem(sys.modules, name, module)
    with override_settings(XUESHI_PLATFORM_SHIM=None):
        yield stored


def test_static_paths_and_asset_urls_are_read_from_the_course_contentstore(files):
    files["asset-v1:Org+KJ101+2026+type@asset+block@subs_l1.vtt"] = b"WEBVTT"
    assert compat.read_course_media("/static/subs/l1.vtt", COURSE) == b"WEBVTT"
    assert compat.read_course_media("/asset-v1:Org+KJ101+2026+type@asset+block@subs_l1.vtt?v=2", COURSE)
    for url in ("/static/missing.vtt", "/static/", "/media/x.vtt", "https://cdn/x.vtt", "/asset-v1:bad"):
        assert compat.read_course_media(url, COURSE) is None, url
