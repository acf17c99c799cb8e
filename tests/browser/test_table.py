"""The /table page in Debian Chromium: the URL's selection, grid filters and sort, and a CSV of what is shown."""
from __future__ import annotations

import csv

import pytest
from playwright.sync_api import expect

from dashboard.facets import Filters
from tests.browser.helpers import count_text
from tests.reference import count

pytestmark = pytest.mark.browser

# the grid's rows after its own filters and sort, as the grid itself reports them
GRID_ROWS_JS = """() => {
  const rows = [];
  dash_ag_grid.getApi('table-grid').forEachNodeAfterFilterAndSort(n => rows.push(n.data));
  return rows;
}"""
GRID_HEADERS_JS = """() => dash_ag_grid.getApi('table-grid').getAllDisplayedColumns().map(c => c.getColDef().headerName)"""


def test_table_download_is_exactly_what_the_grid_shows(page, app_url, console_errors, store):
    europe = Filters(region=("europe",))
    n = count(store, europe)
    page.goto(app_url + "/table?region=europe")
    expect(page.locator("#table-count")).to_have_text(f"{n} cities", timeout=20000)
    expect(page.locator(".table-summary")).to_contain_text("World region: Europe")
    expect(page.get_by_role("link", name="Show on the map")).to_have_attribute("href", "/?region=europe")
    expect(page.get_by_role("link", name="CSV", exact=True)).to_have_attribute("href", "/api/cities.csv?region=europe")
    expect(page.locator("#table-shown")).to_have_text(f"{n} rows shown in the table", timeout=20000)
    first = store.city_points(europe)[0]
    expect(page.locator(".ag-row[row-index='0'] a.grid-link").first).to_have_attribute("href", f"/city/{first.id}")

    # sort by population (descending: two clicks), then keep only the high tier with the column filter
    header = page.get_by_role("columnheader", name="Population (GeoNames)")
    header.locator(".ag-header-cell-label").click()
    header.locator(".ag-header-cell-label").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    high = [r for r in store.city_rows(europe) if r["psi_tier"] == "high"]
    assert 0 < len(high) < n
    page.get_by_label("Innovation-capacity tier Filter Input").fill("High")
    expect(page.locator("#table-shown")).to_have_text(f"{len(high)} rows shown in the table", timeout=20000)

    # hide a column with the column chooser
    page.get_by_text("Choose columns").click()
    page.locator(".column-chooser").get_by_label("Country", exact=True).uncheck()
    expect(page.get_by_role("columnheader", name="Country")).to_have_count(0, timeout=20000)

    shown = page.evaluate(GRID_ROWS_JS)
    populations = [r["population"] for r in shown]
    assert populations == sorted(populations, reverse=True)
    assert {r["id"] for r in shown} == {r["id"] for r in high}
    headers = page.evaluate(GRID_HEADERS_JS)

    with page.expect_download() as info:
        page.get_by_role("button", name="Download CSV").click()
    download = info.value
    assert download.suggested_filename == "city-innovation-atlas-cities.csv"
    with open(download.path(), encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    # the CSV has the grid's columns, the score followed by its source
    score = headers.index("Innovation-capacity score (0-10)")
    assert rows[0] == [*headers[:score + 1], "Score source", *headers[score + 1:]] and "Country" not in rows[0]
    data = [dict(zip(rows[0], row)) for row in rows[1:]]
    assert len(data) == len(shown)
    assert [d["City"] for d in data] == [r["name"] for r in shown]
    assert [int(d["Population (GeoNames)"]) for d in data] == populations
    # scores are numbers a spreadsheet can sort, their source a column of its own
    assert [float(d["Innovation-capacity score (0-10)"]) for d in data] == [r["psi_index"] for r in shown]
    assert {d["Score source"] for d in data} == {"estimate"}

    # the sort and the columns are in the address: the link opens the table as it was left
    page.wait_for_function("() => new URLSearchParams(location.search).get('sort') === '-population'", timeout=10000)
    page.wait_for_function("() => !(new URLSearchParams(location.search).get('columns') || 'country').split(',')"
                           ".includes('country')", timeout=10000)
    assert page.url.split("?", 1)[1].startswith("region=europe&sort=-population&columns=name,region,")
    page.goto(page.url)
    header = page.get_by_role("columnheader", name="Population (GeoNames)")
    expect(header).to_have_attribute("aria-sort", "descending", timeout=20000)
    expect(page.get_by_role("columnheader", name="Country")).to_have_count(0)
    populations = [r["population"] for r in page.evaluate(GRID_ROWS_JS) if r["population"] is not None]
    assert len(populations) > 1 and populations == sorted(populations, reverse=True)
    assert all(d["Innovation-capacity tier"] == "High (estimate)" for d in data)
    assert console_errors == []


def test_nav_links_to_the_table_and_the_table_back_to_the_map(page, app_url, console_errors, store):
    page.goto(app_url + "/about")
    page.locator("#site-nav").get_by_role("link", name="Table").click()
    expect(page.locator("#table-count")).to_have_text(f"{count(store)} cities", timeout=20000)
    expect(page.locator(".table-summary")).to_contain_text("All cities")
    page.get_by_role("link", name="Show on the map").click()
    expect(page.locator("#selection-count")).to_have_text(count_text(count(store)), timeout=20000)
    assert console_errors == []


HOSTILE_JS = """([name, path]) => {
  const api = dash_ag_grid.getApi('table-grid');
  const row = api.getDisplayedRowAtIndex(0).data;
  api.applyTransaction({update: [{...row, name: name, city_path: path}]});
  return row.id;
}"""


def test_city_name_cells_render_data_as_text_never_html(page, app_url, console_errors):
    page.goto(app_url + "/table?region=oceania")
    cell = page.locator(".ag-row[row-index='0'] [col-id='name']").first
    expect(cell.locator("a.grid-link")).to_have_count(1, timeout=20000)
    page.evaluate(HOSTILE_JS, ['<img src=x onerror="window.__xss=1"><b>X</b>', "/city/x"])
    expect(cell).to_have_text('<img src=x onerror="window.__xss=1"><b>X</b>')
    assert cell.locator("img, b").count() == 0
    expect(cell.locator("a.grid-link")).to_have_attribute("href", "/city/x")
    # an address that is neither site-relative nor http(s) is not made a link
    page.evaluate(HOSTILE_JS, ["Click me", "javascript:window.__xss=2"])
    expect(cell).to_have_text("Click me")
    assert cell.locator("a").count() == 0
    assert page.evaluate("() => window.__xss") is None
    assert console_errors == []
