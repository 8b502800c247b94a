"""Settings for the Django Ninja benchmark app (production-style: DEBUG off, persistent
connections)."""

import os
from urllib.parse import unquote, urlsplit

# [task:setup]
# A fixed dummy key: this benchmark app has no sessions, signing or users, so nothing depends on it.
SECRET_KEY = "versus-bench-dummy-secret-key-not-used-for-anything"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

# "ninja" is optional here: it only hosts the docs page's JavaScript, and that page is off.
INSTALLED_APPS = ["world"]
# SecurityMiddleware adds the security headers; CommonMiddleware checks the Host header
# against ALLOWED_HOSTS and sets Content-Length. Sessions, auth, CSRF, messages and
# clickjacking serve browser logins and forms, which these read-only endpoints don't have.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]
ROOT_URLCONF = "project.urls"
WSGI_APPLICATION = "project.wsgi.application"

TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}]

# BENCH_DATABASE_URL = postgres://user[:password]@host:port/dbname
_url = urlsplit(os.environ["BENCH_DATABASE_URL"])
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(_url.path.lstrip("/")),
        "USER": unquote(_url.username or ""),
        "PASSWORD": unquote(_url.password or ""),
        "HOST": _url.hostname or "",
        "PORT": str(_url.port or ""),
        "CONN_MAX_AGE": None,  # one connection per worker, kept for the worker's lifetime
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"  # the tables' ids are plain integers
TIME_ZONE = "UTC"  # Django exports it as the process TZ (log timestamps)
USE_TZ = True
# [/task:setup]
