from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowersConfig(AppConfig):
    name = "warta.followers"
    label = "followers"
    verbose_name = _("Followers")
