"""WCAG 2.1 AA in the browser: axe-core on every page, in both languages, both themes and at a
desktop and a phone width; the map used with the keyboard alone; the theme toggle.

axe-core is the npm package pinned in package.json / package-lock.json (``make test`` runs
``npm ci``). It is injected as a script, which the pages' CSP forbids, so the axe runs use a
context that bypasses the CSP (tests/browser/test_csp.py checks the pages under it).
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from dashboard import ids
from tests.browser.helpers import open_map
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# each page, and what shows once it has drawn
PAGES = {
    "/": "#selection-count",
    "/table": "#table-first",  # the first rows, before the grid
    "/table?sort=-population": ".ag-row",  # the grid, once the table is used (USED)
    "/compare?cities=bologna-ita,madrid-esp": "#compare-table",
    # charts are drawn as they near the window once the visitor reads (below: a turn of the wheel);
    # the charts further down are still their tables, checked as such
    "/findings": "#findings-strategy .main-svg",
    "/city/bologna-ita": "#city-map .leaflet-countries-pane path",
    "/about": "#sources",
    "/self-assessment": ".sa-form fieldset",
    "/no-such-page": "h1",
}
USED = {"/table?sort=-population": "#table-grid-slot"}  # pointed at, as a visitor does: the grid loads
SIZES = {1366: 900, 390: 844}
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
}"""


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail("axe-core is not installed: run `npm ci` at the repository root (make test does)")
    return AXE.read_text()


def address(app_url: str, path: str, lang: str) -> str:
    return f"{app_url}{path}{'&' if '?' in path else '?'}lang={lang}"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_serious_axe_violation_on_any_page(browser: Browser, app_url, axe_source, lang):
    """Each page is loaded once per language and checked in the four states a visitor may see it
    in: light and dark (the system's setting, which the page follows as it changes) at each width
    (the window resized: the layout is CSS, the same as a page opened at that width)."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, color_scheme="light", bypass_csp=True)
    page = context.new_page()
    found, checked = {}, 0
    try:
        for path, drawn in PAGES.items():
            page.goto(address(app_url, path, lang))
            if path.startswith("/city/"):  # the mini map is drawn when it nears the window (a phone's is below)
                page.locator("#city-map-slot").scroll_into_view_if_needed(timeout=40000)
            if path == "/findings":
                page.mouse.wheel(0, 1)
            elif path in USED:
                page.locator(USED[path]).hover()
            page.wait_for_selector(drawn, state="attached", timeout=40000)
            page.wait_for_load_state("networkidle")
            assert page.evaluate("document.documentElement.lang") == lang
            page.add_script_tag(content=axe_source)
            for theme in ("light", "dark"):
                page.emulate_media(color_scheme=theme)
                expect(page.locator("html"), f"{path}: the page follows the system's {theme} theme").to_have_attribute(
                    "data-theme", theme, timeout=10000)
                for width, height in SIZES.items():
                    page.set_viewport_size({"width": width, "height": height})
                    page.wait_for_timeout(300)  # the charts and the map follow the new size
                    checked += 1
                    if violations := page.evaluate(RUN_AXE):
                        found[f"{path} {theme} {width}px"] = violations
    finally:
        context.close()
    assert checked == len(PAGES) * 4
    assert found == {}


def focused(page: Page) -> dict:
    return page.evaluate("""() => { const a = document.activeElement;
        return {tag: a.tagName.toLowerCase(), id: a.id, city: a.getAttribute('data-marker-city'),
                label: a.getAttribute('aria-label') || a.textContent.trim().slice(0, 80),
                outline: getComputedStyle(a).outlineStyle, stroke: getComputedStyle(a).stroke}; }""")


def tab_until(page: Page, test, limit: int = 60) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if test(now):
            return now
    raise AssertionError(f"not reached with {limit} Tab presses; focus is on {focused(page)}")


def test_the_map_by_keyboard_alone(page: Page, app_url, console_errors):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(app_url + "/?region=europe&z=5&lat=48&lon=10")
    page.wait_for_selector(f"#{ids.MAP}", timeout=30000)
    page.wait_for_load_state("networkidle")

    # the second Tab stop is the skip link to the search, which takes the focus to it
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert focused(page)["label"] == "Skip to the city search"
    page.keyboard.press("Enter")
    expect(page.locator("#city-search")).to_be_focused()

    # the focus in the page has loaded Leaflet; from the search, Tab reaches the map's cities; Enter
    # opens the one in focus
    page.wait_for_selector("[data-marker-city]", timeout=30000)
    marker = tab_until(page, lambda f: bool(f["city"]))
    name = marker["label"].split(",")[0]
    assert re.fullmatch(r".+, .+, Innovation capacity: .+", marker["label"])
    page.keyboard.press("Enter")
    panel = page.locator("#city-panel")
    expect(panel).to_have_class(re.compile(r"\bopen\b"))
    expect(page.locator("#city-panel-title")).to_have_text(name)
    expect(page.locator("#city-panel-title")).to_be_focused()
    assert f"city={marker['city']}" in page.url

    # Esc closes the panel and the focus is back on the city it was opened from, ringed
    page.keyboard.press("Escape")
    expect(panel).not_to_have_class(re.compile(r"\bopen\b"))
    page.wait_for_function(f"() => document.activeElement.getAttribute('data-marker-city') === '{marker['city']}'")
    assert focused(page)["stroke"] in ("rgb(255, 191, 71)", "#ffbf47")  # the focus ring's colour

    # a group opens with Enter too: the map zooms in and the focus stays among the cities
    open_map(page, app_url + "/")
    page.wait_for_selector(".atlas-cluster[tabindex]", timeout=30000)
    page.wait_for_load_state("networkidle")
    tab_until(page, lambda f: f["label"].startswith("A group of"), limit=120)
    page.keyboard.press("Enter")
    page.wait_for_function("() => new URLSearchParams(location.search).get('z') > 2", timeout=10000)
    page.wait_for_function("() => document.activeElement.matches('[data-marker-city], .atlas-cluster, .leaflet-container')",
                           timeout=10000)
    assert console_errors == []


def test_from_the_search_to_a_city_page_and_back_to_a_filtered_map(page: Page, app_url, console_errors, store):
    """The journey of issue 13 with the keyboard alone: search, the panel, the city's page, the map
    again, a filter."""
    from dashboard.facets import Filters
    from tests.browser.helpers import count_text
    from tests.reference import count

    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(app_url + "/")
    page.wait_for_selector(f"#{ids.MAP}", timeout=30000)
    page.wait_for_load_state("networkidle")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#city-search")).to_be_focused()
    page.keyboard.press("B")  # the first letter opens the box; its search field takes the rest
    expect(page.locator("input.dash-dropdown-search")).to_be_focused()
    page.keyboard.type("ologna", delay=100)
    expect(page.locator("input.dash-dropdown-search")).to_have_value("Bologna")
    expect(page.get_by_role("option", name="Bologna (Italy)")).to_be_visible(timeout=10000)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator("#city-panel-title")).to_have_text("Bologna", timeout=10000)
    expect(page.locator("#city-search")).to_be_focused()
    tab_until(page, lambda f: f["label"] == "Full profile", limit=120)
    page.keyboard.press("Enter")
    page.wait_for_url("**/city/bologna-ita", timeout=20000)
    expect(page.locator("h1")).to_have_text("Bologna", timeout=20000)
    tab_until(page, lambda f: f["label"] == "Show on the map")
    page.keyboard.press("Enter")
    page.wait_for_url("**/?city=bologna-ita", timeout=20000)
    expect(page.locator("#city-panel-title")).to_have_text("Bologna", timeout=20000)
    # a filter by keyboard: the count (a live region) says the new number
    europe = tab_until(page, lambda f: f["tag"] == "input" and f["id"] == "" and
                       page.evaluate("() => document.activeElement.value") == "europe", limit=80)
    assert europe["tag"] == "input"
    page.keyboard.press("Space")
    expect(page.locator("#selection-count")).to_have_text(count_text(count(store, Filters(region=("europe",)))),
                                                          timeout=20000)
    assert page.locator("#selection-count").get_attribute("aria-live") == "polite"
    # the count is written in the frame of the key press; the address follows with the server's answer
    page.wait_for_url("**region=europe**", timeout=20000)
    assert console_errors == []


@pytest.mark.parametrize("opener", ["ArrowDown", "Enter"])
def test_tab_leaves_an_open_dropdown_as_it_leaves_a_closed_one_and_keeps_its_choice(
        page: Page, app_url, console_errors, store, opener):
    """An open dropdown's menu does not keep Tab: Tab closes it and moves on to the control after the
    dropdown, Shift+Tab to the one before, as from the closed dropdown (or a native select); what was
    chosen in the menu stays chosen."""
    from dashboard.facets import Filters
    from tests.browser.helpers import count_text
    from tests.reference import count

    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(app_url + "/")
    shown = page.locator("#selection-count")
    expect(shown).to_have_text(count_text(count(store)), timeout=30000)
    button, menu, search = page.locator("#filter-country"), page.locator(".dash-dropdown-content"), \
        page.locator("input.dash-dropdown-search")
    tab_until(page, lambda f: f["id"] == "filter-country", limit=80)
    # where Tab and Shift+Tab go from the closed dropdown
    page.keyboard.press("Tab")
    after = page.evaluate_handle("document.activeElement")
    page.keyboard.press("Shift+Tab")
    expect(button).to_be_focused()
    page.keyboard.press("Shift+Tab")
    before = page.evaluate_handle("document.activeElement")
    page.keyboard.press("Tab")
    expect(button).to_be_focused()
    for key, goes_to, back in (("Tab", after, "Shift+Tab"), ("Shift+Tab", before, "Tab")):
        page.keyboard.press(opener)
        expect(search).to_be_focused()  # the menu is open, the focus in it
        page.keyboard.press(key)
        expect(menu).to_have_count(0)
        expect(button).to_have_attribute("aria-expanded", "false")
        assert page.evaluate("(el) => document.activeElement === el", goes_to), (key, focused(page))
        page.keyboard.press(back)
        expect(button).to_be_focused()
    expect(shown).to_have_text(count_text(count(store)))
    # a country chosen in the menu stays chosen when Tab leaves it
    page.keyboard.press(opener)
    expect(search).to_be_focused()
    page.keyboard.type("Italy")
    option = menu.locator("input[type=checkbox]")
    expect(option).to_have_count(1)  # the menu lists Italy only
    # Dash's menu, once its list has changed, moves the focus back to its search field in an effect
    # that runs up to a frame after the new list is shown; an arrow key pressed before then is undone
    # (seen under load). The visitor who reads the list first, as here, is not affected.
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done))))")
    page.keyboard.press("ArrowDown")
    expect(option).to_be_focused()
    page.keyboard.press("Space")
    expect(option).to_be_checked()
    page.keyboard.press("Tab")
    expect(menu).to_have_count(0)
    assert page.evaluate("(el) => document.activeElement === el", after), focused(page)
    expect(shown).to_have_text(count_text(count(store, Filters(country=("ITA",)))), timeout=20000)
    expect(button).to_contain_text("Italy")
    page.wait_for_url("**country=ITA**", timeout=20000)
    assert console_errors == []


def test_a_city_from_the_list_and_back(page: Page, app_url, console_errors):
    # a small selection lists its cities beside the map: the list is the map's text equivalent
    open_map(page, app_url + "/?country=ITA")
    first = page.locator("#selection-list button[data-city]").first
    expect(first).to_be_visible(timeout=30000)
    city = first.get_attribute("data-city")
    first.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#city-panel-title")).to_be_focused(timeout=10000)
    expect(page.locator("#city-panel-title")).to_have_text(first.text_content())
    page.keyboard.press("Escape")
    page.wait_for_function(f"() => document.activeElement.getAttribute('data-city') === '{city}'", timeout=10000)
    assert console_errors == []


def test_the_theme_toggle_is_kept_and_recolours_charts(browser: Browser, app_url):
    context = browser.new_context(color_scheme="light")
    page = context.new_page()
    try:
        page.goto(app_url + "/findings")
        page.mouse.wheel(0, 1)  # reading: the charts near the window are drawn
        page.wait_for_selector("#findings-strategy .main-svg", timeout=40000)
        toggle = page.locator("#theme-toggle")
        expect(toggle).to_have_attribute("aria-pressed", "false")
        background = "() => getComputedStyle(document.documentElement).backgroundColor"
        assert page.evaluate(background) == "rgb(255, 255, 255)"
        toggle.click()
        expect(toggle).to_have_attribute("aria-pressed", "true")
        assert page.evaluate(background) != "rgb(255, 255, 255)"
        # every chart takes the dark theme's colours
        drawn_dark = """() => { const drawn = [...document.querySelectorAll('.js-plotly-plot')].filter(gd => gd._fullLayout);
            const bg = getComputedStyle(document.documentElement).getPropertyValue('--bg').trim();
            return drawn.length > 0 && drawn.every(gd => gd._fullLayout.paper_bgcolor === bg); }"""
        page.wait_for_function(drawn_dark, timeout=10000)
        # a chart drawn later (as it comes into view) is dark too
        page.locator("#findings-live").scroll_into_view_if_needed()
        page.wait_for_selector("#findings-live .main-svg", timeout=40000)
        page.wait_for_function(drawn_dark, timeout=10000)
        # print is always light
        page.emulate_media(media="print")
        assert page.evaluate(background) == "rgb(255, 255, 255)"
        page.emulate_media(media="screen")
        assert page.evaluate(background) != "rgb(255, 255, 255)"
        # the choice is kept: the next page opens dark, before any of its scripts but the head's
        page.goto(app_url + "/about")
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        expect(page.locator("#theme-toggle")).to_have_attribute("aria-pressed", "true")
        # the address may ask for a theme (an embed), and wins over the kept choice
        page.goto(app_url + "/about?theme=light")
        assert page.evaluate("document.documentElement.dataset.theme") == "light"
    finally:
        context.close()


def test_the_theme_is_set_before_the_first_paint(flask_client):
    """The head's script sets the theme before any stylesheet applies (no flash of the other
    theme), and the CSP lets it run by its hash."""
    from dashboard.web.guard import script_hashes

    response = flask_client.get("/about")
    page = response.get_data(as_text=True)
    head = page[:page.index("</head>")]
    script = head.index("data-theme")
    assert script < head.index('rel="stylesheet"')
    policy = response.headers["Content-Security-Policy"]
    assert all(h in policy for h in script_hashes(page))
