"""The shipped knowledge base's fourteen frameworks on every surface that lists or compares
them (issue 19): the picker, home, compare, choose, search and the API handle them, and no
page takes more queries with fourteen frameworks than with the first four.

The knowledge base is loaded once for the module (as test_knowledge_base does); a test that
wants the four-framework site turns the other ten into drafts inside its own transaction.
"""

import re

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from comparisons.caching import local_pages
from comparisons.choices import FRAMEWORK_KIND_HEADINGS, Status
from comparisons.models import Framework, Support
from comparisons.views import compare_url

ORIGINAL_FOUR = ("django", "django-rest-framework", "fastapi", "flask")
ADDED = ("aiohttp", "bottle", "django-ninja", "falcon", "litestar", "pyramid", "quart",
         "sanic", "starlette", "tornado")  # fmt: skip
SIX = ("django", "fastapi", "flask", "litestar", "sanic", "starlette")


def get(client, url, status=200):
    accept = "application/json" if url.startswith("/api/") else "text/html"
    response = client.get(url, HTTP_ACCEPT=accept, follow=True)
    assert response.status_code == status, (url, response.status_code)
    return response


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        get(client, url)
    return len(captured)


def line_up(slugs):
    """The compare page's address for these frameworks."""
    return compare_url(Framework.objects.filter(slug__in=slugs))


def only_the_original_four():
    Framework.objects.exclude(slug__in=ORIGINAL_FOUR).update(status=Status.DRAFT)


pytestmark = pytest.mark.django_db


def test_fourteen_frameworks_are_published(loaded):
    published = set(Framework.objects.published().values_list("slug", flat=True))
    assert published == {*ORIGINAL_FOUR, *ADDED}


def picker_groups(html):
    """{heading: [framework slugs]} as the picker shows them."""
    picker = html.split('class="picker"', 1)[1].split("</form>", 1)[0]
    groups = {}
    for block in picker.split('<fieldset class="picker-group">')[1:]:
        heading = re.search(r'<legend class="picker-group-heading">([^<]+)</legend>', block)[1]
        groups[heading] = re.findall(r'name="frameworks" value="([^"]+)"', block)
    return groups


@pytest.mark.parametrize("url", ["/", "/compare/"])
def test_the_picker_groups_the_fourteen_by_kind(client, loaded, url):
    groups = picker_groups(get(client, url).content.decode())
    assert sum(len(slugs) for slugs in groups.values()) == 14
    by_kind = {}
    for framework in Framework.objects.published():
        by_kind.setdefault(FRAMEWORK_KIND_HEADINGS[framework.kind], set()).add(framework.slug)
    assert {heading: set(slugs) for heading, slugs in groups.items()} == by_kind
    # In the kinds' order, each kind under its own heading: not one long wall.
    assert list(groups) == [h for h in FRAMEWORK_KIND_HEADINGS.values() if h in groups]
    assert len(groups) == len({framework.kind for framework in Framework.objects.published()}) == 4


def test_a_six_framework_compare_page_has_a_column_and_a_sourced_cell_each(client, loaded):
    html = get(client, line_up(SIX)).content.decode()
    head = html.split("<thead", 1)[1].split("</thead>", 1)[0]
    for framework in Framework.objects.filter(slug__in=SIX):
        assert framework.name in head
    # Every cell of the six is drawn, each linking to the page with its sources.
    cells = Support.objects.published().filter(framework__slug__in=SIX)
    for cell in cells:
        assert cell.get_absolute_url() in html, cell


def test_all_fourteen_compare_and_the_api_compares_them_too(client, loaded):
    slugs = sorted(Framework.objects.published().values_list("slug", flat=True))
    html = get(client, line_up(slugs)).content.decode()
    assert html.split("<thead", 1)[1].count('scope="col"') >= 14
    data = client.get(f"/api/v1/compare/?frameworks={','.join(SIX)}").json()
    assert [framework["slug"] for framework in data["frameworks"]] == list(SIX)


def test_choose_ranks_all_fourteen_and_explains_each(client, loaded):
    html = get(client, "/choose/?use_case=high-performance-api").content.decode()
    for framework in Framework.objects.published():
        assert framework.name in html
    data = client.get("/api/v1/choose/?use_case=high-performance-api").json()
    ranked = [standing["framework"] for standing in data["standings"]]
    assert sorted(ranked) == sorted(Framework.objects.published().values_list("slug", flat=True))


def test_the_choose_form_groups_the_frameworks_by_kind(client, loaded):
    html = get(client, "/choose/").content.decode()
    form = html.split('class="choose-frameworks"', 1)[1].split("</fieldset>", 1)[0]
    headings = re.findall(r'<span class="check-group-heading">([^<]+)</span>', form)
    assert headings == [h for h in FRAMEWORK_KIND_HEADINGS.values() if h in headings]
    assert len(re.findall(r'name="frameworks"', form)) == 14


def test_search_finds_the_new_frameworks_by_name_and_by_what_their_cells_say(client, loaded):
    html = get(client, "/search/?q=litestar").content.decode()
    assert "/frameworks/litestar/" in html
    html = get(client, "/search/?q=tornado+websocket").content.decode()
    assert "/frameworks/tornado/websockets/" in html  # its cell, found by what it says
    data = client.get("/api/v1/frameworks/?search=sanic").json()
    assert [framework["slug"] for framework in data["results"]] == ["sanic"]


def test_the_api_lists_all_fourteen(client, loaded):
    data = client.get("/api/v1/frameworks/?page_size=50").json()
    assert data["count"] == 14
    assert {row["slug"] for row in data["results"]} == {*ORIGINAL_FOUR, *ADDED}


SURFACES = {
    "home": lambda: "/",
    "picker": lambda: "/compare/",
    "compare": lambda: line_up(ORIGINAL_FOUR),
    "choose": lambda: "/choose/?use_case=high-performance-api",
    "search": lambda: "/search/?q=async",
    "api-frameworks": lambda: "/api/v1/frameworks/",
    "api-compare": lambda: f"/api/v1/compare/?frameworks={','.join(ORIGINAL_FOUR)}",
    "api-choose": lambda: "/api/v1/choose/?use_case=high-performance-api",
}


def test_no_surface_takes_more_queries_with_fourteen_frameworks_than_with_four(client, loaded):
    def measure():
        counts = {}
        for name, url in SURFACES.items():
            cache.clear()
            local_pages.clear()
            counts[name] = queries(client, url())
        return counts

    fourteen = measure()
    with transaction.atomic():
        only_the_original_four()
        four = measure()
        transaction.set_rollback(True)
    assert fourteen == four
    # The compare page costs the same with six or fourteen columns as with four.
    cache.clear()
    local_pages.clear()
    assert queries(client, line_up(SIX)) == fourteen["compare"]
