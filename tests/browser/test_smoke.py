"""The atlas in Debian Chromium against a real gunicorn: what a visitor sees."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import MARKERS_JS, count_text, expect_cities, open_map
from tests.reference import count

pytestmark = pytest.mark.browser

def test_home_shows_every_city_on_the_map_without_console_errors(page, app_url, console_errors, store):
    open_map(page, app_url + "/")
    expect(page.locator("#selection-count")).to_have_text(count_text(count(store)), timeout=20000)
    page.wait_for_selector(".marker-cluster, path.city-marker", timeout=20000)
    page.wait_for_function(f"() => ({MARKERS_JS})() === {count(store)}", timeout=20000)
    expect(page.locator("#map-legend")).to_contain_text("Score not published")
    expect(page.locator(".site-footer")).to_contain_text("GeoNames (CC BY 4.0)")
    # the country base layer was drawn from the served GeoJSON
    page.wait_for_function("() => document.querySelectorAll('.leaflet-countries-pane path').length > 150")
    expect(page.locator(".leaflet-control-attribution")).to_contain_text("Natural Earth")
    assert console_errors == []


def test_a_filter_narrows_the_map(page, app_url, console_errors, store):
    from dashboard.facets import Filters

    open_map(page, app_url + "/")
    expect_cities(page, count(store))
    europe = count(store, Filters(region=("europe",)))
    page.get_by_label(re.compile(r"^Europe \(\d+\)$")).check()
    expect_cities(page, europe)
    assert console_errors == []


def test_about_page_lists_sources(page, app_url, console_errors):
    page.goto(app_url + "/about")
    expect(page.get_by_role("heading", name="Sources and licences")).to_be_visible(timeout=20000)
    expect(page.locator("#sources")).to_contain_text("issuu.com/oecd.publishing/docs/embracing_local_impact")
    expect(page.locator("#maps")).to_contain_text("without prejudice")
    assert console_errors == []
