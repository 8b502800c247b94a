"""The cells list, read as rows (`api.serializers.cells_data`): drafts stay with editors,
counts match the rows, changes show at once, timestamps read as the serializer writes them,
and a bad parameter is a 400 however often it is sent."""

import datetime

import pytest

from comparisons import models
from comparisons.caching import content_changed
from tests.api import test_cell_reads
from tests.factories import ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db

kb = test_cell_reads.kb  # the fixture: cells of every kind, drafts among them
serialized = test_cell_reads.serialized  # the body as `SupportSerializer` wrote it

LIST = "/api/v1/supports/?page_size=100"


def visible(query):
    cells = models.Support.objects.published()
    if "framework=" in query:
        cells = cells.filter(framework__slug=query.partition("framework=")[2])
    elif "feature=" in query:
        cells = cells.filter(feature__slug=query.partition("feature=")[2])
    elif "search=" in query:
        cells = cells.filter(framework__name__icontains=query.partition("search=")[2])
    return cells


def slugs(response):
    assert response.status_code == 200, response.content
    return [(cell["framework"], cell["feature"]) for cell in response.json()["results"]]


@pytest.mark.parametrize(
    "query",
    ["", "&framework=secret-framework", "&feature=secret-feature", "&search=Secret", "&page=2"],
)
def test_an_editors_list_never_shows_visitors_its_drafts(anonymous, editor, editor_user, kb, query):
    # The editor asks first: a visitor's request of the same address must not get what an
    # editor was shown (drafts), from the cache or anywhere else.
    path = f"/api/v1/supports/?page_size=10{query}"
    for _ in range(2):
        editors = editor.get(path)
        visitors = anonymous.get(path)
        assert editors.content == serialized(path, editor_user)
        if query == "&page=2":
            assert editors.json()["count"] > visitors.json()["count"]
            continue
        assert visitors.content == serialized(path)
        drafts = [
            cell
            for cell in slugs(editors)
            if "secret-framework" in cell or "secret-feature" in cell
        ]
        assert drafts
        assert not set(slugs(visitors)) & set(drafts)
        assert visitors.json()["count"] == visible(query).count()


def test_a_change_shows_in_the_next_list_of_the_same_shape(anonymous, kb):
    before = anonymous.get(LIST).json()
    anonymous.get(LIST)  # the list has been read (and cached) once

    models.Framework.objects.filter(slug="flask").update(status=models.Status.DRAFT)
    content_changed()  # as the commit would: the public cache no longer answers
    hidden = anonymous.get(LIST).json()
    assert hidden["count"] == len(hidden["results"]) < before["count"]
    assert "flask" not in {cell["framework"] for cell in hidden["results"]}

    models.Framework.objects.filter(slug="flask").update(status=models.Status.PUBLISHED)
    cell = models.Support.objects.get(framework__slug="flask", feature__slug="admin")
    models.Support.objects.filter(pk=cell.pk).update(summary="Rewritten.")
    claim = ClaimFactory(support=cell, source=SourceFactory(slug="newer"))
    content_changed()
    again = anonymous.get(LIST).json()
    assert again["count"] == before["count"]
    shown = next(item for item in again["results"] if item["id"] == cell.pk)
    assert shown["summary"] == "Rewritten."
    assert claim.pk in {item["id"] for item in shown["claims"]}


def test_counts_and_page_links_follow_the_filters(anonymous, kb):
    for query, expected in (
        ("framework=django", models.Support.objects.published().filter(framework__slug="django")),
        ("level=native", models.Support.objects.published().filter(level="native")),
        ("framework=nonexistent", models.Support.objects.none()),
    ):
        for _ in range(2):  # read, then read again (from the cache)
            first = anonymous.get(f"/api/v1/supports/?{query}&page_size=2").json()
            assert first["count"] == expected.count()
            if expected.count() > 2:
                assert "page=2" in first["next"]
                last_page = (expected.count() + 1) // 2
                last = anonymous.get(f"/api/v1/supports/?{query}&page_size=2&page={last_page}")
                assert last.json()["next"] is None
                beyond = anonymous.get(
                    f"/api/v1/supports/?{query}&page_size=2&page={last_page + 1}"
                )
                assert beyond.status_code == 404
            else:
                assert first["next"] is None


def test_an_empty_list_has_one_empty_page_and_no_second(anonymous, db):
    for _ in range(2):
        response = anonymous.get(LIST)
        assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}
        assert anonymous.get(LIST + "&page=2").status_code == 404


@pytest.mark.parametrize(
    "query", ["level=", "level=best", "ordering=summary", "page=0", "page_size=101"]
)
def test_a_bad_parameter_stays_a_400_after_good_requests(anonymous, kb, query):
    assert anonymous.get("/api/v1/supports/?level=native").status_code == 200
    for _ in range(2):
        response = anonymous.get(f"/api/v1/supports/?{query}")
        assert response.status_code == 400, response.content
    assert anonymous.get("/api/v1/supports/?level=native").status_code == 200


@pytest.mark.parametrize("zone", ["UTC", "America/New_York", "Asia/Kolkata"])
def test_timestamps_read_as_the_serializer_wrote_them(anonymous, editor_user, kb, settings, zone):
    settings.TIME_ZONE = zone
    cells = list(models.Support.objects.published().order_by("pk")[:6])
    whole = datetime.datetime(2024, 1, 15, 12, 8, 9, tzinfo=datetime.UTC)
    fraction = datetime.datetime(2024, 7, 15, 12, 8, 9, 4500, tzinfo=datetime.UTC)
    models.Support.objects.filter(pk=cells[0].pk).update(created_at=whole, updated_at=fraction)
    models.Support.objects.filter(pk=cells[1].pk).update(created_at=fraction, updated_at=whole)
    # Microseconds PostgreSQL writes with fewer digits, and with all six.
    for cell, microsecond in zip(cells[2:], (500000, 1, 999999, 120), strict=False):
        odd = fraction.replace(microsecond=microsecond)
        models.Support.objects.filter(pk=cell.pk).update(created_at=odd, updated_at=odd)
    content_changed()
    for path in (LIST, f"/api/v1/supports/{cells[0].pk}/"):
        response = anonymous.get(path)
        assert response.content == serialized(
            path, **({"pk": str(cells[0].pk)} if "?" not in path else {})
        )
    shown = anonymous.get(f"/api/v1/supports/{cells[0].pk}/").json()
    expected = {
        "UTC": ("2024-01-15T12:08:09Z", "2024-07-15T12:08:09.004500Z"),
        "America/New_York": ("2024-01-15T07:08:09-05:00", "2024-07-15T08:08:09.004500-04:00"),
        "Asia/Kolkata": ("2024-01-15T17:38:09+05:30", "2024-07-15T17:38:09.004500+05:30"),
    }[zone]
    assert (shown["created_at"], shown["updated_at"]) == expected


def publish_everything():
    models.Framework.objects.update(status=models.Status.PUBLISHED)
    models.Feature.objects.update(status=models.Status.PUBLISHED)
    content_changed()


@pytest.mark.parametrize("query", ["", "&framework=django", "&level=native", "&disputed=true"])
def test_a_visitors_count_with_and_without_drafts_about(anonymous, kb, query):
    path = f"/api/v1/supports/?page_size=3{query}"
    anonymous.get(path)  # read while there are drafts
    publish_everything()  # none left: every cell is a visitor's
    every = anonymous.get(path).json()
    assert every["count"] == visible_cells(query).count()
    assert anonymous.get(path).content == serialized(path)

    models.Feature.objects.filter(slug="orm").update(status=models.Status.DRAFT)
    content_changed()
    fewer = anonymous.get(path).json()
    assert fewer["count"] == visible_cells(query).count()
    assert anonymous.get(path).content == serialized(path)
    if "framework" not in query and "level" not in query:
        assert fewer["count"] < every["count"]


def visible_cells(query):
    cells = models.Support.objects.published()
    if "framework=" in query:
        cells = cells.filter(framework__slug="django")
    if "level=" in query:
        cells = cells.filter(level="native")
    if "disputed=" in query:
        cells = cells.filter(sources_disagree=True)
    return cells
