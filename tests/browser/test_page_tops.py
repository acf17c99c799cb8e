"""The pages' first views in Debian Chromium against a real gunicorn: what a visitor sees before
Dash's renderer has started, that nothing moves when Dash takes over, and the city page's mini map
drawn only once it nears the window."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

RENDERER = re.compile(r".*/dash-renderer/.*")
# where each text block is, by its text (the first screen's blocks)
BOXES_JS = """() => [...document.querySelectorAll('h1, main p, main dt, main li')]
  .filter(e => e.getBoundingClientRect().top < innerHeight && e.closest('main') && !e.closest('.loading-line') && e.checkVisibility())
  .map(e => [e.textContent.trim().slice(0, 50), Math.round(e.getBoundingClientRect().top),
             Math.round(e.getBoundingClientRect().left)])"""


def held_then_released(page, url: str) -> tuple[list, list]:
    """The first screen's text blocks while Dash's renderer is held back, then once Dash has drawn
    the page (its own copy, not the first view's)."""
    held = []
    page.route(RENDERER, lambda route: held.append(route))
    page.goto(url, wait_until="commit")
    page.wait_for_selector(".atlas-loading main h1")
    # the stylesheets in the head have loaded (a visitor sees nothing before them)
    page.wait_for_function("() => [...document.querySelectorAll('link[rel=stylesheet]')].every(l => l.sheet)")
    expect(page.locator(".loading-line")).to_be_visible()
    before = page.evaluate(BOXES_JS)
    for route in held:
        route.continue_()
    page.unroute(RENDERER)
    page.wait_for_function("() => !document.querySelector('.atlas-loading') && document.querySelector('#main h1')",
                           timeout=20000)
    return before, page.evaluate(BOXES_JS)


@pytest.mark.parametrize("path, heading", [("/city/bologna-ita", "Bologna"), ("/findings", "Survey findings"),
                                           ("/compare?cities=bologna-ita,paris-fra", "Compare cities"),
                                           ("/table?region=europe", "Cities table"), ("/about", "About the data"),
                                           ("/self-assessment", "Assess your city"),
                                           ("/present?slide=3", "Presentation — City Innovation Atlas")])
@pytest.mark.parametrize("width, height", [(1366, 900), (390, 844)])
def test_the_first_screen_is_there_before_dash_and_nothing_moves(browser, app_url, path, heading, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    before, after = held_then_released(page, app_url + path + ("&" if "?" in path else "?") + "lang=en")
    assert before and before[0][0] == heading
    if path.startswith("/present"):  # the slide itself, not only the page's hidden heading
        assert any(text.startswith("Residents satisfied with their city") for text, _top, _left in before), before
    # every block of the first view is where Dash draws it
    assert before == after[:len(before)]
    assert errors == []
    context.close()


def test_the_city_page_says_what_it_is_about_before_any_script(page, app_url, store):
    city = store.city("bologna-ita")
    page.route(RENDERER, lambda route: None)  # never released: the page as a visitor sees it without Dash
    page.goto(app_url + "/city/bologna-ita?lang=en", wait_until="commit")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bologna")
    expect(page).to_have_title("Bologna - City Innovation Atlas")
    expect(page.locator(".atlas-loading .subtitle")).to_have_text("Italy · Europe")
    expect(page.locator(".atlas-loading .score")).to_contain_text(f"{city['psi_index']:g} / 10")
    page.unroute(RENDERER)


def test_the_mini_map_is_drawn_only_once_it_nears_the_window(browser, app_url, console_errors):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    borders = []
    page.on("request", lambda request: borders.append(request.url) if "countries.geojson" in request.url else None)
    page.goto(app_url + "/city/bologna-ita?lang=en")
    expect(page.locator("#city-page h1")).to_have_text("Bologna", timeout=20000)
    expect(page.locator("#city-similar li")).to_have_count(5)
    slot = page.locator("#city-map-slot")
    top = slot.evaluate("e => e.getBoundingClientRect().top")
    assert top > 844 + 300, "the mini map's place is below the first screen on a phone"
    # the page has settled (its sections drawn): no map, and its borders were not fetched
    page.wait_for_load_state("networkidle")
    expect(slot.locator(".leaflet-container")).to_have_count(0)
    assert borders == []
    slot.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelectorAll('#city-map .leaflet-countries-pane path').length > 150",
                           timeout=20000)
    expect(page.locator("#city-map path.city-marker")).to_have_count(1)
    # another city by its link in the page: its own map, drawn where the first one was
    page.locator("#city-similar a").first.click()
    expect(page.locator("#city-page h1")).not_to_have_text("Bologna", timeout=20000)
    name = page.locator("#city-page h1").text_content()
    page.locator("#city-map-slot").scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelectorAll('#city-map path.city-marker').length === 1", timeout=20000)
    slot_city = page.locator("#city-map-slot").get_attribute("data-city")
    assert slot_city != "bologna-ita" and name
    assert console_errors == []
    context.close()


def test_a_page_is_drawn_without_a_second_request_for_it(page, app_url, console_errors):
    """Dash draws the page from its first answer: it never asks its router for the page again."""
    posts = []
    page.on("request", lambda r: posts.append(r.post_data or "") if "_dash-update-component" in r.url else None)
    page.goto(app_url + "/findings?lang=en")
    expect(page.locator("#main h1")).to_have_text("Survey findings", timeout=20000)
    page.wait_for_load_state("networkidle")
    assert not [p for p in posts if "_pages_content" in p]
    assert console_errors == []
