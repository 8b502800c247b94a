"""Swagger UI and ReDoc render the API documentation with nothing fetched from elsewhere."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_lists_every_resource_and_its_operations(visit):
    requested = []
    visit.page.on("request", lambda request: requested.append(request.url))
    visit.goto("/api/docs/")
    page = visit.page
    page.wait_for_selector(".opblock-tag", timeout=20_000)
    tags = page.locator(".opblock-tag").all_inner_texts()
    for tag in ("frameworks", "supports", "claims", "benchmarks", "compare", "auth"):
        assert any(text.strip().startswith(tag) for text in tags), (tag, tags)
    assert page.locator(".opblock").count() >= 68  # every operation of the schema
    assert page.locator(".opblock-summary-path", has_text="/api/v1/compare/").count() == 1
    page.locator(".btn.authorize").first.wait_for()  # the auth schemes are offered
    assert any(url.endswith("/api/schema/") for url in requested)
    assert all(url.startswith((visit.base_url, "data:", "blob:")) for url in requested)
    visit.assert_clean()


def test_redoc_renders_the_reference(visit):
    answered = []  # every response the page got, from wherever
    visit.page.on("response", lambda response: answered.append(response.url))
    visit.goto("/api/redoc/")
    page = visit.page
    page.wait_for_selector(".api-info h1", timeout=20_000)
    assert "Versus API" in page.locator(".api-info h1").inner_text()
    menu = page.locator(".menu-content").inner_text()
    for tag in ("frameworks", "supports", "claims", "compare", "auth"):
        assert tag in menu.split("\n"), tag
    page.locator("h2", has_text="Compare frameworks feature by feature").wait_for()
    assert page.locator("h2", has_text="List frameworks").count() == 1
    assert any(url.endswith("/api/schema/") for url in answered)
    elsewhere = [u for u in answered if not u.startswith((visit.base_url, "data:", "blob:"))]
    assert elsewhere == []
    # ReDoc always draws its vendor's logo from their CDN; the page's Content-Security-
    # Policy refuses it inside the browser (it never reaches the network, where the route
    # would have caught it), and the console says so. Nothing else may be reported.
    assert visit.foreign_requests == []
    others = [error for error in visit.console_errors if "cdn.redoc.ly" not in error]
    assert others == []
