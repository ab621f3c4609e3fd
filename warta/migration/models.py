"""An import started in the desk: the uploaded file waiting for the task worker, then what
the import did (its report) or why it changed nothing (its error)."""

import datetime
import json
import logging
import os
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .errors import ImportFailed

logger = logging.getLogger(__name__)

# A running import writes its progress file several times a second; one that has written
# nothing for this long has lost its worker (stopped, restarted, out of memory).
STALLED_AFTER = datetime.timedelta(minutes=15)


class UploadStorage(FileSystemStorage):
    """The private folder uploads wait in (``WARTA_IMPORT_DIR``, read on each use), never
    the public media storage."""

    @property
    def base_location(self):
        return str(settings.WARTA_IMPORT_DIR)

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def upload_storage():
    return UploadStorage()


def upload_name(job, filename):
    extension = os.path.splitext(filename)[1].lower()[:10]
    return f"{uuid.uuid4().hex}{extension}"


class ImportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting for the worker")
        RUNNING = "running", _("importing")
        DONE = "done", _("done")
        FAILED = "failed", _("failed, nothing was changed")

    blog = models.ForeignKey("blogs.Blog", on_delete=models.CASCADE, related_name="import_jobs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    file_format = models.CharField(_("format"), max_length=20)
    file_name = models.CharField(_("file"), max_length=255, help_text=_("as it was uploaded"))
    upload = models.FileField(storage=upload_storage, upload_to=upload_name, blank=True)
    language = models.CharField(_("language of the report"), max_length=10)
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return f"{self.file_name} → {self.blog_id} ({self.status})"

    def get_absolute_url(self):
        return f"/desk/import/{self.pk}/"

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def progress_path(self) -> str:
        return f"{self.upload.path}.progress" if self.upload else ""

    def current_progress(self) -> tuple[int, int]:
        """``(done, total)``: the row's once finished, the worker's progress file meanwhile
        (the import is one transaction: its rows show nobody anything until the end)."""
        if self.finished or not self.progress_path:
            return self.done, self.total
        try:
            with open(self.progress_path, encoding="utf-8") as stream:
                data = json.load(stream)
            return int(data["done"]), int(data["total"])
        except (OSError, ValueError, KeyError, TypeError):
            return self.done, self.total

    def last_heard(self) -> datetime.datetime:
        """When the worker running this import last wrote its progress."""
        try:
            stamp = os.stat(self.progress_path).st_mtime
        except (OSError, ValueError):
            return self.created_at
        return datetime.datetime.fromtimestamp(stamp, tz=datetime.UTC)

    def give_up_if_stalled(self, now=None) -> bool:
        """Mark a running import whose worker went away as failed (the import is one
        transaction: it changed nothing) and delete its upload; True if it was."""
        now = now or timezone.now()
        if self.status != self.Status.RUNNING or now - self.last_heard() < STALLED_AFTER:
            return False
        with translation.override(self.language):
            self.fail(gettext("The import stopped: its worker ended before the import did."))
        self.finished_at = now
        # Only if it is still running: a worker that finishes meanwhile keeps its result.
        stalled = ImportJob.objects.filter(pk=self.pk, status=self.Status.RUNNING)
        if not stalled.update(status=self.status, error=self.error, finished_at=now, upload=""):
            self.refresh_from_db()
            return False
        self.discard_upload()
        return True

    def run(self) -> None:
        """Import the upload into the blog (all or nothing), record the report or the
        error in the language of the person who started it, and delete the upload."""
        from .formats import FORMATS
        from .report import JobProgress, write_progress

        self.status = self.Status.RUNNING
        self.save(update_fields=["status"])
        if self.progress_path:  # a first sign of life before the file is counted
            write_progress(self.progress_path, 0, 0)
        with translation.override(self.language):
            try:
                progress = JobProgress(self.progress_path, self.upload.path, self.file_format)
                self.total = progress.total
                self.save(update_fields=["total"])
                report = FORMATS[self.file_format].import_file(
                    path=self.upload.path, blog_slug=self.blog.slug, progress=progress
                )
            except ImportFailed as error:
                self.fail(str(error))
            except Exception:
                logger.exception("The import %s failed", self.pk)
                self.fail(gettext("The import stopped on an unexpected error."))
            else:
                self.status = self.Status.DONE
                self.report = {
                    "imported": report.imported,
                    "skipped": report.skipped,
                    "warnings": [list(warning) for warning in report.warnings],
                }
            finally:
                self.discard_upload()
                self.done = self.total
                self.finished_at = timezone.now()
                self.save()

    def fail(self, message: str) -> None:
        self.status = self.Status.FAILED
        self.error = gettext("%(error)s Nothing was changed.") % {"error": message}

    def discard_upload(self) -> None:
        if self.upload:
            with_progress = self.progress_path
            self.upload.delete(save=False)
            if os.path.exists(with_progress):
                os.remove(with_progress)
