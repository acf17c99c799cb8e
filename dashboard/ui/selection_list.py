"""Beside the map: the cities of a small selection by name, and the tray of cities chosen to compare.

A journalist sees which cities match without hovering: each name opens the city's panel, each
"Compare" adds the city to the comparison without leaving the map (assets/atlas_map.js reads the
``data-city`` and ``data-compare-*`` attributes). City names are text, never HTML.
"""
from __future__ import annotations

from dash import html

from dashboard import data, urls
from dashboard.facets import Filters
from dashboard.i18n import _, ngettext, number
from dashboard.views.map_view import LIST_MAX


def selection_list(rows: tuple[dict, ...] | None, count: int, filters: Filters) -> list:
    """The list's children: one item per city, or, above LIST_MAX cities, where to see them."""
    if rows is None:
        return [html.P([ngettext("Narrow the selection to {max} city or fewer to list it here, or ",
                                 "Narrow the selection to {max} cities or fewer to list them here, or ",
                                 LIST_MAX, max=number(LIST_MAX)),
                        html.A(ngettext("see the {count} city in the table", "see the {count} cities in the table",
                                        count, count=number(count)), href=urls.table_url(filters)), "."],
                       className="list-note")]
    if not rows:
        return [html.P(_("No city matches these filters."), className="list-note")]
    return [html.Ol([html.Li([
        html.Button(r["name"], type="button", className="list-city", **{"data-city": r["id"]}),
        html.Span(r["country"], className="list-country"),
        html.Span([html.Span(className=f"swatch swatch-{r['tier']}"), r["tier_text"],
                   *([" · ", r["score"]] if r["score"] else [])], className="list-tier"),
        html.Button(_("Compare"), type="button", className="list-compare",
                    **{"data-compare-add": r["id"], "aria-label": _("Add {city} to the comparison", city=r["name"])}),
    ], className="list-item") for r in rows], className="selection-items")]


def compare_tray(chosen) -> tuple[list, str]:
    """The tray's children and class for the remembered compare set (ids from the browser's
    storage, each checked against the store)."""
    ids = [i for i in dict.fromkeys(data.known_city(x) for x in (chosen if isinstance(chosen, list) else [])) if i]
    ids = ids[-urls.MAX_COMPARE:]
    if not ids:
        return [], "compare-tray empty"
    cities = [data.city(i) for i in ids]
    return [
        html.Span(ngettext("{count} city to compare:", "{count} cities to compare:", len(ids), count=number(len(ids))),
                  className="tray-count"),
        html.Ul([html.Li([c["name"], html.Button("×", type="button", className="tray-remove",
                                                 title=_("Remove {city} from the comparison", city=c["name"]),
                                                 **{"data-compare-remove": c["id"],
                                                    "aria-label": _("Remove {city} from the comparison",
                                                                    city=c["name"])})])
                 for c in cities], className="tray-cities"),
        html.A(_("Compare"), href=urls.compare_url(ids), className="button tray-open") if len(ids) > 1
        else html.Span(_("Add one more city to compare."), className="tray-hint"),
        html.Button(_("Clear"), type="button", className="tray-clear", **{"data-compare-remove": ""}),
    ], "compare-tray"
