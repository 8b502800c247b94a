"""Safe by default: with no environment the site refuses to start without a real secret key,
in one line; development (`make run`: DJANGO_DEBUG=true) needs nothing else."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "k3J9-qP2xV7mZ0rT5wY8bN1cL4hF6dS0aG3eU2iO9pR7tQ5vX1zB8nM4",
    "DJANGO_ALLOWED_HOSTS": "versus.example.org",
}


def start(*command, **environment):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(environment)
    return subprocess.run(
        command, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def manage(*args, **environment):
    return start(sys.executable, "manage.py", *args, **environment)


def test_deploy_check_is_clean_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "secret_key",
    [None, "", "django-insecure-versus-development-only", "django-insecure-abc", "change-me"],
)
def test_production_refuses_a_missing_or_default_secret_key(secret_key):
    environment = {**PRODUCTION}
    environment.pop("DJANGO_SECRET_KEY")
    if secret_key is not None:
        environment["DJANGO_SECRET_KEY"] = secret_key
    result = manage("check", **environment)
    assert result.returncode != 0
    # One clear line, with no traceback in front of it.
    assert result.stderr.strip().startswith("DJANGO_SECRET_KEY must be set")
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "command",
    [
        ("manage.py", "check"),
        ("manage.py", "runserver", "--noreload", "127.0.0.1:0"),
        # Without preloading (gunicorn's default) a worker fails to boot: the server stops.
        ("gunicorn", "--bind", "127.0.0.1:0", "config.wsgi"),
        ("gunicorn", "-c", "config/gunicorn.py", "--bind", "127.0.0.1:0", "config.wsgi"),
    ],
)
def test_with_no_environment_every_start_stops_with_one_line(command):
    program = str(GUNICORN) if command[0] == "gunicorn" else sys.executable
    arguments = command[1:] if command[0] == "gunicorn" else command
    result = start(program, *arguments, WEB_CONCURRENCY="1")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    refusals = [line for line in result.stderr.splitlines() if "DJANGO_SECRET_KEY" in line]
    assert len(refusals) == 1, result.stderr
    assert "secrets.token_urlsafe(64)" in refusals[0]


def test_development_needs_only_django_debug():
    result = manage("check", DJANGO_DEBUG="true")
    assert result.returncode == 0, result.stderr


def test_security_headers_on_every_response(client):
    from django.conf import settings as live

    assert live.X_FRAME_OPTIONS == "DENY"
    response = client.get("/healthz")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_start_that_forgets_django_debug_serves_no_debug_page():
    """Only the secret key given: production settings, so an error page says nothing of the
    code (Django's technical 404 lists the URL patterns). The plain static storage stands in
    for the hashed one, whose manifest exists only after `collectstatic`."""
    script = (
        "from django.test import Client; from django.conf import settings; "
        "response = Client().get('/no-such-page/', HTTP_HOST='versus.example.org', secure=True); "
        "print(settings.DEBUG, response.status_code, b'URLconf' in response.content)"
    )
    environment = {key: value for key, value in PRODUCTION.items() if key != "DJANGO_DEBUG"}
    environment["DJANGO_STATICFILES_STORAGE"] = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    result = manage("shell", "-c", script, **environment)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["False", "404", "False"]


def test_make_run_turns_the_developer_pages_on():
    result = start("make", "-n", "run")
    assert result.returncode == 0, result.stderr
    serving = [line for line in result.stdout.splitlines() if "runserver" in line]
    assert serving and "DJANGO_DEBUG=${DJANGO_DEBUG:-true}" in serving[0]
