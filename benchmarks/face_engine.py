"""Time the local face engine's steps on the shipped photos, side by side with its peer: the same
comparison through the Tencent Cloud sandbox (SDK, signature, HTTP on loopback).

Run: ``DJANGO_SETTINGS_MODULE=sandbox.settings .venv/bin/python -m benchmarks.face_engine``
"""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable

import django

django.setup()

from django.test import override_settings  # noqa: E402

from sandbox.faceapis import tencent  # noqa: E402
from sandbox.faceapis.server import SandboxServer  # noqa: E402
from tests.unit.face.faces import photo  # noqa: E402
from xueshi_face.engines.local import LocalEngine  # noqa: E402
from xueshi_face.engines.tencent import TencentEngine  # noqa: E402

ROUNDS = 10


def timed(label: str, step: Callable[[], object]) -> None:
    step()  # warm up (models load on first use)
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    print(f"{label:<52} median {statistics.median(times) * 1000:7.0f} ms  max {max(times) * 1000:7.0f} ms")


def main() -> None:
    engine = LocalEngine()
    enrolled, probe, turned = photo("person_a_enrol"), photo("person_a_probe"), photo("person_a_turned")
    template = engine.descriptor(enrolled).tobytes()
    timed("local: detect (enrolment)", lambda: engine.detect(enrolled))

    def cold(step: Callable[[], object]) -> Callable[[], object]:
        def run() -> object:
            engine._recent.clear()  # measure a new check, not the per-check reuse of analyses
            return step()

        return run

    timed(
        "local: compare one frame with the stored template",
        cold(lambda: engine.compare_template(template, probe)),
    )

    def whole_check() -> object:
        engine.compare_template(template, probe)
        return engine.liveness([probe, turned, photo("person_a_probe")], 0.12)

    timed("local: a whole check (compare + liveness, 3 frames)", cold(whole_check))
    with SandboxServer(tencent.handler({"id": "key"}), content_type=tencent.CONTENT_TYPE) as server:
        options = {"SECRET_ID": "id", "SECRET_KEY": "key", "ENDPOINT": server.endpoint, "PROTOCOL": "http"}
        with override_settings(XUESHI_FACE_TENCENT=options):
            cloud = TencentEngine()
            from sandbox.faceapis import faces

            def cloud_compare() -> object:
                faces._engine._recent.clear()
                return cloud.compare(enrolled, probe)

            timed("tencent SDK -> sandbox (signed HTTP, dlib behind it)", cloud_compare)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
