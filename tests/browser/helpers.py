"""What the browser tests read off the map page."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from playwright.sync_api import Page, expect

from dashboard import ids

# cities on the map: the numbers on cluster icons plus the single markers
MARKERS_JS = """() => {
  const clusters = [...document.querySelectorAll('.marker-cluster')]
    .reduce((n, el) => n + parseInt(el.textContent.trim() || '0', 10), 0);
  const singles = document.querySelectorAll('path.city-marker').length;
  return clusters + singles;
}"""


def use_map(page: Page) -> None:
    """The visitor points at the map once the page has drawn it: the page loads Leaflet, whose
    markers then replace the first view's drawing (until then the map's only markers)."""
    # (where the address draws no first view, Leaflet is already on its way and may be replacing the box)
    page.locator(f"#{ids.MAP}").hover(position={"x": 40, "y": 20}, force=True, timeout=20000)


def open_map(page: Page, url: str) -> None:
    """Go to a map page address and point at its map, as a visitor reaching for it."""
    page.goto(url)
    use_map(page)


def count_text(n: int) -> str:
    """The map's count line for n cities, as a visitor reads it."""
    return f"{n:,} city shown" if n == 1 else f"{n:,} cities shown"


def shown_count(page: Page) -> int:
    """The number in the map's count line ("1,234 cities shown")."""
    return int(page.locator("#selection-count").text_content().split()[0].replace(",", ""))


def expect_cities(page: Page, n: int) -> None:
    """The selection count says n, and n cities are drawn on the map."""
    expect(page.locator("#selection-count")).to_have_text(count_text(n), timeout=20000)
    page.wait_for_function(f"() => ({MARKERS_JS})() === {n}", timeout=20000)


def query(page: Page) -> dict[str, str]:
    return {k: ",".join(v) for k, v in parse_qs(urlparse(page.url).query).items()}


def choose_city(page: Page, typed: str, expected_label, delay: float = 0) -> None:
    """Type into the city search box and pick the option shown for it."""
    page.locator("#city-search").click()
    # with a city already chosen, the open menu focuses that option: go to the search field
    page.locator("#city-search input.dash-dropdown-search, input.dash-dropdown-search").first.click()
    page.keyboard.type(typed, delay=delay)
    option = page.get_by_role("option", name=expected_label)
    expect(option).to_be_visible(timeout=10000)
    option.click()
