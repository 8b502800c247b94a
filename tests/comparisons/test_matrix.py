"""The one matrix (every page and the API read it) and the one way a cell is drawn."""

import re

import pytest
from django.http import QueryDict

from comparisons.forms import CompareForm
from comparisons.matrix import build_matrix, cell_html
from comparisons.models import Feature
from tests.factories import (
    ClaimFactory,
    FeatureFactory,
    FrameworkFactory,
    ScalePointFactory,
    SourceFactory,
    SupportFactory,
)
from tests.factories import (
    build_matrix as build_synthetic,
)

pytestmark = pytest.mark.django_db


def form(query):
    return CompareForm.of_query(QueryDict(query))


def test_the_form_splits_trims_lowercases_and_drops_repeats():
    FrameworkFactory(slug="flask")
    FrameworkFactory(slug="django")
    FrameworkFactory(slug="fastapi")
    compare = form("frameworks=%20Flask,%20django,,flask%20&frameworks=fastapi")
    assert compare.is_valid(), compare.errors
    # In canonical (slug) order, whatever order they came in: one set, one matrix.
    assert [f.slug for f in compare.cleaned_data["frameworks"]] == ["django", "fastapi", "flask"]


def test_the_form_names_unknown_and_draft_slugs_and_offers_the_known_ones():
    FrameworkFactory(slug="flask")
    FrameworkFactory(slug="django")
    FrameworkFactory(slug="secret", status="draft")
    compare = form("frameworks=flask,nope,secret")
    assert not compare.is_valid()
    assert compare.unknown.unknown == ["nope", "secret"]
    assert compare.unknown.known == ["django", "flask"]
    assert compare.first_error() == "Unknown frameworks: 'nope', 'secret'."


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("frameworks=flask", "Pick at least two frameworks to compare."),
        ("frameworks=flask,django&only_differences=maybe", "Use 'true' or 'false'"),
        ("frameworks=flask,django&category=nope", "There is no feature category called 'nope'."),
        ("frameworks=flask,dj%3Cango", "'dj<ango' is not a valid name"),
        ("frameworks=flask,dj%00ango", "characters no name can have"),
        ("frameworks=" + "a" * 2501, "far too long"),
    ],
)
def test_the_form_refuses_what_cannot_be_compared(query, message):
    FrameworkFactory(slug="flask")
    FrameworkFactory(slug="django")
    compare = form(query)
    assert not compare.is_valid()
    assert message in compare.first_error()
    assert compare.unknown is None


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
    orm = next(row for row in matrix.rows if row.feature.pk == half_known.pk)
    assert not orm.cells[0].exists  # Flask × ORM has no cell: shown as missing
    assert orm.cells[0].reading.key == "missing"

    differing = build_matrix([flask, django], only_differences=True)
    assert [row.feature.name for row in differing.rows] == ["Admin", "ORM"]


def test_facts_differ_by_their_comparable_values_and_free_text_only_by_presence():
    flask, django, fastapi = FrameworkFactory(), FrameworkFactory(), FrameworkFactory()
    licence = FeatureFactory(kind=Feature.Kind.FACT, value_kind="licence", name="Licence")
    python = FeatureFactory(kind=Feature.Kind.FACT, value_kind="version-constraint", name="Py")
    best_for = FeatureFactory(kind=Feature.Kind.FACT, name="Best for")
    half_known = FeatureFactory(kind=Feature.Kind.FACT, name="Built on")
    for framework, spelling in ((flask, "BSD-3-Clause"), (django, "BSD-3-Clause")):
        SupportFactory(framework=framework, feature=licence, level="", summary="BSD licence",
                       value=spelling)  # fmt: skip
    SupportFactory(framework=flask, feature=python, level="", summary="3.9+", value=">=3.9")
    SupportFactory(framework=django, feature=python, level="", summary="3.12+", value=">=3.12")
    # Free text cannot be compared word for word: present in both, the row agrees.
    SupportFactory(framework=flask, feature=best_for, level="", summary="Microservices")
    SupportFactory(framework=django, feature=best_for, level="", summary="Full-stack apps")
    SupportFactory(framework=flask, feature=half_known, level="", summary="Werkzeug")

    shown = build_matrix([flask, django], only_differences=True)
    assert {row.feature.name for row in shown.rows} == {"Py", "Built on"}
    assert build_matrix([flask, django], only_differences=False).rows.__len__() == 4
    # A missing cell differs from any other, for every kind of row.
    assert {row.feature.name for row in build_matrix([flask, fastapi], only_differences=True)
            .rows} == {"Licence", "Py", "Best for", "Built on"}  # fmt: skip


def test_the_compare_page_says_how_it_compares_rows(client):
    flask, django = FrameworkFactory(), FrameworkFactory()
    SupportFactory(framework=flask)
    response = client.get(f"/compare/{flask.slug}-vs-{django.slug}/", follow=True)
    content = response.content.decode()
    assert "How rows are compared" in content
    assert "Facts written as free text cannot be compared word for word" in content


def test_category_filter_and_disputed_cells():
    flask, django = FrameworkFactory(), FrameworkFactory()
    kept = FeatureFactory()
    FeatureFactory()  # another category
    cell = SupportFactory(framework=django, feature=kept, level="none")
    ClaimFactory(support=cell, level="native")
    matrix = build_matrix([flask, django], category_slugs=[kept.category.slug])
    assert [row.feature.pk for row in matrix.rows] == [kept.pk]
    assert matrix.rows[0].cells[1].disputed
    assert not matrix.rows[0].cells[0].disputed
    assert matrix.disputed_count == 1


@pytest.mark.parametrize(("frameworks", "features"), [(2, 5), (12, 60)])
def test_building_the_matrix_takes_the_same_queries_at_any_size(
    frameworks, features, django_assert_num_queries
):
    framework_rows, _ = build_synthetic(frameworks=frameworks, features=features)
    with django_assert_num_queries(2):  # features, cells
        matrix = build_matrix(framework_rows)
        drawn = [cell_html(cell) for cell in matrix.cells]
    assert len(drawn) == frameworks * features


# --- Golden HTML: each kind of cell, exactly as every page draws it -------------------------

CHECK = (
    '<svg class="icon icon-check" width="16" height="16" aria-hidden="true" focusable="false">'
    '<use href="#icon-check"/></svg>'
)
SOURCES = (
    '<svg class="icon icon-sources" width="16" height="16" aria-hidden="true" '
    'focusable="false"><use href="#icon-sources"/></svg>'
)
ALERT = (
    '<svg class="icon icon-alert" width="16" height="16" aria-hidden="true" focusable="false">'
    '<use href="#icon-alert"/></svg>'
)


@pytest.fixture
def line_up():
    flask = FrameworkFactory(slug="flask", name="Flask")
    feature = FeatureFactory(slug="websockets", name="WebSockets")
    return flask, feature


def drawn(framework, feature, **options):
    features = Feature.objects.filter(pk=feature.pk)
    return cell_html(build_matrix([framework], features=features).cells[0], **options)


def test_golden_a_capability_cell_with_packages_version_and_a_disputed_source(line_up):
    flask, feature = line_up
    cell = SupportFactory(
        framework=flask,
        feature=feature,
        level="native",
        summary="Via <Flask-SocketIO> & co",
        packages="Flask-SocketIO, gevent",
        since_version="2.0",
    )
    ClaimFactory(support=cell, source=SourceFactory(), level="none")
    assert drawn(flask, feature) == (
        '<td class="cell tone-native is-disputed" id="cell-flask-websockets" '
        'data-framework="flask" data-feature="websockets" data-reading="native" '
        'data-disputed="true">'
        f'<span class="reading tone-native">{CHECK}<span class="reading-label">Native</span>'
        "</span>"
        '<p class="cell-summary">Via &lt;Flask-SocketIO&gt; &amp; co</p>'
        '<p class="cell-packages"><span class="visually-hidden">Takes: </span>'
        "<code>Flask-SocketIO</code> <code>gevent</code></p>"
        '<p class="cell-since muted">since 2.0</p>'
        '<details class="cell-details"><summary><span class="footnote-mark">'
        f"{SOURCES}<span>1 source</span></span>"
        f'<span class="disputed-mark" title="Sources disagree">{ALERT}<span>Disputed</span>'
        "</span>"
        '<span class="visually-hidden"> for Flask &times; WebSockets</span></summary>'
        '<div class="cell-details-body"><a href="/frameworks/flask/websockets/" '
        "data-footnote>Read the sources</a></div></details></td>"
    )


def test_golden_a_rating_cell_with_notes_only(line_up):
    flask, _ = line_up
    curve = FeatureFactory(slug="learning-curve", name="Learning curve", kind="rating")
    gentle = ScalePointFactory(feature=curve, slug="gentle", label="Gentle", tone="positive")
    SupportFactory(
        framework=flask, feature=curve, level="", rating=gentle, summary="", notes="See *docs*."
    )
    up = (
        '<svg class="icon icon-up" width="16" height="16" aria-hidden="true" focusable="false">'
        '<use href="#icon-up"/></svg>'
    )
    assert drawn(flask, curve) == (
        '<td class="cell tone-positive" id="cell-flask-learning-curve" data-framework="flask" '
        'data-feature="learning-curve" data-reading="gentle" data-disputed="false">'
        f'<span class="reading tone-positive">{up}<span class="reading-label">Gentle</span>'
        "</span>"
        '<details class="cell-details"><summary><span class="footnote-mark">'
        f"{SOURCES}<span>Notes</span></span>"
        '<span class="visually-hidden"> for Flask &times; Learning curve</span></summary>'
        '<div class="cell-details-body"><a href="/frameworks/flask/learning-curve/" '
        "data-footnote>Read the notes</a></div></details></td>"
    )


def test_golden_a_fact_cell_without_sources(line_up):
    flask, _ = line_up
    fact = FeatureFactory(slug="optimal-for", name="Optimal for", kind="fact")
    SupportFactory(framework=flask, feature=fact, level="", summary="Small APIs")
    assert drawn(flask, fact) == (
        '<td class="cell tone-fact" id="cell-flask-optimal-for" data-framework="flask" '
        'data-feature="optimal-for" data-reading="fact" data-disputed="false">'
        '<p class="cell-fact">Small APIs</p>'
        '<p class="cell-unsourced muted">No source yet</p></td>'
    )


def test_golden_a_missing_cell_and_the_cell_page_form(line_up):
    flask, feature = line_up
    dash = (
        '<svg class="icon icon-dash" width="16" height="16" aria-hidden="true" '
        'focusable="false"><use href="#icon-dash"/></svg>'
    )
    assert drawn(flask, feature) == (
        '<td class="cell tone-missing" id="cell-flask-websockets" data-framework="flask" '
        'data-feature="websockets" data-reading="missing" data-disputed="false">'
        f'<span class="reading tone-missing">{dash}<span class="reading-label">No data</span>'
        "</span></td>"
    )
    SupportFactory(framework=flask, feature=feature, level="native", summary="")
    assert drawn(flask, feature, tag="div", footnote=False) == (
        '<div class="cell tone-native" id="cell-flask-websockets" data-framework="flask" '
        'data-feature="websockets" data-reading="native" data-disputed="false">'
        f'<span class="reading tone-native">{CHECK}<span class="reading-label">Native</span>'
        "</span></div>"
    )


def test_every_page_draws_a_cell_with_the_one_renderer(client, line_up):
    """The compare, framework, feature and cell pages all carry the golden HTML."""
    flask, feature = line_up
    django = FrameworkFactory(slug="django", name="Django")
    cell = SupportFactory(framework=flask, feature=feature, level="native", summary="Yes")
    ClaimFactory(support=cell, level="native")
    SupportFactory(framework=django, feature=feature, level="none")
    expected = drawn(flask, feature)
    for path in ("/frameworks/flask/", "/features/websockets/"):
        page = client.get(path).content.decode()
        assert expected in page, path
    # The compare page's cells carry their framework's name too, for the phone's cards.
    compare = client.get("/compare/django-vs-flask/").content.decode()
    assert drawn(flask, feature, label="Flask") in compare
    assert drawn(flask, feature, label="Flask") == expected.replace(
        'data-disputed="false">', 'data-disputed="false"><span class="cell-label">Flask</span>', 1
    )
    cell_page = client.get("/frameworks/flask/websockets/").content.decode()
    assert drawn(flask, feature, tag="div", footnote=False) in cell_page
    # Nothing else on any page draws a cell its own way.
    assert len(re.findall(r'class="cell tone-', cell_page)) == 1
