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


def test_a_refused_save_shows_their_values_beside_yours_and_saving_again_goes_through(editors):
    ada, bob = editors
    cell = SupportFactory(level="partial", summary="Async views since 3.1", notes="")
    url = reverse("admin:comparisons_support_change", args=[cell.pk])
    opened = Support.objects.get(pk=cell.pk)
    ada.post(url, cell_form(opened, level="native", summary="Native async"))

    refused = bob.post(url, cell_form(opened, summary="Bob's summary", notes="Bob's notes"))
    assert refused.status_code == 200
    html = refused.content.decode()
    conflict = refused.context["edit_conflicts"][0]
    rows = {row["label"]: (row["theirs"], row["yours"]) for row in conflict["rows"]}
    assert rows == {"Level": ("Native", "Partial"), "Summary": ("Native async", "Bob's summary")}
    assert "Stored now (theirs)" in html and "Native async" in html
    # The form keeps Bob's input, and its version is now the stored one.
    form = refused.context["adminform"].form
    assert form["summary"].value() == "Bob's summary" and form["notes"].value() == "Bob's notes"
    assert form["version"].value() == 2
    assert 'name="version" value="2"' in html

    # Bob takes Ada's level, keeps his summary, and saves from the same form: it goes through.
    again = bob.post(url, cell_form(opened, level="native", summary="Bob's summary", version=2))
    assert again.status_code == 302
    stored = Support.objects.get(pk=cell.pk)
    assert (stored.level, stored.summary, stored.version) == ("native", "Bob's summary", 3)


def test_a_claim_edited_in_the_cell_form_conflicts_as_that_claim_not_as_the_cell(editors):
    from tests.factories import ClaimFactory, SourceFactory

    ada, bob = editors
    cell = SupportFactory(level="native", summary="Native")
    claim = ClaimFactory(
        support=cell, level="native", statement="Docs say so", source=SourceFactory(title="Docs")
    )
    url = reverse("admin:comparisons_support_change", args=[cell.pk])

    def with_claim(statement, **changes):
        data = cell_form(cell, **changes)
        data.update({
            "claims-TOTAL_FORMS": 1, "claims-INITIAL_FORMS": 1, "claims-0-id": claim.pk,
            "claims-0-support": cell.pk, "claims-0-source": claim.source_id,
            "claims-0-place": claim.place, "claims-0-source_label": claim.source_label,
            "claims-0-level": claim.level, "claims-0-statement": statement,
            "claims-0-value": claim.value, "claims-0-version": claim.version,
        })  # fmt: skip
        return data

    assert ada.post(url, with_claim("Ada's reading")).status_code == 302
    cell.refresh_from_db()
    assert cell.version == 1  # only the claim changed: the cell has no new version
    refused = bob.post(url, with_claim("Bob's reading"))
    assert refused.status_code == 200
    message = " ".join(
        refused.context["inline_admin_formsets"][0].formset.forms[0].non_field_errors()
    )
    assert "This claim (Docs on" in message and "changed by ada" in message
    assert "statement" in message and "some fields" not in message
    rows = refused.context["edit_conflicts"][0]["rows"]
    assert rows == [{"label": "Statement", "theirs": "Ada's reading", "yours": "Bob's reading"}]
