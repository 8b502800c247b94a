"""One JSON error shape for every failure; JSON 404s for unknown URLs; rate limits; CORS."""

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
