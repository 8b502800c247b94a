"""Bulk import/export of cells, claims and benchmark results (CSV, XLSX, JSON), by slug.

Every row refers to frameworks, features, sources and benchmarks by slug, never by id. Rows
go through the model's full_clean() (so the same rules as the admin hold), the whole file is
one transaction, and a file with any bad row imports nothing: the preview lists the bad rows
with their reasons. The admin's confirm step holds each row to the record as the preview
showed it (its `version`): a record changed, added or deleted since then stops the import.
"""

from django.core.exceptions import ValidationError
from django.utils.encoding import force_str
from django.utils.html import format_html
from import_export import fields, resources, widgets
from import_export.formats.base_formats import JSON

from . import editorial
from .history import history_batch
from .models import (
    Benchmark,
    BenchmarkResult,
    Claim,
    Feature,
    Framework,
    ScalePoint,
    Source,
    Support,
)
from .spreadsheets import FormulaSafeCSV, FormulaSafeXLSX

# CSV and XLSX cells that could start a formula are written as text (spreadsheets.py).
FORMATS = [FormulaSafeCSV, FormulaSafeXLSX, JSON]


class SlugWidget(widgets.ForeignKeyWidget):
    """A foreign key written as the related record's slug, with a plain-words error."""

    def __init__(self, model):
        super().__init__(model, field="slug")

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist as missing:
            noun = self.model._meta.verbose_name
            raise ValueError(f"No {noun} with slug '{value}'.") from missing


class RatingWidget(widgets.ForeignKeyWidget):
    """A rating written as its scale point's slug, looked up on the row's own feature."""

    def __init__(self):
        super().__init__(ScalePoint, field="slug")

    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        feature = (row or {}).get("feature")
        point = ScalePoint.objects.filter(feature__slug=feature, slug=value).first()
        if point is None:
            raise ValueError(f"'{value}' is not a point on the scale of feature '{feature}'.")
        return point


class CellWidget(widgets.ForeignKeyWidget):
    """The cell a claim is about, written as its framework slug beside a 'feature' column."""

    def __init__(self):
        super().__init__(Support)

    def clean(self, value, row=None, **kwargs):
        feature = (row or {}).get("feature")
        cell = Support.objects.filter(framework__slug=value, feature__slug=feature).first()
        if cell is None:
            raise ValueError(f"There is no cell for {value} × {feature}; add the cell first.")
        return cell

    def render(self, value, obj=None, **kwargs):
        return value.framework.slug if value else ""


NOT_PREVIEWED = object()


class OldToNewDiff(resources.Diff):
    """The preview shows an updated value as old → new (the library shows the new text with
    the edits marked inside it, which reads as the new value alone); a new row its values."""

    def as_html(self):
        return [
            format_html("{}", force_str(new))
            if self.new or old == new
            else format_html(
                '<del>{}</del> → <ins>{}</ins>', force_str(old) or "(empty)",
                force_str(new) or "(empty)",
            )
            for old, new in zip(self.left, self.right, strict=False)
        ]  # fmt: skip


class VersionedResource(resources.ModelResource):
    """Imports are edits like any other: they raise the record's version, so an editor who
    opened the record before the import cannot overwrite it unknowingly.

    All or nothing: any invalid row rolls the whole file back, whoever calls `import_data()`.
    Each row notes the version of the record it found (`result.record_versions`, by row
    number; None for a new record): the admin's preview passes them on to the confirm step as
    `preview_versions`, and there a row whose record is no longer as previewed is invalid
    (so, again, nothing is written)."""

    def __init__(self, *, preview_versions=None, **kwargs):
        super().__init__(**kwargs)
        self.preview_versions = preview_versions
        self.record_versions = {}

    def get_diff_class(self):
        return OldToNewDiff

    def import_data(self, *args, **kwargs):
        kwargs["rollback_on_validation_errors"] = True
        # One file, one entry in the recent changes (comparisons.history).
        with history_batch("Imported from a file"):
            return super().import_data(*args, **kwargs)

    def after_init_instance(self, instance, new, row, row_number=None, **kwargs):
        super().after_init_instance(instance, new, row, row_number=row_number, **kwargs)
        found = None if new else instance.version
        self.record_versions[str(row_number)] = found
        if self.preview_versions is not None:
            previewed = self.preview_versions.get(str(row_number), NOT_PREVIEWED)
            self.check_as_previewed(instance, previewed)

    def check_as_previewed(self, instance, previewed):
        """Lock the row's record and refuse it if it is no longer the one previewed."""
        noun = self._meta.model._meta.verbose_name
        if previewed is NOT_PREVIEWED:
            raise ValidationError("This row was not in the preview; preview the file again.")
        if instance.pk is None:
            if previewed is not None:
                raise ValidationError(f"This {noun} was deleted since the preview.")
            return
        if previewed is None:
            raise ValidationError(f"This {noun} was added since the preview.")
        try:
            editorial.record_check_version(record=instance, expected_version=previewed)
        except editorial.EditConflict as conflict:
            who = f" by {', '.join(conflict.editors)}" if conflict.editors else ""
            what = f" (changed: {', '.join(conflict.changed_fields)})"
            raise ValidationError(
                f"This {noun} was changed{who} since the preview"
                f"{what if conflict.changed_fields else ''}."
            ) from conflict

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        result.record_versions = self.record_versions

    def get_instance(self, instance_loader, row):
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            # An unknown slug in an identifying column: treat the row as new, so the same
            # error is reported against its column as a validation error of that row.
            return None

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is not None:
            stored = type(instance).objects.filter(pk=instance.pk).values_list("version", flat=True)
            instance.version = (stored.first() or 0) + 1
        super().before_save_instance(instance, row, **kwargs)

    class Meta:
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True


class SupportResource(VersionedResource):
    framework = fields.Field("framework", "framework", SlugWidget(Framework))
    feature = fields.Field("feature", "feature", SlugWidget(Feature))
    rating = fields.Field("rating", "rating", RatingWidget())

    class Meta(VersionedResource.Meta):
        model = Support
        name = "Cells"
        import_id_fields = ["framework", "feature"]
        fields = [
            "framework", "feature", "level", "rating", "summary", "packages",
            "since_version", "notes", "last_verified",
        ]  # fmt: skip


class ClaimResource(VersionedResource):
    source = fields.Field("source", "source", SlugWidget(Source))
    support = fields.Field("support", "framework", CellWidget())
    feature = fields.Field(column_name="feature", readonly=True)
    rating = fields.Field("rating", "rating", RatingWidget())

    class Meta(VersionedResource.Meta):
        model = Claim
        name = "Claims"
        import_id_fields = ["source", "support"]
        fields = [
            "source", "support", "feature", "source_label", "level", "rating", "statement",
            "place",
        ]  # fmt: skip

    def dehydrate_feature(self, claim):
        return claim.support.feature.slug


class BenchmarkResultResource(VersionedResource):
    benchmark = fields.Field("benchmark", "benchmark", SlugWidget(Benchmark))
    framework = fields.Field("framework", "framework", SlugWidget(Framework))

    class Meta(VersionedResource.Meta):
        model = BenchmarkResult
        name = "Benchmark results"
        import_id_fields = ["benchmark", "framework", "server"]
        fields = [
            "benchmark", "framework", "server", "figure", "value", "low", "high", "rank",
            "approximate", "notes",
        ]  # fmt: skip
