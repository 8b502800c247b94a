"""Data for the public-page tests: a small, realistic site built with factories, drafts
included, so every surface can be checked for leaks."""

from dataclasses import dataclass

from comparisons.models import BenchmarkResult, Feature, Point, Recommendation, Status
from tests.factories import (
    BenchmarkFactory,
    BenchmarkResultFactory,
    ClaimFactory,
    FeatureCategoryFactory,
    FeatureFactory,
    FrameworkFactory,
    MilestoneFactory,
    PointFactory,
    RecommendationFactory,
    ScalePointFactory,
    SourceFactory,
    SupportFactory,
    UseCaseFactory,
    UseCaseRequirementFactory,
)

# Words that only drafts carry: none of them may appear on any public page.
DRAFT_WORDS = ("Secretframe", "Hiddenfeature", "Classifiedsource")


@dataclass
class Site:
    flask: object
    django: object
    fastapi: object
    draft_framework: object
    async_support: object
    learning_curve: object
    optimal_for: object
    draft_feature: object
    article: object
    draft_source: object
    benchmark: object
    disputed_cell: object


def build_site():
    flask = FrameworkFactory(name="Flask", slug="flask", tagline="A small WSGI core.")
    django = FrameworkFactory(
        name="Django", slug="django", kind="full-stack", tagline="Batteries included."
    )
    fastapi = FrameworkFactory(name="FastAPI", slug="fastapi", kind="api", interface="asgi")
    draft_framework = FrameworkFactory(
        name="Secretframe", slug="secretframe", tagline="Secretframe tagline", status=Status.DRAFT
    )
    architecture = FeatureCategoryFactory(name="Architecture", slug="architecture", position=1)
    experience = FeatureCategoryFactory(name="Developer experience", slug="experience", position=2)
    async_support = FeatureFactory(
        name="Async support", slug="async-support", category=architecture, position=1
    )
    websockets = FeatureFactory(
        name="WebSockets", slug="websockets", category=architecture, position=2
    )
    routing = FeatureFactory(name="Routing", slug="routing", category=architecture, position=3)
    learning_curve = FeatureFactory(
        name="Learning curve", slug="learning-curve", category=experience, kind="rating"
    )
    gentle = ScalePointFactory(
        feature=learning_curve, value=1, slug="gentle", label="Gentle", tone="positive"
    )
    steep = ScalePointFactory(
        feature=learning_curve, value=3, slug="steep", label="Steep", tone="negative"
    )
    optimal_for = FeatureFactory(
        name="Optimal for", slug="optimal-for", category=experience, kind=Feature.Kind.FACT
    )
    draft_feature = FeatureFactory(
        name="Hiddenfeature", slug="hiddenfeature", category=architecture, status=Status.DRAFT
    )
    article = SourceFactory(
        title="FastAPI, Django or Flask?",
        slug="fastapi-django-or-flask",
        summary="Compares the three frameworks.",
    )
    other = SourceFactory(title="Another article", slug="another-article")
    draft_source = SourceFactory(
        title="Classifiedsource", slug="classifiedsource", status=Status.DRAFT
    )
    article.frameworks.add(flask, django, fastapi, draft_framework)
    draft_source.frameworks.add(flask)

    cells = {}
    for framework, level in ((flask, "partial"), (django, "partial"), (fastapi, "native")):
        cells[framework] = SupportFactory(
            framework=framework,
            feature=async_support,
            level=level,
            summary=f"{framework.name} async summary.",
            packages="asgiref" if framework == django else "",
            notes="Read **the docs**.\n\n<script>alert('x')</script>",
        )
        ClaimFactory(source=article, support=cells[framework], level=level)
    # Another source disagrees about Django: the cell is disputed.
    ClaimFactory(source=other, support=cells[django], level="native", statement="Fully async.")
    SupportFactory(
        framework=flask, feature=websockets, level="extension", packages="Flask-SocketIO"
    )
    SupportFactory(framework=django, feature=websockets, level="extension", packages="Channels")
    SupportFactory(framework=fastapi, feature=websockets, level="native")
    for framework in (flask, django, fastapi):  # a row on which everyone agrees
        SupportFactory(framework=framework, feature=routing, level="native", summary="Built in.")
    SupportFactory(framework=flask, feature=learning_curve, level="", rating=gentle)
    SupportFactory(framework=django, feature=learning_curve, level="", rating=steep)
    SupportFactory(framework=flask, feature=optimal_for, level="", summary="Small apps")
    SupportFactory(framework=django, feature=optimal_for, level="", summary="Big sites")

    # Draft content hanging off published records, and published records off drafts.
    SupportFactory(framework=flask, feature=draft_feature, summary="Hiddenfeature cell")
    draft_cell = SupportFactory(
        framework=draft_framework, feature=async_support, summary="Secretframe cell"
    )
    ClaimFactory(source=article, support=draft_cell, statement="Secretframe claim")
    # Agrees with the verdict: whether a draft source's claim may dispute a cell is the
    # matrix's rule (it counts every claim today), not what these page tests are about.
    ClaimFactory(
        source=draft_source, support=cells[flask], level="partial", statement="Classifiedsource"
    )

    benchmark = BenchmarkFactory(
        title="Throughput, I/O-bound", slug="io-throughput", source=article, unit="requests/s"
    )
    BenchmarkResultFactory(
        benchmark=benchmark, framework=fastapi, server="Uvicorn", figure="lower-bound", value=10000
    )
    BenchmarkResultFactory(
        benchmark=benchmark,
        framework=django,
        server="Gunicorn",
        figure=BenchmarkResult.Figure.RANGE,
        value=None,
        low=3000,
        high=5000,
    )
    BenchmarkResultFactory(benchmark=benchmark, framework=flask, server="Gunicorn", value=2500)
    BenchmarkResultFactory(benchmark=benchmark, framework=draft_framework, value=99999)
    ranked = BenchmarkFactory(title="JSON ranking", slug="json-ranking", source=article)
    BenchmarkResultFactory(
        benchmark=ranked, framework=fastapi, server="", figure="rank", value=None, rank=1
    )
    BenchmarkResultFactory(
        benchmark=ranked, framework=flask, server="", figure="rank", value=None, rank=2
    )

    PointFactory(framework=flask, source=article, kind=Point.Kind.STRENGTH, text="Light.")
    PointFactory(framework=flask, source=article, kind=Point.Kind.WEAKNESS, text="No async.")
    PointFactory(framework=flask, source=draft_source, text="Classifiedsource point")
    PointFactory(framework=draft_framework, source=article, text="Secretframe point")
    crud = UseCaseFactory(name="Simple CRUD API", slug="simple-crud-api")
    RecommendationFactory(
        use_case=crud, framework=flask, source=article, rationale="Small and quick."
    )
    RecommendationFactory(
        use_case=crud,
        framework=draft_framework,
        source=article,
        rationale="Secretframe rationale",
        fit=Recommendation.Fit.SUITABLE,
    )
    RecommendationFactory(
        use_case=crud, framework=django, source=draft_source, rationale="Classifiedsource says"
    )
    RecommendationFactory(
        use_case=crud, framework=flask, source=other, rationale="Few moving parts."
    )
    crud.preset_note = "Our own reading of this use case: small and quick."
    crud.save()
    UseCaseRequirementFactory(
        use_case=crud, feature=async_support, kind="must", level="partial", weight=None
    )
    UseCaseRequirementFactory(use_case=crud, feature=learning_curve, kind="prefer", end=gentle,
                              weight=3)  # fmt: skip
    UseCaseRequirementFactory(use_case=crud, feature=draft_feature, weight=1)
    UseCaseFactory(name="Classifiedsource use", slug="classified-use", status=Status.DRAFT)
    MilestoneFactory(framework=flask, year=2010, title="First release", source=article)
    MilestoneFactory(framework=flask, year=2018, title="Classifiedsource era", source=draft_source)

    return Site(
        flask=flask,
        django=django,
        fastapi=fastapi,
        draft_framework=draft_framework,
        async_support=async_support,
        learning_curve=learning_curve,
        optimal_for=optimal_for,
        draft_feature=draft_feature,
        article=article,
        draft_source=draft_source,
        benchmark=benchmark,
        disputed_cell=cells[django],
    )
