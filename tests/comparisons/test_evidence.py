"""Evidence a visitor can open, dates, and facts that disagree (issue 16).

The knowledge-base checks load the shipped knowledge base once for the module (as
test_knowledge_base does); the rest build the few records they need.
"""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comparisons import registry
from comparisons.comparable import comparable_value
from comparisons.models import (
    Claim,
    Feature,
    Framework,
    RegistrySnapshot,
    Support,
    claims_agreement,
)
from comparisons.services import (
    read_knowledge_base,
    registry_snapshot_record,
)
from comparisons.timeline import release_timeline
from tests.comparisons.test_registry import recorded
from tests.factories import ClaimFactory, FeatureFactory, SourceFactory, SupportFactory

TODAY = datetime.date(2026, 12, 2)


# --- the rule: disputed or outdated -------------------------------------------------------

OLD, NEW = datetime.date(2024, 4, 28), TODAY


def agreement(verdict_value, *claims):
    return claims_agreement(("", None, verdict_value), [("", None, *c) for c in claims],
                            "version-constraint")  # fmt: skip


def test_one_fact_spelt_three_ways_is_one_value():
    assert {comparable_value("version-constraint", v) for v in ("3.6+", "≥ 3.6", ">=3.6")} == {
        ">=3.6"
    }
    assert comparable_value("licence", "bsd-3-clause") == comparable_value(
        "licence", "BSD-3-Clause"
    )
    with pytest.raises(ValueError, match="not a version constraint"):
        comparable_value("version-constraint", "three point ten")


def test_facts_that_differ_only_with_age_are_outdated_not_disputed():
    assert agreement(">=3.10", (">=3.6", OLD), (">=3.10", NEW)) == (False, True)
    assert agreement(">=3.10", ("3.10+", NEW), (">=3.10", NEW)) == (False, False)


def test_facts_age_does_not_explain_are_disputed():
    # The newest source says something else than the verdict.
    assert agreement(">=3.9", (">=3.9", OLD), (">=3.10", NEW)) == (True, False)
    # Two sources of the same day disagree.
    assert agreement(">=3.10", (">=3.8", NEW), (">=3.10", NEW)) == (True, False)
    # An undated source: nobody can say the difference is one of age.
    assert agreement(">=3.10", (">=3.6", None), (">=3.10", NEW)) == (True, False)


@pytest.mark.django_db
def test_a_value_is_refused_where_it_cannot_be_compared():
    capability = SupportFactory(level="native")
    claim = Claim(source=SourceFactory(), support=capability, level="native", value=">=3.6",
                  statement="x")  # fmt: skip
    with pytest.raises(Exception, match="Only a fact feature with a value kind"):
        claim.full_clean()
    fact = SupportFactory(
        feature=FeatureFactory(kind=Feature.Kind.FACT, value_kind="version-constraint"),
        level="",
        summary="3.10+",
    )
    claim = Claim(source=SourceFactory(), support=fact, value="three", statement="x")
    with pytest.raises(Exception, match="not a version constraint"):
        claim.full_clean()


@pytest.mark.django_db
def test_an_outdated_cell_is_marked_on_its_page():
    feature = FeatureFactory(kind=Feature.Kind.FACT, value_kind="version-constraint")
    cell = SupportFactory(feature=feature, level="", value=">=3.10", summary="3.10 or newer")
    ClaimFactory(support=cell, level="", value="3.6+", source=SourceFactory(published_on=OLD))
    ClaimFactory(support=cell, level="", value=">=3.10", source=SourceFactory(read_on=NEW))
    cell.refresh_from_db()
    assert (cell.is_disputed, cell.is_outdated) == (False, True)
    assert list(Support.objects.outdated()) == [cell]
    page = Client().get(cell.get_absolute_url()).content.decode()
    assert "Older sources say otherwise" in page
    assert page.count("differs from our verdict") == 1


# --- the shipped knowledge base ------------------------------------------------------------


@pytest.mark.django_db
def test_every_cell_rests_on_a_claim_or_says_it_is_our_own_reading(loaded):
    cells = Support.objects.published()
    bare = cells.filter(claims__isnull=True).exclude(notes__icontains="our own reading")
    assert list(cells.unbacked()) == list(bare) == []
    assert list(bare) == []


@pytest.mark.django_db
def test_the_footer_promises_what_the_data_holds(loaded, client):
    """Every page's footer: true because of the test above."""
    footer = client.get("/").content.decode().split("<footer", 1)[1]
    assert "every cell sourced or marked as our own reading" in footer


ORIGINAL_FOUR = {"django", "django-rest-framework", "fastapi", "flask"}


def check_knowledge_base(*args):
    out, err = StringIO(), StringIO()
    call_command("check_knowledge_base", *args, stdout=out, stderr=err)
    return out.getvalue()


@pytest.mark.django_db
def test_check_knowledge_base_passes_and_prints_a_row_per_framework(loaded):
    out = check_knowledge_base("--list")
    published = Framework.objects.published()
    for framework in published:
        numbers = r"\s+(\d+)\s+(\d+) \(\s*\d+%\)\s+(\d+)\s+(\d+)$"
        row = re.search(rf"^{re.escape(framework.name)}{numbers}", out, re.M)
        assert row, f"{framework.name} missing from:\n{out}"
        assert int(row[1]) == Support.objects.published().filter(framework=framework).count()
        assert int(row[4]) == 0  # every shipped source has a kind
    total = re.search(r"^all\s+(\d+)\s+(\d+) \(\s*(\d+)%\)", out, re.M)
    assert int(total[1]) == Support.objects.published().count() >= 112
    assert int(total[2]) / int(total[1]) >= 0.9, out
    assert out.rstrip().endswith("every source URL is well-formed.")


@pytest.mark.django_db
def test_each_added_framework_has_twenty_cells_nine_in_ten_on_a_primary_source(loaded):
    """Issue 19's bar for the frameworks added after the first four."""
    from comparisons.management.commands.check_knowledge_base import coverage

    added = [row for row in coverage() if row["slug"] not in ORIGINAL_FOUR]
    assert len(added) >= 10, [row["slug"] for row in added]
    for row in added:
        assert row["cells"] >= 20, row
        assert row["primary"] >= 0.9 * row["cells"], row
        assert row["claims_without_url"] == 0, row


@pytest.mark.django_db
def test_check_knowledge_base_fails_on_an_unsourced_cell_or_a_malformed_url(loaded):
    cell = Support.objects.published().filter(framework__slug="flask", feature__slug="orm").get()
    cell.claims.all().delete()
    cell.notes = ""
    cell.save()
    source = Claim.objects.filter(support__framework__slug="django").first().source
    type(source).objects.filter(pk=source.pk).update(url="htps//docs.example")

    with pytest.raises(CommandError) as failed:
        call_command("check_knowledge_base", stdout=StringIO(), stderr=(err := StringIO()))
    assert "2 check(s)" in str(failed.value)
    assert "published cell without a source: flask/orm" in err.getvalue()
    assert f"malformed source URL: {source.slug}: 'htps//docs.example'" in err.getvalue()


@pytest.mark.django_db
def test_check_knowledge_base_counts_claims_without_an_address_and_holds_a_floor(loaded):
    source = Claim.objects.filter(support__framework__slug="flask").first().source
    type(source).objects.filter(pk=source.pk).update(url="")
    without = Claim.objects.published().filter(source=source, support__framework__slug="flask")
    out = check_knowledge_base()
    row = re.search(r"^Flask\s+\d+\s+\d+ \(\s*\d+%\)\s+(\d+)", out, re.M)
    assert int(row[1]) >= without.count() > 0

    with pytest.raises(CommandError):
        call_command("check_knowledge_base", "--min-primary", "100", stdout=StringIO(),
                     stderr=(err := StringIO()))  # fmt: skip
    assert "below 100%" in err.getvalue()


@pytest.mark.django_db
def test_a_cell_without_a_primary_claim_says_none_was_found(loaded):
    without = Support.objects.published().exclude(pk__in=Support.objects.with_primary_claim())
    assert without.exists()
    for cell in without:
        assert "no primary source found" in cell.notes.lower(), str(cell)


def source_documents():
    return [(where, document) for where, document in read_knowledge_base()["sources"]]


def test_every_address_says_how_it_was_found():
    for where, document in source_documents():
        url = (document["source"].get("url") or "").strip()
        found = (document.get("found") or "").strip()
        if url:
            assert found and not found.lower().startswith("not found"), where
        elif "seed" in document:
            assert found.lower().startswith("not found"), f"{where}: say what was tried"


def test_primary_sources_have_an_address_and_the_day_it_was_read():
    primary = [d for _, d in source_documents() if d["source"].get("kind") != "article"]
    assert len(primary) >= 40
    for document in primary:
        source = document["source"]
        assert source["kind"] in ("documentation", "release-notes"), source["slug"]
        # As found: a few pages were only ever written down with http://; never rewritten.
        assert source["url"].startswith(("https://", "http://")), source["slug"]
        assert source.get("read_on"), source["slug"]


def test_shipped_files_state_each_source_once():
    """One page, one source: the same address never appears twice."""
    urls = [d["source"].get("url") for _, d in source_documents() if d["source"].get("url")]
    assert len(urls) == len(set(urls))


@pytest.mark.django_db
def test_fastapis_python_version_disagreement_shows_on_compare_cell_and_api(loaded, client):
    cell = Support.objects.get(framework__slug="fastapi", feature__slug="python-version")
    assert cell.is_disputed and cell.value == ">=3.10"

    compare = client.get("/compare/fastapi-vs-flask/").content.decode()
    found = re.search(r'<td [^>]*id="cell-fastapi-python-version"[^>]*>.*?</td>', compare, re.S)
    assert 'data-disputed="true"' in found[0] and "Disputed" in found[0]

    page = client.get(cell.get_absolute_url()).content.decode()
    for value in (">=3.6", ">=3.8", ">=3.10"):
        assert f"Gives <code>{value.replace('>', '&gt;')}</code>" in page
    assert page.index("Release notes") < page.index("Article")  # primary first
    assert page.count("differs from our verdict") == 3

    api = client.get("/api/v1/supports/", {"framework": "fastapi", "feature": "python-version"})
    (row,) = api.json()["results"]
    assert (row["disputed"], row["value"]) == (True, ">=3.10")
    by_kind = {(c["source"]["kind"], c["value"], c["agrees_with_verdict"]) for c in row["claims"]}
    assert ("release-notes", ">=3.10", True) in by_kind
    assert ("article", ">=3.6", False) in by_kind


@pytest.mark.django_db
def test_sources_page_lists_primary_sources_first_with_their_addresses(loaded, client):
    page = client.get(reverse("comparisons:source-list")).content.decode()
    assert (
        page.index("Official documentation") < page.index("Release notes") < page.index("Article")
    )
    assert page.count("Open the original") >= 40
    assert "https://fastapi.tiangolo.com/release-notes/" in page


# --- registry snapshot on the framework page ------------------------------------------------


def fastapi_facts():
    data = recorded("fastapi")
    return registry.facts_from("fastapi", data["info"], data["releases"], today=TODAY)


@pytest.mark.django_db
def test_the_framework_page_shows_the_snapshot_and_a_release_timeline(
    loaded, client, django_capture_on_commit_callbacks
):
    framework = Framework.objects.get(slug="fastapi")
    assert "No registry snapshot yet" in client.get(framework.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the cache hears of the change
        registry_snapshot_record(framework=framework, facts=fastapi_facts())
    page = client.get(framework.get_absolute_url()).content.decode()
    today = timezone.localdate()
    assert (
        f'Latest <strong>0.165.0</strong>, <time datetime="2026-11-18">18 Nov 2026</time> · '
        f"Python &gt;=3.10 · {fastapi_facts().releases_last_12_months} releases in 12 months · MIT"
    ) in page
    assert f'as of <time datetime="{today:%Y-%m-%d}">' in page
    svg = re.search(r'<svg class="timeline-svg".*?</svg>', page, re.S)[0]
    assert svg.count('class="timeline-mark') == len(fastapi_facts().releases)
    assert "<title>0.165.0 · 18 Nov 2026</title>" in svg
    assert "Evidence as of" in page
    api = client.get("/api/v1/frameworks/fastapi/").json()
    assert api["registry"]["latest_version"] == "0.165.0"
    assert api["registry"]["requires_python"] == ">=3.10"


def test_the_timeline_draws_feature_releases_taller():
    layout = release_timeline([["1.0.0", "2024-01-01"], ["1.0.1", "2024-02-01"],
                               ["1.1.0", "2025-06-01"]], today=TODAY)  # fmt: skip
    first, patch, feature = layout.marks
    assert first.feature_release and feature.feature_release and not patch.feature_release
    assert patch.top > feature.top and first.x < patch.x < feature.x <= layout.right
    assert [tick.year for tick in layout.ticks] == [2025, 2026]
    assert release_timeline([], today=TODAY) is None


# --- editors: mark verified, needs attention -------------------------------------------------


@pytest.mark.django_db
def test_mark_verified_records_who_and_when(admin_client, admin_user):
    cells = [SupportFactory(), SupportFactory()]
    response = admin_client.post(
        reverse("admin:comparisons_support_changelist"),
        {"action": "mark_verified", "_selected_action": [cell.pk for cell in cells]},
        follow=True,
    )
    assert "2 cells marked verified by admin" in response.content.decode()
    for cell in cells:
        cell.refresh_from_db()
        assert (cell.last_verified, cell.verified_by) == (timezone.localdate(), admin_user)
        latest = cell.history.latest()
        assert (latest.history_user, latest.history_change_reason) == (
            admin_user,
            "Marked verified",
        )


@pytest.mark.django_db
def test_needs_attention_counts_aged_primary_evidence_and_snapshots(admin_client):
    long_ago = timezone.localdate() - datetime.timedelta(days=400)
    aged = SupportFactory()
    ClaimFactory(support=aged, source=SourceFactory(kind="documentation", read_on=long_ago))
    fresh = SupportFactory()
    ClaimFactory(support=fresh, source=SourceFactory(kind="documentation", read_on=long_ago))
    ClaimFactory(support=fresh, source=SourceFactory(kind="release-notes",
                                                     read_on=timezone.localdate()))  # fmt: skip
    articles_only = SupportFactory()
    ClaimFactory(support=articles_only, source=SourceFactory(kind="article", published_on=long_ago))
    old = Framework.objects.create(name="Old", slug="old", kind="micro", interface="wsgi",
                                   registry_package="old")  # fmt: skip
    taken = timezone.now() - datetime.timedelta(days=45)
    RegistrySnapshot.objects.create(framework=old, package="old", latest_version="1.0",
                                    taken_at=taken)  # fmt: skip
    Framework.objects.create(name="Never", slug="never", kind="micro", interface="wsgi",
                             registry_package="never")  # fmt: skip

    page = admin_client.get(reverse("admin:comparisons_support_needs_attention"))
    assert list(page.context["aged_evidence"]) == [aged]
    text = page.content.decode()
    assert "Primary evidence older than 365 days (1)" in text
    due = len(page.context["aged_snapshots"]) + page.context["unsynced"].count()
    assert [s.framework for s in page.context["aged_snapshots"]] == [old]
    assert f"Registry snapshots older than 30 days ({due})" in text
    assert "Old: last synced" in text and "Never: never synced (never)" in text


@pytest.mark.django_db
def test_the_registry_snapshot_admin_is_read_only(admin_client):
    assert (
        admin_client.get(reverse("admin:comparisons_registrysnapshot_changelist")).status_code
        == 200
    )
    assert admin_client.get(reverse("admin:comparisons_registrysnapshot_add")).status_code == 403
