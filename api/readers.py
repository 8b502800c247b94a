"""Read-only fast path for the cells (supports): their JSON built from rows, not instances.

`SupportSerializer` describes a cell and validates writes; reading a page of 100 cells through
it built ~800 model instances and ran a DRF field for every value, ~100x the cost of the
request around it. Here the same JSON (same keys, order, types and values: the tests compare
the two byte for byte) comes from `values_list()` tuples, in the same queries as before: the
page of cells with the slugs it shows, then the claims of those cells.
"""

from collections import defaultdict
from types import SimpleNamespace

from django.utils import timezone
from rest_framework import serializers

from comparisons import models
from comparisons.models import reading_of_values, readings_disagree

from .serializers import SUPPORT_DETAIL_VIEW

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


def cell_rows(queryset):
    """The cells of `queryset` (filtered and ordered as it is) as tuples of CELL_FIELDS."""
    return queryset.prefetch_related(None).values_list(*CELL_FIELDS)


def detail_url(view):
    """A function of an id giving the cell's `api_url` exactly as `SupportSerializer` would,
    from one `reverse()` per response instead of one per cell."""
    field = serializers.HyperlinkedIdentityField(view_name=SUPPORT_DETAIL_VIEW)
    placeholder = SimpleNamespace(pk=URL_PLACEHOLDER)
    url = field.get_url(placeholder, SUPPORT_DETAIL_VIEW, view.request, view.format_kwarg)
    prefix, found, suffix = url.partition(str(URL_PLACEHOLDER))
    if not found or str(URL_PLACEHOLDER) in suffix:  # cannot happen with the v1 URLs

        def reversed_each_time(pk):
            record = SimpleNamespace(pk=pk)
            return field.get_url(record, SUPPORT_DETAIL_VIEW, view.request, view.format_kwarg)

        return reversed_each_time
    return lambda pk: f"{prefix}{pk}{suffix}"


def cells_json(rows, *, view):
    """The `SupportSerializer` representation of each row of `cell_rows()`, in order.

    Runs one query: the claims of these cells whose source is published. They decide
    `disputed` (as in `with_disputed()`), and they are the cell's `claims` when its framework
    and feature are published (as `Claim.objects.published()` in `with_related()`): an editor
    reading a draft cell sees no claims on it, as before.
    """
    if not rows:
        return []
    api_url = detail_url(view)
    # As the serializer's field, told the time zone once instead of looking it up each time.
    datetime_text = serializers.DateTimeField(
        default_timezone=timezone.get_current_timezone()
    ).to_representation
    readings = Readings()
    claims_of = defaultdict(list)
    claims = (
        models.Claim.objects.filter(
            support_id__in=[row[0] for row in rows], source__status=models.Status.PUBLISHED
        )
        .order_by(*CLAIM_ORDER)
        .values_list(*CLAIM_FIELDS)
    )
    for claim in claims:
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
                "disputed": readings_disagree(
                    level, rating_id, [(claim[4], claim[5]) for claim in cell_claims]
                ),
                "claims": shown,
                "version": version,
                "created_at": datetime_text(created_at),
                "updated_at": datetime_text(updated_at),
            }
        )
    return results


def agrees(reading, verdict):
    """`Claim.agrees_with_verdict`, given the claim's reading and the cell's."""
    return reading is None or verdict is None or reading == verdict
