"""WSGI entry point: gunicorn serves `project.wsgi` (its `application` object)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

application = get_wsgi_application()
