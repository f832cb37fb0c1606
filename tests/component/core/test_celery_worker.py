"""A real Celery worker (RabbitMQ broker, Redis results) runs Xueshi tasks with Xueshi loaded."""

from tests.component.conftest import celery_worker


def test_worker_runs_report_components_and_has_every_xueshi_part():
    with celery_worker("xueshi-core-test", XUESHI_REDIS_URL="redis://127.0.0.1:6379/6") as client:
        result = client.send_task("xueshi_core.tasks.report_components", queue="xueshi-core-test").get(
            timeout=60
        )
    assert result["all_loaded"] is True
    assert {c["name"] for c in result["components"]} >= {"xueshi_core", "xueshi_studytime", "xueshi_video"}
