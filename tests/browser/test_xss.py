"""Hostile texts in the data (tests/hostile.py) show as text in a real browser: no dialog opens,
no script runs, no element is made from them (checked in the DOM, apart from what the CSP blocks)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from tests.browser.helpers import open_map

pytestmark = pytest.mark.browser

# elements the hostile texts would create if any were parsed as HTML
INJECTED = """() => ({
  xss: window.__xss === undefined ? null : window.__xss,
  imgs: document.querySelectorAll('img[src="x"]').length,
  scripts: [...document.scripts].filter(s => s.textContent.includes('__xss')).length,
  links: [...document.querySelectorAll('a[href]')].filter(a => a.href.trim().toLowerCase().startsWith('javascript:')).length,
})"""
CLEAN = {"xss": None, "imgs": 0, "scripts": 0, "links": 0}

PAGES = [
    ("/city/bologna-ita", "h1", "Bologna<script>"),
    ("/city/madrid-esp", ".section-covid", "<img src=x onerror="),
    ("/city/amsterdam-nld", "h1", 'href="javascript:alert(3)"'),
    ("/compare?cities=bologna-ita,madrid-esp,amsterdam-nld", "#compare-table", "Bologna<script>"),
    ("/table", "#table-first", "<img src=x onerror="),
    ("/?city=bologna-ita", "#city-panel-body", "Bologna<script>"),
    # the presentation: a city big (its spotlight is hostile too), a slide naming it on the map, embeds
    ("/present?city=bologna-ita", ".slide.current .big-spotlight-title", "<img src=x onerror="),
    ("/present?city=madrid-esp", ".slide.current .slide-title", "<img src=x onerror="),
    ("/present?city=bologna-ita", ".first-map .first-name", "Bologna<script>"),  # the map drawn in the page
    ("/present?slide=9", ".slide.current .slide-lines", "Bologna<script>"),
    ("/city/bologna-ita?embed=1", "#embed-bar", "Bologna<script>"),
    ("/compare?cities=madrid-esp,amsterdam-nld&embed=1", "#embed-bar", 'href="javascript:alert(3)"'),
]


@pytest.fixture()
def dialogs(page):
    opened: list[str] = []

    def dismiss(dialog):
        opened.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    return opened


@pytest.mark.parametrize("path, where, literal", PAGES)
def test_hostile_texts_render_as_text(page, hostile_url, dialogs, path, where, literal):
    page.goto(hostile_url + path)
    expect(page.locator(where).first).to_contain_text(literal, timeout=20000)
    page.wait_for_load_state("networkidle")
    assert page.evaluate(INJECTED) == CLEAN
    assert dialogs == []


def test_the_presentations_map_names_hostile_cities_as_text(page, hostile_url, dialogs):
    """Drawn in the page's HTML, then by Leaflet once the presenter points at the page."""
    page.goto(hostile_url + "/present?slide=9")
    expect(page.locator(".first-map .first-name").first).to_contain_text("Bologna<script>", timeout=20000)
    page.wait_for_selector("#present[data-on-use]", timeout=20000)
    page.locator("#present").hover()
    expect(page.locator("#present-map .highlight-name").first).to_contain_text("Bologna<script>", timeout=20000)
    page.wait_for_load_state("networkidle")
    assert page.evaluate(INJECTED) == CLEAN
    assert dialogs == []


def test_map_tooltips_show_hostile_names_as_text(page, hostile_url, dialogs):
    # close enough to Bologna that its marker stands alone
    open_map(page, hostile_url + "/?z=9&lat=44.49&lon=11.34")
    marker = page.locator("path.city-marker").first
    marker.wait_for(timeout=20000)
    marker.hover(force=True)
    expect(page.locator(".leaflet-tooltip")).to_contain_text("Bologna<script>", timeout=10000)
    assert page.evaluate(INJECTED) == CLEAN
    assert dialogs == []
