"""Editors can reach every kind of record in the admin, and find disputed or unsourced cells."""

import pytest
from django.contrib import admin
from django.urls import reverse

from comparisons.models import Source, Status, Support
from tests.factories import (
    BenchmarkResultFactory,
    ClaimFactory,
    MilestoneFactory,
    PointFactory,
    RecommendationFactory,
    ScalePointFactory,
    SourceFactory,
    SupportFactory,
    UseCaseRequirementFactory,
)

pytestmark = pytest.mark.django_db

# Editors' content; registry snapshots are written by `sync_registry` only (read-only here).
CONTENT_MODELS = [
    model
    for model in admin.site._registry
    if model._meta.app_label == "comparisons" and model.__name__ != "RegistrySnapshot"
]


@pytest.fixture
def populated():
    ClaimFactory(support=SupportFactory(level="native"), level="none")
    ScalePointFactory()
    BenchmarkResultFactory()
    PointFactory()
    RecommendationFactory()
    MilestoneFactory()
    UseCaseRequirementFactory()


def test_every_content_model_is_registered():
    names = {model.__name__ for model in CONTENT_MODELS}
    assert names == {
        "Framework", "FeatureCategory", "Feature", "ScalePoint", "Source", "Support", "Claim",
        "Benchmark", "BenchmarkResult", "Point", "UseCase", "UseCaseRequirement",
        "Recommendation", "Milestone",
    }  # fmt: skip


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda model: model.__name__)
def test_every_list_add_and_change_page_renders(admin_client, populated, model):
    meta = model._meta
    changelist = admin_client.get(reverse(f"admin:comparisons_{meta.model_name}_changelist"))
    assert changelist.status_code == 200
    assert admin_client.get(reverse(f"admin:comparisons_{meta.model_name}_add")).status_code == 200
    record = model.objects.first()
    change = admin_client.get(
        reverse(f"admin:comparisons_{meta.model_name}_change", args=[record.pk])
    )
    assert change.status_code == 200


def test_every_field_an_editor_edits_has_help_text():
    missing = []
    for model in CONTENT_MODELS:
        for field in model._meta.get_fields():
            if not getattr(field, "editable", False) or field.auto_created:
                continue
            if not field.concrete and not field.many_to_many:
                continue
            if not field.help_text:
                missing.append(f"{model.__name__}.{field.name}")
    assert missing == []


def test_the_cell_list_finds_disputed_and_unsourced_cells(admin_client):
    disputed = SupportFactory(level="native", summary="Disputed cell")
    ClaimFactory(support=disputed, level="none")
    agreed = SupportFactory(level="native", summary="Agreed cell")
    ClaimFactory(support=agreed, level="native")
    unsourced = SupportFactory(level="partial", summary="Unsourced cell")
    url = reverse("admin:comparisons_support_changelist")

    only_disputed = admin_client.get(url, {"disputed": "yes"})
    assert list(only_disputed.context["cl"].result_list) == [disputed]

    only_unsourced = admin_client.get(url, {"sourced": "no"})
    assert list(only_unsourced.context["cl"].result_list) == [unsourced]
    assert Support.objects.count() == 3


def test_the_admin_calls_disputed_what_the_public_site_does(admin_client):
    """Only published sources dispute a cell, in the admin as on the site, and it says so."""
    cell = SupportFactory(level="native", summary="Contested cell")
    ClaimFactory(support=cell, level="native")
    ClaimFactory(support=cell, level="none", source=SourceFactory(status=Status.DRAFT))
    changelist = reverse("admin:comparisons_support_changelist")

    response = admin_client.get(changelist)
    assert "disputed (published sources)" in response.content.decode()
    assert list(admin_client.get(changelist, {"disputed": "yes"}).context["cl"].result_list) == []
    attention = admin_client.get(reverse("admin:comparisons_support_needs_attention"))
    assert list(attention.context["disputed"]) == []

    change_page = admin_client.get(reverse("admin:comparisons_support_change", args=[cell.pk]))
    assert "What the published sources say" in change_page.content.decode()

    draft = Source.objects.get(status=Status.DRAFT)
    draft.status = Status.PUBLISHED
    draft.save()
    only_disputed = admin_client.get(changelist, {"disputed": "yes"})
    assert list(only_disputed.context["cl"].result_list) == [cell]
    attention = admin_client.get(reverse("admin:comparisons_support_needs_attention"))
    assert list(attention.context["disputed"]) == [cell]


def test_anonymous_visitors_get_the_login_page(client):
    response = client.get("/admin/", follow=True)
    assert response.status_code == 200
    assert b"Log in" in response.content


def test_the_cell_list_cuts_a_long_summary_and_the_cell_page_has_it_whole(admin_client):
    whole = "Async views and ORM queries under ASGI, but transactions and middleware stay sync."
    cell = SupportFactory(summary=whole)
    listed = admin_client.get(reverse("admin:comparisons_support_changelist")).content.decode()
    assert whole not in listed
    assert whole[:40] in listed and "…" in listed
    page = admin_client.get(reverse("admin:comparisons_support_change", args=[cell.pk]))
    assert whole in page.content.decode()


def test_the_cell_list_offers_the_mark_verified_action(admin_client):
    response = admin_client.get(reverse("admin:comparisons_support_changelist"))
    assert "mark_verified" in dict(response.context["action_form"].fields["action"].choices)


def test_a_framework_page_lists_its_cells_one_line_each_and_links_the_cell_list(admin_client):
    from tests.factories import FeatureFactory, FrameworkFactory

    flask = FrameworkFactory(name="Flask")
    cors, orm = FeatureFactory(name="CORS"), FeatureFactory(name="Database ORM")
    cell = SupportFactory(framework=flask, feature=cors, level="extension", summary="x" * 150)
    ClaimFactory(support=cell, level="none")  # disputes it
    page = admin_client.get(reverse("admin:comparisons_framework_change", args=[flask.pk]))
    html = page.content.decode()

    assert "cells-TOTAL_FORMS" not in html and "supports-TOTAL_FORMS" not in html
    assert "x" * 150 not in html  # the summaries are on the cells' own pages
    assert f'href="{reverse("admin:comparisons_support_change", args=[cell.pk])}">CORS</a>' in html
    assert "1 disputed" in html and "1 not written yet" in html
    cell_list = reverse("admin:comparisons_support_changelist")
    assert f"{cell_list}?framework__id__exact={flask.pk}" in html
    assert f"feature={orm.pk}" in html  # the missing cell can be added from here
