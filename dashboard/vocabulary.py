"""Every word the atlas shows about its data, in one place, through the translation layer.

Facet titles and values, the tier and score wording, yes / no / "not published",
counts with their plural forms, and page titles. Views, page components and
the map's tooltips (through ``map_labels``) take their words from here; a word
is written once. Functions, not constants: the words follow the request's
language (``dashboard.i18n``).
"""
from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from dashboard import data
from dashboard.facets import FACET_BY_KEY, Filters, search_key
from dashboard.i18n import SOURCE_LANG, _, current_lang, language, ngettext, number, semicolon, territory_names

APP_NAME = "City Innovation Atlas"
# The language the data's own text is written in (profile labels as printed, descriptions of COVID-19
# responses and case studies, notes, findings as the OECD printed them): it stays as written, and
# pages mark it with this ``lang`` where they show it inside a page in another language.
DATA_LANG = "en"


def not_published() -> str:
    return _("Not published")


def yes_no(value: bool | None) -> str:
    """A published yes/no answer; None: not published."""
    return not_published() if value is None else (_("Yes") if value else _("No"))


def estimate_kind(source: str | None) -> str:
    """Where a score comes from, in a word: "official" or "estimate"."""
    return _("official") if source == "official" else _("estimate")


# ------------------------------------------------------------------ facets

def facet_title(key: str) -> str:
    return {
        "region": _("World region"), "tier": _("Innovation-capacity tier"), "covid": _("COVID-19 response"),
        "country": _("Country"), "wave": _("Survey wave"), "pop": _("Population (GeoNames)"),
        "strategy": _("Explicit innovation strategy"), "funding": _("Dedicated innovation funding"),
        "team": _("Innovation team"), "confirmed": _("Survey participation"), "policy": _("Policy area"),
        "role": _("Innovation role"), "activity": _("Innovation activity"),
    }[key]


def _facet_words() -> dict[str, dict[str, str]]:
    yes_no_words = {"yes": _("Yes"), "no": _("No"), "unknown": not_published()}
    listed = {"other": _("Other (as printed on the profile)"), "unknown": not_published()}
    return {
        "region": {"north-america": _("North America"), "latin-america": _("Latin America"), "europe": _("Europe"),
                   "middle-east": _("Middle East"), "africa": _("Africa"), "asia": _("Asia"),
                   "oceania": _("Oceania")},
        "tier": {"high": _("High"), "low": _("Low"), "unknown": not_published()},
        "covid": {"situational-awareness": _("Situational awareness and prevention"),
                  "inclusive-social": _("Inclusive social programmes"), "co-creation": _("Co-creating solutions"),
                  "recovery-resilience": _("Recovery and resilience")},
        "pop": {"lt100k": _("Under 100,000"), "100k-500k": _("100,000 to 500,000"),
                "500k-1m": _("500,000 to 1 million"), "1m-5m": _("1 to 5 million"), "gt5m": _("Over 5 million"),
                "unknown": _("Not known")},
        "strategy": yes_no_words, "funding": yes_no_words, "team": yes_no_words,
        "confirmed": {"yes": _("Confirmed survey respondent"), "no": _("Brochure example, not confirmed")},
        "policy": {
            "economic-development": _("Economic development"), "digital-governance": _("Digital governance"),
            "transport-mobility": _("Transport and mobility"),
            "environment-climate": _("Environment and climate change"),
            "social-welfare": _("Social welfare and social services"),
            "social-inclusion": _("Social inclusion and equity"), "policing": _("Policing and law enforcement"),
            "public-safety": _("Public safety"), "education": _("Education"), "housing": _("Housing"),
            "public-works": _("Public works"), "health": _("Health"), "resilience": _("City resilience"),
            "emergency-preparedness": _("Emergency preparedness"), "citizen-engagement": _("Citizen engagement"),
            "urban-regeneration": _("Urban regeneration"), "digital-services": _("Digital services"),
            "connectivity": _("Connectivity"), "data-driven-decisions": _("Data-driven decision-making"),
            "internal-innovation": _("Internal innovation"), "future-of-work": _("Future of work"),
            "inclusive-growth": _("Inclusive growth"), "waste": _("Waste"),
            "no-priority": _("Does not prioritise policy sectors"), **listed},
        "role": {
            "project-manager": _("Project manager"), "data-scientist": _("Data scientist or data specialist"),
            "community-engagement": _("Community engagement staff"), "communication": _("Communication officer"),
            "designer": _("Designer"), "engineer": _("Engineer"), "sociologist": _("Sociologist"),
            "architect": _("Architect"), "urban-planner": _("Urban planner"),
            "health-professional": _("Health professional"), "business-analyst": _("Business analyst"),
            "computer-scientist": _("Computer scientist"), "open-data-advisor": _("Open data advisor"),
            "psychologist": _("Industrial and organisational psychologist"), **listed},
        "activity": {
            "risk-taking": _("Taking risks and testing new ideas"),
            "data-analytics": _("Data-driven analytics and public data management"),
            "resident-engagement": _("Engaging residents in new ways"),
            "digital-solutions": _("New solutions based on digital technologies"),
            "organisational-change": _("Organisational change within the municipality"),
            "human-centred-design": _("Human-centred design"),
            "financing-partnerships": _("Rethinking financing and partnerships"), **listed},
    }


def profile_list_words(key: str) -> dict[str, str]:
    """Words for the answers of the profile lists that are not facets: ``aims`` (what innovation is
    helping to do), ``factors`` (critical success factors), ``terms`` (terms most associated with
    innovation), by the codes of ``dashboard/views/self_assessment.py``."""
    return {
        "aims": {"service-delivery": _("Improve service delivery"),
                 "internal-operations": _("Improve internal government operations"),
                 "future-challenges": _("Anticipate and manage future challenges"),
                 "simplify-procedures": _("Simplify administrative procedures for firms and residents"),
                 "resident-outcomes": _("Improve resident outcomes"),
                 "save-costs": _("Save costs and improve efficiency within the public sector"),
                 "new-revenue": _("Generate new sources of revenue"),
                 "engage-residents": _("Engage residents and other stakeholders"),
                 "current-obligations": _("Service current obligations")},
        "factors": {"mayor-leadership": _("Leadership from Mayor"),
                    "innovation-team": _("Dedicated innovation team"), "funding": _("Dedicated funding"),
                    "culture": _("Culture of innovation in city"), "measurement": _("Focus on measurement"),
                    "outside-support": _("Support from outside city administration"),
                    "partners": _("Engagement with partners"), "human-resources": _("Human resource support")},
        "terms": {"data-analytics": _("Data analytics"), "human-centred-design": _("Human-centred design"),
                  "experimentation": _("Experimentation"), "technological-innovation": _("Technological innovation"),
                  "big-picture": _("Big picture re-thinking"), "resident-engagement": _("Resident engagement"),
                  "bold-leadership": _("Bold leadership"), "behavioural-economics": _("Behavioural economics"),
                  "hierarchy-busting": _("Hierarchy-busting")},
    }[key]


def value_words(key: str) -> dict[str, str]:
    """The words for each value of a facet in the request's language (countries: their names
    from the store). Built once per language and data version; do not change the dict you get."""
    return _value_words(key, current_lang(), data.version())


@lru_cache(maxsize=256)
def _value_words(key: str, lang: str, data_version: str) -> dict[str, str]:
    # lang and data_version only key the cache: the words follow the request's language
    if key == "country":
        names = {c["iso3"]: country_name(c["country"], c["iso3"]) for c in data.countries()}
        return dict(sorted(names.items(), key=lambda item: (search_key(item[1]), item[0])))  # by name, as read
    if key == "wave":  # the years of the data, as written, then "unknown" (data.facet_values)
        return {w: wave_word(w) for w in data.facet_values("wave")}
    return _facet_words()[key]


def wave_word(wave: str) -> str:
    """A survey wave in words: its year, or "Not stated"."""
    return _("Not stated") if wave == "unknown" else wave


def country_name(written: str, iso3: str | None = None) -> str:
    """A country's name in the request's language: as the data writes it (``written``, the
    English short name) in English, else Babel's (CLDR) name for its ISO3 code (``iso3``, else
    the code the data gives that name), else as written."""
    lang = current_lang()
    if lang == SOURCE_LANG or not written:
        return written
    code = iso3 or _country_codes(data.version()).get(written)
    return territory_names(lang).get(code, written) if code else written


@lru_cache(maxsize=4)
def _country_codes(data_version: str) -> dict[str, str]:
    # data_version only keys the cache: each country name the data writes, with its ISO3 code
    return {c["country"]: c["iso3"] for c in data.world_countries()}


def city_country(city: dict) -> str:
    """A city's country (a store row with ``country`` and ``iso3``) in the request's language."""
    return country_name(city["country"], city.get("iso3"))


def country_names() -> dict[str, str]:
    """Every country's name in the request's language by ISO3 code, for the browser (the map's
    tooltips and country labels); empty in English, where the data's own names are shown."""
    if current_lang() == SOURCE_LANG:
        return {}
    return {c["iso3"]: country_name(c["country"], c["iso3"]) for c in data.world_countries()}


def value_label(key: str, value: str) -> str:
    return value_words(key).get(value, value)


def printed(label: str) -> tuple[str, str | None]:
    """A label as the data prints it (a profile's list, a survey answer, a recommendation's title) for
    a page in the request's language: ``(word, None)`` when the label is exactly the atlas's English
    word for a facet value, yes / no / other or a recommendation title (the word in the page's language),
    else ``(label, DATA_LANG)``: the label as printed, to be marked with the language it is written in."""
    lang = current_lang()
    if lang == DATA_LANG:
        return label, None
    word = _printed_words(lang).get(label)
    return (word, None) if word else (label, DATA_LANG)


@lru_cache(maxsize=8)
def _printed_words(lang: str) -> dict[str, str]:
    with language(SOURCE_LANG):
        english = _facet_words()
        english_yes_no = (_("Yes"), _("No"), _("Other"), *_recommendation_titles())
    with language(lang):
        words = _facet_words()
        yes_no_words = (_("Yes"), _("No"), _("Other"), *_recommendation_titles())
    out = dict(zip(english_yes_no, yes_no_words))
    for key, values in english.items():
        for value, word in values.items():
            if value not in ("other", "unknown"):  # not labels a source prints
                out.setdefault(word, words[key][value])
    return out


def facet_values(key: str) -> tuple[str, ...]:
    """A facet's values in display order (countries: every country of the store, by name; survey waves:
    the store's years, then "unknown")."""
    facet = FACET_BY_KEY[key]
    return facet.values or tuple(value_words(key))


def filters_in_words(filters: Filters) -> str:
    """The active filters as a sentence, e.g. "World region: Europe; Innovation-capacity tier: High";
    "" when none is active."""
    return semicolon().join(_("{title}: {values}", title=facet_title(key), values=", ".join(value_label(key, v) for v in values))
                     for key, values in filters.items())


# ------------------------------------------------------------------ scores

def tier_label(tier: str, source: str | None, score: float | None = None) -> str:
    """A city's innovation-capacity tier in words, with its score when given: "Innovation capacity: high
    (estimate)", "Innovation capacity: high, 7.5 of 10 (official OECD score)"."""
    if tier == "unknown":
        return _("Innovation capacity: not published")
    name = _("high") if tier == "high" else _("low")
    kind = _("official OECD score") if source == "official" else _("estimate")
    if score is None:
        return _("Innovation capacity: {tier} ({kind})", tier=name, kind=kind)
    return _("Innovation capacity: {tier}, {score} of 10 ({kind})", tier=name, score=number(score, 1), kind=kind)


def points_of(points: int, maximum: int) -> str:
    """A component's points: "1 of 2 points"; the plural follows the points ("1 point sur 2")."""
    return ngettext("{points} of {max} points", "{points} of {max} points", points, points=number(points),
                    max=number(maximum))


def tier_words(tier: str, source: str | None) -> str:
    """'High (estimate)', 'Low (official)', 'Not published'."""
    if tier == "unknown":
        return not_published()
    return labelled(value_label("tier", tier), source)


def labelled(value: str, source: str | None) -> str:
    """A value with where it comes from: "7.5 (estimate)"."""
    return _("{value} ({kind})", value=value, kind=estimate_kind(source))


def unconfirmed() -> str:
    return _("Survey participation not confirmed")


def survey_source() -> str:
    """The survey the atlas's facts come from, as a citation names it."""
    return _("OECD / Bloomberg Philanthropies, survey of innovation capacity in city governments (2018, 2020), "
             "and the sources cited on each page")


def map_attribution() -> str:
    """The credits on every map (GeoNames asks for CC BY attribution)."""
    return _("Leaflet | Borders: Natural Earth | City points: GeoNames (CC BY 4.0)")


def credits() -> str:
    """Where the atlas's data come from, in one line (every page's footer, every embed)."""
    return _("City data: GeoNames (CC BY 4.0). Borders: Natural Earth (public domain). "
             "Survey facts: OECD / Bloomberg Philanthropies, with sources on every page.")


def map_labels() -> dict:
    """The words the map's tooltips need in the browser (the point table itself has none)."""
    tiers = {f"{t}/{s}": tier_label(t, s) for t in ("high", "low") for s in ("estimate", "official")}
    return {"tier": tiers | {"unknown/estimate": tier_label("unknown", None),
                             "unknown/official": tier_label("unknown", None)},
            "unconfirmed": unconfirmed(), "countries": country_names()}


def source_uses(used_for: str) -> str:
    """What a source address is cited for, in words ("city list, COVID-19 responses"): the store
    names the tables citing it (``Store.source_urls``)."""
    words = {"city list": _("city list"), "city profiles": _("city profiles"),
             "COVID-19 responses": _("COVID-19 responses"), "case studies": _("case studies"),
             "survey findings": _("survey findings"), "well-being gaps": _("well-being gaps"),
             "recommendations": _("recommendations"), "What Works Cities": _("What Works Cities")}
    return ", ".join(words.get(part, part) for part in used_for.split(", "))


# ------------------------------------------------------------------ recommendations

def _recommendation_titles() -> tuple[str, ...]:
    """The titles of the brochure's ten recommendations as ``data/recommendations.csv`` prints them,
    through the catalogue: a title printed so is shown in the page's language (``printed``); a
    title the data changes is shown as printed until its words are here."""
    return (_("Gather innovation from an array of city stakeholders: leadership, staff and residents"),
            _("Nurture a culture of innovation throughout the city, so it becomes second nature"),
            _("Create a formal, publicly shared innovation strategy with measurable goals"),
            _("Plug innovation staff into the larger administration for maximum impact"),
            _("Focus on stable, long-term funding to protect against short-term shifts"),
            _("Leverage data use for decision-making and evaluating outcomes"),
            _("Establish a data strategy that defines roles, goals and expectations"),
            _("Cultivate the capacity for coherent implementation of data strategies"),
            _("Establish a well-defined legal and regulatory data framework"),
            _("Meet high data-management standards during daily operations"))


def recommendation_layer(layer: str) -> str:
    """The name of one layer of the brochure's ten recommendations (``data/recommendations.csv``)."""
    return {"meta-capacities": _("Meta-capacities"), "components": _("Components"), "tools": _("Tools")}[layer]


# ------------------------------------------------------------------ counts

def cities(n: int) -> str:
    """"1 city", "23 cities"."""
    return ngettext("{count} city", "{count} cities", n, count=number(n))


def cities_shown(n: int) -> str:
    """The map's count line: "1 city shown", "23 cities shown"."""
    return ngettext("{count} city shown", "{count} cities shown", n, count=number(n))


def plural_forms(say: Callable[[int], str]) -> dict:
    """A count's wording as data for the browser, in the request's language: ``say`` is one of
    the count functions above (``cities_shown``); ``forms`` its texts with ``{count}`` where the
    number goes, ``index`` which form a count takes: ``index[n]`` below 200, else
    ``index[100 + n % 100]`` (gettext's plural rules read n, n % 10 and n % 100)."""
    return _plural_forms(say, current_lang())


@lru_cache(maxsize=16)
def _plural_forms(say: Callable[[int], str], lang: str) -> dict:
    forms: list[str] = []
    index = []
    for n in range(200):
        text = say(n).replace(number(n), "{count}", 1)
        if text not in forms:
            forms.append(text)
        index.append(forms.index(text))
    return {"forms": forms, "index": index}


def of_cities(n: int, total: int) -> str:
    return ngettext("{count} of {total} city", "{count} of {total} cities", total, count=number(n),
                    total=number(total))


# ------------------------------------------------------------------ pages

def page_description(page: str, name: str | None = None, country: str | None = None) -> str:
    """A page's summary for search engines and link previews (``<meta name=description>``, Open
    Graph); ``name`` and ``country`` for a city."""
    if page == "city" and name:
        return _("{city} ({country}): its innovation capacity, survey answers and COVID-19 responses in the City "
                 "Innovation Atlas, each with its source.", city=name, country=country or "")
    words = {
        "map": _("A map of city governments' innovation capacity from the OECD / Bloomberg Philanthropies survey: "
                 "filter the cities by region, score tier, COVID-19 response, strategy, team and funding."),
        "table": _("Every city of the atlas in one table: innovation-capacity scores, tiers and survey answers, "
                   "to sort, filter and download as CSV."),
        "compare": _("Compare cities' innovation capacity side by side: scores, survey answers and COVID-19 "
                     "responses, each with its source."),
        "findings": _("What the OECD / Bloomberg Philanthropies survey found about city governments' innovation "
                      "capacity, chart by chart, with its sources."),
        "about": _("The City Innovation Atlas's sources, licences and how its innovation-capacity estimate is "
                   "worked out."),
        "self-assessment": _("Answer the survey's questions for your city and see the innovation-capacity estimate "
                             "the atlas would give it."),
    }
    return words.get(page, words["map"])


def page_title(page: str, name: str | None = None) -> str:
    """The browser tab's title of a page ("Table - City Innovation Atlas"); ``name`` for a city."""
    words = {"map": None, "table": _("Table"), "compare": _("Compare cities"), "findings": _("Survey findings"),
             "about": _("About the data"), "self-assessment": _("Assess your city"), "city": name,
             "city-not-found": _("City not found"), "not-found": _("Page not found")}
    atlas = _("City Innovation Atlas")
    part = words[page]
    return _("{page} - {atlas}", page=part, atlas=atlas) if part else atlas
