"""Run one callable in several threads released together: how the tests make requests race.

Each thread closes its own database connection afterwards (Django opens one per thread). Returns
what each call returned and what each raised, so a test states the outcome it expects.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection


def race(call: Callable[[], Any], threads: int = 2) -> tuple[list[Any], list[BaseException]]:
    """Start ``threads`` threads that wait at a barrier, then all run ``call``; join them all."""
    results: list[Any] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads)

    def run() -> None:
        try:
            barrier.wait(timeout=30)
            results.append(call())
        except Exception as exc:  # collected: the test decides which errors it expects
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return results, errors
