"""Each cell's count of sources and its "disputed" mark, as the compare page shows them, stay
true through every kind of change: API, admin, import, a source published or withdrawn or
deleted, a claim moved, the verdict edited, a bulk job, a hand edit repaired by the command."""

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from io import StringIO

import pytest
import tablib
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from comparisons.editorial import editors_group_ensure
from comparisons.models import Claim, Status, Support
from comparisons.resources import ClaimResource
from comparisons.summaries import refresh_cell_summaries
from tests.factories import (
    ClaimFactory,
    FeatureFactory,
    FrameworkFactory,
    SourceFactory,
    SupportFactory,
    UserFactory,
    admin_cell_form,
    build_matrix,
)

COMPARE = "/compare/django-vs-flask/"
# Committed for real: the page cache moves on when a change commits, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cells(db):
    django = FrameworkFactory(slug="django", name="Django")
    flask = FrameworkFactory(slug="flask", name="Flask")
    feature = FeatureFactory(name="Async support", slug="async-support")
    left = SupportFactory(framework=django, feature=feature, level="partial", summary="Views")
    right = SupportFactory(framework=flask, feature=feature, level="partial", summary="Limited")
    return left, right


@pytest.fixture
def editor_api(db):
    user = UserFactory(username="eddie", is_staff=True)
    user.groups.add(editors_group_ensure())
    return Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}"), user


def shown(client, cell):
    """(sources label, disputed?) of one cell as the compare page shows it."""
    html = client.get(COMPARE).content.decode()
    match = re.search(
        rf'<td class="cell[^"]*" id="cell-{cell.framework.slug}-{cell.feature.slug}"'
        r'.*?data-disputed="(true|false)">(.*?)</td>',
        html,
        re.S,
    )
    assert match, html
    label = re.search(r'<span class="footnote-mark">.*?<span>([^<]+)</span>', match.group(2))
    return (label.group(1) if label else None), match.group(1) == "true"


def stored_matches_claims():
    """Every stored summary equals the one worked out from the claims now."""
    return refresh_cell_summaries() == 0


def test_a_claim_added_through_the_api_counts_and_can_dispute(client, cells, editor_api):
    left, _ = cells
    api, _ = editor_api
    source = SourceFactory(status=Status.PUBLISHED)
    ClaimFactory(support=left, level="partial")
    assert shown(client, left) == ("1 source", False)

    response = api.post(
        "/api/v1/claims/",
        {
            "source": source.slug, "framework": "django", "feature": "async-support",
            "level": "native", "statement": "Says async is native.",
        },
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assert shown(client, left) == ("2 sources", True)

    response = api.patch(
        response.json()["api_url"], {"level": "partial"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert shown(client, left) == ("2 sources", False)

    assert api.delete(response.json()["api_url"]).status_code == 204
    assert shown(client, left) == ("1 source", False)
    assert stored_matches_claims()


def test_a_claim_moved_to_another_cell_leaves_the_first_one(client, cells, editor_api):
    left, right = cells
    api, _ = editor_api
    claim = ClaimFactory(support=left, level="native")
    assert shown(client, left) == ("1 source", True)
    assert shown(client, right) == (None, False)

    response = api.patch(
        f"/api/v1/claims/{claim.pk}/", {"framework": "flask"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert shown(client, left) == (None, False)
    assert shown(client, right) == ("1 source", True)
    assert stored_matches_claims()


def test_editing_the_verdict_in_the_admin_settles_or_raises_a_dispute(client, cells, editor_api):
    left, _ = cells
    _, user = editor_api
    ClaimFactory(support=left, level="native")
    assert shown(client, left) == ("1 source", True)
    admin = Client()
    admin.force_login(user)
    response = admin.post(
        reverse("admin:comparisons_support_change", args=[left.pk]),
        admin_cell_form(left, level="native", summary="Native now"),
    )
    assert response.status_code == 302
    assert shown(client, left) == ("1 source", False)
    assert stored_matches_claims()


def test_a_source_withdrawn_published_again_and_deleted(client, cells, editor_api):
    left, _ = cells
    api, _ = editor_api
    ClaimFactory(support=left, level="partial")
    doubter = ClaimFactory(support=left, level="none").source
    assert shown(client, left) == ("2 sources", True)

    response = api.patch(
        f"/api/v1/sources/{doubter.slug}/", {"status": "draft"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    # A draft source's claims are the editors' business: the public cell no longer counts it.
    assert shown(client, left) == ("1 source", False)

    doubter.refresh_from_db()
    doubter.status = Status.PUBLISHED
    doubter.version += 1
    doubter.save()
    assert shown(client, left) == ("2 sources", True)

    doubter.delete()
    assert shown(client, left) == ("1 source", False)
    assert stored_matches_claims()


def test_an_import_of_claims_counts_them(client, cells):
    left, _ = cells
    first, second = SourceFactory(status=Status.PUBLISHED), SourceFactory(status=Status.PUBLISHED)
    dataset = tablib.Dataset(headers=["source", "framework", "feature", "level", "statement"])
    dataset.append([first.slug, "django", "async-support", "partial", "Partly async."])
    dataset.append([second.slug, "django", "async-support", "none", "Not async at all."])
    result = ClaimResource().import_data(dataset, raise_errors=True)
    assert not result.has_errors() and not result.has_validation_errors()
    assert shown(client, left) == ("2 sources", True)
    assert stored_matches_claims()


def test_bulk_built_cells_and_the_repair_command(db):
    build_matrix(frameworks=2, features=3, claims_per_cell=2)
    assert Support.objects.filter(source_count=2).count() == 6
    # A hand edit that bypasses the site (raw SQL, a restore) leaves the summaries stale...
    Support.objects.update(source_count=0, sources_disagree=True)
    out = StringIO()
    call_command("refresh_cell_summaries", stdout=out)
    # ...until the command works them out again, naming each cell it corrects.
    lines = out.getvalue().splitlines()
    assert len(lines) == 7
    assert lines[0].endswith(": stored 0 sources, disputed; recounted 2 sources, not disputed")
    assert lines[-1] == "6 cell summaries corrected."
    assert not Support.objects.filter(sources_disagree=True).exists()
    assert Support.objects.filter(source_count=2).count() == 6


def disputed_everywhere(client, admin, cell):
    """Is `cell` disputed on the compare page, the cell page, in the API (its `disputed`
    and `?disputed=true`), the admin's filter and its *Needs attention* page?"""
    page = shown(client, cell)[1]
    cell_page = 'data-disputed="true"' in client.get(cell.get_absolute_url()).content.decode()
    api = client.get(f"/api/v1/supports/{cell.pk}/").json()["disputed"]
    listed = client.get("/api/v1/supports/?disputed=true").json()["results"]
    api_filter = [item["id"] for item in listed] == [cell.pk]
    changelist = admin.get(reverse("admin:comparisons_support_changelist"), {"disputed": "yes"})
    admin_filter = list(changelist.context["cl"].result_list) == [cell]
    attention = admin.get(reverse("admin:comparisons_support_needs_attention"))
    needs_attention = list(attention.context["disputed"]) == [cell]
    return {page, cell_page, api, api_filter, admin_filter, needs_attention}


def test_a_bulk_update_that_desyncs_disputed_is_reported_then_repaired(client, cells, editor_api):
    left, right = cells
    _, user = editor_api
    admin = Client()
    admin.force_login(user)
    ClaimFactory(support=left, level="native")  # the verdict says partial: disputed
    # A queryset update() sends no signal: the stored summaries now disagree with the claims.
    Support.objects.filter(pk=left.pk).update(sources_disagree=False)
    Support.objects.filter(pk=right.pk).update(source_count=3)
    # Every surface reads the one stored flag, so they are all wrong together.
    assert disputed_everywhere(client, admin, left) == {False}

    out = StringIO()
    with pytest.raises(CommandError, match="2 cell summaries drifted"):
        call_command("refresh_cell_summaries", "--check", stdout=out)
    assert out.getvalue().splitlines() == [
        "django × async-support: stored 1 source, not disputed; recounted 1 source, disputed",
        "flask × async-support: stored 3 sources, not disputed; recounted 0 sources, not disputed",
    ]
    # The check wrote nothing.
    assert Support.objects.get(pk=left.pk).is_disputed is False
    assert Support.objects.get(pk=right.pk).source_count == 3

    out = StringIO()
    call_command("refresh_cell_summaries", stdout=out)
    assert out.getvalue().splitlines()[-1] == "2 cell summaries corrected."
    out = StringIO()
    call_command("refresh_cell_summaries", "--check", stdout=out)
    assert out.getvalue().strip() == "Every cell summary matches its claims."
    # Repaired, and the public cache knows it: every surface agrees the cell is disputed.
    assert disputed_everywhere(client, admin, left) == {True}
    assert shown(client, right) == (None, False)


def add_claims_at_once(cell, sources):
    """Each source adds its claim to `cell` in its own thread and transaction (as
    simultaneous API requests do), all released at the same moment."""
    start = threading.Barrier(len(sources))

    def add(source):
        try:
            start.wait()
            with transaction.atomic():
                Claim.objects.create(
                    support=cell, source=source, level=cell.level, statement="Says so."
                )
        finally:
            connection.close()

    with ThreadPoolExecutor(len(sources)) as pool:
        list(pool.map(add, sources))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions")
def test_simultaneous_new_claims_on_one_cell_are_all_counted(client, cells):
    left, _ = cells
    for trial in range(8):
        sources = [SourceFactory(status=Status.PUBLISHED) for _ in range(20)]
        add_claims_at_once(left, sources)
        left.refresh_from_db()
        assert left.source_count == 20 * (trial + 1), f"trial {trial + 1}"
    out = StringIO()
    call_command("refresh_cell_summaries", "--check", stdout=out)
    assert out.getvalue().strip() == "Every cell summary matches its claims."
