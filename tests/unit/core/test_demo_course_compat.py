"""The LMS body of ``create_demo_course`` is idempotent against a store with split's rules.

Tutor's init job runs ``xueshi_demo`` on every ``tutor local launch``; each run used to add one
more chapter. The store below keeps split's contract where it matters here: ``create_child``
with a block id that exists raises ``DuplicateItemError``, ``has_item``/``get_item`` find blocks
by usage key, ``update_item`` saves fields.
"""

from __future__ import annotations

import sys
import uuid
from contextlib import contextmanager
from types import ModuleType, SimpleNamespace

import pytest
from django.test import override_settings
from opaque_keys.edx.keys import CourseKey

from xueshi_core import compat
from xueshi_core.demo import DEMO_COURSE_KEY, DEMO_COURSE_TITLE, demo_units


class DuplicateItemError(Exception):
    """split's error for a block id that exists."""


class SplitLikeStore:
    def __init__(self) -> None:
        self.blocks: dict[str, SimpleNamespace] = {}
        self.children: dict[str, list[str]] = {}
        self.courses: dict[str, SimpleNamespace] = {}

    @contextmanager
    def default_store(self, _kind):
        yield

    def get_course(self, key):
        return self.courses.get(str(key))

    def create_course(self, org, number, run, user_id, fields):
        key = CourseKey.from_string(f"course-v1:{org}+{number}+{run}")
        course = SimpleNamespace(location=key.make_usage_key("course", "course"), **fields)
        self.courses[str(key)] = course
        return course

    def has_item(self, usage):
        return str(usage) in self.blocks

    def get_item(self, usage):
        return self.blocks[str(usage)]

    def create_child(self, user_id, parent, block_type, block_id=None, fields=None):
        usage = parent.course_key.make_usage_key(block_type, block_id or uuid.uuid4().hex)  # split makes one
        if str(usage) in self.blocks:
            raise DuplicateItemError(str(usage))
        block = SimpleNamespace(location=usage, **(fields or {}))
        self.blocks[str(usage)] = block
        self.children.setdefault(str(parent), []).append(str(usage))
        return block

    def update_item(self, item, user_id):
        self.blocks[str(item.location)] = item
        return item

    def publish(self, location, user_id):
        pass


@pytest.fixture
def store(monkeypatch):
    fake = SplitLikeStore()
    django_mod = ModuleType("xmodule.modulestore.django")
    django_mod.modulestore = lambda: fake
    modulestore_mod = ModuleType("xmodule.modulestore")
    modulestore_mod.ModuleStoreEnum = SimpleNamespace(Type=SimpleNamespace(split="split"))
    for name, module in {
        "xmodule": ModuleType("xmodule"),
        "xmodule.modulestore": modulestore_mod,
        "xmodule.modulestore.django": django_mod,
    }.items():
        monkeypatch.setitem(sys.modules, name, module)
    with override_settings(XUESHI_PLATFORM_SHIM=None):
        yield fake


def test_running_the_demo_twice_keeps_one_chapter_and_one_copy_of_each_unit(store):
    units = demo_units("/media/xueshi-demo/")
    for _ in range(2):
        assert compat.create_demo_course(DEMO_COURSE_KEY, DEMO_COURSE_TITLE, units, 1) == DEMO_COURSE_KEY
    course = store.courses[DEMO_COURSE_KEY]
    assert len(store.children[str(course.location)]) == 1  # one chapter
    verticals = [key for key in store.blocks if "type@vertical" in key]
    assert len(verticals) == len(units)
    leaves = [
        b for b in store.blocks.values() if b.location.block_type not in ("chapter", "sequential", "vertical")
    ]
    assert len(leaves) == len(units)


def test_a_second_run_brings_changed_fields_up_to_date(store):
    units = demo_units("/media/xueshi-demo/")
    compat.create_demo_course(DEMO_COURSE_KEY, DEMO_COURSE_TITLE, units, 1)
    renamed = [{**units[0], "title": "第一课（新版）"}, *units[1:]]
    compat.create_demo_course(DEMO_COURSE_KEY, DEMO_COURSE_TITLE, renamed, 1)
    titles = {b.display_name for key, b in store.blocks.items() if "type@vertical" in key}
    assert "第一课（新版）" in titles and units[0]["title"] not in titles
