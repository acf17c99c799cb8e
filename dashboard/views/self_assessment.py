"""Logic of the self-assessment (``/self-assessment``) as plain functions.

A city that is not in the atlas answers the questions of an OECD city profile
and sees the atlas's estimate for those answers, where it would sit among the
surveyed cities, the surveyed cities whose answers are most like its own and
the brochure's recommendations for its weakest components.

Nothing is stored on the server: the answers live in the page's address
(``urls.parse_self_assessment`` / ``urls.self_assessment_url``), and download
as one row of the ingest's *profile answers* column set (the columns of
``data/profiles.csv``), so a city can send them to the survey team.

One path from answers to score: the answers become that row of text cells
(``profile_row``), the row is typed by the store's own cell parser
(``sources.typed_row``, as build and ingest read it) and scored by the store's
``estimate()``. The page never applies a rule of the estimate itself, so the
score it shows is the score the store would compute once the row is ingested.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from dashboard import data, ids, urls, vocabulary
from dashboard.facets import INNOVATION_ACTIVITIES, INNOVATION_ROLES, POLICY_AREAS, search_key
from dashboard.i18n import _, ngettext, number
from dashboard.store.estimate import COMPONENT_MAX, COMPONENTS, Estimate, estimate, roles_incomplete, tier
from dashboard.store.schema import ITEM_KINDS
from dashboard.store.sources import APPROACHES, BY_FILE, city_id_for, city_slug, typed_row
from dashboard.views import city_view

PROFILES = BY_FILE["profiles.csv"]
INGEST_COLUMNS = tuple(PROFILES.names)  # the ingest's "profile answers" column set
# Left empty in the download: only the survey team can fill them, once the OECD publishes the
# city's profile (ingest refuses the row until then, so self-reported answers never pass for a
# published profile). See data/README.md, "Ingest formats".
LEFT_TO_THE_SURVEY_TEAM = ("profile_url", "profile_version", "mayor", "lead_innovation_officer",
                           "innovation_website")
SELF_ID = "self-assessment"  # the assessed city's id among the surveyed cities' answers (never a city id)

# The fixed answer lists of the profiles of cities-innovation-oecd.com, by the code the URL uses:
# the label as the profiles print it. Policy areas, roles and activities are the map's facets (their
# first label is the site's own); the others are the site's lists as seen on its profile pages
# ("Innovation is helping to", "Critical success factors", "Terms <city> most associates with
# innovation"), spelt as data/profiles.csv has them. Words for each: dashboard/vocabulary.py.
AIMS = {
    "service-delivery": "Improve service delivery",
    "internal-operations": "Improve internal government operations",
    "future-challenges": "Anticipate and manage future challenges",
    "simplify-procedures": "Simplify administrative procedures for firms and residents",
    "resident-outcomes": "Improve resident outcomes",
    "save-costs": "Save costs and improve efficiency within the public sector",
    "new-revenue": "Generate new sources of revenue",
    "engage-residents": "Engage residents and other stakeholders",
    "current-obligations": "Service current obligations",
}
SUCCESS_FACTORS = {
    "mayor-leadership": "Leadership from Mayor",
    "innovation-team": "Dedicated innovation team",
    "funding": "Dedicated funding",
    "culture": "Culture of innovation in city",
    "measurement": "Focus on measurement",
    "outside-support": "Support from outside city administration",
    "partners": "Engagement with partners",
    "human-resources": "Human resource support",
}
# the terms seen on the profiles (Behavioral economics on three of them besides the site's list)
TERMS = {
    "data-analytics": "Data analytics",
    "human-centred-design": "Human-centered design",
    "experimentation": "Experimentation",
    "technological-innovation": "Technological innovation",
    "big-picture": "Big picture re-thinking",
    "resident-engagement": "Resident engagement",
    "bold-leadership": "Bold leadership",
    "behavioural-economics": "Behavioral economics",
    "hierarchy-busting": "Hierarchy-busting",
}


def _standard(table: dict[str, list[str]]) -> dict[str, str]:
    return {code: labels[0] for code, labels in table.items()}


# URL name -> (profiles.csv column, code -> label as printed)
LISTS: dict[str, tuple[str, dict[str, str]]] = {
    "policies": ("policy_areas", _standard(POLICY_AREAS)),
    "roles": ("innovation_roles", _standard(INNOVATION_ROLES)),
    "activities": ("innovation_activities_ranked", _standard(INNOVATION_ACTIVITIES)),
    "terms": ("terms_associated", TERMS),
    "aims": ("helping_to", AIMS),
    "factors": ("success_factors", SUCCESS_FACTORS),
}
YES_NO = {"explicit": "has_explicit_strategy", "iteam": "has_innovation_team", "budget": "has_dedicated_funding"}
FREE_TEXT = {"teamplace": "team_location", "teamsize": "team_size"}
# The questions, grouped as the estimate's five components (after the city itself).
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("city", ("name", "nation", "residents", "popyear")),
    ("strategy", ("explicit", "approach", "policies")),
    ("organisation", ("iteam", "roles", "nroles", "teamplace", "teamsize")),
    ("funding", ("budget",)),
    ("data", ("activities", "terms")),
    ("evaluation", ("factors", "aims")),
)
MAX_RESIDENTS = 100_000_000  # more than any city has
MAX_ROLES = 50
FIRST_YEAR = 1900
FORMULA_START = ("=", "+", "-", "@")  # ingest refuses a text cell that begins like a formula
_WHOLE = re.compile(r"\d{1,3}(?:[ ,.'\u2019\u00a0\u202f]\d{3})+|\d+")  # 522250, 522,250, 522 250

# Which of the brochure's ten recommendations (Embracing Local Impact, data/recommendations.csv)
# speak to which components of the estimate, and why. A recommendation is offered when one of its
# components is among the city's weakest.
RECOMMENDATION_COMPONENTS: dict[int, tuple[str, ...]] = {
    # innovation drawn from leadership, staff and residents, carried by an innovation team
    1: ("organisation",),
    # a culture of innovation across the city; holistic approaches (the strategy component's 2nd point)
    2: ("strategy",),
    # a formal, shared strategy with measurable goals that are evaluated along the way
    3: ("strategy", "evaluation"),
    # dedicated innovation staff plugged into the administration
    4: ("organisation",),
    # stable, long-term funding for innovation
    5: ("funding",),
    # data for decisions and for evaluating outcomes
    6: ("data", "evaluation"),
    # 7-10 are the brochure's data tools: a data strategy with roles, the skills to implement it, a
    # legal framework for data, and data-management standards in daily work
    7: ("data",),
    8: ("data",),
    9: ("data",),
    10: ("data",),
}


# ------------------------------------------------------------------ wording

def group_title(group: str) -> str:
    return _("Your city") if group == "city" else city_view.component_name(group)


def question(name: str) -> str:
    return {
        "name": _("City name"), "nation": _("Country"), "residents": _("Population"),
        "popyear": _("Year of the population figure"),
        "explicit": _("Does the city have an explicit innovation strategy?"),
        "approach": _("Approach to innovation"),
        "policies": _("Policy areas the city's innovation work focuses on"),
        "iteam": _("Does the city have a dedicated innovation team?"),
        "roles": _("Innovation roles or skills the city has"),
        "nroles": _("Number of different innovation roles or skills"),
        "teamplace": _("Where the team sits (e.g. the mayor's office)"),
        "teamsize": _("Team size"),
        "budget": _("Does the city have dedicated funding for building innovation capacity?"),
        "activities": _("The city's most common innovation activities: rank them, 1 for the most common"),
        "terms": _("Terms the city most associates with innovation"),
        "factors": _("Critical success factors"),
        "aims": _("Innovation is helping to"),
    }[name]


def hint(name: str) -> str | None:
    return {
        "name": _("As the city writes it; the id the survey team would give it is shown below the result."),
        "residents": _("A whole number, e.g. 522250."),
        "roles": _("A data role (data scientist or data specialist) also counts for the data-use component."),
        "nroles": _("Leave empty to count the roles ticked above."),
        "activities": _("Leave empty the activities that are not among the most common. Equal ranks keep "
                        "the order of the list."),
        "terms": _("The profiles show the two terms a city most associates with innovation."),
        "teamsize": _("In the city's own words, e.g. 8, or 4 (+3 in public works)."),
    }.get(name)


def choices(name: str) -> list[tuple[str, str]]:
    """(code, words) of a question with fixed answers, in the order of the form."""
    if name in YES_NO:
        return [("yes", _("Yes")), ("no", _("No")), ("", _("Not answered"))]
    if name == "approach":
        return [(a, city_view.approach_label(a)) for a in APPROACHES] + [("", _("Not answered"))]
    facet = {"policies": "policy", "roles": "role", "activities": "activity"}.get(name)
    words = vocabulary.value_words(facet) if facet else vocabulary.profile_list_words(name)
    return [(code, words[code]) for code in LISTS[name][1]]


def country_options() -> list[tuple[str, str]]:
    return sorted(((c["iso3"], vocabulary.country_name(c["country"], c["iso3"])) for c in data.world_countries()),
                  key=lambda pair: (search_key(pair[1]), pair[0]))


def not_answered_reason(component: str) -> str:
    return {
        "strategy": _("Not answered: say whether the city has an explicit innovation strategy."),
        "organisation": _("Not answered: say whether the city has a dedicated innovation team."),
        "funding": _("Not answered: say whether the city has dedicated funding for innovation capacity."),
        "data": _("Not answered: tick innovation roles, rank activities or choose terms."),
        "evaluation": _("Not answered: tick success factors or what innovation is helping to do."),
    }[component]


# ------------------------------------------------------------------ reading and checking

@dataclass
class Checked:
    """The answers of a URL and what the page says beside each field."""
    answers: dict  # by URL name: text, or a tuple of codes (only codes of the question's list)
    errors: dict[str, str] = field(default_factory=dict)  # impossible or malformed: no result, no download
    notes: dict[str, str] = field(default_factory=dict)  # worth knowing, not wrong

    @property
    def empty(self) -> bool:
        return not self.answers

    @property
    def ok(self) -> bool:
        return not self.empty and not self.errors


def _whole(raw: str | None) -> int | None:
    if raw is None or not _WHOLE.fullmatch(raw.strip()):
        return None
    return int(re.sub(r"\D", "", raw))


def _number_error(raw: str, low: int, high: int, what: str) -> str | None:
    if raw.strip().startswith("-") and _whole(raw.strip()[1:]) is not None:
        return _("{what} cannot be negative.", what=what)
    value = _whole(raw)
    if value is None:
        return _("Write a whole number, e.g. {example}.", example=high if high < 10_000 else 522250)
    if not low <= value <= high:
        return _("Give a number from {low} to {high}.", low=number(low), high=number(high))
    return None


def check(query) -> Checked:
    """The answers in a URL (query string or mapping), each checked; lenient like the codec:
    codes outside a question's list are dropped with a note."""
    raw = urls.parse_self_assessment(query)
    answers: dict = {}
    out = Checked(answers)
    for name, value in raw.items():
        if name in LISTS:
            known = LISTS[name][1]
            kept = tuple(v for v in value if v in known)
            if len(kept) < len(value):
                out.notes[name] = _("Ignored, not one of the choices: {codes}.",
                                    codes=", ".join(v for v in value if v not in known))
            if kept:
                answers[name] = kept
        else:
            answers[name] = value
    if not answers:
        return out
    errors, notes = out.errors, out.notes
    # the city
    name = answers.get("name")
    if not name:
        errors["name"] = _("Give the city's name.")
    elif not city_slug(name):
        errors["name"] = _("Write the name with at least one Latin letter or digit as well (e.g. Tokyo): the "
                           "city's id is made from it.")
    nation = answers.get("nation")
    countries = dict(country_options())
    if not nation:
        errors["nation"] = _("Choose the city's country.")
    elif nation.upper() not in countries:
        errors["nation"] = _("{code} is not a country code the atlas knows; choose the country from the list.",
                             code=nation)
    else:
        answers["nation"] = nation.upper()
    if "residents" in answers:
        errors.update(_pairs("residents", _number_error(answers["residents"], 1, MAX_RESIDENTS, question("residents"))))
    if "popyear" in answers:
        this_year = dt.date.today().year
        errors.update(_pairs("popyear", _number_error(answers["popyear"], FIRST_YEAR, this_year, question("popyear"))))
        if "popyear" not in errors and "residents" not in answers:
            errors["popyear"] = _("Give the population this year is for, or leave the year empty.")
    # fixed answers
    for yes_no in YES_NO:
        if yes_no in answers and answers[yes_no] not in ("yes", "no"):
            errors[yes_no] = _("Answer yes or no, or leave it unanswered.")
    if "approach" in answers and answers["approach"] not in APPROACHES:
        errors["approach"] = _("Choose one of the approaches, or leave it unanswered.")
    # roles: the stated number cannot be below the roles ticked
    roles = answers.get("roles", ())
    if "nroles" in answers:
        problem = _number_error(answers["nroles"], 0, MAX_ROLES, question("nroles"))
        n = _whole(answers["nroles"])
        if problem is None and n is not None and n < len(roles):
            problem = ngettext("You ticked {ticked} role above, more than {stated}: the number of roles cannot "
                               "be smaller than the roles ticked.",
                               "You ticked {ticked} roles above, more than {stated}: the number of roles cannot "
                               "be smaller than the roles ticked.", len(roles), ticked=len(roles), stated=n)
        errors.update(_pairs("nroles", problem))
    if answers.get("iteam") == "no" and (roles or _whole(answers.get("nroles")) or answers.get("teamsize")):
        notes["iteam"] = _("Without a dedicated innovation team, the roles count for the data-use component "
                           "but not for a multidisciplinary team (Enschede's profile reads so too).")
    # free text: ingest takes values, never spreadsheet formulas
    for text in ("name", *FREE_TEXT):
        value = answers.get(text)
        if value and value.startswith(FORMULA_START) and text not in errors:
            errors[text] = _("Begin without “{lead}”: a text that begins like a spreadsheet formula cannot be "
                             "sent to the survey team.", lead=value[0])
    if not errors:
        known = data.known_city(city_id_for(answers["name"], answers["nation"]))
        if known:
            notes["name"] = _("This city is already in the atlas.")
    return out


def nothing_answered() -> Checked:
    """What a submit without any answer is told."""
    return Checked({}, errors={"name": _("Give the city's name."), "nation": _("Choose the city's country.")})


def _pairs(name: str, message: str | None) -> dict[str, str]:
    return {name: message} if message else {}


# ------------------------------------------------------------------ the ingest row

def city_id(answers: dict) -> str:
    return city_id_for(answers["name"], answers["nation"])


def notes_cell(today: str) -> str:
    return (f"Self-assessment made with the City Innovation Atlas on {today}: the city's own answers, not "
            "published by the OECD. profile_url and profile_version are left for the survey team to fill in "
            "once the city's profile is published.")


def profile_row(answers: dict, today: str | None = None) -> dict[str, str]:
    """The answers as one row of the ingest's profile-answers column set, every cell text, in the
    column order of data/profiles.csv. Only for checked answers without errors."""
    row = dict.fromkeys(INGEST_COLUMNS, "")
    row["city_id"] = city_id(answers)
    if "residents" in answers:
        row["population_reported"] = str(_whole(answers["residents"]))
    if "popyear" in answers:
        row["population_year"] = str(_whole(answers["popyear"]))
    for name, column in YES_NO.items():
        row[column] = answers.get(name, "")
    row["approach"] = answers.get("approach", "")
    for name, (column, labels) in LISTS.items():
        row[column] = ";".join(labels[code] for code in answers.get(name, ()))
    roles = answers.get("roles", ())
    n_roles = _whole(answers["nroles"]) if "nroles" in answers else (len(roles) if roles else None)
    row["n_innovation_roles"] = "" if n_roles is None else str(n_roles)
    for name, column in FREE_TEXT.items():
        row[column] = answers.get(name, "")
    row["notes"] = notes_cell(today or dt.date.today().isoformat())
    return row


def typed_profile(row: dict[str, str]) -> dict:
    """The row as the store reads it (profiles.csv's cell parser): the estimate's input."""
    typed, _problems = typed_row(PROFILES, row)
    return typed


# ------------------------------------------------------------------ the result

def _pseudo_city(profile: dict, est: Estimate) -> dict:
    """The assessed city in the shape of ``data.city`` that ``city_view.components`` reads: the
    estimate's points met and points counted per component, as the store keeps them."""
    items = {kind: [{"label": label, "label_type": "listed"} for label in profile[column] or []]
             for column, kind in ITEM_KINDS.items() if profile[column]}
    return {"profile": profile, "items": items, **{f"{k}_points": est.points[k] for k in COMPONENTS},
            **{f"{k}_max": est.counted[k] for k in COMPONENTS}}


def components(profile: dict, est: Estimate) -> list[dict]:
    """The city page's breakdown of the five components, in the words of a city's own answers: what
    a surveyed city's profile does not publish is here what the form left unanswered."""
    out = city_view.components(_pseudo_city(profile, est))
    for c in out:
        if not c["answered"]:
            c["reason"] = not_answered_reason(c["key"])
            c["text"] = _("Not answered")
        elif c["max"] != COMPONENT_MAX:
            c["text"] = ngettext("{points} of {n} point counted ({missing} not answered)",
                                 "{points} of {n} points counted ({missing} not answered)", c["max"],
                                 points=number(c["points"]), missing=number(COMPONENT_MAX - c["max"]))
        for k in c["criteria"]:
            if not k["counted"]:
                k["answer"] = _unanswered(k["key"], profile)
    return out


def _unanswered(criterion: str, profile: dict) -> str:
    """Why a criterion is left out of a self-assessment's estimate."""
    if criterion == "data_role" and roles_incomplete(profile):
        return ngettext("{listed} of the {n} role stated is ticked", "{listed} of the {n} roles stated are ticked",
                        profile["n_innovation_roles"], listed=number(len(profile["innovation_roles"])))
    return _("not answered")


def standing(score: float | None) -> dict:
    """Where a score sits among the surveyed cities' estimates (official scores are another index
    and are left out): rank, ties, and the distribution in bins of one point (10 in the last)."""
    scores = [r["psi_index"] for r in data.city_rows() if r["psi_source"] == "estimate" and r["psi_index"] is not None]
    bins = [0] * 10
    for s in scores:
        bins[min(int(s), 9)] += 1
    out = {"scored": len(scores), "bins": bins, "mine": None, "rank": None, "ties": 0, "text": ""}
    if score is None:
        return out
    rank = 1 + sum(s > score for s in scores)
    ties = sum(s == score for s in scores)
    out.update(mine=min(int(score), 9), rank=rank, ties=ties)
    text = _("With {score}, the city would rank {rank} of {n} among the surveyed cities with an estimate (1 is "
             "the highest).", score=number(score, 1), rank=number(rank), n=number(len(scores) + 1))
    if ties:
        text += " " + ngettext("{ties} surveyed city has the same estimate.",
                               "{ties} surveyed cities have the same estimate.", ties, ties=number(ties))
    out["text"] = text
    return out


def bin_label(i: int) -> str:
    return _("{low} to {high}", low=i, high=i + 1) if i < 9 else _("9 to 10")


def _answers_for_similarity(profile: dict, name: str, nation: str, score: float | None) -> dict:
    items = {kind: list(profile[column]) for column, kind in ITEM_KINDS.items() if profile[column]}
    return {"id": SELF_ID, "name": name, "country": nation, "psi_tier": tier(score), "psi_source": "estimate",
            "items": items, **{f: profile[f] for f in city_view.SIMILAR_FACTS}}


def similar(profile: dict, name: str, nation: str, score: float | None) -> list[dict]:
    """The surveyed cities whose published answers overlap most with these (city_view's rule)."""
    me = _answers_for_similarity(profile, name, nation, score)
    rows = city_view.similar_cities(SELF_ID, [*data.profile_answers(), me])
    return [{**r, "href": urls.city_url(r["id"])} for r in rows]


def weakest(points: dict) -> list[str]:
    """The answered components with the fewest points, when below full points (unanswered ones are
    unknown, not weak)."""
    answered = {k: v for k, v in points.items() if v is not None}
    if not answered or min(answered.values()) >= 2:
        return []
    low = min(answered.values())
    return [k for k in COMPONENTS if answered.get(k) == low]


def recommendations(weak: list[str]) -> list[dict]:
    """The brochure's recommendations that address the weakest components (RECOMMENDATION_COMPONENTS)."""
    out = []
    for r in data.recommendations():
        addressed = [c for c in RECOMMENDATION_COMPONENTS.get(r["number"], ()) if c in weak]
        if addressed:
            out.append({"number": r["number"], "title": r["title"], "summary": r["summary"],
                        "components": [city_view.component_name(c) for c in addressed],
                        "source": {"url": r["source_url"], "title": r["source_title"]}})
    return out


def result(checked: Checked) -> dict | None:
    """Everything the result shows (None: nothing to show yet, or answers with errors)."""
    if not checked.ok:
        return None
    answers = checked.answers
    row = profile_row(answers)
    profile = typed_profile(row)
    est = estimate(profile)
    name, country = answers["name"], dict(country_options())[answers["nation"]]
    weak = weakest(est.points)
    known = data.known_city(row["city_id"])
    return {
        "name": name,
        "country": country,
        "city_id": row["city_id"],
        "known_href": urls.city_url(known) if known else None,
        "score": est.score,
        "answered": est.answered,
        "tier": tier(est.score),
        "tier_text": vocabulary.tier_label(tier(est.score), "estimate", est.score),
        "components": components(profile, est),
        "standing": standing(est.score),
        "similar": similar(profile, name, country, est.score),
        "weakest": [city_view.component_name(c) for c in weak],
        "recommendations": recommendations(weak),
        "all_recommendations": urls.FINDINGS_PATH + "#" + ids.FINDINGS_RECOMMENDATIONS,
        "links": {"share": urls.self_assessment_url(answers),
                  "csv": urls.self_assessment_download_url("csv", answers),
                  "json": urls.self_assessment_download_url("json", answers)},
    }


# ------------------------------------------------------------------ the form's values

def form_values(answers: dict) -> dict:
    """What each control shows for the answers (ranks of the activities as numbers 1, 2, ...)."""
    values: dict = {name: answers.get(name, "") for group in GROUPS for name in group[1]
                    if name not in LISTS}
    for name in LISTS:
        values[name] = list(answers.get(name, ()))
    values["ranks"] = {code: i for i, code in enumerate(answers.get("activities", ()), start=1)}
    return values


def answers_from_form(values: dict) -> dict:
    """The URL's answers from the controls: text as typed, the checked codes, the activities in the
    order of their ranks (a rank that is not a whole number leaves the activity out)."""
    answers: dict = {}
    for name, raw in values.items():
        if name == "ranks":
            continue
        if name in LISTS:
            answers[name] = [v for v in raw or [] if isinstance(v, str)] if isinstance(raw, list) else []
        elif isinstance(raw, (str, int, float)) and not isinstance(raw, bool):
            answers[name] = str(raw).strip()
    ranked = []
    order = list(LISTS["activities"][1])
    for code, rank in (values.get("ranks") or {}).items():
        try:
            value = float(rank)
        except (TypeError, ValueError):
            continue
        if code in order and value == value:  # not NaN
            ranked.append((value, order.index(code), code))
    answers["activities"] = [code for _r, _i, code in sorted(ranked)]
    return answers


# ------------------------------------------------------------------ the sent form

SENT = urls.SELF_ASSESSMENT_SENT  # the form's hidden field: the request holds the form's fields
RANK_FIELD = "rank-"  # + an activity's code: the form's field for its rank


def sent_address(args) -> str | None:
    """Where a sent form goes (``args``: the request's arguments, a repeated name as ``getlist``
    gives it): the address of its answers in the form's language, or, with nothing answered, the
    page with ``sent=1`` (it then asks for the city's name and country). None when ``args`` is not
    a sent form, or already that page (only ``sent`` and ``lang``)."""
    if not args.get(SENT) or set(args) <= {SENT, "lang"}:
        return None
    values: dict = {name: (args.getlist(name) if kind == "list" else args.get(name, ""))
                    for name, (kind, _what) in urls.SELF_ASSESSMENT.items() if name != "activities"}
    values["ranks"] = {code: args.get(RANK_FIELD + code, "") for code in LISTS["activities"][1]}
    answers = answers_from_form(values)
    lang = args.get("lang")
    if urls.self_assessment_query(answers):
        return urls.SELF_ASSESSMENT_PATH + urls.self_assessment_query(answers, lang)
    return urls.SELF_ASSESSMENT_PATH + urls.query([(SENT, "1")], lang)


# ------------------------------------------------------------------ the download

def download(query) -> tuple[dict[str, str] | None, Checked]:
    """The ingest row of the answers in a URL (None when they are empty or have errors)."""
    checked = check(query)
    return (profile_row(checked.answers) if checked.ok else None), checked


def page_title() -> str:
    return vocabulary.page_title("self-assessment")
