"""Settings of the benchmark server: the sandbox as production would run it.

The sandbox's settings (entry-point plugin discovery, MariaDB, Redis, the real middleware) with
DEBUG off, sessions in the Redis cache, the ledger's clock from ``benchmarks.clock``, no inline
flush (a separate flusher process moves the ledger to MariaDB, as Celery does in production) and
the URLs of ``benchmarks.urls``, which add the framework-floor view. Start with
``XUESHI_SETTINGS_TYPE=production`` so every plugin applies its production layer.
"""

from __future__ import annotations

import os
import sys

from sandbox.settings import *  # noqa: F403
from sandbox.settings import ALLOWED_HOSTS, CACHES, LOGGING

DEBUG = False
ROOT_URLCONF = "benchmarks.urls"
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "bench.invalid"]
SESSION_ENGINE = "django.contrib.sessions.backends.cache"
CACHES["default"]["KEY_PREFIX"] = os.environ.get("XUESHI_BENCH_PREFIX", "xst-bench") + "-cache"

XUESHI_STUDYTIME_CLOCK = "benchmarks.clock.server_time"
XUESHI_STUDYTIME_FLUSH_INLINE = False
XUESHI_STUDYTIME_REDIS_PREFIX = os.environ.get("XUESHI_BENCH_PREFIX", "xst-bench")
XUESHI_STUDYTIME_LEASE_POLICY = "takeover"
# Media URLs stay signed and the delivery log is read on every beat (its cost is measured), but
# the simulated learners fetch no media, so the proof is not required (ADR 0052).
XUESHI_STUDYTIME_MEDIA_SIGNED_PREFIXES = ["/media/"]
XUESHI_STUDYTIME_MEDIA_PROOF = False
# The breakdown times open_session over and over for one learner: the per-learner opening
# throttle (ADR 0040) would turn those into 429s, so it is off here.
XUESHI_STUDYTIME_OPEN_BURST = 0

LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "ERROR"}}

# The production layer takes personal-data keys from the operator; a benchmark database holds only
# made-up learners, so it uses the development keys derived from SECRET_KEY (stable across runs).
from xueshi_core.settings.devkeys import fill_missing_data_keys  # noqa: E402

fill_missing_data_keys(sys.modules[__name__])
