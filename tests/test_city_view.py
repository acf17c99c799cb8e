"""The city page's logic, called directly, checked against the store."""
from __future__ import annotations

import random

import pytest

from dashboard.store.estimate import COMPONENTS


@pytest.fixture()
def view(request_ctx):
    from dashboard.views import city_view

    return city_view


def test_bologna_components_come_from_the_stored_points_and_its_answers(view, store):
    city = store.city("bologna-ita")
    comps = {c["key"]: c for c in view.components(city)}
    assert list(comps) == list(COMPONENTS)
    for key in COMPONENTS:
        assert comps[key]["points"] == city[f"{key}_points"] and comps[key]["max"] == city[f"{key}_max"]
    # Bologna's profile: explicit strategy, "both" approaches, a team, 4 roles stated but 3 listed,
    # no terms, activities or funding answer
    strategy = {k["key"]: k for k in comps["strategy"]["criteria"]}
    assert strategy["explicit_strategy"]["met"] and strategy["explicit_strategy"]["answer"] == "Yes"
    assert strategy["holistic_approach"]["answer"] == "Both holistic and policy-specific"
    assert comps["strategy"]["text"] == "2 of 2 points"
    organisation = {k["key"]: k for k in comps["organisation"]["criteria"]}
    assert organisation["multidisciplinary_team"]["answer"] == "4 roles stated"
    # the role list is cut (3 of 4 listed): the data role is not scored, even though one is listed
    data = {k["key"]: k for k in comps["data"]["criteria"]}
    assert data["data_role"]["counted"] is False and data["data_role"]["points"] is None
    assert data["data_role"]["answer"] == ("the profile lists 3 of the 4 roles it states, so the answer is not "
                                           "published in full")
    assert data["data_analytics"]["answer"] == "activities and terms not published"
    assert comps["data"]["answered"] is False and comps["data"]["text"] == "Not published"
    assert comps["funding"]["answered"] is False and comps["funding"]["points"] is None
    assert "dedicated innovation funding" in comps["funding"]["reason"]


def test_the_explanation_adds_up_to_the_stored_points_for_every_city(view, store):
    for row in store.rows("SELECT id FROM cities ORDER BY id"):
        city = store.city(row["id"])
        for c in view.components(city):
            stored, counted = city[f"{c['key']}_points"], city[f"{c['key']}_max"]
            assert c["answered"] == (stored is not None) == (counted is not None), (row["id"], c["key"])
            scored = [k for k in c["criteria"] if k["counted"]]
            if stored is not None:
                assert sum(k["points"] for k in scored) == stored, (row["id"], c["key"])
                assert sum(k["max"] for k in scored) == counted, (row["id"], c["key"])
            # a criterion that is not scored gives no points, not 0
            assert all(k["points"] is None for k in c["criteria"] if not k["counted"]), (row["id"], c["key"])


def test_an_unpublished_answer_is_said_so_never_scored_zero(view, store):
    # Chicago's page has no roles (no dedicated team) and no activities: data use is not published,
    # not "0 of 2"
    chicago = {c["key"]: c for c in view.components(store.city("chicago-usa"))}
    assert chicago["data"]["text"] == "Not published" and chicago["data"]["points"] is None
    assert {k["answer"] for k in chicago["data"]["criteria"]} == {"roles not published", "activities not published"}
    # Scottsdale: its unpublished answers no longer count as 0, which lifts it over the tier line
    scottsdale = store.city("scottsdale-usa")
    assert scottsdale["psi_index"] == 6.0 and scottsdale["psi_tier"] == "high"
    parts = [c["text"] for c in view.components(scottsdale)]
    assert any("not published)" in t for t in parts) and "0 of 2 points" not in parts


def test_score_says_estimate_not_published_or_official(view, store):
    bologna = view.score(store.city("bologna-ita"))
    assert bologna["kind"] == "estimate" and bologna["value"] == store.city("bologna-ita")["psi_index"]
    assert "not an OECD score" in bologna["label"] and bologna["tier_text"] == "Innovation capacity: high (estimate)"
    few = view.score(store.city("adelaide-aus"))  # a profile with only 2 answered components
    assert few["kind"] == "none" and few["value"] is None
    assert "only 2 of 5 components" in few["label"] and len(few["components"]) == 5
    florence = view.score(store.city("florence-ita"))
    assert florence["kind"] == "none" and "no profile" in florence["label"] and florence["components"] == []
    official = view.score({**store.city("bologna-ita"), "psi_index": 6.4, "psi_source": "official", "psi_tier": "high",
                           "official_source_url": "https://example.org/x", "official_source_title": "OECD extract"})
    assert official["label"] == "Official OECD score" and official["components"] == []
    assert official["source"] == {"url": "https://example.org/x", "title": "OECD extract"}


def test_header_facts_carry_sources_and_invent_nothing(view, store):
    facts = {f["label"]: f for f in view.header_facts(store.city("bologna-ita"))}
    assert facts["Population"]["value"] == "394,843"
    assert facts["Population"]["source"]["title"] == "GeoNames"
    assert facts["Population"]["source"]["url"] == "https://www.geonames.org/3181928"
    assert facts["Population on the OECD profile"]["value"] == "392,027 (2019)"
    assert facts["Mayor (on the OECD profile)"]["value"] == "Virginio Merola"
    assert not any("Lead innovation officer" in k for k in facts)  # Bologna's profile names none
    assert all(f["source"]["url"].startswith("https://") for f in facts.values())
    # the population is that of the surveyed government, with its source
    sintra = {f["label"]: f for f in view.header_facts(store.city("sintra-prt"))}
    assert sintra["Population"]["value"] == "377,835"
    assert sintra["Population"]["source"] == {"url": "https://cities-innovation-oecd.com/cities/sintra-prt/",
                                              "title": "OECD city profile, 2011"}
    assert "26,193" in sintra["Population"]["note"] and "Population on the OECD profile" not in sintra
    sussex = {f["label"]: f for f in view.header_facts(store.city("east-sussex-gbr"))}
    assert sussex["Population"]["value"] == "Not published" and sussex["Population"]["source"] is None
    assert "Lewes" in sussex["Population"]["note"]
    assert view.population_cited(store.city("curridabat-cri")) == "78,000 (OECD profile)"
    assert view.population_cited(store.city("bologna-ita")) == "394,843 (GeoNames)"
    florence = {f["label"]: f for f in view.header_facts(store.city("florence-ita"))}
    assert florence["Survey participation"]["value"] == "Survey participation not confirmed"
    assert not any("Mayor" in k for k in florence)


def test_sections_say_not_published(view, store):
    bologna = {s["key"]: s for s in view.profile_sections(store.city("bologna-ita"))}
    assert bologna["term"]["empty"] == "Not published on the city's profile."
    assert [i["text"] for i in bologna["team"]["items"]] == ["Project manager", "Data scientist",
                                                            "Community engagement staff"]
    assert bologna["team"]["note"] == "The profile states 4 roles but lists 3."
    assert dict(bologna["funding"]["facts"])["Dedicated funding for innovation capacity"] == "Not published"
    florence = view.profile_sections(store.city("florence-ita"))
    assert len(florence) == 1 and "no profile" in florence[0]["empty"]


def test_covid_responses_grouped_by_horizon_and_category(view, store):
    city = store.city("bologna-ita")
    groups = view.covid_groups(city)
    assert [g["horizon"] for g in groups] == ["short"]
    assert [c["category"] for c in groups[0]["categories"]] == ["situational-awareness", "inclusive-social"]
    ids = {r["id"] for g in groups for c in g["categories"] for r in c["responses"]}
    assert ids == {r["id"] for r in city["covid_responses"]}
    helsinki = store.city("helsinki-fin")
    assert sum(len(c["responses"]) for g in view.covid_groups(helsinki) for c in g["categories"]) == \
        len(helsinki["covid_responses"])


ANSWERS = [
    {"id": "a-xxx", "name": "A", "country": "X", "psi_tier": "high", "psi_source": "estimate",
     "has_explicit_strategy": True, "approach": "holistic", "has_innovation_team": True,
     "has_dedicated_funding": True, "items": {"role": ["Designer", "Engineer", "Data scientist"]}},
    {"id": "b-xxx", "name": "B", "country": "X", "psi_tier": "low", "psi_source": "estimate",
     "has_explicit_strategy": None, "approach": None, "has_innovation_team": None,
     "has_dedicated_funding": True, "items": {"role": ["Designer", "Engineer"]}},
    {"id": "c-xxx", "name": "C", "country": "X", "psi_tier": "unknown", "psi_source": None,
     "has_explicit_strategy": False, "approach": "policy-specific", "has_innovation_team": None,
     "has_dedicated_funding": None, "items": {"policy_area": ["Education"]}},
    {"id": "d-xxx", "name": "D", "country": "X", "psi_tier": "low", "psi_source": "estimate",
     "has_explicit_strategy": True, "approach": None, "has_innovation_team": None,
     "has_dedicated_funding": None, "items": {}},
]


def test_similar_cities_on_a_small_example(view):
    out = view.similar_cities("a-xxx", ANSWERS)
    # A has 7 features; B shares 3 of 3 (union 7): 3/7; D shares 1 (union 7): 1/7; C shares nothing
    assert [r["id"] for r in out] == ["b-xxx", "d-xxx"]
    assert out[0]["similarity"] == round(3 / 7, 3)
    assert out[0]["why"] == "shares 2 of 3 roles; both have dedicated funding"
    assert out[1]["why"] == "both have an explicit innovation strategy"
    assert view.similar_cities("nowhere", ANSWERS) == []
    assert [r["id"] for r in view.similar_cities("a-xxx", ANSWERS, limit=1)] == ["b-xxx"]


def test_similar_cities_are_deterministic_with_reasons(view, store):
    answers = store.profile_answers()
    out = view.similar_cities("bologna-ita", answers)
    assert len(out) == 5 and "bologna-ita" not in [r["id"] for r in out]
    assert [r["similarity"] for r in out] == sorted((r["similarity"] for r in out), reverse=True)
    shuffled = answers[:]
    random.Random(4).shuffle(shuffled)
    assert view.similar_cities("bologna-ita", shuffled) == out
    mine = {r["label"] for r in store.city("bologna-ita")["items"]["role"]}
    for r in out:
        assert r["reasons"] and r["why"] == "; ".join(r["reasons"])
        theirs = {i["label"] for i in store.city(r["id"])["items"].get("role", [])}
        if mine & theirs:
            assert f"shares {len(mine & theirs)} of {len(mine)} roles" in r["why"]
    assert view.similar_cities("florence-ita", answers) == []  # no profile, nothing to compare


def test_unknown_id_search(view):
    assert view.search_text_from_id("bologna-xyz") == "bologna"
    assert view.search_text_from_id("no-such-city") == "no such city"
    assert view.search_text_from_id(None) == ""
    rows = view.search_results("medellin")
    assert rows[0]["name"] == "Medellín" and rows[0]["href"] == "/city/medellin-col"
    assert view.search_results("") == []


def test_links_and_titles(view):
    links = view.city_page("bologna-ita")["links"]
    assert links["map"] == "/?city=bologna-ita" and links["compare"] == "/compare?cities=bologna-ita"
    assert links["json"] == "/api/cities/bologna-ita.json"
    assert view.page_title("bologna-ita") == "Bologna - City Innovation Atlas"
    assert view.page_title("no-such-city") == "City not found - City Innovation Atlas"
    page = view.city_page("bologna-ita")
    assert page["links"]["json"] == "/api/cities/bologna-ita.json" and len(page["similar"]) == 5
    assert view.city_page("no-such-city") is None


def _line(component) -> str:
    children = getattr(component, "children", None)
    return "".join(c if isinstance(c, str) else _line(c) for c in (children if isinstance(children, list)
                                                                     else [children]) if c is not None)


@pytest.mark.parametrize("lang, word, counted", [("en", "not published", "(not counted)"),
                                                 ("fr", "non publié", "(non compté)")])
def test_a_criterion_left_out_says_what_is_missing_once_and_that_it_is_not_counted(view, store, lang, word, counted):
    from dashboard.i18n import language
    from dashboard.pages.city import criterion_item

    seen = 0
    with language(lang):
        for row in store.rows("SELECT id FROM cities ORDER BY id"):
            for c in view.components(store.city(row["id"])):
                for k in c["criteria"]:
                    if k["counted"]:
                        continue
                    line = _line(criterion_item(k))
                    assert line.endswith(counted) and line.lower().count(word) <= 1, (row["id"], line)
                    seen += 1
    assert seen > 10
