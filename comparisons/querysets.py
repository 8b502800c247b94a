"""Reusable queries. Views, the API and feeds call these; none builds its own filters.

`published()` is the one gate between drafts and the public: every public surface uses it.
"""

from django.db import models
from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

PUBLISHED = "published"

# Readings that say nothing definite: they never make a cell disputed.
NON_COMMITTAL_LEVELS = ("", "unknown")


class SlugQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class PublishableQuerySet(SlugQuerySet):
    def published(self):
        return self.filter(status=PUBLISHED)

    def drafts(self):
        return self.exclude(status=PUBLISHED)


class FrameworkQuerySet(PublishableQuerySet):
    pass


class FeatureCategoryQuerySet(SlugQuerySet):
    def published(self):
        """Categories are structural; they show when they hold a published feature."""
        return self.filter(features__status=PUBLISHED).distinct()


class FeatureQuerySet(PublishableQuerySet):
    def published(self):
        return self.filter(status=PUBLISHED)

    def in_display_order(self):
        return self.select_related("category").order_by(
            "category__position", "category__name", "position", "name"
        )


class ScalePointQuerySet(models.QuerySet):
    def get_by_natural_key(self, feature_slug, slug):
        return self.get(feature__slug=feature_slug, slug=slug)


class SourceQuerySet(PublishableQuerySet):
    pass


class SupportQuerySet(models.QuerySet):
    def get_by_natural_key(self, framework_slug, feature_slug):
        return self.get(framework__slug=framework_slug, feature__slug=feature_slug)

    def published(self):
        return self.filter(framework__status=PUBLISHED, feature__status=PUBLISHED)

    def with_disputed(self):
        """Annotate `disputed`: the claims disagree with each other or with the verdict.

        One correlated sub-select per rule, so a whole matrix learns its disputes in the
        same single query that fetches the cells.
        """
        from .models import Claim

        claims = Claim.objects.filter(support=OuterRef("pk"))
        level_claims = claims.exclude(level__in=NON_COMMITTAL_LEVELS)
        rating_claims = claims.filter(rating__isnull=False)

        def distinct_readings(queryset, field):
            counted = (
                queryset.order_by()
                .values("support")
                .annotate(readings=Count(field, distinct=True))
                .values("readings")[:1]
            )
            return Coalesce(Subquery(counted, output_field=models.IntegerField()), Value(0))

        return self.annotate(
            _level_readings=distinct_readings(level_claims, "level"),
            _rating_readings=distinct_readings(rating_claims, "rating"),
            _level_contradicts=Exists(level_claims.exclude(level=OuterRef("level"))),
            _rating_contradicts=Exists(rating_claims.exclude(rating=OuterRef("rating"))),
            disputed=Case(
                When(
                    Q(_level_readings__gt=1)
                    | Q(_rating_readings__gt=1)
                    | (~Q(level__in=NON_COMMITTAL_LEVELS) & Q(_level_contradicts=True))
                    | (Q(rating__isnull=False) & Q(_rating_contradicts=True)),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=models.BooleanField(),
            ),
        )

    def disputed(self):
        return self.with_disputed().filter(disputed=True)

    def with_related(self):
        from .models import Claim

        return self.select_related("framework", "feature__category", "rating").prefetch_related(
            Prefetch(
                "claims",
                queryset=Claim.objects.published()
                .select_related("source", "rating")
                .order_by("source__published_on", "source__title"),
            )
        )

    def for_matrix(self, frameworks, features):
        """Every published cell of these frameworks × features, with disputes and claims."""
        return (
            self.published()
            .filter(framework__in=frameworks, feature__in=features)
            .with_disputed()
            .with_related()
        )


class ClaimQuerySet(models.QuerySet):
    def get_by_natural_key(self, source_slug, framework_slug, feature_slug):
        return self.get(
            source__slug=source_slug,
            support__framework__slug=framework_slug,
            support__feature__slug=feature_slug,
        )

    def published(self):
        return self.filter(
            source__status=PUBLISHED,
            support__framework__status=PUBLISHED,
            support__feature__status=PUBLISHED,
        )


class BenchmarkQuerySet(PublishableQuerySet):
    pass


class BenchmarkResultQuerySet(models.QuerySet):
    def get_by_natural_key(self, benchmark_slug, framework_slug, server):
        return self.get(
            benchmark__slug=benchmark_slug, framework__slug=framework_slug, server=server
        )

    def published(self):
        return self.filter(benchmark__status=PUBLISHED, framework__status=PUBLISHED)


class PointQuerySet(models.QuerySet):
    def get_by_natural_key(self, framework_slug, source_slug, kind, text):
        return self.get(
            framework__slug=framework_slug, source__slug=source_slug, kind=kind, text=text
        )

    def published(self):
        return self.filter(framework__status=PUBLISHED, source__status=PUBLISHED)


class UseCaseQuerySet(PublishableQuerySet):
    pass


class RecommendationQuerySet(models.QuerySet):
    def get_by_natural_key(self, use_case_slug, framework_slug, source_slug):
        return self.get(
            use_case__slug=use_case_slug, framework__slug=framework_slug, source__slug=source_slug
        )

    def published(self):
        return self.filter(
            use_case__status=PUBLISHED, framework__status=PUBLISHED, source__status=PUBLISHED
        )


class MilestoneQuerySet(models.QuerySet):
    def get_by_natural_key(self, framework_slug, year, title):
        return self.get(framework__slug=framework_slug, year=year, title=title)

    def published(self):
        return self.filter(framework__status=PUBLISHED).filter(
            Q(source__isnull=True) | Q(source__status=PUBLISHED)
        )
