"""The map explorer in Debian Chromium against a real gunicorn: filters, counts,
permalinks, search, the city panel, back/forward and a narrow screen."""
from __future__ import annotations

import math
import re

import pytest
from playwright.sync_api import expect

from dashboard.facets import Filters
from dashboard.urls import from_query
from tests.browser.helpers import choose_city, count_text, expect_cities, open_map, query, shown_count
from tests.reference import count

pytestmark = pytest.mark.browser

COMBINATIONS = [
    "region=europe&tier=high&covid=inclusive-social",
    "tier=unknown",
    "strategy=yes&pop=1m-5m",
    "country=USA,CAN&team=yes",
    "confirmed=no",
    "region=asia,oceania&wave=2018",
]


@pytest.mark.parametrize("qs", COMBINATIONS)
def test_filter_combinations_from_the_url_match_the_store(page, app_url, console_errors, store, qs):
    open_map(page, f"{app_url}/?{qs}")
    expect_cities(page, count(store, from_query(qs)))
    assert console_errors == []


def test_filters_combine_in_the_ui_and_the_url_follows(page, app_url, console_errors, store):
    open_map(page, app_url + "/")
    expect_cities(page, count(store))
    page.get_by_label(re.compile(r"^Europe \(\d+\)$")).check()
    expect_cities(page, count(store, Filters(region=("europe",))))
    page.locator("#filter-tier").get_by_label(re.compile(r"^High \(\d+\)$")).check()
    expect_cities(page, count(store, Filters(region=("europe",), tier=("high",))))
    page.get_by_label(re.compile(r"^Inclusive social programmes \(\d+\)$")).check()
    f = Filters(region=("europe",), tier=("high",), covid=("inclusive-social",))
    expect_cities(page, count(store, f))
    # each option shows what it would give in the current selection
    expect(page.get_by_label(re.compile(r"^Europe \(\d+\)$"))).to_be_checked()
    expect(page.locator("#filter-region")).to_contain_text(f"Europe ({count(store, f)})")
    assert {k: query(page)[k] for k in ("region", "tier", "covid")} == f.to_query()

    page.locator("#filter-country").click()
    page.keyboard.type("Italy")
    page.get_by_role("option", name=re.compile(r"^Italy \(\d+\)$")).click()
    page.keyboard.press("Escape")
    expect_cities(page, count(store, Filters(region=("europe",), tier=("high",), covid=("inclusive-social",),
                                            country=("ITA",))))
    assert query(page)["country"] == "ITA"

    page.get_by_role("button", name="Reset all filters").click()
    expect_cities(page, count(store))
    expect(page.get_by_label(re.compile(r"^Europe \(\d+\)$"))).not_to_be_checked()
    assert not {"region", "tier", "covid", "country"} & set(query(page))
    assert console_errors == []


@pytest.mark.parametrize("qs, filters, words", [
    ("country=ZZZ,ITA", Filters(country=("ITA",)), "Country: Italy"),
    ("country=ZZZ", Filters(), None),
])
def test_a_country_no_city_has_is_ignored_in_the_first_html_and_after_dash_starts(page, app_url, console_errors,
                                                                                   store, qs, filters, words):
    """A country code no city has is dropped as the address is read: the first HTML (count line,
    active filters, the map's first drawing), then the count line, the map and the country dropdown
    once Dash has started all show the rest of the address's selection (Italy's cities; all cities)."""
    from tests.test_first_view import drawn

    n = count(store, filters)
    first = page.request.get(f"{app_url}/?{qs}").text()  # the page before any script runs
    assert f'<p class="selection-line first-count">{count_text(n)}</p>' in first
    assert f'<span class="toolbar-count">{count_text(n)}</span>' in first
    assert (f'<p class="first-filters">{words}</p>' in first) if words else 'class="first-filters"' not in first
    assert set(drawn(first).values()) == {n}
    open_map(page, f"{app_url}/?{qs}")
    expect_cities(page, n)
    value = "() => window.dash_component_api.getLayout('filter-country').props.value"
    page.wait_for_function(f"() => Array.isArray(({value})())")
    page.wait_for_load_state("networkidle")  # Dash has started and answered whatever it asked
    assert page.evaluate(value) == list(filters["country"])
    dropdown = page.locator("#filter-country")
    if filters:
        expect(dropdown).to_contain_text("Italy")
    else:
        expect(dropdown).to_contain_text("Any")
    expect_cities(page, n)
    expect(page.locator("#toolbar-count")).to_have_text(count_text(n))
    assert "ZZZ" not in page.locator("#map-data-links").inner_html()
    assert console_errors == []


def test_a_permalink_restores_filters_panel_and_view(page, app_url, console_errors, store):
    open_map(page, app_url + "/?region=europe&tier=high&covid=inclusive-social&city=bologna-ita&z=4&lat=48&lon=10"
              "&bogus=1&pop=nonsense")
    f = Filters(region=("europe",), tier=("high",), covid=("inclusive-social",))
    expect_cities(page, count(store, f))
    expect(page.get_by_label(re.compile(r"^Europe \(\d+\)$"))).to_be_checked()
    expect(page.get_by_label(re.compile(r"^Inclusive social programmes \(\d+\)$"))).to_be_checked()
    panel = page.locator("#city-panel")
    expect(panel).to_be_visible()
    expect(panel.get_by_role("heading", level=2)).to_have_text("Bologna")
    expect(panel).to_contain_text("(estimate)")
    expect(page.locator("path.selected-city")).to_have_count(1)
    # the view is the one asked for: Bologna's ring sits where zoom 4 around (48, 10) puts it
    bologna = store.city("bologna-ita")
    dx, dy = pixel_offset((48.0, 10.0), (bologna["lat"], bologna["lon"]), zoom=4)
    ring, box = page.locator("path.selected-city").bounding_box(), page.locator("#atlas-map").bounding_box()
    assert abs(ring["x"] + ring["width"] / 2 - (box["x"] + box["width"] / 2) - dx) < 4
    assert abs(ring["y"] + ring["height"] / 2 - (box["y"] + box["height"] / 2) - dy) < 4
    # moving the map rewrites the view in place
    page.get_by_role("button", name="Zoom in").click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('z') === '5'", timeout=10000)
    assert query(page)["city"] == "bologna-ita"
    assert console_errors == []


def pixel_offset(center, point, zoom: int) -> tuple[float, float]:
    """Screen offset of point from center in Web Mercator at a zoom level (256-px tiles)."""
    def project(lat, lon):
        size = 256 * 2 ** zoom
        y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
        return (lon + 180) / 360 * size, (1 - y / math.pi) / 2 * size

    (cx, cy), (px, py) = project(*center), project(*point)
    return px - cx, py - cy


@pytest.mark.parametrize("typed, name, city_id", [
    ("cornella", "Cornellà de Llobregat", "cornella-de-llobregat-esp"),
    ("medellin", "Medellín", "medellin-col"),
])
def test_search_finds_accented_names_and_flies_there(page, app_url, console_errors, store, typed, name, city_id):
    open_map(page, app_url + "/")
    expect_cities(page, count(store))
    assert "z" not in query(page)  # a view the page chose itself stays out of the URL
    choose_city(page, typed, re.compile("^" + name))
    expect(page.locator("#city-panel h2")).to_have_text(name, timeout=10000)
    expect(page.locator("#city-panel")).to_contain_text("COVID-19 response")
    expect(page.locator("#city-panel").get_by_role("link", name="Full profile")).to_have_attribute(
        "href", f"/city/{city_id}")
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('city') === '{city_id}'")
    # the map moved to the city: the URL's view follows the map once the flight ends
    page.wait_for_function("() => Number(new URLSearchParams(location.search).get('z')) >= 6", timeout=10000)
    page.keyboard.press("Escape")
    expect(page.locator("#city-panel")).to_be_hidden()
    assert "city" not in query(page)
    assert console_errors == []


def test_clicking_a_marker_opens_its_panel(page, app_url, console_errors, store):
    bologna = store.city("bologna-ita")
    open_map(page, f"{app_url}/?z=10&lat={bologna['lat']:.2f}&lon={bologna['lon']:.2f}")
    marker = page.locator("path.city-marker")
    expect(marker).to_have_count(1, timeout=20000)
    marker.click()
    expect(page.locator("#city-panel h2")).to_have_text("Bologna", timeout=10000)
    assert query(page)["city"] == "bologna-ita"
    page.locator("#city-panel-close").click()
    expect(page.locator("#city-panel")).to_be_hidden()
    assert console_errors == []


def test_back_and_forward_step_through_changes(page, app_url, console_errors, store):
    open_map(page, app_url + "/")
    expect_cities(page, count(store))
    page.get_by_label(re.compile(r"^Europe \(\d+\)$")).check()
    europe = count(store, Filters(region=("europe",)))
    expect_cities(page, europe)
    page.locator("#filter-tier").get_by_label(re.compile(r"^High \(\d+\)$")).check()
    europe_high = count(store, Filters(region=("europe",), tier=("high",)))
    expect_cities(page, europe_high)
    choose_city(page, "bologna", re.compile("^Bologna"))
    expect(page.locator("#city-panel")).to_be_visible()

    page.go_back()
    expect(page.locator("#city-panel")).to_be_hidden()
    expect_cities(page, europe_high)
    page.go_back()
    expect_cities(page, europe)
    expect(page.locator("#filter-tier").get_by_label(re.compile(r"^High \(\d+\)$"))).not_to_be_checked()
    page.go_back()
    expect_cities(page, count(store))
    expect(page.get_by_label(re.compile(r"^Europe \(\d+\)$"))).not_to_be_checked()
    page.go_forward()
    expect_cities(page, europe)
    page.go_forward()
    page.go_forward()
    expect(page.locator("#city-panel h2")).to_have_text("Bologna", timeout=10000)
    # (the map may show Bologna close up here, with part of the selection off screen)
    expect(page.locator("#selection-count")).to_have_text(count_text(europe_high))
    expect(page.locator("#filter-tier").get_by_label(re.compile(r"^High \(\d+\)$"))).to_be_checked()
    assert query(page)["city"] == "bologna-ita"
    assert console_errors == []


def test_keyboard_reaches_filters_with_visible_focus(page, app_url, console_errors, store):
    open_map(page, app_url + "/")
    expect_cities(page, count(store))
    page.get_by_role("button", name="Reset all filters").focus()
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type === 'checkbox'"):
            break
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    first_value = page.evaluate("document.activeElement.value")
    page.keyboard.press("Space")
    expect_cities(page, count(store, from_query({"region": first_value})))
    assert console_errors == []


def test_reduced_motion_means_no_flight(page, app_url, console_errors):
    open_map(page, app_url + "/")
    page.wait_for_function("() => window.dash_clientside && window.dash_clientside.atlas")
    focus = "window.dash_clientside.atlas.moveMap({center: [44.5, 11.3], zoom: 6, animate: true}, null)"
    assert page.evaluate(focus)["transition"] == "flyTo"
    page.emulate_media(reduced_motion="reduce")
    moved = page.evaluate(focus)
    assert moved["transition"] == "setView" and moved["options"] == {"animate": False}
    assert console_errors == []


def test_narrow_screen_uses_a_drawer_and_a_bottom_sheet(page, app_url, console_errors, store):
    page.set_viewport_size({"width": 480, "height": 800})
    open_map(page, app_url + "/")
    expect_cities(page, count(store))
    drawer = page.locator("#filters")
    expect(drawer).to_be_hidden()
    toggle = page.get_by_role("button", name="Filters", exact=True)
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(drawer).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.get_by_label(re.compile(r"^Europe \(\d+\)$")).check()
    page.keyboard.press("Escape")
    expect(drawer).to_be_hidden()
    expect_cities(page, count(store, Filters(region=("europe",))))
    map_box = page.locator("#atlas-map").bounding_box()
    assert map_box["width"] >= 470  # the map takes the full width

    choose_city(page, "bologna", re.compile("^Bologna"))
    sheet = page.locator("#city-panel")
    expect(sheet).to_be_visible()
    box = sheet.bounding_box()
    assert box["width"] >= 470 and abs(box["y"] + box["height"] - 800) <= 2  # docked at the bottom
    page.keyboard.press("Escape")
    expect(sheet).to_be_hidden()
    assert console_errors == []


@pytest.mark.parametrize("qs", ["", "region=europe&tier=high", "covid=co-creation&pop=1m-5m", "tier=bogus,low&x=1"])
def test_the_api_counts_what_the_map_shows(page, app_url, console_errors, qs):
    open_map(page, f"{app_url}/?{qs}")
    line = page.locator("#selection-count")
    expect(line).not_to_have_text("", timeout=20000)
    page.wait_for_function("() => document.querySelectorAll('.marker-cluster, path.city-marker').length > 0")
    shown = shown_count(page)
    api = page.request.get(f"{app_url}/api/cities.json?{qs}").json()
    assert api["meta"]["count"] == len(api["rows"]) == shown
    geo = page.request.get(f"{app_url}/api/cities.geojson?{qs}").json()
    assert len(geo["features"]) == shown
    assert console_errors == []


def test_the_selection_downloads_as_csv_from_the_map(page, app_url, console_errors, store):
    """After filtering in the UI, the map's CSV link downloads exactly the cities shown."""
    import csv

    open_map(page, app_url + "/")
    expect_cities(page, count(store))
    page.locator("#filter-tier").get_by_label(re.compile(r"^High \(\d+\)$")).check()
    page.get_by_label(re.compile(r"^Latin America \(\d+\)$")).check()
    f = Filters(region=("latin-america",), tier=("high",))
    expect_cities(page, count(store, f))
    links = page.locator("#map-data-links")
    expect(links.get_by_role("link", name="Table")).to_have_attribute("href", "/table?region=latin-america&tier=high")
    with page.expect_download() as info:
        links.get_by_role("link", name="CSV").click()
    with open(info.value.path(), encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert info.value.suggested_filename.endswith(".csv")
    assert sorted(r["id"] for r in rows) == sorted(p.id for p in store.city_points(f))
    assert len(rows) == shown_count(page) > 0
    assert console_errors == []


def test_the_panel_leads_to_the_city_page(page, app_url, console_errors):
    open_map(page, app_url + "/?city=bologna-ita")
    page.locator("#city-panel").get_by_role("link", name="Full profile").click()
    expect(page).to_have_url(re.compile(r"/city/bologna-ita$"), timeout=20000)
    expect(page.locator("#city-page h1")).to_have_text("Bologna", timeout=20000)
    assert console_errors == []


def test_tooltips_built_in_the_browser_escape_names(page, app_url, console_errors):
    open_map(page, app_url + "/")
    page.wait_for_function("() => !!(window.atlas && window.atlas.map && window.atlas.map.features)")
    fc = page.evaluate("""() => window.atlas.map.features(
        {id: ["x-1", "x-2"], name: ["<img src=x onerror=alert(1)>", "B"], country: ["A & B", "C"], lat: [1, 3],
         lon: [2, 4], tier: ["high", "unknown"], official: [0, 0], confirmed: [0, 1], radius: [5, 6],
         facets: {tier: {values: ["high", "unknown"], codes: [0, 1]}}},
        "tier=high",
        {tier: {"high/estimate": "Innovation capacity: high (estimate)"}, unconfirmed: "not confirmed"},
        {high: {color: "#0072B2", stroke: "#00406b", fill_opacity: 0.85, dash: null}})""")
    assert [f["id"] for f in fc["features"]] == ["x-1"]
    tooltip = fc["features"][0]["properties"]["tooltip"]
    assert tooltip == ("<strong>&lt;img src=x onerror=alert(1)&gt;</strong><br>A &amp; B<br>"
                       "Innovation capacity: high (estimate)<br>not confirmed")
    assert fc["features"][0]["geometry"]["coordinates"] == [2, 1]
    assert console_errors == []


@pytest.fixture(scope="module")
def server_search_url(app_env):
    """The app with a search limit below the number of cities: the search box asks the server."""
    from tests.conftest import start_gunicorn

    proc, url = start_gunicorn({**app_env, "ATLAS_LOCAL_SEARCH_MAX": "10"})
    yield url
    proc.terminate()
    proc.wait(10)


def test_the_search_list_comes_when_the_visitor_reaches_for_the_box(page, app_url, console_errors, store):
    asked = []
    page.on("request", lambda r: asked.append(r.post_data) if r.method == "POST" and (r.post_data or "").startswith(
        '{"output":"city-search.options"') else None)
    open_map(page, app_url + "/?city=bologna-ita")
    expect(page.locator("#city-search")).to_contain_text("Bologna (Italy)", timeout=20000)
    expect(page.locator("#city-panel h2")).to_have_text("Bologna", timeout=20000)
    page.wait_for_timeout(500)
    assert asked == []  # the page started without the list
    choose_city(page, "medellin", "Medellín (Colombia)")
    expect(page.locator("#city-panel h2")).to_have_text("Medellín", timeout=10000)
    expect(page.locator("#city-search")).to_contain_text("Medellín (Colombia)")
    assert len(asked) == 1
    # the list is kept: a second search asks nothing more, and finds a city by its accent-free name
    choose_city(page, "cornella", "Cornellà de Llobregat (Spain)")
    expect(page.locator("#city-panel h2")).to_have_text("Cornellà de Llobregat", timeout=10000)
    assert len(asked) == 1
    assert console_errors == []


def test_search_asks_the_server_above_the_local_limit(page, server_search_url, console_errors):
    open_map(page, server_search_url + "/?city=bologna-ita")
    expect(page.locator("#city-search")).to_contain_text("Bologna (Italy)", timeout=20000)
    choose_city(page, "medellin", "Medellín (Colombia)", delay=120)
    expect(page.locator("#city-panel h2")).to_have_text("Medellín", timeout=10000)
    expect(page.locator("#city-search")).to_contain_text("Medellín (Colombia)")
    assert console_errors == []


@pytest.mark.parametrize("lang,start", [("en", {}), ("fr", {}), ("en", {"country": ("ITA", "ESP", "USA")})])
def test_a_filter_change_is_counted_in_the_browser(page, app_url, console_errors, store, flask_client, lang, start):
    """After a click the count lines and every option's count come from the browser (the server's
    answers carry none of them), in the page's language, and they are the reference's; the count
    line says it in the frame of the click (read at once after it), the address's other filters
    (a dropdown's too) applied."""
    import json

    import app as app_module
    from dashboard import vocabulary
    from dashboard.i18n import number
    from tests.reference import facet_counts

    answers = []
    page.on("response", lambda r: answers.append(r) if "_dash-update-component" in r.url else None)
    extra = "".join(f"&{k}={','.join(v)}" for k, v in start.items())
    open_map(page, f"{app_url}/?lang={lang}{extra}")
    expect(page.locator("path.city-marker, .marker-cluster").first).to_be_attached(timeout=20000)
    page.wait_for_load_state("networkidle")
    answers.clear()
    at_once = page.evaluate("""() => {
        const say = () => document.querySelector('#selection-count').textContent;
        document.querySelector('#filter-region input[value="europe"]').click();
        const first = say();
        document.querySelector('#filter-tier input[value="high"]').click();
        return [first, say(), document.querySelector('#toolbar-count').textContent];
    }""")
    f = Filters(region=("europe",), tier=("high",), **start)
    n, counts = count(store, f), facet_counts(store, f)
    with app_module.server.test_request_context(f"/?lang={lang}"):
        line = vocabulary.cities_shown(n)
        assert at_once == [vocabulary.cities_shown(count(store, Filters(region=("europe",), **start))), line, line]
        regions = [f"{vocabulary.value_label('region', v)} ({number(counts['region'].get(v, 0))})"
                   for v in vocabulary.facet_values("region")]
        tiers = [f"{vocabulary.value_label('tier', v)} ({number(counts['tier'].get(v, 0))})"
                 for v in vocabulary.facet_values("tier")]
    expect(page.locator("#selection-count")).to_have_text(line)
    expect(page.locator("#toolbar-count")).to_have_text(line)
    expect(page.locator("#filter-region label")).to_have_text(regions)
    expect(page.locator("#filter-tier label")).to_have_text(tiers)
    page.wait_for_function(f"() => document.querySelectorAll('path.city-marker').length"
                           f" + [...document.querySelectorAll('.marker-cluster')]"
                           f".reduce((s, e) => s + parseInt(e.textContent, 10), 0) === {n}")
    page.wait_for_load_state("networkidle")
    assert answers, "the server was asked for the list, the summary and the address"
    for answer in answers:
        outputs = json.loads(answer.text())["response"]
        assert "selection-count" not in outputs and "toolbar-count" not in outputs
        assert not any("options" in props for props in outputs.values())
    assert query(page)["region"] == "europe" and query(page)["tier"] == "high"
    assert console_errors == []


def test_a_dropdown_change_shows_count_markers_and_counts_before_the_server_answers(page, app_url, console_errors,
                                                                                    store, flask_client):
    """A country chosen in its dropdown (by mouse, then another by keyboard) and one removed: each
    time the count lines, the cities on the map and the other facets' counts are the new
    selection's while Dash's request to the server is still held; then the server's answer
    agrees (the address follows)."""
    import app as app_module
    from dashboard import vocabulary
    from dashboard.i18n import number
    from tests.browser.helpers import MARKERS_JS
    from tests.reference import facet_counts

    open_map(page, app_url + "/")
    expect_cities(page, count(store))
    page.wait_for_load_state("networkidle")
    held, holding = [], [True]
    page.route("**/_dash-update-component*",
               lambda route: held.append(route) if holding[0] else route.continue_())

    def shows(f: Filters) -> None:
        n, counts = count(store, f), facet_counts(store, f)
        expect(page.locator("#selection-count")).to_have_text(count_text(n))
        expect(page.locator("#toolbar-count")).to_have_text(count_text(n))
        assert page.evaluate(MARKERS_JS) == n
        with app_module.server.test_request_context("/"):
            regions = [f"{vocabulary.value_label('region', v)} ({number(counts['region'].get(v, 0))})"
                       for v in vocabulary.facet_values("region")]
        expect(page.locator("#filter-region label")).to_have_text(regions)

    page.locator("#filter-country").click()
    page.get_by_role("option", name=re.compile(r"^Italy \(\d+\)$")).click()
    shows(Filters(country=("ITA",)))
    assert held and query(page).get("country") is None  # the server has not answered
    # the keyboard: to the next option, which Enter chooses
    italy = page.get_by_role("option", name=re.compile(r"^Italy"))
    italy.focus()
    active = "() => document.activeElement.closest('[role=option]')?.querySelector('input')?.value"
    # (the dropdown may still be redrawing its options from the choice: the focus settles first)
    page.wait_for_function(f"() => ({active})() === 'ITA'", timeout=5000)
    page.keyboard.press("ArrowDown")
    page.wait_for_function(f"() => !['', 'ITA', undefined].includes(({active})())", timeout=5000)
    following = page.evaluate(active)
    assert following not in ("", "ITA")
    page.keyboard.press("Enter")
    shows(Filters(country=("ITA", following)))
    page.get_by_role("option", name=re.compile(r"^Italy")).click()  # removed again
    shows(Filters(country=(following,)))
    page.keyboard.press("Escape")
    assert query(page).get("country") is None
    holding[0] = False
    for route in held:
        route.continue_()
    expect_cities(page, count(store, Filters(country=(following,))))
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('country') === '{following}'")
    assert console_errors == []


def test_the_map_moves_to_a_new_selection_before_the_server_answers(page, app_url, console_errors, store):
    """A box ticked and cleared by mouse: each time the map fits the new selection (every city of it
    on screen) while Dash's request is held, and the server's answer, which gives the same bounds
    (test_browser_rule), does not move the map again."""
    from tests.browser.helpers import MARKERS_JS

    open_map(page, app_url + "/")
    expect_cities(page, count(store))
    page.wait_for_load_state("networkidle")
    zoom = "() => window.dash_component_api.getLayout('atlas-map').props.zoom"
    world = page.evaluate(zoom)
    held, holding = [], [True]
    page.route("**/_dash-update-component*",
               lambda route: held.append(route) if holding[0] else route.continue_())
    europe = Filters(region=("europe",))
    box = "#filter-region input[value=europe]"
    page.locator(box).click()
    expect(page.locator("#selection-count")).to_have_text(count_text(count(store, europe)))
    page.wait_for_function(f"() => ({MARKERS_JS})() === {count(store, europe)}", timeout=5000)
    assert held and query(page).get("region") is None  # the server has not answered
    fitted = page.evaluate(zoom)
    assert fitted > world
    # every European city is inside the map's box
    inside = page.evaluate("""() => {
        const box = document.querySelector('#atlas-map').getBoundingClientRect();
        return [...document.querySelectorAll('path.city-marker, .marker-cluster')].every(el => {
          const r = el.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
          return x >= box.left && x <= box.right && y >= box.top && y <= box.bottom;
        });
    }""")
    assert inside
    page.locator(box).click()
    expect(page.locator("#selection-count")).to_have_text(count_text(count(store)))
    page.wait_for_function(f"() => ({MARKERS_JS})() === {count(store)}", timeout=5000)
    assert page.evaluate(zoom) == world
    page.locator(box).click()
    page.wait_for_function(f"() => ({MARKERS_JS})() === {count(store, europe)}", timeout=5000)
    assert page.evaluate(zoom) == fitted
    # the server's answers arrive: its bounds are those the map was fitted to, so it stays
    view = "() => document.querySelector('#atlas-map .leaflet-map-pane').style.transform"
    before = page.evaluate(view)
    holding[0] = False
    for route in held:
        route.continue_()
    page.wait_for_function("() => new URLSearchParams(location.search).get('region') === 'europe'")
    page.wait_for_load_state("networkidle")
    assert page.evaluate(view) == before and page.evaluate(zoom) == fitted
    assert console_errors == []


# counts each border's projections into the page (Leaflet's vector layers: window.__projected) and
# draws a layer anew from its coordinates to compare with what the map shows (window.__redrawn)
BORDERS_JS = """() => {
  const P = L.Polyline.prototype, project = P._project;
  window.__projected = new Map();
  P._project = function () {
    window.__projected.set(this, (window.__projected.get(this) || 0) + 1);
    return project.apply(this, arguments);
  };
  window.__redrawn = () => [...window.__projected.keys()].filter(l => l._map).every(l => {
    const shown = l._path.getAttribute('d');
    l._project(); l._update();
    return l._path.getAttribute('d') === shown;
  });
  // on the screen, the largest distance (px) between a border wholly in view and the box its
  // coordinates give there (the drawing's own place: its projection and its layer's transform)
  window.__offScreen = () => {
    const layers = [...window.__projected.keys()].filter(l => l._map && l._map.getBounds().contains(l.getBounds()));
    if (!layers.length) { return null; }
    return Math.max(...layers.map(l => {
      const map = l._map, box = map.getContainer().getBoundingClientRect(), drawn = l._path.getBoundingClientRect();
      const b = l.getBounds(), nw = map.latLngToContainerPoint(b.getNorthWest()), se = map.latLngToContainerPoint(b.getSouthEast());
      return Math.max(Math.abs(drawn.left - box.left - nw.x), Math.abs(drawn.top - box.top - nw.y),
                      Math.abs(drawn.right - box.left - se.x), Math.abs(drawn.bottom - box.top - se.y));
    }));
  };
}"""


def test_a_fitted_map_projects_its_borders_once_and_draws_them_right(page, app_url, console_errors, store):
    """A filter change fits the map to a new zoom: every border is projected once for it (Leaflet
    alone does it twice and draws it three times: assets/atlas_map.js resetOnce), and what is drawn
    is what the border's coordinates give at that view (its path, and its place on the screen), as is
    a jump elsewhere at the same zoom (a reset the renderer has not drawn, which runs in full)."""
    open_map(page, app_url + "/")
    expect_cities(page, count(store))
    page.wait_for_load_state("networkidle")
    page.evaluate(BORDERS_JS)
    europe = Filters(region=("europe",))
    page.locator("#filter-region input[value=europe]").click()
    expect(page.locator("#selection-count")).to_have_text(count_text(count(store, europe)))
    page.wait_for_load_state("networkidle")
    projected = page.evaluate("() => [...window.__projected.values()]")
    assert len(projected) > 100 and set(projected) == {1}, sorted(set(projected))
    assert page.evaluate("() => window.__redrawn()")
    assert page.evaluate("() => window.__offScreen()") < 2  # pixels (and the stroke's width)
    # the same zoom, another place: a reset without a zoom change (as Leaflet makes for a jump)
    moved = page.evaluate("""() => {
        const map = [...window.__projected.keys()].find(l => l._map)._map, zoom = map.getZoom();
        const before = map.getPixelOrigin();
        map.setView([-25, 135], zoom, {reset: true});
        return map.getZoom() === zoom && !map.getPixelOrigin().equals(before);
    }""")
    assert moved
    assert page.evaluate("() => window.__redrawn()")
    assert page.evaluate("() => window.__offScreen()") < 2
    assert console_errors == []
