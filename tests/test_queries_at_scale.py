"""Every page and every API list runs as many SQL queries on a 30 × 300 knowledge base as on a
2 × 5 one (issue 7). The benchmark's database is 30 × 300; these tests hold the query
counts, so the benchmark measures rendering, not a query that grows with the data."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from comparisons.caching import local_pages
from comparisons.editorial import editors_group_ensure
from comparisons.models import Support
from tests.api.test_reads import LISTS
from tests.comparisons.test_views_queries import page_urls, populate
from tests.factories import ClaimFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db


def surfaces(frameworks, features, sources, benchmarks):
    """Every public page (its URL for this data) and every API read worth counting."""
    slugs = sorted(framework.slug for framework in frameworks)  # the canonical address
    urls = page_urls(frameworks, features, sources, benchmarks)
    urls["compare, every framework"] = "/compare/" + "-vs-".join(slugs) + "/"
    urls["compare, filtered"] = (
        "/compare/" + "-vs-".join(slugs) + f"/?category={features[0].category.slug}"
        "&only_differences=1"
    )
    chosen = f"{features[-1].slug},{features[0].slug}"
    urls["compare, chosen features"] = "/compare/" + "-vs-".join(slugs) + f"/?features={chosen}"
    urls["cell"] = f"/frameworks/{slugs[-1]}/{features[-1].slug}/"
    for resource in LISTS:
        urls[f"API {resource}, 100 a page"] = f"/api/v1/{resource}/?page_size=100"
    urls["API compare, every framework"] = "/api/v1/compare/?frameworks=" + ",".join(slugs)
    urls["API compare, chosen features"] = (
        "/api/v1/compare/?frameworks=" + ",".join(slugs) + f"&features={chosen}"
    )
    query = choose_query(features)
    urls["choose, 10 requirements"] = f"/choose/?{query}"
    urls["API choose, 10 requirements"] = f"/api/v1/choose/?{query}"
    return urls


def choose_query(features):
    """Ten requirements (as many as there are features, up to ten), must-haves and
    nice-to-haves, in canonical order, touching disputed cells (`dispute()`)."""
    chosen = sorted(feature.slug for feature in features[:10])
    half = len(chosen) // 2
    must = ",".join(f"{slug}:partial" for slug in chosen[:half])
    nice = ",".join(f"{slug}:2" for slug in chosen[half:])
    return f"must={must}&nice={nice}"


def dispute(frameworks, features):
    """Each framework's cell on the first feature gets a source that reads it differently."""
    source = SourceFactory(title="A dissenting source")
    for framework in frameworks:
        cell = Support.objects.get(framework=framework, feature=features[0])
        ClaimFactory(support=cell, source=source, level="partial", statement="Only partly.")
    return frameworks, features


def count_queries(client, url):
    # Test transactions never commit, so nothing bumps the cache's generation: empty it, to
    # count what a render (not a cache hit) costs.
    cache.clear()
    local_pages.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries), len(response.content)


def measure(client, urls):
    return {name: count_queries(client, url) for name, url in urls.items()}


@pytest.mark.parametrize("who", ["anonymous", "editor"])
def test_query_counts_are_the_same_at_2_x_5_and_at_30_x_300(who):
    client = APIClient()
    if who == "editor":  # editors read drafts too: other querysets, same rule
        user = UserFactory(username="eddie", is_staff=True)
        user.groups.add(editors_group_ensure())
        client.force_login(user)

    small = measure(client, surfaces(*populate(2, 5, dispute)))
    large = measure(client, surfaces(*populate(30, 300, dispute)))

    assert {name: queries for name, (queries, _) in small.items()} == {
        name: queries for name, (queries, _) in large.items()
    }
    # The large knowledge base really is large where it shows: 9,000 cells on the matrix.
    assert large["compare, every framework"][1] > 50 * small["compare, every framework"][1]
