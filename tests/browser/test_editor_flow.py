"""An editor signs in, opens a cell from the framework's admin page and edits it, publishes a
draft framework, and sees both on the public site."""

import re

import pytest
from django.core.management import call_command

from comparisons.models import Support
from tests.factories import FeatureFactory, FrameworkFactory, SupportFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-editor-passphrase"


def test_an_editor_edits_a_cell_and_publishes_a_draft(browser, live_server):
    from playwright.sync_api import expect

    from tests.browser.conftest import open_visit

    flask = FrameworkFactory(name="Flask", slug="flask")
    FrameworkFactory(name="Django", slug="django")
    quart = FrameworkFactory(name="Quart", slug="quart", tagline="Async Flask API", status="draft")
    cors = FeatureFactory(name="CORS", slug="cors")
    SupportFactory(framework=flask, feature=cors, level="extension", summary="Old summary")
    call_command("create_editor", "editor", password=PASSWORD)

    context, visit = open_visit(browser, live_server, viewport={"width": 1280, "height": 900})
    page = visit.page
    visit.goto("/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_contain_text("editor")

    # Open the Flask × CORS cell from the list of cells on Flask's page, and edit it.
    visit.goto(f"/admin/comparisons/framework/{flask.pk}/change/")
    page.click(".field-cell_list a:text-is('CORS')")
    page.fill("textarea[name=summary], input[name=summary]", "Add the Flask-CORS extension")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    # Publish the draft framework with the list's action.
    visit.goto("/admin/comparisons/framework/")
    page.check(f"input[name=_selected_action][value='{quart.pk}']")
    page.select_option("select[name=action]", "publish")
    page.click("button[name=index]")
    expect(page.locator(".messagelist")).to_contain_text("1 framework published.")
    visit.assert_clean()
    context.close()

    assert Support.objects.get(framework=flask, feature=cors).summary == (
        "Add the Flask-CORS extension"
    )
    # A visitor (no session) sees both on the public site.
    public, visitor = open_visit(browser, live_server, viewport={"width": 1280, "height": 900})
    visitor.goto("/compare/flask-vs-quart/")
    expect(visitor.page.locator("h1")).to_contain_text(re.compile("Flask.*Quart"))
    expect(visitor.page.locator("#cell-flask-cors")).to_contain_text("Add the Flask-CORS extension")
    visitor.goto("/frameworks/quart/")
    expect(visitor.page.locator("h1")).to_contain_text("Quart")
    visitor.assert_clean()
    public.close()
