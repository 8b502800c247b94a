"""Writes that race each other, for real: threads, each on its own database connection,
against committed data (on PostgreSQL the row locks are real; CI runs this file there)."""

import threading
import time
from unittest import mock

import pytest
from django.db import connection, connections
from django.test import Client
from rest_framework.authtoken.models import Token

from api.serializers import FullCleanModelSerializer
from comparisons.editorial import editors_group_ensure
from comparisons.models import Claim, Source, Support
from tests.factories import SourceFactory, SupportFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite", reason="SQLite has no row locks: one writer at a time"
    ),
]


@pytest.fixture
def token(db):
    user = UserFactory(username="racer")
    user.groups.add(editors_group_ensure())
    return Token.objects.create(user=user).key


def all_at_once(*requests):
    """Run each request (a function of a Client) in its own thread, released together;
    return their responses in order."""
    start = threading.Barrier(len(requests))
    responses = [None] * len(requests)

    def run(index, request):
        try:
            start.wait()
            responses[index] = request(Client())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


@pytest.fixture
def slow_validation():
    """Validation takes a moment, as it may on a busy server: long enough that requests
    arriving together all read the row before any of them writes, unless they wait for its
    lock first."""
    validate = FullCleanModelSerializer.validate

    def slowly(self, attrs):
        time.sleep(0.2)
        return validate(self, attrs)

    with mock.patch.object(FullCleanModelSerializer, "validate", slowly):
        yield


@pytest.mark.usefixtures("slow_validation")
def test_simultaneous_patches_of_different_fields_all_survive(token):
    cell = SupportFactory(summary="Old", packages="", since_version="", notes="")
    url = f"/api/v1/supports/{cell.pk}/"
    changes = [
        {"summary": "Native async views"},
        {"packages": ["asgiref"]},  # a list in the API, stored comma-separated
        {"since_version": "3.1"},
        {"notes": "Needs an ASGI server."},
    ]

    def patch(change):
        return lambda client: client.patch(
            url, change, content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}"
        )

    responses = all_at_once(*(patch(change) for change in changes))

    assert [response.status_code for response in responses] == [200] * 4
    stored = Support.objects.get(pk=cell.pk)
    assert (stored.summary, stored.packages, stored.since_version, stored.notes) == (
        "Native async views",
        "asgiref",
        "3.1",
        "Needs an ASGI server.",
    )
    assert stored.version == cell.version + 4  # four edits, four versions
    assert sorted(response.json()["version"] for response in responses) == [2, 3, 4, 5]


def test_of_twenty_simultaneous_edits_from_one_etag_exactly_one_lands(token):
    cell = SupportFactory(summary="Start")
    url = f"/api/v1/supports/{cell.pk}/"
    etag = f'"{cell.version}"'

    def patch(number):
        return lambda client: client.patch(
            url,
            {"summary": f"Edit {number}"},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {token}",
            HTTP_IF_MATCH=etag,
        )

    responses = all_at_once(*(patch(number) for number in range(20)))

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200] + [412] * 19
    (winner,) = [response for response in responses if response.status_code == 200]
    stored = Support.objects.get(pk=cell.pk)
    assert (stored.summary, stored.version) == (winner.json()["summary"], cell.version + 1)


def test_a_delete_racing_another_delete_is_a_404(token):
    source = SourceFactory(slug="twice")
    url = "/api/v1/sources/twice/"

    def delete(client):
        return client.delete(url, HTTP_AUTHORIZATION=f"Token {token}")

    responses = all_at_once(delete, delete, delete)

    assert sorted(response.status_code for response in responses) == [204, 404, 404]
    assert not Source.objects.filter(pk=source.pk).exists()


def test_a_claim_added_while_its_source_is_deleted_is_never_lost_silently(token):
    """Either the delete is refused (the claim came first) or the claim is (it came second):
    never a 204 that took a new claim with it."""
    source = SourceFactory(slug="contested")
    cell = SupportFactory()

    def delete(client):
        return client.delete("/api/v1/sources/contested/", HTTP_AUTHORIZATION=f"Token {token}")

    def add_claim(client):
        return client.post(
            "/api/v1/claims/",
            {
                "source": "contested",
                "framework": cell.framework.slug,
                "feature": cell.feature.slug,
                "statement": "Said at the same moment.",
            },
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {token}",
        )

    deleted, added = all_at_once(delete, add_claim)

    assert {deleted.status_code, added.status_code} in ({204, 400}, {409, 201}, {204, 409})
    if added.status_code == 201:
        assert Claim.objects.filter(pk=added.json()["id"]).exists()
        assert Source.objects.filter(pk=source.pk).exists()
