"""The test suite's settings (pyproject.toml): development's, with a fast password hasher.
DATABASE_URL and REDIS_URL still choose the database and cache (CI runs the suite on both)."""

import os

# Development's defaults (no HTTPS redirect, plain static files, the development key) unless
# the environment says otherwise; pytest-django still runs the tests with DEBUG off.
os.environ.setdefault("DJANGO_DEBUG", "true")

# Under pytest-xdist (`make test` runs two workers) each worker gets a Redis database of its
# own, the next after REDIS_URL's: the tests empty the cache (FLUSHDB) between them, which
# would otherwise empty the other worker's too. (pytest-django gives each its own test
# database.) Set before the settings read it, and for the processes the tests start.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker.startswith("gw") and os.environ.get("REDIS_URL"):
    _base, _, _db = os.environ["REDIS_URL"].rstrip("/").rpartition("/")
    if not _db.isdigit():  # no database in the URL: redis://host:port
        _base, _db = os.environ["REDIS_URL"].rstrip("/"), "0"
    os.environ["REDIS_URL"] = f"{_base}/{int(_db) + int(_worker[2:])}"

from .settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
