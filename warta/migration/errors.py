"""Why an import stops or leaves something out: the one place its exceptions are defined."""

from django.utils.translation import gettext as _


class ImportFailed(Exception):
    """The file cannot be imported; nothing was changed. ``line`` names where, when known."""

    def __init__(self, message: str, *, line: int | None = None):
        self.line = line
        if line:
            message = _("%(message)s (line %(line)s)") % {"message": message, "line": line}
        super().__init__(message)


class FetchRefused(Exception):
    """The address is not one an import may fetch from; ``message`` says why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message
