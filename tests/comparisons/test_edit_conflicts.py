"""No lost updates in the admin, and history that reverts."""

import pytest
from django.urls import reverse

from comparisons.models import Support
from tests.factories import SupportFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editors():
    from django.contrib.auth.models import Group
    from django.test import Client

    group = Group.objects.get(name="Editors")
    clients = []
    for name in ("ada", "bob"):
        user = UserFactory(username=name, is_staff=True)
        user.groups.add(group)
        editor_client = Client()
        editor_client.force_login(user)
        clients.append(editor_client)
    return clients


def cell_form(cell, **changes):
    data = {
        "framework": cell.framework_id,
        "feature": cell.feature_id,
        "level": cell.level,
        "summary": cell.summary,
        "packages": cell.packages,
        "since_version": cell.since_version,
        "notes": cell.notes,
        "version": cell.version,
        "claims-TOTAL_FORMS": 0,
        "claims-INITIAL_FORMS": 0,
        "claims-MIN_NUM_FORMS": 0,
        "claims-MAX_NUM_FORMS": 1000,
    }
    data.update(changes)
    return data


def test_the_second_of_two_concurrent_edits_is_refused_and_the_first_kept(editors):
    ada, bob = editors
    cell = SupportFactory(level="partial", summary="Async views since 3.1")
    url = reverse("admin:comparisons_support_change", args=[cell.pk])
    # Both open the page at version 1.
    assert ada.get(url).context["adminform"].form.initial["version"] == 1
    opened = Support.objects.get(pk=cell.pk)

    first = ada.post(url, cell_form(opened, level="native", summary="Native async"))
    assert first.status_code == 302
    second = bob.post(url, cell_form(opened, summary="Bob's summary"))

    assert second.status_code == 200
    message = " ".join(second.context["adminform"].form.non_field_errors())
    assert "changed by ada" in message
    assert "level" in message and "summary" in message
    stored = Support.objects.get(pk=cell.pk)
    assert (stored.level, stored.summary, stored.version) == ("native", "Native async", 2)


def test_sequential_edits_each_start_from_the_stored_version(editors):
    ada, bob = editors
    cell = SupportFactory(summary="One")
    url = reverse("admin:comparisons_support_change", args=[cell.pk])
    assert ada.post(url, cell_form(cell, summary="Two")).status_code == 302
    cell.refresh_from_db()
    assert bob.post(url, cell_form(cell, summary="Three")).status_code == 302
    cell.refresh_from_db()
    assert (cell.summary, cell.version) == ("Three", 3)


def test_an_admin_edit_is_in_the_history_and_reverting_restores_it(editors):
    ada, _ = editors
    cell = SupportFactory(level="partial", summary="Before")
    url = reverse("admin:comparisons_support_change", args=[cell.pk])
    ada.post(url, cell_form(cell, level="none", summary="After"))
    history = list(cell.history.order_by("history_date"))
    assert [entry.summary for entry in history] == ["Before", "After"]
    assert history[-1].history_user.username == "ada"

    revert_url = reverse(
        "admin:comparisons_support_simple_history", args=[cell.pk, history[0].history_id]
    )
    page = ada.get(revert_url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert form.initial["version"] == 2  # the revert edits the record as it stands now
    restored = {name: form.initial.get(name) for name in ("level", "summary")}
    response = ada.post(revert_url, cell_form(cell, **restored, version=2))
    assert response.status_code == 302
    cell.refresh_from_db()
    assert (cell.level, cell.summary, cell.version) == ("partial", "Before", 3)


def test_two_api_edits_of_one_cell_from_the_same_version_the_second_gets_412(editors):
    from django.contrib.auth import get_user_model
    from django.test import Client
    from rest_framework.authtoken.models import Token

    cell = SupportFactory(level="partial", summary="Start")
    clients = [
        Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
        for user in get_user_model().objects.filter(username__in=["ada", "bob"])
    ]
    url = f"/api/v1/supports/{cell.pk}/"
    first = clients[0].patch(
        url, {"summary": "Ada's"}, content_type="application/json", HTTP_IF_MATCH="1"
    )
    assert first.status_code == 200
    second = clients[1].patch(
        url, {"summary": "Bob's"}, content_type="application/json", HTTP_IF_MATCH="1"
    )
    assert second.status_code == 412  # Precondition Failed (RFC 9110), naming the change
    assert "summary" in second.json()["error"]["message"]
    assert Support.objects.get(pk=cell.pk).summary == "Ada's"
