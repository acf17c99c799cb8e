"""Logic of the /table page as plain functions (called by thin callbacks and tests).

The grid shows one row per city of the URL's selection. Values the grid sorts
and filters on stay raw (numbers are numbers); the words shown in a cell come
from a ``*_text`` field where they differ. The "Download CSV" file is built
here, on the server, from the store's rows in the order the grid shows them,
so every cell goes through the same formula escaping as the data API.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from dashboard import data, urls
from dashboard.export import to_csv
from dashboard.facets import MULTI, Filters
from dashboard.i18n import _, ngettext, number
from dashboard.urls import TableView, parse_table
from dashboard.vocabulary import (cities, estimate_kind, facet_title, filters_in_words, labelled, not_published,
                                  city_country, tier_words, value_label)

CSV_FILENAME = "city-innovation-atlas-cities.csv"
# the rows of the table written into the page before the grid loads (``first_rows``): as many as the
# grid's box shows on a laptop's or a phone's screen (10 to 14), and the page stays light at any
# number of cities (each row is a dozen components for Dash to draw: about 10 ms of a phone's time)
FIRST_ROWS = 15
# the addresses a cell links to: site-relative or http(s), as the grid's AtlasLink (assets/atlas_table.js)
LINKABLE = re.compile(r"^(?:/(?!/)|https?://)", re.IGNORECASE)


@dataclass(frozen=True)
class Column:
    key: str  # field of the grid row: what the grid sorts and filters on
    number: bool = False  # numeric filter and alignment
    shown: bool = True  # visible until the visitor changes the column choice
    text: str | None = None  # field holding the words shown in the cell, when they differ from the value
    export_with: str | None = None  # a field written to the CSV right after this one (the score's source)
    link: str | None = None  # field holding the address the cell links to


COLUMNS = (
    Column("name", link="city_path"),
    Column("country"),
    Column("region"),
    Column("population", number=True, text="population_text"),
    Column("psi_index", number=True, text="psi_text", export_with="psi_source"),
    Column("psi_tier"),
    Column("strategy"),
    Column("funding"),
    Column("team"),
    Column("covid"),
    Column("policy", shown=False),
    Column("role", shown=False),
    Column("activity", shown=False),
    Column("respondent"),
    Column("survey_wave", shown=False),
    Column("iso3", shown=False),
    Column("lat", number=True, shown=False),
    Column("lon", number=True, shown=False),
    Column("source_url", shown=False, link="source_url"),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
DEFAULT_COLUMNS = [c.key for c in COLUMNS if c.shown]


def column_titles() -> dict[str, str]:
    return {
        "name": _("City"), "country": _("Country"), "region": facet_title("region"),
        "population": facet_title("pop"), "psi_index": _("Innovation-capacity score (0-10)"),
        "psi_tier": facet_title("tier"), "strategy": facet_title("strategy"), "funding": facet_title("funding"),
        "team": facet_title("team"), "covid": _("COVID-19 responses"), "policy": facet_title("policy"),
        "role": facet_title("role"), "activity": facet_title("activity"), "respondent": facet_title("confirmed"),
        "survey_wave": facet_title("wave"), "iso3": _("ISO3 code"), "lat": _("Latitude"), "lon": _("Longitude"),
        "source_url": _("Source"), "psi_source": _("Score source"),
    }


def column_options() -> list[dict]:
    """The column chooser's options, in the grid's order."""
    titles = column_titles()
    return [{"label": titles[c.key], "value": c.key} for c in COLUMNS]


def column_defs(visible: Iterable[str] = DEFAULT_COLUMNS, view: TableView | None = None) -> list[dict]:
    """ag-grid column definitions; columns not in ``visible`` are hidden; ``view`` may give the sort."""
    titles, shown = column_titles(), set(visible or ())
    defs = []
    for c in COLUMNS:
        col = {"field": c.key, "colId": c.key, "headerName": titles[c.key], "hide": c.key not in shown,
               "filter": "agNumberColumnFilter" if c.number else "agTextColumnFilter"}
        if view is not None and view.sort == c.key:
            col["sort"] = "desc" if view.descending else "asc"
        if c.number:
            col["type"] = "rightAligned"
        if c.text:
            col["valueFormatter"] = {"function": f"params.data ? params.data.{c.text} : ''"}
        if c.link:
            col["cellRenderer"] = "AtlasLink"
            col["cellRendererParams"] = {"hrefField": c.link}
        defs.append(col)
    defs[0]["pinned"] = "left"
    by_key = {d["colId"]: d for d in defs}
    by_key["psi_index"]["headerTooltip"] = _("The atlas's estimate from the published profile answers unless marked "
                                             "official; the OECD has not published its per-city index.")
    return defs


def _number(value, digits: int = 0) -> str:
    return "" if value is None else number(value, digits)


def grid_row(row: Mapping) -> dict:
    """A store row (``Store.city_rows``) as a grid row: raw values plus the words shown."""
    psi = row["psi_index"]
    return {
        "id": row["id"], "name": row["name"], "city_path": urls.city_url(row["id"]),
        "country": city_country(row),
        "region": value_label("region", row["region"]),
        "population": row["population"], "population_text": _number(row["population"]),
        "psi_index": psi,
        "psi_text": not_published() if psi is None else labelled(_number(psi, 1), row["psi_source"]),
        "psi_source": "" if psi is None else estimate_kind(row["psi_source"]),
        "psi_tier": tier_words(row["psi_tier"], row["psi_source"]),
        **{k: value_label(k, row[k]) for k in ("strategy", "funding", "team")},
        **{f.key: "; ".join(value_label(f.key, v) for v in row.get(f.key) or ()) for f in MULTI},
        "respondent": value_label("confirmed", "yes" if row["respondent"] else "no"),
        "survey_wave": value_label("wave", row["survey_wave"]),
        "iso3": row["iso3"], "lat": row["lat"], "lon": row["lon"], "source_url": row["source_url"],
    }


def grid_rows(rows: Iterable[Mapping]) -> list[dict]:
    return [grid_row(r) for r in rows]


def filters_text(filters: Filters) -> str:
    """The active filters in words, or that there are none."""
    return filters_in_words(filters) or _("All cities (no filters)")


def table_state(filters: Filters) -> dict:
    """Everything the page shows for a selection."""
    rows = grid_rows(data.city_rows(filters))
    return {
        "rows": rows,
        "count": len(rows),
        "count_text": cities(len(rows)),
        "filters_text": filters_text(filters),
        "map_href": urls.map_url(filters),
        "csv_href": urls.api_cities_url("csv", filters),
        "json_href": urls.api_cities_url("json", filters),
    }


def shown_text(virtual_rows: list | None) -> str:
    """How many rows the grid shows after its own column filters."""
    n = len(virtual_rows or [])
    return ngettext("{n} row shown in the table", "{n} rows shown in the table", n)


def visible_columns(column_state: list | None, chosen: Iterable[str] | None) -> list[str]:
    """Keys of the columns the grid shows, in the grid's order.

    ``chosen`` (the column chooser) decides which; ``column_state`` (the grid's,
    if it reported one) decides the order, e.g. after the visitor dragged a
    column. Unknown keys are dropped.
    """
    chosen_set = set(chosen or ())
    wanted = [c.key for c in COLUMNS if c.key in chosen_set]
    order = [s.get("colId") for s in column_state or () if isinstance(s, dict) and not s.get("hide")]
    ordered = [k for k in dict.fromkeys(order) if k in wanted]
    return ordered + [k for k in wanted if k not in ordered]


def rows_in_grid_order(rows: list[dict], virtual_rows: list | None) -> list[dict]:
    """The server's rows, restricted to and ordered like the grid's rows (after its filters and sort).

    Only the ids are taken from the browser; every value comes from the store.
    """
    if virtual_rows is None:
        return rows
    by_id = {r["id"]: r for r in rows}
    ids = (v.get("id") for v in virtual_rows if isinstance(v, dict))
    return [by_id[i] for i in dict.fromkeys(ids) if i in by_id]


def table_csv(rows: Iterable[Mapping], keys: Iterable[str]) -> str:
    """CSV of grid rows: the given columns with the titles the grid shows, cells formula-escaped.
    Values are the grid's raw values (a score is a number a spreadsheet can sort); a column with
    ``export_with`` is followed by that field (the score by its source: estimate or official)."""
    titles = column_titles()
    columns = []
    for k in keys:
        if k in COLUMN_BY_KEY:
            columns.append((k, titles[k]))
            if COLUMN_BY_KEY[k].export_with:
                columns.append((COLUMN_BY_KEY[k].export_with, titles[COLUMN_BY_KEY[k].export_with]))
    return to_csv(columns, rows)


def view_from_url(query) -> TableView:
    """The URL's sort and columns with unknown column keys dropped."""
    view = parse_table(query)
    columns = tuple(k for k in view.columns if k in COLUMN_BY_KEY)
    sort = view.sort if view.sort in COLUMN_BY_KEY else None
    return TableView(sort, view.descending and sort is not None, columns)


def shown_columns(view: TableView) -> list[str]:
    """The columns the page opens with: the URL's, else the default ones."""
    return [c.key for c in COLUMNS if c.key in view.columns] or list(DEFAULT_COLUMNS)


def url_view(column_state: list | None, chosen: Iterable[str] | None) -> TableView:
    """The view to keep in the URL after the visitor sorted or chose columns: the first sorted
    column of the grid's state (by its sort index), and the chosen columns unless they are the
    default ones."""
    sorted_cols = sorted((s for s in column_state or () if isinstance(s, dict) and s.get("sort") in ("asc", "desc")
                          and s.get("colId") in COLUMN_BY_KEY), key=lambda s: s.get("sortIndex") or 0)
    first = sorted_cols[0] if sorted_cols else None
    keys = [c.key for c in COLUMNS if c.key in set(chosen or ())]
    return TableView(first["colId"] if first else None, bool(first) and first["sort"] == "desc",
                     () if keys == DEFAULT_COLUMNS else tuple(keys))


def download_csv(filters: Filters, virtual_rows: list | None, column_state: list | None,
                 chosen: Iterable[str] | None, view: TableView | None = None) -> str:
    """The "Download CSV" file: exactly the rows and columns the table shows: the grid's rows (after
    its filters and sort) when it has reported them, else (the grid not loaded yet) every row of the
    selection in the order ``view`` (the address's sort) gives."""
    rows = grid_rows(data.city_rows(filters))
    rows = sorted_rows(rows, view) if virtual_rows is None else rows_in_grid_order(rows, virtual_rows)
    return table_csv(rows, visible_columns(column_state, chosen))


def sorted_rows(rows: list[dict], view: TableView | None) -> list[dict]:
    """The rows in the order the grid gives them for ``view``'s sort: by the column's raw value
    (``Column.key``, as the grid compares them: an empty value first, ascending), ties in the rows'
    own order (by name then id); unsorted, as they are."""
    if view is None or view.sort not in COLUMN_BY_KEY:
        return list(rows)
    key = view.sort
    present = [r for r in rows if r.get(key) is not None]
    missing = [r for r in rows if r.get(key) is None]
    present.sort(key=lambda r: r[key], reverse=view.descending)  # stable, as the grid's sort
    return present + missing if view.descending else missing + present


def cell(row: Mapping, column: Column) -> tuple[str, str | None]:
    """The words a grid cell shows for ``row`` (its ``text`` field, else its value as the grid writes
    it) and the address it links to, if any (``link``, site-relative or http(s) only)."""
    value = row.get(column.text or column.key)
    if value is None:
        words = ""
    elif isinstance(value, float) and value.is_integer():
        words = str(int(value))  # as JavaScript writes a whole number
    else:
        words = str(value)
    href = row.get(column.link) if column.link else None
    return words, href if isinstance(href, str) and LINKABLE.match(href) else None


def first_rows(rows: list[dict], view: TableView) -> list[dict]:
    """What the page shows before the grid loads: the first ``FIRST_ROWS`` rows in the address's sort."""
    return sorted_rows(rows, view)[:FIRST_ROWS]
