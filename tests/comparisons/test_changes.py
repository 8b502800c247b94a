"""/changes/ and its feed: pages, filters, one entry per bulk write, links to record pages."""

import re
import xml.etree.ElementTree as ET

import pytest
from import_export.formats.base_formats import CSV

from comparisons.feeds import CHANGES_PER_PAGE
from comparisons.models import Benchmark, Claim, Framework, Source, Support
from comparisons.resources import SupportResource
from comparisons.services import knowledge_base_load
from tests.comparisons.test_views_queries import populate
from tests.comparisons.web_data import build_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    return build_site()


def listed(response):
    """The entries of a /changes/ page, as their text."""
    assert response.status_code == 200
    items = re.findall(r'<li class="change">(.*?)</li>', response.content.decode(), re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", item)).strip() for item in items]


def feed_links(client, query=""):
    root = ET.fromstring(client.get("/changes/feed/" + query).content)
    return {item.findtext("title"): item.findtext("link") for item in root.iter("item")}


def test_a_knowledge_base_load_is_one_entry_that_says_what_it_added(client):
    knowledge_base_load()
    flask = Framework.objects.get(slug="flask")
    flask.tagline = "Edited after the load."
    flask.save()
    entries = listed(client.get("/changes/"))
    assert len(entries) == 2
    assert "Edited after the load." in entries[0]
    load = entries[1]
    assert "Loaded from the shipped knowledge base" in load
    cells, sources = Support.objects.published().count(), Source.objects.published().count()
    assert f"{cells} cells" in load and f"{sources} sources" in load
    assert f"{Claim.objects.published().count()} claims" in load
    assert f"{Benchmark.objects.published().count()} benchmarks" in load
    assert load.endswith("added.")


def test_a_file_import_is_one_entry(client, site):
    data = CSV().create_dataset(
        "framework,feature,level,rating,summary,packages\n"
        "flask,websockets,native,,Now built in,\n"
        "django,websockets,native,,Now built in too,\n"
    )
    result = SupportResource().import_data(data, dry_run=False, raise_errors=True)
    assert not result.has_validation_errors()
    entries = listed(client.get("/changes/"))
    assert entries[0].endswith("Imported from a file 2 cells changed.")
    assert "Now built in" not in entries[1]  # the two rows are in that one entry only


def test_pages_of_changes_older_and_newer(client, site):
    for number in range(CHANGES_PER_PAGE + 5):
        site.flask.tagline = f"Tagline number {number}."
        site.flask.save()
    first = client.get("/changes/")
    assert len(listed(first)) == CHANGES_PER_PAGE
    assert "Tagline number 54." in listed(first)[0]
    assert 'rel="next" href="?page=2"' in first.content.decode()
    second = listed(client.get("/changes/?page=2"))
    assert second and "Tagline number 4." in second[0]
    assert not any("Tagline number 54." in entry for entry in second)


@pytest.mark.parametrize(
    ("query", "status", "named"),
    [
        ("?page=abc", 400, "abc"),
        ("?page=99", 404, ""),
        ("?page=0", 404, ""),
        ("?kind=gizmo", 400, "gizmo"),
        ("?framework=nosuchframe", 400, "nosuchframe"),
        ("?framework=secretframe", 400, "secretframe"),  # a draft is not a filter
        ("?kind=source&framework=flask", 400, "sources"),
        ("?record=3", 400, "kind"),
        ("?kind=cell&record=x1", 400, "x1"),
    ],
)
def test_bad_filters_and_pages_are_a_clear_4xx(client, site, query, status, named):
    response = client.get("/changes/" + query)
    assert response.status_code == status
    assert named in response.content.decode()


def test_filter_by_kind_and_by_framework(client, site):
    cells = listed(client.get("/changes/?kind=cell"))
    assert cells and all(" Cell " in entry for entry in cells)
    flask = listed(client.get("/changes/?framework=flask"))
    assert flask and all("Flask" in entry for entry in flask)
    assert not any("Django ×" in entry for entry in flask)
    both = listed(client.get("/changes/?kind=cell&framework=django"))
    assert both and all(entry.count("Django ×") == 1 for entry in both)
    page = client.get("/changes/?kind=cell&framework=django").content.decode()
    assert '<option value="cell" selected>' in page
    assert '<option value="django" selected>' in page


def test_the_feed_links_each_change_to_its_records_own_page(client, site):
    links = feed_links(client)
    cell_link = links["Added: cell — Django × Async support"]
    assert cell_link == "http://testserver/frameworks/django/async-support/"
    assert client.get(cell_link).status_code == 200
    use_case = next(link for title, link in links.items() if "use case" in title)
    assert use_case == "http://testserver/use-cases/simple-crud-api/"
    assert not any("#feature-" in link for link in links.values())


def test_a_deleted_record_links_to_the_changes_filtered_to_it(client, site):
    cell = Support.objects.get(framework=site.flask, feature__slug="routing")
    cell_id = cell.pk
    cell.delete()
    links = feed_links(client)
    title, link = next((t, v) for t, v in links.items() if t.startswith("Deleted"))
    assert "Flask × Routing" in title
    assert link == f"http://testserver/changes/?kind=cell&record={cell_id}"
    entries = listed(client.get(link.removeprefix("http://testserver")))
    assert " Deleted Cell Flask × Routing" in entries[0]
    assert len(entries) == 1  # only its deletion: its versions went with the record


@pytest.mark.parametrize(("frameworks", "features"), [(2, 5), (12, 60)])
def test_filtered_changes_take_a_fixed_number_of_queries(
    client, frameworks, features, django_assert_num_queries
):
    populate(frameworks, features)
    slug = Framework.objects.order_by("pk").first().slug
    # As the unfiltered page (16), plus the framework filter's lookup; only the 7 kinds of
    # record that are about a framework are read.
    with django_assert_num_queries(1 + 2 + 7 + 1):
        response = client.get(f"/changes/?framework={slug}")
    assert listed(response) and all("Framework" in entry for entry in listed(response))
