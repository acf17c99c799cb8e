"""HTML of the presentation's slides and of a city shown big (``views.present_view`` gives the data).

Everything from the data goes in as text (React children), never as HTML.
"""
from __future__ import annotations

from dash import html

from dashboard import ids
from dashboard.i18n import _
from dashboard.ui.components import source_link
from dashboard.ui.chart import chart
from dashboard.views.present_view import Slide


def _sources(sources) -> html.P:
    links = []
    for source in sources:
        links += ([" · "] if links else []) + [source_link(source)]
    return html.P([_("Source:"), " ", *links], className="slide-source")


def _lines(lines) -> list:
    """The slide's statements; when they all cite one source, it is named once, under them."""
    if not lines:
        return []
    cited = [line["source"] for line in lines if line["source"]]
    shared = cited[0] if cited and len(cited) == len(lines) and all(c == cited[0] for c in cited) else None
    items = []
    for line in lines:
        extra = {"lang": line["lang"]} if line.get("lang") else {}
        link = None if shared else source_link(line["source"])
        items.append(html.Li([html.Span(line["text"], **extra),
                              *([" ", html.Span([_("Source:"), " ", link], className="slide-source")] if link else [])]))
    return [html.Ul(items, className="slide-lines"), *([_sources([shared])] if shared else [])]


def city_big(city: dict) -> html.Div:
    """One city, big: name and country, score with its provenance, the five components, one spotlight."""
    score = city["score"]
    value = [html.Span(city["value"], className="big-score"), html.Span(_(" of 10"), className="big-score-of")] \
        if city["value"] else []
    provenance = [html.Span(score["label"])]
    if score.get("source"):
        provenance += [" ", source_link(score["source"])]
    elif city.get("profile"):
        provenance += [" ", html.Span([_("Source:"), " ", source_link(city["profile"])], className="slide-source")]
    parts = [
        html.P(city["country"], className="big-country"),
        html.P([*value, html.Span(score["tier_text"], className="big-tier")], className="big-score-line"),
        html.P(provenance, className="big-provenance"),
    ]
    if city["components"]:
        parts.append(html.Ul([html.Li([html.Span(c["name"], className="component-name"), " ",
                                       html.Span(c["text"], className="component-points")])
                              for c in city["components"]], className="big-components"))
    study = city["spotlight"]
    if study:
        parts.append(html.Div([
            html.P(_("Spotlight"), className="big-spotlight-kicker"),
            html.P(study["title"], className="big-spotlight-title", lang="en"),
            html.P([_("Source:"), " ", source_link(study["source"])], className="slide-source"),
        ], className="big-spotlight"))
    parts.append(html.A(_("The city's page"), href=city["url"], className="slide-link"))
    return html.Div(parts, className="city-big")


def slide_section(slide: Slide, total: int, current: bool) -> html.Section:
    """One slide; only the current one is shown (assets/present.js moves between them)."""
    body = [html.H2(slide.title, className="slide-title")]
    if slide.lead:
        body.append(html.P(slide.lead, className="slide-lead"))
    if slide.city:
        body.append(city_big(slide.city))
    if slide.chart_title:
        body.append(html.H3(slide.chart_title["text"], className="slide-chart-title",
                            **({"lang": slide.chart_title["lang"]} if slide.chart_title["lang"] else {})))
    if slide.figure:
        # the chart fills the slide's free height (assets/atlas_charts.js)
        body.append(html.Div(chart(slide.figure, f"atlas-slide-{slide.number}", None, at_once=True), className="slide-chart",
                             **{"data-fill": "height"}))
    body += _lines(slide.lines)
    if slide.sources:
        body.append(_sources(slide.sources))
    if slide.links:
        body.append(html.P([html.A(link["text"], href=link["url"], className="slide-link") for link in slide.links],
                           className="slide-links"))
    if slide.highlight or slide.everything:
        body.append(html.P(slide.highlight_text, className="slide-count"))
    body.append(html.Aside([html.H3(_("Speaker notes")), html.P(slide.notes or _("No notes for this slide."),
                                                               lang="en" if slide.notes else None)],
                           className="slide-notes"))
    return html.Section(body, className="slide current" if current else "slide", hidden=not current,
                        **{"data-slide": str(slide.number), "data-explore": slide.explore,
                           "data-kind": slide.kind, "aria-label": _("Slide {n} of {total}", n=slide.number,
                                                                    total=total)})


def controls(current: int, total: int, explore: str) -> html.Nav:
    """Clickable controls (each also on the keyboard)."""
    def button(text: str, action: str, key: str) -> html.Button:
        return html.Button(text, type="button", className="present-button", title=key,
                           **{"data-present": action, "aria-keyshortcuts": key})

    return html.Nav([
        button(_("← Previous"), "prev", "ArrowLeft"),
        html.Span(f"{current} / {total}", id=ids.PRESENT_COUNTER, className="present-counter", role="status"),
        button(_("Next →"), "next", "ArrowRight"),
        button(_("Notes (n)"), "notes", "n"),
        button(_("Full screen (f)"), "full", "f"),
        html.A(_("Explore this view (Esc)"), href=explore, className="present-button present-explore",
               **{"data-present": "explore", "aria-keyshortcuts": "Escape"}),
    ], className="present-controls", **{"aria-label": _("Presentation")})
