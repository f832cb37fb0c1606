"""Browser fixtures for face checks: Chromium with a fake camera showing person A or person B."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.component.conftest import clean_redis  # noqa: F401  (autouse: each test starts with no hot state)

from .camera import make_camera


@pytest.fixture(scope="session")
def cameras(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Y4M files: the enrolled learner (person A) and someone else (person B)."""
    folder = tmp_path_factory.mktemp("cameras")
    return {
        "learner": make_camera(folder / "person_a.y4m", "person_a_probe", "person_a_turned"),
        "stranger": make_camera(folder / "person_b.y4m", "person_b", "person_b", mirror_second=True),
    }


@pytest.fixture(scope="session")
def camera_browser(browser: Any, cameras: dict[str, Any]) -> Iterator[Callable[[str], Any]]:
    """Launch (once per camera) a headless Chromium whose camera plays that camera's video.

    It is launched through the session's Playwright (``browser.browser_type``): a second
    ``sync_playwright()`` cannot run beside the one the shared ``browser`` fixture holds.
    """
    launched: dict[str, Any] = {}

    def _browser(camera: str) -> Any:
        if camera not in launched:
            args = [
                *CHROMIUM_ARGS,
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-video-capture={cameras[camera]}",
            ]
            launched[camera] = browser.browser_type.launch(executable_path=CHROMIUM, headless=True, args=args)
        return launched[camera]

    yield _browser
    for chromium in launched.values():
        chromium.close()


from tests.browser.video.conftest import player_assets  # noqa: E402, F401  (the study-flow test plays a video)
