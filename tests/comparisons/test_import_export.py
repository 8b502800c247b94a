"""Bulk import/export by slug: previews, all-or-nothing imports, safe spreadsheets."""

import html
import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from import_export.formats.base_formats import CSV, JSON, XLSX

from comparisons.models import BenchmarkResult, Claim, Support
from comparisons.resources import BenchmarkResultResource, ClaimResource, SupportResource
from comparisons.spreadsheets import FormulaSafeCSV
from tests.factories import (
    BenchmarkFactory,
    FeatureFactory,
    FrameworkFactory,
    ScalePointFactory,
    SourceFactory,
    SupportFactory,
    UserFactory,
    admin_cell_form,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    flask = FrameworkFactory(slug="flask", name="Flask")
    django = FrameworkFactory(slug="django", name="Django")
    cors = FeatureFactory(slug="cors", name="CORS")
    curve = ScalePointFactory(slug="gentle", label="Gentle").feature
    curve.slug = "learning-curve"
    curve.save()
    source = SourceFactory(slug="guide")
    return {"flask": flask, "django": django, "cors": cors, "curve": curve, "source": source}


@pytest.fixture
def editor_client(client):
    editor = UserFactory(username="ed", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    return client


def dataset(text):
    return CSV().create_dataset(text)


def test_exports_name_records_by_slug_and_escape_formulae(world):
    SupportFactory(
        framework=world["flask"], feature=world["cors"], level="extension",
        summary="=HYPERLINK(\"http://evil\")", packages="Flask-CORS",
    )  # fmt: skip
    exported = SupportResource().export()
    csv = FormulaSafeCSV().export_data(exported)
    header, row = csv.strip().splitlines()
    assert header.startswith("framework,feature,level,rating,summary")
    assert row.startswith("flask,cors,extension,")
    assert "=HYPERLINK" not in row.replace("'=", "")  # the formula cannot run
    assert str(world["flask"].pk) + "," not in row.split(",")[0]
    for fmt in (JSON(), XLSX()):
        assert fmt.export_data(SupportResource().export())


def test_a_file_with_one_bad_row_imports_nothing_and_names_that_row(world):
    existing = SupportFactory(framework=world["django"], feature=world["cors"], summary="Old")
    data = dataset(
        "framework,feature,level,summary\n"
        "flask,cors,extension,Needs Flask-CORS\n"
        "django,cors,native,New summary\n"
        "fastapi,cors,native,Unknown framework\n"
    )
    result = SupportResource().import_data(
        data, dry_run=False, raise_errors=False, rollback_on_validation_errors=True
    )
    assert result.has_validation_errors()
    [invalid] = result.invalid_rows
    assert invalid.number == 3
    assert "No framework with slug 'fastapi'" in str(invalid.error_dict)
    assert Support.objects.count() == 1
    existing.refresh_from_db()
    assert existing.summary == "Old"


def test_rules_of_the_model_hold_in_imports(world):
    data = dataset(
        "framework,feature,level,rating,summary\n"
        "flask,learning-curve,native,,A level on a rating feature\n"
        "django,learning-curve,,steep,Not on this scale\n"
    )
    result = SupportResource().import_data(
        data, dry_run=True, raise_errors=False, rollback_on_validation_errors=True
    )
    errors = {row.number: str(row.error_dict) for row in result.invalid_rows}
    assert "rating feature takes a point on its scale" in errors[1]
    assert "'steep' is not a point on the scale" in errors[2]
    assert not Support.objects.exists()


def test_a_valid_import_updates_by_slug_raises_versions_and_keeps_history(world):
    cell = SupportFactory(framework=world["flask"], feature=world["cors"], level="none")
    data = dataset(
        "framework,feature,level,rating,summary,packages\n"
        "flask,cors,extension,,Through Flask-CORS,Flask-CORS\n"
        "flask,learning-curve,,gentle,Easy to start,\n"
    )
    result = SupportResource().import_data(data, dry_run=False, raise_errors=True)
    assert not result.has_validation_errors()
    cell.refresh_from_db()
    assert (cell.level, cell.packages, cell.version) == ("extension", "Flask-CORS", 2)
    assert cell.history.count() == 2
    rated = Support.objects.get(framework=world["flask"], feature=world["curve"])
    assert rated.rating.slug == "gentle"


def test_claims_and_benchmark_results_import_by_slug(world):
    SupportFactory(framework=world["flask"], feature=world["cors"], level="extension")
    claims = dataset(
        "source,framework,feature,source_label,level,statement,place\n"
        "guide,flask,cors,CORS,extension,Add Flask-CORS to allow other origins.,table\n"
    )
    ClaimResource().import_data(claims, dry_run=False, raise_errors=True)
    claim = Claim.objects.get()
    assert (claim.source.slug, claim.support.framework.slug, claim.level) == (
        "guide", "flask", "extension",
    )  # fmt: skip
    exported = CSV().export_data(ClaimResource().export())
    assert "guide,flask,cors,CORS,extension" in exported

    BenchmarkFactory(slug="io-throughput")
    results = dataset(
        "benchmark,framework,server,figure,value,low,high,rank,approximate,notes\n"
        "io-throughput,flask,Gunicorn,range,,2000,4000,,1,\n"
        "io-throughput,django,Gunicorn,range,,5000,3000,,1,\n"
    )
    outcome = BenchmarkResultResource().import_data(
        results, dry_run=False, raise_errors=False, rollback_on_validation_errors=True
    )
    assert [row.number for row in outcome.invalid_rows] == [2]
    assert "low end of a range cannot be above" in str(outcome.invalid_rows[0].error_dict)
    assert not BenchmarkResult.objects.exists()


def test_the_admin_previews_an_import_and_offers_no_confirmation_for_a_bad_file(
    world, editor_client
):
    upload = SimpleUploadedFile(
        "cells.csv",
        b"framework,feature,level,summary\nflask,cors,extension,Fine\nnope,cors,native,Bad\n",
        content_type="text/csv",
    )
    url = reverse("admin:comparisons_support_import")
    response = editor_client.post(url, {"resource": "0", "format": "0", "import_file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "No framework with slug" in page and "nope" in page
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert not Support.objects.exists()


def test_staff_outside_the_editors_group_cannot_import(client, world):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("admin:comparisons_support_import")).status_code == 403


# --- The admin's import → preview → confirm, all or nothing at confirm ---------------------

CELLS_FILE = (
    "framework,feature,level,rating,summary\n"
    "flask,cors,extension,,Through Flask-CORS\n"
    "django,cors,extension,,Through django-cors-headers\n"
    "flask,learning-curve,,gentle,Easy to start\n"
)


def preview(client, text):
    """Upload a file on the admin's import page; returns the confirm form's hidden fields, as
    a browser would post them back."""
    upload = SimpleUploadedFile("cells.csv", text.encode(), content_type="text/csv")
    url = reverse("admin:comparisons_support_import")
    response = client.post(url, {"resource": "0", "format": "0", "import_file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    confirm_url = reverse("admin:comparisons_support_process_import")
    form = re.search(rf'<form action="{confirm_url}" method="POST">(.*?)</form>', page, re.S)
    assert form, "the preview offers no confirmation"
    hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(1))
    return {name: html.unescape(value) for name, value in hidden}


def confirm(client, fields):
    url = reverse("admin:comparisons_support_process_import")
    return client.post(url, {**fields, "confirm": "Confirm import"}, follow=True)


@pytest.fixture
def cells_before(world):
    flask_cors = SupportFactory(framework=world["flask"], feature=world["cors"], level="none")
    django_cors = SupportFactory(framework=world["django"], feature=world["cors"], level="none")
    return flask_cors, django_cors


def nothing_was_imported(cells_before, world):
    for cell in cells_before:
        cell.refresh_from_db()
        assert (cell.level, cell.version) == ("none", 1), cell
    assert not Support.objects.filter(feature=world["curve"]).exists()


def test_a_confirmed_import_commits_every_row(world, editor_client, cells_before):
    response = confirm(editor_client, preview(editor_client, CELLS_FILE))
    assert "Import finished: 1 new, 2 updated" in response.content.decode()
    for cell in cells_before:
        cell.refresh_from_db()
        assert (cell.level, cell.version) == ("extension", 2)
    assert Support.objects.get(feature=world["curve"]).rating.slug == "gentle"


def test_a_row_edited_between_preview_and_confirm_stops_the_whole_import(
    world, editor_client, cells_before
):
    fields = preview(editor_client, CELLS_FILE)
    # Meanwhile another editor saves the second row's cell in the admin.
    _, django_cors = cells_before
    other = UserFactory(username="ann", is_staff=True)
    other.groups.add(Group.objects.get(name="Editors"))
    other_client = Client()
    other_client.force_login(other)
    edit = other_client.post(
        reverse("admin:comparisons_support_change", args=[django_cors.pk]),
        admin_cell_form(django_cors, level="native", summary="Ann's verdict"),
    )
    assert edit.status_code == 302

    response = confirm(editor_client, fields)
    page = html.unescape(response.content.decode())
    assert "Import finished" not in page
    assert "Nothing was imported" in page
    assert "Row 2: This cell was changed by ann since the preview" in page
    assert "Row 1" not in page and "Row 3" not in page
    # Ann's edit stands, and neither of the other two rows was written.
    django_cors.refresh_from_db()
    assert (django_cors.level, django_cors.summary) == ("native", "Ann's verdict")
    flask_cors, _ = cells_before
    flask_cors.refresh_from_db()
    assert (flask_cors.level, flask_cors.version) == ("none", 1)
    assert not Support.objects.filter(feature=world["curve"]).exists()


def test_a_row_made_invalid_between_preview_and_confirm_stops_the_whole_import(
    world, editor_client, cells_before
):
    fields = preview(editor_client, CELLS_FILE)
    # Meanwhile the scale point the third row rates the cell with is deleted.
    world["curve"].scale_points.get(slug="gentle").delete()

    response = confirm(editor_client, fields)
    page = html.unescape(response.content.decode())
    assert "Import finished" not in page
    assert "Nothing was imported" in page
    assert "Row 3: rating: 'gentle' is not a point on the scale of feature" in page
    nothing_was_imported(cells_before, world)


def test_a_record_added_between_preview_and_confirm_stops_the_whole_import(
    world, editor_client, cells_before
):
    fields = preview(editor_client, CELLS_FILE)
    SupportFactory(framework=world["flask"], feature=world["curve"], rating=None)

    response = confirm(editor_client, fields)
    page = html.unescape(response.content.decode())
    assert "Row 3: This cell was added since the preview" in page
    for cell in cells_before:
        cell.refresh_from_db()
        assert (cell.level, cell.version) == ("none", 1)
    assert Support.objects.get(feature=world["curve"]).rating is None


def upload_cells(client, text):
    upload = SimpleUploadedFile("cells.csv", text.encode(), content_type="text/csv")
    url = reverse("admin:comparisons_support_import")
    return client.post(url, {"resource": "0", "format": "0", "import_file": upload})


def test_a_bad_rows_reasons_are_written_beside_it_not_behind_a_hover(world, editor_client):
    response = upload_cells(
        editor_client,
        "framework,feature,level,summary\nflask,cors,extension,Fine\nflask,cors,sometimes,Bad\n",
    )
    page = response.content.decode()
    assert "validation-error-container" not in page  # the library's hover box
    row = re.search(r'<ul class="import-row-errors">(.*?)</ul>', page, re.S)
    assert row and "level:" in row.group(1) and "is not a valid choice" in row.group(1)
    assert "1 row cannot be imported as it stands" in page


def test_an_updates_preview_shows_old_and_new(world, editor_client, cells_before):
    response = upload_cells(editor_client, CELLS_FILE)
    page = response.content.decode()
    assert "<del>none</del> → <ins>extension</ins>" in page
    assert "→ <ins>Through Flask-CORS</ins>" in page  # its summary, old beside new
    assert "Easy to start" in page  # a new cell: its values
