"""Drafts are invisible to filters and references exactly as unknown records are: for a
reader who may not see drafts, a draft's slug in any filter of any list answers what an
unknown slug answers, and no published record shows a draft's slug or title."""

import pytest

from api.filters import SlugFilter
from api.urls import router
from tests.factories import (
    BenchmarkFactory,
    BenchmarkResultFactory,
    ClaimFactory,
    FeatureCategoryFactory,
    FeatureFactory,
    FrameworkFactory,
    PointFactory,
    RecommendationFactory,
    SourceFactory,
    SupportFactory,
    UseCaseFactory,
)

UNKNOWN = "no-such-record"
DRAFT_SLUGS = [
    "draft-framework",
    "draft-feature",
    "draft-category",
    "draft-source",
    "draft-benchmark",
    "draft-use-case",
]
DRAFT_TITLES = ["Draftframe", "Draftfeature", "Draftcategory", "Draftsource", "Draftbench"]


def slug_filters():
    """(list, parameter) for every slug filter of every API list."""
    found = []
    for prefix, viewset, _ in router.registry:
        filterset = getattr(viewset, "filterset_class", None)
        for name, filter_ in (filterset.base_filters if filterset else {}).items():
            if isinstance(filter_, SlugFilter):
                found.append((prefix, name))
    return found


@pytest.fixture
def world(db):
    """Published records pointing at a draft of every kind, in every way a filter follows."""
    flask = FrameworkFactory(slug="flask", name="Flask")
    draft_framework = FrameworkFactory(slug="draft-framework", name="Draftframe", status="draft")
    built_on_draft = FrameworkFactory(slug="built-on-draft")
    built_on_draft.builds_on.add(draft_framework)  # frameworks/?builds_on=

    core = FeatureCategoryFactory(slug="core")
    draft_category = FeatureCategoryFactory(slug="draft-category", name="Draftcategory")
    routing = FeatureFactory(slug="routing", category=core)
    draft_feature = FeatureFactory(
        slug="draft-feature", name="Draftfeature", category=draft_category, status="draft"
    )

    source = SourceFactory(slug="article")
    source.frameworks.add(flask, draft_framework)  # sources/?framework=
    draft_source = SourceFactory(slug="draft-source", title="Draftsource", status="draft")
    draft_source.frameworks.add(flask)

    cell = SupportFactory(framework=flask, feature=routing)
    SupportFactory(framework=flask, feature=draft_feature)
    SupportFactory(framework=draft_framework, feature=routing)
    ClaimFactory(support=cell, source=draft_source)
    ClaimFactory(support=SupportFactory(framework=built_on_draft, feature=routing), source=source)

    # A published benchmark from a draft source: benchmarks/?source=, and its own page.
    from_draft = BenchmarkFactory(slug="from-draft-source", title="Draftbench", source=draft_source)
    BenchmarkResultFactory(benchmark=from_draft, framework=flask)
    public_benchmark = BenchmarkFactory(slug="public-benchmark", source=source)
    BenchmarkResultFactory(benchmark=public_benchmark, framework=flask, server="a")
    # benchmarks/?framework= (two results, so a missing distinct would show too)
    BenchmarkResultFactory(benchmark=public_benchmark, framework=draft_framework, server="a")
    BenchmarkResultFactory(benchmark=public_benchmark, framework=draft_framework, server="b")
    draft_benchmark = BenchmarkFactory(slug="draft-benchmark", source=source, status="draft")
    BenchmarkResultFactory(benchmark=draft_benchmark, framework=flask)

    PointFactory(framework=flask, source=draft_source)
    PointFactory(framework=draft_framework, source=source)

    use_case = UseCaseFactory(slug="public-use-case")
    RecommendationFactory(use_case=use_case, framework=draft_framework, source=source)
    only_hidden = UseCaseFactory(slug="only-hidden-recommendations")
    RecommendationFactory(use_case=only_hidden, framework=flask, source=draft_source)
    draft_use_case = UseCaseFactory(slug="draft-use-case", status="draft")
    RecommendationFactory(use_case=draft_use_case, framework=flask, source=source)


def test_every_list_has_slug_filters_to_sweep():
    assert len(slug_filters()) >= 15  # the sweep finds them all, whatever is added later
    assert ("frameworks", "builds_on") in slug_filters()
    assert ("use-cases", "framework") in slug_filters()


@pytest.mark.parametrize(("resource", "parameter"), slug_filters())
def test_a_draft_slug_filters_like_an_unknown_one(anonymous, stranger, world, resource, parameter):
    for client in (anonymous, stranger):
        unknown = client.get(f"/api/v1/{resource}/", {parameter: UNKNOWN, "page_size": 100})
        assert unknown.status_code == 200
        for slug in DRAFT_SLUGS:
            draft = client.get(f"/api/v1/{resource}/", {parameter: slug, "page_size": 100})
            assert draft.status_code == 200
            assert draft.json() == unknown.json(), f"{resource}/?{parameter}={slug}"


def test_no_published_record_shows_a_draft(anonymous, stranger, world):
    for client in (anonymous, stranger):
        for resource, _, _ in router.registry:
            text = client.get(f"/api/v1/{resource}/", {"page_size": 100}).content.decode()
            for word in DRAFT_SLUGS + DRAFT_TITLES:
                assert word not in text, f"{word} in {resource}/"
        # The benchmark whose source is a draft is as absent as a draft itself.
        assert client.get("/api/v1/benchmarks/from-draft-source/").status_code == 404
        source_filter = client.get("/api/v1/benchmarks/", {"source": "draft-source"}).json()
        assert source_filter["count"] == 0


def test_filters_count_only_what_the_reader_sees(anonymous, world):
    # Flask's only recommendation in this use case comes from a draft source.
    use_cases = anonymous.get("/api/v1/use-cases/", {"framework": "flask"}).json()
    assert [use_case["slug"] for use_case in use_cases["results"]] == []
    # A published framework's filters still work.
    sources = anonymous.get("/api/v1/sources/", {"framework": "flask"}).json()
    assert [source["slug"] for source in sources["results"]] == ["article"]
    benchmarks = anonymous.get("/api/v1/benchmarks/", {"framework": "flask"}).json()
    assert [benchmark["slug"] for benchmark in benchmarks["results"]] == ["public-benchmark"]


def test_editors_still_filter_by_drafts(editor, world):
    def slugs(resource, **params):
        answer = editor.get(f"/api/v1/{resource}/", {**params, "page_size": 100}).json()
        return sorted(record["slug"] for record in answer["results"])

    assert slugs("frameworks", builds_on="draft-framework") == ["built-on-draft"]
    assert slugs("sources", framework="draft-framework") == ["article"]
    assert slugs("benchmarks", framework="draft-framework") == ["public-benchmark"]
    assert slugs("benchmarks", source="draft-source") == ["from-draft-source"]
    assert slugs("use-cases", framework="draft-framework") == ["public-use-case"]
    assert slugs("use-cases", framework="flask") == [
        "draft-use-case",
        "only-hidden-recommendations",
    ]
    draft_cells = editor.get("/api/v1/supports/", {"feature": "draft-feature"}).json()
    assert draft_cells["count"] == 1
