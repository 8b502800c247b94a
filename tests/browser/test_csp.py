"""Every kind of page works under the site's strict Content-Security-Policy: the policy is
sent (no 'unsafe-inline', nothing but our own origin), and the browser reports no violation
of it, in the console or as a `securitypolicyviolation` event, on any page."""

import pytest
from django.core.management import call_command

from tests.comparisons.web_data import build_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-editor-passphrase"
PUBLIC_PAGES = [
    "/",
    "/compare/django-vs-fastapi-vs-flask/",
    "/frameworks/",
    "/frameworks/django/",
    "/frameworks/django/async-support/",  # one cell
    "/features/",
    "/features/async-support/",
    "/sources/",
    "/sources/fastapi-django-or-flask/",
    "/benchmarks/",
    "/benchmarks/io-throughput/",
    "/use-cases/",
    "/search/?q=async",
    "/changes/",
    "/no-such-page/",  # the 404 page
    "/api/docs/",
    "/api/redoc/",
    "/admin/login/",
]
# What each page must have drawn, so a page that broke under the policy cannot pass.
DRAWN = {
    "/compare/django-vs-fastapi-vs-flask/": "table.matrix td[data-framework]",
    "/benchmarks/io-throughput/": "svg.chart-svg",
    "/api/docs/": ".opblock",
    "/api/redoc/": ".api-info h1",
    "/admin/login/": "#id_username",
}
# Listens before any page script runs; the console reports most violations too, but not all.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.effectiveDirective} ${event.blockedURI} ${event.sample}`);
}, true);
"""


def assert_strict(policy):
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["default-src"] == ["'none'"], policy
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in directives[directive], policy
        assert "'unsafe-eval'" not in directives[directive], policy
        assert "data:" not in directives[directive], policy
    assert directives["frame-ancestors"] == ["'none'"], policy


def check(visit, path):
    page = visit.page
    response = visit.goto(path)
    assert_strict(response.headers["content-security-policy"])
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(200)  # the console can report a moment after the page settles
    if path in DRAWN:
        page.wait_for_selector(DRAWN[path], timeout=20_000)
    violations = page.evaluate("window.__violations")
    reported = [error for error in visit.console_errors if "Content Security Policy" in error]
    # ReDoc draws its vendor's logo from their CDN; the policy refuses it (the point).
    reported = [error for error in reported if "cdn.redoc.ly" not in error]
    violations = [v for v in violations if "cdn.redoc.ly" not in v]
    assert (reported, violations) == ([], []), (path, reported, violations)
    visit.console_errors.clear()


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_each_kind_of_page_runs_under_the_policy(visit, path):
    build_site()
    visit.page.add_init_script(RECORD_VIOLATIONS)
    check(visit, path)
    if path.startswith("/compare/"):  # the script still brings a cell's sources in place
        cell = visit.page.locator('td[data-disputed="true"]').first
        cell.locator("summary").click()
        cell.locator(".claims").first.wait_for()
        check(visit, path)  # (and nothing it fetched broke the policy either)
    assert visit.foreign_requests == []


def test_the_admin_runs_under_the_policy(visit):
    site = build_site()
    call_command("create_editor", "editor", password=PASSWORD)
    page = visit.page
    page.add_init_script(RECORD_VIOLATIONS)
    check(visit, "/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")
    for path in (
        "/admin/",
        "/admin/comparisons/framework/",
        f"/admin/comparisons/framework/{site.flask.pk}/change/",
        f"/admin/comparisons/framework/{site.flask.pk}/history/",
        "/admin/comparisons/support/",
        "/admin/comparisons/support/import/",
        "/admin/comparisons/support/export/",
    ):
        check(visit, path)
