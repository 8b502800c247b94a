"""/choose/ and /api/v1/choose/: the ranked answer as a visitor sees it and as a program
reads it — the same answer, the same refusals, one canonical address, cached like any page."""

import re
from html import unescape

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import QueryDict
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from comparisons import choosing
from comparisons.caching import local_pages
from comparisons.choosing import MAX_REQUIREMENTS
from comparisons.forms import ChooseForm
from comparisons.models import Feature, Framework, Source
from tests.factories import (
    ClaimFactory,
    FeatureCategoryFactory,
    FeatureFactory,
    FrameworkFactory,
    RecommendationFactory,
    ScalePointFactory,
    SourceFactory,
    SupportFactory,
    UseCaseFactory,
    UseCaseRequirementFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def kb():
    """Fast beats Flask on points unless Flask's async support is read as "Blog one" reads
    it; Django trails whatever "Blog two" says of its async support."""
    fast = FrameworkFactory(slug="fast", name="Fast")
    flask = FrameworkFactory(slug="flask", name="Flask")
    django = FrameworkFactory(slug="django", name="Django")
    FrameworkFactory(slug="secret", name="Secret", status="draft")
    core = FeatureCategoryFactory(slug="core", name="Core", position=1)
    dx = FeatureCategoryFactory(slug="dx", name="Experience", position=2)
    asyncs = FeatureFactory(slug="async", name="Async support", category=core, position=1)
    ws = FeatureFactory(slug="ws", name="WebSockets", category=core, position=2)
    orm = FeatureFactory(slug="orm", name="ORM", category=core, position=3)
    FeatureFactory(slug="draft-feature", name="Hidden", category=core, status="draft")
    FeatureFactory(slug="python", name="Python versions", category=dx, kind="fact")
    curve = FeatureFactory(slug="curve", name="Learning curve", category=dx, kind="rating")
    gentle = ScalePointFactory(
        feature=curve, value=1, slug="gentle", label="Gentle", tone="positive"
    )
    ScalePointFactory(feature=curve, value=2, slug="moderate", label="Moderate", tone="neutral")
    steep = ScalePointFactory(feature=curve, value=3, slug="steep", label="Steep", tone="negative")
    one = SourceFactory(slug="blog-one", title="Blog one")
    two = SourceFactory(slug="blog-two", title="Blog two")
    SupportFactory(framework=fast, feature=asyncs, level="native")
    SupportFactory(framework=fast, feature=ws, level="none")
    flask_async = SupportFactory(framework=flask, feature=asyncs, level="partial")
    ClaimFactory(support=flask_async, source=one, level="native")
    ClaimFactory(support=flask_async, source=two, level="partial")
    SupportFactory(framework=flask, feature=ws, level="native")
    django_async = SupportFactory(framework=django, feature=asyncs, level="none")
    ClaimFactory(support=django_async, source=two, level="partial")
    SupportFactory(framework=django, feature=ws, level="extension")
    SupportFactory(framework=fast, feature=orm, level="extension")
    SupportFactory(framework=flask, feature=orm, level="unknown")
    # Django has no ORM cell at all: no data.
    SupportFactory(framework=fast, feature=curve, level="", rating=gentle)
    SupportFactory(framework=flask, feature=curve, level="", rating=gentle)
    SupportFactory(framework=django, feature=curve, level="", rating=steep)


FLIP = "/choose/?nice=async:3,ws:1"
LINK_TEXT = "Read the sources on this cell"


def page_answer(client, url):
    response = client.get(url, follow=True)
    html = response.content.decode()
    standings = re.findall(
        r'<li class="standing card" data-framework="([^"]+)" data-group="([^"]+)"'
        r' data-position="(\d+)"',
        html,
    )
    failing = re.findall(r'<th scope="row" rowspan="\d+" data-framework="([^"]+)"', html)
    standings += [(slug, "fails", "") for slug in dict.fromkeys(failing)]
    scores = re.findall(r'data-score="([^"]+)"', html)
    notes = [
        unescape(re.sub(r"<[^>]+>", "", note)).replace(LINK_TEXT, "").strip()
        for note in re.findall(r"<li data-unless[^>]*>(.*?)</li>", html, re.S)
    ]
    headline = re.search(r"<p class=\"answer-headline\" data-headline>(.*?)</p>", html)
    errors = re.search(r'id="choose-errors">.*?<ul>(.*?)</ul>', html, re.S)
    return {
        "status": response.status_code,
        "standings": [(slug, group, int(at) if at else None) for slug, group, at in standings],
        "scores": scores,
        "notes": notes,
        "headline": unescape(headline.group(1)) if headline else None,
        "errors": [unescape(e) for e in re.findall(r"<li>(.*?)</li>", errors.group(1))]
        if errors
        else [],
        "html": html,
    }


def outcomes(html):
    """(outcome, framework, feature) of each breakdown line, from its row and its cell."""
    return re.findall(
        r'<tr data-outcome="(\w+)">.*?<a class="cell-ref" href="[^"]+" '
        r'data-framework="([^"]+)" data-feature="([^"]+)"',
        html,
        re.S,
    )


def api_answer(client, url):
    response = client.get(url.replace("/choose/", "/api/v1/choose/"))
    body = response.json()
    if response.status_code != 200:
        return {
            "status": response.status_code,
            "errors": [m for ms in body["error"]["fields"].values() for m in ms],
        }
    return {
        "status": 200,
        "standings": [(s["framework"], s["group"], s["position"]) for s in body["standings"]],
        "scores": [s["score_exact"] for s in body["standings"] if s["group"] != "fails"],
        "notes": [note["text"] for note in body["notes"]],
        "headline": body["headline"],
        "body": body,
    }


def test_the_answer_is_ranked_with_a_line_per_requirement(client, kb):
    answer = page_answer(client, "/choose/?nice=ws:1&prefer=curve:gentle:2")
    assert answer["status"] == 200
    # Flask 1 + 2 = 3; Fast 0 + 2 = 2; Django 2/3 + 0
    assert answer["standings"] == [
        ("flask", "meets", 1),
        ("fast", "meets", 2),
        ("django", "meets", 3),
    ]
    assert answer["scores"] == ["3", "2", "2/3"]
    assert answer["headline"] == "Flask ranks first, with 3 of 3 points."
    html = answer["html"]
    flask = html[
        html.index('data-framework="flask" data-group') : html.index(
            'data-framework="fast" data-group'
        )
    ]
    # Each line: the requirement, the cell's verdict with its sources, linking to the cell.
    assert 'href="/frameworks/flask/ws/"' in flask
    assert "Nice to have: matters a little" in unescape(flask)
    assert "1 of 1" in flask and "2 of 2" in flask
    assert "Draft" not in html and "Secret" not in html  # drafts are not offered


def test_a_must_have_sets_apart_those_that_fail_it_with_the_evidence(client, kb):
    answer = page_answer(client, "/choose/?must=async:partial&nice=ws:1")
    assert answer["standings"] == [
        ("flask", "meets", 1),
        ("fast", "meets", 2),
        ("django", "fails", None),
    ]
    html = answer["html"]
    failing = html[html.index('id="group-fails"') :]
    assert ("fails", "django", "async") in outcomes(failing)
    assert 'href="/frameworks/django/async/"' in failing


def test_unknown_and_missing_cells_are_shown_as_unknown_not_as_a_pass_or_a_fail(client, kb):
    answer = page_answer(client, "/choose/?must=orm:partial")
    # Fast meets it; Flask says "unknown", Django has no cell: neither passes nor fails.
    assert answer["standings"] == [
        ("fast", "meets", 1), ("django", "unconfirmed", 1), ("flask", "unconfirmed", 1),
    ]  # fmt: skip
    html = answer["html"]
    assert 'id="group-unconfirmed"' in html and 'id="group-fails"' not in html
    assert [row for row in outcomes(html) if row[0] == "unknown"] == [
        ("unknown", "django", "orm"),
        ("unknown", "flask", "orm"),
    ]
    prefer = page_answer(client, "/choose/?nice=orm:3")
    assert "(up to 3 if its unknown cells turn out well)" in prefer["html"]


def test_a_reading_that_flips_first_place_is_said_on_the_page_and_in_the_api(client, kb):
    page = page_answer(client, FLIP)
    api = api_answer(client, FLIP)
    expected = (
        "Fast ranks first unless Flask's Async support is read as \u201cBlog one\u201d reads "
        "it (native): then Flask would rank first."
    )
    assert page["notes"] == [expected]
    assert api["notes"] == [expected]
    note = api["body"]["notes"][0]
    assert (note["framework"], note["feature"], note["sources"], note["first"]) == (
        "flask", "async", ["blog-one"], ["flask"],
    )  # fmt: skip
    assert note["cell"]["url"] == "/frameworks/flask/async/" and note["cell"]["disputed"]
    # Django's disputed async support, read as "Blog two" reads it, changes nothing: no note.
    assert not any("Django" in text for text in page["notes"])


def test_a_disputed_reading_that_changes_nothing_gives_no_unless_note(client, kb):
    url = "/choose/?nice=ws:3"  # Django's async cell is not touched; Flask leads on WebSockets
    assert page_answer(client, url)["notes"] == [] and api_answer(client, url)["notes"] == []
    touched = "/choose/?prefer=curve:steep:3&nice=async:1"  # Django leads whatever async says
    page = page_answer(client, touched)
    assert page["standings"][0][0] == "django"
    assert page["notes"] == [] and api_answer(client, touched)["notes"] == []
    assert "No single source's reading" in unescape(page["html"])


REQUESTS = [
    "/choose/?nice=ws:1&prefer=curve:gentle:2",
    "/choose/?must=async:partial&nice=ws:1",
    "/choose/?must=orm:partial",
    FLIP,
    "/choose/?frameworks=django,flask&nice=ws:2",
    # refused
    "/choose/?must=graphql:native",
    "/choose/?frameworks=django,secret&nice=ws:1",
    "/choose/?frameworks=django&nice=ws:1",
    "/choose/?must=async:great",
    "/choose/?nice=ws:9",
    "/choose/?prefer=curve:moderate:2",
    "/choose/?must=ws:native&nice=ws:2",
    "/choose/?must=curve:native",
    "/choose/?prefer=python:fast:1",
    "/choose/?must=draft-feature:native",
    "/choose/?use_case=nothing-like-it",
    "/choose/?must=dj%3Cango:native",
]


@pytest.mark.parametrize("url", REQUESTS)
def test_the_page_and_the_api_give_the_same_answer(client, kb, url):
    page, api = page_answer(client, url), api_answer(client, url)
    assert page["status"] == api["status"]
    if api["status"] == 200:
        for key in ("standings", "scores", "notes", "headline"):
            assert page[key] == api[key], key
    else:
        assert api["status"] == 400
        assert page["errors"] == api["errors"] and page["errors"]
        assert "data-choose" in page["html"]  # the form is shown again


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/choose/?must=graphql:native", "There is no feature called 'graphql'."),
        ("/choose/?frameworks=django,secret&nice=ws:1", "Unknown framework: 'secret'."),
        ("/choose/?must=async:great", "takes the lowest level that will do"),
        ("/choose/?nice=ws:0", "must be a whole number from 1 to 3"),
        ("/choose/?prefer=curve:moderate:2", "of 'Learning curve': gentle or steep."),
        ("/choose/?must=ws:native&nice=ws:2", "'WebSockets' is asked for twice"),
        ("/choose/?must=draft-feature:native", "There is no feature called 'draft-feature'."),
    ],
)  # fmt: skip
def test_bad_input_is_a_400_with_the_form_and_the_message(client, kb, url, message):
    response = client.get(url)
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert message in html
    assert "<form" in html and 'name="must"' in html


def test_more_than_the_limit_of_requirements_is_refused(client):
    features = FeatureFactory.create_batch(MAX_REQUIREMENTS + 1)
    FrameworkFactory.create_batch(2)
    url = "/choose/?nice=" + ",".join(f"{feature.slug}:1" for feature in features)
    response = client.get(url)
    assert response.status_code == 400
    assert f"State at most {MAX_REQUIREMENTS} requirements" in response.content.decode()
    assert api_answer(client, url)["status"] == 400


def test_a_query_over_the_limit_is_refused_before_any_work(client, kb):
    url = "/choose/?nice=ws:1&use_case=" + "x" * 3500
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 400
    assert "far too long" in response.content.decode()
    # The form is drawn again; no cell was read.
    assert not [query for query in queries if "comparisons_support" in query["sql"]]
    assert api_answer(client, url)["status"] == 400


@pytest.mark.parametrize(
    ("asked", "canonical"),
    [
        # The form's own spelling: repeated fields, most of them empty.
        ("must=&must=async:partial&nice=ws:2&nice=&prefer=", "must=async:partial&nice=ws:2"),
        ("nice=WS:1,Async:3", "nice=async:3,ws:1"),
        ("nice=ws", "nice=ws:2"),  # the default weight, written out
        ("prefer=curve:gentle&must=async:native", "must=async:native&prefer=curve:gentle:2"),
        ("frameworks=flask,django,fast&nice=ws:1", "nice=ws:1"),  # every one: the default
        ("frameworks=flask&frameworks=django&nice=ws:1", "frameworks=django,flask&nice=ws:1"),
    ],
)
def test_any_spelling_redirects_to_the_one_canonical_address(client, kb, asked, canonical):
    response = client.get(f"/choose/?{asked}")
    assert response.status_code == 302
    assert response["Location"] == f"/choose/?{canonical}"
    assert client.get(response["Location"]).status_code == 200


def test_the_answer_is_cached_and_answers_if_none_match(client, kb):
    cache.clear()
    local_pages.clear()
    first = client.get(FLIP)
    assert first.status_code == 200 and first.has_header("ETag")
    again = client.get(FLIP, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert client.get(FLIP)["X-Cache"] in ("hit", "local")


def test_compare_these_opens_the_ranked_frameworks_on_the_requirements_features(client, kb):
    answer = page_answer(client, "/choose/?must=async:partial&nice=ws:1")
    link = re.search(r'href="([^"]+)" data-compare-these', answer["html"]).group(1)
    # Django fails the must-have: the line-up is the ranked frameworks, in canonical order.
    assert unescape(link) == "/compare/fast-vs-flask/?features=async,ws"
    assert api_answer(client, "/choose/?must=async:partial&nice=ws:1")["body"][
        "compare_url"
    ] == unescape(link)


def test_a_close_call_is_said(client, kb):
    answer = page_answer(client, "/choose/?prefer=curve:gentle:1")
    assert "A close call: Fast and Flask have the same points" in unescape(answer["html"])
    assert answer["standings"][:2] == [("fast", "meets", 1), ("flask", "meets", 1)]


def test_the_form_without_requirements_and_the_method_page(client, kb):
    page = client.get("/choose/").content.decode()
    assert 'name="must"' in page and 'value="async:native"' in page
    assert 'value="curve:gentle:3"' in page  # a preference on the scale's wanted end
    assert 'value="python' not in page  # facts are not scored
    method = unescape(client.get("/choose/method/").content.decode())
    assert "none 0, partial 0.33, via extension 0.67, native 1" in method
    assert "no more than 10% of the possible points apart" in method


@pytest.mark.parametrize(
    "query",
    [
        "nice=ws:1&prefer=curve:gentle:2",  # ranked, with ties below the first
        "must=async:partial&nice=ws:1",  # one framework failing
        "must=orm:partial",  # unconfirmed
        "must=async:native,orm:native",  # every one failing, one on two must-haves
        "prefer=curve:gentle:1",  # a tie for first
    ],
)
def test_the_standings_writer_gives_the_plain_templates_bytes(kb, query):
    """`choosing.standings_html` is a fast path: the partial template is the plain one."""
    form = ChooseForm.of_query(QueryDict(query), query)
    assert form.is_valid(), form.errors
    answer = choosing.presented(choosing.choose_for(form.cleaned_data))
    plain = render_to_string("comparisons/partials/_standings.html", {"answer": answer})
    assert choosing.standings_html(answer) == plain.strip()
    assert "<li" in plain or "group-fails" in plain


def test_a_use_case_starts_from_its_preset_and_shows_the_sources_beside_the_ranking(client, kb):
    realtime = UseCaseFactory(slug="realtime", name="Real-time")
    UseCaseRequirementFactory(use_case=realtime, feature=Feature.objects.get(slug="ws"), weight=3)
    blog_one, blog_two = Source.objects.get(slug="blog-one"), Source.objects.get(slug="blog-two")
    frameworks = {framework.slug: framework for framework in Framework.objects.all()}
    RecommendationFactory(use_case=realtime, framework=frameworks["flask"], source=blog_one)
    RecommendationFactory(  # called suitable: agreeing means it meets every must-have
        use_case=realtime, framework=frameworks["django"], source=blog_two, fit="suitable"
    )
    RecommendationFactory(  # advised against, yet first: they differ
        use_case=realtime, framework=frameworks["fast"], source=blog_two, fit="recommended"
    )

    response = client.get("/choose/?use_case=realtime")
    assert response.status_code == 302
    assert response["Location"] == "/choose/?nice=ws:3&use_case=realtime"
    answer = page_answer(client, response["Location"])
    assert answer["standings"][0] == ("flask", "meets", 1)  # WebSockets: native
    lines = re.findall(r"<li>([^<]*They (?:agree|differ)\.)</li>", unescape(answer["html"]))
    assert lines == [
        "Django: called suitable by \u201cBlog two\u201d; here it ranks 2nd. They agree.",
        "Fast: recommended by \u201cBlog two\u201d; here it ranks 3rd. They differ.",
        "Flask: recommended by \u201cBlog one\u201d; here it ranks 1st. They agree.",
    ]
    assert api_answer(client, response["Location"])["body"]["recommendations"] == lines
