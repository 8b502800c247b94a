"""Read-only fast path for the cells (supports): their JSON built from rows, not instances.

`SupportSerializer` describes a cell and validates writes; reading a page of 100 cells through
it built ~800 model instances and ran a DRF field for every value, ~100x the cost of the
request around it. Here the same JSON (same keys, order, types and values: the tests compare
the two byte for byte) comes from `values_list()` tuples, in the same queries as before: the
page of cells with the slugs it shows, then the claims of those cells.

A list runs SQL the ORM compiled for the first request of its shape (`api.statements`): the
count, the page and the claims; only their parameters change from one request to the next.
"""

import datetime
from collections import defaultdict
from functools import cache
from types import SimpleNamespace

from django.conf import settings
from django.db import connections, router
from django.db.models import F
from django.utils import timezone
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from comparisons import models
from comparisons.links import url_pattern
from comparisons.models import reading_of_values

from .serializers import SUPPORT_DETAIL_VIEW
from .statements import AmongIds, Shapes, Statement, WithIds, count_statement, when_any

CELL_FIELDS = (
    "id",
    "framework__slug",
    "feature__slug",
    "level",
    "rating_id",
    "rating__slug",
    "summary",
    "packages",
    "since_version",
    "notes",
    "last_verified",
    "version",
    "created_at",
    "updated_at",
    "framework__status",
    "feature__status",
    # The cell's stored summary of its published sources (`comparisons.summaries`), kept
    # by the same rule as `with_disputed()`: no need to compare the claims' readings here.
    "sources_disagree",
)
CLAIM_FIELDS = (
    "support_id",
    "id",
    "source__slug",
    "source__title",
    "level",
    "rating_id",
    "rating__slug",
    "statement",
    "source_label",
    "place",
)
# The order of `SupportQuerySet.with_related()`'s claims prefetch.
CLAIM_ORDER = ("source__published_on", "source__title")

# An id no record has, standing for the id in a detail URL reversed once per response.
URL_PLACEHOLDER = 918_273_645_546_372_819


class Readings(dict):
    """`reading_of_values()` for each (level, rating_id) pair, worked out once per pair."""

    def __missing__(self, pair):
        reading = self[pair] = reading_of_values(*pair)
        return reading


# The serializers' own fields turn dates into text, so the formats stay theirs.
_date_text = serializers.DateField().to_representation


UTC_ZONES = {"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Zulu", "Etc/Zulu", "Universal", "Etc/Universal"}


def datetime_texts():
    """`DateTimeField().to_representation` in the time zone current now, its text exactly
    (ISO 8601, `Z` for UTC, microseconds only when not zero, as `isoformat()` writes them),
    ~4x faster: for the aware datetimes the database gives, its checks come down to one.
    Also takes PostgreSQL's text of a timestamp in UTC (`2026-11-21 10:00:00.5+00`, what a
    page statement reads, `Statement.timestamps_as_text`), rewritten without a datetime when
    the time zone is UTC too. Anything else (naive, other text, another DATETIME_FORMAT,
    USE_TZ off) goes to the field."""
    field = serializers.DateTimeField(default_timezone=timezone.get_current_timezone())
    drf_text = field.to_representation
    output_format = getattr(field, "format", api_settings.DATETIME_FORMAT)
    if not settings.USE_TZ or output_format is None or output_format.lower() != ISO_8601:
        return drf_text
    zone = field.timezone
    in_utc = zone is datetime.UTC or getattr(zone, "key", None) in UTC_ZONES

    def text(value):
        if type(value) is str and value.endswith("+00") and value[10:11] == " ":
            if in_utc:
                return utc_text(value)
            value = datetime.datetime.fromisoformat(value)
        if type(value) is not datetime.datetime or value.utcoffset() is None:
            return drf_text(value)
        try:
            iso = value.astimezone(zone).isoformat()
        except OverflowError:  # the field's own error for it
            return drf_text(value)
        return iso[:-6] + "Z" if iso.endswith("+00:00") else iso

    return text


def utc_text(value):
    """`2026-11-21 10:00:00.5+00` (PostgreSQL) as `2026-11-21T10:00:00.500000Z` (DRF):
    microseconds in six digits, none when they are zero (PostgreSQL drops trailing zeros)."""
    clock = value[11:-3]
    if len(clock) > 8:  # HH:MM:SS.f to HH:MM:SS.ffffff
        clock = clock.ljust(15, "0")
    return f"{value[:10]}T{clock}Z"


def published_cells():
    """`Support.objects.published()` written as "neither its framework nor its feature is a
    draft": the same rows (both keys are required foreign keys), but a count of them needs no
    join, only two hashed lookups of the (few) draft ids: on 9,000 cells, ~1 ms instead of
    ~2.2 ms. The list and its count are built on it, so they agree by construction.

    A copy of one built once (a copy is ~6 µs, building it ~450 µs): every request asks for
    it, if only for the permission check."""
    return _published_cells().all()


@cache
def _published_cells():
    return models.Support.objects.exclude(framework_id__in=draft_frameworks().values("pk")).exclude(
        feature_id__in=draft_features().values("pk")
    )


def visible_cells():
    """`Support.objects.published()` for visitors' reads: a copy (~6 µs) of one built once
    (~450 µs), as every request asks for it, if only for the permission check. The page is
    read from it (it joins the frameworks and features the page shows anyway); the count
    from `published_cells()`."""
    return _visible_cells().all()


@cache
def _visible_cells():
    return models.Support.objects.published()


def draft_frameworks():
    return models.Framework.objects.exclude(status=models.Status.PUBLISHED).order_by()


def draft_features():
    return models.Feature.objects.exclude(status=models.Status.PUBLISHED).order_by()


def cell_rows(queryset):
    """The cells of `queryset` (filtered and ordered as it is) as tuples of CELL_FIELDS."""
    return queryset.prefetch_related(None).values_list(*CELL_FIELDS)


class ListedShape:
    """What a list request of one shape runs: the page's statement (LIMIT/OFFSET appended as
    the ORM would), and its count's.

    A visitor's count is the count of every cell (filtered the same way) while no framework
    and no feature is a draft, as on a published site: then the two are the same cells, and
    counting every cell scans the table without looking each one's framework and feature up
    among the drafts (~0.55 ms instead of ~1.1 ms on 9,000 cells). One statement decides."""

    def __init__(self, queryset, *, counted=None, with_drafts=None):
        self.queryset = counted if counted is not None else queryset
        self.ordered = queryset.ordered
        # `cells_json()` only writes the timestamps out: PostgreSQL's text of them will do.
        self.page = Statement.of(cell_rows(queryset), timestamps_as_text=True)
        self.count_statement = count_statement(self.queryset)
        every = None if with_drafts is None else count_statement(with_drafts)
        if self.count_statement is not None and every is not None:
            drafts = [Statement.of(draft().values_list("pk")) for draft in DRAFTS]
            self.count_statement = when_any(drafts, self.count_statement, every)

    def count(self):
        if self.count_statement is None:  # it cannot match: 0, counted without a query
            return self.queryset.count()
        return self.count_statement.value()

    def rows(self, low, high):
        if self.page is None or low == high:  # as a queryset sliced empty: no query
            return []
        ops = connections[self.page.alias].ops
        return self.page.rows(suffix=ops.limit_offset_sql(low, high))


DRAFTS = (draft_frameworks, draft_features)


class ListedCells:
    """The cells a list shows, as Django's `Paginator` uses them: `count()`, then one slice."""

    def __init__(self, shape):
        self.shape = shape
        self.ordered = shape.ordered

    def count(self):
        return self.shape.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("Listed cells are read a page (a slice) at a time.")
        return self.shape.rows(index.start or 0, index.stop)


# The list's statements by request shape: the viewset, whether drafts are shown, the
# database, and every query parameter but the page's number and size. The same parameters
# give the same filters, ordering and search (all of them parsed from the parameters alone),
# so the same SQL, and had the same 400 if any was invalid: an invalid shape is never stored.
LISTED_SHAPES = Shapes(size=256)


def listed_cells(view):
    """The cells `view`'s list request shows (after its filters, search and ordering)."""
    paginator = view.paginator
    paging = (paginator.page_query_param, paginator.page_size_query_param)
    params = view.request.query_params
    key = (
        type(view),
        view.shows_drafts(),
        router.db_for_read(models.Support),
        tuple(sorted((name, tuple(params.getlist(name))) for name in params if name not in paging)),
    )
    shape = LISTED_SHAPES.get(key)
    if shape is None:
        listed = view.filter_queryset(view.get_queryset())
        if view.shows_drafts():
            shape = ListedShape(listed)
        else:
            # The page joins the frameworks and features it shows, and PostgreSQL walks the
            # framework-name index to its first 100 rows; the "no draft" form plans badly
            # there (a whole-table materialise, ~12 ms on 9,000 cells) but counts well. The
            # same list with drafts is counted instead while there are none.
            shape = ListedShape(
                listed,
                counted=view.filter_queryset(published_cells()),
                with_drafts=view.filter_queryset(models.Support.objects.all()),
            )
        shape = LISTED_SHAPES.add(key, shape)
    return ListedCells(shape)


def detail_url(view):
    """A function of an id giving the cell's `api_url` exactly as `SupportSerializer` would,
    from one `reverse()` per response instead of one per cell: DRF's reverse is Django's,
    made absolute by the request; the relative URL is a pattern reversed once
    (`comparisons.links`). With a format suffix or a versioning scheme, DRF's own way."""
    request = view.request
    if view.format_kwarg is None and getattr(request, "versioning_scheme", None) is None:
        start, _, end = url_pattern(SUPPORT_DETAIL_VIEW, pk=URL_PLACEHOLDER).partition("{pk}")
        start = request.build_absolute_uri(start)
        return lambda pk: f"{start}{pk}{end}"
    field = serializers.HyperlinkedIdentityField(view_name=SUPPORT_DETAIL_VIEW)
    placeholder = SimpleNamespace(pk=URL_PLACEHOLDER)
    url = field.get_url(placeholder, SUPPORT_DETAIL_VIEW, request, view.format_kwarg)
    prefix, found, suffix = url.partition(str(URL_PLACEHOLDER))
    if not found or str(URL_PLACEHOLDER) in suffix:  # cannot happen with the v1 URLs

        def reversed_each_time(pk):
            record = SimpleNamespace(pk=pk)
            return field.get_url(record, SUPPORT_DETAIL_VIEW, request, view.format_kwarg)

        return reversed_each_time
    return lambda pk: f"{prefix}{pk}{suffix}"


def cells_json(rows, *, view):
    """The `SupportSerializer` representation of each row of `cell_rows()`, in order.

    Runs one query: the claims of these cells whose source is published. They are the
    cell's `claims` when its framework and feature are published (as
    `Claim.objects.published()` in `with_related()`): an editor reading a draft cell sees no
    claims on it, as before. `disputed` is the cell's stored summary of those claims.
    """
    if not rows:
        return []
    api_url = detail_url(view)
    datetime_text = datetime_texts()
    readings = Readings()
    claims_of = defaultdict(list)
    for claim in claims_statement().rows([row[0] for row in rows]):
        claims_of[claim[0]].append(claim)

    published = models.Status.PUBLISHED
    results = []
    for (
        pk,
        framework,
        feature,
        level,
        rating_id,
        rating,
        summary,
        packages,
        since_version,
        notes,
        last_verified,
        version,
        created_at,
        updated_at,
        framework_status,
        feature_status,
        disputed,
    ) in rows:
        cell_claims = claims_of.get(pk, ())
        verdict = readings[level, rating_id]
        shown = (
            [
                {
                    "id": claim_id,
                    "source": {"slug": source_slug, "title": source_title},
                    "level": claim_level,
                    "rating": claim_rating,
                    "statement": statement,
                    "source_label": source_label,
                    "place": place,
                    "agrees_with_verdict": agrees(readings[claim_level, claim_rating_id], verdict),
                }
                for (
                    _,
                    claim_id,
                    source_slug,
                    source_title,
                    claim_level,
                    claim_rating_id,
                    claim_rating,
                    statement,
                    source_label,
                    place,
                ) in cell_claims
            ]
            if framework_status == published and feature_status == published
            else []
        )
        results.append(
            {
                "api_url": api_url(pk),
                "id": pk,
                "framework": framework,
                "feature": feature,
                "level": level,
                "rating": rating,
                "summary": summary,
                "packages": packages,
                "since_version": since_version,
                "notes": notes,
                "last_verified": _date_text(last_verified),
                "disputed": disputed,
                "claims": shown,
                "version": version,
                "created_at": datetime_text(created_at),
                "updated_at": datetime_text(updated_at),
            }
        )
    return results


def claims_of_cells(ids):
    return (
        models.Claim.objects.filter(
            AmongIds(F("support_id"), ids), source__status=models.Status.PUBLISHED
        )
        .order_by(*CLAIM_ORDER)
        .values_list(*CLAIM_FIELDS)
    )


CLAIMS_STATEMENTS = Shapes(size=8)


def claims_statement():
    """The claims query for any cells, compiled once (per database)."""
    alias = router.db_for_read(models.Claim)
    statement = CLAIMS_STATEMENTS.get(alias)
    if statement is None:
        statement = CLAIMS_STATEMENTS.add(alias, WithIds(alias, claims_of_cells))
    return statement


def agrees(reading, verdict):
    """`Claim.agrees_with_verdict`, given the claim's reading and the cell's."""
    return reading is None or verdict is None or reading == verdict
