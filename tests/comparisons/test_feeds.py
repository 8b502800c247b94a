"""Recent changes (page and RSS), sitemap.xml and robots.txt."""

import pytest

from comparisons.models import Status
from tests.comparisons.web_data import DRAFT_WORDS, build_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    return build_site()


def test_changes_page_lists_recent_changes_to_published_records(client, site):
    site.flask.tagline = "Now with a new tagline."
    site.flask.save()
    content = client.get("/changes/").content.decode()
    assert "Changed" in content and "Now with a new tagline." in content
    assert 'href="/frameworks/flask/"' in content
    assert 'href="/features/async-support/"' in content
    assert "Django × Async support" in content


def test_a_drafts_changes_never_appear_even_after_it_was_published_once(client, site):
    site.flask.name = "Secretframe era"  # a draft-era name must not survive in the history…
    site.flask.status = Status.DRAFT
    site.flask.save()
    site.flask.name, site.flask.status = "Flask", Status.PUBLISHED
    site.flask.save()
    for url in ("/changes/", "/changes/feed/"):
        content = client.get(url).content.decode()
        for word in DRAFT_WORDS:
            assert word not in content, (word, url)


def test_the_feed_is_rss(client, site):
    response = client.get("/changes/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    content = response.content.decode()
    assert "<rss" in content and "<item>" in content
    assert "http://testserver/frameworks/flask/" in content


def test_sitemap_lists_published_pages_only(client, site):
    content = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/frameworks/flask/" in content
    assert "http://testserver/features/async-support/" in content
    assert "http://testserver/sources/fastapi-django-or-flask/" in content
    assert "http://testserver/benchmarks/io-throughput/" in content
    assert "http://testserver/use-cases/" in content
    for slug in ("secretframe", "hiddenfeature", "classifiedsource"):
        assert slug not in content


def test_robots_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    content = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in content
    assert "Disallow: /admin/" in content


def test_healthz_checks_the_database(client, db):
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_the_feed_shows_editors_text_as_typed_never_as_markup(client, site):
    """A feed reader decodes the XML, then renders title and description as HTML: what it
    renders must be exactly the editor's text, escaped once (no tags, no "&amp;amp;")."""
    import html
    import xml.etree.ElementTree as ET

    typed = "<script>alert(1)</script> <b>bold</b> &amp; A&B"
    site.flask.name = "Flask <i>x</i> &amp;"
    site.flask.tagline = typed
    site.flask.save()
    channel = ET.fromstring(client.get("/changes/feed/").content).find("channel")
    item = next(i for i in channel.iter("item") if "/frameworks/flask/" in i.findtext("link"))
    description, title = item.findtext("description"), item.findtext("title")
    assert "<" not in description and "<" not in title  # no markup reaches the reader
    assert html.unescape(description) == typed  # escaped exactly once
    assert html.unescape(title).endswith("Flask <i>x</i> &amp;")


def test_the_browsers_favicon_request_finds_the_icon(client, db):
    """Answered itself, not redirected to /static/ (a 404 where static files are not
    served, as here: DEBUG off, no collectstatic)."""
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg") and b">vs</text>" in response.content
    assert "max-age=604800" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]


def test_every_page_names_its_icon(client, db):
    content = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in content
