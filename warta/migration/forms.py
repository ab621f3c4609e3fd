import contextlib
import tempfile

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .errors import ImportFailed
from .formats import FORMATS
from .upload import check_backup


def import_choices():
    """Blogger and WordPress first (what people move from), then the other formats."""
    first = [name for name in ("blogger", "wordpress") if name in FORMATS]
    names = first + [name for name in FORMATS if name not in first]
    return [(name, FORMATS[name].label) for name in names]


class ImportForm(forms.Form):
    file_format = forms.ChoiceField(
        label=_("Format"),
        choices=import_choices,
        initial="blogger",
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("Backup file"),
        help_text=_(
            "Blogger: the .xml of “Back up content”, or Google Takeout's .zip (or the "
            "feed.atom inside it). WordPress: the .xml of Tools → Export."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.WARTA_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s; an import takes at most %(limit)s."),
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
                code="too_large",
            )
        return upload

    def clean(self):
        cleaned = super().clean()
        upload, name = cleaned.get("file"), cleaned.get("file_format")
        if upload is None or name is None:
            return cleaned
        try:
            with on_disk(upload) as path:
                check_backup(path, FORMATS[name])
        except ImportFailed as error:
            self.add_error("file", forms.ValidationError(str(error), code="refused"))
        return cleaned


@contextlib.contextmanager
def on_disk(upload):
    """The upload as a file on disk: a small one is held in memory until now, and its copy
    is removed again at once."""
    if hasattr(upload, "temporary_file_path"):
        yield upload.temporary_file_path()
        return
    upload.seek(0)
    with tempfile.NamedTemporaryFile(prefix="warta-upload-") as temporary:
        for chunk in upload.chunks():
            temporary.write(chunk)
        temporary.flush()
        yield temporary.name
