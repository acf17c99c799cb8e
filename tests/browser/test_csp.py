"""Every page works under the Content-Security-Policy the server sends: no violation, no console error."""
from __future__ import annotations

import re

import pytest

from tests.browser.helpers import expect_cities, open_map
from tests.reference import count

pytestmark = pytest.mark.browser

# records every CSP violation the page reports, from before its first script runs
LISTEN = """window.__violations = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sourceFile || '') + ':' + e.lineNumber));"""

PAGES = {
    "/": "#selection-count",
    "/table": "#table-first",
    "/table?sort=-population": ".ag-row",  # the grid's script loads when the table is used (USED)
    "/compare?cities=bologna-ita,madrid-esp": "#compare-table",
    "/findings": "#findings-strategy table.chart-table",  # its charts wait for the visitor: see below
    "/about": "#sources",
    "/city/bologna-ita": "#city-map .leaflet-countries-pane path",
    "/no-such-page": "h1",
    "/present?slide=4": ".slide.current .slide-title",
    "/present?slide=14": ".slide.current .slide-chart .js-plotly-plot",
    "/present?city=bologna-ita": "#present-map .highlight-name",  # Leaflet's (the page draws the map first)
    "/?region=europe&embed=1": "#embed-bar",
    "/findings?chart=f19&embed=1": "#embed-bar",
}


# pages whose library loads on use: the visitor points at the place first
USED = {"/table?sort=-population": "#table-grid-slot", "/present?city=bologna-ita": "#present"}


@pytest.fixture()
def csp_page(page):
    page.add_init_script(LISTEN)
    return page


def violations(page) -> list[str]:
    return page.evaluate("window.__violations")


@pytest.mark.parametrize("path", list(PAGES))
def test_page_runs_under_the_csp(csp_page, app_url, console_errors, path):
    response = csp_page.goto(app_url + path)
    policy = response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in re.search(r"script-src[^;]*", policy)[0]
    if path in USED:
        csp_page.locator(USED[path]).hover()
    csp_page.wait_for_selector(PAGES[path], state="attached", timeout=40000)
    csp_page.wait_for_load_state("networkidle")
    assert violations(csp_page) == []
    if path == "/no-such-page":  # the document itself answers 404, which Chromium logs
        assert response.status == 404
        console_errors = [e for e in console_errors if "status of 404" not in e]
    assert console_errors == []


def test_callbacks_and_charts_run_under_the_csp(csp_page, app_url, console_errors, store):
    from dashboard.facets import Filters

    open_map(csp_page, app_url + "/")
    expect_cities(csp_page, count(store))
    csp_page.get_by_label(re.compile(r"^Europe \(\d+\)$")).check()
    expect_cities(csp_page, count(store, Filters(region=("europe",))))
    csp_page.goto(app_url + "/findings#findings-live")  # its charts are drawn once in view
    csp_page.wait_for_selector("#findings-live .main-svg", timeout=40000)
    csp_page.locator("#findings-live input[type=checkbox]").first.check()
    csp_page.wait_for_load_state("networkidle")
    assert violations(csp_page) == []
    assert console_errors == []


def test_an_injected_inline_script_is_blocked_and_reported(csp_page, app_url):
    csp_page.goto(app_url + "/about")
    csp_page.wait_for_selector("#sources", timeout=20000)
    csp_page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.__ran = true'; document.body.appendChild(s); }""")
    csp_page.wait_for_function("() => window.__violations.length > 0", timeout=5000)
    assert csp_page.evaluate("window.__ran === undefined")
    assert violations(csp_page)[0].startswith("script-src")
