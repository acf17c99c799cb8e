"""One page per city (``/city/<city_id>``): every published fact with its source."""
import dash
import dash_leaflet as dl
from dash import Input, Output, callback, dcc, html, no_update

from dashboard import config, data, ids, urls, vocabulary
from dashboard.ui.components import bar, external_link, source_link
from dashboard.ui.embed import embed_frame
from dashboard.ui.first_view import page_html, top
from dashboard.ui.share import share_tools
from dashboard.i18n import _
from dashboard.ui.components import as_printed, bar, external_link, source_link
from dashboard.i18n import _, colon, decimal
from dashboard.vocabulary import DATA_LANG
from dashboard.views import city_view
from layers import ON_USE
from layers.cities import city_marker_layer
from layers.countries import attribution, countries_layer, tile_layer

PATH_TEMPLATE = "/city/<city_id>"


def first_view(query, city_id=None) -> str:
    """The city's name, facts, actions and score as HTML before any script runs (app.py ``first_paint``);
    the mini map's place is kept, empty."""
    page = city_view.city_page(city_id) if isinstance(city_id, str) else None
    if page is None or urls.is_embed(query):
        return ""
    return page_html(top(city_layout(page), TOP_BLOCKS))


# the city's header, its actions and the score with the mini map: what fills a first screen
TOP_BLOCKS = 3
# the mini map's library (app.ON_DEMAND_LIBRARIES) loads on use, when the map nears the window
# (assets/atlas_city.js): a phone reading the top of the page never starts Leaflet
dash.register_page(__name__, path_template=PATH_TEMPLATE, title=city_view.page_title, name="City",
                   exists=lambda city_id: data.known_city(city_id) is not None, first_view=first_view,
                   in_frame=True, on_use=ON_USE)

MINI_MAP_ZOOM = 4


def _cited(*children, source: dict | None = None) -> list:
    link = source_link(source)
    return [*children, " ", html.Span(["(", link, ")"], className="source")] if link else list(children)


def fact_list(facts: list[dict]) -> html.Dl:
    rows = []
    for f in facts:
        value = external_link(f["href"], f["value"]) if f["href"] else f["value"]
        if f.get("value_lang"):
            value = html.Span(value, lang=f["value_lang"])
        dd = _cited(value, source=f["source"])
        if f["note"]:
            note_lang = {"lang": f["note_lang"]} if f.get("note_lang") else {}
            dd.append(html.Div(f["note"], className="fact-note", **note_lang))
        rows.append(html.Div([html.Dt(f["label"]), html.Dd(dd)], className="fact"))
    return html.Dl(rows, className="facts")


def criterion_item(k: dict) -> html.Li:
    if not k["counted"]:
        return html.Li([html.Span("–", className="criterion-points"), " ", k["text"], colon(), html.Em(k["answer"]),
                        " (", html.Strong(_("not counted"), className="not-published"), ")"],
                       className="criterion not-counted")
    return html.Li([html.Span(("+" if k["met"] else "") + str(k["points"]), className="criterion-points"),
                    " ", k["text"], colon(), html.Em(k["answer"])],
                   className="criterion met" if k["met"] else "criterion")


def component_block(c: dict) -> html.Li:
    head = html.Div([html.Span(c["name"], className="component-name"), html.Span(c["text"], className="component-points")],
                    className="component-head")
    criteria = html.Ul([criterion_item(k) for k in c["criteria"]], className="criteria")
    if not c["answered"]:
        return html.Li([head, html.P(c["reason"], className="fact-note"), criteria], className="component unanswered")
    return html.Li([head, bar(c["points"], c["max"], c["text"]), criteria], className="component")


def score_section(s: dict, profile_source: dict | None) -> html.Section:
    body = [html.H2(_("Innovation capacity")), html.P(html.Strong(s["tier_text"]), className="tier-words")]
    if s["value"] is not None:
        body += [html.P([html.Span(decimal(s["value"]), className="score-value"), " / 10"], className="score-line"),
                 bar(s["value"], 10, f"{decimal(s['value'])} / 10")]
    label = _cited(s["label"], source=s["source"])
    if s["kind"] != "official":
        label += [". ", html.A(_("How the estimate is computed"), href=urls.about_url("method"))]
    body.append(html.P(label, className="score-provenance"))
    if s["components"]:
        body += [html.H3(_("The five components, from the published answers")),
                 html.Ol([component_block(c) for c in s["components"]], className="components"),
                 html.P(_cited(_("Answers from the city's profile."), source=profile_source), className="fact-note")
                 if profile_source else None]
    data_use = (_("{value} of 38 (official)", value=decimal(s["data_use"])) if s["data_use"] is not None
                else _("Not published: the OECD has not released per-city values, and the atlas makes no estimate."))
    body.append(html.P([html.Strong(_("Data-use index: ")), data_use], className="data-use"))
    return html.Section(body, id=ids.CITY_SCORE, className=f"score score-{s['kind']}")


def item_list(items: list[dict], ordered: bool = False):
    tag = html.Ol if ordered else html.Ul
    return tag([html.Li([as_printed(i["text"]),
                         *([" ", html.Span(f"({i['note']})", className="label-note")] if i["note"] else [])])
                for i in items])


def profile_section(sec: dict) -> html.Section:
    body = [html.H2(sec["title"])]
    if sec["empty"]:
        body.append(html.P(sec["empty"], className="not-published"))
    else:
        if sec["facts"]:
            body.append(html.Dl([html.Div([html.Dt(k), html.Dd(v)], className="fact") for k, v in sec["facts"]],
                                className="facts"))
        if sec["items"]:
            if sec.get("items_title"):
                body.append(html.H3(sec["items_title"]))
            body.append(item_list(sec["items"], sec.get("ordered", False)))
        if sec["note"]:
            body.append(html.P(sec["note"], className="fact-note"))
        body.append(html.P(_cited(_("Source:"), source=sec["source"]), className="section-source"))
    return html.Section(body, className=f"profile-section section-{sec['key']}")


def cited_entry(title: str, text: str, meta: list, source: dict, level: int) -> html.Li:
    """A case study or a COVID-19 response: its title and description are data, written in English.
    ``level``: its title's heading level, one below the section's."""
    heading = {3: html.H3, 5: html.H5}[level]
    return html.Li([heading(title, lang=DATA_LANG, className="entry-title"), html.P(text, lang=DATA_LANG),
                    html.P(_cited(*meta, source=source), className="section-source")], className="entry")


def case_studies_section(rows: list[dict]) -> html.Section:
    body = [html.H2(_("Spotlight and case studies"))]
    if not rows:
        body.append(html.P(_("Not published: no example from this city is in the atlas's sources."),
                           className="not-published"))
    else:
        body.append(html.Ul([cited_entry(c["title"], c["text"], [
            _("Theme: {theme}", theme=c["theme"]),
            *([". ", _("COVID-19 response: {categories}", categories=", ".join(c["covid"]))] if c["covid"] else []),
        ], c["source"], level=3) for c in rows], className="entries"))
    return html.Section(body, className="profile-section section-case-studies")


def covid_section(groups: list[dict]) -> html.Section:
    body = [html.H2(_("COVID-19 responses"))]
    if not groups:
        body.append(html.P(_("Not published: no COVID-19 response of this city is in the atlas's sources."),
                           className="not-published"))
    for g in groups:
        body.append(html.H3(g["title"]))
        for cat in g["categories"]:
            body += [html.H4(cat["title"], className="covid-category"),
                     html.Ul([cited_entry(r["title"], r["text"],
                                          [html.Span(r["when"], lang=DATA_LANG) if r["when"] else _("Date not stated")],
                                          r["source"], level=5)
                              for r in cat["responses"]], className="entries")]
    body.append(html.P(_("Categories follow the OECD brochure Embracing Local Impact (2021) and were assigned by the "
                         "atlas's research team; most sources are not OECD publications."), className="fact-note"))
    return html.Section(body, className="profile-section section-covid")


def wwc_section(rows: list[dict]) -> html.Section:
    body = [html.H2(_("What Works Cities certification"))]
    if not rows:
        body.append(html.P(_("None known from public sources."), className="not-published"))
    else:
        body.append(html.Ul([html.Li(_cited(w["level"], *([f" ({w['year']})"] if w["year"] else []),
                                            *([". ", html.Span(w["notes"], lang=DATA_LANG)] if w["notes"] else []),
                                            source=w["source"]))
                             for w in rows]))
    return html.Section(body, className="profile-section section-wwc")


def similar_section(name: str, rows: list[dict]) -> html.Section:
    body = [html.H2(_("Similar cities")),
            html.P(_("Cities whose published profile answers overlap most with {city}'s: listed roles, policy areas, "
                     "success factors, aims, terms and activities, and the strategy, approach, team and funding "
                     "answers. Counts are of {city}'s answers. Similar answers, not similar performance.", city=name),
                   className="fact-note")]
    if not rows:
        body.append(html.P(_("Not published: the city has no profile answers to compare."), className="not-published"))
    else:
        body.append(html.Ol([html.Li([dcc.Link(r["name"], href=urls.city_url(r["id"])), f", {r['country']}",
                                      html.Span(f" · {r['tier_text']}", className="similar-tier"),
                                      html.Div(r["why"], className="similar-why")]) for r in rows]))
    return html.Section(body, id=ids.CITY_SIMILAR, className="profile-section section-similar")


def mini_map_slot(city: dict) -> html.Div:
    """The mini map's place: empty until it nears the window, when assets/atlas_city.js sets
    ``CITY_MAP_NEAR`` to the city's id and ``draw_mini_map`` fills it (its script, its borders and its
    drawing then cost nothing to a visitor reading the top of the page on a phone)."""
    return html.Div([dcc.Store(id=ids.CITY_MAP_NEAR)], id=ids.CITY_MAP_SLOT, className="mini-map",
                    **{"data-city": city["id"]})


@callback(Output(ids.CITY_MAP_SLOT, "children"), Input(ids.CITY_MAP_NEAR, "data"), prevent_initial_call=True)
def draw_mini_map(city_id):
    city = data.city(data.known_city(city_id)) if isinstance(city_id, str) else None
    return [dcc.Store(id=ids.CITY_MAP_NEAR, data=city_id), mini_map(city)] if city else no_update


def mini_map(city: dict) -> dl.Map:
    tiles = config.load().tile_url
    return dl.Map([
        *([tile_layer(tiles)] if tiles else []),
        countries_layer(ids.CITY_MAP_COUNTRIES, urls.countries_url(data.borders_version())),
        city_marker_layer(ids.CITY_MAP_MARKER, city, vocabulary.map_labels()),
        attribution(vocabulary.map_attribution()),
    ], id=ids.CITY_MAP, center=[city["lat"], city["lon"]], zoom=MINI_MAP_ZOOM, minZoom=urls.MIN_ZOOM,
        scrollWheelZoom=False, attributionControl=False, style={"height": "100%", "width": "100%"})


def actions(links: dict, city_name: str) -> html.Nav:
    return html.Nav([
        dcc.Link(_("Show on the map"), href=links["map"], className="button"),
        # a plain link: the browser adds the cities already being compared (assets/atlas_map.js)
        html.A(_("Compare with…"), href=links["compare"], className="button", **{"data-compare-add": links["id"]}),
        html.A(_("Download this profile as JSON"), href=links["json"], className="button", download=""),
        html.A(_("Present this city"), href=urls.present_url(city=links["id"]), className="button"),
        share_tools(city_name, urls.city_url(links["id"]), embed="city"),
    ], id=ids.CITY_ACTIONS, className="actions", **{"aria-label": _("City actions")})


def city_layout(page: dict) -> html.Article:
    city = page["city"]
    note = page["profile_note"]
    return html.Article([
        html.Header([
            html.H1(city["name"]),
            html.P(page["subtitle"], className="subtitle"),
            fact_list(page["facts"]),
        ], className="city-header"),
        actions(page["links"], city["name"]),
        html.Div([score_section(page["score"], page["profile_source"]), mini_map_slot(city)], className="city-top"),
        html.Div([
            html.P(_cited(_("The answers below are published on the city's OECD profile."),
                          source=page["profile_source"]), className="section-source profile-answers-source")
            if page["profile_source"] else None,
            *[profile_section(s) for s in page["sections"]],
        ], className="profile-answers"),
        html.Div([case_studies_section(page["case_studies"]), covid_section(page["covid"]),
                  wwc_section(page["wwc"])], className="city-stories"),
        similar_section(city["name"], page["similar"]),
        html.Section([
            html.H2(_("About this profile")),
            html.P(_cited(_("Survey answers as published on the city's OECD profile page."),
                          source=page["profile_source"]) if page["profile_source"]
                   else _("The city has no profile on cities-innovation-oecd.com.")),
            html.P([html.Strong(_("Research note: ")), html.Span(note, lang=DATA_LANG)], className="fact-note")
            if note else None,
            html.P([_("Descriptions are written in the atlas's own words; facts and figures are carried over from "
                      "the sources. "), html.A(_("Sources and licences"), href=urls.about_url("sources"))]),
        ], className="profile-section section-about"),
    ], id=ids.CITY_PAGE, className="prose city-page")


def search_list(text: str | None) -> list:
    if not isinstance(text, str) or not text.strip():
        return []
    rows = city_view.search_results(text)
    if not rows:
        return [html.Li(_("No city name contains “{text}”.", text=text.strip()), className="not-published")]
    return [html.Li([dcc.Link(r["name"], href=r["href"]), f", {r['country']}"]) for r in rows]


def not_found_layout(city_id: str | None) -> html.Article:
    text = city_view.search_text_from_id(city_id)
    return html.Article([
        html.H1(_("City not found")),
        html.P(_("The atlas has no city with the id “{id}”. Search by name:", id=city_id or "")),
        html.Label(_("City name"), htmlFor=ids.CITY_LOOKUP, className="search-label"),
        dcc.Input(id=ids.CITY_LOOKUP, type="search", value=text, autoComplete="off", className="search-input",
                  placeholder=_("e.g. Medellín")),
        html.Ul(search_list(text), id=ids.CITY_LOOKUP_RESULTS, className="search-results", **{"aria-live": "polite"}),
        html.P([html.A(_("Go to the map"), href=urls.MAP_PATH), " · ",
                html.A(_("About the data"), href=urls.ABOUT_PATH)]),
    ], className="prose city-not-found")


def layout(city_id=None, **_query):
    # the address's own id wins over a ?city_id= (dashboard/web/guard.py path_first, for every page)
    city_id = city_id if isinstance(city_id, str) else None
    page = city_view.city_page(city_id)
    if page and urls.is_embed(_query):
        return embed_frame(city_layout(page), urls.city_url(page["city"]["id"], lang=None), _query,
                           page["city"]["name"], "embed-city")
    return city_layout(page) if page else not_found_layout(city_id)


@callback(Output(ids.CITY_LOOKUP_RESULTS, "children"), Input(ids.CITY_LOOKUP, "value"), prevent_initial_call=True)
def update_search(text):
    return search_list(text)
