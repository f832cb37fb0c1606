"""``manage.py live_sandbox push|stop [STREAM] [--lose-callback]``: a teacher's encoder, for the sandbox.

``push`` signs the stream's push URL exactly as the Studio editor shows it to the teacher and hands
it to the live provider sandbox, which checks the signature and starts ffmpeg publishing a test
picture (``sandbox/live/server.py``): the lesson goes on air through the provider's own start
callback. ``stop`` ends the push (the stop and recording callbacks follow). ``--lose-callback``
drops the push's start callback, or the stop's stop callback, as a lost notice would, so the
stream-state check can be seen opening or closing the lesson (ADR 0356, 0358). The stream defaults
to the demo course's lesson in its slot now.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from xueshi_livestream import api as live
from xueshi_livestream import conf
from xueshi_livestream.demo import NOW_STREAM


class Command(BaseCommand):
    """Push to, or stop a push at, the live provider sandbox."""

    help = "Put a live lesson on air in the live provider sandbox (push), or take it off (stop)."

    def add_arguments(self, parser: CommandParser) -> None:
        """The action, the stream (the demo lesson's by default) and ``--lose-callback``."""
        parser.add_argument("action", choices=("push", "stop"))
        parser.add_argument("stream", nargs="?", default=NOW_STREAM)
        parser.add_argument("--lose-callback", action="store_true", help="push or stop without that callback")

    def handle(self, *args: Any, **options: Any) -> None:
        """POST the signed push (or the stop) to the sandbox and say what it answered."""
        if not live.enabled():
            raise CommandError("no live provider configured (XUESHI_LIVE_SANDBOX=0 or settings)")
        stream = options["stream"]
        if not live.valid_stream(stream):
            raise CommandError(f"not a stream name: {stream!r}")
        base = f"http://{settings.XUESHI_LIVE_PLAY_DOMAIN}"
        if options["action"] == "push":
            push = urlsplit(live.push_url(stream, time.time() + 3 * 3600))
            url = f"{base}/_sandbox/push{push.path}?{push.query}"
            url += "&lose=start" if options["lose_callback"] else ""
        else:
            url = f"{base}/_sandbox/stop/{conf.app_name()}/{stream}"
            url += "?lose=stop" if options["lose_callback"] else ""
        request = urllib.request.Request(url, data=b"", method="POST")  # noqa: S310 (http on loopback)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (loopback sandbox)
                answer = response.read().decode()
        except urllib.error.HTTPError as exc:
            raise CommandError(f"the sandbox refused: {exc.code} {exc.read().decode()}") from exc
        except OSError as exc:
            raise CommandError(f"no live sandbox at {base} (make sandbox starts it): {exc}") from exc
        self.stdout.write(f"{options['action']} {stream}: {answer}")
        self.stdout.write(f"the sandbox's page: {base}/")
