"""Password guessing: django-axes locks sign-ins out, per account and per address, on both
doors (the admin's login page and the API's token endpoint), and opens them again after the
cool-off."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"  # UserFactory's
TOKEN_URL = "/api/v1/auth/token/"
LOGIN_URL = "/admin/login/"


@pytest.fixture(autouse=True)
def _lock_out_after_three(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    # The API's own rate limits out of the way: this is about the lock-out.
    settings.REST_FRAMEWORK = {
        **django_settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
    }


@pytest.fixture
def ada(db):
    return UserFactory(username="ada", is_staff=True, is_superuser=True)


def token(client, username, password, **extra):
    return client.post(TOKEN_URL, {"username": username, "password": password}, **extra)


def admin_login(client, username, password, **extra):
    return client.post(
        LOGIN_URL, {"username": username, "password": password, "next": "/admin/"}, **extra
    )


def cool_off_passes():
    """As if the cool-off had run out since the last failure."""
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))


def test_the_token_endpoint_locks_an_account_out_then_lets_it_in_after_the_cool_off(ada):
    client = APIClient()
    # From three addresses, so the account's own count is what locks it; the third failure
    # is already answered as a lock-out.
    answers = [
        token(client, "ada", "guess", REMOTE_ADDR=f"198.51.100.{number}").status_code
        for number in range(3)
    ]
    assert answers == [400, 400, 429]
    refused = token(client, "ada", PASSWORD, REMOTE_ADDR="198.51.100.77")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "900"
    assert refused["Content-Type"] == "application/json"
    error = refused.json()["error"]
    assert (error["status"], error["code"]) == (429, "throttled")
    assert "Too many failed sign-ins" in error["message"]
    assert "token" not in refused.json()

    cool_off_passes()
    accepted = token(client, "ada", PASSWORD, REMOTE_ADDR="198.51.100.77")
    assert accepted.status_code == 200
    assert accepted.json()["token"]


def test_the_token_endpoint_locks_an_address_out_whatever_account_it_tries(ada):
    client = APIClient()
    answers = [
        token(client, name, "guess", REMOTE_ADDR="203.0.113.5").status_code
        for name in ("bob", "carol", "dave")
    ]
    assert answers == [400, 400, 429]
    assert token(client, "ada", PASSWORD, REMOTE_ADDR="203.0.113.5").status_code == 429
    # Another address is not locked out, nor is ada's account.
    assert token(client, "ada", PASSWORD, REMOTE_ADDR="203.0.113.6").status_code == 200


def test_rotating_x_forwarded_for_does_not_escape_the_lock_out(ada):
    """No proxy is trusted by default: what the client writes in X-Forwarded-For is not its
    address."""
    client = APIClient()
    answers = [
        token(client, f"user{number}", "guess", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
        for number in range(4)
    ]
    assert [answer.status_code for answer in answers] == [400, 400, 429, 429]


def test_behind_one_trusted_proxy_the_address_it_appended_is_the_clients(ada, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    client = APIClient()
    # The client writes whatever it likes in front; the proxy appends the real address.
    answers = [
        token(client, f"u{number}", "guess", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}, 198.51.100.9")
        for number in range(3)
    ]
    assert [answer.status_code for answer in answers] == [400, 400, 429]
    assert token(client, "ada", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.9").status_code == 429
    # Another client behind the same proxy (same REMOTE_ADDR) is not locked out.
    assert token(client, "ada", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.10").status_code == 200
    # Text that is not an address counts as the connection's address, and is stored fine.
    assert token(client, "x", "guess", HTTP_X_FORWARDED_FOR="not-an-address").status_code == 400
    assert AccessAttempt.objects.filter(ip_address="127.0.0.1").exists()


def test_the_admin_login_locks_out_with_a_page_and_lets_in_after_the_cool_off(ada):
    client = Client()
    for _ in range(2):
        answer = admin_login(client, "ada", "guess")
        assert answer.status_code == 200  # the login form again, with its error
        assert "Please enter the correct username and password" in answer.content.decode()
    locked = admin_login(client, "ada", "guess")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Sign-in paused" in page
    assert "15 minutes" in page

    # The right password does not get in while it is locked out.
    refused = admin_login(client, "ada", PASSWORD)
    assert refused.status_code == 429
    assert client.get("/admin/").status_code == 302  # still signed out

    cool_off_passes()
    signed_in = admin_login(client, "ada", PASSWORD)
    assert (signed_in.status_code, signed_in["Location"]) == (302, "/admin/")
    assert client.get("/admin/").status_code == 200


def test_admin_and_token_failures_count_together(ada):
    """One account, one count, whichever door the guesses come through."""
    assert admin_login(Client(), "ada", "guess").status_code == 200
    assert token(APIClient(), "ada", "guess").status_code == 400
    assert admin_login(Client(), "ada", "guess").status_code == 429
    assert token(APIClient(), "ada", PASSWORD).status_code == 429


def test_a_successful_sign_in_clears_the_failures(ada):
    client = APIClient()
    for _ in range(2):
        assert token(client, "ada", "guess").status_code == 400
    assert token(client, "ada", PASSWORD).status_code == 200
    for _ in range(2):
        assert token(client, "ada", "guess").status_code == 400
    assert token(client, "ada", PASSWORD).status_code == 200
