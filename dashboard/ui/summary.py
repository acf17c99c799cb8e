"""The selection summary next to the map: shares for the selection vs all
cities, each with its n, drawn as HTML/CSS bars (no plotly on the map page)."""
from __future__ import annotations

from dash import html

from dashboard import data, urls
from dashboard.facets import Filters
from dashboard.i18n import _, ngettext, number, percent
from dashboard.vocabulary import facet_title

METRICS = ("strategy", "funding", "team")  # the profile facts the summary compares


def answered(facts: dict, key: str) -> tuple[int, int]:
    """(yes, published answers) of one profile fact in ``data.profile_facts`` counts."""
    counts = facts["facts"][key]
    return counts["yes"], counts["yes"] + counts["no"]


def share(yes: int, known: int) -> float | None:
    return yes / known if known else None


def bar(label: str, yes: int, known: int, css: str) -> html.Div:
    """One labelled bar: "Selection: 62% (31 of 50)", 50 being the cities with a published answer."""
    value = share(yes, known)
    text = (_("{label}: no published answers", label=label) if value is None else
            _("{label}: {pct} ({yes} of {n})", label=label, pct=percent(value),
              yes=number(yes), n=number(known)))
    width = f"{round((value or 0) * 100)}%"
    return html.Div([
        html.Span(text, className="share-text"),
        html.Span(html.Span(className="share-fill", style={"width": width}), className="share-track",
                  **{"aria-hidden": "true"}),
    ], className=f"share-bar {css}")


def selection_summary(filters: Filters) -> list:
    """Children of the summary block for a selection."""
    sel, everyone = data.profile_facts(filters), data.profile_facts(Filters())
    blocks = []
    for key in METRICS:
        blocks.append(html.Div([
            html.H2(facet_title(key)),
            bar(_("Selection"), *answered(sel, key), "share-selection"),
            bar(_("All cities"), *answered(everyone, key), "share-all"),
        ], className="metric", **{"data-metric": key}))
    blocks.append(html.Div([
        html.H2(_("Innovation-capacity score")),
        html.P(ngettext("{scored} of {count} city in the selection has a score: {estimates} estimated by the atlas "
                        "from published answers, {official} official. The OECD has not published per-city scores.",
                        "{scored} of {count} cities in the selection have a score: {estimates} estimated by the atlas "
                        "from published answers, {official} official. The OECD has not published per-city scores.",
                        sel["cities"], scored=number(sel["scored"]), count=number(sel["cities"]),
                        estimates=number(sel["scored"] - sel["official"]), official=number(sel["official"]))),
    ], className="metric", **{"data-metric": "score"}))
    blocks.append(html.P([_("Shares count the cities whose published profile answers the question "
                            "(\"20 of 26\": 20 yes among 26 answers)."), " ",
                          html.A(_("Sources"), href=urls.about_url("sources")), " · ",
                          html.A(_("How the estimate works"), href=urls.about_url("method"))], className="summary-sources"))
    return blocks
