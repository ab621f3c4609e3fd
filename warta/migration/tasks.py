"""Background work of imports, run by the django-tasks worker that ``warta serve`` starts."""

from django_tasks import task

from .models import ImportJob


@task()
def run_import(*, job_id: int) -> str:
    """Run one uploaded import; returns how it ended (``done`` or ``failed``)."""
    job = ImportJob.objects.select_related("blog").get(pk=job_id)
    if job.status == ImportJob.Status.QUEUED:
        job.run()
    return job.status
