"""The test suite's settings (pyproject.toml): development's, with a fast password hasher.
DATABASE_URL and REDIS_URL still choose the database and cache (CI runs the suite on both)."""

import os

# Development's defaults (no HTTPS redirect, plain static files, the development key) unless
# the environment says otherwise; pytest-django still runs the tests with DEBUG off.
os.environ.setdefault("DJANGO_DEBUG", "true")

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
