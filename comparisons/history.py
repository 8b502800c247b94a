"""The history (django-simple-history), read and written.

Read, `record_history`: a record's history written for people, for the admin's History
page: who did what when,
each change as its field's label with the whole old and new values, a revert said as one;
a cell's history includes its claims' changes (edited inside the cell's form or not).

Versions, timestamps and the stored summaries are bookkeeping, not edits: they are left out.

Written, `history_batch`: one bulk write, one moment in the history. Every historical row
written inside
`history_batch(reason)` (django-simple-history) gets the batch's reason and one shared
`history_date`, the moment the batch began.

That shared triple (history_date, history_change_reason, history_user) is what the recent
changes page groups by (comparisons.feeds): a load of the knowledge base or an import of a
file is one entry, not hundreds. An exact timestamp is a sturdier key than a time window
(two loads a minute apart stay two) or the reason alone (every load has the same one), and
it needs no column of its own.

It is set in simple-history's `pre_create_historical_record` signal because that is the
one place every row passes, whoever saves the record (a loader, import-export, a nested
service): bookkeeping of the history itself, not domain logic.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from simple_history.signals import pre_create_historical_record

from .editorial import IGNORED_IN_DIFFS
from .models import Claim, Source, Support

HISTORY_LIMIT = 100  # entries per record's page, newest first (the rest stay stored)
REVERTED = "Reverted to version {version}"
ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    when: object
    who: str
    what: str
    version: int
    url: str = ""  # where to see (and revert to) this version
    reason: str = ""
    changes: list[Change] = field(default_factory=list)


def field_display(model_field, value):
    """A field's value as an editor reads it: choices by label, related records by name,
    nothing as '(empty)'. Used by the history and by the edit-conflict table."""
    if value in (None, "") or value == []:
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def record_history(record, *, limit=HISTORY_LIMIT) -> list[Entry]:
    """The latest `limit` entries of `record`'s history (a cell's with its claims'), newest
    first. A fixed number of queries, however long the history."""
    model = type(record)
    meta = model._meta
    entries = entries_of(
        record.history.all(),
        model=model,
        limit=limit,
        url=lambda historical: reverse(
            f"admin:{meta.app_label}_{meta.model_name}_simple_history",
            args=[record.pk, historical.history_id],
        ),
    )
    if isinstance(record, Support):
        entries += claim_entries(record, limit=limit)
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit]


def claim_entries(cell, *, limit):
    historical = Claim.history.filter(support_id=cell.pk)
    sources = dict(
        Source.objects.filter(pk__in=historical.values("source_id")).values_list("pk", "title")
    )
    existing = set(Claim.objects.filter(support=cell).values_list("pk", flat=True))
    entries = entries_of(
        historical,
        model=Claim,
        limit=limit,
        subject=lambda claim: f"claim from {sources.get(claim.source_id, 'a deleted source')}",
        url=lambda claim: (
            reverse("admin:comparisons_claim_history", args=[claim.id])
            if claim.id in existing
            else ""
        ),
    )
    return entries


def entries_of(history, *, model, limit, url, subject=None):
    """Entries for the latest `limit` historical rows in `history` (one model's), each
    compared with the row before it of the same record."""
    rows = list(history.select_related("history_user").order_by("-history_date", "-history_id")[
        : limit + 1
    ])  # fmt: skip
    rows.reverse()  # oldest first; the first is only there to diff the next against
    earlier = {}
    pairs = []
    for row in rows:
        pairs.append((earlier.get(row.id), row))
        earlier[row.id] = row
    if len(rows) > limit:
        pairs = pairs[1:]
    deltas = [(row, edits(model, before, row)) for before, row in pairs]
    names = related_names(model, [change for _, changes in deltas for change in changes])
    entries = []
    for row, changes in deltas:
        reason = row.history_change_reason or ""
        what = ACTIONS[row.history_type]
        who = str(row.history_user) if row.history_user else ""
        if reason.startswith("Reverted to version"):
            what, reason = f"{reason} by {who}" if who else reason, ""
        if subject is not None:
            what = f"{capfirst(subject(row))}: {what.lower()}"
        entries.append(
            Entry(
                when=row.history_date,
                who=who,
                what=what,
                version=row.version,
                url=url(row),
                reason=reason,
                changes=[
                    Change(
                        label=capfirst(model._meta.get_field(change.field).verbose_name),
                        old=shown(model, change.field, change.old, names),
                        new=shown(model, change.field, change.new, names),
                    )
                    for change in changes
                ],
            )
        )
    return entries


def edits(model, before, row):
    """What an editor changed from `before` to `row` (a creation or deletion lists none)."""
    if before is None or row.history_type != "~":
        return []
    delta = row.diff_against(before, foreign_keys_are_objs=False)
    return [
        change
        for change in delta.changes
        if change.field not in IGNORED_IN_DIFFS and model._meta.get_field(change.field).editable
    ]


def related_names(model, changes):
    """{(field name, pk): record} for every related record the changes mention, one query
    per related field."""
    wanted = {}
    for change in changes:
        model_field = model._meta.get_field(change.field)
        if model_field.many_to_one:
            wanted.setdefault(change.field, set()).update({change.old, change.new} - {None})
    found = {}
    for name, pks in wanted.items():
        related = model._meta.get_field(name).related_model
        for pk, record in related.objects.in_bulk(pks).items():
            found[(name, pk)] = record
    return found


def shown(model, name, value, names):
    model_field = model._meta.get_field(name)
    if model_field.many_to_one and value is not None:
        value = names.get((name, value), f"(deleted, #{value})")
    return field_display(model_field, value)


# --- One bulk write, one moment ------------------------------------------------------------


@dataclass(frozen=True)
class Batch:
    reason: str
    began: datetime


current_batch: ContextVar[Batch | None] = ContextVar("versus_history_batch", default=None)


@contextmanager
def history_batch(reason):
    """Every history row written inside shares `reason` and one date. Nested batches join
    the outer one (a knowledge-base load that imports a benchmark run is one load)."""
    if current_batch.get() is not None:
        yield current_batch.get()
        return
    token = current_batch.set(Batch(reason=reason, began=timezone.now()))
    try:
        yield current_batch.get()
    finally:
        current_batch.reset(token)


def stamp_batch(sender, history_instance, **kwargs):
    batch = current_batch.get()
    if batch is not None:
        history_instance.history_date = batch.began
        history_instance.history_change_reason = batch.reason


def connect():
    pre_create_historical_record.connect(stamp_batch, dispatch_uid="versus-history-batch")
