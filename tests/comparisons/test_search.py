"""Search across frameworks, features and sources (full text on PostgreSQL, icontains else)."""

import pytest

from comparisons.models import Framework
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


# --- The shipped knowledge base: what a visitor types, what they should see first ----------


def groups_of(client, query):
    """[(kind, [(title, url), …]), …] in the order the page shows them."""
    from comparisons.search import search_everything

    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return [(g.key, [(r.title, r.url) for r in g.results]) for g in search_everything(query)]


def test_microservices_finds_the_use_case_of_that_name_first(client, loaded):
    groups = groups_of(client, "microservices")
    kind, results = groups[0]
    assert kind == "use_cases"
    assert results[0] == ("Microservices", "/use-cases/microservices/")
    assert "recommendations" in dict(groups)


def test_admin_finds_the_admin_interface_feature_first(client, loaded):
    groups = groups_of(client, "admin")
    assert groups[0][0] == "features"
    assert groups[0][1][0][0] == "Admin interface"


def test_celery_finds_the_cells_that_take_it_and_the_source_about_it(client, loaded):
    groups = dict(groups_of(client, "celery"))
    cells = [title for title, _ in groups["cells"]]
    assert {"Flask × Background tasks", "Django × Background tasks"} <= set(cells[:3])
    assert any("Celery" in title for title, _ in groups["sources"])


def test_pydantic_finds_the_frameworks_that_validate_with_it(client, loaded):
    groups = dict(groups_of(client, "pydantic"))
    found = [title for title, _ in groups["frameworks"]]
    assert "FastAPI" in found and "Flask" not in found and "Django" not in found
    for framework in Framework.objects.filter(name__in=found):
        assert "pydantic" in f"{framework.summary} {framework.foundations}".lower(), framework
    assert any(title.startswith("FastAPI × ") for title, _ in groups["cells"])


def test_graphql_finds_the_use_case_and_recommendation_that_mention_it(client, loaded):
    groups = dict(groups_of(client, "graphql"))
    assert [url for _, url in groups["use_cases"]] == ["/use-cases/multi-tenant-saas/"]
    assert groups["recommendations"][0][0].startswith("Django for ")


def test_async_ranks_the_async_support_feature_first(client, loaded):
    groups = dict(groups_of(client, "async"))
    assert groups["features"][0][0] == "Async support"


def test_a_query_naming_frameworks_offers_their_comparison(client, loaded):
    content = client.get("/search/", {"q": "flask vs FastAPI"}).content.decode()
    assert 'href="/compare/fastapi-vs-flask/" data-search-comparison' in content
    drf = client.get("/search/", {"q": "django rest framework or django"}).content.decode()
    assert 'href="/compare/django-vs-django-rest-framework/" data-search-comparison' in drf
    assert "data-search-comparison" not in client.get("/search/", {"q": "flask"}).content.decode()


def test_snippets_mark_the_words_found_and_escape_the_rest(client, loaded):
    content = client.get("/search/", {"q": "celery"}).content.decode()
    assert "<mark>Celery</mark>" in content


def test_the_api_finds_the_same_records_as_the_page(loaded):
    from rest_framework.test import APIClient

    from comparisons.search import search_everything

    anonymous_api = APIClient()
    page = {g.key: [r.url for r in g.results] for g in search_everything("pydantic")}
    found = anonymous_api.get("/api/v1/frameworks/?search=pydantic").json()["results"]
    assert [f"/frameworks/{item['slug']}/" for item in found] == page["frameworks"]
    cells = anonymous_api.get("/api/v1/supports/?search=celery&page_size=100").json()["results"]
    page_cells = {g.key: g for g in search_everything("celery")}["cells"]
    assert len(cells) >= len(page_cells.results)
