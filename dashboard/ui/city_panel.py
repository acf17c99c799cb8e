"""The city side panel of the map page: key facts, score with provenance,
COVID-19 responses, links on. Plain functions of a city record (``data.city``).

All text from the data goes in as component children (text), never as HTML.
"""
from __future__ import annotations

from dash import html

from dashboard import urls
from dashboard.i18n import _, ngettext
from dashboard.ui.components import external_link
from dashboard.vocabulary import DATA_LANG, facet_title, tier_label, value_label, yes_no
from dashboard.views import city_view

MAX_RESPONSES = 5


def provenance(city: dict) -> html.P:
    """Where the score comes from, with a link to the method or the official source."""
    if city["psi_source"] == "official":
        parts = [_("Official score from the survey team's extract."), " "]
        if city.get("official_source_url"):
            parts.append(external_link(city["official_source_url"], city.get("official_source_title") or _("Source")))
        return html.P(parts, className="provenance")
    answered = city["components_answered"]
    if city["psi_source"] == "estimate":
        text = _("Estimated by the atlas from {n} of 5 components of the city's published answers; "
                 "the OECD has not published its per-city scores.", n=answered)
    else:
        text = _("The OECD has not published this city's score, and its published answers cover {n} of 5 "
                 "components: too few for an estimate (3 are needed).", n=answered)
    return html.P([text, " ", html.A(_("How the estimate works"), href=urls.about_url("method"))], className="provenance")


def fact(term: str, value) -> list:
    return [html.Dt(term), html.Dd(value)]


def panel_body(city: dict | None, in_selection: bool = True) -> list:
    """The panel's content for a city record; empty when no city is selected."""
    if not city:
        return []
    profile = city.get("profile") or {}
    population = city_view.population_cited(city) or _("Not known")
    body = [
        html.H2(city["name"], id="city-panel-title", className="city-panel-title"),
        html.P(city_view.subtitle(city), className="city-panel-where"),
    ]
    if not city["respondent"]:
        body.append(html.P(_("Survey participation not confirmed: the OECD brochure cites this city as an "
                             "example, but it is not on the list of respondents."), className="note"))
    if not in_selection:
        body.append(html.P(_("This city is outside the current filters, so it is not on the map."), className="note"))
    body += [
        html.P(tier_label(city["psi_tier"], city["psi_source"], city["psi_index"]),
               className=f"score tier-{city['psi_tier']}"),
        provenance(city),
        html.Dl([
            *fact(_("Population"), population),
            *fact(facet_title("wave"), value_label("wave", city["survey_wave"])),
            *fact(facet_title("strategy"), yes_no(profile.get("has_explicit_strategy"))),
            *fact(facet_title("funding"), yes_no(profile.get("has_dedicated_funding"))),
            *fact(facet_title("team"), yes_no(profile.get("has_innovation_team"))),
        ], className="facts"),
    ]
    if profile.get("profile_url"):
        body.append(html.P([_("Answers from the city's profile:"), " ",
                            external_link(profile["profile_url"], _("source"))], className="source-line"))
    body += covid_section(city)
    body.append(html.P([
        html.A(_("Full profile"), href=urls.city_url(city["id"]), className="button-link"), " ",
        html.A(_("Add to compare"), href=urls.compare_url([city["id"]]), className="button-link",
               **{"data-compare-add": city["id"]}), " ",
        html.A(_("Present this city"), href=urls.present_url(city=city["id"]), className="button-link"),
    ], className="panel-links"))
    return body


def covid_section(city: dict) -> list:
    responses = city.get("covid_responses") or []
    heading = html.H3(ngettext("{n} COVID-19 response", "{n} COVID-19 responses", len(responses)))
    if not responses:
        return [heading, html.P(_("None recorded in the atlas's sources."), className="muted")]
    items = [html.Li([
        html.Span(r["title"], className="response-title", lang=DATA_LANG), " ",
        html.Span(value_label("covid", r["category"]), className="tag"), " ",
        external_link(r["source_url"], _("source")),
    ]) for r in responses[:MAX_RESPONSES]]
    more = len(responses) - MAX_RESPONSES
    out = [heading, html.Ul(items, className="responses")]
    if more > 0:
        out.append(html.P(ngettext("and {n} more on the full profile", "and {n} more on the full profile", more),
                          className="muted"))
    return out
