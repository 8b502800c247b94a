"""Editorial writes: publishing, and finding the gaps in the matrix.

Kept beside services.py (the knowledge-base loader) while that module is being written;
the same rules apply: typed, keyword-only, atomic, and every save goes through the model so
history records it.
"""

from django.db import transaction

from .models import Feature, Framework, Status, Support


@transaction.atomic
def records_set_status(*, records, status: str) -> int:
    """Publish or unpublish records one by one (so each change lands in their history)."""
    if status not in Status.values:
        raise ValueError(f"Unknown status {status!r}.")
    changed = 0
    for record in records.select_for_update().exclude(status=status):
        record.status = status
        record.save(update_fields=["status", "updated_at"])
        changed += 1
    return changed


def missing_cells() -> list[tuple[Framework, Feature]]:
    """Every framework × feature pair that has no cell yet, drafts included."""
    existing = set(Support.objects.values_list("framework_id", "feature_id"))
    features = list(Feature.objects.in_display_order())
    return [
        (framework, feature)
        for framework in Framework.objects.order_by("name")
        for feature in features
        if (framework.pk, feature.pk) not in existing
    ]
