"""Standard HTTP on the API (RFC 9110, RFC 8288): conditional requests, deletes that refuse to
cascade, pagination links, Location, CORS, and query parameters given once."""

import pytest
from django.utils.http import http_date

from comparisons import models
from tests.factories import (
    BenchmarkFactory,
    BenchmarkResultFactory,
    ClaimFactory,
    FeatureFactory,
    FrameworkFactory,
    MilestoneFactory,
    PointFactory,
    RecommendationFactory,
    ScalePointFactory,
    SourceFactory,
    SupportFactory,
)

pytestmark = pytest.mark.django_db

FLASK = "/api/v1/frameworks/flask/"


@pytest.fixture
def flask():
    return FrameworkFactory(slug="flask", name="Flask")


# --- If-Match: the ETag a GET returns, 412 when stale, DELETE too ---------------------------


def test_a_signed_in_read_carries_the_etag_that_if_match_takes(editor, flask):
    read = editor.get(FLASK)
    assert read["ETag"] == '"1"'
    done = editor.patch(FLASK, {"tagline": "Mine."}, format="json", HTTP_IF_MATCH=read["ETag"])
    assert done.status_code == 200, done.content
    assert done["ETag"] == '"2"'  # the version the next write must name

    stale = editor.patch(FLASK, {"tagline": "Late."}, format="json", HTTP_IF_MATCH=read["ETag"])
    assert stale.status_code == 412
    assert stale.json()["error"]["code"] == "precondition_failed"
    assert models.Framework.objects.get(slug="flask").tagline == "Mine."


def test_a_cell_read_by_an_editor_has_its_etag_too(editor):
    cell = SupportFactory()
    read = editor.get(f"/api/v1/supports/{cell.pk}/")
    assert read["ETag"] == f'"{cell.version}"'


def test_the_etag_of_an_anonymous_read_is_taken_until_anything_changes(
    anonymous, editor, flask, django_capture_on_commit_callbacks
):
    etag = anonymous.get(FLASK)["ETag"]
    with django_capture_on_commit_callbacks(execute=True):  # the change commits
        done = editor.patch(FLASK, {"tagline": "First."}, format="json", HTTP_IF_MATCH=etag)
    assert done.status_code == 200, done.content
    again = editor.patch(FLASK, {"tagline": "Second."}, format="json", HTTP_IF_MATCH=etag)
    assert again.status_code == 412
    assert models.Framework.objects.get(slug="flask").tagline == "First."


def test_weak_tags_never_match_and_a_star_always_does(editor, flask):
    weak = editor.patch(FLASK, {"tagline": "x"}, format="json", HTTP_IF_MATCH='W/"1"')
    assert weak.status_code == 412  # If-Match compares strongly
    listed = editor.patch(FLASK, {"tagline": "y"}, format="json", HTTP_IF_MATCH='"9", "1"')
    assert listed.status_code == 200
    star = editor.patch(FLASK, {"tagline": "z"}, format="json", HTTP_IF_MATCH="*")
    assert star.status_code == 200


def test_a_delete_with_a_stale_if_match_is_refused(editor, flask):
    etag = editor.get(FLASK)["ETag"]
    editor.patch(FLASK, {"tagline": "Changed meanwhile."}, format="json")
    refused = editor.delete(FLASK, HTTP_IF_MATCH=etag)
    assert refused.status_code == 412
    assert models.Framework.objects.filter(slug="flask").exists()
    current = editor.get(FLASK)["ETag"]
    assert editor.delete(FLASK, HTTP_IF_MATCH=current).status_code == 204


# --- If-Modified-Since, where Last-Modified is sent ---------------------------------------


def test_if_modified_since_the_last_modified_date_is_a_304(anonymous, flask):
    first = anonymous.get(FLASK)
    last_modified = first["Last-Modified"]
    assert anonymous.get(FLASK, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    page = anonymous.get("/frameworks/")  # pages too: one cache serves both
    assert (
        anonymous.get("/frameworks/", HTTP_IF_MODIFIED_SINCE=page["Last-Modified"]).status_code
        == 304
    )
    earlier = http_date(0)
    assert anonymous.get(FLASK, HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200
    # If-None-Match decides when both are sent (RFC 9110 §13.2.2).
    both = anonymous.get(FLASK, HTTP_IF_MODIFIED_SINCE=last_modified, HTTP_IF_NONE_MATCH='"x"')
    assert both.status_code == 200
    assert anonymous.get(FLASK, HTTP_IF_MODIFIED_SINCE="yesterday").status_code == 200


# --- Deletes never cascade silently ---------------------------------------------------------


def test_deleting_a_source_with_claims_is_refused_naming_what_depends_on_it(editor):
    source = SourceFactory(slug="clickit")
    ClaimFactory.create_batch(2, source=source)
    PointFactory(source=source)
    RecommendationFactory(source=source)

    response = editor.delete("/api/v1/sources/clickit/")

    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "conflict"
    assert error["dependents"] == {"claims": 2, "points": 1, "recommendations": 1}
    assert "2 claims" in error["message"]
    assert models.Source.objects.filter(slug="clickit").exists()
    assert models.Claim.objects.filter(source=source).count() == 2


def framework_with_a_cell_and_a_point():
    framework = FrameworkFactory(slug="flask")
    SupportFactory(framework=framework)
    PointFactory(framework=framework)


def feature_with_two_cells():
    SupportFactory.create_batch(2, feature=FeatureFactory(slug="orm"))


@pytest.mark.parametrize(
    ("url", "make", "expected"),
    [
        (
            "/api/v1/frameworks/flask/",
            framework_with_a_cell_and_a_point,
            {"points": 1, "supports": 1},
        ),
        ("/api/v1/features/orm/", feature_with_two_cells, {"supports": 2}),
        (
            "/api/v1/benchmarks/json/",
            lambda: BenchmarkResultFactory(benchmark__slug="json"),
            {"benchmark-results": 1},
        ),
        (
            "/api/v1/use-cases/crud/",
            lambda: RecommendationFactory(use_case__slug="crud"),
            {"recommendations": 1},
        ),
    ],
)
def test_every_record_others_depend_on_is_refused_alike(editor, url, make, expected):
    make()
    response = editor.delete(url)
    assert response.status_code == 409, response.content
    assert response.json()["error"]["dependents"] == expected


def test_a_cell_with_claims_counts_them_through_the_framework(editor):
    cell = SupportFactory(framework__slug="flask")
    ClaimFactory(support=cell)
    response = editor.delete("/api/v1/frameworks/flask/")
    assert response.json()["error"]["dependents"] == {"claims": 1, "supports": 1}


def test_parts_the_api_does_not_serve_go_with_their_record(editor):
    MilestoneFactory(framework=FrameworkFactory(slug="bottle"))
    ScalePointFactory(feature=FeatureFactory(slug="learning-curve", kind="rating"))
    assert editor.delete("/api/v1/frameworks/bottle/").status_code == 204
    assert editor.delete("/api/v1/features/learning-curve/").status_code == 204
    assert not models.Milestone.objects.exists() and not models.ScalePoint.objects.exists()


def test_deleting_a_source_no_one_uses_works(editor):
    BenchmarkFactory()  # cites another source
    SourceFactory(slug="unused")
    assert editor.delete("/api/v1/sources/unused/").status_code == 204


# --- Link, Location ---------------------------------------------------------------------


def test_lists_link_to_their_neighbouring_pages(anonymous):
    FrameworkFactory.create_batch(3)
    middle = anonymous.get("/api/v1/frameworks/?page=2&page_size=1")
    body = middle.json()
    assert middle["Link"] == f'<{body["next"]}>; rel="next", <{body["previous"]}>; rel="prev"'
    assert "page=3" in body["next"]
    only = anonymous.get("/api/v1/frameworks/?page_size=10")
    assert "Link" not in only  # one page: nothing to link to, as GitHub does


def test_a_created_record_is_named_in_location(editor):
    response = editor.post(
        "/api/v1/frameworks/",
        {"name": "Pyramid", "slug": "pyramid", "kind": "full-stack", "interface": "wsgi"},
        format="json",
    )
    assert response.status_code == 201
    assert response["Location"] == response.json()["api_url"]
    assert response["Location"].endswith("/api/v1/frameworks/pyramid/")
    assert response["ETag"] == '"1"'


# --- Query parameters are given once --------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "/api/v1/supports/?framework=django&framework=flask",
        "/api/v1/frameworks/?page=1&page=2",
        "/api/v1/compare/?frameworks=django,flask&frameworks=flask,fastapi",
    ],
)
def test_a_repeated_parameter_is_a_clear_400(anonymous, query):
    response = anonymous.get(query)
    assert response.status_code == 400
    error = response.json()["error"]
    name = query.split("?")[1].split("=")[0]
    assert error["fields"] == {name: [f"Give '{name}' once (it was given 2 times)."]}


# --- CORS ----------------------------------------------------------------------------------


def test_other_origins_may_send_conditional_requests_and_read_the_headers(anonymous, flask):
    preflight = anonymous.options(
        FLASK,
        HTTP_ORIGIN="https://elsewhere.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="PATCH",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type, if-match, if-none-match",
    )
    assert preflight.status_code == 200
    allowed = preflight["Access-Control-Allow-Headers"].lower()
    assert {"if-match", "if-none-match", "authorization"} <= set(
        allowed.replace(" ", "").split(",")
    )
    assert "PATCH" in preflight["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Credentials" not in preflight

    read = anonymous.get(FLASK, HTTP_ORIGIN="https://elsewhere.example")
    exposed = {name.strip() for name in read["Access-Control-Expose-Headers"].split(",")}
    assert exposed == {"ETag", "Last-Modified", "Link", "Location", "Retry-After"}
