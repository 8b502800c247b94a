"""Each public page's SQL query count is fixed: it does not grow with the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comparisons.models import Point, UseCase
from tests.factories import (
    BenchmarkFactory,
    BenchmarkResultFactory,
    MilestoneFactory,
    PointFactory,
    RecommendationFactory,
    ScalePointFactory,
    SourceFactory,
    UseCaseFactory,
    UseCaseRequirementFactory,
    build_matrix,
)

pytestmark = pytest.mark.django_db

SIZES = [(2, 5), (12, 60)]


def populate(frameworks, features, then=None):
    """Everything that hangs off a framework, in proportion to the size of the site
    (`then(frameworks, features)` adds to the matrix before the rest is built)."""
    framework_rows, feature_rows = build_matrix(
        frameworks=frameworks, features=features, claims_per_cell=2
    )
    if then is not None:
        then(framework_rows, feature_rows)
    sources = SourceFactory.create_batch(max(2, frameworks // 2))
    benchmarks = BenchmarkFactory.create_batch(max(2, frameworks // 3), source=sources[0])
    use_cases = UseCaseFactory.create_batch(max(2, frameworks // 3))
    for index, framework in enumerate(framework_rows):
        framework.builds_on.add(*framework_rows[:index][:2])
        for source in sources:
            source.frameworks.add(framework)
            PointFactory(framework=framework, source=source, kind=Point.Kind.STRENGTH)
            PointFactory(framework=framework, source=source, kind=Point.Kind.WEAKNESS)
        for benchmark in benchmarks:
            BenchmarkResultFactory(benchmark=benchmark, framework=framework, value=100 + index)
        for use_case in use_cases:
            RecommendationFactory(use_case=use_case, framework=framework, source=sources[0])
        MilestoneFactory(framework=framework, source=sources[0])
    ScalePointFactory(feature=feature_rows[0])
    for use_case in use_cases:  # a preset that grows with the features
        for feature in feature_rows[1 : 1 + max(2, features // 10)]:
            UseCaseRequirementFactory(use_case=use_case, feature=feature)
        UseCaseRequirementFactory(use_case=use_case, feature=feature_rows[-1], kind="must",
                                  level="partial", weight=None)  # fmt: skip
    return framework_rows, feature_rows, sources, benchmarks


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


# The fixed number of queries each page takes, measured once and held to here.
EXPECTED = {
    "home": 3,
    "framework-list": 4,
    "framework-detail": 12,  # + its registry snapshot
    "feature-list": 1,
    "feature-detail": 6,
    "source-list": 2,
    "source-detail": 6,
    "benchmark-list": 2,
    "benchmark-detail": 2,
    "use-cases": 3,
    "use-case-detail": 3,
    "search": 9,  # one per kind of record (comparisons.search.KINDS), one for named frameworks
    "changes": 16,  # a count, a page of keys, its rows per model (13), the framework filter
    "changes-feed": 14,
    "sitemap": 13,  # a count and a page per published model (cells too), one for the pairs
}


def page_urls(frameworks, features, sources, benchmarks):
    return {
        "home": "/",
        "framework-list": "/frameworks/",
        "framework-detail": frameworks[-1].get_absolute_url(),
        "feature-list": "/features/",
        "feature-detail": features[0].get_absolute_url(),
        "source-list": "/sources/",
        "source-detail": sources[0].get_absolute_url(),
        "benchmark-list": "/benchmarks/",
        "benchmark-detail": benchmarks[0].get_absolute_url(),
        "use-cases": "/use-cases/",
        "use-case-detail": UseCase.objects.order_by("pk").first().get_absolute_url(),
        "search": "/search/?q=framework",
        "changes": "/changes/",
        "changes-feed": "/changes/feed/",
        "sitemap": "/sitemap.xml",
    }


@pytest.mark.parametrize(("frameworks", "features"), SIZES)
def test_every_page_takes_a_fixed_number_of_queries(client, frameworks, features):
    urls = page_urls(*populate(frameworks, features))
    measured = {page: count_queries(client, url) for page, url in urls.items()}
    assert measured == EXPECTED


@pytest.mark.parametrize(("frameworks", "features"), SIZES)
def test_framework_page_queries(client, frameworks, features, django_assert_num_queries):
    framework_rows, *_ = populate(frameworks, features)
    with django_assert_num_queries(EXPECTED["framework-detail"]):
        response = client.get(framework_rows[-1].get_absolute_url())
    assert response.content.decode().count('data-framework="') == features


@pytest.mark.parametrize(("frameworks", "features"), SIZES)
def test_feature_page_queries(client, frameworks, features, django_assert_num_queries):
    _, feature_rows, *_ = populate(frameworks, features)
    with django_assert_num_queries(EXPECTED["feature-detail"]):
        response = client.get(feature_rows[0].get_absolute_url())
    assert response.content.decode().count('data-feature="') == frameworks
