"""The public pages: every URL of the map answers, and drafts never show on any surface."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from comparisons.models import Benchmark, Feature, Framework, Source, UseCase
from tests.comparisons.web_data import DRAFT_WORDS, build_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    return build_site()


@pytest.fixture
def knowledge_base():
    """The knowledge base Versus ships with, loaded as `make run` loads it."""
    call_command("load_knowledge_base", verbosity=0)


def public_urls():
    """Every URL of the public map (but /choose/), with the seeded records filled in."""
    frameworks = list(Framework.objects.published().order_by("name"))
    urls = ["/", "/frameworks/", "/compare/", "/features/", "/sources/", "/benchmarks/"]
    urls += ["/use-cases/", "/search/?q=async", "/changes/", "/changes/feed/"]
    urls += ["/sitemap.xml", "/robots.txt", "/healthz"]
    urls += [framework.get_absolute_url() for framework in frameworks]
    urls += [feature.get_absolute_url() for feature in Feature.objects.published()]
    urls += [source.get_absolute_url() for source in Source.objects.published()]
    urls += [benchmark.get_absolute_url() for benchmark in Benchmark.objects.published()]
    urls += [use_case.get_absolute_url() for use_case in UseCase.objects.published()]
    slugs = [framework.slug for framework in frameworks[:3]]
    urls.append(reverse("comparisons:compare-matrix", kwargs={"spec": "-vs-".join(slugs)}))
    urls.append(f"/compare/?frameworks={','.join(slugs)}")
    return urls


def test_every_url_of_the_map_answers_with_the_shipped_knowledge_base(client, knowledge_base):
    assert Framework.objects.published().count() >= 4
    assert Benchmark.objects.published().exists()
    for url in public_urls():
        response = client.get(url, follow=True)
        assert response.status_code == 200, url


def test_pages_answer_with_factory_data_too(client, site):
    for url in public_urls():
        response = client.get(url, follow=True)
        assert response.status_code == 200, url


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/frameworks/",
        "/frameworks/flask/",
        "/frameworks/django/",
        "/compare/",
        "/compare/django-vs-fastapi-vs-flask/",
        "/compare/django-vs-fastapi-vs-flask/?only_differences=1",
        "/features/",
        "/features/async-support/",
        "/features/learning-curve/",
        "/sources/",
        "/sources/fastapi-django-or-flask/",
        "/benchmarks/",
        "/benchmarks/io-throughput/",
        "/use-cases/",
        "/use-cases/simple-crud-api/",
        "/changes/",
        "/changes/feed/",
        "/sitemap.xml",
    ],
)
def test_no_draft_appears_on_any_public_page(client, site, url):
    response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    for word in DRAFT_WORDS:
        assert word not in content, f"{word} leaked on {url}"
    assert "secretframe" not in content  # not even as a slug in a link


@pytest.mark.parametrize("query", ["Secretframe", "Hiddenfeature", "Classifiedsource"])
def test_no_draft_appears_in_search_results(client, site, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert "0 results" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/frameworks/secretframe/",
        "/features/hiddenfeature/",
        "/sources/classifiedsource/",
        "/use-cases/classified-use/",
        "/use-cases/unknown/",
    ],
)
def test_a_draft_has_no_page(client, site, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "There is no page here" in response.content.decode()


def test_a_draft_framework_cannot_be_compared(client, site):
    response = client.get("/compare/flask-vs-secretframe/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "secretframe" in content  # named back as unknown, as the visitor typed it
    assert "Secretframe" not in content  # its real name is never revealed


def test_home_has_a_picker_popular_comparisons_and_latest_sources(client, site):
    content = client.get("/").content.decode()
    assert 'action="/compare/"' in content
    assert 'name="frameworks" value="flask"' in content
    assert "/compare/django-vs-fastapi-vs-flask/" in content  # the article's line-up
    assert "FastAPI, Django or Flask?" in content


def test_framework_page_shows_facts_cells_points_benchmarks_use_cases_and_sources(client, site):
    content = client.get("/frameworks/flask/").content.decode()
    assert "A small WSGI core." in content
    assert 'data-feature="async-support"' in content
    assert 'data-reading="partial"' in content
    assert "Light." in content and "No async." in content
    assert "2,500" in content  # its benchmark figure
    assert "Simple CRUD API" in content
    assert "FastAPI, Django or Flask?" in content
    assert "First release" in content


def test_feature_page_shows_every_framework_and_every_claim(client, site):
    content = client.get("/features/async-support/").content.decode()
    for framework in ("Flask", "Django", "FastAPI"):
        assert f'data-framework="{framework.lower()}"' in content
    assert "Fully async." in content  # the disagreeing claim
    assert 'data-disputed="true"' in content
    rating = client.get("/features/learning-curve/").content.decode()
    assert "Gentle" in rating and "Steep" in rating
    assert 'data-reading="missing"' in rating  # FastAPI has no cell here


def test_source_page_lists_each_claim_linked_to_its_cell(client, site):
    content = client.get("/sources/fastapi-django-or-flask/").content.decode()
    assert "Compares the three frameworks." in content
    assert 'href="/features/async-support/#django"' in content
    assert 'href="/frameworks/flask/#feature-async-support"' in content


def test_use_cases_are_grouped_with_their_sources(client, site):
    content = client.get("/use-cases/").content.decode()
    assert 'id="simple-crud-api"' in content
    assert "Small and quick." in content
    assert "FastAPI, Django or Flask?" in content


def test_use_cases_group_recommendations_by_framework_and_start_from_their_preset(client, site):
    for url in ("/use-cases/", "/use-cases/simple-crud-api/"):
        content = client.get(url).content.decode()
        # Flask once, with both sources' reasons under it.
        assert content.count("<strong>Flask</strong>") == 1, url
        assert "— 2 sources" in content
        assert "Small and quick." in content and "Few moving parts." in content
        assert 'href="/sources/another-article/">Another article</a>' in content
        start = (
            'href="/choose/?must=async-support:partial&amp;prefer=learning-curve:gentle:3'
            '&amp;use_case=simple-crud-api">Start from this</a>'
        )
        assert start in content, url
    assert 'href="/use-cases/simple-crud-api/"' in client.get("/use-cases/").content.decode()


def test_a_use_case_page_says_its_preset_in_plain_words(client, site):
    content = client.get("/use-cases/simple-crud-api/").content.decode()
    assert "<h1>Simple CRUD API</h1>" in content
    assert "<strong>Must have:</strong> Async support — at least partial" in content
    assert "<strong>Prefer:</strong> Learning curve — Gentle end, matters a lot" in content
    assert "Our own reading of this use case: small and quick." in content
    assert "/use-cases/simple-crud-api/" in client.get("/sitemap.xml").content.decode()


def test_notes_are_markdown_and_sanitised(client, site):
    for page in ("/frameworks/flask/async-support/", "/features/async-support/"):
        content = client.get(page).content.decode()
        assert "<strong>the docs</strong>" in content
        assert "<script>alert" not in content


def test_error_pages_render_in_the_site_layout(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Skip to content" in response.content.decode()
