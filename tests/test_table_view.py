"""The /table page's logic, called directly (as its callbacks do)."""
from __future__ import annotations

import csv
import io
import json

import pytest

from dashboard.facets import Filters
from dashboard.urls import from_query
from tests.layouts import layout_text
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


def test_page_layout_and_callbacks(ctx, store):
    import dash

    from dashboard import ids
    from dashboard.pages.table import choose_columns, count_shown, download, keep_in_url

    page = next(p for p in dash.page_registry.values() if p["path"] == "/table")
    text = layout_text(page["layout"](region="europe", tier="bogus"))
    n = count(store, Filters(region=("europe",)))
    assert f'"id": "{ids.TABLE_COUNT}", "children": "{n} cities"' in text
    assert '"href": "/?region=europe"' in text and '"href": "/api/cities.csv?region=europe"' in text
    assert [d["colId"] for d in choose_columns(["name"]) if not d["hide"]] == ["name"]
    sorted_state = [{"colId": "population", "sort": "asc", "sortIndex": 0}]
    assert keep_in_url(sorted_state, ["name", "population"], {"region": "europe"}, "") == (
        "?region=europe&sort=population&columns=name,population")
    # the address already says it: nothing to write
    assert keep_in_url(sorted_state, ["name", "population"], {"region": "europe"},
                       "?region=europe&sort=population&columns=name,population") is dash.no_update
    assert count_shown([{"id": "a"}]) == "1 row shown in the table"
    sent = download(1, {"region": "europe"}, None, None, ["name"])
    assert sent["filename"] == "city-innovation-atlas-cities.csv"
    assert len(_rows(sent["content"])) == n + 1
