"""``gcfreeze``: the heap is frozen at the configured request numbers of a process, and only then."""

import gc
from collections.abc import Iterator

import pytest
from django.test import override_settings

from xueshi_core import gcfreeze


@pytest.fixture
def fresh_process(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A process that has served no request yet, with nothing frozen; unfrozen again afterwards."""
    monkeypatch.setattr(gcfreeze, "_state", {"seen": 0, "pending": None})
    gc.unfreeze()
    yield
    gc.unfreeze()


@override_settings(XUESHI_GC_FREEZE_AT_REQUESTS=[2, 4])
def test_the_heap_is_frozen_at_the_configured_requests(fresh_process: None) -> None:
    gcfreeze.on_request_started()
    assert gcfreeze.frozen_objects() == 0, "not before the 2nd request"
    gcfreeze.on_request_started()
    first = gcfreeze.frozen_objects()
    assert first > 1000, "the loaded application is in the permanent generation"
    gc.unfreeze()
    gcfreeze.on_request_started()
    assert gcfreeze.frozen_objects() == 0, "nothing between the configured requests"
    gcfreeze.on_request_started()
    assert gcfreeze.frozen_objects() > 1000
    gc.unfreeze()
    for _ in range(5):
        gcfreeze.on_request_started()
    assert gcfreeze.frozen_objects() == 0, "never after the last configured request"


@override_settings(XUESHI_GC_FREEZE_AT_REQUESTS=[])
def test_an_empty_list_turns_it_off(fresh_process: None) -> None:
    for _ in range(3):
        gcfreeze.on_request_started()
    assert gcfreeze.frozen_objects() == 0


def test_the_test_layer_never_freezes() -> None:
    from django.conf import settings

    assert settings.XUESHI_GC_FREEZE_AT_REQUESTS == []
