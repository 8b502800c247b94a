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


def history_page(client, record):
    meta = record._meta
    return client.get(reverse(f"admin:comparisons_{meta.model_name}_history", args=[record.pk]))


def test_the_history_page_is_written_for_people(editor):
    from comparisons.history import record_history

    long_summary = "Through the Flask-CORS extension, configured per blueprint or app-wide."
    cell = SupportFactory(level="extension", summary=long_summary)
    admin = Client()
    admin.force_login(editor)
    url = reverse("admin:comparisons_support_change", args=[cell.pk])
    assert admin.post(url, admin_form(cell, level="native", summary="Built in.")).status_code == 302

    response = history_page(admin, cell)
    assert response.status_code == 200
    html = response.content.decode()
    latest = response.context["entries"][0]
    assert (latest.who, latest.what) == ("hist", "Changed")
    changes = {change.label: (change.old, change.new) for change in latest.changes}
    # Labels, choices in words, the whole old value; no version bookkeeping.
    assert changes == {"Level": ("Via extension", "Native"), "Summary": (long_summary, "Built in.")}
    assert long_summary in html and "chars]" not in html
    assert "Change reason" not in html and "None" not in html and "Version:" not in html
    # Editors may not open user accounts: the name is not a link to one.
    assert "/admin/auth/user/" not in html
    assert len(record_history(cell)) == 2


def test_a_revert_is_said_as_one_and_a_claim_edit_shows_on_its_cell(editor):
    from tests.factories import ClaimFactory, SourceFactory

    cell = SupportFactory(level="partial", summary="Before")
    claim = ClaimFactory(
        support=cell, level="partial", statement="Old reading", source=SourceFactory(title="Docs")
    )
    admin = Client()
    admin.force_login(editor)
    url = reverse("admin:comparisons_support_change", args=[cell.pk])
    admin.post(url, admin_form(cell, summary="After"))
    first = cell.history.order_by("history_date").first()
    cell.refresh_from_db()
    revert_url = reverse(
        "admin:comparisons_support_simple_history", args=[cell.pk, first.history_id]
    )
    assert admin.post(revert_url, admin_form(cell, summary="Before")).status_code == 302

    data = admin_form(cell := type(cell).objects.get(pk=cell.pk))
    data.update({
        "claims-TOTAL_FORMS": 1, "claims-INITIAL_FORMS": 1, "claims-0-id": claim.pk,
        "claims-0-support": cell.pk, "claims-0-source": claim.source_id,
        "claims-0-place": claim.place, "claims-0-source_label": claim.source_label,
        "claims-0-level": claim.level, "claims-0-statement": "New reading",
        "claims-0-value": claim.value, "claims-0-version": claim.version,
    })  # fmt: skip
    assert admin.post(url, data).status_code == 302

    entries = history_page(admin, cell).context["entries"]
    whats = [entry.what for entry in entries]
    assert whats[0] == "Claim from Docs: changed"
    assert [(c.label, c.old, c.new) for c in entries[0].changes] == [
        ("Statement", "Old reading", "New reading")
    ]
    assert "Reverted to version 1 by hist" in whats
    assert whats.count("Changed") == 1  # the claim's edit made no empty cell version


def test_the_history_page_takes_as_many_queries_for_a_long_history_as_a_short_one(
    editor, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import ClaimFactory

    admin = Client()
    admin.force_login(editor)

    def edited(times):
        cell = SupportFactory(level="partial", summary="Start")
        claims = ClaimFactory.create_batch(2, support=cell, level="partial")
        for n in range(times):
            cell.summary, cell.level = f"Edit {n}", ["native", "partial"][n % 2]
            cell.save()
            for claim in claims:
                claim.statement = f"Reading {n}"
                claim.save()
        return cell

    short, long = edited(2), edited(20)
    history_page(admin, short)  # warm the session and content types
    with CaptureQueriesContext(connection) as short_queries:
        assert history_page(admin, short).status_code == 200
    with django_assert_num_queries(len(short_queries)):
        response = history_page(admin, long)
    assert len(response.context["entries"]) == 1 + 20 + 2 * 21
