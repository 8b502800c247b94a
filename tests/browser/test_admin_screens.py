"""The editors' admin at 1280 px with the shipped knowledge base: every list column on screen,
a framework's page short, an edit conflict that can be merged, import errors in words.

Screenshots land in test-artifacts/screenshots/ (git-ignored). To refresh the committed ones:
    VERSUS_SCREENSHOTS=docs/screenshots .venv/bin/pytest tests/browser/test_admin_screens.py
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from comparisons.models import Framework, Support
from tests.browser.conftest import open_visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-editor-passphrase"
WIDTH, HEIGHT = 1280, 900


@pytest.fixture
def screenshot_dir(artifacts):
    target = Path(os.environ.get("VERSUS_SCREENSHOTS") or artifacts / "screenshots")
    target.mkdir(parents=True, exist_ok=True)
    return target


def signed_in(browser, live_server, username="editor"):
    from playwright.sync_api import expect

    call_command("create_editor", username, password=PASSWORD, verbosity=0)
    context, visit = open_visit(browser, live_server, viewport={"width": WIDTH, "height": HEIGHT})
    page = visit.page
    visit.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_contain_text(username)
    return context, visit


def assert_no_horizontal_scroll(page):
    scroll_width, inner_width = page.evaluate(
        "[document.scrollingElement.scrollWidth, window.innerWidth]"
    )
    assert scroll_width <= inner_width


@pytest.fixture
def knowledge_base():
    call_command("load_knowledge_base", verbosity=0)


def test_the_cell_list_shows_every_column_at_1280(
    browser, live_server, knowledge_base, screenshot_dir
):
    context, visit = signed_in(browser, live_server)
    page = visit.page
    assert visit.goto("/admin/comparisons/support/").status == 200
    assert_no_horizontal_scroll(page)
    headers = page.locator("#result_list thead th")
    names = [text.strip().lower() for text in headers.all_inner_texts()]
    for column in ["framework", "feature", "verdict", "summary", "claims", "disputed"]:
        assert column in names
    assert "last verified" in names
    for index in range(headers.count()):
        box = headers.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, names[index]
    # The table itself is not clipped inside a scrolling box either.
    table_right, results_right = page.evaluate(
        "[document.querySelector('#result_list').getBoundingClientRect().right,"
        " document.querySelector('.results').getBoundingClientRect().right]"
    )
    assert table_right <= results_right + 1
    assert "mark_verified" in page.locator("select[name=action]").inner_html()
    page.screenshot(path=str(screenshot_dir / f"admin-cells-{WIDTH}.png"))
    visit.assert_clean()
    context.close()


def test_a_framework_page_fits_1280_and_lists_its_cells_compactly(
    browser, live_server, knowledge_base, screenshot_dir
):
    from playwright.sync_api import expect

    context, visit = signed_in(browser, live_server)
    page = visit.page
    django = Framework.objects.get(slug="django")
    assert visit.goto(f"/admin/comparisons/framework/{django.pk}/change/").status == 200
    assert_no_horizontal_scroll(page)
    assert page.locator(".field-cell_list .cell-grid li").count() == django.supports.count() + (
        # features without a Django cell are listed too, each with an "add" link
        page.locator(".field-cell_list .cell-grid li .addlink").count()
    )
    cells_box = page.locator(".field-cell_list").bounding_box()
    assert cells_box["height"] < 600  # one line per feature, in columns
    assert page.evaluate("document.scrollingElement.scrollHeight") < 4000
    page.locator(".field-cell_list").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / f"admin-framework-{WIDTH}.png"))
    page.click(".field-cell_list a:text('Open these')")
    expect(page.locator("#result_list tbody tr")).to_have_count(django.supports.count())
    assert "framework__id__exact" in page.url
    visit.assert_clean()
    context.close()


def test_a_conflicting_save_shows_both_versions_keeps_the_input_and_saves_again(
    browser, live_server, knowledge_base, screenshot_dir
):
    from playwright.sync_api import expect

    cell = Support.objects.get(framework__slug="django", feature__slug="async-support")
    path = f"/admin/comparisons/support/{cell.pk}/change/"
    ada_context, ada = signed_in(browser, live_server, "ada")
    bob_context, bob = signed_in(browser, live_server, "bob")
    ada.goto(path)
    bob.goto(path)  # both open version 1

    ada.page.fill("input[name=summary]", "Ada: async views, ORM and middleware under ASGI.")
    ada.page.click("input[name=_save]")
    expect(ada.page.locator(".messagelist")).to_contain_text("was changed successfully")

    page = bob.page
    page.fill("input[name=summary]", "Bob: async views; the ORM's transactions stay sync.")
    page.fill("input[name=packages]", "asgiref")
    page.click("input[name=_continue]")
    conflict = page.locator(".edit-conflict")
    expect(conflict).to_contain_text("Ada: async views, ORM and middleware under ASGI.")
    expect(conflict).to_contain_text("Bob: async views; the ORM's transactions stay sync.")
    expect(page.locator(".errornote, .errorlist").first).to_be_visible()
    # Bob's input is still in the form.
    expect(page.locator("input[name=summary]")).to_have_value(
        "Bob: async views; the ORM's transactions stay sync."
    )
    expect(page.locator("input[name=packages]")).to_have_value("asgiref")
    assert_no_horizontal_scroll(page)
    page.screenshot(path=str(screenshot_dir / f"admin-conflict-{WIDTH}.png"))

    # He merges (keeps his summary) and saves from the same form: it goes through.
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    cell.refresh_from_db()
    assert cell.summary == "Bob: async views; the ORM's transactions stay sync."
    assert cell.packages == "asgiref" and cell.version == 3

    # The history says who changed what, in full.
    bob.goto(f"/admin/comparisons/support/{cell.pk}/history/")
    history = page.locator("#change-history")
    expect(history).to_contain_text("Bob: async views; the ORM's transactions stay sync.")
    expect(history).to_contain_text("Ada: async views, ORM and middleware under ASGI.")
    expect(history.locator("tbody tr").first).to_contain_text("bob")
    assert "Change reason" not in page.content()
    assert_no_horizontal_scroll(page)
    page.screenshot(path=str(screenshot_dir / f"admin-history-{WIDTH}.png"))
    ada.assert_clean()
    bob.assert_clean()
    ada_context.close()
    bob_context.close()


def test_an_imports_bad_row_reasons_are_visible_without_hovering(
    browser, live_server, knowledge_base, tmp_path, screenshot_dir
):
    from playwright.sync_api import expect

    bad_file = tmp_path / "cells.csv"
    bad_file.write_text(
        "framework,feature,level,summary\n"
        "flask,cors,extension,Through Flask-CORS\n"
        "flask,cors,sometimes,A level that does not exist\n"
        "nope,cors,native,A framework that does not exist\n"
    )
    context, visit = signed_in(browser, live_server)
    page = visit.page
    visit.goto("/admin/comparisons/support/import/")
    page.set_input_files("input[name=import_file]", str(bad_file))
    page.select_option("select[name=format]", label="csv")
    page.click("input[type=submit]")
    reasons = page.locator(".import-row-errors")
    expect(reasons.first).to_be_visible()
    # Read without hovering anything: the text is on the page, in view.
    page.mouse.move(0, 0)
    text = " ".join(reasons.all_inner_texts())
    assert "is not a valid choice" in text and "No framework with slug 'nope'" in text
    for index in range(reasons.count()):
        box = reasons.nth(index).bounding_box()
        assert box and box["width"] > 0 and box["x"] + box["width"] <= WIDTH
        assert reasons.nth(index).inner_text().strip()
    assert_no_horizontal_scroll(page)
    reasons.first.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / f"admin-import-errors-{WIDTH}.png"))
    visit.assert_clean()
    context.close()


def test_every_list_fits_1280_without_scrolling_sideways(browser, live_server, knowledge_base):
    from django.contrib import admin

    context, visit = signed_in(browser, live_server)
    page = visit.page
    lists = [model._meta.model_name for model in admin.site._registry
             if model._meta.app_label == "comparisons" and model.objects.exists()]  # fmt: skip
    assert "support" in lists and len(lists) >= 10
    for name in lists:
        assert visit.goto(f"/admin/comparisons/{name}/").status == 200, name
        assert_no_horizontal_scroll(page)
        table_right, results_right = page.evaluate(
            "[document.querySelector('#result_list').getBoundingClientRect().right,"
            " document.querySelector('.results').getBoundingClientRect().right]"
        )
        assert table_right <= results_right + 1, f"the {name} list is clipped"
    visit.assert_clean()
    context.close()
