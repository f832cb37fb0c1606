"""Settings of the serving benchmark's LMS: the benchmark server with the Tutor plugin's media settings.

What ``tutor config save`` writes into the LMS's production settings for media
(``XUESHI_MEDIA_ACCEL_REDIRECT_PREFIX``: Django checks, Caddy sends the bytes), the host Caddy
passes on (Tutor's ``LMS_HOST``), HLS under the signed prefixes with the proof of fetch on (as
the sandbox and Tutor run them), and the media folder the private file server also serves.
"""

from __future__ import annotations

import os
from pathlib import Path

from benchmarks.settings import *  # noqa: F403
from benchmarks.settings import ALLOWED_HOSTS, REPO_DIR

XUESHI_MEDIA_ACCEL_REDIRECT_PREFIX = "/xueshi-media-internal/"
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "local.openedx.io"]
MEDIA_ROOT = Path(os.environ.get("XUESHI_BENCH_MEDIA_ROOT") or REPO_DIR / "var" / "bench" / "media-root")
XUESHI_STUDYTIME_MEDIA_SIGNED_PREFIXES = ["/media/", "/xueshi/media/hls/"]
XUESHI_STUDYTIME_MEDIA_PROOF = True
