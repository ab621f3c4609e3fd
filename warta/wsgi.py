"""WSGI entry point served by granian (``make run``).

A reader's cached page is answered by ``CachedApplication`` before Django's middleware
and request cycle start (see ``warta/core/pagecache.py``); an anonymous reader's other
page views go through a shorter middleware chain (``warta/core/handlers.py``); everything
else goes to Django.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "warta.settings")

django_application = get_wsgi_application()

from warta.core.handlers import ReaderHandler  # noqa: E402 (needs the app registry)
from warta.core.pagecache import CachedApplication  # noqa: E402

reader_application = ReaderHandler()
application = CachedApplication(django_application, reader_application)

from warta.core.gateway import WSGIGateway  # noqa: E402

# What `warta serve` runs: the same application behind granian's RSGI interface, which
# reads each request's body before the worker's one Python thread is given the request.
gateway = WSGIGateway(application)
