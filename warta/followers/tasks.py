"""Background work of follow by e-mail, run by the django-tasks worker (``warta db_worker``,
which ``warta serve`` starts): confirmation mail and the sending of mailings."""

from django_tasks import default_task_backend, task

from . import sending
from .mail import confirmation_message
from .models import Subscriber


@task()
def send_confirmation(*, subscriber_id: int) -> bool:
    subscriber = Subscriber.objects.select_related("blog").filter(pk=subscriber_id).first()
    if subscriber is None or subscriber.status != Subscriber.Status.PENDING:
        return False
    confirmation_message(subscriber).send()
    return True


@task()
def send_mailing(*, mailing_id: int) -> str:
    """One window of a mailing (see ``sending.py``); the next window is enqueued first, so a
    worker killed in the middle leaves the rest of the send waiting in the queue."""

    def continue_later(at):
        send_mailing.using(run_after=at).enqueue(mailing_id=mailing_id)

    deferrable = default_task_backend.supports_defer
    return sending.run_mailing(mailing_id, continue_later=continue_later if deferrable else None)
