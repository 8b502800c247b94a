"""One bulk write, one moment in the history: every historical row written inside
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
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from simple_history.signals import pre_create_historical_record


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
