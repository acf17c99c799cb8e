"""The /table page in Debian Chromium: the URL's selection, grid filters and sort, and a CSV of what is shown."""
from __future__ import annotations

import csv

import pytest
from playwright.sync_api import expect

from dashboard.facets import Filters
from tests.browser.helpers import count_text
from tests.reference import count

pytestmark = pytest.mark.browser

GRID = '{type: "table-grid", grid: "cities"}'  # (dashboard.ids.TABLE_GRID)
# the grid's rows after its own filters and sort, as the grid itself reports them
GRID_ROWS_JS = """() => {
  const rows = [];
  dash_ag_grid.getApi(%s).forEachNodeAfterFilterAndSort(n => rows.push(n.data));
  return rows;
}""" % GRID
GRID_HEADERS_JS = """() => dash_ag_grid.getApi(%s).getAllDisplayedColumns().map(c => c.getColDef().headerName)""" % GRID
MOUNTED = "() => !document.querySelector('.atlas-loading')"  # Dash has drawn the page


def use_table(page):
    """Point at the table, as a visitor does: its grid loads and takes the first rows' place."""
    page.wait_for_function(MOUNTED, timeout=20000)
    page.locator("#table-grid-slot").hover()
    expect(page.locator(".ag-row").first).to_be_visible(timeout=20000)


def test_table_download_is_exactly_what_the_grid_shows(page, app_url, console_errors, store):
    europe = Filters(region=("europe",))
    n = count(store, europe)
    page.goto(app_url + "/table?region=europe")
    expect(page.locator("#table-count")).to_have_text(f"{n} cities", timeout=20000)
    expect(page.locator(".table-summary")).to_contain_text("World region: Europe")
    expect(page.get_by_role("link", name="Show on the map")).to_have_attribute("href", "/?region=europe")
    expect(page.get_by_role("link", name="CSV", exact=True)).to_have_attribute("href", "/api/cities.csv?region=europe")
    expect(page.locator("#table-shown")).to_have_text(f"{n} rows shown in the table", timeout=20000)
    use_table(page)
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
    # the first rows say the sort and the columns too, before the grid
    header = page.get_by_role("columnheader", name="Population (GeoNames)")
    expect(header).to_have_attribute("aria-sort", "descending", timeout=20000)
    expect(page.locator("#table-first").get_by_role("columnheader", name="Country")).to_have_count(0)
    use_table(page)
    header = page.locator(".ag-header-cell").filter(has_text="Population (GeoNames)")
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
  const api = dash_ag_grid.getApi(%s);
  const row = api.getDisplayedRowAtIndex(0).data;
  api.applyTransaction({update: [{...row, name: name, city_path: path}]});
  return row.id;
}""" % GRID


def test_city_name_cells_render_data_as_text_never_html(page, app_url, console_errors):
    page.goto(app_url + "/table?region=oceania")
    use_table(page)
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


FIRST_ROWS_JS = """() => [...document.querySelectorAll('#table-first tbody tr[data-row]')].map(tr =>
  [...tr.querySelectorAll('td')].map(td => td.textContent))"""


def test_the_first_rows_show_before_the_grid_which_loads_when_the_table_is_used(page, app_url, console_errors,
                                                                                store):
    """The page shows the selection's first rows, in the address's sort, with the grid's words and
    links, and asks for no grid script until the visitor points at the table; then the grid takes
    the same box (nothing moves) with the same rows in the same order, and works."""
    from dashboard.views.table_view import FIRST_ROWS

    requested = []
    page.on("request", lambda r: requested.append(r.url))
    europe = Filters(region=("europe",))
    page.goto(app_url + "/table?region=europe&sort=-population")
    page.wait_for_function(MOUNTED, timeout=20000)
    page.wait_for_load_state("networkidle")
    page.mouse.move(5, 5)
    page.wait_for_timeout(500)
    assert not [u for u in requested if "dash_ag_grid" in u or "async-community" in u]
    rows = page.evaluate(FIRST_ROWS_JS)
    by_population = sorted((r for r in store.city_rows(europe) if r["population"] is not None),
                           key=lambda r: -r["population"])
    assert len(rows) == min(FIRST_ROWS, count(store, europe))
    assert [r[0] for r in rows] == [r["name"] for r in by_population[:len(rows)]]
    assert rows[0][3] == f"{by_population[0]['population']:,}"
    first = page.locator("#table-first tbody tr").first.get_by_role("link")
    expect(first).to_have_attribute("href", f"/city/{by_population[0]['id']}")
    expect(page.locator("#table-first th[aria-sort=descending]")).to_have_text("Population (GeoNames)↓")
    box = page.locator("#table-grid-slot").bounding_box()
    note = page.locator(".table-note").bounding_box()

    use_table(page)
    grid_rows = page.evaluate(GRID_ROWS_JS)
    assert [r["name"] for r in grid_rows[:len(rows)]] == [r[0] for r in rows]
    assert page.locator("#table-grid-slot").bounding_box() == box and page.locator(".table-note").bounding_box() == note
    assert len([u for u in requested if u.endswith("/dash_ag_grid.min.js")]) == 1
    assert len([u for u in requested if u.endswith("/async-community.js")]) == 1
    assert all("/bundles/" in u for u in requested if "dash_ag_grid" in u)
    expect(page.locator(".table-area")).not_to_have_attribute("aria-busy", "true")
    # the grid works as before: a column filter, the count of what it shows
    page.get_by_label("Innovation-capacity tier Filter Input").fill("High")
    high = [r for r in store.city_rows(europe) if r["psi_tier"] == "high"]
    expect(page.locator("#table-shown")).to_have_text(f"{len(high)} rows shown in the table", timeout=20000)
    assert console_errors == []


def test_the_download_works_before_the_grid_has_loaded(page, app_url, console_errors, store):
    """A button pressed without pointing or focusing (e.g. a screen reader's own cursor): the CSV is
    the selection in the address's sort, with the address's columns; no grid was needed."""
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(app_url + "/table?region=asia&sort=name&columns=name,country")
    page.wait_for_function(MOUNTED, timeout=20000)
    with page.expect_download() as info:
        page.locator("#table-download-button").dispatch_event("click")
    with open(info.value.path(), encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    asia = store.city_rows(Filters(region=("asia",)))
    assert rows[0] == ["City", "Country"] and [r[0] for r in rows[1:]] == sorted(r["name"] for r in asia)
    assert not [u for u in requested if "dash_ag_grid" in u]
    assert console_errors == []


def test_keyboard_users_reach_the_table_and_the_grid(page, app_url, console_errors):
    """A keyboard user tabs to the table's tools (the grid loads), then into the grid; one whose
    focus is on a link of the first rows when the grid takes their place finds it on that cell."""
    page.goto(app_url + "/table?region=europe")
    page.wait_for_function(MOUNTED, timeout=20000)
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "table-download-button":
            break
    expect(page.locator(".ag-row").first).to_be_visible(timeout=20000)
    expect(page.locator("#table-download-button")).to_be_focused()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("() => !!document.activeElement.closest('.ag-root-wrapper')"):
            break
    assert page.evaluate("() => !!document.activeElement.closest('.ag-root-wrapper')")

    page.goto(app_url + "/table?region=europe")
    page.wait_for_function(MOUNTED, timeout=20000)
    page.locator("#table-first tbody tr[data-row='2'] a").focus()  # the grid starts loading
    page.wait_for_function("() => { const c = document.activeElement.closest('.ag-cell');"
                           "return c && c.getAttribute('col-id') === 'name' && "
                           "c.closest('.ag-row').getAttribute('row-index') === '2'; }", timeout=20000)
    page.keyboard.press("ArrowDown")
    page.wait_for_function("() => document.activeElement.closest('.ag-row').getAttribute('row-index') === '3'")
    assert console_errors == []
