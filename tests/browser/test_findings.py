"""The findings page in Debian Chromium against a real gunicorn, and the map
page's weight: plotly.js is loaded only where there is a chart."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from dashboard.facets import Filters
from tests.browser.helpers import count_text, open_map
from tests.reference import count, profile_facts

pytestmark = pytest.mark.browser

EUROPE = re.compile(r"^Europe \(\d+\)$")


def _chart_count(store) -> int:
    from dashboard.views import findings_view as view

    return (len(view.finding_charts(store.findings())) + len(view.gap_groups(store.wellbeing_gaps()))
            + len(view.LIVE_CHARTS))


def _facts_n(store, filters: Filters = Filters()) -> str:
    facts = profile_facts(store, filters)
    return f"n = {facts['profiles']} cities with a published profile, of {facts['cities']} selected"


DRAWN = ".chart-plot.js-plotly-plot"
CAVEAT = "do not compare figures across them"


def test_findings_page_shows_every_chart_with_its_source(page, app_url, console_errors, store):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(app_url + "/findings")
    expected = _chart_count(store)
    expect(page.locator("figure.atlas-chart")).to_have_count(expected, timeout=30000)
    strategy = page.locator("#findings-strategy")
    first = strategy.locator("figure.atlas-chart").first
    page.mouse.wheel(0, 200)  # the visitor starts reading
    expect(first.locator(DRAWN)).to_be_attached(timeout=30000)
    expect(first.locator("figcaption a").first).to_have_attribute(
        "href", "https://issuu.com/oecd.publishing/docs/embracing_local_impact")
    expect(first.locator(".chart-source")).to_contain_text("read from a chart in the source (approximate)")
    expect(page.locator("#findings-wellbeing")).to_contain_text("data-use sample")
    expect(page.locator(".listed-finding").first).to_contain_text("As printed")
    expect(page.locator("#findings-caveat")).to_be_visible()
    expect(page.locator("#findings-live-n-facts")).to_have_text(_facts_n(store))
    # charts far below are drawn only when the reader gets near them
    last = page.locator("#findings-live-activity")
    expect(last.locator(DRAWN)).to_have_count(0)
    last.scroll_into_view_if_needed()
    expect(last.locator(DRAWN)).to_be_attached(timeout=20000)
    expect(last.locator(".gtitle")).to_contain_text("innovation activities")
    assert console_errors == []


BARS = """(figure) => [JSON.parse(figure.getAttribute('data-figure')).data
    .reduce((n, trace) => n + trace.x.filter(v => v !== null).length, 0),
    figure.querySelectorAll('.chart-plot g.point path').length]"""


@pytest.mark.parametrize("width, height", [(1366, 900), (390, 844)])
def test_plotly_loads_only_when_the_visitor_reads_and_a_chart_scrolled_to_is_drawn_with_its_bars(
        page, app_url, console_errors, store, width, height):
    """A visitor who reads the first screen reads its chart as its table: plotly.js (half a second
    of a phone's processor) is not even asked for. The first scroll loads it and draws the charts
    near the window, each bar of its data; a chart further down is drawn when it nears the window."""
    plotly: list[str] = []
    page.on("request", lambda r: plotly.append(r.url) if "plotly" in r.url.lower() else None)
    page.set_viewport_size({"width": width, "height": height})
    page.goto(app_url + "/findings")
    expect(page.locator("#findings-live-n-facts")).to_have_text(_facts_n(store), timeout=30000)  # Dash has drawn it
    first = page.locator("#findings-strategy figure.atlas-chart").first
    table = first.locator("table.chart-table")
    expect(table).to_be_in_viewport()  # the first chart is in the first screen, as its table
    expect(table.locator("tbody tr")).to_have_count(len(json_rows(first)))
    page.wait_for_timeout(1500)
    assert plotly == [] and page.locator(DRAWN).count() == 0
    page.mouse.move(width // 2, 50)
    page.wait_for_timeout(300)
    assert plotly == []  # the pointer passing over the page's text is not reading a chart
    page.mouse.wheel(0, 300)
    expect(first.locator(DRAWN)).to_be_attached(timeout=30000)
    assert len(plotly) == 1 and "/vendor/plotly-basic.min.js?v=" in plotly[0], plotly
    values, bars = first.evaluate(BARS)
    assert values > 0 and bars == values
    expect(table).to_be_attached()  # the table stays, for screen readers
    last = page.locator("#findings-live-activity")
    expect(last.locator(DRAWN)).to_have_count(0)  # far below: not yet
    last.scroll_into_view_if_needed()
    expect(last.locator(DRAWN)).to_be_attached(timeout=30000)
    values, bars = last.evaluate(BARS)
    assert values > 0 and bars == values
    assert console_errors == []


def json_rows(figure) -> list:
    """The rows of a chart's table: one per category of its figure."""
    import json

    return json.loads(figure.get_attribute("data-figure"))["data"][0]["y"]


def test_a_chart_the_pointer_or_the_focus_comes_to_is_drawn(page, app_url, console_errors, store):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(app_url + "/findings")
    expect(page.locator("#findings-live-n-facts")).to_have_text(_facts_n(store), timeout=30000)
    first = page.locator("#findings-strategy figure.atlas-chart").first
    first.locator("table.chart-table").hover()
    expect(first.locator(DRAWN)).to_be_attached(timeout=30000)
    page.goto(app_url + "/findings")
    expect(page.locator("#findings-live-n-facts")).to_have_text(_facts_n(store), timeout=30000)
    first.locator("summary").first.focus()  # "Embed this chart", by the keyboard
    expect(first.locator(DRAWN)).to_be_attached(timeout=30000)
    assert console_errors == []


# the page's layout shifts not caused by the visitor's own click or key (what CLS adds up)
SHIFTS = """window.atlasShifts = [];
new PerformanceObserver(list => list.getEntries().forEach(e => { if (!e.hadRecentInput) window.atlasShifts.push(e.value); }))
  .observe({type: 'layout-shift', buffered: true});"""
BOXES = """(figure) => Object.fromEntries(['.chart-fallback', 'table.chart-table', '.chart-plot', 'figcaption']
    .map(sel => { const b = figure.querySelector(sel).getBoundingClientRect(); return [sel, [b.top, b.bottom, b.height]]; }))"""
# the shifts the browser has reported once two frames have been painted
SHIFTS_SO_FAR = """() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(
    () => setTimeout(() => done(window.atlasShifts.reduce((a, b) => a + b, 0)), 0))))"""


@pytest.mark.parametrize("width, height, theme, scroll", [(1366, 900, "light", 150), (390, 844, "dark", 450)])
def test_the_first_chart_s_table_fills_its_box_and_nothing_moves_when_the_chart_is_drawn(
        page, app_url, console_errors, store, width, height, theme, scroll):
    """Until the visitor starts reading, the first chart is its table: the table fills the box kept
    for the chart (no empty band under its last row), and the chart drawn later takes the same box
    (the narrow chart's on a phone): nothing under it moves."""
    page.add_init_script(SHIFTS)
    page.set_viewport_size({"width": width, "height": height})
    page.goto(app_url + f"/findings?theme={theme}")
    expect(page.locator("#findings-live-n-facts")).to_have_text(_facts_n(store), timeout=30000)
    first = page.locator("#findings-strategy figure.atlas-chart").first
    expect(first.locator("table.chart-table")).to_be_in_viewport()
    assert page.locator(DRAWN).count() == 0
    boxes = first.evaluate(BOXES)
    box, table, caption = boxes[".chart-fallback"], boxes["table.chart-table"], boxes["figcaption"]
    assert abs(table[1] - box[1]) <= 1, boxes  # the table's last row ends where the chart's box ends
    assert caption[0] - table[1] < 20, boxes  # and the source follows it, no empty band in between
    before = page.evaluate(SHIFTS_SO_FAR)
    page.mouse.wheel(0, scroll)  # the visitor starts reading, the first chart in view
    expect(first.locator(DRAWN + " .main-svg").first).to_be_attached(timeout=30000)
    drawn = first.evaluate(BOXES)
    assert abs(drawn[".chart-plot"][2] - box[2]) <= 1, (boxes, drawn)  # the chart took the table's box
    assert page.evaluate(SHIFTS_SO_FAR) - before < 0.001
    assert console_errors == []


def test_the_samples_caveat_is_said_once(page, app_url, console_errors):
    page.goto(app_url + "/findings")
    expect(page.locator("#findings-caveat")).to_contain_text(CAVEAT, timeout=30000)
    expect(page.get_by_text(CAVEAT)).to_have_count(1)
    assert console_errors == []


def test_only_the_partial_plotly_bundle_loads_and_the_modebar_offers_the_png_only(page, app_url, console_errors):
    scripts: list[str] = []
    page.on("request", lambda r: scripts.append(r.url) if "plotly" in r.url.lower() else None)
    page.goto(app_url + "/findings")
    chart = page.locator("#findings-strategy figure.atlas-chart").first
    chart.hover()
    expect(chart.locator(DRAWN)).to_be_attached(timeout=30000)
    assert len(scripts) == 1 and "/vendor/plotly-basic.min.js?v=" in scripts[0], scripts  # never the 4.8 MB bundle
    chart.hover()
    buttons = chart.locator(".modebar-btn")
    expect(buttons).to_have_count(1)
    expect(buttons).to_have_attribute("data-title", "Download this chart as PNG (with its source)")
    expect(chart.locator(".modebar-btn--logo, [data-title*='Chart Studio'], [data-title*='cloud' i]")).to_have_count(0)
    with page.expect_download() as download:
        buttons.click()
    assert download.value.suggested_filename.startswith("atlas-finding-") and download.value.suggested_filename.endswith(".png")
    assert download.value.path().stat().st_size > 10_000
    assert console_errors == []


def _chart_font_sizes(page, selector: str) -> list[float]:
    return page.evaluate("""(sel) => Array.from(document.querySelectorAll(sel + ' svg text'))
        .filter(t => t.textContent.trim() && t.getBBox().width > 0)
        .map(t => parseFloat(getComputedStyle(t).fontSize))""", selector)


@pytest.mark.parametrize("width, height", [(1366, 900), (390, 844)])
def test_chart_text_is_at_least_the_templates_smallest_size(page, app_url, console_errors, width, height):
    from dashboard.views.chart_style import SMALLEST_PX

    page.set_viewport_size({"width": width, "height": height})
    page.goto(app_url + "/findings#findings-live")
    for chart in ("#findings-live-facts", "#findings-live-role"):
        page.locator(chart).scroll_into_view_if_needed()
        expect(page.locator(chart + " " + DRAWN)).to_be_attached(timeout=30000)
        sizes = _chart_font_sizes(page, chart)
        assert len(sizes) > 10 and min(sizes) >= SMALLEST_PX, sizes
    assert console_errors == []


def test_charts_fit_a_phone_and_keep_their_titles_and_sources(page, app_url, console_errors):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(app_url + "/findings#findings-wellbeing")
    charts = page.locator("#findings-wellbeing figure.atlas-chart")
    expect(charts).to_have_count(2, timeout=30000)
    for i in range(2):
        chart = charts.nth(i)
        chart.scroll_into_view_if_needed()
        expect(chart.locator(DRAWN)).to_be_attached(timeout=20000)
        box = chart.locator(".main-svg").first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
        title = chart.locator(".gtitle")
        expect(title).to_be_visible()
        title_box = title.bounding_box()
        assert title_box["x"] >= 0 and title_box["x"] + title_box["width"] <= 390, title_box
        assert title.locator("tspan.line").count() > 1  # a title of several lines: its top is not cut off
        assert title_box["y"] >= box["y"], (title_box, box)
        expect(chart.locator(".chart-source")).to_be_visible()
        expect(chart.locator(".chart-source a").first).to_have_attribute("href", re.compile(r"^https://"))
    assert page.evaluate("document.documentElement.scrollWidth") == 390
    assert console_errors == []


def test_a_count_axis_ends_just_above_its_largest_value(page, app_url, console_errors, store):
    from dashboard.views.chart_style import count_axis

    largest = max(i["cities"] for i in store.profile_item_counts("policy_area")["items"])
    n = store.profile_item_counts("policy_area")["cities"]
    top = count_axis(largest)["range"][1]
    assert top < n  # the axis stops before the number of cities when no label reaches it
    page.goto(app_url + "/findings#findings-live")
    chart = page.locator("#findings-live-policy_area")
    chart.scroll_into_view_if_needed()
    expect(chart.locator(DRAWN)).to_be_attached(timeout=30000)
    ticks = [float(t) for t in chart.locator(".xtick text").all_text_contents()]
    assert max(ticks) <= top and max(ticks) >= largest * 0.6, ticks
    assert console_errors == []


def test_the_data_shows_before_plotly_has_loaded(page, app_url, store):
    page.route(re.compile(r"/vendor/plotly"), lambda route: route.abort())  # plotly.js never arrives
    page.goto(app_url + "/findings#findings-live")
    table = page.locator("#findings-live-facts table.chart-table")
    expect(table).to_be_visible(timeout=30000)
    facts = profile_facts(store, Filters())["facts"]
    expect(table.locator("tbody th")).to_have_text(["Explicit innovation strategy", "Innovation team",
                                                    "Dedicated innovation funding"])
    expect(table.locator("tbody tr").first.locator("td")).to_have_text(
        [str(facts["strategy"][k]) for k in ("yes", "no", "unknown")])
    expect(table.locator("caption")).to_contain_text("Strategy, team and funding")
    # no box is blank: every chart shows its table at the chart's height
    assert page.evaluate("""() => Array.from(document.querySelectorAll('figure.atlas-chart'))
        .every(f => f.querySelector('.chart-fallback').getBoundingClientRect().height >= 150
                    && f.querySelectorAll('.chart-table tbody tr').length > 0)""")
    expect(page.locator(DRAWN)).to_have_count(0)


def test_the_contents_stay_in_view_and_mark_the_section_being_read(page, app_url, console_errors):
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(app_url + "/findings")
        nav = page.locator("#findings-contents")
        expect(nav).to_be_visible(timeout=30000)
        nav.get_by_role("link", name="Evaluation").click()
        expect(page).to_have_url(re.compile(r"/findings#findings-evaluation$"))
        expect(page.locator("#findings-evaluation h2")).to_be_in_viewport()
        expect(nav.get_by_role("link", name="Evaluation")).to_be_in_viewport()  # sticky, and scrolled to it
        expect(nav.get_by_role("link", name="Evaluation")).to_have_attribute("aria-current", "location")
        expect(nav.locator("[aria-current]")).to_have_count(1)
    assert console_errors == []


def test_a_filter_changes_the_live_charts_n_and_the_url(page, app_url, console_errors, store):
    europe = Filters(region=("europe",))
    page.goto(app_url + "/findings")
    n = page.locator("#findings-live-n-facts")
    expect(n).to_have_text(_facts_n(store), timeout=30000)
    page.get_by_label(EUROPE).check()
    expect(n).to_have_text(_facts_n(store, europe), timeout=20000)
    expect(page).to_have_url(re.compile(r"/findings\?region=europe$"))
    expect(page.locator("#findings-selection-count")).to_have_text(str(count(store, europe)))
    roles = store.profile_item_counts("role", europe)["cities"]
    expect(page.locator("#findings-live-role")).to_contain_text(f"n = {roles} cities")
    # the chart's table (static HTML sent by the callback) says the selection's counts too
    facts = profile_facts(store, europe)["facts"]
    expect(page.locator("#findings-live-facts table.chart-table tbody tr").first.locator("td")).to_have_text(
        [str(facts["strategy"][k]) for k in ("yes", "no", "unknown")])
    # the address is shareable: opened again, it shows the same selection
    page.goto(page.url)
    expect(page.get_by_label(EUROPE)).to_be_checked(timeout=30000)
    expect(n).to_have_text(_facts_n(store, europe))
    assert console_errors == []


def test_the_map_page_loads_no_plotly(page, app_url, console_errors, store):
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    open_map(page, app_url + "/")
    expect(page.locator("#selection-count")).to_have_text(count_text(count(store)), timeout=20000)
    page.wait_for_selector(".marker-cluster, path.city-marker", timeout=20000)
    page.wait_for_load_state("networkidle")
    assert any("dash_core_components" in u or "/dcc/" in u for u in urls), urls  # the check sees the bundles
    assert [u for u in urls if "plotly" in u.lower()] == []
    # the nav link leads to the findings page, which loads plotly.js once the visitor reads it
    page.get_by_role("link", name="Findings").click()
    expect(page.locator("#findings-strategy table.chart-table").first).to_be_visible(timeout=30000)
    page.mouse.wheel(0, 200)
    page.wait_for_selector(".js-plotly-plot", timeout=30000)
    assert [u for u in urls if "plotly" in u.lower()]
    assert console_errors == []


def test_the_ten_recommendations_and_their_example_city_links(page, app_url, console_errors, store):
    recs = store.recommendations()
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(app_url + "/findings")
    section = page.locator("#recommendations")
    expect(section).to_be_attached(timeout=30000)
    # the list of contents at the top leads to the section, 10,000 px down the page
    page.locator("#findings-contents").get_by_role("link", name="Recommendations for cities").click()
    expect(page).to_have_url(re.compile(r"/findings#recommendations$"))
    expect(section.locator("h2")).to_be_in_viewport()
    layers = section.locator(".recommendation-layer")
    expect(layers).to_have_count(3)
    for i, (name, numbers) in enumerate((("Meta-capacities", 2), ("Components", 4), ("Tools", 4))):
        expect(layers.nth(i).locator("h3")).to_have_text(name)
        expect(layers.nth(i).locator(".recommendation")).to_have_count(numbers)
    expect(section.locator(".recommendation-title")).to_have_text([r["title"] for r in recs])
    expect(section.locator(".recommendation-number")).to_have_text([str(r["number"]) for r in recs])
    second = section.locator(".recommendation").nth(1)
    expect(second.locator(".source-link")).to_have_attribute("href", recs[1]["source_url"])
    example = recs[1]["example_cities"][0]
    second.get_by_role("link", name=example["name"]).click()
    expect(page).to_have_url(re.compile(rf"/city/{example['id']}$"))
    expect(page.locator("#city-page h1")).to_have_text(example["name"], timeout=20000)
    assert console_errors == []


def test_a_link_to_the_recommendations_opens_the_page_there(page, app_url, console_errors):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(app_url + "/findings?region=europe#recommendations")
    expect(page.locator("#recommendations h2")).to_be_in_viewport(timeout=30000)
    page.wait_for_selector(".js-plotly-plot", timeout=30000)  # charts above it draw and stay out of view
    page.wait_for_load_state("networkidle")
    expect(page.locator("#recommendations h2")).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") == 390  # nothing wider than the phone
    assert console_errors == []


# Every frame after Dash has drawn the page (the first paint's copy gone): how many of the page's
# static parts (assets/atlas_static.js) still wait for their inside (it is kept in atlasInner until
# written), and how many of those are in the window. ``window.__act`` (set by a test) runs in the
# first frame in which parts wait; the frame after records what it left.
STATIC_FRAMES = """
window.__frames = [];
(function loop() {
  requestAnimationFrame(function () {
    if (document.querySelector('#react-entry-point .findings-page') && !document.querySelector('.atlas-loading')) {
      var waiting = 0, inView = 0;
      document.querySelectorAll('#react-entry-point *').forEach(function (el) {
        if (el.atlasInner == null) { return; }
        waiting++;
        var box = el.getBoundingClientRect();
        if (el.getClientRects().length && box.top < innerHeight && box.bottom > 0) { inView++; }
      });
      window.__frames.push({waiting: waiting, inView: inView});
      if (waiting && window.__act) { var act = window.__act; window.__act = null; act(); }
    }
    loop();
  });
})();
"""


def test_the_first_screen_is_written_before_its_first_frame_and_the_rest_after_it(page, app_url, console_errors):
    """A text page's parts below the window are written after the first frame, each in a task of
    its own (the page answers between them), and nothing in the window ever waits."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.add_init_script(STATIC_FRAMES)
    page.goto(app_url + "/findings")
    expect(page.locator(".recommendation")).to_have_count(10, timeout=30000)
    page.wait_for_function("() => window.__frames.length && window.__frames[window.__frames.length - 1].waiting === 0")
    frames = page.evaluate("window.__frames")
    assert frames[0]["waiting"] >= 10, frames[:3]  # the first frame: the sections below still to come
    assert all(f["inView"] == 0 for f in frames), frames
    counts = [f["waiting"] for f in frames]
    assert counts == sorted(counts, reverse=True) and len(set(counts)) > 3  # written a few at a time, in order
    expect(page.locator("#findings-caveat")).to_be_in_viewport()
    assert console_errors == []


@pytest.mark.parametrize("act", ["link", "key", "print"])
def test_a_click_a_key_or_printing_writes_every_part_at_once(page, app_url, console_errors, act):
    """What waits is written at once when the visitor clicks (a link to a section: the parts above
    it are in place before the page scrolls there), presses a key (find in page) or prints."""
    page.set_viewport_size({"width": 1366, "height": 900})
    page.add_init_script(STATIC_FRAMES)
    actions = {"link": "document.querySelector('#findings-contents a[href=\"#recommendations\"]').click()",
               "key": "document.dispatchEvent(new KeyboardEvent('keydown', {key: 'f', ctrlKey: true}))",
               "print": "window.dispatchEvent(new Event('beforeprint'))"}
    page.add_init_script(f"window.__act = function () {{ {actions[act]}; window.__left = "
                         "[...document.querySelectorAll('#react-entry-point *')].filter(el => el.atlasInner != null)"
                         ".length; };")
    page.goto(app_url + "/findings")
    page.wait_for_function("() => window.__act === null", timeout=30000)
    assert page.evaluate("window.__left") == 0
    expect(page.locator(".recommendation")).to_have_count(10)
    if act == "link":
        expect(page).to_have_url(re.compile(r"/findings#recommendations$"))
        page.wait_for_load_state("networkidle")
        top = page.locator("#recommendations h2").evaluate("h => h.getBoundingClientRect().top")
        assert 0 <= top < 60, top  # at the top of the window: nothing above it grew after the jump
    assert console_errors == []
