"""``make sandbox``'s wiring: the provincial sandbox process, the demo destination, records on its page."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.test import override_settings

from sandbox import payment_sandboxes
from xueshi_reporting import delivery
from xueshi_reporting.demo import DEMO_CODE, seed_demo_destination
from xueshi_reporting.models import Delivery, Destination

from .conftest import states, write_study

ROOT = Path(__file__).resolve().parents[3]


def test_the_demo_destination_pushes_to_the_sandbox_process_make_sandbox_starts(db) -> None:
    port = payment_sandboxes.pick_port(9470)
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox.provincial", "--port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 20
        while payment_sandboxes._free(port):
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.1)
        wired: dict = {}
        payment_sandboxes.configure_reporting(wired, port)
        seed_demo_destination()
        assert Destination.objects.get(code=DEMO_CODE).signature == "HMAC-SHA256"
        write_study(learners=2, days=1)
        with override_settings(**wired):
            delivery.run(DEMO_CODE)
        assert states(Destination.objects.get(code=DEMO_CODE)) == {Delivery.DELIVERED: 2}
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/sandbox/", timeout=5).read().decode()
        assert "收到的记录（2）" in page and "学员1" in page and "学员2" in page
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_site_settings_point_the_demo_destination_at_the_sandbox_port() -> None:
    """What ``sandbox/settings.py`` does at start-up with the port ``serve.py`` hands over.

    In a fresh process: the wiring runs while settings load, before any app (or model) is loaded.
    """
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.XUESHI_REPORTING_URLS['sandbox-province'], "
        "sorted(s.XUESHI_REPORTING_SECRETS['sandbox-province']))"
    )
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="sandbox.settings", XUESHI_SETTINGS_TYPE="devstack")
    env["XUESHI_PROVINCIAL_SANDBOX_PORT"] = "9473"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "http://127.0.0.1:9473/records" in done.stdout and "peer_sm2_public" in done.stdout
