from django.apps import AppConfig
from django.db.models.signals import post_migrate


def ensure_editors_group(sender, using="default", **kwargs):
    """After every `migrate` (and every flush, which empties the table): the Editors group,
    with the permissions of every content model, new ones included."""
    from .editorial import editors_group_ensure

    editors_group_ensure(using=using)


class ComparisonsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "comparisons"
    verbose_name = "Knowledge base"

    def ready(self):
        from . import history, signals, summaries

        history.connect()
        signals.connect(self)
        summaries.connect()
        post_migrate.connect(ensure_editors_group, sender=self)
