"""Fixtures of the hours journey: the video kit's live sandbox (2-second heartbeats) and player bundle."""

from tests.browser.video.conftest import player_assets, video_site  # noqa: F401  (fixtures reused)
from tests.component.conftest import clean_redis  # noqa: F401  (autouse: each test starts with no hot state)
