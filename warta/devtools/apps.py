from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevtoolsConfig(AppConfig):
    """Demo content, generated blogs and the import benchmark: tools for trying Warta and
    measuring it. The top layer: it may use every other app, and none uses it."""

    name = "warta.devtools"
    label = "devtools"
    verbose_name = _("Warta developer tools")
