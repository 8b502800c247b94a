"""Reading the API: every resource, filters, search, ordering, pagination, drafts, queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comparisons import models
from tests.factories import (
    BenchmarkFactory,
    BenchmarkResultFactory,
    ClaimFactory,
    FeatureCategoryFactory,
    FeatureFactory,
    FrameworkFactory,
    PointFactory,
    RecommendationFactory,
    ScalePointFactory,
    SourceFactory,
    SupportFactory,
    UseCaseFactory,
    UseCaseRequirementFactory,
)

pytestmark = pytest.mark.django_db

LISTS = [
    "frameworks",
    "categories",
    "features",
    "supports",
    "sources",
    "claims",
    "benchmarks",
    "benchmark-results",
    "points",
    "use-cases",
    "recommendations",
]


@pytest.fixture
def rich_kb():
    """More than 100 of every record, each with the related records its JSON shows."""
    frameworks = FrameworkFactory.create_batch(12)
    for framework in frameworks[1:]:
        framework.builds_on.add(frameworks[0])
    sources = SourceFactory.create_batch(3)
    for source in sources:
        source.frameworks.set(frameworks)
    features = []
    for _ in range(11):
        category = FeatureCategoryFactory()
        features.append(FeatureFactory(category=category))
    rating = FeatureFactory(kind=models.Feature.Kind.RATING, category=category)
    gentle = ScalePointFactory(feature=rating, slug="gentle")
    for framework in frameworks:
        SupportFactory(framework=framework, feature=rating, level="", rating=gentle)
        for index, feature in enumerate(features):
            cell = SupportFactory(framework=framework, feature=feature)
            ClaimFactory(support=cell, source=sources[0], level="native")
            ClaimFactory(support=cell, source=sources[1], level="none" if index % 3 else "")
    extra_sources = SourceFactory.create_batch(100)
    for source in extra_sources[:12]:
        source.frameworks.set(frameworks[:3])
    for index in range(102):
        benchmark = BenchmarkFactory(source=sources[index % 3])
        BenchmarkResultFactory(benchmark=benchmark, framework=frameworks[index % 12])
        BenchmarkResultFactory(benchmark=benchmark, framework=frameworks[(index + 1) % 12])
    for index in range(102):
        PointFactory(framework=frameworks[index % 12], source=sources[index % 3])
        use_case = UseCaseFactory()
        RecommendationFactory(use_case=use_case, framework=frameworks[index % 12])
        RecommendationFactory(use_case=use_case, framework=frameworks[(index + 5) % 12])
        UseCaseRequirementFactory(use_case=use_case, feature=features[index % 11])
        UseCaseRequirementFactory(use_case=use_case, feature=rating, kind="prefer", end=gentle)
    for _ in range(90):
        FeatureCategoryFactory()  # hidden (no published feature), so categories need more:
    for _ in range(95):
        FeatureFactory()
    FrameworkFactory.create_batch(90)
    return frameworks


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries), len(response.json()["results"])


@pytest.mark.parametrize("who", ["anonymous", "editor"])
def test_every_list_costs_the_same_queries_at_page_sizes_10_and_100(request, rich_kb, who):
    client = request.getfixturevalue(who)
    counts = {}
    for resource in LISTS:
        small, small_rows = count_queries(client, f"/api/v1/{resource}/?page_size=10")
        large, large_rows = count_queries(client, f"/api/v1/{resource}/?page_size=100")
        assert (small_rows, large_rows) == (10, 100), resource
        counts[resource] = (small, large)
    assert {resource: small for resource, (small, _) in counts.items()} == {
        resource: large for resource, (_, large) in counts.items()
    }


def test_every_resource_lists_and_shows_one_record(anonymous, rich_kb):
    for resource in LISTS:
        page = anonymous.get(f"/api/v1/{resource}/").json()
        assert page["count"] > 20 and len(page["results"]) == 20, resource
        first = page["results"][0]
        detail = anonymous.get(first["api_url"])
        assert detail.status_code == 200, resource
        assert detail.json() == first


def test_a_use_case_reads_with_its_preset(anonymous):
    use_case = UseCaseFactory(slug="high-performance-api", preset_note="Our own reading.")
    point = ScalePointFactory(feature=FeatureFactory(slug="performance", kind="rating"),
                              slug="very-high")  # fmt: skip
    UseCaseRequirementFactory(use_case=use_case, feature=point.feature, kind="prefer", end=point,
                              weight=3)  # fmt: skip
    UseCaseRequirementFactory(use_case=use_case, feature=FeatureFactory(slug="async-support"),
                              kind="must", level="partial", weight=None)  # fmt: skip
    data = anonymous.get("/api/v1/use-cases/high-performance-api/").json()
    assert data["preset"] == [
        {"kind": "must", "feature": "async-support", "level": "partial", "end": "",
         "weight": None},
        {"kind": "prefer", "feature": "performance", "level": "", "end": "very-high",
         "weight": 3},
    ]  # fmt: skip
    assert data["preset_note"] == "Our own reading."


def test_a_framework_reads_as_a_program_would_want_it(anonymous):
    django = FrameworkFactory(slug="django", name="Django", kind="full-stack", interface="both")
    drf = FrameworkFactory(slug="django-rest-framework", kind="api-toolkit")
    drf.builds_on.add(django)
    data = anonymous.get("/api/v1/frameworks/django-rest-framework/").json()
    assert data["builds_on"] == ["django"]
    assert data["api_url"] == "http://testserver/api/v1/frameworks/django-rest-framework/"
    assert data["web_url"] == "http://testserver/frameworks/django-rest-framework/"
    assert data["status"] == "published"


def test_cells_filter_by_framework_feature_level_and_disputed(anonymous):
    flask = FrameworkFactory(slug="flask", name="Flask")
    django = FrameworkFactory(slug="django", name="Django")
    async_support = FeatureFactory(slug="async-support", name="Async support")
    admin = FeatureFactory(slug="admin", name="Admin", category=async_support.category)
    disputed = SupportFactory(framework=django, feature=async_support, level="partial")
    ClaimFactory(support=disputed, level="native")
    ClaimFactory(support=disputed, level="partial")
    SupportFactory(framework=flask, feature=async_support, level="partial")
    SupportFactory(framework=django, feature=admin, level="native")

    def cells(query):
        response = anonymous.get(f"/api/v1/supports/?{query}")
        assert response.status_code == 200, response.content
        return [(cell["framework"], cell["feature"]) for cell in response.json()["results"]]

    assert cells("framework=django&ordering=feature__name") == [
        ("django", "admin"),
        ("django", "async-support"),
    ]
    assert cells("feature=async-support&level=partial&ordering=framework__name") == [
        ("django", "async-support"),
        ("flask", "async-support"),
    ]
    assert cells("disputed=true") == [("django", "async-support")]
    assert len(cells("disputed=false")) == 2
    assert cells("framework=nonexistent") == []
    detail = anonymous.get(f"/api/v1/supports/{disputed.pk}/").json()
    assert detail["disputed"] is True
    assert [claim["level"] for claim in detail["claims"]] == ["native", "partial"]


def test_claims_filter_by_source_framework_and_feature(anonymous):
    source = SourceFactory(slug="clickit")
    cell = SupportFactory(framework=FrameworkFactory(slug="flask"))
    mine = ClaimFactory(source=source, support=cell)
    ClaimFactory(support=cell)  # another source on the same cell
    ClaimFactory(source=source)  # the same source on another cell
    results = anonymous.get(
        f"/api/v1/claims/?source=clickit&framework=flask&feature={cell.feature.slug}"
    ).json()["results"]
    assert [claim["id"] for claim in results] == [mine.pk]
    assert results[0]["support"] == cell.pk


def test_search_and_ordering(anonymous):
    FrameworkFactory(name="Flask", slug="flask", tagline="A micro framework.")
    FrameworkFactory(name="FastAPI", slug="fastapi", tagline="Modern, fast, typed.")
    FrameworkFactory(name="Django", slug="django", tagline="Batteries included.")
    names = [f["name"] for f in anonymous.get("/api/v1/frameworks/?search=micro").json()["results"]]
    assert names == ["Flask"]
    ordered = anonymous.get("/api/v1/frameworks/?ordering=-name").json()["results"]
    assert [f["name"] for f in ordered] == ["Flask", "FastAPI", "Django"]
    refused = anonymous.get("/api/v1/frameworks/?ordering=password")
    assert refused.status_code == 400
    assert "ordering" in refused.json()["error"]["fields"]


def test_pages_are_bounded_and_validated(anonymous):
    FrameworkFactory.create_batch(25)
    first = anonymous.get("/api/v1/frameworks/").json()
    assert (first["count"], len(first["results"])) == (25, 20)
    assert first["next"].endswith("?page=2")
    assert len(anonymous.get("/api/v1/frameworks/?page=2").json()["results"]) == 5
    assert len(anonymous.get("/api/v1/frameworks/?page_size=100").json()["results"]) == 25
    for bad in ("page_size=101", "page_size=0", "page_size=ten", "page=0", "page=x"):
        response = anonymous.get(f"/api/v1/frameworks/?{bad}")
        assert response.status_code == 400, bad
        assert response.json()["error"]["code"] == "invalid"
    past_the_end = anonymous.get("/api/v1/frameworks/?page=9")
    assert past_the_end.status_code == 404
    assert past_the_end.json()["error"]["code"] == "not_found"


@pytest.fixture
def drafts():
    """A draft of every publishable kind, plus records that hang on a draft."""
    published_framework = FrameworkFactory(slug="flask")
    draft_framework = FrameworkFactory(slug="secret-framework", status="draft")
    draft_framework.builds_on.add(published_framework)
    published_framework.builds_on.add(draft_framework)
    draft_feature = FeatureFactory(slug="secret-feature", status="draft")
    draft_source = SourceFactory(slug="secret-source", status="draft")
    draft_source.frameworks.add(published_framework)
    published_source = SourceFactory(slug="public-source")
    published_source.frameworks.add(published_framework, draft_framework)
    cell_of_draft = SupportFactory(framework=draft_framework)
    ClaimFactory(support=cell_of_draft, source=published_source)
    SupportFactory(framework=published_framework, feature=draft_feature)
    public_cell = SupportFactory(framework=published_framework)
    ClaimFactory(support=public_cell, source=draft_source)
    BenchmarkFactory(slug="secret-benchmark", status="draft")
    public_benchmark = BenchmarkFactory(slug="public-benchmark", source=published_source)
    BenchmarkResultFactory(benchmark=public_benchmark, framework=draft_framework)
    PointFactory(framework=draft_framework, source=published_source)
    PointFactory(framework=published_framework, source=draft_source)
    UseCaseFactory(slug="secret-use-case", status="draft")
    public_use_case = UseCaseFactory(slug="public-use-case")
    RecommendationFactory(use_case=public_use_case, framework=draft_framework)
    return public_cell


SECRET = "secret-"


def everything(client):
    """Every list and every record linked from it, as one JSON text."""
    texts = []
    for resource in LISTS:
        response = client.get(f"/api/v1/{resource}/?page_size=100")
        assert response.status_code == 200
        texts.append(response.content.decode())
    return "\n".join(texts)


def test_drafts_are_absent_from_anonymous_reads(anonymous, stranger, drafts):
    for client in (anonymous, stranger):
        text = everything(client)
        assert SECRET not in text
        for path in (
            "frameworks/secret-framework/",
            "features/secret-feature/",
            "sources/secret-source/",
            "benchmarks/secret-benchmark/",
            "use-cases/secret-use-case/",
        ):
            assert client.get(f"/api/v1/{path}").status_code == 404, path
        cell = client.get(f"/api/v1/supports/{drafts.pk}/").json()
        assert cell["claims"] == []  # its only claim comes from a draft source
        compare = client.get("/api/v1/compare/?frameworks=flask,secret-framework")
        assert compare.status_code == 404
        assert "secret-framework" not in compare.json()["error"]["known"]


def test_editors_see_drafts(editor, drafts):
    text = everything(editor)
    for slug in ("secret-framework", "secret-feature", "secret-source", "secret-benchmark"):
        assert slug in text
    assert editor.get("/api/v1/frameworks/secret-framework/").status_code == 200
    assert editor.get("/api/v1/frameworks/?status=draft").json()["count"] == 1
