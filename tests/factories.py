"""Factories for every model. Published by default: tests of drafts say so explicitly."""

import factory
from django.contrib.auth import get_user_model

from comparisons import models
from comparisons.summaries import refresh_cell_summaries


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password("correct horse battery staple")


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Framework

    name = factory.Sequence(lambda n: f"Framework {n}")
    slug = factory.Sequence(lambda n: f"framework-{n}")
    tagline = "A framework for tests."
    kind = models.Framework.Kind.MICRO
    interface = models.Framework.Interface.WSGI
    status = models.Status.PUBLISHED


class FeatureCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.FeatureCategory

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")
    position = factory.Sequence(lambda n: n)


class FeatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Feature

    name = factory.Sequence(lambda n: f"Feature {n}")
    slug = factory.Sequence(lambda n: f"feature-{n}")
    category = factory.SubFactory(FeatureCategoryFactory)
    kind = models.Feature.Kind.CAPABILITY
    status = models.Status.PUBLISHED


class ScalePointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ScalePoint

    feature = factory.SubFactory(FeatureFactory, kind=models.Feature.Kind.RATING)
    value = factory.Sequence(lambda n: n)
    slug = factory.Sequence(lambda n: f"point-{n}")
    label = factory.Sequence(lambda n: f"Point {n}")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Source

    title = factory.Sequence(lambda n: f"Source {n}")
    slug = factory.Sequence(lambda n: f"source-{n}")
    publisher = "Test Publisher"
    summary = "A source made for tests."
    status = models.Status.PUBLISHED


class SupportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Support

    framework = factory.SubFactory(FrameworkFactory)
    feature = factory.SubFactory(FeatureFactory)
    level = models.SupportLevel.NATIVE
    summary = "Supported out of the box."


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Claim

    source = factory.SubFactory(SourceFactory)
    support = factory.SubFactory(SupportFactory)
    level = models.SupportLevel.NATIVE
    statement = "The source says it is supported."


class BenchmarkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Benchmark

    title = factory.Sequence(lambda n: f"Benchmark {n}")
    slug = factory.Sequence(lambda n: f"benchmark-{n}")
    source = factory.SubFactory(SourceFactory)
    workload = "JSON response, no database."
    metric = "Throughput"
    unit = "requests/s"
    status = models.Status.PUBLISHED


class BenchmarkResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.BenchmarkResult

    benchmark = factory.SubFactory(BenchmarkFactory)
    framework = factory.SubFactory(FrameworkFactory)
    server = "Gunicorn"
    figure = models.BenchmarkResult.Figure.VALUE
    value = 1000


class PointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Point

    framework = factory.SubFactory(FrameworkFactory)
    source = factory.SubFactory(SourceFactory)
    kind = models.Point.Kind.STRENGTH
    text = factory.Sequence(lambda n: f"Strength number {n}.")


class UseCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.UseCase

    name = factory.Sequence(lambda n: f"Use case {n}")
    slug = factory.Sequence(lambda n: f"use-case-{n}")
    status = models.Status.PUBLISHED


class UseCaseRequirementFactory(factory.django.DjangoModelFactory):
    """A nice-to-have on a capability, by default."""

    class Meta:
        model = models.UseCaseRequirement

    use_case = factory.SubFactory(UseCaseFactory)
    feature = factory.SubFactory(FeatureFactory)
    kind = models.UseCaseRequirement.Kind.NICE
    weight = 2


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Recommendation

    use_case = factory.SubFactory(UseCaseFactory)
    framework = factory.SubFactory(FrameworkFactory)
    source = factory.SubFactory(SourceFactory)
    rationale = "It fits."


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Milestone

    framework = factory.SubFactory(FrameworkFactory)
    year = 2010
    title = factory.Sequence(lambda n: f"Milestone {n}")


def build_matrix(*, frameworks, features, claims_per_cell=1):
    """A fully populated synthetic matrix: every framework × feature has a cell with claims."""
    category = FeatureCategoryFactory()
    framework_rows = FrameworkFactory.create_batch(frameworks)
    feature_rows = FeatureFactory.create_batch(features, category=category)
    sources = SourceFactory.create_batch(claims_per_cell)
    cells = [
        models.Support(framework=framework, feature=feature, level="native", summary="Supported.")
        for framework in framework_rows
        for feature in feature_rows
    ]
    models.Support.objects.bulk_create(cells)
    cells = list(models.Support.objects.filter(framework__in=framework_rows))
    models.Claim.objects.bulk_create(
        models.Claim(source=source, support=cell, level="native", statement="Supported.")
        for cell in cells
        for source in sources
    )
    # bulk_create sends no signals: count each cell's sources as the site's own bulk jobs do.
    refresh_cell_summaries({cell.pk for cell in cells})
    return framework_rows, feature_rows


def admin_cell_form(cell, **changes):
    """What the admin's change form for `cell` posts, with `changes` made (no claim rows)."""
    return {
        "framework": cell.framework_id, "feature": cell.feature_id, "level": cell.level,
        "summary": cell.summary, "version": cell.version,
        "claims-TOTAL_FORMS": 0, "claims-INITIAL_FORMS": 0,
        "claims-MIN_NUM_FORMS": 0, "claims-MAX_NUM_FORMS": 1000,
        **changes,
    }  # fmt: skip
