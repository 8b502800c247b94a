"""/api/v1/compare/: the matrix the compare page renders, as JSON."""

from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from comparisons.models import Framework
from tests.factories import (
    ClaimFactory,
    FeatureCategoryFactory,
    FeatureFactory,
    FrameworkFactory,
    ScalePointFactory,
    SourceFactory,
    SupportFactory,
)
from tests.factories import build_matrix as build_synthetic

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_kb():
    flask = FrameworkFactory(slug="flask", name="Flask")
    django = FrameworkFactory(slug="django", name="Django")
    FrameworkFactory(slug="secret", status="draft")
    core = FeatureCategoryFactory(slug="core", name="Core", position=1)
    learning = FeatureCategoryFactory(slug="learning", name="Learning", position=2)
    async_support = FeatureFactory(slug="async", name="Async", category=core, position=1)
    admin = FeatureFactory(slug="admin", name="Admin", category=core, position=2)
    curve = FeatureFactory(slug="curve", name="Curve", category=learning, kind="rating")
    gentle = ScalePointFactory(feature=curve, slug="gentle", label="Gentle", tone="positive")
    steep = ScalePointFactory(feature=curve, slug="steep", label="Steep", tone="negative")
    cell = SupportFactory(
        framework=django,
        feature=async_support,
        level="partial",
        summary="Async views",
        packages="Channels, Daphne",
        since_version="3.1",
    )
    ClaimFactory(support=cell, source=SourceFactory(slug="a", title="A"), level="native")
    SupportFactory(framework=flask, feature=async_support, level="partial")
    SupportFactory(framework=django, feature=admin, level="native")
    SupportFactory(framework=flask, feature=curve, level="", rating=gentle)
    SupportFactory(framework=django, feature=curve, level="", rating=steep)


def test_the_matrix_has_every_cell_with_its_verdict_and_claims(anonymous, small_kb):
    response = anonymous.get("/api/v1/compare/?frameworks=django,flask")
    assert response.status_code == 200
    matrix = response.json()
    assert matrix["slug"] == "django-vs-flask"
    assert [f["slug"] for f in matrix["frameworks"]] == ["django", "flask"]
    assert [c["slug"] for c in matrix["categories"]] == ["core", "learning"]
    rows = {row["feature"]["slug"]: row for c in matrix["categories"] for row in c["rows"]}
    assert list(rows) == ["async", "admin", "curve"]

    django_async, flask_async = rows["async"]["cells"]
    assert django_async["framework"] == "django"
    assert django_async["reading"] == "partial"
    assert django_async["packages"] == ["Channels", "Daphne"]
    assert django_async["since_version"] == "3.1"
    assert django_async["disputed"] is True and rows["async"]["disputed"] is True
    claim = django_async["claims"][0]
    assert claim["source"] == {
        "slug": "a",
        "title": "A",
        "kind": "article",
        "url": "",
        "read_on": None,
    }
    assert claim["level"] == "native" and claim["agrees_with_verdict"] is False
    assert flask_async["claims"] == [] and flask_async["disputed"] is False
    assert rows["async"]["differs"] is False

    assert [cell["reading"] for cell in rows["admin"]["cells"]] == ["native", "missing"]
    flask_curve = rows["curve"]["cells"][1]
    assert flask_curve["reading"] == "gentle"
    assert flask_curve["rating"]["label"] == "Gentle"
    assert flask_curve["level"] is None


def test_filters_by_category_and_differences(anonymous, small_kb):
    only_learning = anonymous.get("/api/v1/compare/?frameworks=django,flask&category=learning")
    assert [c["slug"] for c in only_learning.json()["categories"]] == ["learning"]
    differences = anonymous.get("/api/v1/compare/?frameworks=django,flask&only_differences=true")
    rows = [r["feature"]["slug"] for c in differences.json()["categories"] for r in c["rows"]]
    assert rows == ["admin", "curve"]


def feature_rows(response):
    return [row["feature"]["slug"] for c in response.json()["categories"] for row in c["rows"]]


def test_filters_by_chosen_features_in_the_matrixs_order(anonymous, small_kb):
    chosen = anonymous.get("/api/v1/compare/?frameworks=django,flask&features=curve,Async")
    assert chosen.status_code == 200
    assert feature_rows(chosen) == ["async", "curve"]
    # The API takes each parameter once (the page also reads a repeated one).
    repeated = anonymous.get(
        "/api/v1/compare/?frameworks=django,flask&features=curve&features=admin"
    )
    assert repeated.status_code == 400
    with_category = anonymous.get(
        "/api/v1/compare/?frameworks=django,flask&features=curve,async&category=core"
    )
    assert feature_rows(with_category) == ["async"]


@pytest.mark.parametrize("slug", ["nope", "hidden"])
def test_an_unknown_or_draft_feature_is_a_400_naming_it(anonymous, small_kb, slug):
    FeatureFactory(slug="hidden", name="Hidden", status="draft")
    response = anonymous.get(f"/api/v1/compare/?frameworks=django,flask&features=async,{slug}")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["fields"] == {"features": [f"There is no feature called '{slug}'."]}
    assert error["message"] == f"There is no feature called '{slug}'."


def test_unknown_frameworks_are_a_404_naming_them(anonymous, small_kb):
    response = anonymous.get("/api/v1/compare/?frameworks=django,rails,secret")
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["unknown"] == ["rails", "secret"]
    assert error["known"] == ["django", "flask"]
    assert "'rails'" in error["message"]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "frameworks=",
        "frameworks=django",
        "frameworks=django,django",
        "only_differences=maybe&frameworks=django,flask",
    ],
)
def test_fewer_than_two_frameworks_or_bad_flags_are_a_400(anonymous, small_kb, query):
    response = anonymous.get(f"/api/v1/compare/?{query}")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_the_matrix_costs_the_same_queries_whatever_its_size(anonymous):
    small, _ = build_synthetic(frameworks=2, features=3)
    large, _ = build_synthetic(frameworks=8, features=30, claims_per_cell=3)
    counts = []
    for frameworks in (small, large):
        slugs = ",".join(framework.slug for framework in frameworks)
        with CaptureQueriesContext(connection) as queries:
            assert anonymous.get(f"/api/v1/compare/?frameworks={slugs}").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


class MatrixCells(HTMLParser):
    """The matrix cells of the compare page: (framework, feature) → (reading, disputed)."""

    def __init__(self):
        super().__init__()
        self.cells = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "td" and "data-framework" in attrs:
            key = (attrs["data-framework"], attrs["data-feature"])
            assert key not in self.cells, key
            self.cells[key] = (attrs["data-reading"], attrs["data-disputed"] == "true")


def test_the_api_and_the_compare_page_agree_cell_for_cell(anonymous, client):
    call_command("load_knowledge_base", verbosity=0)
    slugs = list(Framework.objects.published().values_list("slug", flat=True))
    assert len(slugs) >= 4
    for query in ("", "?only_differences=true"):
        page = client.get(reverse("comparisons:compare-matrix", args=["-vs-".join(slugs)]) + query)
        assert page.status_code == 200
        parser = MatrixCells()
        parser.feed(page.content.decode())

        separator = "&" if query else "?"
        api = anonymous.get(f"/api/v1/compare/?frameworks={','.join(slugs)}{separator}{query[1:]}")
        assert api.status_code == 200
        from_api = {
            (cell["framework"], row["feature"]["slug"]): (cell["reading"], cell["disputed"])
            for category in api.json()["categories"]
            for row in category["rows"]
            for cell in row["cells"]
        }
        assert len(from_api) > 50
        assert from_api == parser.cells
        assert any(disputed for _, disputed in from_api.values())  # e.g. Django's async


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("frameworks=Django,%20FLASK&category=learning", 200),
        ("frameworks=django,flask,django&only_differences=yes", 200),
        ("frameworks=django", 400),
        ("frameworks=django,flask&only_differences=maybe", 400),
        ("frameworks=django,flask&category=nope", 400),
        ("frameworks=django,flask&features=curve,async&category=learning", 200),
        ("frameworks=django,flask&features=async,nope", 400),
        ("frameworks=django,fl%3Cask", 400),
        ("frameworks=django,flask&category=" + "x" * 2501, 400),
        ("frameworks=django,rails,secret", 404),
    ],
)
def test_the_page_and_the_api_take_and_refuse_the_same_requests(
    anonymous, client, small_kb, query, status
):
    """One form reads both: the same answer, and for a refusal the same message."""
    api = anonymous.get(f"/api/v1/compare/?{query}")
    page = client.get(f"/compare/?{query}", follow=True)
    assert api.status_code == page.status_code == status, (api.content, page.status_code)
    if status == 200:
        shown = [f["slug"] for f in api.json()["frameworks"]]
        assert page.redirect_chain[-1][0].startswith("/compare/" + "-vs-".join(shown) + "/")
        return
    error = api.json()["error"]
    if status == 404:
        messages = [error["message"]]
    else:
        messages = [message for field in error["fields"].values() for message in field]
        assert error["message"] == (
            messages[0] if len(messages) == 1 else "Some fields are not valid."
        )
    content = page.content.decode()
    assert messages and all(escape(message) in content for message in messages), messages
