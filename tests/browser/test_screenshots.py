"""Screenshots of the key pages with the shipped knowledge base, at desktop and phone widths.

They land in test-artifacts/screenshots/ (git-ignored). To refresh the committed ones:
    VERSUS_SCREENSHOTS=docs/screenshots .venv/bin/pytest tests/browser/test_screenshots.py
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.browser.conftest import open_visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {
    "home": "/",
    "picker": "/compare/",
    "compare": "/compare/django-vs-fastapi-vs-flask/",
    "compare-six": "/compare/django-vs-fastapi-vs-flask-vs-litestar-vs-sanic-vs-starlette/",
    "framework": "/frameworks/fastapi/",
    "cell": "/frameworks/django/async-support/",
    "benchmark": "/benchmarks/ai-study-room-io-bound-throughput/",
    "choose": "/choose/?must=async-support:partial&nice=websockets:2"
    "&prefer=learning-curve:gentle:3",
}
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture
def screenshot_dir(artifacts):
    target = Path(os.environ.get("VERSUS_SCREENSHOTS") or artifacts / "screenshots")
    target.mkdir(parents=True, exist_ok=True)
    return target


@pytest.mark.parametrize("width", WIDTHS)
def test_screenshots_of_the_key_pages(browser, live_server, screenshot_dir, width):
    call_command("load_knowledge_base", verbosity=0)
    viewport_width, viewport_height = WIDTHS[width]
    context, visit = open_visit(
        browser,
        live_server,
        viewport={"width": viewport_width, "height": viewport_height},
        is_mobile=width == "phone",
    )
    try:
        for name, path in PAGES.items():
            response = visit.goto(path)
            assert response.status == 200, path
            page = visit.page
            if name == "benchmark" and width == "phone":
                page.locator(".chart").scroll_into_view_if_needed()
            # The answer page whole: its point is the ranking below the notes.
            page.screenshot(
                path=str(screenshot_dir / f"{name}-{viewport_width}.png"),
                full_page=name in ("choose", "picker"),
            )
            if name == "compare":
                # And a disputed cell opened: the point of the page.
                disputed = page.locator('td[data-disputed="true"]').first
                disputed.locator("summary").click()
                disputed.locator(".claims").first.wait_for()  # fetched from the cell's own page
                # The page scrolls, not a box: bring the cell to just below the sticky heads.
                disputed.evaluate(
                    "cell => window.scrollTo(0, cell.getBoundingClientRect().top + scrollY - 160)"
                )
                page.screenshot(path=str(screenshot_dir / f"compare-disputed-{viewport_width}.png"))
        visit.assert_clean()
    finally:
        context.close()
