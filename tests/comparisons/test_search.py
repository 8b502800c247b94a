"""Search across frameworks, features and sources (full text on PostgreSQL, icontains else)."""

import pytest

from tests.comparisons.web_data import build_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    return build_site()


def test_finds_frameworks_features_and_sources(client, site):
    content = client.get("/search/", {"q": "async"}).content.decode()
    assert 'href="/features/async-support/"' in content
    content = client.get("/search/", {"q": "flask"}).content.decode()
    assert 'href="/frameworks/flask/"' in content
    assert 'href="/sources/fastapi-django-or-flask/"' in content


def test_every_word_must_match(client, site):
    content = client.get("/search/", {"q": "batteries included"}).content.decode()
    assert 'href="/frameworks/django/"' in content
    content = client.get("/search/", {"q": "batteries websockets"}).content.decode()
    assert "0 results" in content


def test_an_empty_search_shows_the_form(client, site):
    response = client.get("/search/")
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()


def test_an_overlong_query_is_a_clear_400(client, site):
    response = client.get("/search/", {"q": "x" * 201})
    assert response.status_code == 400
    assert "at most 200 characters" in response.content.decode()
    assert client.get("/search/", {"q": "x" * 200}).status_code == 200


@pytest.mark.parametrize("query", ["q=%00", "q=flask%00", "q=%FF", "q=%FF%FE%FD"])
def test_odd_bytes_are_a_clear_400(client, site, query):
    response = client.get(f"/search/?{query}")
    assert response.status_code == 400
    assert "Skip to content" in response.content.decode()


@pytest.mark.parametrize("query", ["'", '"', "a & b", "!", "(", "flask | django", "-", "*"])
def test_search_syntax_characters_never_break_it(client, site, query):
    assert client.get("/search/", {"q": query}).status_code == 200
