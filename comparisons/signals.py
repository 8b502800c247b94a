"""Cache invalidation, and nothing else: any committed content change bumps the content
generation (comparisons/caching.py), so every process sharing the cache serves fresh pages."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from . import caching


def content_changed_on_commit(sender, **kwargs):
    # After commit: a request between the write and the commit must not cache old content
    # under the new generation.
    transaction.on_commit(caching.content_changed, robust=True)


def connect(app_config):
    for model in app_config.get_models():
        if model.__name__.startswith("Historical") or model.__name__ == "ContentChange":
            continue
        post_save.connect(
            content_changed_on_commit, sender=model, dispatch_uid=f"cache-save-{model.__name__}"
        )
        post_delete.connect(
            content_changed_on_commit, sender=model, dispatch_uid=f"cache-delete-{model.__name__}"
        )
    for field_owner in ("Framework", "Source"):
        model = app_config.get_model(field_owner)
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                content_changed_on_commit,
                sender=field.remote_field.through,
                dispatch_uid=f"cache-m2m-{field_owner}-{field.name}",
            )
