"""The insight pages' figures counted by the task queue when a reader found one missing."""

from django.conf import settings
from django_tasks import task

from insights import aggregates


@task()
def count_figures():
    """Count the figures the pages read today and every stored one (insights.aggregates)."""
    return {"figures": aggregates.refresh()}


def queue_count_figures():
    """Queue count_figures, unless one is waiting or running already (the database queue)."""
    if settings.TASKS_BACKEND == "database":
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.filter(
            task_path=count_figures.module_path, status__in=["READY", "RUNNING"]
        )
        if waiting.exists():
            return
    count_figures.enqueue()
