"""The self-assessment in Debian Chromium against a real gunicorn: a city that is not on the map
finds the page, fills the form, gets its estimate in a shareable URL and downloads its answers."""
from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import expect
from tests.browser.helpers import open_map

pytestmark = pytest.mark.browser


def test_a_city_not_on_the_map_is_pointed_to_the_self_assessment(page, app_url, console_errors):
    open_map(page, app_url + "/")
    page.locator("#city-search").click()
    page.locator("input.dash-dropdown-search").first.fill("Lyon")
    expect(page.get_by_text("No city of that name on the map. Not on the map?")).to_be_visible(timeout=20000)
    page.locator(".map-toolbar").get_by_role("link", name="Assess your city").click()
    expect(page).to_have_url(re.compile(r"/self-assessment$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Assess your city", timeout=20000)
    expect(page).to_have_title("Assess your city - City Innovation Atlas")
    assert console_errors == []


def _fill_lyon(page) -> None:
    page.get_by_label("City name").fill("Lyon")
    page.get_by_label("Country", exact=True).select_option(label="France")
    page.get_by_label("Population", exact=True).fill("522,250")
    page.locator("#sa-explicit").get_by_label("Yes", exact=True).check()
    page.locator("#sa-approach").get_by_label("Both holistic and policy-specific").check()
    page.locator("#sa-iteam").get_by_label("Yes", exact=True).check()
    for role in ("Project manager", "Designer", "Data scientist or data specialist"):
        page.locator("#sa-roles").get_by_label(role).check()
    page.locator("#sa-budget").get_by_label("No", exact=True).check()
    page.locator("#sa-rank-data-analytics").fill("1")
    page.locator("#sa-rank-risk-taking").fill("2")
    page.locator("#sa-aims").get_by_label("Improve resident outcomes").check()
    page.locator("#sa-factors").get_by_label("Leadership from Mayor").check()


def _result_text(page) -> list[str]:
    # the result's parts below the window are written a task after its heading (assets/atlas_static.js)
    expect(page.locator(".sa-result .component-head")).to_have_count(5)
    expect(page.locator(".sa-result .score-line")).not_to_have_text("")
    return [page.locator(".sa-result .score-line").inner_text(),
            *page.locator(".sa-result .component-head").all_inner_texts()]


def expected_result(flask_client, url: str) -> dict:
    """What the server's view computes for the submitted answers (the estimate's own code): the page
    must show exactly that."""
    from urllib.parse import urlsplit

    from dashboard.views import self_assessment as view

    with flask_client.application.test_request_context("/"):
        return view.result(view.check(urlsplit(url).query))


def test_lyon_assesses_itself_shares_the_url_and_downloads_its_answers(page, app_url, console_errors, flask_client):
    page.goto(app_url + "/self-assessment")
    expect(page.get_by_role("heading", level=1)).to_have_text("Assess your city", timeout=20000)
    _fill_lyon(page)
    page.get_by_role("button", name="Show the estimate").click()
    expect(page).to_have_url(re.compile(r"/self-assessment\?name=Lyon&nation=FRA&residents=522,250&"), timeout=20000)
    heading = page.get_by_role("heading", name="The estimate for Lyon, France")
    expect(heading).to_be_visible(timeout=20000)
    expect(heading).to_be_focused()
    result = page.locator(".sa-result")
    expected = expected_result(flask_client, page.url)
    assert expected["score"] is not None
    expect(result.locator(".score-line")).to_have_text(f"{expected['score']:g} / 10")
    expect(result).to_contain_text(expected["tier_text"])
    expect(result.locator(".component")).to_have_count(5)
    expect(result.locator(".component-head").nth(2)).to_have_text(re.compile(r"Funding\s*0 of 2 points"))
    expect(result.locator(".sa-bin.mine")).to_have_count(1)
    expect(result.locator(".sa-similar li a")).to_have_count(5)
    expect(result.locator(".sa-recs")).to_contain_text("Focus on stable, long-term funding")
    shown = _result_text(page)
    # the form shows the answers the URL holds
    expect(page.get_by_label("City name")).to_have_value("Lyon")
    expect(page.locator("#sa-rank-data-analytics")).to_have_value("1")

    # the shareable URL gives the same result on a fresh load
    shared = page.url
    page.goto(shared)
    expect(page.get_by_role("heading", name="The estimate for Lyon, France")).to_be_visible(timeout=20000)
    assert _result_text(page) == shown
    expect(page.locator("#sa-roles").get_by_label("Designer")).to_be_checked()

    with page.expect_download() as info:
        page.get_by_role("link", name="Download the answers as CSV").click()
    download = info.value
    assert download.suggested_filename == "lyon-fra-self-assessment.csv"
    with open(download.path(), encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 1 and rows[0]["city_id"] == "lyon-fra"
    # in the order of the form's list (a sent form lists its ticked boxes so), not the order of ticking
    assert rows[0]["innovation_roles"] == "Project manager;Data scientist;Designer"
    assert rows[0]["population_reported"] == "522250" and rows[0]["has_dedicated_funding"] == "no"
    assert console_errors == []


def test_the_form_works_from_the_keyboard_and_says_what_to_change(page, app_url, console_errors):
    page.goto(app_url + "/self-assessment?name=Lyon&nation=FRA&residents=-5")
    summary = page.get_by_role("heading", name="1 answer needs a change")
    expect(summary).to_be_focused(timeout=20000)
    expect(page.locator("#sa-residents-error")).to_contain_text("Population cannot be negative.")
    expect(page.locator(".sa-result")).to_have_count(0)
    expect(page.get_by_role("link", name="Download the answers as CSV")).to_have_count(0)
    # keyboard only: into the population field, correct it, Enter submits
    page.locator("#sa-residents").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("522250")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="The estimate for Lyon, France")).to_be_focused(timeout=20000)
    expect(page.locator(".sa-result")).to_contain_text("Not enough answers for an estimate: 0 of 5")
    # a tick box is reached and ticked with the keyboard
    box = page.locator("#sa-explicit").get_by_label("Yes", exact=True)
    box.focus()
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    page.get_by_role("button", name="Show the estimate").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"explicit=yes"), timeout=20000)
    assert console_errors == []


@pytest.mark.parametrize("width, height", [(1366, 900), (390, 844)])
def test_the_histograms_text_is_the_charts_smallest_size_at_least(page, app_url, console_errors, width, height):
    from dashboard.views.chart_style import SMALLEST_PX

    page.set_viewport_size({"width": width, "height": height})
    page.goto(app_url + "/self-assessment?name=Lyon&nation=FRA&explicit=yes&iteam=no")
    expect(page.locator(".sa-histogram .sa-bin")).to_have_count(10, timeout=30000)
    sizes = page.evaluate("""() => Array.from(document.querySelectorAll('.sa-histogram span'))
        .filter(s => s.textContent.trim()).map(s => parseFloat(getComputedStyle(s).fontSize))""")
    assert len(sizes) >= 20 and min(sizes) >= SMALLEST_PX, sizes
    # the bands' names never run into each other
    boxes = page.evaluate("""() => Array.from(document.querySelectorAll('.sa-bin-label'))
        .filter(s => getComputedStyle(s).visibility === 'visible')
        .map(s => { const r = s.getBoundingClientRect(); return [r.left, r.right]; })""")
    assert all(a[1] <= b[0] for a, b in zip(boxes, boxes[1:])), boxes
    assert console_errors == []


def test_a_shared_result_opened_on_a_phone_is_focused_and_stays_in_view(page, app_url, console_errors):
    """The page scrolls to the focused result as it is drawn: what is above it (the form's parts that
    started below the window) is written before it scrolls, so nothing pushes the result away."""
    page.set_viewport_size({"width": 390, "height": 844})
    # where the heading is in the window as it takes the focus (the browser has scrolled to it then)
    page.add_init_script("document.addEventListener('focusin', e => { if (e.target.id === 'sa-outcome') "
                         "window.__top = e.target.getBoundingClientRect().top; }, true);")
    page.goto(app_url + "/self-assessment?name=Lyon&nation=FRA&explicit=yes&iteam=yes&budget=no")
    heading = page.get_by_role("heading", name="The estimate for Lyon, France")
    expect(heading).to_be_focused(timeout=20000)
    page.wait_for_function("() => ![...document.querySelectorAll('#react-entry-point *')].some(e => e.atlasInner != null)")
    page.wait_for_load_state("networkidle")
    expect(heading).to_be_in_viewport()
    at_focus, now = page.evaluate("window.__top"), heading.evaluate("h => h.getBoundingClientRect().top")
    assert 0 <= now < 844 and abs(now - at_focus) <= 1, (at_focus, now)
    assert console_errors == []


def test_sending_the_form_empty_asks_for_the_name_and_country(page, app_url, console_errors):
    page.goto(app_url + "/self-assessment")
    expect(page.get_by_role("heading", level=1)).to_have_text("Assess your city", timeout=20000)
    page.get_by_role("button", name="Show the estimate").click()
    expect(page).to_have_url(re.compile(r"/self-assessment\?sent=1$"), timeout=20000)
    expect(page.get_by_role("heading", name="2 answers need a change")).to_be_focused(timeout=20000)
    expect(page.get_by_label("City name")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#sa-name-error")).to_contain_text("Give the city's name.")
    assert console_errors == []
