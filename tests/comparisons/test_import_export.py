"""Bulk import/export by slug: previews, all-or-nothing imports, safe spreadsheets."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
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
