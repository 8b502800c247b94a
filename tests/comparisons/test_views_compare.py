"""The compare page: picker, canonical URLs, filters, cells the API can match, bad input."""

import re

import pytest
from django.core.management import call_command

from comparisons.models import Support
from tests.comparisons.web_data import build_site
from tests.factories import build_matrix

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    return build_site()


def cells_of(content):
    """(framework, feature, reading, disputed) for every matrix cell on the page."""
    return re.findall(
        r'<td class="cell[^"]*" id="[^"]+" data-framework="([^"]+)" data-feature="([^"]+)" '
        r'data-reading="([^"]*)" data-disputed="(true|false)"',
        content,
    )


def test_the_query_string_form_redirects_permanently_to_the_canonical_url(client, site):
    response = client.get("/compare/", {"frameworks": "Django, flask,fastapi,flask"})
    assert response.status_code == 301
    assert response["Location"] == "/compare/django-vs-fastapi-vs-flask/"


@pytest.mark.parametrize(
    "address",
    [
        "/compare/flask-vs-django/",  # order
        "/compare/Django-vs-FLASK/",  # case
        "/compare/FLASK-vs-django-vs-flask/",  # order, case and a repeat
        "/compare/?frameworks=flask,django",  # the query-string form
        "/compare/?frameworks=Flask&frameworks=DJANGO",  # repeated, in capitals
        "/compare/?frameworks=+flask+,+django+",
    ],
)
def test_every_spelling_of_one_set_of_frameworks_answers_301_to_its_one_address(
    client, site, address
):
    response = client.get(address)
    assert response.status_code == 301
    assert response["Location"] == "/compare/django-vs-flask/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert '<link rel="canonical" href="http://testserver/compare/django-vs-flask/">' in (
        page.content.decode()
    )


def test_a_non_canonical_address_keeps_its_filters_through_the_redirect(client, site):
    response = client.get("/compare/flask-vs-django/?only_differences=1&category=architecture")
    assert response.status_code == 301
    assert response["Location"] == (
        "/compare/django-vs-flask/?category=architecture&only_differences=1"
    )


def test_the_picker_sends_repeated_parameters_and_filters_survive_the_redirect(client, site):
    response = client.get(
        "/compare/",
        {"frameworks": ["flask", "django"], "category": "architecture", "only_differences": "1"},
    )
    assert response.status_code == 301
    assert response["Location"] == (
        "/compare/django-vs-flask/?category=architecture&only_differences=1"
    )


def test_a_non_canonical_path_redirects_permanently(client, site):
    response = client.get("/compare/Flask-vs-django-vs-flask/")
    assert response.status_code == 301
    assert response["Location"] == "/compare/django-vs-flask/"


def test_the_matrix_groups_features_by_category_with_one_column_per_framework(client, site):
    response = client.get("/compare/django-vs-fastapi-vs-flask/")
    assert response.status_code == 200
    content = response.content.decode()
    assert content.index("Architecture") < content.index("Developer experience")
    assert re.findall(
        r'<th scope="col" class="framework-head"><a href="/frameworks/(\w+)/"', content
    ) == [
        "django",
        "fastapi",
        "flask",
    ]
    cells = cells_of(content)
    assert ("django", "async-support", "partial", "true") in cells
    assert ("flask", "async-support", "partial", "false") in cells
    assert ("flask", "learning-curve", "gentle", "false") in cells
    assert ("fastapi", "learning-curve", "missing", "false") in cells
    assert ("flask", "optimal-for", "fact", "false") in cells
    assert len(cells) == 3 * 5  # five published features, three frameworks
    assert "<caption" in content and 'scope="row"' in content and 'scope="colgroup"' in content
    assert "Legend" in content
    assert "<code>Flask-SocketIO</code>" in content  # the packages a cell takes


def test_each_cell_reads_as_icon_and_word_not_colour_alone(client, site):
    content = client.get("/compare/django-vs-fastapi/").content.decode()
    native = re.search(r'<span class="reading tone-native">(.*?)</span></span>', content).group(1)
    assert "<svg" in native and "Native" in native


def test_a_disputed_cell_leads_to_the_claims_that_disagree(client, site):
    content = client.get("/compare/django-vs-flask/").content.decode()
    cell = content[content.index('id="cell-django-async-support"') :]
    cell = cell[: cell.index("</td>")]
    assert "Disputed" in cell
    assert "2 sources" in cell
    # The claims are the cell's footnote: its own page, linked from the cell.
    footnote = re.search(r'<a href="(/frameworks/django/[a-z-]+/)" data-footnote>Read the', cell)
    assert footnote

    page = client.get(footnote.group(1))
    assert page.status_code == 200
    sources = page.content.decode()
    sources = sources[sources.index("data-cell-sources") :]
    assert "The sources disagree" in sources
    assert "Fully async." in sources
    assert "claim-disagrees" in sources
    assert 'href="/sources/another-article/' in sources


def test_a_cell_page_is_found_only_for_published_frameworks_and_features(client, site):
    assert client.get("/frameworks/django/websockets/").status_code == 200
    assert client.get("/frameworks/django/no-such-feature/").status_code == 404
    draft = site.draft_framework.slug
    assert client.get(f"/frameworks/{draft}/async-support/").status_code == 404


def test_a_cell_without_claims_or_notes_says_it_has_no_source(client, site):
    cell = Support.objects.get(framework__slug="flask", feature__slug="websockets")
    cell.claims.all().delete()
    content = client.get("/compare/django-vs-flask/").content.decode()
    html = content[content.index('id="cell-flask-websockets"') :]
    html = html[: html.index("</td>")]
    assert "No source yet" in html
    assert "<details" not in html


def test_a_cell_in_any_script_reads_as_written_on_the_page(client, site):
    cell = Support.objects.get(framework__slug="flask", feature__slug="websockets")
    cell.summary = "Über Erweiterungen — 拡張機能 🔌 & <b>nicht</b> eingebaut"
    cell.save()
    response = client.get("/compare/django-vs-flask/")
    content = response.content.decode("utf-8")
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "Über Erweiterungen — 拡張機能 🔌 &amp; &lt;b&gt;nicht&lt;/b&gt; eingebaut" in content
    # The page around the matrix (its own non-ASCII marks) is intact on both sides.
    assert content.count("<table") == content.count("</table>") == 1
    assert content.rstrip().endswith("</html>")


def test_a_cell_with_notes_but_no_claims_links_to_its_notes(client, site):
    cell = Support.objects.get(framework__slug="flask", feature__slug="websockets")
    cell.claims.all().delete()
    cell.notes = "Through **Flask-SocketIO**."
    cell.save()
    content = client.get("/compare/django-vs-flask/").content.decode()
    html = content[content.index('id="cell-flask-websockets"') :]
    html = html[: html.index("</td>")]
    assert "<span>Notes</span>" in html
    assert "No source yet" not in html
    page = client.get("/frameworks/flask/websockets/").content.decode()
    assert "<strong>Flask-SocketIO</strong>" in page
    assert "No source makes a claim about this cell yet." in page


def test_only_rows_that_differ(client, site):
    everything = cells_of(client.get("/compare/django-vs-flask/").content.decode())
    differing = cells_of(
        client.get("/compare/django-vs-flask/", {"only_differences": "1"}).content.decode()
    )
    assert {feature for _, feature, _, _ in everything} == {
        "async-support",
        "websockets",
        "routing",
        "learning-curve",
        "optimal-for",
    }
    # Both partial for async, 'extension' for WebSockets, native routing: those rows go;
    # so does 'optimal for', free text in both (it cannot be compared word for word).
    assert {feature for _, feature, _, _ in differing} == {"learning-curve"}


def test_category_filter(client, site):
    content = client.get("/compare/django-vs-flask/", {"category": "experience"}).content.decode()
    assert {feature for _, feature, _, _ in cells_of(content)} == {"learning-curve", "optimal-for"}
    assert 'value="experience" checked' in content


def features_of(content):
    """The feature rows of the matrix on the page, in the order shown."""
    return list(dict.fromkeys(feature for _, feature, _, _ in cells_of(content)))


def test_chosen_features_are_the_only_rows_in_the_matrixs_order(client, site):
    response = client.get(
        "/compare/django-vs-flask/", {"features": "optimal-for,Routing,async-support"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert features_of(content) == ["async-support", "routing", "optimal-for"]
    assert "3 features shown (filtered)" in content
    assert 'Showing 3 chosen features · <a href="/compare/django-vs-flask/">Show every feature' in (
        content
    )
    # Ticking a category keeps the restriction: the filter form carries it, canonically.
    assert '<input type="hidden" name="features" value="async-support,optimal-for,routing">' in (
        content
    )


def test_chosen_features_and_categories_combine(client, site):
    content = client.get(
        "/compare/django-vs-flask/?features=optimal-for&features=routing&category=experience"
    ).content.decode()
    assert features_of(content) == ["optimal-for"]
    assert "Showing 2 chosen features" in content
    # "Show every feature" drops the features alone.
    assert '<a href="/compare/django-vs-flask/?category=experience">Show every feature' in content
    nothing = client.get(
        "/compare/django-vs-flask/", {"features": "routing", "category": "experience"}
    ).content.decode()
    assert "No rows to show" in nothing
    assert "None of the chosen features is in the chosen categories." in nothing


def test_the_redirect_carries_the_chosen_features_in_one_spelling(client, site):
    response = client.get(
        "/compare/?frameworks=flask,django&features=Routing,async-support"
        "&features=routing&category=architecture"
    )
    assert response.status_code == 301
    assert response["Location"] == (
        "/compare/django-vs-flask/?category=architecture&features=async-support,routing"
    )
    response = client.get("/compare/Flask-vs-django/?features=websockets,async-support")
    assert response.status_code == 301
    assert response["Location"] == "/compare/django-vs-flask/?features=async-support,websockets"


def test_changing_the_line_up_keeps_the_chosen_features(client, site):
    content = client.get("/compare/django-vs-flask/?features=routing,async-support").content
    content = content.decode()
    assert 'href="/compare/django-vs-fastapi-vs-flask/?features=async-support,routing">+ ' in (
        content
    )
    three = client.get("/compare/django-vs-fastapi-vs-flask/?features=routing").content.decode()
    assert 'href="/compare/django-vs-fastapi/?features=routing">&minus; Flask' in three
    assert features_of(three) == ["routing"]


@pytest.mark.parametrize("slug", ["nope", "hiddenfeature"])  # a draft's is unknown too
@pytest.mark.parametrize(
    "url", ["/compare/?frameworks=flask,django&", "/compare/flask-vs-django/?"]
)
def test_an_unknown_or_draft_feature_is_a_400_that_names_it(client, site, slug, url):
    response = client.get(f"{url}features=routing,{slug}")
    assert response.status_code == 400
    content = response.content.decode()
    assert f"There is no feature called &#x27;{slug}&#x27;." in content
    assert 'href="/compare/django-vs-flask/">Show the comparison without filters' in content
    assert "Hiddenfeature" not in content


def test_at_most_300_features_at_once(client, site):
    slugs = ",".join(f"f{number}" for number in range(301))
    response = client.get(f"/compare/flask-vs-django/?features={slugs}")
    assert response.status_code == 400
    assert "Choose at most 300 features at once." in response.content.decode()


def test_filters_that_leave_nothing_say_so(client, site):
    content = client.get(
        "/compare/django-vs-flask/", {"category": "architecture", "only_differences": "1"}
    ).content.decode()
    assert "No rows to show" in content


def test_the_bare_compare_page_is_the_picker(client, site):
    response = client.get("/compare/")
    assert response.status_code == 200
    assert 'name="frameworks"' in response.content.decode()


@pytest.mark.parametrize(
    "url",
    ["/compare/?frameworks=flask", "/compare/?frameworks=", "/compare/?frameworks=flask,,flask"],
)
def test_fewer_than_two_frameworks_gives_the_picker_with_a_message(client, site, url):
    response = client.get(url)
    assert response.status_code == 400
    content = response.content.decode()
    assert "Pick at least two frameworks to compare." in content
    assert 'name="frameworks"' in content


def test_one_framework_in_the_path_gives_the_picker_too(client, site):
    response = client.get("/compare/flask/")
    assert response.status_code == 400
    content = response.content.decode()
    assert "Pick at least two" in content
    assert 'value="flask" checked' in content


@pytest.mark.parametrize("url", ["/compare/?frameworks=flask,nope", "/compare/flask-vs-nope/"])
def test_an_unknown_slug_gives_a_404_that_names_it_and_offers_the_known_ones(client, site, url):
    response = client.get(url)
    assert response.status_code == 404
    content = response.content.decode()
    assert "Unknown framework: &#x27;nope&#x27;." in content
    assert '<code class="unknown-slug">nope</code>' in content
    for slug in ("django", "fastapi", "flask"):
        assert f'href="/frameworks/{slug}/"' in content


@pytest.mark.parametrize(
    "query",
    [
        "frameworks=" + "a" * 10_000,
        "frameworks=flask," + "x" * 10_000,
        "frameworks=flask,django&category=" + "c" * 10_000,
        "frameworks=flask,django&only_differences=" + "1" * 10_000,
        "frameworks=flask%00,django",
        "frameworks=%00",
        "frameworks=flask,%FF",
        "frameworks=%FF%FE",
        "frameworks=flask,dj%C3%A4ngo",
        "frameworks=flask,<script>",
        "frameworks=flask,django&category=%00",
        "frameworks=flask,django&category=%FF",
        "frameworks=flask,django&features=%00",
        "frameworks=flask,django&features=routing,<b>",
        "frameworks=flask,django&features=" + "f," * 2_000,
        "frameworks=flask,django&only_differences=%FF",
    ],
)
def test_bad_query_strings_give_a_clear_4xx_never_a_500(client, site, query):
    response = client.get(f"/compare/?{query}")
    assert 400 <= response.status_code < 500
    content = response.content.decode()
    assert "Skip to content" in content  # the friendly page, in the site layout
    assert len(content) < 50_000  # the bad value is not echoed back in full


@pytest.mark.parametrize(
    "path",
    [
        "/compare/" + "a" * 10_000 + "-vs-flask/",
        "/compare/flask-vs-%00/",
        "/compare/flask-vs-%FF/",
        "/compare/flask-vs-django/?category=%00",
        "/compare/flask-vs-django/?category=nope",
        "/compare/flask-vs-django/?only_differences=" + "1" * 10_000,
        "/compare/" + "-vs-".join(f"f{n}" for n in range(20)) + "/",
    ],
)
def test_bad_paths_give_a_clear_4xx_never_a_500(client, site, path):
    response = client.get(path)
    assert 400 <= response.status_code < 500
    assert "Skip to content" in response.content.decode()


def test_an_unknown_category_names_the_known_ones(client, site):
    response = client.get("/compare/flask-vs-django/", {"category": "nope"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "no feature category called &#x27;nope&#x27;" in content
    assert "<code>architecture</code>" in content


# Published frameworks (the line-up and the others), features, cells (with their summaries
# of their sources and its date: no query for claims).
COMPARE_QUERIES = 3


@pytest.mark.parametrize(("frameworks", "features"), [(2, 5), (12, 60)])
def test_the_compare_page_takes_the_same_queries_at_any_size(
    client, frameworks, features, django_assert_num_queries
):
    framework_rows, _ = build_matrix(frameworks=frameworks, features=features, claims_per_cell=2)
    url = "/compare/" + "-vs-".join(framework.slug for framework in framework_rows) + "/"
    with django_assert_num_queries(COMPARE_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert len(cells_of(response.content.decode())) == frameworks * features
    assert COMPARE_QUERIES <= 8


def test_only_rows_that_differ_on_the_shipped_django_fastapi_flask_hides_what_agrees(client):
    call_command("load_knowledge_base", verbosity=0)
    path = "/compare/django-vs-fastapi-vs-flask/"
    every = features_of(client.get(path).content.decode())
    differing = features_of(client.get(path, {"only_differences": "1"}).content.decode())
    # Two rows agree on their level or rating; three are free text present in all three.
    # The Python versions and licences are compared by value, and differ.
    assert sorted(set(every) - set(differing)) == [
        "best-for",
        "development-speed",
        "framework-type",
        "server-interface",
        "test-client",
    ]
    assert {"python-version", "open-source", "built-on"} <= set(differing)
