"""WSGI entry point (gunicorn config.wsgi)."""

import os
import sys

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

try:
    application = get_wsgi_application()
except SystemExit as refusal:  # the settings' one line, e.g. no DJANGO_SECRET_KEY
    # Exit status 3 is gunicorn's "worker failed to boot": the server stops, instead of
    # restarting the worker forever (as it does for any other status, without preload).
    if refusal.code not in (None, 0):
        print(refusal.code, file=sys.stderr)
    raise SystemExit(3) from None
