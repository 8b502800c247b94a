"""Choosing in a real browser, with and without JavaScript: state requirements, get a
ranking, follow "compare these", and start from a use case's preset."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The first four of the fourteen frameworks, ticked in the form's groups (by kind).
FOUR = ("django", "django-rest-framework", "fastapi", "flask")
CANONICAL = (
    f"/choose/?frameworks={','.join(FOUR)}"
    "&must=async-support:extension&nice=websockets:2&prefer=learning-curve:gentle:3"
)


def state_requirements(page):
    # All fourteen come ticked (none unticked means every one): keep just the four.
    for box in page.locator('.choose-frameworks input[name="frameworks"]').all():
        box.set_checked(box.get_attribute("value") in FOUR)
    page.locator('[data-feature="async-support"] select[name="must"]').select_option(
        "async-support:extension"
    )
    page.locator('[data-feature="websockets"] select[name="nice"]').select_option("websockets:2")
    page.locator('[data-feature="learning-curve"] select[name="prefer"]').select_option(
        "learning-curve:gentle:3"
    )
    page.get_by_role("button", name="Rank the frameworks").click()


def check_ranking(page):
    expect(page).to_have_url(re.compile(re.escape(CANONICAL) + "$"))
    expect(page.locator("[data-headline]")).to_contain_text("ranks first")
    standings = page.locator("li.standing")
    failing = page.locator(".group-fails th[data-framework]")
    # Django and Flask's async support is partial: they fail the must-have.
    assert standings.count() == 2
    assert failing.evaluate_all("rows => rows.map(row => row.dataset.framework)") == [
        "django",
        "flask",
    ]
    first = standings.first
    assert first.get_attribute("data-position") == "1"
    # Each line names the requirement and links to the cell it reads.
    lines = first.locator("table.breakdown tbody tr")
    assert lines.count() == 3
    assert lines.first.locator("a.cell-ref").get_attribute("href").startswith("/frameworks/")
    return first.get_attribute("data-framework")


def follow_compare_these(page, leader):
    page.locator("[data-compare-these]").click()
    page.wait_for_url(re.compile(r"/compare/[a-z-]+/\?features="))
    # The ranked frameworks, at their set's one address (slugs sorted): the leader among them.
    spec = re.search(r"/compare/([a-z-]+)/", page.url).group(1)
    assert leader in spec.split("-vs-")
    rows = page.locator("table.matrix tbody tr:not(.category-row)")
    assert sorted(rows.evaluate_all("rows => rows.map(row => row.id)")) == [
        "feature-async-support",
        "feature-learning-curve",
        "feature-websockets",
    ]


def start_from_a_preset(page, visit):
    visit.goto("/use-cases/")
    use_case = page.locator("a.start-from-this").first
    use_case.click()
    page.wait_for_url(re.compile(r"/choose/\?.*use_case="))
    expect(page.locator("li.standing").first).to_be_visible()
    expect(page.locator("[data-recommendations]")).to_contain_text("They")


def test_choosing_with_javascript(visit):
    call_command("load_knowledge_base", verbosity=0)
    page = visit.page
    visit.goto("/choose/")
    must = page.locator('[data-feature="async-support"] select[name="must"]')
    nice = page.locator('[data-feature="async-support"] select[name="nice"]')
    must.select_option("async-support:native")
    expect(nice).to_be_disabled()  # a must-have or nice to have, not both
    must.select_option("")
    expect(nice).to_be_enabled()
    state_requirements(page)
    leader = check_ranking(page)
    follow_compare_these(page, leader)
    start_from_a_preset(page, visit)
    visit.assert_clean()


def test_choosing_without_javascript(no_script_visit):
    call_command("load_knowledge_base", verbosity=0)
    visit = no_script_visit
    page = visit.page
    visit.goto("/choose/")
    state_requirements(page)  # every field is sent; the server redirects to the one address
    leader = check_ranking(page)
    follow_compare_these(page, leader)
    start_from_a_preset(page, visit)
    visit.assert_clean()
    # A conflicting choice, which the script would have prevented: the form comes back (a
    # 400, which the browser logs).
    visit.goto("/choose/")
    page.locator('[data-feature="orm"] select[name="must"]').select_option("orm:native")
    page.locator('[data-feature="orm"] select[name="nice"]').select_option("orm:3")
    page.get_by_role("button", name="Rank the frameworks").click()
    expect(page.locator("#choose-errors")).to_contain_text("asked for twice")
    expect(page.locator('[data-feature="orm"] select[name="must"]')).to_have_value("orm:native")
    assert [error for error in visit.console_errors if "400" not in error] == []
