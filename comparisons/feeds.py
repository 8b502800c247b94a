"""Recent changes, read from django-simple-history, as a page and as an RSS feed.

What is shown: versions of records that are published *now* (for records with a status,
only versions that were themselves published: a draft's title or text never leaks through
its history), and deletions of records that were public when deleted (published, their
parents still published). A bulk write (a knowledge-base load, a file import, a registry
sync, a benchmark-run import) is one entry: its rows share one (history_date, reason, user),
stamped by `comparisons.history.history_batch`.

The query count is fixed whatever the size of the history: one to count the entries, one
for a page of their keys (a UNION over the content models), one per content model for that
page's rows, each group reduced to one row and its size by window functions.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.text import Truncator

from .links import url_pattern
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

CHANGE_KINDS = {"+": "Added", "~": "Changed", "-": "Deleted"}
CHANGES_PER_PAGE = 50
FEED_ITEMS = 30
# What makes one entry: the rows of one save, or of one batch (comparisons.history).
GROUP_KEY = ("history_date", "history_change_reason", "history_user_id")
PUBLISHED = Status.PUBLISHED


def url(name, slug, anchor=""):
    return reverse(f"comparisons:{name}", kwargs={"slug": slug}) + (f"#{anchor}" if anchor else "")


def cell_url(framework_slug, feature_slug):
    return url_pattern("comparisons:cell-detail", framework=None, feature=None).format(
        framework=framework_slug, feature=feature_slug
    )


def changes_url(**filters):
    query = urlencode({name: value for name, value in filters.items() if value})
    return reverse("comparisons:changes") + (f"?{query}" if query else "")


def public(*parents):
    """Rows whose parent records (paths on the historical row) are published now."""
    return Q(**{f"{parent}__status": PUBLISHED for parent in parents})


@dataclass(frozen=True)
class ChangeSource:
    """How to read one content model's history: what is public, what to call it, where it is.

    `framework` is the path from a historical row to the framework it is about (None: it is
    about none, and is left out when the page is filtered by framework); `deleted_public`,
    which deletions may be shown (None: none)."""

    model: Any
    label: str
    plural: str
    related: tuple[str, ...]
    title: Any
    link: Any
    detail: Any = None
    framework: str | None = None
    deleted_public: Q | None = None

    @property
    def kind(self):
        return self.label.lower().replace(" ", "-")

    def published_ids(self):
        if self.model is FeatureCategory:
            return Feature.objects.published().values("category_id")
        return self.model.objects.published().values("pk")

    def rows(self, *, framework=None, record=None):
        """The public historical rows, optionally only those about `framework` (a pk) or
        of one record (its pk)."""
        shown = Q(id__in=self.published_ids()) & ~Q(history_type="-")
        if any(field.name == "status" for field in self.model._meta.fields):
            shown &= Q(status=PUBLISHED)
        if self.deleted_public is not None:
            shown |= Q(history_type="-") & self.deleted_public
        rows = self.model.history.filter(shown)
        if framework is not None:
            rows = rows.filter(**{self.framework: framework})
        if record is not None:
            rows = rows.filter(id=record)
        return rows.order_by()

    def link_of(self, row):
        """The record's own page; for a deleted one, the changes filtered to it."""
        if row.history_type == "-":
            return changes_url(kind=self.kind, record=row.id)
        return self.link(row)


CHANGE_SOURCES = [
    ChangeSource(
        Framework,
        "Framework",
        "frameworks",
        (),
        lambda row: row.name,
        lambda row: url("framework-detail", row.slug),
        lambda row: row.tagline,
        framework="id",
        deleted_public=Q(status=PUBLISHED),
    ),
    ChangeSource(
        FeatureCategory,
        "Feature category",
        "feature categories",
        (),
        lambda row: row.name,
        lambda row: reverse("comparisons:feature-list") + f"#{row.slug}",
        lambda row: row.description,
    ),
    ChangeSource(
        Feature,
        "Feature",
        "features",
        (),
        lambda row: row.name,
        lambda row: url("feature-detail", row.slug),
        lambda row: row.description,
        deleted_public=Q(status=PUBLISHED),
    ),
    ChangeSource(
        ScalePoint,
        "Rating scale",
        "rating scale points",
        ("feature",),
        lambda row: f"{row.feature.name}: {row.label}",
        lambda row: url("feature-detail", row.feature.slug),
        deleted_public=public("feature"),
    ),
    ChangeSource(
        Support,
        "Cell",
        "cells",
        ("framework", "feature"),
        lambda row: f"{row.framework.name} × {row.feature.name}",
        lambda row: cell_url(row.framework.slug, row.feature.slug),
        lambda row: row.summary,
        framework="framework",
        deleted_public=public("framework", "feature"),
    ),
    ChangeSource(
        Claim,
        "Claim",
        "claims",
        ("source", "support__framework", "support__feature"),
        lambda row: (
            f"{row.source.title} on {row.support.framework.name} × {row.support.feature.name}"
        ),
        lambda row: url("source-detail", row.source.slug, f"claim-{row.id}"),
        lambda row: row.statement,
        framework="support__framework",
        deleted_public=public("source", "support__framework", "support__feature"),
    ),
    ChangeSource(
        Source,
        "Source",
        "sources",
        (),
        lambda row: row.title,
        lambda row: url("source-detail", row.slug),
        lambda row: row.summary,
        deleted_public=Q(status=PUBLISHED),
    ),
    ChangeSource(
        Benchmark,
        "Benchmark",
        "benchmarks",
        (),
        lambda row: row.title,
        lambda row: url("benchmark-detail", row.slug),
        lambda row: row.workload,
        deleted_public=Q(status=PUBLISHED) & public("source"),
    ),
    ChangeSource(
        BenchmarkResult,
        "Benchmark result",
        "benchmark results",
        ("benchmark", "framework"),
        lambda row: f"{row.benchmark.title}: {row.framework.name}",
        lambda row: url("benchmark-detail", row.benchmark.slug),
        lambda row: row.notes,
        framework="framework",
        deleted_public=public("benchmark", "benchmark__source", "framework"),
    ),
    ChangeSource(
        Point,
        "Strength or weakness",
        "strengths and weaknesses",
        ("framework",),
        lambda row: f"{row.framework.name} {row.get_kind_display().lower()}",
        lambda row: url("framework-detail", row.framework.slug, "strengths"),
        lambda row: row.text,
        framework="framework",
        deleted_public=public("framework", "source"),
    ),
    ChangeSource(
        UseCase,
        "Use case",
        "use cases",
        (),
        lambda row: row.name,
        lambda row: url("use-case-detail", row.slug),
        lambda row: row.description,
        deleted_public=Q(status=PUBLISHED),
    ),
    ChangeSource(
        Recommendation,
        "Recommendation",
        "recommendations",
        ("use_case", "framework"),
        lambda row: f"{row.framework.name} for {row.use_case.name}",
        lambda row: url("use-case-detail", row.use_case.slug),
        lambda row: row.rationale,
        framework="framework",
        deleted_public=public("use_case", "framework", "source"),
    ),
    ChangeSource(
        Milestone,
        "Milestone",
        "milestones",
        ("framework",),
        lambda row: f"{row.framework.name}, {row.year}: {row.title}",
        lambda row: url("framework-detail", row.framework.slug, "history"),
        framework="framework",
        deleted_public=public("framework"),
    ),
]


SOURCES_BY_KIND = {source.kind: source for source in CHANGE_SOURCES}


@dataclass(frozen=True)
class Change:
    """One entry: a save of one record, or a batch of many (`parts` then says what)."""

    key: tuple
    when: datetime
    kind: str
    model_label: str
    title: str
    url: str
    detail: str
    guid: str
    parts: tuple[str, ...] = field(default=())

    @property
    def is_batch(self):
        return bool(self.parts)


@dataclass(frozen=True)
class ChangeFilters:
    """What the page is narrowed to: a kind of record (a `ChangeSource.kind`), a framework,
    one record of that kind (its id)."""

    kind: str = ""
    framework: Framework | None = None
    record: int | None = None

    def sources(self):
        return [SOURCES_BY_KIND[self.kind]] if self.kind else CHANGE_SOURCES

    def rows(self, source):
        if self.framework is not None and source.framework is None:
            return None
        framework = self.framework.pk if self.framework is not None else None
        return source.rows(framework=framework, record=self.record)


class ChangeKeys:
    """The distinct group keys of every public row, newest first: what Paginator pages."""

    def __init__(self, filters):
        parts = [rows for source in filters.sources() if (rows := filters.rows(source)) is not None]
        self.keys = None
        if parts:
            keys = [part.values(*GROUP_KEY) for part in parts]
            self.keys = (
                keys[0]
                .union(*keys[1:])
                .order_by("-history_date", "history_change_reason", "history_user_id")
            )

    def count(self):
        return self.keys.count() if self.keys is not None else 0

    def __len__(self):
        return self.count()

    def __getitem__(self, window):
        if self.keys is None:
            return []
        return [tuple(key[name] for name in GROUP_KEY) for key in self.keys[window]]


def entries(keys, filters):
    """The changes of `keys` (a page of group keys), newest first: one query per model."""
    wanted = set(keys)
    if not wanted:
        return []
    found = {key: [] for key in keys}  # key → [(source, representative row, row count)]
    group = [F(name) for name in (*GROUP_KEY, "history_type")]
    for source in filters.sources():
        rows = filters.rows(source)
        if rows is None:
            continue
        rows = (
            rows.filter(history_date__in={key[0] for key in wanted})
            .annotate(
                versus_group_size=Window(Count("history_id"), partition_by=group),
                versus_group_place=Window(
                    RowNumber(), partition_by=group, order_by=F("history_id").desc()
                ),
            )
            .filter(versus_group_place=1)
            .select_related(*source.related)
        )
        for row in rows:
            key = tuple(getattr(row, name) for name in GROUP_KEY)
            if key in wanted:
                found[key].append((source, row, row.versus_group_size))
    return [change_of(key, found[key]) for key in keys if found[key]]


def change_of(key, members):
    when = key[0]
    if len(members) == 1 and members[0][2] == 1:
        source, row, _ = members[0]
        return Change(
            key=key,
            when=when,
            kind=CHANGE_KINDS.get(row.history_type, "Changed"),
            model_label=source.label,
            title=source.title(row),
            url=source.link_of(row),
            detail=Truncator(source.detail(row) if source.detail else "").chars(200),
            guid=f"{source.kind}-{row.history_id}",
        )
    # A batch: "Loaded from the shipped knowledge base: 115 cells, 71 sources added; …"
    by_kind = {}
    for source, row, size in members:
        by_kind.setdefault(row.history_type, []).append((source, size))
    parts = []
    for history_type in ("+", "~", "-"):
        counted = by_kind.get(history_type)
        if counted:
            counted.sort(key=lambda item: CHANGE_SOURCES.index(item[0]))
            things = ", ".join(
                f"{size} {source.plural if size != 1 else source.label.lower()}"
                for source, size in counted
            )
            parts.append(f"{things} {CHANGE_KINDS[history_type].lower()}")
    kinds = {row.history_type for _, row, _ in members}
    total = sum(size for *_, size in members)
    return Change(
        key=key,
        when=when,
        kind=CHANGE_KINDS[kinds.pop()] if len(kinds) == 1 else "Changed",
        model_label=f"{total} records",
        title=key[1] or "Several records at once",
        url=changes_url(),
        detail="; ".join(parts) + ".",
        guid=f"batch-{when.isoformat()}",
        parts=tuple(parts),
    )


def change_pages(filters=None, *, per_page=CHANGES_PER_PAGE):
    """A Paginator of `Change` group keys; `page_changes(page)` turns a page into entries."""
    return Paginator(ChangeKeys(filters or ChangeFilters()), per_page)


def page_changes(page, filters=None):
    return entries(list(page.object_list), filters or ChangeFilters())


def recent_changes(limit=CHANGES_PER_PAGE, filters=None):
    """The newest `limit` changes to published records, newest first."""
    filters = filters or ChangeFilters()
    return entries(ChangeKeys(filters)[:limit], filters)


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
        return recent_changes(limit=FEED_ITEMS)

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
