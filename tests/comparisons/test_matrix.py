"""The matrix both the compare page and the API render."""

import pytest

from comparisons.matrix import (
    MatrixRequestError,
    build_matrix,
    parse_slugs,
    resolve_frameworks,
)
from comparisons.models import Feature
from tests.factories import (
    ClaimFactory,
    FeatureFactory,
    FrameworkFactory,
    SupportFactory,
)
from tests.factories import (
    build_matrix as build_synthetic,
)

pytestmark = pytest.mark.django_db


def test_slugs_are_split_trimmed_lowercased_and_deduplicated():
    assert parse_slugs(" Flask, django,,flask ,fastapi") == ["flask", "django", "fastapi"]


def test_unknown_and_draft_slugs_are_named_and_the_known_ones_offered():
    FrameworkFactory(slug="flask")
    FrameworkFactory(slug="django")
    FrameworkFactory(slug="secret", status="draft")
    with pytest.raises(MatrixRequestError) as error:
        resolve_frameworks(["flask", "nope", "secret"])
    assert error.value.unknown == ["nope", "secret"]
    assert error.value.known == ["django", "flask"]
    assert "'nope'" in error.value.message


def test_fewer_than_two_frameworks_is_refused():
    FrameworkFactory(slug="flask")
    with pytest.raises(MatrixRequestError, match="at least two"):
        resolve_frameworks(["flask"])


def test_rows_that_differ_and_missing_cells():
    flask, django = FrameworkFactory(slug="flask"), FrameworkFactory(slug="django")
    same = FeatureFactory(name="Routing")
    different = FeatureFactory(name="Admin", category=same.category)
    half_known = FeatureFactory(name="ORM", category=same.category)
    for framework in (flask, django):
        SupportFactory(framework=framework, feature=same, level="native")
    SupportFactory(framework=flask, feature=different, level="extension")
    SupportFactory(framework=django, feature=different, level="native")
    SupportFactory(framework=django, feature=half_known, level="native")

    matrix = build_matrix([flask, django])
    assert [row.feature.name for row in matrix.rows] == ["Admin", "ORM", "Routing"]
    orm = next(row for row in matrix.rows if row.feature == half_known)
    assert orm.cells[0].support is None  # Flask × ORM has no cell: shown as missing

    differing = build_matrix([flask, django], only_differences=True)
    assert [row.feature.name for row in differing.rows] == ["Admin", "ORM"]


def test_fact_rows_differ_by_their_text():
    flask, django = FrameworkFactory(), FrameworkFactory()
    fact = FeatureFactory(kind=Feature.Kind.FACT)
    SupportFactory(framework=flask, feature=fact, level="", summary="Microservices")
    SupportFactory(framework=django, feature=fact, level="", summary="Full-stack apps")
    assert build_matrix([flask, django], only_differences=True).rows[0].differs


def test_category_filter_and_disputed_cells():
    flask, django = FrameworkFactory(), FrameworkFactory()
    kept = FeatureFactory()
    FeatureFactory()  # another category
    cell = SupportFactory(framework=django, feature=kept, level="none")
    ClaimFactory(support=cell, level="native")
    matrix = build_matrix([flask, django], category_slugs=[kept.category.slug])
    assert [row.feature for row in matrix.rows] == [kept]
    assert matrix.rows[0].cells[1].disputed
    assert not matrix.rows[0].cells[0].disputed


@pytest.mark.parametrize(("frameworks", "features"), [(2, 5), (12, 60)])
def test_building_the_matrix_takes_the_same_queries_at_any_size(
    frameworks, features, django_assert_num_queries
):
    framework_rows, _ = build_synthetic(frameworks=frameworks, features=features)
    slugs = [framework.slug for framework in framework_rows]
    # frameworks, features, cells with disputes, claims
    with django_assert_num_queries(4):
        matrix = build_matrix(resolve_frameworks(slugs))
        rendered = [
            (cell.disputed, [claim.source.title for claim in cell.claims])
            for row in matrix.rows
            for cell in row.cells
        ]
    assert len(rendered) == frameworks * features
