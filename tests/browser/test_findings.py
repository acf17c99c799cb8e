"""The findings page in Debian Chromium against a real gunicorn, and the map
page's weight: plotly.js is loaded only where there is a chart."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from dashboard.facets import Filters
from tests.browser.helpers import count_text
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


def test_findings_page_draws_every_chart_with_its_source(page, app_url, console_errors, store):
    page.goto(app_url + "/findings")
    expected = _chart_count(store)
    page.wait_for_function(f"document.querySelectorAll('.js-plotly-plot').length === {expected}", timeout=30000)
    strategy = page.locator("#findings-strategy")
    expect(strategy.locator("figcaption a").first).to_have_attribute(
        "href", "https://issuu.com/oecd.publishing/docs/embracing_local_impact")
    # the source is drawn inside the chart too (it is kept in a downloaded PNG)
    expect(strategy.locator(".js-plotly-plot").first).to_contain_text("Source: OECD (2021), Embracing Local Impact")
    expect(strategy.locator(".js-plotly-plot").first).to_contain_text("read from a chart in the source (approximate)")
    expect(page.locator("#findings-wellbeing")).to_contain_text("data-use sample")
    expect(page.locator(".listed-finding").first).to_contain_text("As printed")
    expect(page.locator(".caveat").first).to_be_visible()
    expect(page.locator("#findings-live-n-facts")).to_have_text(_facts_n(store))
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
    # the address is shareable: opened again, it shows the same selection
    page.goto(page.url)
    expect(page.get_by_label(EUROPE)).to_be_checked(timeout=30000)
    expect(n).to_have_text(_facts_n(store, europe))
    assert console_errors == []


def test_the_map_page_loads_no_plotly(page, app_url, console_errors, store):
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    page.goto(app_url + "/")
    expect(page.locator("#selection-count")).to_have_text(count_text(count(store)), timeout=20000)
    page.wait_for_selector(".marker-cluster, path.city-marker", timeout=20000)
    page.wait_for_load_state("networkidle")
    assert any("dash_core_components" in u or "/dcc/" in u for u in urls), urls  # the check sees the bundles
    assert [u for u in urls if "plotly" in u.lower()] == []
    # the nav link leads to the findings page, which does load plotly.js
    page.get_by_role("link", name="Findings").click()
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
