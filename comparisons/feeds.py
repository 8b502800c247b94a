"""Recent changes, read from django-simple-history, as a page and as an RSS feed.

Only records that are published *now* are shown, and for records with a status only the
historical versions that were themselves published: a draft's title or text never leaks
through its history. Deletions are left out (a deleted record cannot be checked). One query
per content model, so the count does not grow with the history.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.html import escape
from django.utils.text import Truncator

from .models import (
    Benchmark,
    BenchmarkResult,
    Claim,
    Feature,
    FeatureCategory,
    Framework,
    Milestone,
    Point,
    Recommendation,
    ScalePoint,
    Source,
    Status,
    Support,
    UseCase,
)

CHANGE_KINDS = {"+": "Added", "~": "Changed"}


def url(name, slug, anchor=""):
    return reverse(f"comparisons:{name}", kwargs={"slug": slug}) + (f"#{anchor}" if anchor else "")


def use_case_url(slug):
    return reverse("comparisons:use-cases") + f"#{slug}"


@dataclass(frozen=True)
class ChangeSource:
    """How to read one content model's history: what is public, what to call it, where it is."""

    model: Any
    label: str
    related: tuple[str, ...]
    title: Any
    link: Any
    detail: Any = None

    def published_ids(self):
        if self.model is FeatureCategory:
            return Feature.objects.published().values("category_id")
        return self.model.objects.published().values("pk")

    def history(self, limit):
        rows = self.model.history.filter(id__in=self.published_ids()).exclude(history_type="-")
        if any(field.name == "status" for field in self.model._meta.fields):
            rows = rows.filter(status=Status.PUBLISHED)
        return rows.select_related(*self.related).order_by("-history_date")[:limit]


CHANGE_SOURCES = [
    ChangeSource(
        Framework,
        "Framework",
        (),
        lambda row: row.name,
        lambda row: url("framework-detail", row.slug),
        lambda row: row.tagline,
    ),
    ChangeSource(
        FeatureCategory,
        "Feature category",
        (),
        lambda row: row.name,
        lambda row: reverse("comparisons:feature-list") + f"#{row.slug}",
        lambda row: row.description,
    ),
    ChangeSource(
        Feature,
        "Feature",
        (),
        lambda row: row.name,
        lambda row: url("feature-detail", row.slug),
        lambda row: row.description,
    ),
    ChangeSource(
        ScalePoint,
        "Rating scale",
        ("feature",),
        lambda row: f"{row.feature.name}: {row.label}",
        lambda row: url("feature-detail", row.feature.slug),
    ),
    ChangeSource(
        Support,
        "Cell",
        ("framework", "feature"),
        lambda row: f"{row.framework.name} × {row.feature.name}",
        lambda row: url("framework-detail", row.framework.slug, f"feature-{row.feature.slug}"),
        lambda row: row.summary,
    ),
    ChangeSource(
        Claim,
        "Claim",
        ("source", "support__framework", "support__feature"),
        lambda row: (
            f"{row.source.title} on {row.support.framework.name} × {row.support.feature.name}"
        ),
        lambda row: url("source-detail", row.source.slug, f"claim-{row.id}"),
        lambda row: row.statement,
    ),
    ChangeSource(
        Source,
        "Source",
        (),
        lambda row: row.title,
        lambda row: url("source-detail", row.slug),
        lambda row: row.summary,
    ),
    ChangeSource(
        Benchmark,
        "Benchmark",
        (),
        lambda row: row.title,
        lambda row: url("benchmark-detail", row.slug),
        lambda row: row.workload,
    ),
    ChangeSource(
        BenchmarkResult,
        "Benchmark result",
        ("benchmark", "framework"),
        lambda row: f"{row.benchmark.title}: {row.framework.name}",
        lambda row: url("benchmark-detail", row.benchmark.slug),
        lambda row: row.notes,
    ),
    ChangeSource(
        Point,
        "Strength or weakness",
        ("framework",),
        lambda row: f"{row.framework.name} {row.get_kind_display().lower()}",
        lambda row: url("framework-detail", row.framework.slug, "strengths"),
        lambda row: row.text,
    ),
    ChangeSource(
        UseCase,
        "Use case",
        (),
        lambda row: row.name,
        lambda row: use_case_url(row.slug),
        lambda row: row.description,
    ),
    ChangeSource(
        Recommendation,
        "Recommendation",
        ("use_case", "framework"),
        lambda row: f"{row.framework.name} for {row.use_case.name}",
        lambda row: use_case_url(row.use_case.slug),
        lambda row: row.rationale,
    ),
    ChangeSource(
        Milestone,
        "Milestone",
        ("framework",),
        lambda row: f"{row.framework.name}, {row.year}: {row.title}",
        lambda row: url("framework-detail", row.framework.slug, "history"),
    ),
]


@dataclass(frozen=True)
class Change:
    history_id: int
    when: datetime
    kind: str
    model_label: str
    title: str
    url: str
    detail: str

    @property
    def guid(self):
        return f"{self.model_label.lower().replace(' ', '-')}-{self.history_id}"


def recent_changes(limit=50):
    """The newest `limit` changes to published records, newest first."""
    changes = []
    for source in CHANGE_SOURCES:
        for row in source.history(limit):
            changes.append(
                Change(
                    history_id=row.history_id,
                    when=row.history_date,
                    kind=CHANGE_KINDS.get(row.history_type, "Changed"),
                    model_label=source.label,
                    title=source.title(row),
                    url=source.link(row),
                    detail=Truncator(source.detail(row) if source.detail else "").chars(200),
                )
            )
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes[:limit]


class RecentChangesFeed(Feed):
    """RSS readers take an item's title and description as HTML. Editors' text is plain text,
    so it is HTML-escaped here, once (as Django's own default title is, ticket #6533), and the
    feed's XML writer then encodes that for XML: a reader shows `<b>` and `&amp;` as typed,
    never as markup."""

    title = "Versus — recent changes"
    description = "What moved in the Versus knowledge base: frameworks, cells, sources, claims."

    def link(self):
        return reverse("comparisons:changes")

    def items(self):
        return recent_changes(limit=30)

    def item_title(self, item):
        return escape(f"{item.kind}: {item.model_label.lower()} — {item.title}")

    def item_description(self, item):
        return escape(item.detail)

    def item_link(self, item):
        return item.url

    def item_guid(self, item):
        return item.guid

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.when

    def item_updateddate(self, item):
        return item.when
