"""One JSON error shape for every failure; JSON 404s for unknown URLs; rate limits; CORS."""

import json

import pytest
from django.conf import settings as django_settings

from tests.factories import FrameworkFactory

pytestmark = pytest.mark.django_db


def error_of(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert error["status"] == status
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    return error


def test_validation_errors_name_their_fields(editor):
    error = error_of(editor.post("/api/v1/frameworks/", {}, format="json"), 400)
    assert error["code"] == "invalid"
    assert {"name", "slug", "kind", "interface"} <= set(error["fields"])
    assert all(isinstance(messages, list) for messages in error["fields"].values())


def test_malformed_json_is_a_400(editor):
    response = editor.generic(
        "POST", "/api/v1/frameworks/", "{not json", content_type="application/json"
    )
    assert error_of(response, 400)["code"] == "parse_error"


def test_a_token_that_does_not_exist_is_a_401(anonymous):
    anonymous.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    error = error_of(anonymous.get("/api/v1/frameworks/"), 401)
    assert error["code"] == "authentication_failed"


def test_forbidden_and_not_found_and_method_not_allowed(stranger, anonymous):
    FrameworkFactory(slug="flask")
    assert error_of(stranger.delete("/api/v1/frameworks/flask/"), 403)["code"] == (
        "permission_denied"
    )
    missing = error_of(anonymous.get("/api/v1/frameworks/rails/"), 404)
    assert missing["code"] == "not_found"
    not_allowed = anonymous.put("/api/v1/compare/?frameworks=a,b")
    assert error_of(not_allowed, 405)["code"] == "method_not_allowed"
    assert "GET" in not_allowed["Allow"]


def test_only_json_is_accepted_and_served(editor):
    FrameworkFactory(slug="flask")
    wrong_type = editor.generic(
        "PATCH", "/api/v1/frameworks/flask/", "tagline=x", content_type="text/plain"
    )
    assert error_of(wrong_type, 415)["code"] == "unsupported_media_type"
    assert error_of(editor.get("/api/v1/frameworks/", HTTP_ACCEPT="text/html"), 406)


@pytest.mark.parametrize(
    "path",
    [
        "/api/",
        "/api/v2/frameworks/",
        "/api/v1/nothing/",
        "/api/v1/frameworks/a/b/",
        "/api/v1/benchmark-results/1%0A/",  # a newline in the path (schemathesis found it)
    ],
)
def test_unknown_urls_under_api_are_json_404s(anonymous, path):
    for method in ("get", "post", "delete"):
        error = error_of(getattr(anonymous, method)(path), 404)
        assert error["code"] == "not_found"


def test_a_missing_trailing_slash_is_pointed_out(anonymous):
    error = error_of(anonymous.get("/api/v1/frameworks"), 404)
    assert "/api/v1/frameworks/" in error["message"]


def test_null_characters_never_reach_the_database(anonymous, editor):
    for query in ("ordering=%00", "framework=%00", "level=%00", "page=%00", "search=a%00b"):
        assert error_of(anonymous.get(f"/api/v1/supports/?{query}"), 400), query
    assert error_of(anonymous.get("/api/v1/compare/?frameworks=a%00,b"), 400)
    bad_link = editor.post(
        "/api/v1/sources/", {"title": "T", "slug": "t", "frameworks": ["fla\x00sk"]}, format="json"
    )
    assert error_of(bad_link, 400)["fields"] == {
        "frameworks": ["Give the slug of an existing record."]
    }


def test_too_many_requests_are_throttled_with_the_same_shape(settings, anonymous):
    settings.REST_FRAMEWORK = {
        **django_settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "5/minute"},
    }
    for _ in range(3):
        assert anonymous.get("/api/v1/frameworks/").status_code == 200
    response = anonymous.get("/api/v1/frameworks/")
    error = error_of(response, 429)
    assert error["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


def test_signed_in_users_have_their_own_higher_limit(settings, stranger):
    settings.REST_FRAMEWORK = {
        **django_settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/minute", "user": "3/minute"},
    }
    statuses = [stranger.get("/api/v1/frameworks/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_any_origin_may_read_without_credentials(anonymous):
    response = anonymous.get("/api/v1/frameworks/", HTTP_ORIGIN="https://elsewhere.example")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    preflight = anonymous.options(
        "/api/v1/frameworks/",
        HTTP_ORIGIN="https://elsewhere.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 200
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Credentials" not in preflight  # a token, never a cookie
    page = anonymous.get("/", HTTP_ORIGIN="https://elsewhere.example")
    assert "Access-Control-Allow-Origin" not in page  # the website is not shared


# --- Limits, and errors raised outside the API's views -------------------------------------


def nested(depth):
    return "[" * depth + "]" * depth


def test_json_nested_too_deep_is_a_400_not_a_500(anonymous, editor):
    # 1,000 deep made the standard library's parser raise RecursionError: an anonymous 500.
    for client, path in ((anonymous, "/api/v1/auth/token/"), (editor, "/api/v1/frameworks/")):
        body = '{"username": ' + nested(1000) + ', "password": "x"}'
        response = client.generic("POST", path, body, content_type="application/json")
        error = error_of(response, 400)
        assert error["code"] == "parse_error" and "32 levels" in error["message"]
    at_the_limit = '{"username": ' + nested(31) + ', "password": "x"}'
    response = anonymous.generic(
        "POST", "/api/v1/auth/token/", at_the_limit, content_type="application/json"
    )
    assert set(error_of(response, 400)["fields"]) == {"username"}  # parsed, then validated


def test_a_body_over_the_limit_is_a_413(settings, editor):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    body = '{"name": "' + "x" * 1_000 + '"}'
    response = editor.generic("POST", "/api/v1/frameworks/", body, content_type="application/json")
    error = error_of(response, 413)
    assert error["code"] == "too_large" and "1,000 bytes" in error["message"]
    just_fits = '{"name": "' + "x" * 900 + '"}'
    fits = editor.generic("POST", "/api/v1/frameworks/", just_fits, content_type="application/json")
    assert error_of(fits, 400)["code"] == "invalid"  # read and validated


def test_a_uri_over_the_limit_is_a_414(anonymous, client):
    long_query = "search=" + "x" * 4_100
    error = error_of(anonymous.get(f"/api/v1/frameworks/?{long_query}"), 414)
    assert error["code"] == "uri_too_long"
    assert anonymous.get("/api/v1/frameworks/?search=" + "x" * 4_000).status_code == 200
    page = client.get(f"/frameworks/?{long_query}")
    assert page.status_code == 414 and page["Content-Type"].startswith("text/html")


def test_a_host_not_served_is_a_json_400_under_the_api(anonymous, client):
    error = error_of(anonymous.get("/api/v1/frameworks/", HTTP_HOST="evil.example"), 400)
    assert error["code"] == "bad_request"
    assert "evil.example" not in error["message"]  # the request is not echoed back
    page = client.get("/frameworks/", HTTP_HOST="evil.example")
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")


def test_a_server_error_under_the_api_is_json(monkeypatch, client):
    from api import views

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(views.FrameworkViewSet, "list", fail)
    client.raise_request_exception = False
    error = error_of(client.get("/api/v1/frameworks/"), 500)
    assert error["code"] == "server_error"
    assert "database" not in error["message"]
    monkeypatch.setattr("comparisons.views.FrameworkListView.get", fail)
    page = client.get("/frameworks/")
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")


def test_django_errors_raised_outside_the_views_are_json_under_the_api(rf):
    # What Django itself raises around a view: e.g. RequestDataTooBig when something reads a
    # form body over DATA_UPLOAD_MAX_MEMORY_SIZE (DRF's own parser answers 413 for JSON).
    from django.core.exceptions import PermissionDenied, RequestDataTooBig
    from django.http import Http404

    from config import errors

    api, site = rf.get("/api/v1/frameworks/"), rf.get("/frameworks/")
    for handler, exception, status in (
        (errors.bad_request, RequestDataTooBig(), 413),
        (errors.permission_denied, PermissionDenied(), 403),
        (errors.page_not_found, Http404(), 404),
    ):
        response = handler(api, exception)
        assert response.status_code == status
        assert response["Content-Type"] == "application/json"
        assert json.loads(response.content)["error"]["status"] == status
        assert handler(site, exception)["Content-Type"].startswith("text/html")
