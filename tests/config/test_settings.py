"""Production settings are safe by construction; development needs no environment at all."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "k3J9-qP2xV7mZ0rT5wY8bN1cL4hF6dS0aG3eU2iO9pR7tQ5vX1zB8nM4",
    "DJANGO_ALLOWED_HOSTS": "versus.example.org",
}


def manage(*args, **environment):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(environment)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


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
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
    # One clear line, not a wall of traceback noise in front of it.
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith("django.core.exceptions.ImproperlyConfigured: DJANGO_SECRET_KEY")
    )


def test_development_runs_with_no_environment_at_all():
    result = manage("check")
    assert result.returncode == 0, result.stderr


def test_security_headers_on_every_response(client):
    from django.conf import settings as live

    assert live.X_FRAME_OPTIONS == "DENY"
    response = client.get("/healthz")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
