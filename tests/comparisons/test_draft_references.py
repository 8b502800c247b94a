"""A published record hanging off a draft is not public either: a published benchmark whose
source is a draft shows nowhere (its figures never travel without their source)."""

import pytest
from django.test import Client

from comparisons.editorial import editors_group_ensure
from comparisons.models import Benchmark
from tests.comparisons.web_data import build_site
from tests.factories import BenchmarkFactory, BenchmarkResultFactory, UserFactory

pytestmark = pytest.mark.django_db

HIDDEN = ("Classifiedsource", "classifiedsource", "Classifiedbench", "classified-bench", "77,777")


@pytest.fixture
def site():
    site = build_site()
    benchmark = BenchmarkFactory(
        slug="classified-bench", title="Classifiedbench throughput", source=site.draft_source
    )
    BenchmarkResultFactory(benchmark=benchmark, framework=site.flask, value=77777)
    return site


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/frameworks/",
        "/frameworks/flask/",
        "/sources/",
        "/benchmarks/",
        "/changes/",
        "/changes/feed/",
        "/sitemap.xml",
    ],
)
def test_a_benchmark_from_a_draft_source_shows_on_no_page(client, site, url):
    response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    for word in HIDDEN:
        assert word not in content, f"{word} leaked on {url}"


@pytest.mark.parametrize("query", ["Classifiedbench", "Classifiedsource", "77777"])
def test_search_finds_nothing_of_it(client, site, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert "0 results" in response.content.decode()


def test_it_has_no_page_and_editors_preview_it_as_a_draft(client, site):
    assert client.get("/benchmarks/classified-bench/").status_code == 404
    assert not Benchmark.objects.get(slug="classified-bench").is_published
    editor = UserFactory(username="prev", is_staff=True)
    editor.groups.add(editors_group_ensure())
    editor_client = Client()
    editor_client.force_login(editor)
    preview = editor_client.get("/benchmarks/classified-bench/")
    assert preview.status_code == 200
    assert "Draft preview" in preview.content.decode()
