"""The OpenAPI schema and its two documentation pages."""

import re

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db

DOCUMENTED_ERRORS = {"400", "401", "403", "404", "405", "406", "414", "429", "500"}


@pytest.fixture
def schema(anonymous):
    response = anonymous.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def resolve(schema, response):
    if "$ref" in response:
        return schema["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    return response


def test_the_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", tmp_path / "s.yaml")
    loaded = yaml.safe_load((tmp_path / "s.yaml").read_text())
    assert loaded["openapi"].startswith("3.")


def test_every_resource_and_the_matrix_are_documented(schema):
    paths = set(schema["paths"])
    for resource in (
        "frameworks/{slug}", "categories/{slug}", "features/{slug}", "supports/{id}",
        "sources/{slug}", "claims/{id}", "benchmarks/{slug}", "benchmark-results/{id}",
        "points/{id}", "use-cases/{slug}", "recommendations/{id}",
    ):  # fmt: skip
        assert f"/api/v1/{resource}/" in paths
        assert f"/api/v1/{resource.split('/')[0]}/" in paths
    assert {"/api/v1/compare/", "/api/v1/auth/token/"} <= paths


def test_every_operation_documents_every_error_in_the_one_shape(schema):
    for path, method, operation in operations(schema):
        assert operation.get("summary"), (path, method)
        assert operation.get("description"), (path, method)
        documented = set(operation["responses"])
        assert documented >= DOCUMENTED_ERRORS, (path, method)
        for status in DOCUMENTED_ERRORS:
            response = resolve(schema, operation["responses"][status])
            content = response["content"]["application/json"]
            assert content["schema"] == {"$ref": "#/components/schemas/Error"}
            assert content.get("examples"), (path, method, status)
            assert response["description"]
        if method in ("post", "put", "patch"):
            assert {"409", "413", "415"} <= documented


def test_auth_schemes_and_anonymous_reads_are_documented(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["tokenAuth"]["type"] == "apiKey" and schemes["tokenAuth"]["in"] == "header"
    assert schemes["cookieAuth"]["in"] == "cookie"
    for path, method, operation in operations(schema):
        optional = {} in operation["security"]
        # Signing in for a token needs no account (a schema that said otherwise was wrong).
        assert optional == (method == "get" or path == "/api/v1/auth/token/"), (path, method)


def test_examples_are_given_for_errors_and_the_token(schema):
    token = schema["paths"]["/api/v1/auth/token/"]["post"]
    assert token["requestBody"]["content"]["application/json"]["examples"]
    compare_404 = schema["paths"]["/api/v1/compare/"]["get"]["responses"]["404"]
    example = next(iter(compare_404["content"]["application/json"]["examples"].values()))
    assert example["value"]["error"]["unknown"] == ["rails"]


def test_the_token_request_body_is_declared_once(schema, anonymous):
    # Twice (JSON and form, one schema) broke a generated client's auth module.
    body = schema["paths"]["/api/v1/auth/token/"]["post"]["requestBody"]
    assert list(body["content"]) == ["application/json"]
    form = anonymous.post(
        "/api/v1/auth/token/",
        "username=a&password=b",
        content_type="application/x-www-form-urlencoded",
    )
    assert form.status_code == 415  # as the schema says: JSON only, like every endpoint


def test_the_first_release_years_plausible_range_is_in_the_schema(schema, editor):
    from comparisons.models import EARLIEST_YEAR, LATEST_YEAR

    for component in ("Framework", "FrameworkRequest", "PatchedFrameworkRequest"):
        year = schema["components"]["schemas"][component]["properties"]["first_release_year"]
        assert (year["minimum"], year["maximum"]) == (EARLIEST_YEAR, LATEST_YEAR) == (1990, 2100)
    framework = {"name": "X", "slug": "x", "kind": "micro", "interface": "wsgi"}
    for year, status in ((1989, 400), (1990, 201), (2101, 400)):
        response = editor.post(
            "/api/v1/frameworks/",
            {**framework, "slug": f"x{year}", "first_release_year": year},
            format="json",
        )
        assert response.status_code == status, (year, response.content)


def test_packages_have_one_type_in_every_schema(schema):
    components = schema["components"]["schemas"]
    for component in ("Support", "SupportRequest", "PatchedSupportRequest", "MatrixCell"):
        packages = components[component]["properties"]["packages"]
        assert packages["type"] == "array" and packages["items"]["type"] == "string"


@pytest.mark.parametrize("page", ["/api/docs/", "/api/redoc/"])
def test_the_documentation_pages_load_nothing_from_elsewhere(anonymous, page):
    response = anonymous.get(page, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    # Swagger UI's start-up script is the page's own ?script (drf-spectacular's split view,
    # so that nothing is inline); it names the schema.
    scripts = [asset for asset in assets if asset.startswith(f"{page}?script")]
    for script in scripts:
        html += anonymous.get(script.replace("&amp;", "&")).content.decode()
    assert "/api/schema/" in html
    assert all(asset.startswith("/static/") for asset in assets if asset not in scripts), assets
    assert "googleapis" not in html


def test_the_documentation_assets_are_served():
    from django.contrib.staticfiles import finders

    for asset in (
        "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js",
        "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css",
        "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js",
    ):
        assert finders.find(asset), asset
