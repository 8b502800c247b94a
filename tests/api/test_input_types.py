"""Values are taken only in the JSON type the schema gives them, and a cell's packages are
one list everywhere."""

import pytest

from comparisons.models import Framework
from tests.factories import (
    BenchmarkFactory,
    FeatureCategoryFactory,
    FeatureFactory,
    FrameworkFactory,
    SupportFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def records():
    framework = FrameworkFactory(slug="flask", name="Flask")
    feature = FeatureFactory(slug="cors", name="CORS")
    return {
        "framework": framework,
        "feature": feature,
        "category": FeatureCategoryFactory(slug="ops"),
        "benchmark": BenchmarkFactory(slug="json"),
        "cell": SupportFactory(framework=framework, feature=feature, packages="Flask-CORS"),
    }


@pytest.mark.parametrize(
    "path, field, value, message",
    [
        ("categories/ops", "description", 0, "Must be a string, not an integer."),
        ("categories/ops", "name", True, "Must be a string, not a boolean."),
        ("categories/ops", "slug", ["ops"], "Must be a string, not an array."),
        ("categories/ops", "position", "3", "Must be an integer, not a string."),
        ("categories/ops", "position", 3.0, "Must be an integer, not a number."),
        ("frameworks/flask", "kind", 1, "Must be a string, not an integer."),
        ("frameworks/flask", "homepage_url", {}, "Must be a string, not an object."),
        ("frameworks/flask", "first_release_year", "2010", "Must be an integer, not a string."),
        ("frameworks/flask", "builds_on", {}, "Must be an array, not an object."),
        ("frameworks/flask", "builds_on", "django", "Must be an array, not a string."),
        ("benchmarks/json", "higher_is_better", "true", "Must be a boolean, not a string."),
        ("benchmarks/json", "higher_is_better", 1, "Must be a boolean, not an integer."),
    ],
)
def test_a_value_of_another_json_type_is_refused(editor, records, path, field, value, message):
    response = editor.patch(f"/api/v1/{path}/", {field: value}, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["error"]["fields"] == {field: [message]}


def test_a_text_longer_than_the_schema_allows_is_refused_even_with_spaces_around(editor, records):
    """The schema's maxLength counts the characters sent; the name is stored trimmed."""
    limit = Framework._meta.get_field("name").max_length
    refused = editor.patch("/api/v1/frameworks/flask/", {"name": " " + "F" * limit}, format="json")
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"] == {
        "name": [f"Ensure this field has no more than {limit} characters."]
    }
    taken = editor.patch("/api/v1/frameworks/flask/", {"name": " Flask 3 "}, format="json")
    assert taken.status_code == 200 and taken.json()["name"] == "Flask 3"


def test_values_of_the_right_type_are_still_taken(editor, records):
    response = editor.patch(
        "/api/v1/categories/ops/", {"description": "0", "position": 3}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["description"], response.json()["position"]) == ("0", 3)
    flag = editor.patch("/api/v1/benchmarks/json/", {"higher_is_better": False}, format="json")
    assert flag.status_code == 200 and flag.json()["higher_is_better"] is False


def test_decimals_are_strings_as_the_schema_says(editor, records):
    result = {"benchmark": "json", "framework": "flask", "figure": "value"}
    as_number = editor.post("/api/v1/benchmark-results/", {**result, "value": 2500}, format="json")
    assert as_number.json()["error"]["fields"] == {"value": ["Must be a string, not an integer."]}
    as_string = editor.post(
        "/api/v1/benchmark-results/", {**result, "value": "2500"}, format="json"
    )
    assert as_string.status_code == 201 and as_string.json()["value"] == "2500.000"


def test_the_token_endpoint_takes_strings_only(anonymous, editor_user):
    response = anonymous.post(
        "/api/v1/auth/token/", {"username": 0, "password": "x"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"username": ["Must be a string, not an integer."]}


def test_packages_are_one_list_in_cells_and_in_the_matrix(anonymous, records):
    cell = records["cell"]
    cell.packages = "Flask-CORS, Flask-Talisman"
    cell.save()
    FrameworkFactory(slug="django")
    read = anonymous.get(f"/api/v1/supports/{cell.pk}/").json()
    listed = anonymous.get("/api/v1/supports/?framework=flask").json()["results"][0]
    matrix = anonymous.get("/api/v1/compare/?frameworks=flask,django").json()
    # Columns in the set's canonical (slug) order: django, flask.
    in_matrix = matrix["categories"][0]["rows"][0]["cells"][1]
    assert in_matrix["framework"] == "flask"
    assert read["packages"] == listed["packages"] == in_matrix["packages"]
    assert read["packages"] == ["Flask-CORS", "Flask-Talisman"]


def test_packages_are_written_as_a_list(editor, records):
    cell = records["cell"]
    response = editor.patch(
        f"/api/v1/supports/{cell.pk}/",
        {"packages": ["Flask-CORS", " Flask-Talisman "]},
        format="json",
    )
    assert response.status_code == 200 and response.json()["packages"] == [
        "Flask-CORS",
        "Flask-Talisman",
    ]
    cell.refresh_from_db()
    assert cell.packages == "Flask-CORS, Flask-Talisman"  # as the admin shows and edits it
    for value, message in (
        ("Flask-CORS", 'Expected a list of items but got type "str".'),
        (["a,b"], "A package name has no comma."),
        (["x" * 150, "y" * 50], "The names take more than 200 characters together."),
    ):
        refused = editor.patch(f"/api/v1/supports/{cell.pk}/", {"packages": value}, format="json")
        assert refused.status_code == 400
        assert message in str(refused.json()["error"]["fields"]), refused.content
    cleared = editor.patch(f"/api/v1/supports/{cell.pk}/", {"packages": []}, format="json")
    assert cleared.status_code == 200 and cleared.json()["packages"] == []
