"""Every change — admin or API — is in the record's history and on /changes/, and reverts."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from comparisons.editorial import editors_group_ensure
from tests.factories import FeatureFactory, FrameworkFactory, SupportFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    user = UserFactory(username="hist", is_staff=True)
    user.groups.add(editors_group_ensure())
    return user


def admin_form(cell, **changes):
    return {
        "framework": cell.framework_id, "feature": cell.feature_id, "level": cell.level,
        "summary": cell.summary, "version": cell.version,
        "claims-TOTAL_FORMS": 0, "claims-INITIAL_FORMS": 0,
        "claims-MIN_NUM_FORMS": 0, "claims-MAX_NUM_FORMS": 1000, **changes,
    }  # fmt: skip


def test_admin_and_api_changes_are_in_history_and_on_changes_and_revert(client, editor):
    cell = SupportFactory(
        framework=FrameworkFactory(name="Flask", slug="flask"),
        feature=FeatureFactory(name="CORS", slug="cors"),
        level="extension",
        summary="Through Flask-CORS",
    )
    admin = Client()
    admin.force_login(editor)
    url = reverse("admin:comparisons_support_change", args=[cell.pk])
    assert admin.post(url, admin_form(cell, summary="Admin: add Flask-CORS")).status_code == 302

    cell.refresh_from_db()
    api = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    response = api.patch(
        f"/api/v1/supports/{cell.pk}/",
        {"summary": "API: the Flask-CORS extension", "level": "native"},
        content_type="application/json",
        HTTP_IF_MATCH=str(cell.version),
    )
    assert response.status_code == 200, response.content

    history = list(cell.history.order_by("history_date"))
    assert [(entry.summary, entry.history_user) for entry in history] == [
        ("Through Flask-CORS", None),
        ("Admin: add Flask-CORS", editor),
        ("API: the Flask-CORS extension", editor),
    ]
    changes = client.get("/changes/").content.decode()
    assert "Admin: add Flask-CORS" in changes or "API: the Flask-CORS extension" in changes
    feed = client.get("/changes/feed/").content.decode()
    assert "API: the Flask-CORS extension" in feed

    # Revert to the version before both edits, from the admin's history.
    revert_url = reverse(
        "admin:comparisons_support_simple_history", args=[cell.pk, history[0].history_id]
    )
    form = admin.get(revert_url).context["adminform"].form
    cell.refresh_from_db()
    restored = admin_form(cell, level=form.initial["level"], summary=form.initial["summary"])
    assert admin.post(revert_url, restored).status_code == 302
    cell.refresh_from_db()
    assert (cell.level, cell.summary) == ("extension", "Through Flask-CORS")
    assert cell.history.count() == 4
