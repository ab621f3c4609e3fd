"""The desk's import pages: a blog's owners and administrators upload a backup, watch the
task worker import it and read the report."""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from warta.desk.access import MANAGERS, desk_view

from .forms import ImportForm
from .models import ImportJob
from .tasks import run_import

# The report's kinds (``ImportReport.count``) as the desk names them; others show as they are.
KINDS = {
    "post": _("posts"),
    "page": _("pages"),
    "comment": _("comments"),
    "page comment": _("comments on pages"),
    "label": _("labels"),
    "author": _("authors"),
    "image": _("images"),
    "downloaded image": _("downloaded images"),
    "redirect": _("redirects"),
    "settings": _("blog settings"),
    "location": _("locations"),
    "unknown": _("entries of unknown kind"),
}


@require_http_methods(["GET", "HEAD", "POST"])
@desk_view(*MANAGERS)
def import_start(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = ImportJob(
            blog=request.blog,
            created_by=request.user,
            file_format=form.cleaned_data["file_format"],
            file_name=upload.name[:255],
            language=translation.get_language(),
        )
        job.upload.save(upload.name, upload, save=False)
        job.save()
        run_import.enqueue(job_id=job.pk)
        return redirect(job)
    jobs = ImportJob.objects.filter(blog=request.blog).select_related("created_by")[:10]
    for job in jobs:
        job.give_up_if_stalled()
    return render(request, "migration/import.html", {"form": form, "jobs": jobs})


def job_for(request, pk) -> ImportJob:
    job = get_object_or_404(ImportJob, pk=pk, blog=request.blog)
    job.give_up_if_stalled()
    return job


def counts(numbers: dict) -> list[tuple[str, int]]:
    return [(str(KINDS.get(kind, kind)), n) for kind, n in sorted(numbers.items())]


@require_safe
@desk_view(*MANAGERS)
def import_status(request, pk):
    job = job_for(request, pk)
    done, total = job.current_progress()
    total = max(total, 1)  # not counted yet: an empty bar
    context = {
        "job": job,
        "done": done,
        "total": total,
        "imported": counts(job.report.get("imported", {})),
        "skipped": counts(job.report.get("skipped", {})),
        "warnings": job.report.get("warnings", []),
    }
    response = render(request, "migration/import_job.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@desk_view(*MANAGERS)
def import_status_json(request, pk):
    """What the status page's script polls: the page reloads itself once ``finished``."""
    job = job_for(request, pk)
    done, total = job.current_progress()
    total = max(total, 1)
    response = JsonResponse(
        {
            "status": job.status,
            "status_label": str(job.get_status_display()),
            "done": done,
            "total": total,
            "finished": job.finished,
        }
    )
    response["Cache-Control"] = "private, no-store"
    return response
