"""Survey findings (``/findings``): the published charts, the well-being gaps, the
brochure's ten recommendations, and live charts of the published profiles for the
map's filters."""
import dash
from dash import Input, Output, State, callback, dcc, html

from dashboard import data, ids, urls, vocabulary
from dashboard.ui.components import as_printed, external_link, source_link
from dashboard.ui.embed import embed_frame
from dashboard.ui.first_view import page_html
from dashboard.ui.share import chart_embed
from dashboard.i18n import _, ngettext
from dashboard.views import findings_view as view
from dashboard.ui.chart import chart, data_table, figure_json
from dashboard.views.chart_style import chart_table
from dashboard.vocabulary import facet_title

def first_view(query) -> str:
    """The page's heading, introduction and caveat as HTML before any script runs (app.py ``first_paint``)."""
    if urls.is_embed(query):
        return ""
    return page_html(html.Article(findings_head(), className=PAGE_CLASS))


dash.register_page(__name__, path=urls.FINDINGS_PATH, title=lambda: vocabulary.page_title("findings"), name="Findings",
                   first_view=first_view, in_frame=True)
PAGE_CLASS = "findings-page"


def _caption(sample: str, wave: str, confidence: str | None, sources: list[tuple[str, str]],
             notes: list[str] = (), extra: list = (), text_lang: str | None = None) -> html.Figcaption:
    """One short source line under a chart (source links, sample, wave, confidence) and its notes;
    ``text_lang``: the language of sample and notes when they are the data's own text. The
    samples caveat is said once, at the top of the page."""
    data_text = {"lang": text_lang} if text_lang else {}
    links = []
    for title, url in sources:
        links += ([" · "] if links else []) + [external_link(url, title)]
    line = [html.Strong(_("Source:")), " ", *links, " · ", _("Sample:"), " ", html.Span(sample, **data_text),
            " · ", _("Wave:"), " ", wave, *([" · ", confidence] if confidence else [])]
    notes_list = [html.Ul([html.Li(n, **data_text) for n in notes], className="chart-notes")] if notes else []
    return html.Figcaption([*extra, html.P(line, className="chart-source"), *notes_list])


# An embedded chart's frame is the chart's height and this much more: the embed's bar over it, the
# source line and notes under it, the credit line (measured at 390 px wide, where lines wrap most).
EMBED_EXTRA_HEIGHT = 230


def finding_key(finding: view.FindingChart) -> str:
    """A published chart's key in an address (``chart=``): its first finding's id, e.g. ``f19``."""
    return finding.rows[0]["id"]


def gap_key(sample: str) -> str:
    """The well-being gaps chart of one sample's key (``chart=``), e.g. ``wellbeing-psi``."""
    return f"wellbeing-{sample}"


def embeddable(figure: dict, key: str, caption: html.Figcaption) -> html.Figcaption:
    """A published chart's caption with "Embed this chart" at its end."""
    title = chart_table(figure)["caption"]
    caption.children = [*caption.children, chart_embed(key, title, figure["layout"]["height"] + EMBED_EXTRA_HEIGHT)]
    return caption


def publishedchart(finding: view.FindingChart, embed: bool = True) -> html.Figure:
    """A published chart, with its "Embed this chart" (``embed``), or alone (an embed's chart, drawn at once)."""
    c = view.chart_caption(finding)
    figure = view.finding_figure(finding)
    caption = _caption(c["sample"], c["wave"], c["confidence"], c["sources"], c["notes"], text_lang=vocabulary.DATA_LANG)
    return chart(figure, f"atlas-finding-{finding.key}",
                 embeddable(figure, finding_key(finding), caption) if embed else caption, at_once=not embed)


def listed_finding(f: dict) -> html.Div:
    """An ambiguous finding, as printed: never drawn."""
    return html.Div([
        html.P([html.Strong(f["question"], lang=vocabulary.DATA_LANG)]),
        html.P([_("As printed: "), html.Span(f["answer"], lang=vocabulary.DATA_LANG)]),
        html.P([view.confidence_label(f["confidence"]),
                *([" — ", html.Span(f["note"], lang=vocabulary.DATA_LANG)] if f["note"] else [])]),
        html.P([_("Sample: {sample} · Wave: {wave} · Source: ", sample=f["sample"], wave=f["wave"]),
                external_link(f["source_url"], f["source_title"])], className="chart-source"),
    ], className="listed-finding")


def published_sections(findings: list[dict]) -> list[html.Section]:
    charts, listed = view.finding_charts(findings), view.listed_findings(findings)
    sections = []
    for group in view.GROUPS:
        mine = [publishedchart(c) for c in charts if c.group == group]
        shown = [listed_finding(f) for f in listed if view.group_of(f["topic"]) == group]
        if not (mine or shown):
            continue
        if shown:
            shown.insert(0, html.H3(_("Printed in the source, not charted"), className="listed-title"))
        sections.append(html.Section([html.H2(view.group_title(group)), *mine, *shown],
                                     id=ids.findings_group_id(group), className="findings-group"))
    return sections


def gap_chart(sample: str, rows: list[dict], embed: bool = True) -> html.Figure:
    notes = [f"{g['indicator']} ({g['group_a']} vs {g['group_b']}): {g['sample_note']}" for g in rows
             if g["sample_note"]]
    figure = view.gap_figure(sample, rows)
    caption = _caption(view.gap_sample_text(sample), view.gap_wave_text(sample), None, view.sources(rows), notes)
    return chart(figure, f"atlas-wellbeing-{sample}", embeddable(figure, gap_key(sample), caption) if embed else caption,
                 at_once=not embed)


def chart_by_key(key: str | None) -> html.Figure | None:
    """One published chart of the page by key (an embed's ``chart=``): the chart holding a finding
    (its id, e.g. ``f19``), or the well-being gaps of one sample (``wellbeing-psi``,
    ``wellbeing-data-use``); None when there is no such chart."""
    published = data.findings()
    for sample, rows in view.gap_groups(published["wellbeing_gaps"]):
        if key == gap_key(sample):
            return gap_chart(sample, rows, embed=False)
    for finding in view.finding_charts(published["findings"]):
        if any(r["id"] == key for r in finding.rows):
            return publishedchart(finding, embed=False)
    return None


def gaps_section(gaps: list[dict]) -> html.Section:
    charts = [gap_chart(sample, rows) for sample, rows in view.gap_groups(gaps)]
    return html.Section([
        html.H2(_("Residents' well-being in high- and low-capacity cities")),
        html.P(_("How much more satisfied residents are, in points, where cities have more innovation capacity or "
                 "data use. Descriptive statistics from the OECD: they show an association, not a cause.")),
        *charts,
    ], id=ids.FINDINGS_WELLBEING, className="findings-group")


def _example_line(examples: list[dict]) -> list:
    """'Example: Bologna (Italy)', each city a link to its page; [] when the atlas has none of them."""
    if not examples:
        return []
    links = []
    for c in examples:
        links += ([", "] if links else []) + [html.A(c["name"], href=c["url"]), f" ({c['country']})"]
    return [ngettext("Example:", "Examples:", len(examples)), " ", *links]


def recommendation_card(rec: dict) -> html.Li:
    example = _example_line(rec["examples"])
    return html.Li([
        html.H4([html.Span(str(rec["number"]), className="recommendation-number"), " ",
                 html.Span(as_printed(rec["title"]), className="recommendation-title")]),
        html.P(rec["summary"], className="recommendation-summary", lang=vocabulary.DATA_LANG),
        html.P([*example, *([" · "] if example else []), _("Source:"), " ", source_link(rec["source"])],
               className="recommendation-meta"),
    ], className="recommendation")


def recommendations_section(groups: list[dict]) -> html.Section:
    n = sum(len(g["recommendations"]) for g in groups)
    return html.Section([
        html.H2(_("Recommendations for cities")),
        html.P(ngettext("The OECD brochure Embracing Local Impact (2021) closes with {count} recommendation for "
                        "building the capacity to innovate and use data, in three layers.",
                        "The OECD brochure Embracing Local Impact (2021) closes with {count} recommendations for "
                        "building the capacity to innovate and use data, in three layers.", n, count=n)),
        html.P(_("Titles as printed; the summaries are the atlas's own words, so read the source for the full text. "
                 "The example is the city the brochure tells the story of."), className="recommendations-note"),
        *[html.Section([
            html.H3(g["title"]),
            html.P(g["text"], className="recommendation-layer-text"),
            html.Ol([recommendation_card(r) for r in g["recommendations"]], className="recommendation-list"),
        ], className="recommendation-layer", **{"data-layer": g["layer"]}) for g in groups],
    ], id=ids.FINDINGS_RECOMMENDATIONS, className="findings-group recommendations")


def _filter_bar(filters, state: dict) -> html.Div:
    return html.Div([
        *[html.Fieldset([
            html.Legend(facet_title(k)),
            dcc.Checklist(id=ids.findings_filter_id(k), options=state["options"][k], value=list(filters[k]),
                          className="facet", inputClassName="facet-input", labelClassName="facet-label"),
        ]) for k in view.PAGE_FACETS],
        html.P([html.Span(str(state["count"]), id=ids.FINDINGS_COUNT), " ", _("cities selected"), " — ",
                html.Span(state["selection"], id=ids.FINDINGS_SELECTION)], className="selection-line"),
        html.P(_("Tiers are the atlas's estimates from published answers unless marked official. Other filters in "
                 "the address (from a map link) apply too."), className="legend-note"),
    ], className="findings-filters")


def live_chart(kind: str, state: dict) -> html.Figure:
    extra = [html.P(state["n"][kind], id=ids.findings_live_n_id(kind), className="live-n")]
    if kind == "facts":
        extra.append(html.Ul([html.Li(line) for line in state["fact_lines"]], id=ids.FINDINGS_FACTS_TEXT))
    caption = _caption(_("the published profiles of the selected cities (n above)"),
                       view.live_wave_text(), _("counted by the atlas from the labels as printed; not an OECD figure"),
                       [(_("OECD Innovation Capacity in Cities: city profiles"), view.PROFILES_SITE)], extra=extra)
    return chart(state["figures"][kind], f"atlas-profiles-{kind}", caption, chart_id=ids.findings_live_id(kind),
                 table_id=ids.findings_live_table_id(kind))


def live_section(filters, state: dict) -> html.Section:
    return html.Section([
        html.H2(_("What the published city profiles say")),
        html.P(_("Counted live by the atlas from the answers on each city's OECD profile, for the cities you select. "
                 "Many profiles leave answers out, so each chart gives its n.")),
        _filter_bar(filters, state),
        *[live_chart(kind, state) for kind in view.LIVE_CHARTS],
    ], id=ids.FINDINGS_LIVE, className="findings-group")


def contents(sections: list[html.Section]) -> html.Nav:
    """Links to the page's sections, each named by its heading: beside the sections on a wide
    screen, a strip over them on a phone, always in view (assets/atlas_contents.js marks the
    section being read)."""
    return html.Nav([
        html.H2(_("On this page"), className="contents-title"),
        html.Ul([html.Li(html.A(s.children[0].children, href="#" + s.id)) for s in sections]),
    ], id=ids.FINDINGS_CONTENTS, className="findings-contents page-contents", **{"aria-label": _("On this page")})


def layout(**query):
    if urls.is_embed(query):
        params = urls.parameters(query)
        key = urls.chart_key(params.get("chart"))
        chart = chart_by_key(key) if key else None
        if chart is not None:
            return embed_frame(html.Div(chart, className="prose findings-page"), urls.FINDINGS_PATH, query,
                               _("Survey findings"), "embed-chart")
        return embed_frame(findings_page(query), urls.FINDINGS_PATH, query, _("Survey findings"), "embed-findings")
    return findings_page(query)


def page_sections(query: dict) -> list[html.Section]:
    """The page's sections as components: the published charts by topic, the well-being gaps and
    the recommendations, which no callback changes, then the live charts of the selection, last."""
    filters = data.read_filters(query)
    published = data.findings()
    return [*published_sections(published["findings"]), gaps_section(published["wellbeing_gaps"]),
            recommendations_section(view.recommendations()), live_section(filters, view.live_state(filters))]


def findings_page(query: dict) -> html.Article:
    sections = page_sections(query)
    return html.Article([
        dcc.Location(id=ids.FINDINGS_URL, refresh=False),
        *findings_head(),
        html.Div([contents(sections), html.Div(sections, className="findings-body")], className="findings-layout"),
    ], className=PAGE_CLASS)


def findings_head() -> list:
    """The page's heading, introduction and the samples caveat."""
    return [
        html.H1(_("Survey findings")),
        html.P(_("What the OECD / Bloomberg Philanthropies survey of city governments (2018 and 2020) found, as the "
                 "OECD published it. Values marked approximate were read from a chart; values printed without saying "
                 "which answer they belong to are listed, never drawn. Use the camera button of a chart to download "
                 "it as PNG, with its source.")),
        html.P([html.Strong(_("Before comparing figures:")), " ", view.samples_caveat()], className="caveat",
               id=ids.FINDINGS_CAVEAT),
    ]


@callback(
    Output(ids.FINDINGS_URL, "search"),
    Output(ids.FINDINGS_COUNT, "children"),
    Output(ids.FINDINGS_SELECTION, "children"),
    Output(ids.FINDINGS_FACTS_TEXT, "children"),
    *[Output(ids.findings_filter_id(k), "options") for k in view.PAGE_FACETS],
    *[Output(ids.findings_live_id(k), "data-figure") for k in view.LIVE_CHARTS],
    *[Output(ids.findings_live_table_id(k), "children") for k in view.LIVE_CHARTS],
    *[Output(ids.findings_live_n_id(k), "children") for k in view.LIVE_CHARTS],
    *[Input(ids.findings_filter_id(k), "value") for k in view.PAGE_FACETS],
    State(ids.FINDINGS_URL, "search"),
    prevent_initial_call=True,
)
def update_live(*args):
    *values, search = args
    values = [v if isinstance(v, list) else [] for v in values]  # a request may send anything
    filters = view.page_filters(search, dict(zip(view.PAGE_FACETS, values)))
    state = view.live_state(filters)
    return (view.page_search(filters, search), str(state["count"]), state["selection"],
            [html.Li(line) for line in state["fact_lines"]],
            *[state["options"][k] for k in view.PAGE_FACETS],
            *[figure_json(state["figures"][k]) for k in view.LIVE_CHARTS],
            *[data_table(state["figures"][k]) for k in view.LIVE_CHARTS],
            *[state["n"][k] for k in view.LIVE_CHARTS])
