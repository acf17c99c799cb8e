"""City pages and the comparison in Debian Chromium against a real gunicorn."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from tests.browser.helpers import open_map

pytestmark = pytest.mark.browser


def test_city_page_shows_the_profile_with_sources(page, app_url, console_errors, store):
    city = store.city("bologna-ita")
    page.goto(app_url + "/city/bologna-ita")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bologna", timeout=20000)
    expect(page).to_have_title("Bologna - City Innovation Atlas")
    score = page.locator("#city-score")
    expect(score).to_contain_text(f"Innovation capacity: {city['psi_tier']} (estimate)")
    expect(score).to_contain_text("not an OECD score")
    # a sentence of its own: the provenance, then the link to the method
    expect(score.locator(".score-provenance")).to_have_text(
        re.compile(r"^Estimate by the atlas .*not an OECD score.*\. How the estimate is computed$"))
    expect(score).to_contain_text(f"{city['psi_index']:g} / 10")
    expect(page.locator("a.source-link[href='https://www.geonames.org/3181928']")).to_be_visible()
    expect(page.locator(f"a.source-link[href='{city['profile']['profile_url']}']").first).to_be_visible()
    # the mini map: the borders and one marker for the city
    page.wait_for_function("() => document.querySelectorAll('#city-map .leaflet-countries-pane path').length > 150",
                           timeout=20000)
    expect(page.locator("#city-map path.city-marker")).to_have_count(1)
    expect(page.locator("#city-similar li")).to_have_count(5)
    assert console_errors == []


def test_on_a_phone_leaflet_loads_only_when_the_mini_map_comes_near(page, app_url, console_errors):
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(app_url + "/city/bologna-ita")
    expect(page.locator("#city-page h1")).to_have_text("Bologna", timeout=20000)
    expect(page.locator("#city-similar li")).to_have_count(5)  # Dash has drawn the whole page
    page.wait_for_timeout(500)
    assert not [u for u in requested if "dash_leaflet" in u]
    assert page.evaluate("() => typeof window.L") == "undefined"  # Leaflet's own global
    page.locator("#city-map-slot").scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelectorAll('#city-map .leaflet-countries-pane path').length > 150",
                           timeout=20000)
    expect(page.locator("#city-map path.city-marker")).to_have_count(1)
    assert [u for u in requested if "/dash_leaflet/dash_leaflet.js" in u]
    assert console_errors == []


def test_printing_a_city_hides_navigation_and_keeps_the_profile(page, app_url, console_errors):
    page.goto(app_url + "/city/bologna-ita")
    expect(page.locator("#city-page h1")).to_have_text("Bologna", timeout=20000)
    expect(page.locator("#site-nav")).to_be_visible()
    page.emulate_media(media="print")
    for hidden in ("#site-nav", "#city-actions", "#city-map .leaflet-control-zoom", "#city-similar"):
        expect(page.locator(hidden)).to_be_hidden()
    for shown in ("#city-page h1", "#city-score", ".section-covid", ".site-footer"):
        expect(page.locator(shown)).to_be_visible()
    after = page.evaluate("getComputedStyle(document.querySelector(\"a.source-link[href^='https://www.geonames']\"),"
                          " '::after').content")
    assert "https://www.geonames.org/3181928" in after
    page.emulate_media(media="screen")
    expect(page.locator("#site-nav")).to_be_visible()
    assert console_errors == []


def test_unknown_city_offers_a_search(page, app_url, console_errors):
    response = page.goto(app_url + "/city/no-such-city")
    assert response.status == 404
    expect(page.get_by_role("heading", name="City not found")).to_be_visible(timeout=20000)
    box = page.locator("#city-lookup")
    expect(box).to_have_value("no such city")
    expect(page.locator("#city-lookup-results")).to_contain_text("No city name contains")
    box.fill("medellin")
    result = page.locator("#city-lookup-results").get_by_role("link", name="Medellín")
    expect(result).to_be_visible(timeout=10000)
    result.click()
    expect(page).to_have_url(re.compile(r"/city/medellin-col$"))
    expect(page.locator("#city-page h1")).to_have_text("Medellín", timeout=20000)
    # the document's own 404 status is the only error the browser reports
    assert console_errors == ["Failed to load resource: the server responded with a status of 404 (NOT FOUND)"]


def _compare_heads(page):
    return page.locator("#compare-table thead .compare-city")


def test_compare_three_cities_from_the_url(page, app_url, console_errors, store):
    page.goto(app_url + "/compare?cities=bologna-ita,amsterdam-nld,seoul-kor")
    expect(_compare_heads(page)).to_have_text(["Bologna", "Amsterdam", "Seoul"], timeout=20000)
    expect(page.locator("#compare-notes li")).to_have_count(0)
    # Seoul's population differs from the others; all three have a team
    expect(page.locator("tr[data-row='population']")).to_have_class(re.compile(r"\bdiffers\b"))
    expect(page.locator("tr[data-row='team']")).to_have_class(re.compile(r"\bsame\b"))
    expect(page.locator("tr[data-row='population']")).to_contain_text(f"{store.city('seoul-kor')['population']:,}")
    page.get_by_label("Show only rows that differ").check()
    expect(page.locator("tr[data-row='team']")).to_be_hidden()
    expect(page.locator("tr[data-row='population']")).to_be_visible()
    page.get_by_label("Show only rows that differ").uncheck()
    expect(page.locator("tr[data-row='team']")).to_be_visible()
    assert console_errors == []


def test_compare_add_and_remove_cities_in_the_page(page, app_url, console_errors):
    page.goto(app_url + "/compare?cities=bologna-ita,amsterdam-nld")
    expect(_compare_heads(page)).to_have_text(["Bologna", "Amsterdam"], timeout=20000)
    page.locator("#compare-add").click()
    page.keyboard.type("Seoul")
    page.get_by_role("option", name="Seoul, Korea").click()
    expect(page).to_have_url(re.compile(r"/compare\?cities=bologna-ita,amsterdam-nld,seoul-kor$"), timeout=10000)
    expect(_compare_heads(page)).to_have_text(["Bologna", "Amsterdam", "Seoul"], timeout=10000)
    page.get_by_role("link", name="Remove Amsterdam from the comparison").click()
    expect(page).to_have_url(re.compile(r"/compare\?cities=bologna-ita,seoul-kor$"), timeout=10000)
    expect(_compare_heads(page)).to_have_text(["Bologna", "Seoul"], timeout=10000)
    page.go_back()
    expect(_compare_heads(page)).to_have_text(["Bologna", "Amsterdam", "Seoul"], timeout=10000)
    assert console_errors == []


def test_compare_notes_ignored_ids(page, app_url, console_errors):
    page.goto(app_url + "/compare?cities=bologna-ita,xyz,bologna-ita,seoul-kor")
    notes = page.locator("#compare-notes")
    expect(notes).to_contain_text("Ignored: xyz (unknown city)", timeout=20000)
    expect(notes).to_contain_text("Ignored: bologna-ita (listed twice)")
    expect(_compare_heads(page)).to_have_text(["Bologna", "Seoul"])
    assert console_errors == []


def test_compare_with_from_a_city_page(page, app_url, console_errors):
    page.goto(app_url + "/city/seoul-kor")
    page.get_by_role("link", name="Compare with…").click()
    expect(page).to_have_url(re.compile(r"/compare\?cities=seoul-kor$"), timeout=20000)
    expect(_compare_heads(page)).to_have_text(["Seoul"], timeout=10000)
    expect(page.locator("#compare-page")).to_contain_text("Choose at least two cities")
    assert console_errors == []


def test_add_to_compare_from_the_map_panel_adds_to_the_last_comparison(page, app_url, console_errors):
    page.goto(app_url + "/compare?cities=bologna-ita,amsterdam-nld")
    expect(_compare_heads(page)).to_have_text(["Bologna", "Amsterdam"], timeout=20000)
    page.wait_for_function("() => localStorage.getItem('compare-set') === JSON.stringify(['bologna-ita', 'amsterdam-nld'])")
    open_map(page, app_url + "/?city=seoul-kor")
    page.locator("#city-panel").get_by_role("link", name="Add to compare").click()
    # on the map the visitor stays on the map; the tray opens the comparison
    tray = page.locator("#compare-tray")
    expect(tray).to_contain_text("3 cities to compare", timeout=20000)
    assert "/compare" not in page.url
    tray.get_by_role("link", name="Compare").click()
    expect(page).to_have_url(re.compile(r"/compare\?cities=bologna-ita,amsterdam-nld,seoul-kor$"), timeout=20000)
    expect(_compare_heads(page)).to_have_text(["Bologna", "Amsterdam", "Seoul"], timeout=10000)
    # from a city page too; a fifth city drops the oldest
    page.goto(app_url + "/city/medellin-col")
    page.get_by_role("link", name="Compare with…").click()
    expect(page).to_have_url(re.compile(r"/compare\?cities=bologna-ita,amsterdam-nld,seoul-kor,medellin-col$"),
                             timeout=20000)
    expect(_compare_heads(page)).to_have_text(["Bologna", "Amsterdam", "Seoul", "Medellín"], timeout=10000)
    page.wait_for_function("() => JSON.parse(localStorage.getItem('compare-set')).length === 4")
    page.goto(app_url + "/city/bristol-gbr")
    page.get_by_role("link", name="Compare with…").click()
    expect(_compare_heads(page)).to_have_text(["Amsterdam", "Seoul", "Medellín", "Bristol"], timeout=20000)
    assert console_errors == []
