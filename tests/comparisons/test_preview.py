"""Drafts: editors preview them from the admin's "View on site"; nobody else sees them."""

import pytest
from django.test import Client

from comparisons.editorial import editors_group_ensure
from tests.factories import (
    BenchmarkFactory,
    FeatureFactory,
    FrameworkFactory,
    SourceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DRAFTS = {
    "framework": lambda: FrameworkFactory(name="Quartframe", status="draft"),
    "feature": lambda: FeatureFactory(name="Quartfeature", status="draft"),
    "source": lambda: SourceFactory(title="Quartsource", status="draft"),
    "benchmark": lambda: BenchmarkFactory(title="Quartbench", status="draft"),
}


@pytest.fixture
def editor_client():
    editor = UserFactory(username="prev", is_staff=True)
    editor.groups.add(editors_group_ensure())
    client = Client()
    client.force_login(editor)
    return client


@pytest.mark.parametrize("kind", DRAFTS)
def test_editors_preview_a_draft_and_nobody_else_sees_it(kind, editor_client, client):
    draft = DRAFTS[kind]()
    url = draft.get_absolute_url()
    assert client.get(url).status_code == 404
    staff_without_rights = Client()
    staff_without_rights.force_login(UserFactory(is_staff=True))
    assert staff_without_rights.get(url).status_code == 404

    preview = editor_client.get(url)
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Draft preview" in page and "Quart" in page
    assert "no-store" in preview["Cache-Control"]
    assert client.get(url).status_code == 404  # the preview left nothing in the public cache


def test_the_admin_offers_view_on_site_for_a_draft(editor_client):
    draft = FrameworkFactory(status="draft")
    change = editor_client.get(f"/admin/comparisons/framework/{draft.pk}/change/")
    assert "View on site" in change.content.decode()
