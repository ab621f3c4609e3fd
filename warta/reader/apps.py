from django.apps import AppConfig


class ReaderConfig(AppConfig):
    name = "warta.reader"
    label = "reader"
