from django.apps import AppConfig


class MigrationConfig(AppConfig):
    name = "warta.migration"
    label = "migration"
