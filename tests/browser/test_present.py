"""The presentation (/present) as a presenter uses it: from the keyboard on a projector-sized window,
with the address keeping the slide; and a city's spotlight."""
from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import count_text, open_map

pytestmark = pytest.mark.browser

# the cities ringed on the map and the names beside them: Leaflet's, or before Leaflet has loaded the first
# view's drawing of the map (the names of the slide before fade out, opacity 0, for 200 ms)
RINGED_JS = """() => {
  const first = document.querySelector('.first-map:not([hidden]) .first-zoom:not([hidden])');
  const rings = first ? first.querySelectorAll('.first-ring') : document.querySelectorAll('.highlight-marker');
  const names = first ? [...first.querySelectorAll('.first-name')]
    : [...document.querySelectorAll('.highlight-name')].filter(e => e.style.opacity !== '0');
  return {drawn: !!first, highlighted: rings.length, named: names.map(e => e.textContent)};
}"""
# what the current slide shows: its title, its number, the map's highlighted cities, and whether
# anything scrolls or overflows
STATE_JS = """() => {
  const slide = document.querySelector('.slide.current');
  const box = document.querySelector('.slides');
  return {n: Number(slide.dataset.slide), title: slide.querySelector('.slide-title').textContent,
          counter: document.getElementById('present-counter').textContent, ...(""" + RINGED_JS + """)(),
          pageScrolls: document.documentElement.scrollHeight > window.innerHeight + 1,
          slideOverflows: box.scrollHeight > box.clientHeight + 1 || slide.scrollHeight > slide.clientHeight + 1};
}"""
# the smallest type of the slide's text (its notes hidden; chart labels are drawn by plotly)
SMALLEST_JS = """() => {
  const sizes = [];
  for (const el of document.querySelectorAll('.slide.current *')) {
    if (el.closest('.slide-notes, .slide-chart') || !el.offsetParent) continue;
    if ([...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
      sizes.push(parseFloat(getComputedStyle(el).fontSize));
  }
  return Math.min(...sizes);
}"""


@pytest.fixture(scope="module")
def slides(flask_client):
    """Each slide's title, how many cities it highlights and the ones it names, as the server builds them."""
    import app as app_module
    from dashboard.views import present_view

    with app_module.server.test_request_context("/present"):
        return [(s.title, len(s.highlight), [p["name"] for p in s.highlight if p["named"]])
                for s in present_view.slides()]


def state(page: Page) -> dict:
    return page.evaluate(STATE_JS)


def expect_slide(page: Page, n: int, slides: list) -> dict:
    title, highlighted, named = slides[n - 1]
    # the slide's names, not the slide before's: two slides in a row may highlight as many cities and name
    # as many
    page.wait_for_function(f"""() => {{
      const s = document.querySelector('.slide.current'), ringed = ({RINGED_JS})();
      return s && s.dataset.slide === '{n}' && ringed.highlighted === {highlighted}
        && JSON.stringify(ringed.named.sort()) === {json.dumps(json.dumps(sorted(named), ensure_ascii=False, separators=(",", ":")), ensure_ascii=False)}
        && location.search.includes('slide={n}');
    }}""", timeout=20000)
    now = state(page)
    assert now["title"] == title and now["counter"] == f"{n} / {len(slides)}"
    assert sorted(now["named"]) == sorted(named)
    return now


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_keyboard_walk_through_every_slide(page, app_url, console_errors, slides, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(app_url + "/present")
    expect_slide(page, 1, slides)
    keys = ["ArrowRight", " ", "PageDown"]
    for n in range(1, len(slides) + 1):
        if n > 1:
            page.keyboard.press(keys[n % 3])
        now = expect_slide(page, n, slides)
        assert not now["pageScrolls"] and not now["slideOverflows"], (n, now)
        if size == (1920, 1080):
            assert page.evaluate(SMALLEST_JS) >= 24, n
    page.keyboard.press("ArrowRight")  # past the last slide: stays there
    expect_slide(page, len(slides), slides)
    page.keyboard.press("Home")
    expect_slide(page, 1, slides)
    page.keyboard.press("End")
    expect_slide(page, len(slides), slides)
    page.keyboard.press("PageUp")
    expect_slide(page, len(slides) - 1, slides)
    page.keyboard.press("ArrowLeft")
    expect_slide(page, len(slides) - 2, slides)
    page.keyboard.press("1")
    page.keyboard.press("2")  # within a second: slide 12
    expect_slide(page, 12, slides)
    assert console_errors == []


def test_the_address_opens_a_slide_and_back_and_forward_step_through_them(page, app_url, console_errors, slides):
    page.goto(app_url + "/present?slide=4")
    expect_slide(page, 4, slides)
    page.get_by_role("button", name="Next →").click()
    expect_slide(page, 5, slides)
    page.get_by_role("button", name="Next →").click()
    expect_slide(page, 6, slides)
    page.go_back()
    expect_slide(page, 5, slides)
    page.go_back()
    expect_slide(page, 4, slides)
    page.go_forward()
    expect_slide(page, 5, slides)
    page.get_by_role("button", name="← Previous").click()
    expect_slide(page, 4, slides)
    assert console_errors == []


@pytest.mark.parametrize("raw, n", [("99", "last"), ("0", 1), ("abc", 1), ("4.5", 1)])
def test_out_of_range_or_malformed_slide_numbers_clamp(page, app_url, console_errors, slides, raw, n):
    n = len(slides) if n == "last" else n
    page.goto(app_url + f"/present?slide={raw}")
    expect_slide(page, n, slides)
    assert page.url.endswith(f"/present?slide={n}")
    assert console_errors == []


def test_the_map_flies_to_the_slides_city(page, app_url, console_errors, slides):
    page.set_viewport_size({"width": 1920, "height": 1080})
    n = next(i for i, (_t, _h, named) in enumerate(slides, start=1) if named == ["Helsingborg"])
    page.goto(app_url + f"/present?slide={n - 1}")
    expect_slide(page, n - 1, slides)
    page.keyboard.press("ArrowRight")
    expect_slide(page, n, slides)
    # after the flight, the city's ring is in the middle of the map
    page.wait_for_function("""() => {
      const ring = document.querySelector('.highlight-marker.named'), map = document.getElementById('present-map');
      if (!ring) return false;
      const r = ring.getBoundingClientRect(), m = map.getBoundingClientRect();
      return Math.abs((r.left + r.right) / 2 - (m.left + m.right) / 2) < 40
        && Math.abs((r.top + r.bottom) / 2 - (m.top + m.bottom) / 2) < 40;
    }""", timeout=20000)
    expect(page.locator(".highlight-name")).to_have_text("Helsingborg")
    assert console_errors == []


def test_escape_opens_the_same_view_in_the_explorer(page, app_url, console_errors, slides):
    n = next(i for i, (t, _h, _n) in enumerate(slides, start=1) if t == "Strategy, goals and approaches")
    page.goto(app_url + f"/present?slide={n}")
    expect_slide(page, n, slides)
    highlighted = slides[n - 1][1]
    page.keyboard.press("Escape")
    page.wait_for_url("**/?strategy=yes&city=las-vegas-usa", timeout=20000)
    expect(page.locator("#city-panel-body h2")).to_have_text("Las Vegas", timeout=20000)
    # the explorer shows the slide's selection (the slide adds its example city, outside the filter)
    expect(page.locator("#selection-count")).to_have_text(count_text(highlighted - 1), timeout=20000)
    assert console_errors == []


def test_notes_and_full_screen_controls(page, app_url, console_errors, slides):
    page.goto(app_url + "/present?slide=2")
    expect_slide(page, 2, slides)
    notes = page.locator(".slide.current .slide-notes")
    expect(notes).to_be_hidden()
    page.keyboard.press("n")
    expect(notes).to_be_visible()
    expect(notes).to_contain_text("two waves")
    page.get_by_role("button", name="Notes (n)").click()
    expect(notes).to_be_hidden()
    expect(page.get_by_role("button", name="Full screen (f)")).to_be_visible()
    assert console_errors == []


def test_present_this_city_from_its_page(page, app_url, console_errors):
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(app_url + "/city/bologna-ita")
    page.get_by_role("link", name="Present this city").click()
    page.wait_for_url("**/present?city=bologna-ita*", timeout=20000)
    slide = page.locator(".slide.current")
    expect(slide.locator(".slide-title")).to_have_text("Bologna", timeout=20000)
    expect(slide.locator(".big-components li")).to_have_count(5)
    expect(slide.locator(".big-spotlight-title")).not_to_be_empty()
    # the map, drawn in the first view (the link is a page load), names the city
    page.wait_for_function(f"() => JSON.stringify(({RINGED_JS})().named) === '[\"Bologna\"]'", timeout=20000)
    assert page.evaluate(STATE_JS)["pageScrolls"] is False
    assert console_errors == []


def test_present_this_city_from_the_map_panel(page, app_url, console_errors):
    open_map(page, app_url + "/?city=helsingborg-swe")
    link = page.locator("#city-panel-body").get_by_role("link", name="Present this city")
    expect(link).to_have_attribute("href", "/present?city=helsingborg-swe", timeout=20000)
    link.click()
    expect(page.locator(".slide.current .slide-title")).to_have_text("Helsingborg", timeout=20000)
    assert console_errors == []


def test_the_sites_navigation_opens_the_presentation(page, app_url, console_errors, slides):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(app_url + "/findings")
    page.locator("#site-nav").get_by_role("link", name="Present").click()
    page.wait_for_url("**/present", timeout=20000)
    expect(page.locator(".slide.current .slide-title")).to_have_text(slides[0][0], timeout=20000)
    expect(page.locator("#present-counter")).to_have_text(f"1 / {len(slides)}")
    assert console_errors == []


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_a_chart_slide_prints_its_question_and_fills_the_slide_with_large_type(page, app_url, console_errors, flask_client,
                                                                             slides, size):
    import app as app_module
    from dashboard.views import present_view

    with app_module.server.test_request_context("/present"):
        chart = next(s for s in present_view.slides() if s.kind == "chart")
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(app_url + f"/present?slide={chart.number}")
    expect_slide(page, chart.number, slides)
    slide = page.locator(".slide.current")
    # the question as text over the chart, whole (it wraps; no button covers it)
    expect(slide.locator(".slide-chart-title")).to_have_text(chart.chart_title["text"])
    expect(slide.locator(".slide-chart .main-svg").first).to_be_attached(timeout=20000)
    expect(slide.locator(".slide-chart .modebar-container")).to_be_hidden()
    drawn = page.evaluate("""() => {
      const box = document.querySelector('.slide.current .slide-chart');
      const svg = box.querySelector('.main-svg').getBoundingClientRect();
      const ticks = [...box.querySelectorAll('.xtick text, .legendtext')].map(t => parseFloat(getComputedStyle(t).fontSize));
      return {gap: box.getBoundingClientRect().bottom - svg.bottom, smallest: Math.min(...ticks), n: ticks.length,
              within: svg.left >= box.getBoundingClientRect().left - 1 && svg.right <= box.getBoundingClientRect().right + 1};
    }""")
    assert drawn["n"] > 3 and drawn["smallest"] >= 20, drawn  # read from the back of a room
    assert 0 <= drawn["gap"] <= 8 and drawn["within"], drawn  # the chart takes the slide's free height
    assert not state(page)["slideOverflows"] and not state(page)["pageScrolls"]
    assert console_errors == []


def test_the_presentation_follows_the_dark_theme(page, app_url, console_errors, slides):
    page.emulate_media(color_scheme="dark")
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(app_url + "/present?slide=5")
    expect_slide(page, 5, slides)
    colours = page.evaluate("""() => {
      const bg = el => getComputedStyle(el).backgroundColor;
      return {page: bg(document.documentElement), slides: bg(document.querySelector('.present')),
              controls: bg(document.querySelector('.present-controls')),
              text: getComputedStyle(document.querySelector('.slide.current .slide-title')).color};
    }""")
    assert colours["slides"] == colours["page"] != "rgb(255, 255, 255)", colours  # one surface, not a white card
    assert colours["controls"] != "rgb(246, 247, 249)" and colours["text"] != "rgb(17, 20, 24)", colours
    assert console_errors == []


# the slide's rings and names on the screen (centres, names' left edges): the first view's drawing, or Leaflet's
RINGS_JS = """(which) => {
  const first = which === 'first';
  const at = (el) => { const r = el.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; };
  const rings = document.querySelectorAll(first ? '.first-map .first-zoom:not([hidden]) .first-ring'
                                                : '#present-map .highlight-marker');
  const names = document.querySelectorAll(first ? '.first-map .first-zoom:not([hidden]) .first-name'
                                                : '#present-map .highlight-name');
  return {rings: [...rings].map(at),
          names: [...names].map(e => [e.textContent, e.getBoundingClientRect().x, at(e)[1]]).sort()};
}"""


@pytest.mark.parametrize("size,which,reach", [((1920, 1080), "several", "pointer"), ((390, 844), "several", "pointer"),
                                              ((1280, 720), "one", "pointer"), ((1366, 900), "world", "focus")])
def test_the_slides_map_is_drawn_before_leaflet_which_takes_over_where_the_visitor_uses_the_page(
        page, app_url, console_errors, slides, size, which, reach):
    """A presentation opens on its slide's map drawn in the page's HTML (every city, the slide's cities ringed
    and named, the map's credits), without Leaflet; pointing at the page or moving the focus into it loads
    Leaflet, whose markers, rings and names take the drawing's place where the drawing had them. The slide's
    fit leaves its room for the names, at a quarter-zoom step, as Leaflet's fitBounds does."""
    from tests.browser.test_first_view import SHOWN_JS, same_markers

    n = {"several": next(i for i, (_t, h, named) in enumerate(slides, start=1) if h > 1 and named),
         "one": next(i for i, (_t, h, named) in enumerate(slides, start=1) if h == 1 and named),
         "world": 1}[which]
    leaflet = []
    page.on("request", lambda r: leaflet.append(r.url) if "/dash_leaflet/" in r.url else None)
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(app_url + f"/present?slide={n}")
    page.wait_for_selector("#present-map[data-stands-in-for='dash_leaflet']")
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => { const u = document.querySelector('.first-map use');"
                           " return u && u.getBBox && u.getBBox().width > 100; }", timeout=10000)  # borders drawn
    # only looked at: the drawing is the map, and Leaflet never ran
    assert page.evaluate("() => typeof window.L") == "undefined"
    assert page.locator("script[src*='/dash_leaflet/']").count() == 0
    first, rings = page.evaluate(SHOWN_JS, "first"), page.evaluate(RINGS_JS, "first")
    assert first["clusters"] or first["singles"]
    _title, highlighted, named = slides[n - 1]
    assert len(rings["rings"]) == highlighted and sorted(x[0] for x in rings["names"]) == sorted(named)
    assert page.locator(".first-map .first-credit").text_content() == "Leaflet | Borders: Natural Earth | City points: GeoNames (CC BY 4.0)"
    assert page.locator(".first-map").get_attribute("aria-hidden") == "true"
    if reach == "pointer":
        page.mouse.move(size[0] * 0.75, size[1] * 0.5)
    else:
        for _ in range(20):  # from the page's first link into the presentation
            page.keyboard.press("Tab")
            if page.evaluate("() => !!document.activeElement.closest('#present')"):
                break
    page.wait_for_function("() => document.querySelector('#present-map .leaflet-marker-pane .atlas-cluster, "
                           "#present-map path.city-marker')", timeout=30000)
    assert page.locator(".first-map").count() == 0  # gone with Leaflet's first markers
    page.wait_for_timeout(600)  # the rings and names come with the markers; nothing moves after that
    same_markers(first, page.evaluate(SHOWN_JS, "leaflet"))
    real = page.evaluate(RINGS_JS, "leaflet")
    assert len(real["rings"]) == len(rings["rings"]) and len(real["names"]) == len(rings["names"])
    for x, y in rings["rings"]:
        assert any(abs(x - x2) <= 2 and abs(y - y2) <= 2 for x2, y2 in real["rings"]), (x, y, real)
    for (name, x, y), (name2, x2, y2) in zip(rings["names"], real["names"]):
        assert name == name2 and abs(x - x2) <= 2 and abs(y - y2) <= 2, (rings, real)
    assert any(u.split("?")[0].endswith("/dash_leaflet.js") for u in leaflet)
    assert page.locator("#present-map").get_attribute("aria-busy") is None
    assert console_errors == []


def test_a_step_from_the_keyboard_loads_leaflet_for_the_next_slide(page, app_url, console_errors, slides):
    """A presenter's first act may be a key press (a clicker): the next slide's map comes from Leaflet."""
    page.set_viewport_size({"width": 1920, "height": 1080})
    n = next(i for i, (_t, h, named) in enumerate(slides, start=1) if h > 1 and named)
    page.goto(app_url + f"/present?slide={n - 1}")
    page.wait_for_selector("#present-map[data-stands-in-for='dash_leaflet']")
    assert page.locator(".first-map").is_visible()
    page.keyboard.press("ArrowRight")
    page.wait_for_selector("#present-map.leaflet-container", timeout=30000)
    now = expect_slide(page, n, slides)
    assert not now["drawn"] and page.locator(".first-map").count() == 0
    assert console_errors == []
