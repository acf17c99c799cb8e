"""The built store holds the real data, labelled honestly, and answers queries."""
from __future__ import annotations

import csv

import duckdb
import pytest

from dashboard.facets import Filters
from dashboard.urls import from_query
from tests.conftest import DATA
from tests.reference import count, facet_counts, ids


def test_every_known_city_with_a_source(store):
    s = store.summary()
    assert s["cities"] >= 121 and s["respondents"] >= 115
    rows = store.rows("SELECT id, source_url FROM cities")
    assert all(r["source_url"].startswith("http") for r in rows)
    with (DATA / "cities.csv").open(encoding="utf-8") as fh:
        assert {r["id"] for r in csv.DictReader(fh)} == {r["id"] for r in rows}


def test_the_respondents_found_in_2026_12_are_on_the_map_with_their_profiles(store):
    found = {"turin-ita": "2018", "palermo-ita": "unknown", "granada-esp": "unknown", "oulu-fin": "unknown",
             "maribor-svn": "unknown", "pelotas-bra": "unknown"}
    for cid, wave in found.items():
        city = store.city(cid)
        assert city["respondent"] is True and city["survey_wave"] == wave, cid
        assert city["profile"]["profile_url"] == city["source_url"], cid  # the profile page shows participation
        assert city["population_source"] == "geonames" and city["geonames_id"], cid
    # published answers only: Turin's page was read as far as its first policy area
    turin = store.city("turin-ita")
    assert turin["profile"]["has_innovation_team"] is None and turin["profile"]["has_dedicated_funding"] is None
    assert [i["label"] for i in turin["items"]["policy_area"]] == ["Economic Development"]
    assert store.city("maribor-svn")["profile"]["lead_innovation_officer"] is None
    assert store.city("pelotas-bra")["psi_source"] == "estimate"


def test_populations_are_of_the_surveyed_government_with_their_source(store):
    rows = {r["id"]: r for r in store.rows("SELECT id, population, population_year, population_source, "
                                           "population_note FROM cities")}
    assert (rows["sintra-prt"]["population"], rows["sintra-prt"]["population_source"]) == (377835, "profile")
    assert (rows["curridabat-cri"]["population"], rows["curridabat-cri"]["population_year"]) == (78000, 2020)
    assert rows["east-sussex-gbr"]["population"] is None and "Lewes" in rows["east-sussex-gbr"]["population_note"]
    assert all(r["population_note"] for r in rows.values() if r["population_source"] == "profile")
    # the population filter now puts Sintra where its municipality belongs
    assert "sintra-prt" not in {p.id for p in store.city_points(from_query("pop=lt100k"))}


def test_one_row_per_covid_response_and_no_date_the_brochure_does_not_give(store):
    rows = store.rows("SELECT id, city_id, title, date_or_period, source_url FROM covid_responses")
    brochure = [r for r in rows if "embracing_local_impact" in r["source_url"]]
    assert brochure and all(r["date_or_period"] is None for r in brochure)
    lima = sorted(r["id"] for r in rows if r["city_id"] == "lima-per" and "casa-de-la-mujer" in r["id"])
    assert lima == ["lima-per--casa-de-la-mujer-san-juan-de-lurigancho", "lima-per--second-casa-de-la-mujer-ate"]
    mapping = [r for r in rows if r["city_id"] == "florence-ita" and "fibre" in r["title"].lower() + r["id"]]
    assert mapping == []  # the fibre mapping is one row, "Mapping areas with poor internet connection"
    assert sum(r["title"] == "Mapping areas with poor internet connection" for r in rows) == 1


def test_brochure_examples_are_not_claimed_as_respondents(store):
    rows = {r["id"]: r["respondent"] for r in store.rows("SELECT id, respondent FROM cities")}
    for cid in ("florence-ita", "helsingborg-swe", "las-vegas-usa", "cornella-de-llobregat-esp",
                "east-sussex-gbr", "monheim-am-rhein-deu"):
        assert rows[cid] is False
    assert rows["bologna-ita"] is True


def test_exactly_one_score_row_per_city_and_honest_provenance(store):
    assert store.rows("SELECT count(*) n FROM city_scores")[0]["n"] == count(store)
    assert store.rows("SELECT count(DISTINCT city_id) n FROM city_scores")[0]["n"] == count(store)
    bad = store.rows("""SELECT * FROM city_scores WHERE
        (psi_index IS NULL) <> (psi_source IS NULL) OR (psi_index IS NULL) <> (psi_tier = 'unknown')
        OR (psi_tier = 'high' AND psi_index < 6) OR (psi_tier = 'low' AND psi_index >= 6)
        OR psi_source NOT IN ('estimate', 'official') OR psi_index < 0 OR psi_index > 10""")
    assert bad == []
    # nothing official is shipped: official scores come only through ingest
    assert store.rows("SELECT count(*) n FROM city_scores WHERE psi_source = 'official'")[0]["n"] == 0
    assert store.rows("SELECT count(*) n FROM city_scores WHERE data_use_index IS NOT NULL")[0]["n"] == 0


def test_cities_without_a_profile_have_no_estimate(store):
    rows = store.rows("SELECT s.psi_index FROM city_scores s LEFT JOIN profiles p ON p.city_id = s.city_id "
                      "WHERE p.city_id IS NULL")
    assert rows and all(r["psi_index"] is None for r in rows)


def test_store_is_opened_read_only(store):
    with pytest.raises(duckdb.Error):
        store.rows("DELETE FROM cities")


def test_filters_and_facet_counts_agree(store):
    f = Filters(region=("europe",), tier=("high",))
    n = count(store, f)
    assert 0 < n < count(store, Filters(region=("europe",)))
    assert len(store.city_points(f)) == n
    counts = facet_counts(store, f)
    assert counts["tier"]["high"] == n
    assert counts["region"]["europe"] == n
    assert sum(counts["tier"].values()) == count(store, Filters(region=("europe",)))


@pytest.mark.parametrize("query", ["", "region=europe", "tier=unknown&confirmed=no", "covid=co-creation,recovery-resilience",
                                   "country=ZZZ", "policy=education&activity=risk-taking"])
def test_city_points_are_in_the_map_order_and_follow_the_filters(store, query):
    f = from_query(query)
    every, chosen = store.city_points(), store.city_points(f)
    assert [p.id for p in chosen] == [p.id for p in every if p.id in ids(store, f)]
    assert [p.name for p in every] == sorted((p.name for p in every), key=lambda n: n.encode())  # by name


def test_facet_values_fold_each_city_s_printed_labels(store):
    """facet_values holds, per city, its profile list's labels folded by the specification."""
    from dashboard.facets import FACET_BY_KEY

    for key in ("policy", "role", "activity"):
        facet = FACET_BY_KEY[key]
        labels = {}
        for r in store.rows("SELECT city_id, label FROM profile_items WHERE kind = ?", [facet.items]):
            labels.setdefault(r["city_id"], []).append(r["label"])
        stored = {}
        for r in store.rows("SELECT city_id, value FROM facet_values WHERE facet = ?", [key]):
            stored.setdefault(r["city_id"], set()).add(r["value"])
        every = {r["id"] for r in store.rows("SELECT id FROM cities")}
        assert set(stored) == every  # every city has at least "unknown"
        for city_id in every:
            assert stored[city_id] == set(facet.from_labels(labels.get(city_id))), (key, city_id)
        assert any("other" in v for v in stored.values()) or key == "activity"


def test_covid_filter_counts_cities_not_responses(store):
    f = Filters(covid=("inclusive-social",))
    n = count(store, f)
    distinct = store.rows("SELECT count(DISTINCT city_id) n FROM covid_responses WHERE category = 'inclusive-social'")
    assert n == distinct[0]["n"]
    assert facet_counts(store, Filters())["covid"]["inclusive-social"] == n


def test_filter_values_are_parameters_not_sql(store):
    for key in ("policy", "role", "activity", "covid", "region"):
        hostile = Filters({key: ("x') OR 1=1 --",)})
        assert not hostile.active  # not an allowed value: never reaches SQL
    # a value of the right form reaches the store only as a parameter
    assert store.city_rows(Filters(country=("ZZZ",))) == []
    sql, params = store._where(Filters(country=("ITA",), policy=("education",)))
    assert "ITA" not in sql and "education" not in sql and params == ["ITA", "policy", "education"]


def test_city_detail_has_sources(store):
    c = store.city("bologna-ita")
    assert c["name"] == "Bologna" and c["profile"]["profile_url"].startswith("https://cities-innovation-oecd.com")
    assert c["psi_source"] == "estimate"
    assert {"helping_to", "success_factor", "role"} <= set(c["items"])
    assert all(r["source_url"].startswith("http") for r in c["covid_responses"] + c["case_studies"])
    assert store.city("nowhere-xyz") is None


def test_variant_and_free_text_labels_are_marked(store):
    rows = store.rows("SELECT label, label_type FROM profile_items WHERE label_type <> 'listed'")
    assert rows and all("(" not in r["label"] or "free text" not in r["label"] for r in rows)
    assert {r["label_type"] for r in rows} <= {"variant", "free-text", "cut"}


@pytest.mark.parametrize("text,expected", [("medellin", "medellin-col"), ("MEDELLÍN", "medellin-col"),
                                           ("cornella", "cornella-de-llobregat-esp"), ("umea", "umea-swe"),
                                           ("sao paulo", "sao-paulo-bra")])
def test_search_is_accent_and_case_insensitive(store, text, expected):
    assert expected in [r["id"] for r in store.search(text)]


def test_ambiguous_findings_are_flagged(store):
    rows = store.rows("SELECT id, share_pct FROM findings WHERE confidence = 'ambiguous'")
    assert rows and all(r["share_pct"] is None for r in rows)


def test_every_source_url_is_listed(store):
    urls = {r["source_url"] for r in store.source_urls()}
    assert "https://issuu.com/oecd.publishing/docs/embracing_local_impact" in urls
    assert all(u.startswith("http") for u in urls)


def test_profile_answers_match_each_city(store):
    answers = store.profile_answers()
    assert len(answers) == store.rows("SELECT count(*) n FROM profiles")[0]["n"]
    by_id = {a["id"]: a for a in answers}
    for cid in ("bologna-ita", "amsterdam-nld"):
        city = store.city(cid)
        assert by_id[cid]["items"] == {k: [i["label"] for i in v] for k, v in city["items"].items()}
        assert by_id[cid]["has_explicit_strategy"] == city["profile"]["has_explicit_strategy"]
        assert by_id[cid]["psi_tier"] == city["psi_tier"]
    # cities without a profile have no answers to compare
    assert "florence-ita" not in by_id

def test_wellbeing_gaps_say_which_index_sample_they_come_from(store):
    rows = store.rows("SELECT group_a, index_sample FROM wellbeing_gaps")
    assert {r["index_sample"] for r in rows} == {"psi", "data-use"}
    for r in rows:
        if "WWC" in r["group_a"]:
            assert r["index_sample"] == "data-use", r
        if "PSI" in r["group_a"]:
            assert r["index_sample"] == "psi", r


def test_city_facts_is_a_table_with_one_row_per_city(store):
    kinds = store.rows("SELECT table_type FROM information_schema.tables WHERE table_name = 'city_facts'")
    assert kinds == [{"table_type": "BASE TABLE"}]
    assert store.rows("SELECT count(*) n FROM city_facts")[0]["n"] == store.rows("SELECT count(*) n FROM cities")[0]["n"]
