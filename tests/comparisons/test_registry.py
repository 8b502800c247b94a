"""`manage.py sync_registry`: the package registry as a dated, live source.

Every answer comes from responses recorded from the registry on 2 December 2026
(tests/fixtures/registry/, trimmed to the fields Versus reads) or from a failure made up
here; `responses` refuses any request it was not told about, so no test reaches a network.
The index is a made-up address, as an operator's mirror would be (VERSUS_PACKAGE_INDEX_URL).
"""

import datetime
import json
from io import StringIO
from pathlib import Path

import pytest
import requests
import responses
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from comparisons import registry
from comparisons.models import Claim, Feature, Framework, RegistrySnapshot, Source, Support
from tests.factories import FeatureFactory, FrameworkFactory, SupportFactory

RECORDED = Path(__file__).resolve().parent.parent / "fixtures" / "registry"
INDEX = "https://index.invalid/pypi"
RECORDED_ON = datetime.date(2026, 12, 2)


def recorded(package):
    return json.loads((RECORDED / f"{package}.json").read_text())


@pytest.fixture
def index(settings):
    settings.PACKAGE_INDEX_URL = INDEX
    settings.PACKAGE_INDEX_NAME = "PyPI"
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def answer(index):
    def add(package, **kwargs):
        index.add(responses.GET, f"{INDEX}/{package}/json", **kwargs)

    return add


@pytest.fixture
def frameworks(db):
    """Flask and FastAPI with the two fact cells the registry speaks to, and a third
    framework whose package the test decides about."""
    python = FeatureFactory(
        slug="python-version", kind=Feature.Kind.FACT, value_kind="version-constraint"
    )
    licence = FeatureFactory(slug="open-source", kind=Feature.Kind.FACT, value_kind="licence")
    made = {}
    for slug, package, floor, spdx in [
        ("flask", "Flask", ">=3.9", "BSD-3-Clause"),
        ("fastapi", "fastapi", ">=3.10", "MIT"),
        ("broken", "broken-package", "", ""),
    ]:
        framework = made[slug] = FrameworkFactory(slug=slug, registry_package=package)
        SupportFactory(framework=framework, feature=python, level="", value=floor, summary="x")
        SupportFactory(framework=framework, feature=licence, level="", value=spdx, summary="x")
    return made


def sync(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("sync_registry", *args, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), str(error)
    return out.getvalue(), err.getvalue(), None


def test_facts_are_read_from_a_recorded_answer():
    facts = registry.facts_from(
        "fastapi", recorded("fastapi")["info"], recorded("fastapi")["releases"], today=RECORDED_ON
    )
    assert (facts.latest_version, facts.latest_released_on) == (
        "0.165.0",
        datetime.date(2026, 11, 18),
    )
    assert facts.first_released_on == datetime.date(2018, 12, 8)
    assert (facts.requires_python, facts.licence) == (">=3.10", "MIT")
    assert facts.changelog_url == "https://fastapi.tiangolo.com/release-notes/"
    assert facts.registry_url == "https://pypi.org/project/fastapi/"
    # Releases in the 365 days before the day: counted from the recorded upload dates.
    in_year = [
        version
        for version, day in facts.releases
        if RECORDED_ON - datetime.timedelta(days=365) < datetime.date.fromisoformat(day)
    ]
    assert facts.releases_last_12_months == len(in_year) > 12
    assert facts.releases[0][0] == "0.1.0" and facts.releases[-1][0] == "0.165.0"


def test_pre_releases_and_yanked_releases_are_not_releases():
    info = {"name": "demo", "version": "2.0"}
    day = {"upload_time_iso_8601": "2026-06-01T10:00:00Z", "yanked": False}
    releases = {
        "1.0": [{**day, "upload_time_iso_8601": "2020-01-01T00:00:00Z"}],
        "1.5": [{**day, "yanked": True}],
        "2.0rc1": [day],
        "2.0": [day],
    }
    facts = registry.facts_from("demo", info, releases, today=RECORDED_ON)
    assert [version for version, _ in facts.releases] == ["1.0", "2.0"]
    assert facts.releases_last_12_months == 1


@pytest.mark.django_db
def test_sync_stores_a_dated_snapshot_source_and_claims(answer, frameworks):
    answer("Flask", json=recorded("Flask"))
    answer("fastapi", json=recorded("fastapi"))
    out, err, failure = sync("flask", "fastapi")
    assert failure is None and err == ""
    assert "flask: Flask 3.1.3, 19 Feb 2026 · Python >=3.9" in out
    assert "2 of 2 frameworks updated." in out

    snapshot = RegistrySnapshot.objects.get(framework=frameworks["fastapi"])
    assert (snapshot.latest_version, snapshot.requires_python, snapshot.licence) == (
        "0.165.0",
        ">=3.10",
        "MIT",
    )
    assert snapshot.taken_on == datetime.date.today()
    source = Source.objects.get(slug="fastapi-on-registry")
    assert (source.kind, source.is_primary, source.url) == (
        "package-registry",
        True,
        "https://pypi.org/project/fastapi/",
    )
    assert source.read_on == datetime.date.today()
    claims = {c.support.feature.slug: c for c in Claim.objects.filter(source=source)}
    assert claims["python-version"].value == ">=3.10"
    assert "0.165.0" in claims["python-version"].statement
    assert claims["open-source"].value == "MIT"
    framework = Framework.objects.get(slug="fastapi")
    assert framework.latest_version == "0.165.0"
    # The registry agrees with both verdicts: one more source, no dispute.
    cell = Support.objects.get(framework=framework, feature__slug="python-version")
    assert (cell.source_count, cell.is_disputed, cell.is_outdated) == (1, False, False)


@pytest.mark.django_db
def test_a_second_sync_adds_a_snapshot_and_keeps_the_first(index, answer, frameworks):
    answer("Flask", json=recorded("Flask"))
    sync("flask")
    newer = recorded("Flask")
    newer["info"]["version"] = "3.2.0"
    newer["info"]["requires_python"] = ">=3.10"
    newer["releases"]["3.2.0"] = [
        {"upload_time_iso_8601": "2026-11-30T09:00:00Z", "yanked": False, "packagetype": "sdist"}
    ]
    index.replace(responses.GET, f"{INDEX}/Flask/json", json=newer)
    out, _, _ = sync("flask", "--dry-run")
    assert "would change: latest version: 3.1.3 → 3.2.0" in out
    assert "requires python: >=3.9 → >=3.10" in out
    assert RegistrySnapshot.objects.count() == 1, "a dry run stores nothing"

    sync("flask")
    history = list(frameworks["flask"].registry_snapshots.order_by("taken_at"))
    assert [s.latest_version for s in history] == ["3.1.3", "3.2.0"]
    assert RegistrySnapshot.objects.current().get().latest_version == "3.2.0"
    # The verdict still says >=3.9 and the registry now says >=3.10: today's source and the
    # verdict differ, which age does not explain: disputed.
    cell = Support.objects.get(framework__slug="flask", feature__slug="python-version")
    assert cell.is_disputed


FAILURES = [
    ({"body": requests.ConnectionError("Name or service not known")}, "could not reach"),
    ({"body": requests.Timeout("read timed out")}, "did not answer within 10 s"),
    ({"status": 404}, "has no package named 'broken-package'"),
    ({"status": 503}, "answered with an error"),
    ({"body": "<html>maintenance</html>", "content_type": "text/html"}, "not JSON"),
    ({"json": {"info": {"name": "x"}, "releases": {}, "last_serial": 1}}, "no valid latest"),
    ({"json": {"unexpected": True}}, "not package metadata"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("failure", "reason"), FAILURES)
def test_a_failing_framework_is_named_with_its_reason_and_the_others_are_updated(
    answer, frameworks, failure, reason
):
    answer("Flask", json=recorded("Flask"))
    answer("broken-package", **failure)
    answer("fastapi", json=recorded("fastapi"))
    _, err, failure_message = sync()
    assert err.count("\n") == 1, err
    assert err.startswith("broken: failed, ") and reason in err and "left as it was" in err
    assert failure_message == "2 of 3 frameworks updated; failed: broken."
    assert set(RegistrySnapshot.objects.values_list("framework__slug", flat=True)) == {
        "flask",
        "fastapi",
    }
    assert not Source.objects.filter(slug="broken-on-registry").exists()


@pytest.mark.django_db
def test_a_framework_that_fails_half_way_writes_nothing(answer, frameworks, monkeypatch):
    """A failure while storing (here: a claim that breaks a model rule, after the snapshot
    and the source are saved) rolls back that framework's snapshot and source too."""
    answer("fastapi", json=recorded("fastapi"))

    def refuse(claim, *args, **kwargs):
        raise ValidationError({"statement": "A rule this claim breaks."})

    monkeypatch.setattr(Claim, "full_clean", refuse)
    _, err, failure = sync("fastapi")
    assert failure == "0 of 1 framework updated; failed: fastapi."
    assert "fastapi: failed" in err
    assert not RegistrySnapshot.objects.exists()
    assert not Source.objects.filter(slug="fastapi-on-registry").exists()
    assert Framework.objects.get(slug="fastapi").latest_version == ""


@pytest.mark.django_db
def test_unknown_framework_names_are_refused(frameworks):
    _, _, failure = sync("nope")
    assert failure == "No framework with a registry package for: nope."


@pytest.mark.django_db
def test_a_licence_declared_in_words_is_stored_and_claimed_without_a_comparable_value(
    answer, frameworks
):
    """Django Ninja's package declares 'MIT License', not an SPDX identifier: the snapshot
    and the claim still land (the claim says what the registry declares), the claim just
    takes no comparable value, so it neither disputes nor confirms the cell."""
    data = recorded("fastapi")
    data["info"] = {**data["info"], "license_expression": None, "license": "MIT License"}
    answer("fastapi", json=data)
    _, err, failure = sync("fastapi")
    assert failure is None and err == "", err
    snapshot = RegistrySnapshot.objects.get(framework=frameworks["fastapi"])
    assert snapshot.licence == "MIT License"
    claim = Claim.objects.get(
        source__slug="fastapi-on-registry", support__feature__slug="open-source"
    )
    assert (claim.value, claim.statement) == (
        "", "The latest release, 0.165.0, declares the licence MIT License."
    )  # fmt: skip
    cell = claim.support
    cell.refresh_from_db()
    assert not cell.is_disputed
