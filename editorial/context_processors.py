from django.utils.functional import SimpleLazyObject

from public.tasks import queue_state


def task_queue(request):
    """The task queue's state for the admin's home page (read only if a template uses it)."""
    return {"task_queue": SimpleLazyObject(queue_state)}
