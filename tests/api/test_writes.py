"""Writing: who may, what is validated, and that nothing is half-written."""

from unittest import mock

import pytest
from django.contrib.auth.models import Permission
from django.db import IntegrityError
from rest_framework.test import APIClient

from comparisons import models
from tests.factories import (
    BenchmarkFactory,
    BenchmarkResultFactory,
    ClaimFactory,
    FeatureCategoryFactory,
    FeatureFactory,
    FrameworkFactory,
    PointFactory,
    RecommendationFactory,
    ScalePointFactory,
    SourceFactory,
    SupportFactory,
    UseCaseFactory,
    UserFactory,
)

from .conftest import token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Records for new ones to refer to."""
    framework = FrameworkFactory(slug="flask")
    FrameworkFactory(slug="bottle")  # no cells yet
    feature = FeatureFactory(slug="async-support")
    cell = SupportFactory(framework=framework, feature=feature)
    source = SourceFactory(slug="clickit")
    return {
        "framework": framework,
        "feature": feature,
        "cell": cell,
        "source": source,
        "category": feature.category,
        "benchmark": BenchmarkFactory(slug="json-throughput", source=source),
        "use_case": UseCaseFactory(slug="crud-api"),
    }


# resource → (model, new record's JSON, factory for a record nothing depends on)
RESOURCES = {
    "frameworks": (
        models.Framework,
        lambda w: {"name": "Pyramid", "slug": "pyramid", "kind": "full-stack", "interface": "wsgi"},
        lambda w: FrameworkFactory(),
    ),
    "categories": (
        models.FeatureCategory,
        lambda w: {"name": "Operations", "slug": "operations"},
        lambda w: FeatureCategoryFactory(),
    ),
    "features": (
        models.Feature,
        lambda w: {"name": "Admin", "slug": "admin", "category": w["category"].slug},
        lambda w: FeatureFactory(),
    ),
    "supports": (
        models.Support,
        lambda w: {
            "framework": "bottle",
            "feature": w["feature"].slug,
            "level": "extension",
            "summary": "Via a plugin.",
        },
        lambda w: SupportFactory(),
    ),
    "sources": (
        models.Source,
        lambda w: {"title": "A guide", "slug": "a-guide", "frameworks": ["flask"]},
        lambda w: SourceFactory(),
    ),
    "claims": (
        models.Claim,
        lambda w: {
            "source": w["source"].slug,
            "framework": "flask",
            "feature": "async-support",
            "level": "partial",
            "statement": "Async views arrived in a later release.",
        },
        lambda w: ClaimFactory(),
    ),
    "benchmarks": (
        models.Benchmark,
        lambda w: {
            "title": "Latency",
            "slug": "latency",
            "source": w["source"].slug,
            "workload": "Hello world.",
            "metric": "Latency",
            "higher_is_better": False,
        },
        lambda w: BenchmarkFactory(),
    ),
    "benchmark-results": (
        models.BenchmarkResult,
        lambda w: {
            "benchmark": w["benchmark"].slug,
            "framework": "flask",
            "figure": "range",
            "low": "2000",
            "high": "4000",
        },
        lambda w: BenchmarkResultFactory(),
    ),
    "points": (
        models.Point,
        lambda w: {
            "framework": "flask",
            "source": w["source"].slug,
            "kind": "weakness",
            "text": "No admin of its own.",
        },
        lambda w: PointFactory(),
    ),
    "use-cases": (
        models.UseCase,
        lambda w: {"name": "Machine-learning model serving", "slug": "ml-serving"},
        lambda w: UseCaseFactory(),
    ),
    "recommendations": (
        models.Recommendation,
        lambda w: {
            "use_case": w["use_case"].slug,
            "framework": "flask",
            "source": w["source"].slug,
            "fit": "suitable",
            "rationale": "Small and quick to start.",
        },
        lambda w: RecommendationFactory(),
    ),
}
OPERATIONS = ["create", "update", "partial_update", "destroy"]


def detail_url(resource, record):
    key = getattr(record, "slug", None) if resource not in ("supports", "claims") else None
    return f"/api/v1/{resource}/{key or record.pk}/"


def attempt(client, resource, operation, world, record, reader):
    """Make the request for one write operation; returns the response."""
    if operation == "create":
        return client.post(f"/api/v1/{resource}/", RESOURCES[resource][1](world), format="json")
    url = detail_url(resource, record)
    if operation == "destroy":
        return client.delete(url)
    if operation == "partial_update":
        return client.patch(url, {}, format="json")
    body = reader.get(url).json()  # the record as read, sent back whole
    return client.put(url, body, format="json")


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("resource", RESOURCES)
def test_only_permitted_users_write(anonymous, stranger, editor, world, resource, operation):
    model, _, make = RESOURCES[resource]
    record = make(world)
    before = model.objects.count()

    refused = attempt(anonymous, resource, operation, world, record, editor)
    assert refused.status_code == 401, refused.content
    assert refused.json()["error"]["code"] == "not_authenticated"
    assert refused.headers["WWW-Authenticate"] == "Token"

    forbidden = attempt(stranger, resource, operation, world, record, editor)
    assert forbidden.status_code == 403, forbidden.content
    assert forbidden.json()["error"]["code"] == "permission_denied"
    assert model.objects.count() == before

    done = attempt(editor, resource, operation, world, record, editor)
    expected = {"create": 201, "destroy": 204}.get(operation, 200)
    assert done.status_code == expected, done.content
    assert model.objects.count() == before + {"create": 1, "destroy": -1}.get(operation, 0)
    if operation in ("update", "partial_update"):
        assert done.json()["version"] == record.version + 1


def test_the_models_own_permission_decides_each_method(world):
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="change_framework"))
    client = token_client(user)
    assert client.patch("/api/v1/frameworks/flask/", {"tagline": "Tiny."}).status_code == 200
    assert client.delete("/api/v1/frameworks/flask/").status_code == 403
    assert client.patch(f"/api/v1/supports/{world['cell'].pk}/", {}).status_code == 403


def test_a_browser_session_writes_with_its_csrf_token(editor_user, world):
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(editor_user)
    without = browser.patch("/api/v1/frameworks/flask/", {"tagline": "x"}, format="json")
    assert without.status_code == 403
    assert "CSRF" in without.json()["error"]["message"]
    browser.get("/api/v1/frameworks/")  # any page can hand out the cookie; set it directly:
    browser.cookies["csrftoken"] = "a" * 32
    done = browser.patch(
        "/api/v1/frameworks/flask/", {"tagline": "x"}, format="json", HTTP_X_CSRFTOKEN="a" * 32
    )
    assert done.status_code == 200, done.content


def test_writes_keep_the_models_rules(editor, world):
    rating = FeatureFactory(kind="rating", slug="learning-curve", category=world["category"])
    ScalePointFactory(feature=rating, slug="gentle")
    other = ScalePointFactory(slug="steep")

    wrong_kind = editor.post(
        "/api/v1/supports/",
        {"framework": "flask", "feature": "learning-curve", "level": "native"},
        format="json",
    )
    assert wrong_kind.status_code == 400
    assert set(wrong_kind.json()["error"]["fields"]) == {"level"}

    foreign_point = editor.post(
        "/api/v1/supports/",
        {"framework": "flask", "feature": "learning-curve", "rating": other.slug},
        format="json",
    )
    assert foreign_point.status_code == 400
    assert "rating" in foreign_point.json()["error"]["fields"]

    ok = editor.post(
        "/api/v1/supports/",
        {"framework": "flask", "feature": "learning-curve", "rating": "gentle"},
        format="json",
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["rating"] == "gentle"

    duplicate = editor.post(
        "/api/v1/supports/",
        {"framework": "flask", "feature": "async-support", "level": "native"},
        format="json",
    )
    assert duplicate.status_code == 400
    assert "non_field_errors" in duplicate.json()["error"]["fields"]


def test_bad_links_and_values_name_their_fields(editor, world):
    response = editor.post(
        "/api/v1/frameworks/",
        {"name": "X", "slug": "not a slug", "kind": "huge", "interface": "wsgi",
         "builds_on": ["nope"], "first_release_year": 1200},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["status"] == 400 and error["code"] == "invalid"
    # The year's range is a field rule now (and in the schema), checked with the others.
    assert set(error["fields"]) == {"slug", "kind", "builds_on", "first_release_year"}

    no_cell = editor.post(
        "/api/v1/claims/",
        {"source": "clickit", "framework": "flask", "feature": "nope", "statement": "x"},
        format="json",
    )
    assert no_cell.status_code == 400 and "feature" in no_cell.json()["error"]["fields"]

    missing_cell = editor.post(
        "/api/v1/claims/",
        {"source": "clickit", "framework": "flask",
         "feature": FeatureFactory(slug="orm").slug, "statement": "x"},
        format="json",
    )  # fmt: skip
    assert missing_cell.status_code == 400
    assert "create it first" in missing_cell.json()["error"]["fields"]["feature"][0]

    upside_down = editor.post(
        "/api/v1/benchmark-results/",
        {"benchmark": "json-throughput", "framework": "flask", "figure": "range",
         "low": "4000", "high": "2000"},
        format="json",
    )  # fmt: skip
    assert upside_down.status_code == 400
    assert "low end" in str(upside_down.json()["error"]["fields"])

    year = editor.post(
        "/api/v1/frameworks/",
        {"name": "Old", "slug": "old", "kind": "micro", "interface": "wsgi",
         "first_release_year": 1200},
        format="json",
    )  # fmt: skip
    assert year.status_code == 400


def test_deleting_what_others_depend_on_is_a_conflict(editor, world):
    response = editor.delete("/api/v1/sources/clickit/")  # a benchmark cites it
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    assert models.Source.objects.filter(slug="clickit").exists()


def test_a_failed_write_leaves_nothing_behind(editor, world):
    manager = models.Framework.builds_on.related_manager_cls
    with mock.patch.object(manager, "set", side_effect=IntegrityError("boom")):
        response = editor.post(
            "/api/v1/frameworks/",
            {"name": "Quart", "slug": "quart", "kind": "micro", "interface": "asgi",
             "builds_on": ["flask"]},
            format="json",
        )  # fmt: skip
    assert response.status_code == 409
    assert not models.Framework.objects.filter(slug="quart").exists()


def test_a_stale_version_is_refused_and_the_newer_change_kept(editor, world):
    url = "/api/v1/frameworks/flask/"
    assert editor.get(url).json()["version"] == 1
    first = editor.patch(url, {"tagline": "First."}, format="json", HTTP_IF_MATCH='"1"')
    assert first.status_code == 200 and first.json()["version"] == 2
    second = editor.patch(url, {"tagline": "Second."}, format="json", HTTP_IF_MATCH="1")
    assert second.status_code == 412
    assert second.json()["error"]["code"] == "precondition_failed"
    assert "changed" in second.json()["error"]["message"]
    assert models.Framework.objects.get(slug="flask").tagline == "First."
    bad = editor.patch(url, {"tagline": "x"}, format="json", HTTP_IF_MATCH="v1")
    assert bad.status_code == 400  # not an entity tag at all


def test_api_edits_are_in_the_history_with_their_author(editor, editor_user, world):
    editor.patch("/api/v1/frameworks/flask/", {"tagline": "Tiny."}, format="json")
    latest = models.Framework.objects.get(slug="flask").history.latest()
    assert latest.history_user == editor_user
    assert latest.tagline == "Tiny."
