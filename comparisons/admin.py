"""The editors' admin: every model, with search, filters, autocompletes and inlines for cells
and claims."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.text import Truncator, capfirst
from import_export.admin import ImportExportMixin
from import_export.forms import ConfirmImportForm
from simple_history.admin import SimpleHistoryAdmin

from . import editorial, resources
from .history import HISTORY_LIMIT, REVERTED, field_display, record_history
from .links import url_pattern
from .models import (
    Benchmark,
    BenchmarkResult,
    Claim,
    Feature,
    FeatureCategory,
    Framework,
    Milestone,
    Point,
    Recommendation,
    RegistrySnapshot,
    ScalePoint,
    Source,
    Status,
    Support,
    UseCase,
    UseCaseRequirement,
)
from .querysets import PRIMARY_EVIDENCE_AGE_DAYS, REGISTRY_SNAPSHOT_AGE_DAYS

# "Disputed" is the cell's stored summary, the one the public site shows: it weighs the
# published sources' claims only, so a draft source's claim disputes nothing until published.
DISPUTED = "disputed (published sources)"
SUMMARY_IN_LIST_CHARS = 60


class DisputedFilter(admin.SimpleListFilter):
    title = DISPUTED
    parameter_name = "disputed"

    def lookups(self, request, model_admin):
        return [("yes", "Disputed"), ("no", "Not disputed")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.disputed()
        if self.value() == "no":
            return queryset.filter(sources_disagree=False)
        return queryset


class SourcedFilter(admin.SimpleListFilter):
    title = "sourcing"
    parameter_name = "sourced"

    def lookups(self, request, model_admin):
        return [("no", "No claim (unsourced)"), ("yes", "At least one claim")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(claim_count=0)
        if self.value() == "yes":
            return queryset.filter(claim_count__gt=0)
        return queryset


class VerifiedFilter(admin.SimpleListFilter):
    title = "last verified"
    parameter_name = "verified"

    def lookups(self, request, model_admin):
        return [("stale", "Not in the last 12 months (or never)")]

    def queryset(self, request, queryset):
        if self.value() == "stale":
            return queryset.stale()
        return queryset


class VersionCheckedForm(forms.ModelForm):
    """Refuses a save made from an older version of the record (another editor saved first)
    instead of silently overwriting their work, and makes merging easy: the form comes back
    with the editor's input kept and its version moved on to the stored one, beside a table
    of the stored values (`edit_conflict_rows`), so saving again after review goes through.

    A form left unchanged is neither checked nor saved (`ContentAdmin.save_model`): a claim
    edited in its cell's form does not make a new version of the cell."""

    is_revert = False  # set by ContentAdmin.get_form on the history's revert page

    def clean(self):
        cleaned = super().clean()
        self.edit_conflict_rows = []
        if "version" not in self.fields:
            return cleaned
        if self.instance.pk is None:
            cleaned["version"] = 1
            return cleaned
        if not (self.has_changed() or self.is_revert):
            return cleaned
        try:
            cleaned["version"] = editorial.record_check_version(
                record=self.instance, expected_version=cleaned.get("version")
            )
        except editorial.EditConflict as conflict:
            self.keep_input_for_a_merge(conflict)
            raise ValidationError(
                f"{conflict.headline} Your edit was not saved. Their values are beside yours "
                "below and your input is kept: make it what it should be and save again.",
                code="edit_conflict",
            ) from conflict
        return cleaned

    def keep_input_for_a_merge(self, conflict):
        stored = type(self.instance).objects.get(pk=self.instance.pk)
        self.edit_conflict_rows = [
            {
                "label": capfirst(field.verbose_name),
                "theirs": field_display(field, getattr(stored, field.name)),
                "yours": field_display(field, self.cleaned_data.get(field.name)),
            }
            for field in map(stored._meta.get_field, conflict.changed_names)
            if field.name in self.fields
        ]
        self.edit_conflict_title = f"{capfirst(stored._meta.verbose_name)}: {stored}"
        # The next save is made from the version now stored (the editor has seen it).
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = conflict.current_version


def hidden_version_field(db_field):
    if db_field.name == "version":
        return forms.IntegerField(widget=forms.HiddenInput, required=False)
    return None


class VersionCheckedMixin:
    form = VersionCheckedForm

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return hidden_version_field(db_field) or super().formfield_for_dbfield(
            db_field, request, **kwargs
        )


# Links editors paste without a scheme are taken as https (Django 6's default).
URL_FIELDS_ASSUME_HTTPS = {models.URLField: {"assume_scheme": "https"}}


# --- Imports ------------------------------------------------------------------------------


class PreviewedConfirmImportForm(ConfirmImportForm):
    """The confirm step carries the version of each row's record as the preview found it."""

    preview_versions = forms.JSONField(widget=forms.HiddenInput, required=False)


class AllOrNothingImportMixin(ImportExportMixin):
    """Import → preview → confirm, where confirm writes every row or none.

    The resources roll the whole file back on any bad row (`resources.VersionedResource`);
    here the preview's record versions go into the confirm form, so a row whose record
    another editor changed (or added, or deleted) since the preview stops the import too,
    and a confirm that wrote nothing says so, row by row, instead of "Import finished"."""

    confirm_form_class = PreviewedConfirmImportForm
    # The bad rows' reasons written out beside each row (the library shows a count, with
    # the reasons on hover only).
    import_template_name = "admin/comparisons/import.html"

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        if context.get("confirm_form") is not None:
            context["confirm_form"].initial["preview_versions"] = context["result"].record_versions
        return response

    def get_import_resource_kwargs(self, request, **kwargs):
        resource_kwargs = super().get_import_resource_kwargs(request, **kwargs)
        form = kwargs.get("form")
        if isinstance(form, PreviewedConfirmImportForm):
            resource_kwargs["preview_versions"] = form.cleaned_data["preview_versions"] or {}
        return resource_kwargs

    def process_result(self, result, request):
        if not (result.has_errors() or result.has_validation_errors()):
            return super().process_result(result, request)
        self.message_user(
            request,
            "Nothing was imported: these rows cannot be imported as they stand. Upload the "
            "file again to preview it against the records as they are now.",
            messages.ERROR,
        )
        for problem in import_problems(result):
            self.message_user(request, problem, messages.ERROR)
        app_label, model_name = self.get_model_info()
        return redirect(f"admin:{app_label}_{model_name}_import")


def import_problems(result):
    """One line per row that stopped an import (its number and every reason)."""
    for row in result.invalid_rows:
        reasons = [
            message if field == NON_FIELD_ERRORS else f"{field}: {message}"
            for field, field_messages in row.error_dict.items()
            for message in field_messages
        ]
        yield f"Row {row.number}: {' '.join(reasons)}"
    for number, errors in result.row_errors():
        yield f"Row {number}: {' '.join(str(error.error) for error in errors)}"
    for error in result.base_errors:
        yield f"The file: {error.error}"


# --- Inlines ------------------------------------------------------------------------------


class ClaimInline(VersionCheckedMixin, admin.StackedInline):
    model = Claim
    extra = 0
    fields = [
        ("source", "place", "source_label"),
        ("level", "rating", "value"),
        "statement",
        "version",
    ]
    autocomplete_fields = ["source", "rating"]


class ScalePointInline(VersionCheckedMixin, admin.TabularInline):
    model = ScalePoint
    extra = 0
    fields = ["value", "slug", "label", "tone", "version"]
    prepopulated_fields = {"slug": ["label"]}


class BenchmarkResultInline(VersionCheckedMixin, admin.TabularInline):
    model = BenchmarkResult
    extra = 0
    fields = [
        "framework",
        "server",
        "figure",
        "value",
        "low",
        "high",
        "rank",
        "approximate",
        "version",
    ]
    autocomplete_fields = ["framework"]


class RecommendationInline(VersionCheckedMixin, admin.TabularInline):
    model = Recommendation
    extra = 0
    fields = ["framework", "fit", "source", "rationale", "version"]
    autocomplete_fields = ["framework", "source"]


class UseCaseRequirementInline(VersionCheckedMixin, admin.TabularInline):
    """The preset, checked by `UseCaseRequirement.clean()` like any form; each requirement
    links to its own page, where its history is."""

    model = UseCaseRequirement
    extra = 0
    fields = ["kind", "feature", "level", "end", "weight", "version"]
    autocomplete_fields = ["feature", "end"]
    show_change_link = True
    verbose_name_plural = "preset requirements (our own reading: where “Start from this” starts)"


# --- Read-only lists of the records that grow with the data -------------------------------
#
# A framework has a cell for every feature, a point for every source's view of it; a feature
# a cell for every framework; a source a claim on any number of cells. As inline forms they
# put ~8 fields per record in the parent's form, which passed Django's 1,000-field limit
# (DATA_UPLOAD_MAX_NUMBER_FIELDS) at ~70 features and made the record impossible to save. So
# the parent's page lists them, each linking to its own admin page, with links to add one
# and to see them all in their (paginated, filterable) list: the form no longer grows.

RELATED_LIST_LIMIT = 300
POINTS_ON_PAGE = 10


def reading_label(record):
    """A cell's verdict or a claim's reading, in words."""
    return record.rating.label if record.rating_id else record.get_level_display() or "—"


def admin_url(model, action, **query):
    """The admin URL of `model`'s add page or list, with a query string (initial values of
    the add form, filters of the list)."""
    url = reverse(f"admin:comparisons_{model._meta.model_name}_{action}")
    return f"{url}?{urlencode(query)}" if query else url


def change_url(record):
    pattern = url_pattern(f"admin:comparisons_{record._meta.model_name}_change", object_id=None)
    return pattern.format(object_id=record.pk)


def related_list(**context):
    """A linked table: `headers`; `rows` of {"url", "values", "add_url", "add_label"} (the
    first value links to `url`); `total` (the rows may be the first of more); `empty`; and
    links `all_url`/`all_label` (the records' list), `add_url`/`add_label`."""
    return render_to_string("admin/comparisons/_related_list.html", context)


def not_saved_yet(record):
    return record is None or record.pk is None


def cell_grid(*, cells, names, filter_field, record):
    """A framework's (or feature's) cells: one line per feature (framework), linking to the
    cell or to adding it, in columns, with counts linking to the filtered cell list. `names`
    are (pk, name) of every feature (framework) in display order; `cells` map those pks to
    cells."""
    rows = []
    for pk, name in names:
        cell = cells.get(pk)
        if cell is None:
            pair = {
                filter_field: record.pk,
                ("feature" if filter_field == "framework" else "framework"): pk,
            }
            rows.append({"name": name, "add_url": admin_url(Support, "add", **pair)})
        else:
            rows.append(
                {
                    "name": name,
                    "url": change_url(cell),
                    "verdict": reading_label(cell),
                    "disputed": cell.is_disputed,
                    "unsourced": cell.source_count == 0,
                }
            )
    in_list = {f"{filter_field}__id__exact": record.pk}
    return render_to_string("admin/comparisons/_cell_grid.html", {
        "rows": rows, "present": len(cells), "missing": len(rows) - len(cells),
        "disputed": sum(1 for row in rows if row.get("disputed")),
        "all_url": admin_url(Support, "changelist", **in_list),
        "disputed_url": admin_url(Support, "changelist", disputed="yes", **in_list),
        "unsourced_url": admin_url(Support, "changelist", sourced="no", **in_list),
        "unsourced": sum(1 for row in rows if row.get("unsourced")),
    })  # fmt: skip


def first_rows(queryset, limit=RELATED_LIST_LIMIT):
    """The first `limit` records of `queryset`, and how many there are."""
    records = list(queryset[:limit])
    total = len(records) if len(records) < limit else queryset.count()
    return records, total


# --- Model admins -------------------------------------------------------------------------


class ContentAdmin(VersionCheckedMixin, SimpleHistoryAdmin):
    """Every content admin shows the record's history and can revert to an earlier version,
    and refuses to overwrite an edit another editor saved in the meantime."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if any("version" in fieldset[1]["fields"] for fieldset in fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], "version"]}), *rest]

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        match = request.resolver_match
        if obj is None or not (match and match.url_name.endswith("_simple_history")):
            return form_class
        # Reverting: the historical copy carries its old version, but the revert is an edit
        # of the record as it stands now, so it starts from the stored version.
        stored_version = type(obj).objects.filter(pk=obj.pk).values_list("version", flat=True)

        class RevertForm(form_class):
            is_revert = True
            reverted_version = obj.version  # the historical copy's

            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, **form_kwargs)
                if "version" in self.fields:
                    self.initial["version"] = stored_version.first()

        return RevertForm

    def save_model(self, request, obj, form, change):
        if change and not (form.has_changed() or getattr(form, "is_revert", False)):
            return  # nothing of its own changed (only its inlines): no new version
        if getattr(form, "is_revert", False):
            obj._change_reason = REVERTED.format(version=form.reverted_version)
        super().save_model(request, obj, form, change)

    def history_view(self, request, object_id, extra_context=None):
        """The record's history for people (comparisons.history), instead of
        django-simple-history's table of raw values."""
        record = self.get_object(request, unquote(object_id))
        if record is None:  # deleted: the library's page says so
            return super().history_view(request, object_id, extra_context)
        if not self.has_view_history_or_change_history_permission(request, record):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": f"History of {record}",
            "subtitle": None,
            "object": record,
            "opts": self.model._meta,
            "module_name": capfirst(self.model._meta.verbose_name_plural),
            "entries": record_history(record),
            "limit": HISTORY_LIMIT,
            "revert_disabled": self.revert_disabled(request, record),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/comparisons/object_history.html", context)

    def render_change_form(self, request, context, *args, **kwargs):
        context["edit_conflicts"] = edit_conflicts(context)
        return super().render_change_form(request, context, *args, **kwargs)


def edit_conflicts(context):
    """The refused forms on a change page (the record's own, its inlines'), each with its
    stored values beside the editor's."""
    forms_on_page = [context["adminform"].form]
    for inline in context.get("inline_admin_formsets", []):
        forms_on_page.extend(inline.formset.forms)
    return [
        {"title": form.edit_conflict_title, "rows": form.edit_conflict_rows}
        for form in forms_on_page
        if getattr(form, "edit_conflict_rows", None)
    ]


class PublishableAdmin(ContentAdmin):
    """Draft → published, one record or many at a time."""

    actions = ["publish", "unpublish"]

    @admin.action(description="Publish the selected %(verbose_name_plural)s")
    def publish(self, request, queryset):
        self.set_status(request, queryset, Status.PUBLISHED, "published")

    @admin.action(description="Return the selected %(verbose_name_plural)s to draft")
    def unpublish(self, request, queryset):
        self.set_status(request, queryset, Status.DRAFT, "returned to draft")

    def set_status(self, request, queryset, status, done):
        changed = editorial.records_set_status(records=queryset, status=status)
        noun = (
            self.model._meta.verbose_name if changed == 1 else self.model._meta.verbose_name_plural
        )
        self.message_user(request, f"{changed} {noun} {done}.", messages.SUCCESS)


@admin.register(Framework)
class FrameworkAdmin(PublishableAdmin):
    list_display = ["name", "kind", "interface", "first_release_year", "latest_version", "status"]
    list_filter = ["status", "kind", "interface"]
    search_fields = ["name", "slug", "tagline", "creators"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["builds_on"]
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    readonly_fields = ["cell_list", "point_list", "milestone_list"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "status", "tagline", "summary"]}),
        (
            "Facts",
            {
                "fields": [
                    "kind",
                    "interface",
                    "builds_on",
                    "foundations",
                    "first_release_year",
                    "creators",
                    "license",
                    "latest_version",
                    "registry_package",
                ]
            },
        ),
        ("Links", {"fields": ["homepage_url", "repository_url", "docs_url"]}),
        ("Cells: one per feature", {"fields": ["cell_list"]}),
        ("Strengths, weaknesses and history", {"fields": ["point_list", "milestone_list"]}),
    ]

    @admin.display(description="cells")
    def cell_list(self, framework):
        if not_saved_yet(framework):
            return "Save the framework first; then every feature's cell is listed here."
        cells = {
            cell.feature_id: cell
            for cell in Support.objects.filter(framework=framework).select_related("rating")
        }
        names = Feature.objects.in_display_order().values_list("pk", "name")
        return cell_grid(cells=cells, names=names, filter_field="framework", record=framework)

    @admin.display(description="strengths and weaknesses")
    def point_list(self, framework):
        if not_saved_yet(framework):
            return "Save the framework first."
        # A few, to keep the page short: the point list, filtered, has them all.
        points, total = first_rows(framework.points.select_related("source"), POINTS_ON_PAGE)
        rows = [
            {"url": change_url(point),
             "values": [point.text, point.get_kind_display(), point.source.title]}
            for point in points
        ]  # fmt: skip
        return related_list(
            headers=["point", "kind", "source"], rows=rows, total=total,
            empty="No strength or weakness yet.",
            all_url=admin_url(Point, "changelist", framework__id__exact=framework.pk),
            all_label="See them in the point list",
            add_url=admin_url(Point, "add", framework=framework.pk), add_label="Add a point",
        )  # fmt: skip

    @admin.display(description="milestones")
    def milestone_list(self, framework):
        if not_saved_yet(framework):
            return "Save the framework first."
        milestones, total = first_rows(framework.milestones.all())
        rows = [
            {"url": change_url(milestone), "values": [milestone.title, milestone.year]}
            for milestone in milestones
        ]
        return related_list(
            headers=["milestone", "year"], rows=rows, total=total, empty="No milestone yet.",
            all_url=admin_url(Milestone, "changelist", framework__id__exact=framework.pk),
            all_label="See them in the milestone list",
            add_url=admin_url(Milestone, "add", framework=framework.pk),
            add_label="Add a milestone",
        )  # fmt: skip


@admin.register(FeatureCategory)
class FeatureCategoryAdmin(ContentAdmin):
    list_display = ["name", "position", "feature_count"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(feature_count=Count("features"))

    @admin.display(description="features", ordering="feature_count")
    def feature_count(self, category):
        return category.feature_count


@admin.register(Feature)
class FeatureAdmin(PublishableAdmin):
    list_display = ["name", "category", "kind", "position", "status"]
    list_filter = ["status", "kind", "category"]
    list_select_related = ["category"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["category"]
    inlines = [ScalePointInline]
    readonly_fields = ["cell_list"]

    @admin.display(description="cells: one per framework")
    def cell_list(self, feature):
        if not_saved_yet(feature):
            return "Save the feature first; then every framework's cell is listed here."
        cells = {
            cell.framework_id: cell
            for cell in Support.objects.filter(feature=feature).select_related("rating")
        }
        names = Framework.objects.values_list("pk", "name")
        return cell_grid(cells=cells, names=names, filter_field="feature", record=feature)


@admin.register(ScalePoint)
class ScalePointAdmin(ContentAdmin):
    list_display = ["feature", "value", "label", "tone"]
    list_filter = ["feature", "tone"]
    list_select_related = ["feature"]
    search_fields = ["label", "slug", "feature__name"]
    prepopulated_fields = {"slug": ["label"]}
    autocomplete_fields = ["feature"]


@admin.register(Support)
class SupportAdmin(AllOrNothingImportMixin, ContentAdmin):
    resource_classes = [resources.SupportResource]
    formats = resources.FORMATS
    list_display = [
        "framework",
        "feature",
        "reading_display",
        "summary_display",
        "claim_count",
        "disputed_display",
        "last_verified",
    ]
    list_filter = [
        DisputedFilter,
        SourcedFilter,
        VerifiedFilter,
        "level",
        "framework",
        "feature__category",
    ]
    change_list_template = "admin/comparisons/support/change_list.html"
    list_select_related = ["framework", "feature", "rating"]
    search_fields = ["framework__name", "feature__name", "summary", "packages", "notes"]
    autocomplete_fields = ["framework", "feature", "rating"]
    date_hierarchy = "last_verified"
    inlines = [ClaimInline]
    readonly_fields = ["source_count", "disputed_display", "outdated_display", "verified_by"]
    fieldsets = [
        (None, {"fields": [("framework", "feature")]}),
        (
            "Verdict",
            {
                "fields": [
                    ("level", "rating"),
                    "summary",
                    "value",
                    ("packages", "since_version"),
                    "notes",
                    ("last_verified", "verified_by"),
                ]
            },
        ),
        (
            "What the published sources say (worked out from the claims when saved)",
            {"fields": [("source_count", "disputed_display", "outdated_display")]},
        ),
    ]
    actions = ["mark_verified"]

    @admin.action(description="Mark the selected cells verified (by you, today)")
    def mark_verified(self, request, queryset):
        marked = editorial.cells_mark_verified(cells=queryset, user=request.user)
        self.message_user(
            request,
            f"{marked} cell{'s' * (marked != 1)} marked verified by {request.user.get_username()} "
            f"on {timezone.localdate():%-d %b %Y}.",
            messages.SUCCESS,
        )

    @admin.display(description="outdated", boolean=True, ordering="sources_outdated")
    def outdated_display(self, cell):
        return cell.is_outdated

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(claim_count=Count("claims", distinct=True))

    @admin.display(description="verdict")
    def reading_display(self, cell):
        return reading_label(cell)

    def get_urls(self):
        return [
            path(
                "needs-attention/",
                self.admin_site.admin_view(self.needs_attention_view),
                name="comparisons_support_needs_attention",
            ),
            *super().get_urls(),
        ]

    def needs_attention_view(self, request):
        """One page of everything an editor should look at: disputed, unsourced and stale
        cells, and framework × feature pairs that have no cell at all."""
        cells = Support.objects.select_related("framework", "feature").order_by(
            "framework__name", "feature__name"
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Cells that need attention",
            "disputed": cells.disputed(),
            "outdated": cells.outdated(),
            "unsourced": cells.unsourced(),
            "stale": cells.stale(),
            "aged_evidence": cells.primary_evidence_aged(),
            "evidence_age_days": PRIMARY_EVIDENCE_AGE_DAYS,
            "aged_snapshots": RegistrySnapshot.objects.aged().select_related("framework"),
            "unsynced": Framework.objects.exclude(registry_package="").filter(
                registry_snapshots__isnull=True
            ),
            "snapshot_age_days": REGISTRY_SNAPSHOT_AGE_DAYS,
            "missing": editorial.missing_cells(),
            "add_url": reverse("admin:comparisons_support_add"),
        }
        return TemplateResponse(request, "admin/comparisons/needs_attention.html", context)

    @admin.display(description="claims", ordering="claim_count")
    def claim_count(self, cell):
        return cell.claim_count

    @admin.display(description="summary", ordering="summary")
    def summary_display(self, cell):
        # Cut so the list's columns fit a 1280 px screen; the cell's page has it whole.
        return Truncator(cell.summary).chars(SUMMARY_IN_LIST_CHARS)

    # Short, so the column fits; the filter's title says it counts published sources only.
    @admin.display(description="disputed", boolean=True, ordering="sources_disagree")
    def disputed_display(self, cell):
        return cell.is_disputed


@admin.register(Source)
class SourceAdmin(PublishableAdmin):
    list_display = ["title", "kind", "publisher", "published_on", "read_on", "status"]
    list_filter = ["status", "kind", "frameworks"]
    search_fields = ["title", "slug", "author", "publisher", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["frameworks"]
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    date_hierarchy = "published_on"
    readonly_fields = ["claim_list"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "kind"]}),
        (
            "Who and when",
            {
                "fields": [
                    ("author", "publisher"),
                    ("url", "read_on"),
                    ("published_on", "date_precision"),
                ]
            },
        ),
        ("In our words", {"fields": ["summary", "conclusion", "frameworks"]}),
        ("What it says about the cells", {"fields": ["claim_list"]}),
    ]

    @admin.display(description="claims")
    def claim_list(self, source):
        if not_saved_yet(source):
            return "Save the source first; then its claims are listed here."
        claims, total = first_rows(
            source.claims.select_related("support__framework", "support__feature", "rating")
            .order_by("support__framework__name", "support__feature__name")
        )  # fmt: skip
        rows = [
            {"url": change_url(claim),
             "values": [str(claim.support), reading_label(claim), claim.statement]}
            for claim in claims
        ]  # fmt: skip
        return related_list(
            headers=["cell", "reading", "statement"], rows=rows, total=total,
            empty="No claim yet.",
            all_url=admin_url(Claim, "changelist", source__id__exact=source.pk),
            all_label="See them in the claim list",
            add_url=admin_url(Claim, "add", source=source.pk), add_label="Add a claim",
        )  # fmt: skip


@admin.register(Claim)
class ClaimAdmin(AllOrNothingImportMixin, ContentAdmin):
    resource_classes = [resources.ClaimResource]
    formats = resources.FORMATS
    list_display = ["support", "source", "source_label", "reading_display", "agrees", "place"]
    list_filter = ["place", "level", "source", "support__framework", "support__feature"]
    list_select_related = [
        "source",
        "support__framework",
        "support__feature",
        "support__rating",
        "rating",
    ]
    search_fields = ["statement", "source_label", "source__title", "support__feature__name"]
    autocomplete_fields = ["source", "support", "rating"]

    @admin.display(description="reading")
    def reading_display(self, claim):
        return reading_label(claim)

    @admin.display(description="agrees with verdict", boolean=True)
    def agrees(self, claim):
        return claim.agrees_with_verdict


@admin.register(Benchmark)
class BenchmarkAdmin(PublishableAdmin):
    list_display = ["title", "metric", "unit", "source", "measured_on", "status"]
    list_filter = ["status", "source"]
    list_select_related = ["source"]
    search_fields = ["title", "slug", "workload", "metric"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["source"]
    inlines = [BenchmarkResultInline]


@admin.register(BenchmarkResult)
class BenchmarkResultAdmin(AllOrNothingImportMixin, ContentAdmin):
    resource_classes = [resources.BenchmarkResultResource]
    formats = resources.FORMATS
    list_display = ["benchmark", "framework", "server", "figure_display"]
    list_filter = ["benchmark", "framework", "figure"]
    list_select_related = ["benchmark", "framework"]
    search_fields = ["benchmark__title", "framework__name", "server", "notes"]
    autocomplete_fields = ["benchmark", "framework"]

    @admin.display(description="figure")
    def figure_display(self, result):
        unit = result.benchmark.unit
        return format_html("{} {}", result.display, unit)


@admin.register(Point)
class PointAdmin(ContentAdmin):
    list_display = ["framework", "kind", "text", "source"]
    list_filter = ["kind", "framework", "source"]
    list_select_related = ["framework", "source"]
    search_fields = ["text", "framework__name", "source__title"]
    autocomplete_fields = ["framework", "source"]


@admin.register(UseCase)
class UseCaseAdmin(PublishableAdmin):
    list_display = ["name", "position", "status"]
    list_filter = ["status"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [RecommendationInline, UseCaseRequirementInline]


@admin.register(UseCaseRequirement)
class UseCaseRequirementAdmin(ContentAdmin):
    list_display = ["use_case", "kind", "feature", "level", "end", "weight"]
    list_filter = ["kind", "use_case"]
    list_select_related = ["use_case", "feature", "end"]
    search_fields = ["use_case__name", "feature__name"]
    autocomplete_fields = ["use_case", "feature", "end"]


@admin.register(Recommendation)
class RecommendationAdmin(ContentAdmin):
    list_display = ["use_case", "framework", "fit", "source"]
    list_filter = ["fit", "framework", "use_case", "source"]
    list_select_related = ["use_case", "framework", "source"]
    search_fields = ["rationale", "use_case__name", "framework__name"]
    autocomplete_fields = ["use_case", "framework", "source"]


@admin.register(Milestone)
class MilestoneAdmin(ContentAdmin):
    list_display = ["framework", "year", "title", "source"]
    list_filter = ["framework"]
    list_select_related = ["framework", "source"]
    search_fields = ["title", "framework__name"]
    autocomplete_fields = ["framework", "source"]


@admin.register(RegistrySnapshot)
class RegistrySnapshotAdmin(admin.ModelAdmin):
    """What the registry said, sync by sync: written by `manage.py sync_registry` only."""

    list_display = [
        "framework", "taken_at", "latest_version", "latest_released_on",
        "releases_last_12_months", "requires_python", "licence",
    ]  # fmt: skip
    list_filter = ["framework"]
    list_select_related = ["framework"]
    date_hierarchy = "taken_at"
    exclude = ["releases"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
