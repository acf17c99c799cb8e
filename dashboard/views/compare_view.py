"""Logic of the comparison page (``/compare?cities=a,b,c``) as plain functions.

The set of cities lives in the URL: ``cities`` is a comma-separated list of
city ids (a public interface, like the map's parameters). Unknown and
repeated ids are dropped with a note; only the first four are kept.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dashboard import data, urls
from dashboard.store.estimate import COMPONENTS
from dashboard.i18n import _, decimal, ngettext
from dashboard.facets import COVID_CATEGORIES
from dashboard.views import city_view
from dashboard.vocabulary import city_country, country_name, facet_title, not_published, points_of, value_label, yes_no

MAX_CITIES = urls.MAX_COMPARE
MIN_CITIES = 2
SHOWN_ID_CHARS = 40  # an ignored id is echoed back at most this long


@dataclass(frozen=True)
class Selection:
    ids: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
    repeated: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()  # valid, but beyond MAX_CITIES

    def notes(self) -> list[str]:
        """What was ignored, in words."""
        out = [_("Ignored: {id} (unknown city)", id=_shown(i)) for i in self.unknown]
        out += [_("Ignored: {id} (listed twice)", id=i) for i in self.repeated]
        if self.dropped:
            out.append(_("At most {max} cities can be compared; ignored: {ids}", max=MAX_CITIES,
                         ids=", ".join(self.dropped)))
        return out


def _shown(raw: str) -> str:
    return raw if len(raw) <= SHOWN_ID_CHARS else raw[: SHOWN_ID_CHARS - 1] + "…"


def parse_ids(raw, known: Callable[[str], str | None] = data.known_city) -> Selection:
    """The ``cities`` parameter (a string, or a list when repeated; the URL codec's limits apply)
    checked by ``known`` (the store's rule, ``data.known_city``). Linear in its length."""
    params = urls.parameters({"cities": raw})
    items = params.get("cities", "").split(",")[:urls.MAX_COMPARE_RAW]
    ids: dict[str, None] = {}
    unknown: dict[str, None] = {}
    repeated: dict[str, None] = {}
    dropped: dict[str, None] = {}
    for part in items:
        text = part.strip().lower()
        if not text:
            continue
        cid = known(text)
        if cid is None:
            unknown[text] = None
        elif cid in ids or cid in dropped:
            repeated[cid] = None
        elif len(ids) >= MAX_CITIES:
            dropped[cid] = None
        else:
            ids[cid] = None
    return Selection(tuple(ids), tuple(unknown), tuple(repeated), tuple(dropped))


def href(ids, only_differences: bool = False) -> str:
    return urls.compare_url((i for i in dict.fromkeys(ids) if i), only_differences)


def add(ids, city_id: str) -> list[str]:
    return list(dict.fromkeys([*ids, city_id]))[:MAX_CITIES]


def remove(ids, city_id: str) -> list[str]:
    return [i for i in ids if i != city_id]


# ----------------------------------------------------------------- the table

def _cell(text: str | None = None, items=(), note: str | None = None) -> dict:
    """One table cell: a line of text, an optional note and an optional list."""
    return {"text": text, "note": note, "items": list(items)}


def _row(group: str, key: str, label: str, cells: list[dict], bars: list | None = None) -> dict:
    distinct = {(c["text"], c["note"], tuple(sorted(c["items"]))) for c in cells}
    return {"group": group, "key": key, "label": label, "cells": cells, "bars": bars,
            "differs": len(cells) > 1 and len(distinct) > 1}


def _text(value: str) -> dict:
    return _cell(value)


def _labels(city: dict, kind: str) -> dict:
    labels = [i["label"] for i in city["items"].get(kind, [])]
    return _cell(items=labels) if labels else _cell(not_published())


def _profile(city: dict, column: str):
    return (city.get("profile") or {}).get(column)


def _score_cell(city: dict) -> dict:
    s = city_view.score(city)
    if s["value"] is None:
        return _cell(s["tier_text"])
    return _cell(f"{decimal(s['value'])} / 10", note=s["tier_text"])


def _component_cell(city: dict, key: str) -> dict:
    return _cell(city_view.points_text(city[f"{key}_points"], city[f"{key}_max"]))


def _covid_cell(city: dict, category: str) -> dict:
    titles = [r["title"] for r in city["covid_responses"] if r["category"] == category]
    if not titles:
        return _cell(_("None recorded"))
    return _cell(ngettext("{n} response", "{n} responses", len(titles)), titles)


def _wwc_cell(city: dict) -> dict:
    rows = city_view.wwc(city)
    return _cell(items=[w["level"] + (f" ({w['year']})" if w["year"] else "") for w in rows]) if rows \
        else _cell(_("None known"))


def rows(cities: list[dict]) -> list[dict]:
    """The comparison table: one row per fact, one cell per city, rows that differ marked."""
    score, facts, profile, covid = _("Innovation capacity"), _("Facts"), _("Profile answers"), _("COVID-19 responses")
    out = [_row(score, "score", _("Score"), [_score_cell(c) for c in cities])]
    for key in COMPONENTS:
        bars = [None if c[f"{key}_points"] is None else (c[f"{key}_points"], c[f"{key}_max"]) for c in cities]
        out.append(_row(score, f"points-{key}", city_view.component_name(key), [_component_cell(c, key) for c in cities],
                        bars))
    out += [
        _row(facts, "country", facet_title("country"), [_text(city_country(c)) for c in cities]),
        _row(facts, "region", facet_title("region"), [_text(value_label("region", c["region"])) for c in cities]),
        _row(facts, "population", _("Population"),
             [_text(city_view.population_cited(c) or not_published()) for c in cities]),
        _row(facts, "wave", facet_title("wave"), [_text(value_label("wave", c["survey_wave"])) for c in cities]),
        _row(facts, "confirmed", facet_title("confirmed"),
             [_text(_("Confirmed") if c["respondent"] else _("Not confirmed")) for c in cities]),
        _row(profile, "strategy", _("Explicit innovation strategy"),
             [_text(yes_no(_profile(c, "has_explicit_strategy"))) for c in cities]),
        _row(profile, "approach", _("Approach to innovation"),
             [_text(city_view.approach_label(_profile(c, "approach"))) for c in cities]),
        _row(profile, "team", _("Innovation team"), [_text(yes_no(_profile(c, "has_innovation_team")))
                                                    for c in cities]),
        _row(profile, "team_location", _("Where the team sits"),
             [_text(_profile(c, "team_location") or not_published()) for c in cities]),
        _row(profile, "team_size", _("Team size"), [_text(_profile(c, "team_size") or not_published()) for c in cities]),
        _row(profile, "funding", _("Dedicated funding for innovation capacity"),
             [_text(yes_no(_profile(c, "has_dedicated_funding"))) for c in cities]),
        _row(profile, "roles", _("Innovation roles"), [_labels(c, "role") for c in cities]),
        _row(profile, "policy_areas", _("Policy areas"), [_labels(c, "policy_area") for c in cities]),
    ]
    out += [_row(covid, cat, city_view.covid_category_label(cat), [_covid_cell(c, cat) for c in cities])
            for cat in COVID_CATEGORIES]
    out.append(_row(_("What Works Cities"), "wwc", _("Certification"), [_wwc_cell(c) for c in cities]))
    return out


def options(selected) -> list[dict]:
    """Cities that can still be added, as dropdown options ("Bologna, Italy")."""
    return [{"label": f"{p['name']}, {country_name(p['country'])}", "value": p["id"]} for p in data.city_points()
            if p["id"] not in selected]


def compare_page(raw, only_differences: bool = False) -> dict:
    """Everything the comparison page shows for the ``cities`` parameter (``only_differences``:
    the ``diff`` parameter, kept by the links that remove a city)."""
    sel = parse_ids(raw)
    cities = [data.city(i) for i in sel.ids]
    return {
        "ids": list(sel.ids),
        "notes": sel.notes(),
        "cities": [{"id": c["id"], "name": c["name"], "country": city_country(c),
                    "href": urls.city_url(c["id"]),
                    "remove": href(remove(sel.ids, c["id"]), only_differences), "source": city_view.profile_source(c)} for c in cities],
        "rows": rows(cities) if cities else [],
        "options": options(sel.ids),
        "full": len(sel.ids) >= MAX_CITIES,
        "too_few": len(sel.ids) < MIN_CITIES,
    }
