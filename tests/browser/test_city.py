"""City pages and the comparison in Debian Chromium against a real gunicorn."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_city_page_shows_the_profile_with_sources(page, app_url, console_errors, store):
    city = store.city("bologna-ita")
    page.goto(app_url + "/city/bologna-ita")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bologna", timeout=20000)
    expect(page).to_have_title("Bologna - City Innovation Atlas")
    score = page.locator("#city-score")
    expect(score).to_contain_text(f"Innovation capacity: {city['psi_tier']} (estimate)")
    expect(score).to_contain_text("not an OECD score")
    expect(score).to_contain_text(f"{city['psi_index']:g} / 10")
    expect(page.locator("a.source-link[href='https://www.geonames.org/3181928']")).to_be_visible()
    expect(page.locator(f"a.source-link[href='{city['profile']['profile_url']}']").first).to_be_visible()
    # the mini map: the borders and one marker for the city
    page.wait_for_function("document.querySelectorAll('#city-map .leaflet-countries-pane path').length > 150",
                           timeout=20000)
    expect(page.locator("#city-map path.city-marker")).to_have_count(1)
    expect(page.locator("#city-similar li")).to_have_count(5)
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
    box = page.locator("#city-search")
    expect(box).to_have_value("no such city")
    expect(page.locator("#city-search-results")).to_contain_text("No city name contains")
    box.fill("medellin")
    result = page.locator("#city-search-results").get_by_role("link", name="Medellín")
    expect(result).to_be_visible(timeout=10000)
    result.click()
    expect(page).to_have_url(re.compile(r"/city/medellin-col$"))
    expect(page.locator("#city-page h1")).to_have_text("Medellín", timeout=20000)
    # the document's own 404 status is the only error the browser reports
    assert console_errors == ["Failed to load resource: the server responded with a status of 404 (NOT FOUND)"]
