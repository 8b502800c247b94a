"""The compare page's cells query, compiled once per shape, is the query the ORM writes."""

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.test import override_settings

from comparisons.matrix_page import (
    cell_rows,
    cell_statement,
    cells_query,
    cells_statement,
    compiled,
    published_features,
)
from tests.factories import build_matrix


@pytest.mark.parametrize(
    ("framework_ids", "feature_ids"),
    [([7], [3]), ([1, 2, 3], [10, 11, 12, 13, 14, 15, 16]), ([42, 5], list(range(90, 0, -3)))],
)
def test_a_reused_statement_is_what_the_orm_compiles_for_those_ids(framework_ids, feature_ids):
    cell_statement([100, 200, 300][: len(framework_ids)], list(range(len(feature_ids))))  # shape
    sql, params = cells_query(framework_ids, feature_ids).query.get_compiler("default").as_sql()
    assert cell_statement(framework_ids, feature_ids) == (sql, list(params))


@pytest.mark.django_db
def test_rows_come_for_the_ids_asked_and_none_for_an_empty_list():
    frameworks, features = build_matrix(frameworks=3, features=4)
    picked = [frameworks[2].pk, frameworks[0].pk]
    rows = cell_rows(picked, [feature.pk for feature in features[1:3]])
    assert sorted((row[1], row[2]) for row in rows) == sorted(
        (framework, feature.pk) for framework in picked for feature in features[1:3]
    )
    assert cell_rows(picked, []) == [] and cell_rows([], [features[0].pk]) == []


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_statements_are_forgotten_when_the_databases_change():
    cell_statement([1], [2])
    compiled(DEFAULT_DB_ALIAS, published_features)
    assert cells_statement.cache_info().currsize and compiled.cache_info().currsize
    with override_settings(DATABASES=dict(settings.DATABASES)):
        assert not cells_statement.cache_info().currsize
        assert not compiled.cache_info().currsize
