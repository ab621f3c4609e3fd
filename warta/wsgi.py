"""WSGI entry point, and the RSGI gateway that `warta serve` runs under granian.

A reader's cached page is answered before Django's middleware and request cycle start
(``warta/pagecache/``): under RSGI from the request's scope (``pagecache.rsgi``), under
WSGI by ``CachedApplication``. An anonymous reader's other page views go through a shorter
middleware chain (``pagecache.handlers``); everything else goes to Django.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "warta.settings")

django_application = get_wsgi_application()

from warta.core.gateway import WSGIGateway  # noqa: E402 (needs the app registry)
from warta.pagecache.handlers import ReaderHandler  # noqa: E402
from warta.pagecache.rsgi import answer_hit  # noqa: E402
from warta.pagecache.wsgi import CachedApplication  # noqa: E402

reader_application = ReaderHandler()
application = CachedApplication(django_application, reader_application)

# What `warta serve` runs: the same application behind granian's RSGI interface, which
# reads each request's body before the worker's one Python thread is given the request,
# and answers a cached page before building the WSGI environ.
gateway = WSGIGateway(application, early=answer_hit)
