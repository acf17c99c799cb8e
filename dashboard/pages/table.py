"""The table page (``/table``): the map's selection as a sortable, filterable grid with a CSV download."""
import dash
import dash_ag_grid as dag
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard import ids, urls, vocabulary
from dashboard.urls import from_query
from dashboard.i18n import _
from dashboard.ui.first_view import flat, page_html
from dashboard.ui.share import share_tools
from dashboard.views.table_view import (CSV_FILENAME, column_defs, column_options, download_csv, shown_columns,
                                        shown_text, table_state, url_view, view_from_url)

# the grid's scripts load on this page only (app.ON_DEMAND_LIBRARIES)
def first_view(query) -> str:
    """The page as HTML before any script runs (app.py ``first_paint``): its heading, count, links and
    note, the grid's place kept empty (``first_view.to_html`` leaves out what only a script draws)."""
    return page_html(layout(**flat(query)))


dash.register_page(__name__, path=urls.TABLE_PATH, title=lambda: vocabulary.page_title("table"), name="Table",
                   libraries=["dash_ag_grid"], first_view=first_view, in_frame=True)


def layout(**query):
    filters = from_query(query)
    state = table_state(filters)
    view = view_from_url(query)
    chosen = shown_columns(view)
    return html.Article([
        dcc.Location(id=ids.TABLE_URL, refresh=False),
        html.Div([html.H1(_("Cities table")), share_tools(_("Cities table"), urls.table_url(filters, view))],
                 className="page-head"),
        html.P([html.Strong(state["count_text"], id=ids.TABLE_COUNT), " · ", state["filters_text"]],
               className="table-summary"),
        html.P([
            html.A(_("Show on the map"), href=state["map_href"]), " · ",
            _("This selection from the data API:"), " ",
            html.A("CSV", href=state["csv_href"]), ", ", html.A("JSON", href=state["json_href"]),
        ], className="table-links"),
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
        dcc.Store(id=ids.TABLE_QUERY, data=filters.to_query()),
        # the grid's box holds its height while its script loads (nothing below it moves)
        html.Div(dag.AgGrid(
            id=ids.TABLE_GRID,
            rowData=state["rows"],
            columnDefs=column_defs(chosen, view),
            defaultColDef={"sortable": True, "filter": True, "floatingFilter": True, "resizable": True,
                           "minWidth": 110, "wrapHeaderText": True, "autoHeaderHeight": True},
            getRowId="params.data.id",
            dashGridOptions={"tooltipShowDelay": 300, "enableCellTextSelection": True},
            style={"height": "65vh", "width": "100%"},
        ), className="table-grid-box"),
        html.P(_("Scores are the atlas's estimates from published answers unless marked official. Column filters "
                 "and sorting apply to the table and its download; the selection itself comes from the address, "
                 "like the map's."), className="table-note"),
    ], className="table-page")


def _keys(chosen) -> list[str]:
    """The column chooser's value, or no column when a request sent something else."""
    return [c for c in chosen if isinstance(c, str)] if isinstance(chosen, list) else []


@callback(Output(ids.TABLE_GRID, "columnDefs"), Input(ids.TABLE_COLUMNS, "value"), prevent_initial_call=True)
def choose_columns(chosen):
    return column_defs(_keys(chosen))


@callback(Output(ids.TABLE_URL, "search"), Input(ids.TABLE_GRID, "columnState"), Input(ids.TABLE_COLUMNS, "value"),
          State(ids.TABLE_QUERY, "data"), State(ids.TABLE_URL, "search"), prevent_initial_call=True)
def keep_in_url(column_state, chosen, query, search):
    """The sort and the chosen columns go to the address, so a link opens the table as shown."""
    wanted = urls.table_query(from_query(query or {}), url_view(column_state, chosen))
    return no_update if wanted == (search or "") else wanted


@callback(Output(ids.TABLE_SHOWN, "children"), Input(ids.TABLE_GRID, "virtualRowData"), prevent_initial_call=True)
def count_shown(virtual_rows):
    return shown_text(virtual_rows)


@callback(
    Output(ids.TABLE_DOWNLOAD, "data"),
    Input(ids.TABLE_DOWNLOAD_BUTTON, "n_clicks"),
    State(ids.TABLE_QUERY, "data"),
    State(ids.TABLE_GRID, "virtualRowData"),
    State(ids.TABLE_GRID, "columnState"),
    State(ids.TABLE_COLUMNS, "value"),
    prevent_initial_call=True,
)
def download(_clicks, query, virtual_rows, column_state, chosen):
    text = download_csv(from_query(query if isinstance(query, dict) else {}), virtual_rows, column_state,
                        _keys(chosen))
    return dcc.send_string(text, CSV_FILENAME, type="text/csv")
