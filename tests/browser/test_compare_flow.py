"""A visitor's path through the site in a real browser: pick, compare, filter, dig in."""

import re

import pytest
from playwright.sync_api import expect

from tests.comparisons.web_data import build_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pick_three_frameworks_filter_to_differences_and_open_a_disputed_cell(visit, artifacts):
    build_site()
    page = visit.page
    visit.goto("/")
    for slug in ("django", "fastapi", "flask"):
        page.locator(f'.hero-picker input[name="frameworks"][value="{slug}"]').check()
    page.locator(".hero-picker").get_by_role("button", name="Compare").click()

    page.wait_for_url(re.compile(r"/compare/django-vs-fastapi-vs-flask/$"))
    matrix = page.locator("table.matrix")
    assert matrix.locator("thead th[scope=col]").all_inner_texts()[1:] == [
        "Django\nFull-stack framework",
        "FastAPI\nAPI framework",
        "Flask\nMicro-framework",
    ]
    all_rows = matrix.locator("tbody tr:not(.category-row)").count()

    # Ticking the box is enough: the small script submits the GET form.
    page.get_by_label("Only rows that differ").check()
    page.wait_for_url(re.compile(r"only_differences=1"))
    rows = matrix.locator("tbody tr:not(.category-row)")
    assert 0 < rows.count() < all_rows
    assert rows.count() == matrix.locator("tbody tr.row-differs").count()

    disputed = matrix.locator('td[data-disputed="true"]').first
    assert disputed.get_attribute("data-framework") == "django"
    claims = disputed.locator(".claims").first
    assert not claims.is_visible()
    disputed.locator("summary").click()  # the script brings the cell's sources in place
    expect(claims).to_be_visible()
    assert disputed.locator(".claim-disagrees").filter(has_text="Fully async.").is_visible()
    assert disputed.get_by_role("link", name="Another article").is_visible()

    page.screenshot(path=str(artifacts / "matrix.png"), full_page=True)
    visit.assert_clean()


def test_the_filters_work_without_javascript(no_script_visit):
    build_site()
    page = no_script_visit.page
    no_script_visit.goto("/compare/django-vs-flask/")
    disputed = page.locator("td[data-disputed=true]").first
    disputed.locator("summary").click()  # <details> needs no script
    disputed.get_by_role("link", name="Read the sources").click()  # the cell's own page
    page.wait_for_url(re.compile(r"/frameworks/django/[a-z-]+/$"))
    assert page.locator(".claims .claim-disagrees").first.is_visible()
    page.go_back()
    page.get_by_label("Only rows that differ").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"only_differences=1"))
    assert page.locator("td[data-feature=websockets]").count() == 0
    assert page.locator("td[data-feature=learning-curve]").count() == 2
    no_script_visit.assert_clean()


def test_keyboard_users_see_where_they_are(visit):
    build_site()
    page = visit.page
    visit.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.evaluate("el => getComputedStyle(el).outlineStyle") != "none"
    visit.assert_clean()
