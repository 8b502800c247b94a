"""The public cache: hits skip the database, 304s skip rendering, and every committed change
— admin, API, import, revert — shows on the very next request."""

import gzip
import json
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from comparisons import caching
from comparisons.caching import (
    SOURCE_FOLDERS,
    STATE_KEY,
    LocalPages,
    content_changed,
    content_state,
    source_fingerprint,
)
from comparisons.editorial import editors_group_ensure
from comparisons.models import Support
from tests.factories import (
    ClaimFactory,
    FeatureFactory,
    FrameworkFactory,
    SupportFactory,
    UserFactory,
    admin_cell_form,
)

COMPARE = "/compare/django-vs-flask/"


@pytest.fixture
def matrix(db):
    django = FrameworkFactory(slug="django", name="Django")
    flask = FrameworkFactory(slug="flask", name="Flask")
    feature = FeatureFactory(name="Async support", slug="async-support")
    cell = SupportFactory(framework=django, feature=feature, level="partial", summary="Async views")
    SupportFactory(framework=flask, feature=feature, level="partial", summary="Limited")
    ClaimFactory(support=cell, level="partial")
    return cell


@pytest.fixture
def editor():
    user = UserFactory(username="eddie", is_staff=True)
    user.groups.add(editors_group_ensure())
    return user


def test_a_repeated_anonymous_read_is_served_from_the_cache(
    client, matrix, django_assert_num_queries
):
    first = client.get(COMPARE)
    assert first.status_code == 200 and first["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(COMPARE)
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    assert second["X-Frame-Options"] == "DENY"


def test_a_hit_carries_the_same_headers_as_the_response_it_copies(client, matrix):
    """The cache answers before the session, CSRF and clickjacking middleware: what they
    added to the page (X-Frame-Options, Vary) comes back with it, and the security headers
    are added to every response alike."""
    headers = {}
    for expected in ("miss", "hit"):
        response = client.get(COMPARE, secure=True)
        assert response["X-Cache"] == expected
        headers[expected] = {
            name.lower(): value for name, value in response.items() if name != "X-Cache"
        }
    assert headers["hit"] == headers["miss"]
    assert {"x-frame-options", "x-content-type-options", "referrer-policy"} <= set(headers["hit"])


def test_each_host_gets_its_own_copy_and_an_unknown_host_none(client, matrix, settings):
    """Responses hold absolute URLs (the API's `api_url`): one host's copy is not another's."""
    settings.ALLOWED_HOSTS = ["versus.example.org", "mirror.example.org"]
    for host in ("versus.example.org", "mirror.example.org"):
        first = client.get("/api/v1/frameworks/", HTTP_HOST=host)
        assert first["X-Cache"] == "miss"
        assert f"http://{host}/api/v1/frameworks/django/" in first.content.decode()
        assert client.get("/api/v1/frameworks/", HTTP_HOST=host)["X-Cache"] == "hit"
        assert client.get(COMPARE, HTTP_HOST=host)["X-Cache"] == "miss"
    assert client.get(COMPARE, HTTP_HOST="evil.example.com").status_code == 400


def test_if_none_match_gets_304_without_rendering(client, matrix, django_assert_num_queries):
    page = client.get(COMPARE)
    assert page["ETag"] and page["Last-Modified"]
    with django_assert_num_queries(0):
        not_modified = client.get(COMPARE, HTTP_IF_NONE_MATCH=page["ETag"])
    assert not_modified.status_code == 304
    assert not_modified["ETag"] == page["ETag"]
    assert client.get(COMPARE, HTTP_IF_NONE_MATCH='"stale"').status_code == 200


def test_api_reads_are_cached_and_conditional_too(client, matrix, django_assert_num_queries):
    url = "/api/v1/supports/?framework=django"
    first = client.get(url)
    assert first.status_code == 200 and first["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert (
        client.get(url, HTTP_ORIGIN="https://elsewhere.example")["Access-Control-Allow-Origin"]
        == "*"
    )


@pytest.mark.django_db(transaction=True)
def test_an_admin_edit_shows_on_the_next_request(client, matrix, editor):
    etag = client.get(COMPARE)["ETag"]
    admin = Client()
    admin.force_login(editor)
    url = reverse("admin:comparisons_support_change", args=[matrix.pk])
    response = admin.post(
        url, admin_cell_form(matrix, level="native", summary="Fully async since the admin edit")
    )
    assert response.status_code == 302
    assert client.get(COMPARE, HTTP_IF_NONE_MATCH=etag).status_code == 200
    page = client.get(COMPARE)
    assert "Fully async since the admin edit" in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_an_api_edit_shows_on_the_next_request(client, matrix, editor):
    assert "Async views" in client.get(COMPARE).content.decode()
    token = Token.objects.create(user=editor)
    api = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.patch(
        f"/api/v1/supports/{matrix.pk}/",
        {"summary": "Edited through the API"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert "Edited through the API" in client.get(COMPARE).content.decode()
    api_read = client.get(f"/api/v1/supports/{matrix.pk}/")
    assert api_read.json()["summary"] == "Edited through the API"


@pytest.mark.django_db(transaction=True)
def test_a_revert_from_history_shows_on_the_next_request(client, matrix, editor):
    matrix.summary = "Changed"
    matrix.version += 1
    matrix.save()
    assert "Changed" in client.get(COMPARE).content.decode()
    original = matrix.history.order_by("history_date").first()
    original.instance.version = matrix.version + 1
    original.instance.save()  # what the admin's revert does, in the end
    assert "Async views" in client.get(COMPARE).content.decode()


def test_signed_in_editors_never_get_the_public_copy(client, matrix, editor):
    client.get(COMPARE)  # cached for the public
    editor_client = Client()
    editor_client.force_login(editor)
    response = editor_client.get(COMPARE)
    assert response.status_code == 200
    assert "X-Cache" not in response
    assert "ETag" not in response


def test_writes_are_never_cached(matrix):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(COMPARE).status_code == 403
    assert strict.get(COMPARE)["X-Cache"] == "miss"


def test_a_change_made_in_a_rolled_back_transaction_does_not_invalidate(
    matrix, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        matrix.summary = "Not committed"
        matrix.save()
    assert callbacks, "the bump waits for the commit"


def test_browsers_get_a_gzip_copy_compressed_once(client, matrix, django_assert_num_queries):
    plain = client.get(COMPARE)
    assert "Content-Encoding" not in plain
    assert "Accept-Encoding" in plain["Vary"]
    with django_assert_num_queries(0):
        zipped = client.get(COMPARE, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content
    assert len(zipped.content) < len(plain.content) / 3
    # Each encoding is its own representation, with its own ETag and 304.
    assert zipped["ETag"] != plain["ETag"]
    again = client.get(COMPARE, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=zipped["ETag"])
    assert again.status_code == 304
    refused = client.get(COMPARE, HTTP_ACCEPT_ENCODING="gzip;q=0, identity")
    assert "Content-Encoding" not in refused and refused.content == plain.content


def test_the_in_process_copy_never_outlives_a_change(client, matrix, settings):
    """A second process bumps the generation in the shared cache; this process's in-memory
    copy of the page must not be served any more."""
    assert "Async views" in client.get(COMPARE).content.decode()
    assert client.get(COMPARE)["X-Cache"] == "hit"
    Support.objects.filter(pk=matrix.pk).update(summary="Async everywhere")  # no signal
    content_changed()  # what another process's commit does to the shared generation
    page = client.get(COMPARE)
    assert page["X-Cache"] == "miss"
    assert "Async everywhere" in page.content.decode()


def test_the_in_process_tier_is_bounded_in_bytes():
    pages = LocalPages(max_bytes=10_000)
    for number in range(20):
        pages.put(f"page-{number}", (200, {}, b"x" * 1_000, None))
    assert pages.size <= 10_000
    assert pages.get("page-0") is None and pages.get("page-19") is not None
    pages.put("huge", (200, {}, b"x" * 5_000, None))  # over a quarter: not kept
    assert pages.get("huge") is None


def test_with_the_in_process_tier_off_pages_still_come_from_the_shared_cache(
    client, matrix, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(caching, "local_pages", LocalPages(max_bytes=0))  # VERSUS_LOCAL_..=0
    first = client.get(COMPARE)
    with django_assert_num_queries(0):
        second = client.get(COMPARE)
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    assert caching.local_pages.size == 0


def test_exempt_paths_are_never_cached(client, matrix, settings):
    settings.PUBLIC_CACHE_EXEMPT_PATHS = [*settings.PUBLIC_CACHE_EXEMPT_PATHS, "/compare/"]
    page = client.get(COMPARE)
    assert page.status_code == 200
    assert "X-Cache" not in page and "ETag" not in page
    assert client.get("/frameworks/")["X-Cache"] == "miss"


def copy_source(target):
    for folder in SOURCE_FOLDERS:
        shutil.copytree(
            Path(settings.BASE_DIR) / folder, target / folder,
            ignore=shutil.ignore_patterns("__pycache__"),
        )  # fmt: skip


def test_the_release_fingerprint_is_the_same_for_the_same_code_on_every_host(tmp_path):
    """Two hosts of one deployment must give one ETag for one page: the fingerprint depends
    on the files' contents, not on when they were written."""
    copy_source(tmp_path / "one")
    copy_source(tmp_path / "two")
    for path in (tmp_path / "two").rglob("*"):
        os.utime(path, (1_600_000_000, 1_600_000_000))  # checked out at another time
    assert source_fingerprint(tmp_path / "one") == source_fingerprint(tmp_path / "two")
    assert source_fingerprint(tmp_path / "one") == source_fingerprint(settings.BASE_DIR)
    template = tmp_path / "two" / "templates" / "base.html"
    template.write_text(template.read_text() + "\n<!-- a new release -->\n")
    assert source_fingerprint(tmp_path / "one") != source_fingerprint(tmp_path / "two")


def test_a_content_state_the_code_cannot_read_is_replaced(client, matrix):
    """E.g. one an older release left under the same key: the page is still served, fresh."""
    cache.set(STATE_KEY, "not a state", timeout=None)
    page = client.get(COMPARE)
    assert page.status_code == 200 and page["X-Cache"] == "miss" and page["Last-Modified"]
    generation, last_modified = content_state()
    assert isinstance(generation, int) and last_modified == page["Last-Modified"]


def test_api_reads_come_gzipped_to_clients_that_ask(client, matrix):
    for number in range(8):  # enough JSON to be worth compressing
        SupportFactory(framework=matrix.framework, summary=f"Cell number {number} of eight.")
    plain = client.get("/api/v1/supports/")
    zipped = client.get("/api/v1/supports/", HTTP_ACCEPT_ENCODING="gzip")
    assert zipped["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(zipped.content)) == plain.json()
