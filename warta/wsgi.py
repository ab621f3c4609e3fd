"""WSGI entry point served by granian (``make run``).

A reader's cached page is answered by ``CachedApplication`` before Django's middleware
and request cycle start (see ``warta/core/pagecache.py``); everything else goes to Django.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "warta.settings")

django_application = get_wsgi_application()

from warta.core.pagecache import CachedApplication  # noqa: E402 (needs the app registry)

application = CachedApplication(django_application)
