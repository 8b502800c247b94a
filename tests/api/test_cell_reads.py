"""Cells are read as rows (`api.serializers.cells_data`), not through `SupportSerializer`
(~5x faster): the JSON must be the serializer's.

Every test compares the endpoint with the plain path (`SerializedCells`: the same viewset
reading through the serializer, with `with_related()`), byte for byte.
"""

import datetime

import pytest
from django.urls import clear_script_prefix, set_script_prefix
from rest_framework import viewsets
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIRequestFactory, force_authenticate

from api import views
from comparisons import models
from tests.factories import (
    ClaimFactory,
    FeatureFactory,
    FrameworkFactory,
    ScalePointFactory,
    SourceFactory,
    SupportFactory,
)

pytestmark = pytest.mark.django_db


class SerializedCells(views.SupportViewSet):
    """The plain path: every read of a cell through `SupportSerializer`."""

    def build_queryset(self):
        return models.Support.objects.with_related()

    list = viewsets.ModelViewSet.list
    retrieve = viewsets.ModelViewSet.retrieve


def serialized(path, user=None, **kwargs):
    """The body `SerializedCells` gives for `path` (a list, or one cell with `pk`)."""
    request = APIRequestFactory().get(path)
    if user is not None:
        force_authenticate(request, user=user)
    action = "retrieve" if kwargs else "list"
    response = SerializedCells.as_view({"get": action})(request, **kwargs)
    response.render()
    assert response.status_code == 200, response.content
    return response.content


def as_text(data):
    """JSON text keeps what `==` on parsed data would not: key order, and true versus 1."""
    return JSONRenderer().render(data)


@pytest.fixture
def kb():
    """Cells of every kind: levels, ratings, facts; disputed or not; with and without claims;
    claims from draft sources; cells of draft frameworks and features."""
    django = FrameworkFactory(slug="django", name="Django")
    flask = FrameworkFactory(slug="flask", name="Flask")
    secret = FrameworkFactory(slug="secret-framework", name="Secret", status="draft")
    early = SourceFactory(slug="early", title="Zeta", published_on=datetime.date(2019, 5, 1))
    late = SourceFactory(slug="late", title="Alpha", published_on=datetime.date(2024, 1, 2))
    undated = SourceFactory(slug="undated", title="Beta")
    hidden = SourceFactory(slug="secret-source", title="Hidden", status="draft")

    admin = FeatureFactory(slug="admin", name="Admin")
    orm = FeatureFactory(slug="orm", name="ORM", category=admin.category)
    async_views = FeatureFactory(slug="async", name="Async views", category=admin.category)
    license_ = FeatureFactory(slug="license", name="License", kind="fact")
    curve = FeatureFactory(slug="learning-curve", name="Learning curve", kind="rating")
    gentle = ScalePointFactory(feature=curve, slug="gentle", label="Gentle", value=1)
    steep = ScalePointFactory(feature=curve, slug="steep", label="Steep", value=2, tone="negative")
    draft_feature = FeatureFactory(slug="secret-feature", name="Secret feature", status="draft")

    # Agreeing claims, every text field filled, a verified date.
    cell = SupportFactory(
        framework=django,
        feature=admin,
        level="native",
        packages="django.contrib.admin, , django-grappelli",
        since_version="1.0",
        notes="**Markdown** notes.",
        last_verified=datetime.date(2025, 3, 4),
    )
    ClaimFactory(support=cell, source=late, level="native", source_label="Admin UI")
    ClaimFactory(support=cell, source=early, level="native", place="prose")
    ClaimFactory(support=cell, source=undated, level="")
    # Claims disagreeing with each other; one from a draft source, which must not count.
    cell = SupportFactory(framework=flask, feature=admin, level="extension")
    ClaimFactory(support=cell, source=late, level="extension")
    ClaimFactory(support=cell, source=early, level="none")
    cell = SupportFactory(framework=django, feature=orm, level="native")
    ClaimFactory(support=cell, source=late, level="native")
    ClaimFactory(support=cell, source=hidden, level="none")
    # One claim against the verdict; a non-committal verdict; no claims at all.
    cell = SupportFactory(framework=flask, feature=orm, level="none")
    ClaimFactory(support=cell, source=early, level="extension")
    cell = SupportFactory(framework=django, feature=async_views, level="unknown")
    ClaimFactory(support=cell, source=early, level="partial")
    ClaimFactory(support=cell, source=late, level="unknown")
    SupportFactory(framework=flask, feature=async_views, level="")
    # Facts: the summary is the fact.
    cell = SupportFactory(framework=django, feature=license_, level="", summary="BSD-3-Clause")
    ClaimFactory(support=cell, source=late, level="")
    SupportFactory(framework=flask, feature=license_, level="", summary="BSD-3-Clause")
    # Ratings: agreeing, disagreeing with the verdict, disagreeing with each other.
    cell = SupportFactory(framework=django, feature=curve, level="", rating=steep)
    ClaimFactory(support=cell, source=late, level="", rating=steep)
    ClaimFactory(support=cell, source=early, level="", rating=gentle)
    cell = SupportFactory(framework=flask, feature=curve, level="", rating=gentle)
    ClaimFactory(support=cell, source=late, level="", rating=gentle)
    # No verdict yet, and sources that disagree among themselves.
    docs = FeatureFactory(slug="docs", name="Documentation", kind="rating")
    good = ScalePointFactory(feature=docs, slug="good", label="Good", value=1)
    poor = ScalePointFactory(feature=docs, slug="poor", label="Poor", value=2)
    cell = SupportFactory(framework=django, feature=docs, level="", rating=None)
    ClaimFactory(support=cell, source=late, level="", rating=good)
    ClaimFactory(support=cell, source=early, level="", rating=poor)
    websockets = FeatureFactory(slug="websockets", name="WebSockets", category=admin.category)
    cell = SupportFactory(framework=flask, feature=websockets, level="unknown")
    ClaimFactory(support=cell, source=late, level="native")
    ClaimFactory(support=cell, source=early, level="none")
    # A level verdict with a rating claim: the database's rule (not the model's) decides.
    templates = FeatureFactory(slug="templates", name="Templates", category=admin.category)
    cell = SupportFactory(framework=django, feature=templates, level="native")
    ClaimFactory(support=cell, source=late, level="", rating=gentle)
    ClaimFactory(support=cell, source=early, level="native")
    cell = SupportFactory(framework=flask, feature=draft_feature, level="native")
    ClaimFactory(support=cell, source=late, level="", rating=gentle)
    ClaimFactory(support=cell, source=early, level="partial")
    # Cells only editors see; their claims from published sources still decide `disputed`.
    cell = SupportFactory(framework=secret, feature=admin, level="partial")
    ClaimFactory(support=cell, source=late, level="native")
    ClaimFactory(support=cell, source=hidden, level="partial")
    cell = SupportFactory(framework=django, feature=draft_feature, level="native", rating=None)
    ClaimFactory(support=cell, source=early, level="native")
    cell = SupportFactory(framework=secret, feature=orm, level="", rating=gentle)
    ClaimFactory(support=cell, source=late, level="", rating=steep)
    return models.Support.objects.all()


def test_the_page_of_cells_reads_as_the_serializer_wrote_it(anonymous, editor, editor_user, kb):
    published = kb.filter(framework__status="published", feature__status="published")
    for client, user, visible in ((anonymous, None, published), (editor, editor_user, kb)):
        path = "/api/v1/supports/?page_size=100"
        response = client.get(path)
        assert response.status_code == 200
        assert response.content == serialized(path, user)
        cells = response.json()["results"]
        assert len(cells) == visible.count()
        assert {cell["disputed"] for cell in cells} == {True, False}


def test_each_cells_link_follows_the_host_and_the_mount(anonymous, kb):
    cases = [
        ("/", {}, "/api/v1/supports/", "http://testserver/api/v1/supports/{}/"),
        ("/kb/", {}, "/api/v1/supports/", "http://testserver/kb/api/v1/supports/{}/"),
        ("/", {"HTTP_HOST": "localhost:8000"}, "/api/v1/supports/",
         "http://localhost:8000/api/v1/supports/{}/"),
    ]  # fmt: skip
    for size, (mount, extra, path, link) in enumerate(cases, start=90):
        set_script_prefix(mount)  # (what a server does from SCRIPT_NAME; the test client not)
        try:  # (a page size of its own: a response of its own, not one cached before)
            cells = anonymous.get(path, {"page_size": size}, **extra).json()["results"]
        finally:
            clear_script_prefix()
        assert cells and all(cell["api_url"] == link.format(cell["id"]) for cell in cells), path
    # A link leads to its cell.
    one = cells[-1]["api_url"].removeprefix("http://testserver")
    assert anonymous.get(one).json()["id"] == cells[-1]["id"]


def test_every_cell_reads_as_the_serializer_wrote_it(anonymous, editor, editor_user, kb):
    listed = editor.get("/api/v1/supports/?page_size=100").json()["results"]
    for cell in kb:
        path = f"/api/v1/supports/{cell.pk}/"
        response = editor.get(path)
        assert response.status_code == 200
        assert response.content == serialized(path, editor_user, pk=str(cell.pk))
        assert as_text(response.json()) in {as_text(item) for item in listed}
        public = anonymous.get(path)
        if cell.framework.status == "published" and cell.feature.status == "published":
            assert public.content == serialized(path, pk=str(cell.pk))
        else:
            assert public.status_code == 404
            assert public.json()["error"]["message"] == "No Support matches the given query."


@pytest.mark.parametrize(
    "query",
    [
        "ordering=-id",
        "ordering=feature__name,-framework__name&page_size=3&page=2",
        "framework=flask",
        "feature=learning-curve",
        "category=nonexistent",
        "level=native&ordering=updated_at",
        "disputed=true",
        "disputed=false&ordering=id",
        "search=BSD",
        "search=Flask&ordering=-last_verified,id",
        "page_size=5",
    ],
)
def test_filters_search_ordering_and_pages_read_as_before(
    anonymous, editor, editor_user, kb, query
):
    path = f"/api/v1/supports/?{query}"
    assert anonymous.get(path).content == serialized(path)
    assert editor.get(path).content == serialized(path, editor_user)


def test_a_claim_on_a_draft_source_is_neither_shown_nor_counted(anonymous, kb):
    cell = models.Support.objects.get(framework__slug="django", feature__slug="orm")
    data = anonymous.get(f"/api/v1/supports/{cell.pk}/").json()
    assert [claim["source"]["slug"] for claim in data["claims"]] == ["late"]
    assert data["disputed"] is False


def test_claims_come_oldest_source_first_with_their_agreement(anonymous, kb):
    cell = models.Support.objects.get(framework__slug="django", feature__slug="admin")
    data = anonymous.get(f"/api/v1/supports/{cell.pk}/").json()
    sources = [claim["source"]["slug"] for claim in data["claims"]]
    assert [source for source in sources if source != "undated"] == ["early", "late"]
    assert sources.index("undated") in (0, 2)  # where the database puts unknown dates
    assert [claim["agrees_with_verdict"] for claim in data["claims"]] == [True, True, True]
    assert data["last_verified"] == "2025-03-04"
    assert data["created_at"].endswith("Z")


def test_a_page_of_cells_costs_three_queries(anonymous, kb, django_assert_num_queries):
    with django_assert_num_queries(3):  # count, the cells, their claims
        assert anonymous.get("/api/v1/supports/?page_size=100").status_code == 200
    cell = kb.filter(framework__status="published", feature__status="published").first()
    with django_assert_num_queries(2):  # the cell, its claims
        assert anonymous.get(f"/api/v1/supports/{cell.pk}/").status_code == 200
