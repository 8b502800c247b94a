"""The matrix stays readable wherever it is scrolled: every cell a visitor can see has its
framework and its feature readable on screen too — a sticky head, or the cell's own label on
a phone's cards. Checked by where the elements are (what `elementFromPoint` finds at each
head), not by reading the CSS; with and without JavaScript, in both orientations.

Screenshots land in test-artifacts/screenshots/ (git-ignored); to refresh the committed ones:
    VERSUS_SCREENSHOTS=docs/screenshots .venv/bin/pytest tests/browser/test_matrix_layout.py
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.browser.conftest import open_visit
from tests.factories import build_matrix

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# For each cell at least partly on screen (and not under a sticky head), whether the name
# of its framework and of its feature can be read on screen: the cell's own label, or the
# head of its row or column, found by elementFromPoint where it is drawn (so a head that
# scrolled away, or hides under another, does not count). Returns the cells checked and the
# failures.
READABLE = """
() => {
  const W = window.innerWidth, H = window.innerHeight, LINE = 28;
  const table = document.querySelector("table.matrix");
  const turned = table.classList.contains("matrix-transposed");
  const columnHeads = [...table.querySelectorAll("thead th")];
  const hits = (element, x, y) => {
    if (x < 0 || y < 0 || x >= W || y >= H) return false;
    const found = document.elementFromPoint(x, y);
    return found !== null && (found === element || element.contains(found));
  };
  const onScreen = (element, x, y) => {
    // Is `element` drawn, uncovered, somewhere on screen? Try the given point first (the
    // cell's own row or column), then the middle of its visible part.
    const r = element.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    const left = Math.max(r.left, 0), right = Math.min(r.right, W);
    const top = Math.max(r.top, 0), bottom = Math.min(r.bottom, H);
    if (left >= right || top >= bottom) return false;
    const px = x !== undefined && x >= left && x < right ? x : (left + right) / 2;
    const py = y !== undefined && y >= top && y < bottom ? y : (top + bottom) / 2;
    return hits(element, px, py);
  };
  const visiblePoint = (cell) => {
    const r = cell.getBoundingClientRect();
    const left = Math.max(r.left, 0), right = Math.min(r.right, W);
    const top = Math.max(r.top, 0), bottom = Math.min(r.bottom, H);
    if (left >= right || top >= bottom) return null;
    // Less than a line of the cell uncovered (it is sliding under a sticky head): nothing
    // of it can be read, so there is nothing to name.
    let uncovered = 0;
    for (let y = top + 1; y < bottom; y += 4) if (hits(cell, (left + right) / 2, y)) uncovered += 4;
    if (uncovered < LINE) return null;
    for (const fx of [0.5, 0.25, 0.75]) for (const fy of [0.5, 0.25, 0.75]) {
      const x = left + (right - left) * fx, y = top + (bottom - top) * fy;
      if (hits(cell, x, y)) return [x, y];
    }
    return null;  // hidden under a sticky head
  };
  const failures = [];
  let checked = 0;
  for (const cell of table.querySelectorAll("td.cell")) {
    const point = visiblePoint(cell);
    if (point === null) continue;
    checked += 1;
    const [x, y] = point;
    const label = cell.querySelector(".cell-label");
    const labelled = label !== null && onScreen(label);
    const rowHead = cell.parentElement.querySelector("th[scope=row]");
    const columnHead = columnHeads[cell.cellIndex];
    const byRow = rowHead !== null && onScreen(rowHead, undefined, y);
    const byColumn = columnHead !== undefined && onScreen(columnHead, x, undefined);
    // Turned, the rows are frameworks and the columns (and labels) features.
    const framework = turned ? byRow : labelled || byColumn;
    const feature = turned ? labelled || byColumn : byRow;
    if (!framework || !feature) {
      failures.push({cell: cell.id, framework, feature});
    }
  }
  return {checked, failures, scrollWidth: document.scrollingElement.scrollWidth, W};
}
"""


@pytest.fixture
def screenshot_dir(artifacts):
    target = Path(os.environ.get("VERSUS_SCREENSHOTS") or artifacts / "screenshots")
    target.mkdir(parents=True, exist_ok=True)
    return target


def assert_readable_while_scrolling(page, positions):
    for x, y in positions:
        page.evaluate("([x, y]) => window.scrollTo(x, y)", [x, y])
        page.wait_for_timeout(50)
        found = page.evaluate(READABLE)
        assert found["checked"] >= 3, (x, y, found)
        assert found["failures"] == [], (x, y, found["failures"][:5])
    return found


def test_a_wide_line_up_on_a_laptop_keeps_its_heads_in_view(browser, live_server, screenshot_dir):
    frameworks, _ = build_matrix(frameworks=8, features=40)
    path = "/compare/" + "-vs-".join(sorted(f.slug for f in frameworks)) + "/"
    for javascript in (True, False):
        context, visit = open_visit(
            browser, live_server, viewport=DESKTOP, java_script_enabled=javascript
        )
        try:
            assert visit.goto(path).status == 200
            page = visit.page
            # Wider than the window: the page itself scrolls sideways (no box of its own).
            assert page.evaluate("document.scrollingElement.scrollWidth") > DESKTOP["width"]
            assert (
                page.locator(".matrix-frame").evaluate("el => getComputedStyle(el).overflowX")
                == "visible"
            )
            assert_readable_while_scrolling(page, [(0, 0), (0, 1500), (700, 2500), (5000, 4000)])
            if javascript:
                page.screenshot(path=str(screenshot_dir / "matrix-scrolled-1280.png"))
            visit.assert_clean()
        finally:
            context.close()


def test_on_a_phone_each_cell_is_a_labelled_card_with_and_without_javascript(
    browser, live_server, screenshot_dir
):
    call_command("load_knowledge_base", verbosity=0)
    path = "/compare/django-vs-fastapi-vs-flask/"
    for javascript in (True, False):
        context, visit = open_visit(
            browser, live_server, viewport=PHONE, is_mobile=True, java_script_enabled=javascript
        )
        try:
            assert visit.goto(path).status == 200
            page = visit.page
            # Nothing off to the side: the cards fit the phone.
            assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
            labels = page.locator("td[data-feature=async-support] .cell-label")
            assert labels.all_inner_texts() == ["Django", "FastAPI", "Flask"]
            found = assert_readable_while_scrolling(
                page, [(0, 900), (0, 3000), (200, 6000), (0, 9000)]
            )
            assert found["scrollWidth"] <= PHONE["width"]
            if javascript:
                page.screenshot(path=str(screenshot_dir / "matrix-cards-390.png"))
            else:
                page.screenshot(path=str(screenshot_dir / "matrix-cards-nojs-390.png"))
            visit.assert_clean()
        finally:
            context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_the_transposed_view_keeps_frameworks_and_features_readable(
    browser, live_server, screenshot_dir, viewport
):
    call_command("load_knowledge_base", verbosity=0)
    context, visit = open_visit(browser, live_server, viewport=viewport)
    try:
        visit.goto("/compare/django-vs-django-rest-framework-vs-fastapi-vs-flask/")
        page = visit.page
        page.get_by_label("Frameworks as rows").check()  # the script submits the form
        page.wait_for_url("**transpose=1**")
        table = page.locator("table.matrix-transposed")
        frameworks = table.locator("tbody th[scope=row] a").all_inner_texts()
        assert frameworks == ["Django", "Django REST Framework", "FastAPI", "Flask"]
        if viewport is DESKTOP:
            # 29 feature columns: wider than the window, so scroll both ways.
            assert page.evaluate("document.scrollingElement.scrollWidth") > viewport["width"]
            positions = [(0, 0), (900, 300), (2500, 300), (99999, 0)]
        else:
            # From where the table starts (the line-up's chips above it grow with the
            # frameworks Versus knows), then well into it.
            top = int(table.evaluate("table => table.getBoundingClientRect().top + scrollY"))
            positions = [(0, top - 250), (0, top + 3000), (0, top + 11000)]
        assert_readable_while_scrolling(page, positions)
        # Into the table, a few columns along: the heads stuck to the top and the left.
        table.evaluate(
            "(table, x) => window.scrollTo(x, table.getBoundingClientRect().top + scrollY + 260)",
            900 if viewport is DESKTOP else 0,
        )
        page.screenshot(path=str(screenshot_dir / f"matrix-transposed-{viewport['width']}.png"))
        visit.assert_clean()
    finally:
        context.close()


def test_printing_drops_the_tools_and_unsticks_the_heads(browser, live_server):
    call_command("load_knowledge_base", verbosity=0)
    context, visit = open_visit(browser, live_server, viewport=DESKTOP)
    try:
        visit.goto("/compare/django-vs-fastapi-vs-flask/")
        page = visit.page
        page.emulate_media(media="print")
        assert not page.locator(".compare-tools").is_visible()
        assert not page.locator(".site-header").is_visible()
        head = page.locator("table.matrix thead th").nth(1)
        assert head.evaluate("el => getComputedStyle(el).position") == "static"
        assert (
            page.locator("table.matrix thead").evaluate("el => getComputedStyle(el).display")
            == "table-header-group"
        )
    finally:
        context.close()
