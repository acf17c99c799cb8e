"""The /table page's logic, called directly (as its callbacks do)."""
from __future__ import annotations

import csv
import io
import json

import pytest

from dashboard.facets import Filters
from dashboard.urls import from_query
from tests.layouts import components, layout_json
from tests.reference import count


@pytest.fixture()
def ctx(flask_client):
    import app as app_module

    with app_module.server.test_request_context("/table"):
        yield


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


STORE_ROW = {"id": "x-abc", "name": "=X", "country": "Y", "iso3": "YYY", "region": "europe", "lat": 1.5, "lon": -2.5,
             "population": 1469163, "survey_wave": "2018", "respondent": False, "psi_index": 8.8,
             "psi_source": "estimate", "psi_tier": "high", "strategy": "yes", "funding": "no", "team": "unknown",
             "covid": ["inclusive-social", "co-creation"], "source_url": "https://example.org/x"}


def test_column_defs_hide_what_is_not_chosen_and_render_links_safely(ctx):
    from dashboard.views.table_view import COLUMNS, DEFAULT_COLUMNS, column_defs, grid_row

    defs = column_defs()
    assert [d["colId"] for d in defs] == [c.key for c in COLUMNS]
    assert [d["colId"] for d in defs if not d["hide"]] == DEFAULT_COLUMNS
    assert "country" in DEFAULT_COLUMNS and "lat" not in DEFAULT_COLUMNS
    by_key = {d["colId"]: d for d in column_defs(["name", "lat"])}
    assert [k for k, d in by_key.items() if not d["hide"]] == ["name", "lat"]
    assert by_key["name"]["cellRenderer"] == "AtlasLink"
    assert by_key["name"]["cellRendererParams"] == {"hrefField": "city_path"}
    assert by_key["population"]["filter"] == "agNumberColumnFilter"
    assert by_key["country"]["filter"] == "agTextColumnFilter"
    assert "estimate" in by_key["psi_index"]["headerTooltip"]
    text = json.dumps(defs)
    assert "markdown" not in text and "innerHTML" not in text
    row = grid_row(STORE_ROW)
    for d in defs:  # every field a column reads exists in a grid row
        assert d["field"] in row
        if "valueFormatter" in d:
            field = d["valueFormatter"]["function"].split("params.data.")[1].split()[0]
            assert field in row
        if "cellRendererParams" in d:
            assert d["cellRendererParams"]["hrefField"] in row


def test_column_defs_without_a_choice_hide_everything(ctx):
    from dashboard.views.table_view import column_defs

    assert all(d["hide"] for d in column_defs([]))
    assert all(d["hide"] for d in column_defs(None))


def test_grid_row_keeps_values_raw_and_says_words(ctx):
    from dashboard.views.table_view import grid_row

    row = grid_row(STORE_ROW)
    assert row["population"] == 1469163 and row["population_text"] == "1,469,163"
    assert row["psi_index"] == 8.8 and row["psi_text"] == "8.8 (estimate)"
    assert row["psi_tier"] == "High (estimate)"
    assert row["covid"] == "Inclusive social programmes; Co-creating solutions"
    assert (row["strategy"], row["funding"], row["team"]) == ("Yes", "No", "Not published")
    assert row["respondent"] == "Brochure example, not confirmed"
    assert row["city_path"] == "/city/x-abc" and row["region"] == "Europe"


@pytest.mark.parametrize("tier,source,psi,words,text", [
    ("high", "official", 7.0, "High (official)", "7.0 (official)"),
    ("low", "estimate", 5.0, "Low (estimate)", "5.0 (estimate)"),
    ("unknown", None, None, "Not published", "Not published"),
])
def test_scores_are_always_labelled(ctx, tier, source, psi, words, text):
    from dashboard.views.table_view import grid_row

    row = grid_row({**STORE_ROW, "psi_tier": tier, "psi_source": source, "psi_index": psi, "population": None})
    assert row["psi_tier"] == words and row["psi_text"] == text
    assert row["population"] is None and row["population_text"] == ""


def test_table_state_matches_the_store_and_links_the_same_selection(ctx, store):
    from dashboard.views.table_view import table_state

    f = from_query("tier=high&covid=inclusive-social&region=europe,asia")
    state = table_state(f)
    assert state["count"] == len(state["rows"]) == count(store, f)
    assert state["count_text"] == f"{count(store, f)} cities"
    assert [r["id"] for r in state["rows"]] == [p.id for p in store.city_points(f)]
    qs = "?region=europe,asia&tier=high&covid=inclusive-social"
    assert state["map_href"] == "/" + qs
    assert state["csv_href"] == "/api/cities.csv" + qs and state["json_href"] == "/api/cities.json" + qs
    everything = table_state(Filters())
    assert everything["map_href"] == "/" and everything["count"] == count(store)


def test_filters_in_words(ctx):
    from dashboard.views.table_view import filters_text

    assert filters_text(Filters()) == "All cities (no filters)"
    words = filters_text(from_query("region=europe,asia&tier=unknown&country=ita&strategy=yes&policy=education"))
    assert words == ("World region: Europe, Asia; Innovation-capacity tier: Not published; Country: Italy; "
                     "Explicit innovation strategy: Yes; Policy area: Education")


def test_visible_columns_follow_the_choice_in_the_grids_order(ctx):
    from dashboard.views.table_view import visible_columns

    state = [{"colId": "country", "hide": False}, {"colId": "name", "hide": False}, {"colId": "lat", "hide": True},
             {"colId": "bogus", "hide": False}, {"colId": "region", "hide": False}]
    assert visible_columns(state, ["name", "country", "psi_tier", "nonsense"]) == ["country", "name", "psi_tier"]
    assert visible_columns(None, ["psi_tier", "name"]) == ["name", "psi_tier"]
    assert visible_columns(state, None) == []


def test_rows_in_grid_order_take_only_ids_from_the_browser(ctx):
    from dashboard.views.table_view import rows_in_grid_order

    rows = [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}, {"id": "c", "name": "C"}]
    virtual = [{"id": "c", "name": "=EVIL()"}, {"id": "zzz"}, {"id": "a"}, {"id": "c"}, "junk"]
    assert rows_in_grid_order(rows, virtual) == [{"id": "c", "name": "C"}, {"id": "a", "name": "A"}]
    assert rows_in_grid_order(rows, None) == rows
    assert rows_in_grid_order(rows, []) == []


def test_table_csv_writes_titles_shown_words_and_escapes_formulas(ctx):
    from dashboard.views.table_view import grid_row, table_csv

    row = grid_row({**STORE_ROW, "name": "=cmd|' /C calc'!A0", "country": "+1", "iso3": "@SUM"})
    out = _rows(table_csv([row], ["name", "country", "iso3", "population", "psi_index", "lat", "nonsense"]))
    assert out[0] == ["City", "Country", "ISO3 code", "Population (GeoNames)", "Innovation-capacity score (0-10)",
                      "Score source", "Latitude"]
    # the score is a number a spreadsheet can sort; where it comes from is the next column
    assert out[1] == ["'=cmd|' /C calc'!A0", "'+1", "'@SUM", "1469163", "8.8", "estimate", "1.5"]
    unpublished = _rows(table_csv([grid_row({**STORE_ROW, "psi_index": None, "psi_source": None})], ["psi_index"]))
    assert unpublished[1] == ["", ""]


def test_sort_and_columns_round_trip_through_the_url(ctx):
    from dashboard.urls import TableView, table_url
    from dashboard.views.table_view import DEFAULT_COLUMNS, column_defs, shown_columns, url_view, view_from_url

    state = [{"colId": "name", "sort": None}, {"colId": "population", "sort": "desc", "sortIndex": 0},
             {"colId": "country", "sort": "asc", "sortIndex": 1}, {"colId": "bogus", "sort": "asc", "sortIndex": -1}]
    view = url_view(state, ["lat", "name", "psi_index"])
    assert view == TableView("population", True, ("name", "psi_index", "lat"))
    url = table_url(Filters(region=("europe",)), view)
    assert url == "/table?region=europe&sort=-population&columns=name,psi_index,lat"
    back = view_from_url(url.split("?", 1)[1])
    assert back == view and shown_columns(back) == ["name", "psi_index", "lat"]
    assert {d["colId"]: d.get("sort") for d in column_defs(shown_columns(back), back)}["population"] == "desc"
    # the default columns and no sort stay out of the URL; unknown keys are dropped
    assert table_url(None, url_view(None, DEFAULT_COLUMNS)) == "/table"
    assert view_from_url("sort=evil&columns=name,<x>,nope") == TableView(None, False, ("name",))
    assert shown_columns(view_from_url("")) == DEFAULT_COLUMNS


def test_download_csv_is_the_grids_rows_and_columns(ctx, store):
    from dashboard.views.table_view import download_csv

    f = Filters(region=("europe",))
    ids = [p.id for p in store.city_points(f)]
    virtual = [{"id": i} for i in reversed(ids[:5])]
    state = [{"colId": "psi_tier", "hide": False}, {"colId": "name", "hide": False}]
    out = _rows(download_csv(f, virtual, state, ["name", "psi_tier"]))
    assert out[0] == ["Innovation-capacity tier", "City"]
    names = {p.id: p.name for p in store.city_points(f)}
    assert [r[1] for r in out[1:]] == [names[i] for i in reversed(ids[:5])]
    # a city outside the URL's selection cannot be smuggled in
    outside = store.city_points(Filters(region=("asia",)))[0].id
    assert len(_rows(download_csv(f, [{"id": outside}], None, ["name"]))) == 1


def _layout(**query) -> dict:
    import dash

    page = next(p for p in dash.page_registry.values() if p["path"] == "/table")
    return layout_json(page["layout"](**query))  # static parts as a browser reads them


def test_page_layout_and_callbacks(ctx, store):
    import dash

    from dashboard import ids
    from dashboard.pages.table import count_shown, download, view_changes
    from dashboard.views.table_view import DEFAULT_COLUMNS

    text = json.dumps(_layout(region="europe", tier="bogus"))
    n = count(store, Filters(region=("europe",)))
    assert next(c for c in components(json.loads(text)) if c["props"].get("id") == ids.TABLE_COUNT)["props"][
        "children"] == f"{n} cities"
    assert '"href": "/?region=europe"' in text and '"href": "/api/cities.csv?region=europe"' in text
    # the grid is not in the page until it is wanted, nor are its rows
    assert "AgGrid" not in text and "rowData" not in text
    grid = [{"colId": k, "hide": False} for k in DEFAULT_COLUMNS]
    # the chooser changed: the grid gets the chosen columns, the address says them
    search, defs = view_changes([grid], ["name"], {"region": "europe"}, "?region=europe", chose=True)
    assert search == "?region=europe&columns=name" and [d["colId"] for d in defs[0] if not d["hide"]] == ["name"]
    sorted_state = [{"colId": "population", "sort": "asc", "sortIndex": 0}, {"colId": "name"}]
    assert view_changes([sorted_state], ["name", "population"], {"region": "europe"}, "", chose=False) == (
        "?region=europe&sort=population&columns=name,population", [dash.no_update])
    # the address already says it: nothing to write
    assert view_changes([sorted_state], ["name", "population"], {"region": "europe"},
                        "?region=europe&sort=population&columns=name,population", chose=False) == (
        dash.no_update, [dash.no_update])
    # no grid yet: the address keeps its sort, there is no grid to send columns to
    assert view_changes([], ["name", "lat"], {"region": "europe"}, "?region=europe&sort=-population",
                        chose=True) == ("?region=europe&sort=-population&columns=name,lat", [])
    # a grid that arrives with other columns than those chosen meanwhile gets the chosen ones
    _, defs = view_changes([grid], ["name", "lat"], {}, "", chose=False)
    assert [d["colId"] for d in defs[0] if not d["hide"]] == ["name", "lat"]
    assert count_shown([[{"id": "a"}]]) == "1 row shown in the table"
    assert count_shown([]) is dash.no_update
    sent = download(1, {"region": "europe"}, [], [], ["name"], "?region=europe")
    assert sent["filename"] == "city-innovation-atlas-cities.csv"
    assert len(_rows(sent["content"])) == n + 1


def test_a_country_the_data_does_not_know_is_ignored(ctx, store):
    """/table?country=ZZZ shows every city, /table?country=ZZZ,ITA Italy's (as the map page and the API)."""
    from dashboard import ids

    for query, filters in (("ZZZ", Filters()), ("ZZZ,ITA", Filters(country=("ITA",)))):
        text = json.dumps(_layout(country=query))
        assert next(c for c in components(json.loads(text)) if c["props"].get("id") == ids.TABLE_COUNT)["props"][
            "children"] == f"{count(store, filters)} cities"
        assert "ZZZ" not in text


def test_the_download_before_the_grid_is_the_selection_in_the_addresss_sort(ctx, store):
    from dashboard.pages.table import download

    europe = Filters(region=("europe",))
    rows = [r for r in store.city_rows(europe)]
    sent = _rows(download(1, {"region": "europe"}, [], [], ["name", "population"], "?sort=-population")["content"])
    assert sent[0] == ["City", "Population (GeoNames)"]
    by_population = sorted((r for r in rows if r["population"] is not None), key=lambda r: -r["population"])
    assert [r[0] for r in sent[1:len(by_population) + 1]] == [r["name"] for r in by_population]


def test_the_first_rows_are_the_grids_rows_words_and_links_in_the_addresss_sort(ctx, store):
    from dashboard import ids
    from dashboard.views.table_view import COLUMN_BY_KEY, FIRST_ROWS, cell, grid_rows, sorted_rows, view_from_url

    europe = Filters(region=("europe",))
    rows = grid_rows(store.city_rows(europe))
    layout = _layout(region="europe", sort="-psi_index", columns="name,country,psi_index,source_url")
    table = next(c for c in components(layout) if c["props"].get("id") == ids.TABLE_FIRST)
    heads = [c for c in components(table) if c["type"] == "Th"]
    titles = [h["props"]["children"] for h in heads]  # the title, or the title and the sort's arrow
    assert [t if isinstance(t, str) else t[0] for t in titles] == ["City", "Country", "Innovation-capacity score (0-10)",
                                                          "Source"]
    assert heads[2]["props"]["aria-sort"] == "descending" and "aria-sort" not in heads[0]["props"]
    trs = [c for c in components(table) if c["type"] == "Tr" and "data-row" in c["props"]]
    assert len(rows) > FIRST_ROWS and len(trs) == FIRST_ROWS
    expected = sorted_rows(rows, view_from_url("sort=-psi_index"))[:FIRST_ROWS]
    scores = [r["psi_index"] for r in expected if r["psi_index"] is not None]
    assert len(scores) > 1 and scores == sorted(scores, reverse=True)
    for tr, row in zip(trs, expected):
        cells = [c for c in components(tr) if c["type"] == "Td"]
        words = [c["props"]["children"] if isinstance(c["props"]["children"], str)
                 else c["props"]["children"]["props"]["children"] for c in cells]
        assert words == [cell(row, COLUMN_BY_KEY[k])[0] for k in ("name", "country", "psi_index", "source_url")]
        link = cells[0]["props"]["children"]["props"]
        assert link["href"] == f"/city/{row['id']}" and link["children"] == row["name"]
        source = cells[3]["props"]["children"]
        if isinstance(source, dict):
            assert source["props"]["href"] == row["source_url"] and source["props"]["rel"] == "noopener noreferrer"


def test_a_large_selection_shows_its_first_rows_and_says_how_many_there_are(ctx, store, monkeypatch):
    from dashboard import ids
    from dashboard.views import table_view

    monkeypatch.setattr(table_view, "FIRST_ROWS", 3)
    import dashboard.pages.table as page

    monkeypatch.setattr(page, "FIRST_ROWS", 3)
    n = count(store, Filters())
    table = next(c for c in components(_layout()) if c["props"].get("id") == ids.TABLE_FIRST)
    trs = [c for c in components(table) if c["type"] == "Tr"]
    assert len(trs) == 1 + 3
    note = next(c for c in components(table) if c["props"].get("className") == "first-table-more")
    assert note["props"]["children"].startswith(f"The first 3 of {n} cities.")


def test_cells_read_as_the_grid_writes_them(ctx):
    from dashboard.urls import TableView
    from dashboard.views.table_view import COLUMN_BY_KEY, cell, grid_row, sorted_rows

    row = grid_row({**STORE_ROW, "lat": 12.0, "source_url": "javascript:alert(1)"})
    assert cell(row, COLUMN_BY_KEY["lat"]) == ("12", None)  # a whole number as JavaScript writes it
    assert cell(row, COLUMN_BY_KEY["lon"]) == ("-2.5", None)
    assert cell(row, COLUMN_BY_KEY["population"]) == ("1,469,163", None)
    assert cell(row, COLUMN_BY_KEY["psi_index"]) == (row["psi_text"], None)
    assert cell(row, COLUMN_BY_KEY["name"]) == ("=X", "/city/x-abc")
    assert cell(row, COLUMN_BY_KEY["source_url"]) == ("javascript:alert(1)", None)  # not a link
    # the grid's order: an empty value first when ascending, last when descending; ties as they came
    rows = [{"id": "a", "v": 2}, {"id": "b", "v": None}, {"id": "c", "v": 1}, {"id": "d", "v": 2}]
    import dashboard.views.table_view as tv
    tv.COLUMN_BY_KEY["v"] = tv.Column("v")
    try:
        assert [r["id"] for r in sorted_rows(rows, TableView("v", False))] == ["b", "c", "a", "d"]
        assert [r["id"] for r in sorted_rows(rows, TableView("v", True))] == ["a", "d", "c", "b"]
    finally:
        del tv.COLUMN_BY_KEY["v"]
    assert sorted_rows(rows, TableView()) == rows
