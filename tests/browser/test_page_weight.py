"""What a first visit of the map page costs on the wire (issue 5: at most 450 KB), in Debian Chromium."""
from __future__ import annotations

import re
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dashboard.web.precompress import Precompressed
from tests.browser.helpers import open_map, use_map

pytestmark = pytest.mark.browser

BUDGET_KB = 450
MARKERS = ".marker-cluster, path.city-marker"
STATIC = ("/_dash-component-suites/", "/bundles/", "/assets/", "/data/")  # app.STATIC_PREFIXES
GRID = "/dash_ag_grid/"  # (at its folder's versioned address, under /bundles/)


def fresh_load(browser, app_url: str, path: str, selector: str) -> tuple[list[dict], list[str]]:
    """Every response of one load of ``path`` in a new browser context (empty cache), until
    the network is idle, with its bytes on the wire (compressed body plus headers); and the
    console errors."""
    context = browser.new_context()
    page = context.new_page()
    finished, errors = [], []
    page.on("requestfinished", lambda request: finished.append(request))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(app_url + path)
        if path == "/":  # the visitor reaches for the map: the page loads Leaflet
            use_map(page)
        page.wait_for_selector(selector, timeout=20000)
        page.wait_for_load_state("networkidle")
        responses = []
        for request in finished:
            if (response := request.response()) is not None:
                sizes = request.sizes()
                responses.append({"path": request.url[len(app_url):], "encoding": response.headers.get(
                    "content-encoding", ""), "bytes": sizes["responseBodySize"] + sizes["responseHeadersSize"]})
    finally:
        context.close()
    return responses, errors


def test_the_map_page_weighs_at_most_450_kb_and_loads_no_grid(browser, app_url, app_env):
    warm, _ = fresh_load(browser, app_url, "/", MARKERS)
    # the copies the server makes in the background, made now into its folder (no waiting on it)
    maker = Precompressed(Path(app_env["ATLAS_COMPRESSED_DIR"]))
    for r in warm:
        if r["path"].startswith(STATIC):
            with urllib.request.urlopen(app_url + r["path"]) as plain:  # no Accept-Encoding: the plain body
                maker.prepare(plain.read())

    responses, errors = fresh_load(browser, app_url, "/", MARKERS)
    assert errors == []
    listing = "\n".join(f'{r["bytes"] / 1024:7.1f} {r["encoding"]:5} {r["path"]}'
                        for r in sorted(responses, key=lambda r: -r["bytes"]))
    assert not [r for r in responses if GRID in r["path"]], listing
    assert sum(r["bytes"] for r in responses) <= BUDGET_KB * 1024, listing
    bundles = [r for r in responses if r["path"].startswith(("/_dash-component-suites/", "/bundles/"))]
    assert len(bundles) >= 9 and {r["encoding"] for r in bundles} == {"br"}, listing


def test_the_table_page_shows_its_rows_without_loading_the_grid(browser, app_url):
    responses, errors = fresh_load(browser, app_url, "/table", "#table-first td")
    assert errors == [] and not [r for r in responses if GRID in r["path"]]


def test_the_renderer_runs_without_dashs_polyfill(page, app_url, console_errors):
    """Chromium runs the map page without @babel/polyfill: its own parseInt and trim, the vendored
    regenerator runtime, and Dash's code-split dropdown loads and works (the country filter)."""
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    open_map(page, app_url + "/")
    page.wait_for_selector(MARKERS, timeout=20000)
    assert not [u for u in requested if "polyfill" in u]
    assert page.evaluate("() => [parseInt, parseFloat, String.prototype.trim].every(f => "
                         "/\\[native code\\]/.test(Function.prototype.toString.call(f)))")
    assert page.evaluate("() => typeof window.regeneratorRuntime.wrap === 'function' && !window._babelPolyfill")
    page.locator("#filter-country").click()
    page.keyboard.type("Italy")
    page.get_by_role("option", name=re.compile(r"^Italy \(\d+\)$")).click()
    expect(page.locator("#selection-count")).not_to_have_text(re.compile(r"^121 "), timeout=20000)
    assert any("async-dropdown" in u for u in requested) and console_errors == []


def test_chunks_come_once_from_versioned_addresses_and_the_borders_with_the_cities(browser, app_url):
    """In the browser's network log of a first visit to the map: the code-split chunks (the
    dropdown's, the GeoJSON layer's) each come over the network once, at their versioned address, never at
    the plain one as well; every script is at a versioned address; and the borders are asked for
    alongside the point table, while Dash's bundles load (before Dash asks for its layout), not
    after the cities."""
    context = browser.new_context()
    page = context.new_page()
    requested, errors, fetched = [], [], []
    page.on("request", lambda request: requested.append(request.url[len(app_url):]))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    # what came over the network (Leaflet's script and chunk are prefetched, then taken from the
    # prefetch cache when the visitor's first use loads them)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.on("Network.responseReceived", lambda e: None if e["response"].get("fromPrefetchCache") or e["response"].get(
        "fromDiskCache") else fetched.append(e["response"]["url"][len(app_url):]))
    try:
        open_map(page, app_url + "/")
        page.wait_for_selector(MARKERS, timeout=20000)
        page.locator("#filter-country").click()  # the dropdown's chunk is in use
        expect(page.get_by_role("option").first).to_be_visible()
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    chunks = [u for u in fetched if "/async-" in u]
    assert sorted(u.rsplit("/", 1)[1] for u in chunks) == ["async-GeoJSON.js", "async-dropdown.js"], chunks
    assert {u for u in requested if "/async-" in u} == set(chunks)
    assert all(re.fullmatch(r"/bundles/[0-9a-f]{16}/[\w/.-]+", u) for u in chunks), chunks
    scripts = [u for u in requested if u.split("?")[0].endswith(".js")]
    unversioned = [u for u in scripts if not (u.startswith("/bundles/") or "?m=" in u or "?v=" in u
                                              or re.search(r"\.v\d+_\d+_\d+m\d+\.", u))]
    assert unversioned == []
    layout = next(i for i, u in enumerate(requested) if u.startswith("/_dash-layout"))
    points = [i for i, u in enumerate(requested) if u.startswith("/data/cities.json")]
    borders = [i for i, u in enumerate(requested) if u.startswith("/data/countries.geojson")]
    assert len(points) == 1 and len(borders) == 1  # each once: the page's fetch() takes the preload's
    assert points[0] < layout and borders[0] < layout
    assert errors == []
