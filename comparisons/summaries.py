"""Each cell's summary of its sources: how many published sources make a claim on it
(`Support.source_count`), whether they disagree (`Support.sources_disagree`) and whether
their facts differ only with age (`Support.sources_outdated`).

`sources_disagree` is what "disputed" means everywhere, `sources_outdated` what "outdated"
means: the compare and cell pages, the framework and feature pages, the API (`disputed`,
`outdated`, `?disputed=true`), the admin and its *Needs attention* page all read them;
`models.claims_agreement()` is the rule that works them out.

Both follow from other records — the cell's claims, their sources' status, the cell's own
verdict — so they are never edited: they are worked out again, inside the same transaction,
whenever one of those records is saved or deleted (the signal handlers below, connected in
`ComparisonsConfig.ready()`). Writes that bypass signals (`bulk_create` in
`generate_synthetic_kb`, a queryset `update()`) call `refresh_cell_summaries()` themselves;
`manage.py refresh_cell_summaries --check` reports cells whose summary drifted from their
claims, and without `--check` repairs them.
"""

import threading
from collections import defaultdict
from contextlib import contextmanager
from typing import NamedTuple

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save

from .models import Claim, Source, Status, Support, claims_agreement

BATCH = 500


class Drift(NamedTuple):
    """A cell whose stored summary is not the one its claims give now."""

    support_id: int
    # (source_count, sources_disagree, sources_outdated, evidence_on) as stored ...
    stored: tuple
    recounted: tuple  # ... and as worked out from the claims


def summary_drift(support_ids=None, *, using="default", support_model=None, claim_model=None):
    """Work out the summaries of these cells (every cell when None) from their published
    sources' claims, and return those that differ from what is stored. Reads only."""
    support_model = support_model or Support
    claim_model = claim_model or Claim
    cells = support_model._default_manager.using(using).order_by()
    claims = claim_model._default_manager.using(using).filter(source__status=Status.PUBLISHED)
    if support_ids is not None:
        support_ids = {pk for pk in support_ids if pk is not None}
        if not support_ids:
            return []
        cells = cells.filter(pk__in=support_ids)
        claims = claims.filter(support_id__in=support_ids)
    readings = defaultdict(list)
    for support_id, level, rating_id, value, read_on, published_on in claims.order_by().values_list(
        "support_id", "level", "rating_id", "value", "source__read_on", "source__published_on"
    ):
        readings[support_id].append((level, rating_id, value, read_on or published_on))
    drifted = []
    for pk, level, rating_id, value, value_kind, *stored in cells.order_by("pk").values_list(
        "pk", "level", "rating_id", "value", "feature__value_kind",
        "source_count", "sources_disagree", "sources_outdated", "evidence_on",
    ):  # fmt: skip
        claimed = readings.get(pk, ())
        recounted = (
            len(claimed),
            *claims_agreement((level, rating_id, value), claimed, value_kind),
            max((as_of for *_, as_of in claimed if as_of), default=None),
        )
        if recounted != tuple(stored):
            drifted.append(Drift(pk, tuple(stored), recounted))
    return drifted


def store_summaries(drifted, *, using="default", support_model=None):
    """Store the recounted summaries of `summary_drift()`'s cells."""
    support_model = support_model or Support
    if drifted:
        # bulk_update: no history entry, no new version, no `updated_at` — nobody edited it.
        support_model._default_manager.using(using).bulk_update(
            [
                support_model(
                    pk=pk,
                    source_count=count,
                    sources_disagree=disagree,
                    sources_outdated=outdated,
                    evidence_on=evidence_on,
                )
                for pk, _, (count, disagree, outdated, evidence_on) in drifted
            ],
            ["source_count", "sources_disagree", "sources_outdated", "evidence_on"],
            batch_size=BATCH,
        )
    return drifted


def recount(support_ids=None, *, using="default", support_model=None, claim_model=None):
    """Work out the summaries of these cells (every cell when None) and store those that
    changed; returns them (see `summary_drift()`).

    The cells are locked first: two writers adding claims to one cell at the same time each
    count only the claims committed before they started, so without the lock the last one
    to store would leave the count one short. Locked, the second waits for the first to
    commit and then counts its claim too. `no_key`: a claim's insert holds a key-share lock
    on its cell, which a plain FOR UPDATE would wait for (a deadlock between two inserts);
    pk order, so two writers locking several cells cannot deadlock either."""
    support_model = support_model or Support
    with transaction.atomic(using=using):
        cells = support_model._default_manager.using(using).select_for_update(no_key=True)
        if support_ids is not None:
            support_ids = {pk for pk in support_ids if pk is not None}
            cells = cells.filter(pk__in=support_ids)
        list(cells.order_by("pk").values_list("pk", flat=True))
        drifted = summary_drift(
            support_ids, using=using, support_model=support_model, claim_model=claim_model
        )
        return store_summaries(drifted, using=using, support_model=support_model)


def refresh_cell_summaries(support_ids=None, *, using="default", support_model=None,
                           claim_model=None):  # fmt: skip
    """Work out the summaries of these cells (every cell when None) and store those that
    changed. Returns how many changed. The model arguments let a migration pass its own."""
    drifted = recount(
        support_ids, using=using, support_model=support_model, claim_model=claim_model
    )
    return len(drifted)


_paused = threading.local()


@contextmanager
def paused():
    """Leave the summaries alone while a bulk job (a wipe, a load) changes many records,
    then work them all out once: `refresh_cell_summaries()` after the block, in it."""
    _paused.active = True
    try:
        yield
    finally:
        _paused.active = False


def refreshing(handler):
    def run_unless_paused(*args, **kwargs):
        if not getattr(_paused, "active", False):
            handler(*args, **kwargs)

    return run_unless_paused


@refreshing
def remember_previous_cell(sender, instance, raw=False, using=None, **kwargs):
    """A claim moved to another cell leaves the old one with one claim fewer."""
    instance._summary_previous_support_id = (
        sender._default_manager.using(using)
        .filter(pk=instance.pk)
        .values_list("support_id", flat=True)
        .first()
        if instance.pk is not None
        else None
    )


@refreshing
def claim_saved(sender, instance, using=None, **kwargs):
    previous = getattr(instance, "_summary_previous_support_id", None)
    refresh_cell_summaries({instance.support_id, previous}, using=using)


@refreshing
def claim_deleted(sender, instance, using=None, **kwargs):
    refresh_cell_summaries({instance.support_id}, using=using)


@refreshing
def cell_saved(sender, instance, using=None, **kwargs):
    # The saved cell shows its new summary too (the API answers a write with it).
    for _, _, recounted in recount({instance.pk}, using=using):
        (
            instance.source_count,
            instance.sources_disagree,
            instance.sources_outdated,
            instance.evidence_on,
        ) = recounted


@refreshing
def source_saved(sender, instance, using=None, **kwargs):
    """Publishing a source (or taking it back to draft) counts its claims in, or out."""
    cells = Claim.objects.using(using).filter(source=instance).values_list("support_id", flat=True)
    refresh_cell_summaries(set(cells), using=using)


def connect():
    pre_save.connect(remember_previous_cell, sender=Claim, dispatch_uid="summary-claim-pre")
    post_save.connect(claim_saved, sender=Claim, dispatch_uid="summary-claim-save")
    post_delete.connect(claim_deleted, sender=Claim, dispatch_uid="summary-claim-delete")
    post_save.connect(cell_saved, sender=Support, dispatch_uid="summary-cell-save")
    post_save.connect(source_saved, sender=Source, dispatch_uid="summary-source-save")
    # A deleted source takes its claims with it: each claim's post_delete refreshes its cell.
