"""What the desk checks in an uploaded backup before storing it: everything a person can be
told at once (not XML, not the right archive, a zip bomb, a name leaving its folder, a cut
file), so that a refused file leaves no upload and no row behind."""

import io
import tempfile

from django.utils.translation import gettext as _

from .errors import ImportFailed
from .formats import Format
from .report import Progress
from .xmlsafe import is_zip, iter_elements

BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def starts_like_xml(path) -> bool:
    with open(path, "rb") as stream:
        head = stream.read(4096)
    for bom in BOMS:
        head = head.removeprefix(bom)
    return head.lstrip().startswith(b"<")


def check_backup(path, file_format: Format) -> None:
    """Raise ``ImportFailed`` with the reason when ``path`` cannot be imported as
    ``file_format``: the archive is read as the import reads it (refusing bombs and
    traversal), and an XML file is parsed to its end, element by element."""
    importer_class = file_format.importer
    importer = importer_class(path, blog_slug="-", progress=Progress(stream=io.StringIO()))
    if not is_zip(path) and importer_class.xml and not starts_like_xml(path):
        raise ImportFailed(
            _("This file is neither XML nor a ZIP archive: %(expected)s")
            % {"expected": importer_class.expected_file}
        )
    with tempfile.TemporaryDirectory(prefix="warta-check-") as directory:
        prepared = importer.prepared(path, directory)
        if importer_class.xml:
            for _element in iter_elements(
                prepared, level=importer_class.entry_level, root_tags=importer_class.root_tags
            ):
                pass
        elif hasattr(importer, "records"):
            importer.path = prepared
            try:
                for _record in importer.records():
                    pass
            except UnicodeDecodeError as error:
                raise ImportFailed(
                    _("This file is not text: %(expected)s")
                    % {"expected": importer_class.expected_file}
                ) from error
