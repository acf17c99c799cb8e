"""What a visitor sees of the atlas's design (issue 11), in Debian Chromium at 1366×900 and 390×844:
clusters in the tier colours, country names, the map fitting a filter, the list of the cities
shown, comparing without leaving the map, copy link and cite, and phones."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from playwright.sync_api import expect

from dashboard import ids
from dashboard.facets import Filters
from layers.style import RING_COLOR
from tests.browser.helpers import MARKERS_JS, expect_cities, open_map, shown_count, use_map
from tests.reference import count

pytestmark = pytest.mark.browser

DESKTOP, PHONE = {"width": 1366, "height": 900}, {"width": 390, "height": 844}

# every cluster icon: its count, its tier mix (data-tiers) and the colours its ring is drawn in
CLUSTERS_JS = """() => [...document.querySelectorAll('.atlas-cluster')].map(el => {
  const ring = el.querySelector('.cluster-ring'), box = el.getBoundingClientRect();
  return {count: parseInt(el.textContent, 10), tiers: ring.dataset.tiers, background: ring.style.background,
          box: [box.left, box.top, box.right, box.bottom]};
})"""

# content wider than its box (cut off or overflowing): [selector, scrollWidth, clientWidth]
OVERFLOW_JS = """(selector) => [...document.querySelectorAll(selector)]
  .filter(el => el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1)
  .map(el => [el.className || el.tagName, el.scrollWidth, el.clientWidth, el.textContent.slice(0, 40)])"""


def rgb(hex_colour: str) -> str:
    h = hex_colour.lstrip("#")
    return "rgb({}, {}, {})".format(*(int(h[i:i + 2], 16) for i in (0, 2, 4)))


def tier_mix(text: str) -> dict[str, int]:
    return {t: int(n) for t, n in (part.split(":") for part in text.split(","))}


def test_clusters_carry_the_tier_colours_of_their_cities_and_never_overlap(page, app_url, console_errors, store):
    page.set_viewport_size(DESKTOP)
    open_map(page, app_url + "/")
    expect_cities(page, count(store))
    clusters = page.evaluate(CLUSTERS_JS)
    assert clusters
    tiers_of = {r["id"]: r["psi_tier"] for r in store.city_rows()}
    assert sum(c["count"] for c in clusters) + page.locator("path.city-marker").count() == len(tiers_of)
    for c in clusters:
        mix = tier_mix(c["tiers"])
        assert sum(mix.values()) == c["count"]
        # the ring is drawn in exactly the colours of the tiers it holds
        assert set(re.findall(r"rgb\(\d+, \d+, \d+\)", c["background"])) == {rgb(RING_COLOR[t]) for t in mix}
    # the whole map's mix is the store's
    total: dict[str, int] = {}
    for c in clusters:
        for t, n in tier_mix(c["tiers"]).items():
            total[t] = total.get(t, 0) + n
    for el in page.locator("path.city-marker").all():
        tier = re.search(r"tier-(\w+)", el.get_attribute("class")).group(1)
        total[tier] = total.get(tier, 0) + 1
    assert total == {t: list(tiers_of.values()).count(t) for t in set(tiers_of.values())}
    for i, a in enumerate(clusters):
        for b in clusters[i + 1:]:
            overlap_x = min(a["box"][2], b["box"][2]) - max(a["box"][0], b["box"][0])
            overlap_y = min(a["box"][3], b["box"][3]) - max(a["box"][1], b["box"][1])
            assert overlap_x <= 1 or overlap_y <= 1, (a, b)

    # a selection of one tier: every ring is that tier's colour alone
    open_map(page, app_url + "/?tier=high")
    expect_cities(page, count(store, Filters(tier=("high",))))
    for c in page.evaluate(CLUSTERS_JS):
        assert list(tier_mix(c["tiers"])) == ["high"]
        assert set(re.findall(r"rgb\(\d+, \d+, \d+\)", c["background"])) == {rgb(RING_COLOR["high"])}
    assert console_errors == []


def test_country_names_show_without_overlapping(page, app_url, console_errors, store):
    page.set_viewport_size(DESKTOP)
    open_map(page, app_url + "/?region=europe&tier=high")
    expect_cities(page, count(store, Filters(region=("europe",), tier=("high",))))
    labels = page.locator(".country-label:not(.label-hidden) span")
    expect(labels.filter(has_text=re.compile("^France$"))).to_have_count(1)
    boxes = [labels.nth(i).bounding_box() for i in range(labels.count())]
    assert len(boxes) > 10
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                    or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"]), (a, b)
    # a city opened alone is named on the map, among its country's names
    open_map(page, app_url + "/?city=bologna-ita")
    expect(page.locator(".leaflet-tooltip.selected-name")).to_have_text("Bologna", timeout=20000)
    expect(page.locator(".country-label:not(.label-hidden)").filter(has_text="Italy")).to_have_count(1)
    assert console_errors == []


def test_after_a_filter_the_map_fits_the_selection_unless_the_visitor_moved_it(page, app_url, console_errors, store):
    page.set_viewport_size(DESKTOP)
    # a view in the URL: the page keeps it (only Italy's cities are in it) ...
    open_map(page, app_url + "/?z=6&lat=43.00&lon=12.00")
    page.wait_for_function(f"() => ({MARKERS_JS})() > 0", timeout=20000)
    assert page.evaluate(MARKERS_JS) < count(store)
    # ... until a filter changes: then every city of the selection is in view (clusters are only drawn in view)
    page.get_by_label(re.compile(r"^North America \(\d+\)$")).check()
    expect_cities(page, count(store, Filters(region=("north-america",))))
    # once the visitor moves the map, a filter leaves the view alone
    page.get_by_role("button", name="Zoom in").click()
    page.wait_for_timeout(500)
    page.get_by_label(re.compile(r"^North America \(\d+\)$")).uncheck()
    page.get_by_label(re.compile(r"^Asia \(\d+\)$")).check()
    expect(page.locator("#selection-count")).to_contain_text(str(count(store, Filters(region=("asia",)))))
    page.wait_for_timeout(800)
    assert page.evaluate(MARKERS_JS) == 0  # Asia is off screen: the map stayed over North America
    assert console_errors == []


def test_the_selection_list_names_the_cities_and_builds_a_comparison_on_the_map(page, app_url, console_errors, store):
    page.set_viewport_size(DESKTOP)
    f = Filters(region=("europe",), tier=("high",))
    rows = store.city_rows(f)
    open_map(page, app_url + "/?region=europe&tier=high")
    items = page.locator("#selection-list .list-city")
    expect(items).to_have_count(len(rows), timeout=20000)
    assert items.all_text_contents() == [r["name"] for r in rows]
    bologna = next(r for r in rows if r["id"] == "bologna-ita")
    expect(page.locator("#selection-list li").filter(has_text="Bologna")).to_contain_text(
        f"High (estimate) · {bologna['psi_index']:.1f}")  # its tier and score

    # a name opens the city's panel, on the map
    page.locator("#selection-list").get_by_role("button", name="Bologna", exact=True).click()
    expect(page.locator("#city-panel h2")).to_have_text("Bologna", timeout=10000)
    page.wait_for_function("() => new URLSearchParams(location.search).get('city') === 'bologna-ita'")
    # "Add to compare" in the panel and "Compare" in the list keep the visitor on the map
    page.evaluate("localStorage.clear()")
    page.locator("#city-panel").get_by_role("link", name="Add to compare").click()
    tray = page.locator("#compare-tray")
    expect(tray).to_contain_text("1 city to compare", timeout=10000)
    madrid = next(r for r in rows if r["id"] != "bologna-ita")
    page.locator("#selection-list").get_by_role("button", name=f"Add {madrid['name']} to the comparison").click()
    expect(tray).to_contain_text("2 cities to compare", timeout=10000)
    assert page.url.startswith(app_url + "/?")  # still the map
    tray.get_by_role("button", name=f"Remove {madrid['name']} from the comparison").click()
    expect(tray).to_contain_text("1 city to compare", timeout=10000)
    page.locator("#selection-list").get_by_role("button", name=f"Add {madrid['name']} to the comparison").click()
    tray.get_by_role("link", name="Compare").click()
    expect(page).to_have_url(re.compile(rf"/compare\?cities=bologna-ita,{madrid['id']}$"), timeout=20000)
    expect(page.locator("#compare-table thead")).to_contain_text(madrid["name"], timeout=20000)
    # a larger selection points to the table instead of a long list
    open_map(page, app_url + "/")
    expect(page.locator("#selection-list")).to_contain_text(f"see the {count(store)} cities in the table",
                                                             timeout=20000)
    assert console_errors == []


@pytest.mark.parametrize("path, title", [
    ("/?region=europe&tier=high", "Map of cities"), ("/table?region=asia", "Cities table"),
    ("/compare?cities=bologna-ita,madrid-esp", "Compare cities"), ("/city/bologna-ita", "Bologna"),
])
def test_copy_link_and_cite_give_the_current_address(page, app_url, console_errors, path, title):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.set_viewport_size(DESKTOP)
    page.goto(app_url + path)
    copy = page.locator(".share-tools").get_by_role("button", name="Copy link")
    expect(copy).to_be_visible(timeout=20000)
    if path.startswith("/?"):  # the map's address changes as the visitor works: the link follows it
        use_map(page)
        expect(page.locator(".marker-cluster, path.city-marker").first).to_be_attached(timeout=20000)
        page.get_by_label(re.compile(r"^Low \(\d+\)$")).check()
        page.wait_for_function("() => new URLSearchParams(location.search).get('tier') === 'high,low'")
    copy.click()
    expect(page.locator(".copy-status")).to_have_text("Link copied")
    assert page.evaluate("navigator.clipboard.readText()") == page.url
    page.locator(".share-tools").get_by_text("Cite this").click()
    citation = page.locator("#citation")
    expect(citation).to_be_visible()
    text = citation.text_content()
    assert text.startswith(f"City Innovation Atlas. “{title}”. {page.url} (accessed ")
    assert datetime.now(timezone.utc).date().isoformat() in text and "OECD / Bloomberg Philanthropies" in text
    page.locator(".share-tools").get_by_role("button", name="Copy citation").click()
    expect(page.locator(".copy-status")).to_have_text("Citation copied")
    assert page.evaluate("navigator.clipboard.readText()") == text
    assert console_errors == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_nothing_is_cut_off_in_the_sidebar_the_panel_and_compare(page, app_url, console_errors, store, viewport):
    page.set_viewport_size(viewport)
    open_map(page, app_url + "/?region=europe&city=bologna-ita")
    expect(page.locator("#city-panel h2")).to_have_text("Bologna", timeout=20000)
    assert page.evaluate(OVERFLOW_JS, "#city-panel, #city-panel dd, #city-panel dt, #city-panel p") == []
    # the summary's bars: every label whole and legible, every share drawn
    if viewport is DESKTOP:
        for text in page.locator(".share-text").all():
            box = text.bounding_box()
            assert box["height"] >= 12 and text.evaluate("el => el.scrollHeight <= el.clientHeight + 1")
        widths = page.locator(".share-selection .share-fill").evaluate_all("els => els.map(e => e.offsetWidth)")
        assert widths and all(w > 0 for w in widths)
        assert page.evaluate(OVERFLOW_JS, "#filters, .share-bar, .list-item") == []
    page.goto(app_url + "/compare?cities=bologna-ita,madrid-esp,amsterdam-nld")
    expect(page.locator("#compare-table")).to_be_visible(timeout=20000)
    assert page.evaluate(OVERFLOW_JS, "#compare-table th, #compare-table td") == []
    # the city columns never overlap: each heading starts where the one before it ends
    heads = [page.locator("#compare-table thead th").nth(i).bounding_box() for i in range(3)]
    assert all(a["x"] + a["width"] <= b["x"] + 1 for a, b in zip(heads, heads[1:]))
    assert console_errors == []


def test_on_a_phone_the_count_shows_the_map_fills_the_screen_and_a_city_opens_above_the_sheet(
        page, app_url, console_errors, store):
    page.set_viewport_size(PHONE)
    open_map(page, app_url + "/?region=europe")
    europe = count(store, Filters(region=("europe",)))
    expect_cities(page, europe)
    toolbar_count = page.locator("#toolbar-count")
    expect(toolbar_count).to_be_visible()
    expect(toolbar_count).to_have_text(f"{europe} cities shown")
    assert shown_count(page) == europe
    expect(page.locator("#filters")).to_be_hidden()
    box = page.locator("#atlas-map").bounding_box()
    assert box["width"] >= 388 and abs(box["y"] + box["height"] - PHONE["height"]) <= 2  # no band below the map

    open_map(page, app_url + "/?city=bologna-ita")
    sheet = page.locator("#city-panel")
    expect(sheet).to_be_visible(timeout=20000)
    ring = page.locator("path.selected-city")
    expect(ring).to_have_count(1, timeout=20000)
    page.wait_for_timeout(500)
    top = sheet.bounding_box()["y"]
    r = ring.bounding_box()
    assert r["y"] + r["height"] <= top and r["y"] >= box["y"]  # above the sheet, inside the map
    assert console_errors == []


# how many lines an element's text takes (a JavaScript function)
TEXT_LINES_JS = """el => {
  const range = document.createRange();
  range.selectNodeContents(el);
  return new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size;
}"""
# each link of the header: its words, how many lines its text takes, its height and its font size
HEADER_LINKS_JS = """() => [...document.querySelectorAll('.site-header a')].map(a => [
  a.textContent.trim(), (%s)(a), a.getBoundingClientRect().height, parseFloat(getComputedStyle(a).fontSize)])""" % TEXT_LINES_JS


def header_links_on_one_line(page, url: str, width: int, height: int) -> list:
    """Open ``url`` at this size once Dash has drawn its header; every link of the header reads on one
    line, and the seven links of the navigation are on one line. The header's links (HEADER_LINKS_JS)."""
    page.set_viewport_size({"width": width, "height": height})
    page.goto(url)
    nav = page.locator(f"#{ids.NAV}")  # Dash's header (the first paint's has no id)
    expect(nav.locator("a")).to_have_count(7, timeout=20000)
    links = page.evaluate(HEADER_LINKS_JS)
    assert [words for words, lines, *_ in links if lines != 1] == [], links
    tops = nav.locator("a").evaluate_all("links => links.map(a => Math.round(a.getBoundingClientRect().top))")
    assert len(set(tops)) == 1, tops
    return links


def keyboard_reaches_every_link(page, width: int) -> None:
    """From the atlas's name, Tab goes through the navigation, each link in view as it is focused (the
    navigation's row scrolls to it when its links are wider than the window)."""
    nav = page.locator(f"#{ids.NAV}")
    page.locator(".site-header .brand").focus()
    for i in range(7):
        page.keyboard.press("Tab")
        link = nav.locator("a").nth(i)
        expect(link).to_be_focused()
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (i, box)


@pytest.mark.parametrize("width, height", [(390, 844), (320, 700)])
@pytest.mark.parametrize("lang, theme", [("en", "light"), ("fr", "dark")])
def test_the_header_fits_a_phone_each_link_on_one_line_and_the_keyboard_reaches_every_link(
        page, app_url, console_errors, width, height, lang, theme):
    """At 390 and 320 px, English and French: the navigation is one row ("Present" beside "Map", never on
    a line of its own), every link of the header reads on one line, nothing is wider than the phone;
    a link the navigation scrolls out of view is brought into it when the keyboard comes to it."""
    links = header_links_on_one_line(page, app_url + f"/?lang={lang}&theme={theme}", width, height)
    assert all(box < 1.6 * font for _, _, box, font in links), links  # one line high
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    keyboard_reaches_every_link(page, width)
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert console_errors == []


# the header's three parts as boxes [left, top, right, bottom], the navigation's widths and the header's height
HEADER_BOXES_JS = """() => {
  const box = el => { const b = el.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
  const header = document.querySelector('.site-header'), nav = header.querySelector('.site-nav');
  return {brand: box(header.querySelector('.brand')), tools: box(header.querySelector('.header-tools')), nav: box(nav),
          navScroll: nav.scrollWidth, navClient: nav.clientWidth, height: header.getBoundingClientRect().height};
}"""


@pytest.mark.parametrize("width, height", [(641, 900), (820, 1180), (1000, 800)])
@pytest.mark.parametrize("lang, theme", [("en", "light"), ("fr", "dark")])
def test_the_header_on_a_tablet_is_the_name_and_tools_on_one_row_and_the_links_on_one_line_below(
        page, app_url, console_errors, width, height, lang, theme):
    """From 641 to 1000 px, English and French: the atlas's name with the languages and the theme at the
    row's end, beside each other without touching, and the seven links on one line below them (from
    820 px all in view, narrower a row that scrolls sideways, as on a phone, to the link the keyboard comes
    to), every link of the header on one line, nothing wider than the window. (The links wrapped into two or three uneven rows
    beside the name, which took three lines in French.)"""
    header_links_on_one_line(page, app_url + f"/findings?lang={lang}&theme={theme}", width, height)
    b = page.evaluate(HEADER_BOXES_JS)
    brand, tools, bar = b["brand"], b["tools"], b["nav"]
    assert brand[2] <= tools[0], b  # side by side, the name first
    assert max(brand[1], tools[1]) < min(brand[3], tools[3]), b  # on one row
    assert bar[1] >= max(brand[3], tools[3]) - 1, b  # the links below both
    assert tools[2] <= width and b["height"] <= 90, b
    if width >= 820:
        assert b["navScroll"] <= b["navClient"], b
    keyboard_reaches_every_link(page, width)
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert console_errors == []


# every part of the header a visitor sees, each as [words, left, top, right, bottom]: the atlas's name, each link
# of the navigation, the languages (and the bar between them) and the theme toggle
HEADER_PARTS_JS = """() => [...document.querySelectorAll(
    '.site-header .brand, .site-header .site-nav a, .site-header .lang-switch > *, .site-header .theme-toggle')]
  .map(el => { const b = el.getBoundingClientRect();
               return [el.textContent.trim() || el.className, b.left, b.top, b.right, b.bottom]; })"""


@pytest.mark.parametrize("width", [1001, 1100, 1200, 1330, 1366])
@pytest.mark.parametrize("lang, theme", [("en", "light"), ("fr", "dark")])
def test_the_header_on_a_desktop_has_its_links_on_one_line_and_nothing_overlapping_or_past_the_window(
        page, app_url, console_errors, width, lang, theme):
    """From 1001 px up, English and French: the seven links on one line (beside the atlas's name when they
    fit there, else on a row of their own below it), each link one line high, all of them in view, and no
    part of the header over another or past the window's edge. (In French up to about 1330 px, and in
    English at 1001 to 1100, the links wrapped into two rows beside the name, which took two lines.)"""
    links = header_links_on_one_line(page, app_url + f"/findings?lang={lang}&theme={theme}", width, 900)
    assert all(box < 1.6 * font for _, _, box, font in links), links  # one line high
    nav = page.locator(f"#{ids.NAV}")
    assert nav.evaluate("nav => nav.scrollWidth <= nav.clientWidth"), "links scrolled out of view"
    parts = page.evaluate(HEADER_PARTS_JS)
    for words, left, top, right, bottom in parts:
        assert left >= 0 and right <= width, (words, left, right)
    for i, (a, *box_a) in enumerate(parts):
        for b, *box_b in parts[i + 1:]:
            overlap_x = min(box_a[2], box_b[2]) - max(box_a[0], box_b[0])
            overlap_y = min(box_a[3], box_b[3]) - max(box_a[1], box_b[1])
            assert overlap_x <= 0 or overlap_y <= 0, (a, box_a, b, box_b)
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert console_errors == []


# the map toolbar's buttons a visitor sees: [words, lines of text, width, height, right edge, wider than its box]
TOOLBAR_BUTTONS_JS = """() => [...document.querySelectorAll(
    '.map-toolbar .filters-toggle, .map-toolbar .share-tools > .button-link, .map-toolbar .cite > summary')]
  .filter(el => el.offsetParent !== null).map(el => {
    const box = el.getBoundingClientRect();
    return [el.textContent.trim(), (%s)(el), box.width, box.height, box.right, el.scrollWidth > el.clientWidth + 1];
  })""" % TEXT_LINES_JS


@pytest.mark.parametrize("width, height", [(320, 700), (390, 844), (700, 1000), (1001, 800), (1366, 900)])
def test_in_french_each_map_toolbar_button_reads_on_one_line_and_fits_the_window(
        page, app_url, console_errors, width, height):
    """French's longer labels ("Copier le lien", "Citer cette page") on a phone, beside the filters on a
    tablet and on a desktop: each button's label on one line, nothing cut off or past the window's edge, each
    button at least 24 px square to tap; on a desktop the toolbar keeps its one row, its search box room to
    read, and "Not on the map?" (shown from 1280 px) two lines at most, one from 1366 px with the search
    box's hint whole. (At 320 px and at 1366 px the labels
    wrapped in two lines; at 700 px the toolbar was wider than the window; at 1001 px the search box was 68 px
    wide beside a link of five lines.)"""
    page.set_viewport_size({"width": width, "height": height})
    page.goto(app_url + "/?lang=fr")
    expect(page.locator(f"#{ids.COPY_LINK}")).to_be_visible(timeout=20000)  # Dash's toolbar
    page.wait_for_load_state("networkidle")  # and its search box, drawn by its own chunk
    buttons = page.evaluate(TOOLBAR_BUTTONS_JS)
    assert len(buttons) == (4 if width <= 640 else 3), buttons
    for words, lines, w, h, right, cut in buttons:
        assert lines == 1 and not cut, buttons
        assert w >= 24 and h >= 24 and right <= width, buttons
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    if width > 1000:
        toolbar = page.evaluate("""() => {
            const box = (el) => el ? el.getBoundingClientRect() : null, bar = box(document.querySelector('.map-toolbar'));
            const search = box(document.querySelector('.map-toolbar .search-label').nextElementSibling);
            const assess = box(document.querySelector('.search-assess'));
            const hint = document.querySelector('.map-toolbar .dash-dropdown-placeholder');
            return {bar: bar.height, search: search.width, assess: assess ? assess.height : 0,
                    hintCut: !!hint && hint.scrollWidth > hint.clientWidth + 1,
                    line: parseFloat(getComputedStyle(document.querySelector('.map-toolbar')).fontSize) * 1.2};
        }""")
        assert toolbar["bar"] <= 56 and toolbar["search"] >= 150, toolbar
        assert toolbar["assess"] <= 2 * toolbar["line"] + 2 and (toolbar["assess"] > 0) == (width >= 1280), toolbar
        if width >= 1366:  # a desktop: "Pas sur la carte ? Évaluer votre ville" on one line, the search hint whole
            assert toolbar["assess"] <= toolbar["line"] + 2 and not toolbar["hintCut"], toolbar
    assert console_errors == []
