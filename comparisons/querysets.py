"""Reusable queries. Views, the API and feeds call these; none builds its own filters.

`published()` is the one gate between drafts and the public: every public surface uses it,
and `visible()` is that gate for one reader (editors see drafts), which the API's lists,
the records they embed and their filters all go through.

`models.py` imports this module, so nothing here imports the models: a QuerySet reaches the
models it relates to through its own (`related_model(self, "claims")`).
"""

from datetime import timedelta

from django.db import connections, models
from django.db.models import Case, Count, Max, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from .choices import PRIMARY_SOURCE_KINDS, Fit, SourceKind, Status

# Claims and sources are listed by their source's kind, primary first (SourceKind's order),
# then oldest first.
KIND_ORDER = Case(
    *(When(source__kind=kind, then=Value(position)) for position, kind in enumerate(SourceKind)),
    default=Value(len(SourceKind)),
)
SOURCE_KIND_ORDER = Case(
    *(When(kind=kind, then=Value(position)) for position, kind in enumerate(SourceKind)),
    default=Value(len(SourceKind)),
)
# What a cell's notes say when no source speaks to it and the verdict is Versus's own.
OWN_READING = "our own reading"
PRIMARY_EVIDENCE_AGE_DAYS = 365  # primary evidence older than this needs another look
REGISTRY_SNAPSHOT_AGE_DAYS = 30  # a registry snapshot older than this is due a sync


def related_model(queryset, field_name):
    """The model at the other end of `field_name` of the queryset's model."""
    return queryset.model._meta.get_field(field_name).related_model


def may_change(user, model):
    """Whether `user` may edit records of `model` (and so read its drafts)."""
    meta = model._meta
    return user.is_authenticated and user.has_perm(f"{meta.app_label}.change_{meta.model_name}")


def visible(model, user):
    """The records of `model` this user may read: all for its editors, else the published.
    A filter by a related record asks this of the related model, so a draft slug answers a
    reader exactly as an unknown one does."""
    queryset = model._default_manager.all()
    return queryset if may_change(user, model) else queryset.published()


class SlugQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class PublishableQuerySet(SlugQuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def drafts(self):
        return self.exclude(status=Status.PUBLISHED)


SEARCH_WEIGHTS = {"A": 8, "B": 4, "C": 2, "D": 1}  # PostgreSQL's letters, as numbers elsewhere


class SearchQuerySetMixin:
    """Search over `search_fields`, (field, weight) pairs, weight A (names) to D: the one
    definition of what a kind of record is found by, for the search page and the API's
    `?search=` alike. It searches the queryset it is given — the caller applies its gate
    (`published()`, or `visible()` for an API reader).

    PostgreSQL: full text (English stemming, websearch syntax), ranked by `SearchRank` over
    the weighted vector. Elsewhere: every word must occur in some field (case-insensitive),
    ranked by the weights of the fields each word occurs in. Both annotate `search_rank`
    and order by it, best first."""

    search_fields: tuple[tuple[str, str], ...] = ()

    def search(self, terms):
        words = terms.split()
        if not words:
            return self.none()
        if connections[self.db].vendor == "postgresql":
            from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

            vector = None
            for field, weight in self.search_fields:
                part = SearchVector(field, weight=weight, config="english")
                vector = part if vector is None else vector + part
            query = SearchQuery(terms, config="english", search_type="websearch")
            return (
                self.alias(search_document=vector)
                .filter(search_document=query)
                .annotate(search_rank=SearchRank(vector, query))
                .order_by("-search_rank", "pk")
            )
        found, rank = self, Value(0)
        for word in words:
            any_field = Q()
            for field, weight in self.search_fields:
                occurs = Q(**{f"{field}__icontains": word})
                any_field |= occurs
                rank = rank + Case(When(occurs, then=Value(SEARCH_WEIGHTS[weight])), default=0)
            found = found.filter(any_field)
        return found.annotate(search_rank=rank).order_by("-search_rank", "pk")


class SearchableQuerySet(SearchQuerySetMixin, PublishableQuerySet):
    """A publishable record's queryset that can be searched."""


class FrameworkQuerySet(SearchableQuerySet):
    search_fields = (("name", "A"), ("slug", "A"), ("tagline", "B"), ("summary", "C"),
                     ("foundations", "C"), ("creators", "D"))  # fmt: skip

    def with_details(self):
        """A framework page's one-to-many context, fetched once whatever its size."""
        frameworks = self.model._default_manager.published()
        milestones = related_model(self, "milestones")._default_manager
        return self.prefetch_related(
            Prefetch("builds_on", queryset=frameworks),
            Prefetch("extended_by", queryset=frameworks),
            Prefetch("milestones", queryset=milestones.published().select_related("source")),
        )

    def with_last_change(self):
        """`last_change`: when the framework or one of its published cells last changed, the
        freshness of every compare page it is in (the sitemap's lastmod), in this one query."""
        return self.annotate(
            newest_cell=Max(
                "supports__updated_at", filter=Q(supports__feature__status=Status.PUBLISHED)
            ),
            last_change=Greatest("updated_at", Coalesce("newest_cell", "updated_at")),
        )


class FeatureCategoryQuerySet(SlugQuerySet):
    def published(self):
        """Categories are structural; they show when they hold a published feature."""
        return self.filter(features__status=Status.PUBLISHED).distinct()


class FeatureQuerySet(SearchableQuerySet):
    # The category's name weighs least: 'async' finds Async support before its category.
    search_fields = (("name", "A"), ("description", "B"), ("category__name", "D"))

    def in_display_order(self):
        return self.select_related("category").order_by(
            "category__position", "category__name", "position", "name"
        )

    def with_scale(self):
        return self.select_related("category").prefetch_related("scale_points")


class ScalePointQuerySet(models.QuerySet):
    def get_by_natural_key(self, feature_slug, slug):
        return self.get(feature__slug=feature_slug, slug=slug)

    def published(self):
        return self.filter(feature__status=Status.PUBLISHED)


class SourceQuerySet(SearchableQuerySet):
    search_fields = (("title", "A"), ("publisher", "B"), ("summary", "C"), ("conclusion", "C"),
                     ("author", "D"))  # fmt: skip

    def with_frameworks(self):
        """Prefetch the published frameworks each source covers."""
        frameworks = related_model(self, "frameworks")._default_manager.published()
        return self.prefetch_related(Prefetch("frameworks", queryset=frameworks))

    def covering(self, framework):
        """Published sources that cover this framework, primary first, newest first."""
        return self.published().filter(frameworks=framework).with_claim_counts().primary_first()

    def primary(self):
        return self.filter(kind__in=PRIMARY_SOURCE_KINDS)

    def primary_first(self):
        """By kind, primary first (SourceKind's order), then newest first."""
        return self.order_by(SOURCE_KIND_ORDER, "-published_on", "title")

    def with_claim_counts(self):
        """Annotate `claim_count`: the claims a visitor can see (on published cells only)."""
        return self.annotate(
            claim_count=Count(
                "claims",
                filter=Q(
                    claims__support__framework__status=Status.PUBLISHED,
                    claims__support__feature__status=Status.PUBLISHED,
                ),
                distinct=True,
            )
        )


class SupportQuerySet(SearchQuerySetMixin, models.QuerySet):
    # A cell is found by the packages it takes first ('celery'), then its words; by its
    # framework's and feature's names least (the API's `?search=Flask` lists Flask's cells).
    search_fields = (("packages", "A"), ("summary", "B"), ("notes", "C"),
                     ("feature__name", "D"), ("framework__name", "D"))  # fmt: skip

    def get_by_natural_key(self, framework_slug, feature_slug):
        return self.get(framework__slug=framework_slug, feature__slug=feature_slug)

    def published(self):
        return self.filter(framework__status=Status.PUBLISHED, feature__status=Status.PUBLISHED)

    def disputed(self):
        """Cells whose published sources disagree: the stored summary every surface reads
        (`Support.sources_disagree`, kept by `comparisons.summaries`)."""
        return self.filter(sources_disagree=True)

    def unsourced(self):
        """Cells no published source makes a claim about (a draft source's claims are not
        shown, so they back nothing yet)."""
        claims = related_model(self, "claims")._default_manager
        backed = claims.filter(support=OuterRef("pk"), source__status=Status.PUBLISHED)
        return self.exclude(models.Exists(backed))

    def unbacked(self):
        """Unsourced cells that do not say they are our own reading either: a verdict nobody
        stands behind (`manage.py check_knowledge_base` fails on a published one)."""
        return self.unsourced().exclude(notes__icontains=OWN_READING)

    def outdated(self):
        """Cells whose facts differ only with age (`Support.sources_outdated`)."""
        return self.filter(sources_outdated=True)

    def stale(self, *, days=365):
        """Cells nobody has checked against the sources for a year (or ever)."""
        cutoff = timezone.localdate() - timedelta(days=days)
        return self.filter(Q(last_verified__isnull=True) | Q(last_verified__lt=cutoff))

    def with_primary_claim(self):
        """Cells with a claim from a published primary source that has an address."""
        claims = related_model(self, "claims")._default_manager
        primary = claims.filter(
            support=OuterRef("pk"),
            source__status=Status.PUBLISHED,
            source__kind__in=PRIMARY_SOURCE_KINDS,
        ).exclude(source__url="")
        return self.filter(models.Exists(primary))

    def primary_evidence_aged(self, *, days=PRIMARY_EVIDENCE_AGE_DAYS):
        """Cells whose newest primary evidence (a published primary source's claim, dated by
        when it was read, else published) is older than `days`: time to read it again."""
        cutoff = timezone.localdate() - timedelta(days=days)
        claims = related_model(self, "claims")._default_manager
        fresh = claims.filter(
            support=OuterRef("pk"),
            source__status=Status.PUBLISHED,
            source__kind__in=PRIMARY_SOURCE_KINDS,
        ).filter(
            Q(source__read_on__gte=cutoff)
            | Q(source__read_on__isnull=True, source__published_on__gte=cutoff)
        )
        primary = claims.filter(
            support=OuterRef("pk"),
            source__status=Status.PUBLISHED,
            source__kind__in=PRIMARY_SOURCE_KINDS,
        )
        return self.filter(models.Exists(primary)).exclude(models.Exists(fresh))

    def with_related(self):
        claims = related_model(self, "claims")._default_manager
        return self.select_related("framework", "feature__category", "rating").prefetch_related(
            Prefetch(
                "claims",
                queryset=claims.filter(source__status=Status.PUBLISHED)
                .select_related("source", "rating")
                .primary_first(),
            )
        )

    def as_rows(self):
        """Each cell as a `values()` row: its own fields, its framework's and feature's slugs
        and its rating's. For lists of many cells, where model instances cost ~5× more."""
        return self.values(
            "id", "framework__slug", "feature__slug", "level", "rating_id", "rating__slug",
            "value", "feature__value_kind", "summary", "packages", "since_version", "notes",
            "last_verified", "sources_disagree", "sources_outdated", "version", "created_at",
            "updated_at",
        )  # fmt: skip

    def for_matrix(self, frameworks, features):
        """The cells of these frameworks × features (their ids), unordered: a matrix looks
        its cells up, it does not list them. The frameworks and features are already
        published. (Ids, not a subquery: given the features' ids, PostgreSQL reads just
        their cells — 300 rows, not 9,000, for 30 frameworks on 10 of 300 features.)"""
        return self.filter(framework__in=frameworks, feature__in=features).order_by()


class ClaimQuerySet(SearchQuerySetMixin, models.QuerySet):
    search_fields = (("statement", "B"), ("source_label", "C"), ("source__title", "D"))

    def get_by_natural_key(self, source_slug, framework_slug, feature_slug):
        return self.get(
            source__slug=source_slug,
            support__framework__slug=framework_slug,
            support__feature__slug=feature_slug,
        )

    def published(self):
        return self.filter(
            source__status=Status.PUBLISHED,
            support__framework__status=Status.PUBLISHED,
            support__feature__status=Status.PUBLISHED,
        )

    def for_cells(self, support_ids):
        """The claims shown beside these cells: those of published sources (the cells'
        readers already see the cells themselves), with their sources, oldest first."""
        return (
            self.filter(support_id__in=support_ids, source__status=Status.PUBLISHED)
            .select_related("source", "rating", "support__feature")
            .primary_first()
        )

    def primary_first(self):
        """By their source's kind, primary first, then oldest first."""
        return self.order_by(KIND_ORDER, "source__published_on", "source__read_on", "source__title")

    def as_rows(self):
        """Each claim as a `values()` row, with its source's slug and title."""
        return self.values(
            "support_id", "id", "source__slug", "source__title", "source__kind", "source__url",
            "source__read_on", "level", "rating_id", "rating__slug", "value", "statement",
            "source_label", "place",
        )  # fmt: skip

    def for_source(self, source):
        """A source's published claims, with their cells, in the matrix's display order."""
        return (
            self.published()
            .filter(source=source)
            .select_related(
                "rating",
                "support__framework",
                "support__feature__category",
                "support__rating",
            )
            .order_by(
                "support__feature__category__position",
                "support__feature__category__name",
                "support__feature__position",
                "support__feature__name",
                "support__framework__name",
            )
        )


class BenchmarkQuerySet(PublishableQuerySet):
    def published(self):
        """A benchmark's figures never travel without their source: it is public when its
        source is too."""
        return super().published().filter(source__status=Status.PUBLISHED)

    def from_source(self, source):
        return self.published().filter(source=source)

    def with_results(self):
        """Each benchmark's source and its published results, framework included."""
        results = related_model(self, "results")._default_manager
        return self.select_related("source").prefetch_related(
            Prefetch(
                "results",
                queryset=results.published()
                .select_related("framework")
                .order_by("rank", "framework__name", "server"),
            )
        )


class BenchmarkResultQuerySet(models.QuerySet):
    def get_by_natural_key(self, benchmark_slug, framework_slug, server):
        return self.get(
            benchmark__slug=benchmark_slug, framework__slug=framework_slug, server=server
        )

    def published(self):
        return self.filter(
            benchmark__status=Status.PUBLISHED,
            benchmark__source__status=Status.PUBLISHED,
            framework__status=Status.PUBLISHED,
        )

    def for_framework(self, framework):
        return (
            self.published()
            .filter(framework=framework)
            .select_related("benchmark__source")
            .order_by("benchmark__title", "rank", "server")
        )


class PointQuerySet(SearchQuerySetMixin, models.QuerySet):
    search_fields = (("text", "B"), ("framework__name", "D"))

    def get_by_natural_key(self, framework_slug, source_slug, kind, text):
        return self.get(
            framework__slug=framework_slug, source__slug=source_slug, kind=kind, text=text
        )

    def published(self):
        return self.filter(framework__status=Status.PUBLISHED, source__status=Status.PUBLISHED)

    def for_framework(self, framework):
        return self.published().filter(framework=framework).select_related("source")

    def for_source(self, source):
        return (
            self.published()
            .filter(source=source)
            .select_related("framework")
            .order_by("framework__name", "kind", "position", "pk")
        )


class UseCaseQuerySet(SearchableQuerySet):
    search_fields = (("name", "A"), ("description", "B"))

    def with_recommendations(self):
        """Each use case's published recommendations, strongest fit first, with sources."""
        recommendations = related_model(self, "recommendations")._default_manager
        return self.prefetch_related(
            Prefetch(
                "recommendations",
                queryset=recommendations.published()
                .select_related("framework", "source")
                .annotate(
                    fit_order=Case(
                        *(When(fit=fit, then=Value(order)) for order, fit in enumerate(Fit)),
                        default=Value(len(Fit)),
                    )
                )
                .order_by("fit_order", "framework__name", "source__title"),
            )
        )

    def with_preset(self):
        """Each use case's preset requirements with their features and scale ends, so that
        `UseCase.preset()` asks nothing more."""
        requirements = related_model(self, "requirements")._default_manager
        return self.prefetch_related(
            Prefetch("requirements", queryset=requirements.select_related("feature", "end"))
        )


class UseCaseRequirementQuerySet(models.QuerySet):
    def get_by_natural_key(self, use_case_slug, feature_slug):
        return self.get(use_case__slug=use_case_slug, feature__slug=feature_slug)


class RecommendationQuerySet(SearchQuerySetMixin, models.QuerySet):
    search_fields = (("rationale", "B"), ("use_case__name", "D"), ("framework__name", "D"))

    def get_by_natural_key(self, use_case_slug, framework_slug, source_slug):
        return self.get(
            use_case__slug=use_case_slug, framework__slug=framework_slug, source__slug=source_slug
        )

    def published(self):
        return self.filter(
            use_case__status=Status.PUBLISHED,
            framework__status=Status.PUBLISHED,
            source__status=Status.PUBLISHED,
        )

    def for_framework(self, framework):
        return (
            self.published()
            .filter(framework=framework)
            .select_related("use_case", "source")
            .order_by("use_case__position", "use_case__name", "source__title")
        )

    def for_source(self, source):
        return (
            self.published()
            .filter(source=source)
            .select_related("use_case", "framework")
            .order_by("use_case__position", "use_case__name", "framework__name")
        )


class MilestoneQuerySet(models.QuerySet):
    def get_by_natural_key(self, framework_slug, year, title):
        return self.get(framework__slug=framework_slug, year=year, title=title)

    def published(self):
        return self.filter(framework__status=Status.PUBLISHED).filter(
            Q(source__isnull=True) | Q(source__status=Status.PUBLISHED)
        )


class RegistrySnapshotQuerySet(models.QuerySet):
    def latest_for(self, framework):
        """The framework's newest snapshot, or None."""
        return self.filter(framework=framework).order_by("-taken_at").first()

    def current(self):
        """Each framework's newest snapshot."""
        newest = self.model._default_manager.filter(framework=OuterRef("framework")).order_by(
            "-taken_at"
        )
        return self.filter(pk=Subquery(newest.values("pk")[:1]))

    def aged(self, *, days=REGISTRY_SNAPSHOT_AGE_DAYS):
        """Current snapshots older than `days`: the framework is due a sync."""
        return self.current().filter(taken_at__lt=timezone.now() - timedelta(days=days))
