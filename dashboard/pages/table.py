"""The table page (``/table``): the map's selection as a sortable, filterable grid with a CSV download.

The page opens with the selection's first rows as a plain HTML table (``first_table``), which a
visitor reads before any script has run; the grid (dash-ag-grid, about 2 MB of script) loads when
the visitor uses the table: points at it or its tools, touches them or moves into them with the
keyboard (``app.py`` ``on_use``, assets/atlas_on_use.js), and takes the table's place in the same box.
Until then the grid is absent, so its callbacks address it with ``ALL`` (no grid: empty lists)."""
import dash
import dash_ag_grid as dag
from dash import ALL, Input, Output, State, callback, ctx, dcc, html, no_update

from dashboard import data, ids, urls, vocabulary
from dashboard.urls import TableView
from dashboard.i18n import _, ngettext, number
from dashboard.ui.first_view import flat, page_html
from dashboard.ui.share import share_tools
from dashboard.views.table_view import (COLUMNS, CSV_FILENAME, FIRST_ROWS, cell, column_defs,
                                        column_options, column_titles, download_csv, first_rows, shown_columns,
                                        shown_text, table_state, url_view, view_from_url)

GRIDS = {**ids.TABLE_GRID, "grid": ALL}  # the grid if it is there (a list of none or one)
# the grid's library and the chunk it loads at once: left out of the page, loaded on use (app.py)
GRID_LIBRARY = "dash_ag_grid"
GRID_CHUNKS = ("async-community.js",)


def first_view(query) -> str:
    """The page as HTML before any script runs (app.py ``first_paint``): its heading, count, links,
    the first rows as a table and the note (``first_view.to_html`` leaves out what only a script draws)."""
    return page_html(layout(**flat(query)))


dash.register_page(__name__, path=urls.TABLE_PATH, title=lambda: vocabulary.page_title("table"), name="Table",
                   on_use={GRID_LIBRARY: GRID_CHUNKS}, first_view=first_view, in_frame=True)


def layout(**query):
    filters = data.read_filters(query)
    state = table_state(filters)
    view = view_from_url(query)
    chosen = shown_columns(view)
    return html.Article([
        dcc.Location(id=ids.TABLE_URL, refresh=False),
        html.Div([html.H1(_("Cities table")), share_tools(_("Cities table"), urls.table_url(filters, view))],
                 className="page-head"),
        # each run of text one string: one text node, as in the first view's HTML (the same size to
        # the browser's largest-contentful-paint, which else counts Dash's drawing as a new paint)
        html.P([html.Strong(state["count_text"], id=ids.TABLE_COUNT), " · " + state["filters_text"]],
               className="table-summary"),
        html.P([
            html.A(_("Show on the map"), href=state["map_href"]),
            " · " + _("This selection from the data API:") + " ",
            html.A("CSV", href=state["csv_href"]), ", ", html.A("JSON", href=state["json_href"]),
        ], className="table-links"),
        # the table and its tools: using them loads the grid (assets/atlas_on_use.js sets TABLE_GRID_WANTED)
        html.Div([
            html.Div([
                html.Details([
                    html.Summary(_("Choose columns")),
                    dcc.Checklist(id=ids.TABLE_COLUMNS, options=column_options(), value=chosen,
                                  className="column-chooser", inputClassName="facet-input"),
                ]),
                html.Button(_("Download CSV"), id=ids.TABLE_DOWNLOAD_BUTTON, className="button"),
                html.Span(shown_text(state["rows"]), id=ids.TABLE_SHOWN, className="table-shown",
                          **{"aria-live": "polite"}),
                dcc.Download(id=ids.TABLE_DOWNLOAD),
            ], className="table-tools"),
            # the grid's box: the first rows until the grid takes their place, at the same height
            html.Div([first_table(state["rows"], chosen, view, state["count"]), dcc.Store(id=ids.TABLE_GRID_WANTED)],
                     id=ids.TABLE_GRID_SLOT, className="table-grid-box"),
            html.P(_("Loading the full table…"), className="grid-loading", role="status"),
        ], className="table-area", **{"data-on-use": GRID_LIBRARY, "data-on-use-store": ids.TABLE_GRID_WANTED}),
        dcc.Store(id=ids.TABLE_QUERY, data=filters.to_query()),
        html.P(_("Scores are the atlas's estimates from published answers unless marked official. Column filters "
                 "and sorting apply to the table and its download; the selection itself comes from the address, "
                 "like the map's."), className="table-note"),
    ], className="table-page")


def first_table(rows: list[dict], chosen: list[str], view, count: int) -> html.Div:
    """The selection's first rows (``FIRST_ROWS``, in the address's sort) as a plain table with the
    grid's columns, titles, cell words and links: what the page shows until the grid loads. A
    larger selection says how many rows there are and that the full table loads when used."""
    titles = column_titles()
    columns = [c for c in COLUMNS if c.key in set(chosen)]
    head = []
    for c in columns:
        sort = {}
        if view.sort == c.key:
            sort = {"aria-sort": "descending" if view.descending else "ascending"}
        head.append(html.Th([titles[c.key], html.Span("↓" if view.descending else "↑", className="sort-mark",
                                                     **{"aria-hidden": "true"}) if sort else None],
                            scope="col", className="number" if c.number else None, **sort))
    body = []
    for i, row in enumerate(first_rows(rows, view)):
        cells = []
        for c in columns:
            words, href = cell(row, c)
            content = html.A(words, href=href, className="grid-link",
                             **({} if href.startswith("/") else {"rel": "noopener noreferrer", "target": "_blank"})
                             ) if href and words else words
            cells.append(html.Td(content, className="number" if c.number else None, **{"data-col": c.key}))
        body.append(html.Tr(cells, **{"data-row": str(i)}))
    more = None
    if count > FIRST_ROWS:  # under the table, at the box's width (not the wide table's)
        more = html.P(ngettext(
            "The first {shown} of {count} cities. The full table, with sorting, column filters and its "
            "download, loads as soon as you use it.",
            "The first {shown} of {count} cities. The full table, with sorting, column filters and its "
            "download, loads as soon as you use it.", count, shown=number(FIRST_ROWS), count=number(count)),
            className="first-table-more")
    return html.Div([html.Table([html.Thead(html.Tr(head)), html.Tbody(body)], className="first-table",
                                style={"width": f"{200 * len(columns)}px"}, **{"aria-label": _("Cities table")}),
                     more], id=ids.TABLE_FIRST, className="first-table-box")


@callback(Output(ids.TABLE_GRID_SLOT, "children"), Input(ids.TABLE_GRID_WANTED, "data"),
          State(ids.TABLE_COLUMNS, "value"), State(ids.TABLE_URL, "search"), State(ids.TABLE_QUERY, "data"),
          prevent_initial_call=True)
def draw_grid(wanted, chosen, search, query):
    """The grid in the table's place, once the browser has its script (assets/atlas_on_use.js sets
    TABLE_GRID_WANTED): every row of the selection, with the columns chosen and the address's sort."""
    if not wanted:
        return no_update
    filters = data.read_filters(query if isinstance(query, dict) else {})
    view = view_from_url(search if isinstance(search, str) else "")
    return [dcc.Store(id=ids.TABLE_GRID_WANTED, data=wanted), dag.AgGrid(
        id=ids.TABLE_GRID,
        rowData=table_state(filters)["rows"],
        columnDefs=column_defs(_keys(chosen), view),
        defaultColDef={"sortable": True, "filter": True, "floatingFilter": True, "resizable": True,
                       "minWidth": 110, "wrapHeaderText": True, "autoHeaderHeight": True},
        getRowId="params.data.id",
        dashGridOptions={"tooltipShowDelay": 300, "enableCellTextSelection": True},
        style={"height": "100%", "width": "100%"},
    )]


def _keys(chosen) -> list[str]:
    """The column chooser's value, or no column when a request sent something else."""
    return [c for c in chosen if isinstance(c, str)] if isinstance(chosen, list) else []


def _first(values):
    """The one grid's value of an ``ALL`` input, or None without a grid."""
    return values[0] if isinstance(values, list) and values else None


@callback(Output(ids.TABLE_URL, "search"), Output(GRIDS, "columnDefs"), Input(GRIDS, "columnState"),
          Input(ids.TABLE_COLUMNS, "value"), State(ids.TABLE_QUERY, "data"), State(ids.TABLE_URL, "search"),
          prevent_initial_call=True)
def keep_view(column_states, chosen, query, search):
    return view_changes(column_states, chosen, query, search, chose=ctx.triggered_id == ids.TABLE_COLUMNS)


def view_changes(column_states, chosen, query, search, chose: bool):
    """The column choice goes to the grid (when ``chose``: the chooser changed), and the sort and the
    chosen columns to the address, so a link opens the table as shown. ``column_states``: the grid's
    (a list of none or one). Without a grid (not loaded yet) the address keeps its sort; a grid that
    arrives with other columns than those chosen meanwhile gets the chosen ones."""
    column_state, keys = _first(column_states), _keys(chosen)
    view = url_view(column_state, keys)
    if column_state is None:  # no grid yet: the address's sort stays
        current = view_from_url(search if isinstance(search, str) else "")
        view = TableView(current.sort, current.descending, view.columns)
    wanted = urls.table_query(data.read_filters(query if isinstance(query, dict) else {}), view)
    shown = {s.get("colId") for s in column_state or () if isinstance(s, dict) and not s.get("hide")}
    differs = column_state is not None and shown != set(keys)
    defs = column_defs(keys) if chose or differs else no_update
    grids = len(column_states) if isinstance(column_states, list) else 0
    return no_update if wanted == (search or "") else wanted, [defs] * grids


@callback(Output(ids.TABLE_SHOWN, "children"), Input(GRIDS, "virtualRowData"), prevent_initial_call=True)
def count_shown(virtual_rows):
    rows = _first(virtual_rows)
    return no_update if rows is None else shown_text(rows)


@callback(
    Output(ids.TABLE_DOWNLOAD, "data"),
    Input(ids.TABLE_DOWNLOAD_BUTTON, "n_clicks"),
    State(ids.TABLE_QUERY, "data"),
    State(GRIDS, "virtualRowData"),
    State(GRIDS, "columnState"),
    State(ids.TABLE_COLUMNS, "value"),
    State(ids.TABLE_URL, "search"),
    prevent_initial_call=True,
)
def download(_clicks, query, virtual_rows, column_states, chosen, search):
    """The CSV of the rows and columns shown: the grid's, or before the grid has loaded, the
    selection in the address's sort."""
    text = download_csv(data.read_filters(query if isinstance(query, dict) else {}), _first(virtual_rows),
                        _first(column_states), _keys(chosen), view_from_url(search if isinstance(search, str) else ""))
    return dcc.send_string(text, CSV_FILENAME, type="text/csv")
