"""Headless Chromium through Playwright, against pytest-django's live server.

Chromium comes from the system (/usr/bin/chromium); Playwright never downloads a browser.
Without it these tests skip, unless VERSUS_REQUIRE_BROWSER=1 (CI), when they fail.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# the test's own database calls as 'async-unsafe'.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def unavailable(reason):
    if os.environ.get("VERSUS_REQUIRE_BROWSER") == "1":
        pytest.fail(f"Browser tests are required here (VERSUS_REQUIRE_BROWSER=1) but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed (pip install -r requirements-dev.txt)")
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@dataclass
class Visit:
    """A page plus what went wrong while it was open: console errors, foreign requests."""

    page: object
    base_url: str
    console_errors: list = field(default_factory=list)
    foreign_requests: list = field(default_factory=list)

    def goto(self, path):
        return self.page.goto(self.base_url + path)

    def assert_clean(self):
        assert self.console_errors == [], self.console_errors
        assert self.foreign_requests == [], f"requests left the site: {self.foreign_requests}"


def open_visit(browser, live_server, **context_options):
    context = browser.new_context(**context_options)
    page = context.new_page()
    visit = Visit(page=page, base_url=live_server.url)
    own_host = urlsplit(live_server.url).netloc
    page.on(
        "console",
        lambda message: (
            visit.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: visit.console_errors.append(str(error)))

    def only_our_server(route):
        url = route.request.url
        if urlsplit(url).scheme in ("data", "blob") or urlsplit(url).netloc == own_host:
            route.continue_()
        else:  # a CDN or any other host: refuse and remember
            visit.foreign_requests.append(url)
            route.abort()

    page.route("**/*", only_our_server)
    return context, visit


@pytest.fixture
def visit(browser, live_server):
    context, visit = open_visit(browser, live_server, viewport={"width": 1280, "height": 900})
    yield visit
    context.close()


@pytest.fixture
def phone_visit(browser, live_server):
    context, visit = open_visit(
        browser, live_server, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    yield visit
    context.close()


@pytest.fixture
def no_script_visit(browser, live_server):
    context, visit = open_visit(
        browser, live_server, viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    yield visit
    context.close()


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
