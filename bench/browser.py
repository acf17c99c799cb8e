"""Measurements in headless Debian Chromium (never a downloaded browser): what a page
costs on the wire, when its first markers show, and how long a filter change takes
to reach the map."""
from __future__ import annotations

import json
import re
from collections import Counter

from dashboard import ids
from dashboard.urls import POINTS_URL
from tests.conftest import CHROME_FLAGS

CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1280, "height": 800}
# what counts as "content shown" on each measured page
MARKERS = ".marker-cluster, path.city-marker"  # Leaflet's: the interactive markers
# the map's first view, drawn into the page's HTML before any script (dashboard/pages/home.py first_map):
# shown once its script has picked the zoom for the map's box
FIRST_VIEW = ".first-map:not([hidden]) .first-zoom:not([hidden]) circle, .first-map:not([hidden]) .first-zoom:not([hidden]) .atlas-cluster"
# the findings page's first chart as a visitor arriving sees it: its data as a table (plotly.js draws
# it once the visitor starts reading the page: assets/atlas_charts.js)
CHART = "figure.atlas-chart .chart-table tbody tr"
FEATURE = re.compile(r'"type":\s*"Feature"')
COUNTRIES_PATH = "/data/countries.geojson"

# The cities drawn on the map as a range [low, high]: single markers plus the numbers on
# cluster icons, which supercluster abbreviates from 1,000 on ("1.2k": within 50; "12k":
# within 500), so beyond the real size only a range can be read off the map.
MARKERS_JS = """() => {
  let low = document.querySelectorAll('path.city-marker').length, high = low;
  for (const el of document.querySelectorAll('.marker-cluster')) {
    const text = el.textContent.trim();
    const n = parseFloat(text) || 0;
    if (!text.endsWith('k')) { low += n; high += n; continue; }
    const err = n >= 10 ? 500 : 50;
    low += n * 1000 - err; high += n * 1000 + err;
  }
  return [low, high];
}"""
SHOWS_JS = "(expected) => { const [low, high] = (%s)(); return low <= expected && expected <= high; }" % MARKERS_JS

# records performance.now() of the first frame that shows an element matching the selector
FIRST_CONTENT_JS = """(selector) => {
  const obs = new MutationObserver(() => {
    if (window.__benchFirst === undefined && document.querySelector(selector)) {
      window.__benchFirst = null;
      obs.disconnect();
      requestAnimationFrame(() => { window.__benchFirst = performance.now(); performance.mark('bench-first-content'); });
    }
  });
  obs.observe(document, {childList: true, subtree: true});
}"""

# the same for the first view's markers (window.__benchFirstView): they are in the HTML, shown by an
# attribute change, so attributes are watched too
FIRST_VIEW_JS = """(selector) => {
  const obs = new MutationObserver(() => {
    if (window.__benchFirstView === undefined && document.querySelector(selector)) {
      window.__benchFirstView = null;
      obs.disconnect();
      requestAnimationFrame(() => { window.__benchFirstView = performance.now(); });
    }
  });
  obs.observe(document, {childList: true, subtree: true, attributes: true, attributeFilter: ['hidden']});
}"""

# the visitor points at the map as soon as Dash has drawn it (a pointerover on its box): the map page
# loads Leaflet when the visitor first uses it (dashboard/pages/home.py ON_USE), so "interactive markers"
# are timed from navigation for a visitor who reaches for the map at once
USE_MAP_JS = """() => {
  const obs = new MutationObserver(() => {
    const map = document.querySelector('#%s');
    if (!map) { return; }
    obs.disconnect();
    map.dispatchEvent(new PointerEvent('pointerover', {bubbles: true}));
  });
  obs.observe(document, {childList: true, subtree: true});
}""" % ids.MAP

# Armed before a click on a filter control: window.__benchFilter resolves with the ms from the click
# (the input event's own time stamp, as Chromium received it) until the frame where the count line says
# the expected number ({count}) and the frame where the map also shows the expected markers ({map}).
# The click is the visitor's: a real press and release through Chromium's input pipeline (a click()
# from script is no input event, and Chromium schedules the frames after one differently).
FILTER_JS = """({expected, timeout}) => {
  const shows = %s;
  const map = document.querySelector('#%s');
  const count = document.querySelector('#%s');
  window.__benchFilter = new Promise((resolve, reject) => {
    let done = false, counted = null, start = null;
    window.addEventListener('click', (event) => { start = event.timeStamp; }, {capture: true, once: true});
    const finish = () => {
      if (start === null) { return; }
      const says = parseInt(count.textContent.replace(/[^0-9]/g, ''), 10) === expected;
      if (says && counted === null) {
        counted = -1;
        requestAnimationFrame(() => { counted = performance.now(); });
      }
      if (done || !says || !shows(expected)) { return; }
      done = true;
      obs.disconnect();
      requestAnimationFrame(() => {
        const now = performance.now();
        resolve({map: now - start, count: (counted > 0 ? counted : now) - start});
      });
    };
    const obs = new MutationObserver(finish);
    obs.observe(map, {childList: true, subtree: true, characterData: true});
    obs.observe(count, {childList: true, subtree: true, characterData: true});
    setTimeout(() => { if (!done) { done = true; obs.disconnect(); reject(new Error('markers did not update')); } }, timeout);
  });
}""" % (SHOWS_JS, ids.MAP, ids.SELECTION_COUNT)


def click_filter(page, selector: str, expected: int, timeout_ms: int) -> dict:
    """A visitor's click on a filter control (pointer moved there first, outside the timing): the ms
    from the click to the count line and to the map showing ``expected`` cities (FILTER_JS)."""
    control = page.locator(selector)
    control.scroll_into_view_if_needed()
    box = control.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(100)  # the hover's own redraw is over
    page.evaluate(FILTER_JS, {"expected": expected, "timeout": timeout_ms})
    page.mouse.down()
    page.mouse.up()
    return page.evaluate("window.__benchFilter")


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROME_FLAGS)


def _kind(url: str, content_type: str) -> str:
    if "javascript" in content_type or url.split("?")[0].endswith(".js"):
        return "js"
    if "geo+json" in content_type:
        return "geojson"
    if "json" in content_type:
        return "dash json"
    if "css" in content_type:
        return "css"
    if "html" in content_type:
        return "html"
    return "other"


def capture_bodies(browser, url: str) -> dict:
    """The JSON bodies the browser posts for the map page's content and for a filter change."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    posts: list[dict] = []
    page.on("request", lambda r: posts.append(json.loads(r.post_data))
            if r.method == "POST" and "_dash-update-component" in r.url else None)
    page.add_init_script(script=f"({USE_MAP_JS})()")
    try:
        page.goto(url + "/")
        page.wait_for_selector(MARKERS, timeout=120_000)
        page.locator(f'#{ids.filter_id("region")} input[value="europe"]').check()
        page.wait_for_function(f"() => document.querySelector('#{ids.SELECTION_COUNT}').textContent !== ''")
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    content = next(b for b in posts if b["output"].startswith(".._pages_content.children"))
    sync = next(b for b in posts if f"{ids.MAP_FIT}.data" in b["output"]
                and b["changedPropIds"] == [f"{ids.filter_id('region')}.value"])
    return {"page": content, "sync": sync}


# first contentful paint, and the JavaScript bytes on the wire (transferSize) of the scripts that
# had arrived by the frame showing the first content
PAINT_JS = """() => {
  const first = window.__benchFirst, fcp = performance.getEntriesByName('first-contentful-paint')[0];
  const js = performance.getEntriesByType('resource')
    .filter(e => new URL(e.name).pathname.endsWith('.js') && e.responseEnd <= first)
    .reduce((sum, e) => sum + e.transferSize, 0);
  return {fcp: fcp ? fcp.startTime : null, js: js};
}"""
# Lighthouse's mobile throttling (a mid-range phone on slow 4G): 150 ms round trips, 1.6 Mbit/s down,
# 750 kbit/s up, the CPU four times slower; a phone's viewport
MOBILE = {"latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8, "cpu": 4,
          "viewport": {"width": 390, "height": 844}}


def page_load(browser, url: str, path: str, selector: str, timeout_ms: int = 180_000, mobile: bool = False,
              first_view: str | None = None) -> dict:
    """One cold load of ``path`` in a fresh browser context: bytes on the wire (compressed
    bodies plus headers), by kind, whether plotly.js came, how many city features the
    Dash responses carried, when the first content (``selector``) was shown, the first
    contentful paint and the JavaScript bytes that had arrived by then. ``mobile``: under
    Lighthouse's mobile throttling (Chromium's DevTools protocol: network and CPU). ``first_view``: the
    selector of a first view drawn before any script (the map's), whose first frame is timed too
    (``first_view_ms``; None when the page drew none)."""
    context = browser.new_context(viewport=MOBILE["viewport"] if mobile else VIEWPORT)
    page = context.new_page()
    if mobile:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": MOBILE["latency"],
                                                      "downloadThroughput": MOBILE["downloadThroughput"],
                                                      "uploadThroughput": MOBILE["uploadThroughput"]})
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": MOBILE["cpu"]})
    page.add_init_script(script=f"({FIRST_CONTENT_JS})({json.dumps(selector)})")
    if path.split("?")[0] == "/":
        page.add_init_script(script=f"({USE_MAP_JS})()")
    if first_view:
        page.add_init_script(script=f"({FIRST_VIEW_JS})({json.dumps(first_view)})")
    finished = []
    page.on("requestfinished", lambda req: finished.append(req))
    try:
        page.goto(url + path, timeout=timeout_ms)
        page.wait_for_function("() => typeof window.__benchFirst === 'number'", timeout=timeout_ms)
        first_ms = page.evaluate("window.__benchFirst")
        first_view_ms = page.evaluate("typeof window.__benchFirstView === 'number' ? window.__benchFirstView : null")
        paint = page.evaluate(PAINT_JS)
        page.wait_for_load_state("networkidle", timeout=timeout_ms)
        by_kind: Counter = Counter()
        resources, features, countries = [], 0, None
        for req in finished:
            response = req.response()
            if response is None:
                continue
            sizes = req.sizes()
            wire = sizes["responseBodySize"] + sizes["responseHeadersSize"]
            headers = response.headers
            kind = _kind(req.url, headers.get("content-type", ""))
            by_kind[kind] += wire
            short = req.url[len(url):]
            resources.append({"path": short.split("?")[0], "bytes": wire, "kind": kind,
                              "encoding": headers.get("content-encoding", "")})
            if features is not None and ("_dash-layout" in short or "_dash-update-component" in short
                                         or short.startswith(POINTS_URL)):
                try:
                    body = response.text()
                    # the map's point table has one row a city; Dash responses may carry features
                    features += (len(json.loads(body)["id"]) if short.startswith(POINTS_URL)
                                 else len(FEATURE.findall(body)))
                except Exception:  # Chromium keeps no copy of very large bodies (100,000 cities)
                    features = None
            if short.startswith(COUNTRIES_PATH):
                countries = {"cache_control": headers.get("cache-control", ""),
                             "encoding": headers.get("content-encoding", "")}
    finally:
        context.close()
    return {"bytes": sum(by_kind.values()), "by_kind": dict(by_kind), "first_ms": first_ms, "first_view_ms": first_view_ms,
            "fcp_ms": paint["fcp"], "js_before_first": paint["js"],
            "plotly": any("plotly" in r["path"].lower() for r in resources), "features": features,
            "countries": countries, "resources": sorted(resources, key=lambda r: -r["bytes"])}


def region_box(europe: int) -> dict:
    """The Europe box of the region checklist, and the cities it selects."""
    return {"open": None, "select": f'#{ids.filter_id("region")} input[value="europe"]', "expected": europe}


def dropdown_option(key: str, value: str, cities: int) -> dict:
    """One option of a facet's dropdown (opened first, outside the timing), and the cities it selects."""
    return {"open": f"#{ids.filter_id(key)}", "select": f'[role=option]:has(input[value="{value}"])', "expected": cities}


def filter_changes(browser, url: str, total: int, control: dict, rounds: int, timeout_ms: int = 180_000) -> dict:
    """Choose and clear one filter value ``rounds`` times on one open map page (``control``: a
    checklist box, ``region_box``, or a dropdown's option, ``dropdown_option``); the ms from each
    click to the count line and the map showing the expected cities."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(timeout_ms)
    out: dict[str, list[float]] = {"select": [], "clear": [], "select_count": [], "clear_count": []}
    page.add_init_script(script=f"({USE_MAP_JS})()")
    try:
        page.goto(url + "/", timeout=timeout_ms)
        page.wait_for_function(f"() => ({SHOWS_JS})({total})", timeout=timeout_ms)
        if control["open"]:
            page.click(control["open"])
            page.wait_for_selector(control["select"])
        for _ in range(rounds):
            for direction, expected in (("select", control["expected"]), ("clear", total)):
                took = click_filter(page, control["select"], expected, timeout_ms)
                out[direction].append(took["map"])
                out[f"{direction}_count"].append(took["count"])
                page.wait_for_load_state("networkidle", timeout=timeout_ms)
    finally:
        context.close()
    return out
