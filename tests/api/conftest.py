"""Clients for the three kinds of API user: anonymous, signed in without permissions, editor."""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import UserFactory

EDITORS = "Editors"  # the group the admin's migration creates; it governs the API too


@pytest.fixture(autouse=True)
def _generous_throttles(settings):
    """Tests make many requests quickly; the rate limits have a test of their own."""
    settings.REST_FRAMEWORK = {
        **django_settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
    }


def token_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0]}")
    return client


@pytest.fixture
def anonymous():
    return APIClient()


@pytest.fixture
def stranger_user(db):
    return UserFactory(username="stranger")


@pytest.fixture
def stranger(stranger_user):
    """Signed in with a token, but holding no permission."""
    return token_client(stranger_user)


@pytest.fixture
def editor_user(db):
    user = UserFactory(username="editor")
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture
def editor(editor_user):
    return token_client(editor_user)
