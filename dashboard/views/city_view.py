"""Logic of the city page (``/city/<id>``) as plain functions of the store's data.

Everything here works on the dict ``data.city`` returns (``Store.city``) and
returns plain data (strings, lists, dicts) that the page renders. Only
published values are shown; what the data does not hold is said to be "not
published", never guessed.
"""
from __future__ import annotations

import re
from dashboard import data, urls, vocabulary
from dashboard.store.estimate import (COMPONENT_MAX, COMPONENTS, DATA_ACTIVITY, DATA_TERM, MEASUREMENT_FACTOR,
                                      MIN_ANSWERED, OUTCOMES_AIM, criteria, is_data_role, roles_incomplete)
from dashboard.i18n import _, ngettext, number, semicolon
from dashboard.facets import COVID_CATEGORIES, COVID_HORIZON
from dashboard.store.schema import ITEM_KINDS
from dashboard.vocabulary import DATA_LANG, not_published, points_of, tier_label, value_label, yes_no

GEONAMES_URL = "https://www.geonames.org/{}"
ITEM_COLUMN = {kind: column for column, kind in ITEM_KINDS.items()}  # profile_items.kind -> profiles.csv column
# the profile's lists in the order the city page shows them
LIST_KINDS = ("policy_area", "helping_to", "success_factor", "term", "activity")
SIMILAR_KINDS = ("role", "policy_area", "success_factor", "helping_to", "term", "activity")
SIMILAR_FACTS = ("has_explicit_strategy", "approach", "has_innovation_team", "has_dedicated_funding")
SIMILAR_LIMIT = 5


# ------------------------------------------------------------------- wording

def component_name(key: str) -> str:
    return {"strategy": _("Strategy, goals and approaches"), "organisation": _("Organisation and staff"),
            "funding": _("Funding"), "data": _("Data use"), "evaluation": _("Outcome evaluation")}[key]


def approach_label(value: str | None) -> str:
    return {None: not_published(), "holistic": _("Holistic"), "policy-specific": _("Policy-specific"),
            "both": _("Both holistic and policy-specific")}.get(value, value)


def label_note(label_type: str) -> str | None:
    return {"variant": _("variant of the site's label"), "free-text": _("the city's own words"),
            "cut": _("label cut off on the archived page")}.get(label_type)


def list_title(kind: str, name: str) -> str:
    return {"policy_area": _("Policy areas {city} is focused on", city=name),
            "helping_to": _("Innovation is helping to"),
            "success_factor": _("Critical success factors"),
            "term": _("Terms {city} most associates with innovation", city=name),
            "activity": _("Most common innovation activities (ranked)"),
            "role": _("Innovation roles")}[kind]


def covid_category_label(category: str) -> str:
    return value_label("covid", category)


def horizon_label(horizon: str) -> str:
    return _("Short-term responses") if horizon == "short" else _("Long-term responses")


# --------------------------------------------------------------------- links

def profile_source(city: dict) -> dict | None:
    p = city.get("profile")
    return {"url": p["profile_url"], "title": _("OECD city profile")} if p else None


# ---------------------------------------------------------------- the header

def _fact(label: str, value: str, source: dict | None = None, note: str | None = None, href: str | None = None,
          value_lang: str | None = None, note_lang: str | None = None) -> dict:
    """A header fact; ``value_lang`` / ``note_lang``: the language of a value or note that is the data's
    own text (``vocabulary.DATA_LANG``), to be marked so on a page in another language."""
    return {"label": label, "value": value, "source": source, "note": note, "href": href, "value_lang": value_lang,
            "note_lang": note_lang}


def population_text(n: int | None) -> str:
    return not_published() if n is None else number(n)


def population_cited(city: dict) -> str | None:
    """The population in words with where it comes from, e.g. "377,835 (OECD profile)"; None: not known."""
    if city["population"] is None:
        return None
    if city.get("population_source") == "profile":
        return _("{n} (OECD profile)", n=number(city["population"]))
    if city.get("population_source") == "extract":
        return _("{n} (survey team's extract)", n=number(city["population"]))
    return _("{n} (GeoNames)", n=number(city["population"]))


def population_fact(city: dict, geonames: dict, profile_cite: dict | None) -> dict:
    """The population with its source: GeoNames, the OECD profile where GeoNames has another unit, or an
    ingested extract (the city's source)."""
    source = city.get("population_source")
    if source == "extract":
        return _fact(_("Population"), population_text(city["population"]),
                     {"url": city["source_url"], "title": _("Survey team's extract")}, city.get("population_note"))
    if source == "profile" and profile_cite:
        year = city.get("population_year")
        cite = {"url": profile_cite["url"],
                "title": _("OECD city profile, {year}", year=year) if year else _("OECD city profile")}
        return _fact(_("Population"), population_text(city["population"]), cite, city.get("population_note"))
    return _fact(_("Population"), population_text(city["population"]), geonames if source else None,
                 city.get("population_note"))


def header_facts(city: dict) -> list[dict]:
    """The city's header facts, each with its source (None: nothing to cite)."""
    listed = {"url": city["source_url"], "title": _("Source")}
    geonames = {"url": GEONAMES_URL.format(city["geonames_id"]) if city.get("geonames_id") else "https://www.geonames.org/",
                "title": (_("GeoNames, {year}", year=city["population_year"]) if city.get("population_year")
                          else "GeoNames")}
    profile, cite = city.get("profile"), profile_source(city)
    facts = [population_fact(city, geonames, cite)]
    if profile and profile.get("population_reported") is not None and city.get("population_source") != "profile":
        year = profile.get("population_year")
        value = population_text(profile["population_reported"]) + (f" ({year})" if year else "")
        facts.append(_fact(_("Population on the OECD profile"), value, cite))
    facts.append(_fact(vocabulary.facet_title("wave"), value_label("wave", city["survey_wave"]), listed, city.get("wave_note"),
                       note_lang=DATA_LANG))
    if city["respondent"]:
        facts.append(_fact(_("Survey participation"), _("Confirmed by a public source"), listed))
    else:
        facts.append(_fact(_("Survey participation"), _("Survey participation not confirmed"), listed,
                           _("One of the example cities of the OECD brochure Embracing Local Impact (2021); "
                             "no public source shows that it answered the survey.")))
    if profile:
        if profile.get("mayor"):
            facts.append(_fact(_("Mayor (on the OECD profile)"), profile["mayor"], cite))
        if profile.get("lead_innovation_officer"):
            facts.append(_fact(_("Lead innovation officer (on the OECD profile)"), profile["lead_innovation_officer"],
                               cite))
        if profile.get("innovation_website"):
            facts.append(_fact(_("Innovation website"), profile["innovation_website"], cite,
                               href=profile["innovation_website"]))
    if city.get("location_note"):
        facts.append(_fact(_("Map point"), city["location_note"], geonames, value_lang=DATA_LANG))
    return facts


def subtitle(city: dict) -> str:
    return f"{vocabulary.city_country(city)} · {value_label('region', city['region'])}"


# ------------------------------------------------------------------ the score

def estimate_input(city: dict) -> dict | None:
    """The profile in the form the estimate reads (lists by profiles.csv column)."""
    profile = city.get("profile")
    if not profile:
        return None
    lists = {ITEM_COLUMN[k]: [i["label"] for i in v] for k, v in city["items"].items()}
    return {**profile, **lists}


def _listed(label: str, labels: list[str], missing: str) -> str:
    if not labels:
        return missing
    return _("listed") if label in labels else _("not listed")


def _roles_answer(p: dict) -> str:
    roles = p.get("innovation_roles") or []
    found = [r for r in roles if is_data_role(r)]
    if not roles:
        return _("roles not published")
    if roles_incomplete(p):
        return ngettext("the profile lists {listed} of the {n} role it states, so the answer is not published in full",
                        "the profile lists {listed} of the {n} roles it states, so the answer is not published in full",
                        p["n_innovation_roles"], listed=len(roles))
    if found:
        return ", ".join(found)
    return ngettext("none of the {n} listed role", "none of the {n} listed roles", len(roles))


def _analytics_answer(p: dict) -> str:
    acts, terms = p.get("innovation_activities_ranked") or [], p.get("terms_associated") or []
    if not acts and not terms:
        return _("activities and terms not published")
    if not acts:
        return _("activities not published")
    if not terms:
        return _("terms not published")
    if DATA_ACTIVITY in acts:
        return _("listed among the activities")
    return _("listed among the terms") if DATA_TERM in terms else _("not listed")


def _criterion_answer(key: str, p: dict) -> str:
    if key == "explicit_strategy":
        return yes_no(p.get("has_explicit_strategy"))
    if key == "holistic_approach":
        return approach_label(p.get("approach"))
    if key == "innovation_team":
        return yes_no(p.get("has_innovation_team"))
    if key == "multidisciplinary_team":
        n = p.get("n_innovation_roles")
        if p.get("has_innovation_team") is None:
            return _("whether there is a team is not published")
        return _("number of roles not stated") if n is None else ngettext("{n} role stated", "{n} roles stated", n)
    if key == "dedicated_funding":
        return yes_no(p.get("has_dedicated_funding"))
    if key == "data_role":
        return _roles_answer(p)
    if key == "data_analytics":
        return _analytics_answer(p)
    if key == "focus_on_measurement":
        return _listed(MEASUREMENT_FACTOR, p.get("success_factors") or [], _("success factors not published"))
    if key == "resident_outcomes":
        return _listed(OUTCOMES_AIM, p.get("helping_to") or [], _("aims not published"))
    raise KeyError(key)


def criterion_text(key: str) -> str:
    return {
        "explicit_strategy": _("Explicit innovation strategy"),
        "holistic_approach": _("Holistic approach (holistic, or holistic and policy-specific)"),
        "innovation_team": _("Dedicated innovation team"),
        "multidisciplinary_team": _("Multidisciplinary team (4 or more innovation roles)"),
        "dedicated_funding": _("Dedicated funding for innovation capacity"),
        "data_role": _("A data role on the team"),
        "data_analytics": _("Data analytics among the most common activities or the two terms most associated "
                            "with innovation"),
        "focus_on_measurement": _("\"Focus on measurement\" is a critical success factor"),
        "resident_outcomes": _("Innovation is helping to \"Improve resident outcomes\""),
    }[key]


def not_answered_reason(component: str) -> str:
    return {
        "strategy": _("The profile publishes neither whether the city has an explicit innovation strategy nor its "
                      "approach."),
        "organisation": _("The profile does not say whether the city has an innovation team."),
        "funding": _("The profile does not say whether the city has dedicated innovation funding."),
        "data": _("The profile does not publish the team's roles in full, nor both its activities and its terms."),
        "evaluation": _("The profile lists no success factors or aims."),
    }[component]


def points_text(points: int | None, counted: int | None) -> str:
    """A component's points in words: "1 of 2 points", "1 of 1 point counted (1 not published)"."""
    if points is None:
        return not_published()
    if counted == COMPONENT_MAX:
        return points_of(points, counted)
    return ngettext("{points} of {n} point counted ({missing} not published)",
                    "{points} of {n} points counted ({missing} not published)", counted, points=points,
                    missing=COMPONENT_MAX - counted)


def components(city: dict) -> list[dict]:
    """The five estimate components: the stored points and the published answers behind them."""
    p = estimate_input(city) or {}
    rules = criteria(p)
    out = []
    for key in COMPONENTS:
        crit = rules[key]
        answered = any(c.counted for c in crit)
        out.append({
            "key": key,
            "name": component_name(key),
            "points": city[f"{key}_points"],
            "max": city[f"{key}_max"],
            "text": points_text(city[f"{key}_points"], city[f"{key}_max"]),
            "answered": answered,
            "reason": None if answered else not_answered_reason(key),
            "criteria": [{"key": c.key, "text": criterion_text(c.key), "answer": _criterion_answer(c.key, p),
                          "counted": c.counted, "points": c.scored if c.counted else None, "max": c.points,
                          "met": bool(c.met)}
                         for c in crit],
        })
    return out


def score(city: dict) -> dict:
    """The innovation-capacity score with its provenance."""
    kind = city["psi_source"] or "none"
    out = {
        "kind": kind,
        "value": city["psi_index"],
        "tier": city["psi_tier"],
        "tier_text": tier_label(city["psi_tier"], city["psi_source"]),
        "answered": city["components_answered"],
        "components": components(city) if kind != "official" and city.get("profile") else [],
        "data_use": city.get("data_use_index"),
        "source": None,
    }
    if kind == "estimate":
        out["label"] = _("Estimate by the atlas from published answers, not an OECD score")
    elif kind == "official":
        out["label"] = _("Official OECD score")
        out["source"] = {"url": city["official_source_url"], "title": city["official_source_title"] or _("Source")}
    elif city.get("profile"):
        out["label"] = _("Not published: only {n} of 5 components are answered on the city's profile, and the "
                         "estimate needs at least {min}.", n=city["components_answered"], min=MIN_ANSWERED)
    else:
        out["label"] = _("Not published: the city has no profile on cities-innovation-oecd.com, so there are no "
                         "answers to estimate from, and the OECD has not published its score.")
    return out


# --------------------------------------------------------------- the profile

def _items(city: dict, kind: str) -> list[dict]:
    return [{"text": i["label"], "note": label_note(i["label_type"])} for i in city["items"].get(kind, [])]


def profile_sections(city: dict) -> list[dict]:
    """The profile's answers in sections; a section without data says so."""
    p, name = city.get("profile"), city["name"]
    if not p:
        return [{"key": "profile", "title": _("Strategy, team, funding and priorities"), "source": None,
                 "facts": [], "items": [], "note": None,
                 "empty": _("Not published: the city has no profile on cities-innovation-oecd.com.")}]
    source = profile_source(city)
    roles = _items(city, "role")
    n_roles = p.get("n_innovation_roles")
    team_facts = [(_("Innovation team"), yes_no(p.get("has_innovation_team"))),
                  (_("Where the team sits"), p.get("team_location") or not_published()),
                  (_("Team size"), p.get("team_size") or not_published())]
    if n_roles is not None:
        team_facts.append((_("Innovation roles stated"), str(n_roles)))
    team_note = None
    if n_roles is not None and n_roles > len(roles):
        team_note = ngettext("The profile states {n} role but lists {listed}.",
                             "The profile states {n} roles but lists {listed}.", n_roles, listed=len(roles))
    sections = [
        {"key": "strategy", "title": _("Strategy and approach"), "source": source, "empty": None,
         "facts": [(_("Explicit innovation strategy"), yes_no(p.get("has_explicit_strategy"))),
                   (_("Approach to innovation"), approach_label(p.get("approach")))], "items": [], "note": None},
        {"key": "team", "title": _("Innovation team and roles"), "source": source, "empty": None,
         "facts": team_facts, "items": roles, "items_title": list_title("role", name), "note": team_note},
        {"key": "funding", "title": _("Funding"), "source": source, "empty": None,
         "facts": [(_("Dedicated funding for innovation capacity"), yes_no(p.get("has_dedicated_funding")))],
         "items": [], "note": None},
    ]
    for kind in LIST_KINDS:
        items = _items(city, kind)
        sections.append({"key": kind.replace("_", "-"), "title": list_title(kind, name), "source": source,
                         "facts": [], "items": items, "ordered": kind == "activity", "note": None,
                         "empty": None if items else _("Not published on the city's profile.")})
    return sections


def profile_note(city: dict) -> str | None:
    p = city.get("profile")
    return p.get("notes") if p else None


def case_studies(city: dict) -> list[dict]:
    return [{"id": c["id"], "title": c["title"], "theme": c["theme"], "text": c["description"],
             "covid": [covid_category_label(x) for x in c["covid_categories"] or []],
             "source": {"url": c["source_url"], "title": c["source_title"]}} for c in city["case_studies"]]


def covid_groups(city: dict) -> list[dict]:
    """COVID-19 responses by horizon, then by the brochure's category (only groups with responses)."""
    groups = []
    for horizon in ("short", "long"):
        cats = []
        for cat in (c for c in COVID_CATEGORIES if COVID_HORIZON[c] == horizon):
            rows = [r for r in city["covid_responses"] if r["category"] == cat]
            if rows:
                cats.append({"category": cat, "title": covid_category_label(cat), "responses": [
                    {"id": r["id"], "title": r["title"], "text": r["description"], "when": r["date_or_period"],
                     "source": {"url": r["source_url"], "title": _("Source")}} for r in rows]})
        if cats:
            groups.append({"horizon": horizon, "title": horizon_label(horizon), "categories": cats})
    return groups


def wwc_level(level: str) -> str:
    return {"silver": _("Silver"), "gold": _("Gold"), "platinum": _("Platinum"),
            "honor-roll": _("Honor Roll (on the path to certification, not certified)"),
            "certified": _("Certified (level not stated)")}.get(level, level)


def wwc(city: dict) -> list[dict]:
    return [{"level": wwc_level(w["level"]), "year": w["year"], "notes": w["notes"],
             "source": {"url": w["source_url"], "title": _("Source")}} for w in city["wwc"]]


# ------------------------------------------------------------ similar cities

def _features(answers: dict) -> set[tuple[str, object]]:
    out = {(kind, label) for kind, labels in answers["items"].items() if kind in SIMILAR_KINDS for label in labels}
    out |= {(fact, answers[fact]) for fact in SIMILAR_FACTS if answers.get(fact) is not None}
    return out


def _shared_fact(fact: str, value) -> str:
    if fact == "approach":
        return {"holistic": _("both take a holistic approach"), "policy-specific": _("both take a policy-specific approach"),
                "both": _("both take holistic and policy-specific approaches")}.get(value, value)
    words = {"has_explicit_strategy": (_("both have an explicit innovation strategy"),
                                       _("neither has an explicit innovation strategy")),
             "has_innovation_team": (_("both have an innovation team"), _("neither has an innovation team")),
             "has_dedicated_funding": (_("both have dedicated funding"), _("neither has dedicated funding"))}
    return words[fact][0 if value else 1]


def _shared_items(kind: str, shared: int, total: int) -> str:
    # literal calls, so that the catalogue extraction finds each form
    forms = {
        "role": lambda: ngettext("shares {shared} of {n} role", "shares {shared} of {n} roles", total, shared=shared),
        "policy_area": lambda: ngettext("shares {shared} of {n} policy area", "shares {shared} of {n} policy areas",
                                        total, shared=shared),
        "success_factor": lambda: ngettext("shares {shared} of {n} success factor",
                                           "shares {shared} of {n} success factors", total, shared=shared),
        "helping_to": lambda: ngettext("shares {shared} of {n} aim", "shares {shared} of {n} aims", total, shared=shared),
        "term": lambda: ngettext("shares {shared} of {n} term", "shares {shared} of {n} terms", total, shared=shared),
        "activity": lambda: ngettext("shares {shared} of {n} activity", "shares {shared} of {n} activities", total,
                                     shared=shared),
    }
    return forms[kind]()


def similar_cities(city_id: str, answers: list[dict], limit: int = SIMILAR_LIMIT) -> list[dict]:
    """The cities whose published profile answers overlap most with this city's.

    Similarity is the Jaccard index over the profile's listed items (roles,
    policy areas, success factors, aims, terms, activities) plus its yes/no
    answers and approach; unpublished answers count for nothing. Ties go by
    name, then id, so the result is deterministic. Each city comes with the
    reasons, counted against this city's own answers.
    """
    by_id = {a["id"]: a for a in answers}
    me = by_id.get(city_id)
    if me is None:
        return []
    mine = _features(me)
    scored = []
    for other in answers:
        if other["id"] == city_id:
            continue
        theirs = _features(other)
        union = mine | theirs
        shared = mine & theirs
        if not shared:
            continue
        scored.append((len(shared) / len(union), other, shared))
    scored.sort(key=lambda t: (-t[0], t[1]["name"], t[1]["id"]))
    out = []
    for sim, other, shared in scored[:limit]:
        reasons = []
        for kind in SIMILAR_KINDS:
            n = sum(1 for k, _label in shared if k == kind)
            if n:
                reasons.append(_shared_items(kind, n, len(me["items"].get(kind, []))))
        reasons += [_shared_fact(f, me[f]) for f in SIMILAR_FACTS if (f, me.get(f)) in shared]
        out.append({"id": other["id"], "name": other["name"], "country": vocabulary.country_name(other["country"]),
                    "similarity": round(sim, 3), "tier_text": tier_label(other["psi_tier"], other["psi_source"]),
                    "reasons": reasons, "why": semicolon().join(reasons)})
    return out


# ------------------------------------------------------------------ not found

def search_text_from_id(city_id: str | None) -> str:
    """A first search for an unknown id: its words without a country code ("bologna-xyz" -> "bologna")."""
    text = re.sub(r"-[a-z]{3}$", "", (city_id or "").lower())
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def search_results(text: str | None) -> list[dict]:
    return [{**r, "href": urls.city_url(r["id"])} for r in data.search(text or "")]


# ------------------------------------------------------------------- the page

def page_title(city_id: str | None = None) -> str:
    city = data.city(city_id)
    return vocabulary.page_title("city", city["name"]) if city else vocabulary.page_title("city-not-found")


def page_description(city_id: str | None = None) -> str:
    city = data.city(city_id)
    if not city:
        return vocabulary.page_description("map")
    return vocabulary.page_description("city", city["name"], vocabulary.city_country(city))


def city_page(city_id: str) -> dict | None:
    """Everything the city page shows (None: unknown city)."""
    city = data.city(city_id)
    if city is None:
        return None
    return {
        "city": city,
        "subtitle": subtitle(city),
        "facts": header_facts(city),
        "score": score(city),
        "sections": profile_sections(city),
        "profile_note": profile_note(city),
        "profile_source": profile_source(city),
        "case_studies": case_studies(city),
        "covid": covid_groups(city),
        "wwc": wwc(city),
        "similar": similar_cities(city_id, data.profile_answers()),
        "links": {"id": city["id"], "map": urls.map_url(city=city["id"]), "compare": urls.compare_url([city["id"]]),
                  "json": urls.api_city_url(city["id"])},
    }
