# The import benchmark's file goes through the importer: its messages are read in English.
from warta.migration.tests.conftest import _english  # noqa: F401
