"""Editorial writes: publishing, and finding the gaps in the matrix.

Kept beside services.py (the knowledge-base loader) while that module is being written;
the same rules apply: typed, keyword-only, atomic, and every save goes through the model so
history records it.
"""

from django.db import transaction
from django.utils import timezone

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


@transaction.atomic
def cells_mark_verified(*, cells, user, day=None) -> int:
    """Record that `user` checked these cells against their sources on `day` (today), one
    by one so each cell's history says who did. Returns how many were marked."""
    day = day or timezone.localdate()
    marked = 0
    chosen = list(cells.values_list("pk", flat=True))  # the admin's list may be annotated
    for cell in Support.objects.filter(pk__in=chosen).select_for_update().order_by("pk"):
        cell.last_verified, cell.verified_by = day, user
        cell._change_reason = "Marked verified"
        cell.save(update_fields=["last_verified", "verified_by", "updated_at"])
        marked += 1
    return marked


def missing_cells() -> list[tuple[Framework, Feature]]:
    """Every framework × feature pair that has no cell yet, drafts included."""
    existing = set(Support.objects.values_list("framework_id", "feature_id"))
    features = list(Feature.objects.in_display_order())
    return [
        (framework, feature)
        for framework in Framework.objects.all()
        for feature in features
        if (framework.pk, feature.pk) not in existing
    ]


IGNORED_IN_DIFFS = {"version", "updated_at", "created_at"}


class EditConflict(Exception):
    """An edit was based on an older version of the record than the one stored now."""

    def __init__(self, *, record, expected_version, current_version, changed_names, editors):
        self.record = record
        self.expected_version = expected_version
        self.current_version = current_version
        self.changed_names = changed_names  # model field names, in the model's order
        self.changed_fields = [record._meta.get_field(name).verbose_name for name in changed_names]
        self.editors = editors
        super().__init__(f"{self.headline} Your edit was not saved, so their change is kept; "
                         "reload to see it, then make your edit again.")  # fmt: skip

    @property
    def headline(self):
        """What happened, naming the record, who and which fields (each surface adds what
        to do next)."""
        what = ", ".join(self.changed_fields) if self.changed_fields else "no field of its own"
        who = f" by {', '.join(self.editors)}" if self.editors else ""
        noun = self.record._meta.verbose_name
        return (f"This {noun} ({self.record}) was changed{who} while you were editing it "
                f"(changed: {what}).")  # fmt: skip


def record_check_version(*, record, expected_version: int | None) -> int:
    """Lock the stored row and return the version the next save must carry.

    Raises EditConflict, naming the fields changed and who changed them, when the stored
    version is not the one the edit started from. Call inside a transaction: the row lock
    holds until it commits, so two saves cannot both pass.
    """
    model = type(record)
    current = (
        model.objects.select_for_update()
        .filter(pk=record.pk)
        .values_list("version", flat=True)
        .first()
    )
    if current is None or expected_version is None or current == expected_version:
        return (current or 0) + 1
    base = record.history.filter(version=expected_version).order_by("-history_date").first()
    newer = record.history.filter(version__gt=expected_version).order_by("history_date")
    latest = newer.last()
    changed = []
    if base and latest:
        delta = latest.diff_against(base)
        changed = [
            field.name
            for field in model._meta.concrete_fields
            if field.name in delta.changed_fields and field.name not in IGNORED_IN_DIFFS
        ]
    editors = sorted({str(entry.history_user) for entry in newer if entry.history_user})
    raise EditConflict(
        record=record,
        expected_version=expected_version,
        current_version=current,
        changed_names=changed,
        editors=editors,
    )


EDITORS_GROUP = "Editors"
EDITOR_ACTIONS = ("add", "change", "delete", "view")


def editors_group_ensure(using="default"):
    """The Editors group with add/change/delete/view on every content model and nothing
    else, in the database `using`. Created by migration 0003; this puts it back if it was
    deleted or flushed (the app runs it after every migrate and flush)."""
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    content_models = [
        model
        for model in apps.get_app_config("comparisons").get_models()
        if not model.__name__.startswith("Historical")
    ]
    codenames = [
        f"{action}_{model._meta.model_name}"
        for model in content_models
        for action in EDITOR_ACTIONS
    ]
    with transaction.atomic(using=using):
        group, _ = Group.objects.db_manager(using).get_or_create(name=EDITORS_GROUP)
        content_types = ContentType.objects.db_manager(using).get_for_models(*content_models)
        group.permissions.add(
            *Permission.objects.using(using).filter(
                content_type__in=content_types.values(), codename__in=codenames
            )
        )
    return group
