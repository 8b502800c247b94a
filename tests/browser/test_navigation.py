"""The site navigation at phone width: every link on screen, nothing scrolls sideways."""

import os
from pathlib import Path

import pytest

from tests.comparisons.web_data import build_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(os.environ.get("VERSUS_SCREENSHOTS") or "")


@pytest.mark.parametrize("path", ["/", "/changes/", "/frameworks/flask/"])
def test_every_nav_link_is_inside_a_390px_viewport(phone_visit, artifacts, path):
    build_site()
    assert phone_visit.goto(path).status == 200
    page = phone_visit.page
    width = page.evaluate("innerWidth")
    assert width == 390
    links = page.locator(".site-nav a")
    assert links.count() == 8
    for index in range(links.count()):
        box = links.nth(index).bounding_box()
        name = links.nth(index).inner_text()
        assert box is not None and box["width"] > 0, name
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (name, box)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    assert page.evaluate("document.querySelector('.site-nav').scrollWidth") <= width
    if path == "/":
        target = SCREENSHOTS if str(SCREENSHOTS) not in ("", ".") else artifacts / "screenshots"
        target.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target / "nav-390.png"))
    phone_visit.assert_clean()


def test_the_nav_wraps_without_javascript(browser, live_server):
    from tests.browser.conftest import open_visit

    build_site()
    context, visit = open_visit(
        browser, live_server, viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    try:
        assert visit.goto("/").status == 200
        page = visit.page
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
        last = page.locator(".site-nav a").last.bounding_box()
        assert last["x"] + last["width"] <= 390
    finally:
        context.close()
