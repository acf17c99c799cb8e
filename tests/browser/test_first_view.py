"""The map's first view as a visitor sees it: markers before Dash's scripts have run, which Leaflet's
own markers then replace on the same pixels, the first view gone, nothing moved."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from dashboard.facets import Filters
from tests.browser.helpers import MARKERS_JS, count_text, use_map
from tests.reference import count

pytestmark = pytest.mark.browser

RENDERER = "**/dash-renderer/**"
# centre and text of each marker shown inside the map's box: the first view's, or Leaflet's
SHOWN_JS = """(which) => {
  const box = (which === 'first' ? document.querySelector('.first-map') : document.querySelector('.leaflet-container'))
    .getBoundingClientRect();
  const inside = (r) => r.width > 0 && r.right > box.left && r.left < box.right && r.bottom > box.top && r.top < box.bottom;
  const at = (el) => { const r = el.getBoundingClientRect(); return inside(r) ? [r.x + r.width / 2, r.y + r.height / 2] : null; };
  const clusters = which === 'first' ? '.first-map .first-zoom:not([hidden]) .atlas-cluster' : '.leaflet-marker-pane .atlas-cluster';
  const singles = which === 'first' ? '.first-map .first-zoom:not([hidden]) circle.city-marker' : 'path.city-marker';
  return {
    // a cluster by its ring (what the eye sees: it fills the icon), with its width
    clusters: [...document.querySelectorAll(clusters)].map(el => el.querySelector('.cluster-ring'))
      .map(el => [at(el), el.textContent, el.getBoundingClientRect().width]).filter(c => c[0]),
    singles: [...document.querySelectorAll(singles)].map(at).filter(Boolean),
    box: [box.left, box.top, box.width, box.height],
  };
}"""


def held_page(page, url: str):
    """Open ``url`` with Dash's renderer held back; returns the held requests."""
    held = []
    page.route(RENDERER, lambda route: held.append(route))
    page.goto(url, wait_until="commit")
    page.wait_for_function("() => { const m = document.querySelector('.first-map'); return m && !m.hidden && "
                           "m.querySelector('.first-zoom:not([hidden])'); }", timeout=20000)
    return held


def release(page, held) -> None:
    for route in held:
        route.continue_()
    page.unroute(RENDERER)


def same_markers(first: dict, real: dict) -> None:
    """The same clusters (count, place within 2 px and size within 1 px) and single cities (place) on the
    screen."""
    def near(a, b):
        return abs(a[0] - b[0]) <= 2 and abs(a[1] - b[1]) <= 2

    assert len(first["clusters"]) == len(real["clusters"]) and len(first["singles"]) == len(real["singles"])
    for (at, n, size) in first["clusters"]:
        assert any(near(at, other) and n == m and abs(size - width) <= 1 for other, m, width in real["clusters"]), (
            at, n, size, real["clusters"])
    for at in first["singles"]:
        assert any(near(at, other) for other in real["singles"]), (at, real["singles"])
    assert all(abs(a - b) <= 1 for a, b in zip(first["box"], real["box"]))


@pytest.mark.parametrize("size,query,theme", [
    ({"width": 1366, "height": 900}, "?tier=high", "light"),
    ({"width": 390, "height": 844}, "?lang=fr", "dark"),
    ({"width": 1100, "height": 700}, "?z=4&lat=48&lon=10", "light"),
    ({"width": 800, "height": 600}, "?embed=1&region=europe", "light"),
])
def test_the_first_view_shows_the_markers_leaflet_then_draws(page, app_url, console_errors, store, size, query, theme):
    page.set_viewport_size(size)
    page.emulate_media(color_scheme=theme)
    held = held_page(page, app_url + "/" + query)
    # the first view alone: the map's cities are on the screen before any of Dash's scripts ran
    assert page.locator(".leaflet-container").count() == 0
    first = page.evaluate(SHOWN_JS, "first")
    assert first["clusters"] or first["singles"]
    assert page.locator(".first-map").get_attribute("aria-hidden") == "true"
    assert page.evaluate("() => document.querySelector('.first-map use').getAttribute('href')").startswith(
        "/data/borders/")
    page.wait_for_function("() => { const u = document.querySelector('.first-map use');"
                           " return u && u.getBBox && u.getBBox().width > 100; }", timeout=10000)  # borders drawn
    release(page, held)
    use_map(page)
    page.wait_for_function("() => document.querySelector('.leaflet-marker-pane .atlas-cluster, path.city-marker')",
                           timeout=30000)
    assert page.locator(".first-map").count() == 0  # gone with Leaflet's first markers
    page.wait_for_timeout(400)  # Leaflet draws a selection in one go: nothing moves after that
    same_markers(first, page.evaluate(SHOWN_JS, "leaflet"))
    assert console_errors == []


def test_the_first_view_counts_every_city_of_the_selection_and_gives_way_to_a_visitor(page, app_url, store):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.route("**/data/cities.json*", lambda route: route.abort())  # Leaflet will get no cities
    held = held_page(page, app_url + "/?tier=high")
    drawn = page.evaluate("() => [...document.querySelectorAll('.first-map .first-zoom:not([hidden]) .atlas-cluster')]"
                          ".reduce((n, el) => n + parseInt(el.textContent, 10), 0)"
                          " + document.querySelectorAll('.first-map .first-zoom:not([hidden]) circle').length")
    assert drawn == count(store, Filters(tier=("high",)))
    # nothing in it takes the focus: Tab goes through the page's links, never into the drawing
    for _ in range(4):
        page.keyboard.press("Tab")
        assert page.evaluate("() => !document.activeElement.closest('.first-map')")
    page.mouse.click(700, 400)
    assert page.locator(".first-map").is_visible()  # keys and clicks before the map exists leave it
    release(page, held)
    page.wait_for_selector(".leaflet-container", timeout=30000)
    page.wait_for_timeout(500)
    assert page.locator(".first-map").is_visible()  # no markers from Leaflet: the drawing stays…
    page.mouse.click(700, 400)  # …until the visitor handles Leaflet's map
    assert page.locator(".first-map").count() == 0


@pytest.mark.parametrize("reach", ["pointer", "keyboard"])
def test_leaflet_loads_when_the_visitor_first_uses_the_page(page, app_url, console_errors, store, reach):
    """A visitor who only looks gets the first view as the map and no Leaflet; pointing at the page or
    tabbing into it loads Leaflet, whose markers (every city of the selection) replace the drawing."""
    leaflet = []
    page.on("request", lambda r: leaflet.append(r.url) if "/dash_leaflet/" in r.url else None)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(app_url + "/?tier=high")
    high = count(store, Filters(tier=("high",)))
    page.wait_for_selector("#atlas-map[data-stands-in-for='dash_leaflet']")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1000)
    assert page.locator("#selection-count").text_content() == count_text(high)
    # fetched at idle priority (prefetch), but not run: no script element, no Leaflet
    assert page.evaluate("() => typeof window.L") == "undefined"
    assert page.locator("script[src*='/dash_leaflet/']").count() == 0
    assert page.locator(".first-map").is_visible() and page.locator(".leaflet-container").count() == 0
    # the page's own boxes over the map show on the drawing: the legend's title is on the screen
    legend = page.locator("#map-legend .legend-title").bounding_box()
    shot = Image.open(io.BytesIO(page.screenshot(clip=legend))).convert("L")
    assert shot.getextrema()[1] - shot.getextrema()[0] > 100  # its dark letters on its light box, not the sea
    if reach == "pointer":
        use_map(page)
    else:
        for _ in range(40):  # from the header's links into the page
            page.keyboard.press("Tab")
            if page.evaluate("() => !!document.activeElement.closest('.map-page')"):
                break
    page.wait_for_function(f"() => ({MARKERS_JS})() === {high}", timeout=30000)
    assert page.locator(".first-map").count() == 0
    assert any(u.split("?")[0].endswith("/dash_leaflet.js") for u in leaflet)
    assert page.locator("script[src*='/dash_leaflet/']").count() == 1
    assert page.locator("#atlas-map").get_attribute("aria-busy") is None
    assert console_errors == []


# the selected city's ring: the first view's, or Leaflet's (its centre on the screen)
RING_JS = """(which) => {
  const el = document.querySelector(which === 'first' ? '.first-map .first-zoom:not([hidden]) circle.selected-city'
                                                      : '#atlas-map path.selected-city');
  if (!el) { return null; }
  const r = el.getBoundingClientRect();
  return [r.x + r.width / 2, r.y + r.height / 2];
}"""


# the selected city's name beside its ring: the first view's, or Leaflet's permanent tooltip (its text, its box on
# the screen and what the eye sees of it)
NAME_JS = """(which) => {
  const el = document.querySelector(which === 'first' ? '.first-map .first-zoom:not([hidden]) .first-name'
                                                      : '#atlas-map .leaflet-tooltip.selected-name');
  if (!el) { return null; }
  const r = el.getBoundingClientRect(), s = getComputedStyle(el), arrow = getComputedStyle(el, '::before');
  const look = ['font-family', 'font-size', 'font-weight', 'line-height', 'color', 'background-color', 'border-top',
                'border-left', 'border-radius', 'padding', 'box-shadow', 'opacity', 'white-space']
    .map(k => s.getPropertyValue(k)).concat(['content', 'border-right', 'border-top-color']
    .map(k => arrow.getPropertyValue(k)));
  return {text: el.textContent, box: [r.x, r.y, r.width, r.height], look,
          visible: r.width > 0 && s.visibility === 'visible' && s.display !== 'none'};
}"""


@pytest.mark.parametrize("size,theme,lang", [({"width": 1366, "height": 900}, "light", "en"),
                                             ({"width": 390, "height": 844}, "dark", "en"),
                                             ({"width": 1366, "height": 900}, "dark", "fr")])
def test_a_city_without_a_view_shows_its_first_view_where_leaflet_opens(page, app_url, console_errors, store, size,
                                                                         theme, lang):
    """A city opened without a view: the selection at the city's zoom around it, with its ring and its name, and
    on a phone above the bottom sheet (the city panel) as the map opens there; Leaflet's markers and its
    permanent tooltip then take the drawing's place, nothing moved (the name is the same in every language)."""
    page.set_viewport_size(size)
    page.emulate_media(color_scheme=theme)
    held = held_page(page, app_url + "/?city=bologna-ita" + ("&lang=fr" if lang == "fr" else ""))
    assert page.locator(".leaflet-container").count() == 0
    first, ring = page.evaluate(SHOWN_JS, "first"), page.evaluate(RING_JS, "first")
    assert (first["clusters"] or first["singles"]) and ring
    name = page.evaluate(NAME_JS, "first")
    assert name and name["visible"] and name["text"] == store.city("bologna-ita")["name"]
    assert name["box"][0] > ring[0] + 15  # right of the ring, on its height
    assert name["box"][1] < ring[1] < name["box"][1] + name["box"][3]
    box = first["box"]
    phone = size["width"] <= 640
    if phone:  # in the middle of the map's part above the sheet (the sheet's top: 45% down the window)
        assert abs(ring[1] - (box[1] + (size["height"] * 0.45 - box[1]) / 2)) <= 1
    else:
        assert abs(ring[0] - (box[0] + box[2] / 2)) <= 1 and abs(ring[1] - (box[1] + box[3] / 2)) <= 1
    release(page, held)
    use_map(page)
    page.wait_for_function("() => document.querySelector('.leaflet-marker-pane .atlas-cluster, path.city-marker')",
                           timeout=30000)
    assert page.locator(".first-map").count() == 0
    page.wait_for_timeout(400)  # Leaflet draws a selection in one go: nothing moves after that
    same_markers(first, page.evaluate(SHOWN_JS, "leaflet"))
    real = page.evaluate(RING_JS, "leaflet")
    assert real and abs(real[0] - ring[0]) <= 1 and abs(real[1] - ring[1]) <= 1
    tooltip = page.evaluate(NAME_JS, "leaflet")
    assert tooltip and tooltip["text"] == name["text"] and tooltip["look"] == name["look"], (name, tooltip)
    assert all(abs(a - b) <= 2 for a, b in zip(name["box"], tooltip["box"])), (name["box"], tooltip["box"])
    if phone:  # the city is above the sheet the panel became
        sheet = page.locator("#city-panel").bounding_box()
        assert page.locator("#city-panel").is_visible() and real[1] + 15 < sheet["y"]
    else:  # the panel shows beside the drawing before Leaflet comes (above the first view)
        assert page.locator("#city-panel").is_visible()
    assert console_errors == []


# the borders' extent on the screen: the first view's (its one <use>) or Leaflet's (the union of its
# countries' paths), and the map's box
BORDERS_JS = """(which) => {
  const rects = which === 'first' ? [document.querySelector('.first-map use').getBoundingClientRect()]
    : [...document.querySelectorAll('#atlas-map .leaflet-countries-pane path')].map(p => p.getBoundingClientRect());
  const box = document.querySelector(which === 'first' ? '.first-map' : '.leaflet-container').getBoundingClientRect();
  return {left: Math.min(...rects.map(r => r.left)), right: Math.max(...rects.map(r => r.right)),
          top: Math.min(...rects.map(r => r.top)), bottom: Math.max(...rects.map(r => r.bottom)),
          box: [box.left, box.top, box.right, box.bottom]};
}"""


@pytest.mark.parametrize("size", [{"width": 1366, "height": 900}, {"width": 390, "height": 844}])
def test_an_empty_selection_shows_the_borders_where_leaflet_draws_them(page, app_url, console_errors, size):
    """Filters matching no city: the first view is the borders alone, at the view Leaflet opens at (the
    world fitted to the box); Leaflet waits for the visitor, and its borders replace the drawing's."""
    page.set_viewport_size(size)
    held = held_page(page, app_url + "/?country=USA&region=europe")
    page.wait_for_function("() => { const u = document.querySelector('.first-map use');"
                           " return u && u.getBBox && u.getBBox().width > 100; }", timeout=10000)  # borders drawn
    first = page.evaluate(SHOWN_JS, "first")
    assert first["clusters"] == [] and first["singles"] == []
    assert page.locator(".first-count").text_content() == count_text(0)
    drawn = page.evaluate(BORDERS_JS, "first")
    release(page, held)
    page.wait_for_selector("#atlas-map[data-stands-in-for='dash_leaflet']", timeout=30000)
    assert page.locator(".first-map").is_visible()  # Leaflet waits for the visitor
    use_map(page)
    page.wait_for_selector("#atlas-map .leaflet-countries-pane path", timeout=30000)
    assert page.locator(".first-map").count() == 0
    real = page.evaluate(BORDERS_JS, "leaflet")
    assert all(abs(a - b) <= 1 for a, b in zip(drawn["box"], real["box"]))
    # the world's borders on the same pixels, on each side where Leaflet does not clip them (it draws the
    # box and a tenth of it around)
    left, top, right, bottom = real["box"]
    pad_x, pad_y = (right - left) / 10, (bottom - top) / 10
    clip = {"left": left - pad_x, "right": right + pad_x, "top": top - pad_y, "bottom": bottom + pad_y}
    sides = [side for side in clip if abs(real[side] - clip[side]) > 1]
    assert len(sides) >= 3 and all(abs(drawn[side] - real[side]) <= 1 for side in sides), (drawn, real)
    assert page.locator("#selection-count").text_content() == count_text(0)
    assert page.locator("path.city-marker, .leaflet-marker-pane .atlas-cluster").count() == 0
    assert console_errors == []


def test_a_map_reached_without_a_reload_loads_leaflet_at_once(page, app_url, console_errors):
    """From a city's page, "Show on the map" moves to the map page without a reload: no first view
    was drawn for it, so Leaflet loads without the visitor pointing at the map (the link is followed
    with the keyboard; the pointer rests outside the page)."""
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(app_url + "/city/bologna-ita")
    link = page.get_by_role("link", name="Show on the map")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/?city=bologna-ita", timeout=20000)
    page.wait_for_selector(".leaflet-marker-pane .atlas-cluster, path.city-marker", timeout=30000)
    assert page.locator(".first-map").count() == 0
    assert console_errors == []
