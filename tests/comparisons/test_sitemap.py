"""sitemap.xml: every public page with content, at its canonical address, with lastmod."""

import xml.etree.ElementTree as ET
from datetime import timedelta
from itertools import combinations

import pytest
from django.utils import timezone

from comparisons import tasks
from comparisons.models import Framework, Support
from comparisons.views import compare_url
from tests.comparisons.test_views_queries import populate
from tests.comparisons.web_data import build_site

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def entries(client):
    """{path: lastmod or None} of every URL the sitemap lists."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    found = {}
    for url in root.findall("sm:url", NS):
        path = url.find("sm:loc", NS).text.removeprefix("http://testserver")
        lastmod = url.find("sm:lastmod", NS)
        assert path not in found, f"{path} listed twice"
        found[path] = lastmod.text if lastmod is not None else None
    return found


def test_every_pair_of_published_frameworks_at_its_canonical_address(client):
    site = build_site()
    listed = entries(client)
    pairs = [path for path in listed if path.startswith("/compare/")]
    published = [site.django, site.fastapi, site.flask]
    assert sorted(pairs) == sorted(compare_url([a, b]) for a, b in combinations(published, 2))
    assert "/compare/django-vs-flask/" in pairs  # slugs sorted, never flask-vs-django
    assert not any("secretframe" in path for path in listed)


def test_every_published_cell_page_and_no_draft_one(client):
    site = build_site()
    listed = entries(client)
    cells = {path for path in listed if path.count("/") == 4 and path.startswith("/frameworks/")}
    assert cells == {cell.get_absolute_url() for cell in Support.objects.published()}
    assert "/frameworks/django/async-support/" in cells
    assert f"/frameworks/flask/{site.draft_feature.slug}/" not in cells
    assert "hiddenfeature" not in "".join(listed) and "classified" not in "".join(listed)


def test_use_cases_and_tasks_are_listed(client):
    build_site()
    listed = entries(client)
    assert "/use-cases/simple-crud-api/" in listed
    assert "/tasks/" in listed
    for task in tasks.TASKS:
        assert f"/tasks/{task.slug}/" in listed
        assert listed[f"/tasks/{task.slug}/"] is None  # read from code: no honest date


def test_a_pairs_lastmod_is_its_newest_framework_or_cell_change(client):
    site = build_site()
    later = timezone.now() + timedelta(days=3)
    cell = Support.objects.get(framework=site.fastapi, feature=site.async_support)
    Support.objects.filter(pk=cell.pk).update(updated_at=later)
    listed = entries(client)
    day = later.date().isoformat()
    assert listed["/compare/django-vs-fastapi/"].startswith(day)
    assert listed["/compare/fastapi-vs-flask/"].startswith(day)
    assert not listed["/compare/django-vs-flask/"].startswith(day)
    assert listed[cell.get_absolute_url()].startswith(day)
    framework_day = Framework.objects.get(pk=site.flask.pk).updated_at.date().isoformat()
    assert listed["/frameworks/flask/"].startswith(framework_day)


def test_a_draft_features_cell_does_not_freshen_a_pair(client):
    site = build_site()
    later = timezone.now() + timedelta(days=3)
    Support.objects.filter(feature=site.draft_feature).update(updated_at=later)
    listed = entries(client)
    assert not listed["/compare/django-vs-flask/"].startswith(later.date().isoformat())


@pytest.mark.parametrize(("frameworks", "features"), [(2, 5), (12, 60)])
def test_the_sitemap_takes_a_fixed_number_of_queries(
    client, frameworks, features, django_assert_num_queries
):
    populate(frameworks, features)
    # A count and a page per model section (frameworks, features, sources, benchmarks, use
    # cases, cells), plus one query for every compare pair.
    with django_assert_num_queries(13):
        listed = entries(client)
    pairs = [path for path in listed if path.startswith("/compare/")]
    assert len(pairs) == frameworks * (frameworks - 1) // 2
    framework_pages = [path for path in listed if path.startswith("/frameworks/")]
    assert len(framework_pages) == 1 + frameworks * (features + 1)  # list, pages, cells
