"""The self-assessment (/self-assessment): answers in the URL, checks beside each field, the
estimate by the store's own code, and a download the ingest reads."""
from __future__ import annotations

import csv
import io
import json
import random
import subprocess
import sys
from urllib.parse import urlsplit

import pytest

from dashboard import urls
from dashboard.store.estimate import (DATA_ACTIVITY, DATA_TERM, MEASUREMENT_FACTOR, OUTCOMES_AIM, estimate,
                                      is_data_role)
from tests.conftest import DATA, ROOT

LYON = {"name": "Lyon", "nation": "FRA", "residents": "522250", "popyear": "2020", "explicit": "yes",
        "approach": "both", "policies": ["digital-governance", "environment-climate"], "iteam": "yes",
        "roles": ["project-manager", "designer", "data-scientist"], "teamplace": "Mayor's office, with a lab",
        "teamsize": "8 (4 + 4)", "budget": "no", "activities": ["data-analytics", "risk-taking"],
        "terms": ["experimentation"], "aims": ["resident-outcomes", "service-delivery"],
        "factors": ["mayor-leadership"]}
# Lyon's own point, for a test copy of data/ only (GeoNames 2996944); never written to data/.
LYON_CITY_ROW = ("lyon-fra,Lyon,France,FRA,europe,45.74846,4.84671,522250,,geonames,,unknown,false,,2996944,,"
                 "test fixture,https://www.geonames.org/2996944\n")


@pytest.fixture()
def sa(request_ctx):
    from dashboard.views import self_assessment

    return self_assessment


def lyon_query(**changes) -> str:
    return urlsplit(urls.self_assessment_url({**LYON, **changes})).query


# ------------------------------------------------------------------ the URL

def test_the_answers_round_trip_through_the_url():
    url = urls.self_assessment_url(LYON)
    assert url.startswith(urls.SELF_ASSESSMENT_PATH + "?name=Lyon&nation=FRA&residents=522250")
    parsed = urls.parse_self_assessment(urlsplit(url).query)
    assert parsed == {k: tuple(v) if isinstance(v, list) else v for k, v in LYON.items()}
    assert urls.self_assessment_url(parsed) == url
    assert urls.self_assessment_url({}) == urls.SELF_ASSESSMENT_PATH


@pytest.mark.parametrize("query, expected", [
    ("name=Lyon&foo=bar&city=bologna-ita", {"name": "Lyon"}),
    ("roles=designer,<script>,DESIGNER,x y,engineer", {"roles": ("designer", "engineer")}),
    ("name=" + "x" * 5000, {"name": "x" * urls.MAX_TEXT_CHARS}),
    ("name=%20%20&residents=", {}),
    ("activities=risk-taking,data-analytics,risk-taking", {"activities": ("risk-taking", "data-analytics")}),
    ("policies=" + ",".join(f"p{i}" for i in range(500)), {"policies": tuple(f"p{i}" for i in range(60))}),
])
def test_url_parsing_is_lenient_and_capped(query, expected):
    assert urls.parse_self_assessment(query) == expected


# ------------------------------------------------------------------ checks beside each field

def test_lyon_is_valid_and_names_its_future_id(sa):
    checked = sa.check(lyon_query())
    assert checked.ok and checked.errors == {} and checked.notes == {}
    assert sa.city_id(checked.answers) == "lyon-fra"


@pytest.mark.parametrize("changes, field, words", [
    ({"residents": "-5"}, "residents", "cannot be negative"),
    ({"residents": "about 500k"}, "residents", "whole number"),
    ({"residents": "0"}, "residents", "from 1 to"),
    ({"residents": "", "popyear": "2020"}, "popyear", "Give the population"),
    ({"popyear": "3020"}, "popyear", "from 1,900 to"),
    ({"nroles": "1"}, "nroles", "You ticked 3 roles above, more than 1"),
    ({"nroles": "-2"}, "nroles", "cannot be negative"),
    ({"name": ""}, "name", "Give the city's name"),
    ({"name": "東京"}, "name", "Latin letter"),
    ({"name": "=HYPERLINK(1)"}, "name", "formula"),
    ({"teamplace": "@mayor"}, "teamplace", "formula"),
    ({"nation": "XXX"}, "nation", "not a country code"),
    ({"nation": ""}, "nation", "Choose the city's country"),
    ({"approach": "sideways"}, "approach", "Choose one of the approaches"),
    ({"budget": "maybe"}, "budget", "Answer yes or no"),
])
def test_impossible_or_malformed_answers_get_a_message_beside_their_field(sa, changes, field, words):
    checked = sa.check(lyon_query(**changes))
    assert not checked.ok
    assert words in checked.errors[field], checked.errors
    assert sa.result(checked) is None
    assert sa.download(lyon_query(**changes))[0] is None


def test_possible_combinations_are_noted_not_refused(sa):
    # Enschede's published profile: no dedicated team, three roles
    checked = sa.check(lyon_query(iteam="no", nroles="5"))
    assert checked.ok and "Enschede" in checked.notes["iteam"]
    # more roles stated than ticked is what profiles do (the list can be cut)
    assert sa.check(lyon_query(nroles="7")).ok
    # a thousands separator is read, and the row gets the number
    assert sa.profile_row(sa.check(lyon_query(residents="522,250")).answers)["population_reported"] == "522250"
    # a code outside a question's list is dropped with a note
    checked = sa.check(lyon_query(roles=["designer", "wizard"]))
    assert checked.ok and checked.answers["roles"] == ("designer",) and "wizard" in checked.notes["roles"]
    # a city already in the atlas is told so
    assert "already in the atlas" in sa.check("name=Bologna&nation=ITA").notes["name"]


def test_nothing_answered_shows_no_errors(sa):
    checked = sa.check("")
    assert checked.empty and not checked.errors and sa.result(checked) is None


# ------------------------------------------------------------------ the estimate is the store's

def _by_hand(answers: dict, sa) -> dict:
    """The store's estimate input for the answers, written out by hand (as profiles.csv's parser gives it)."""
    labels = {name: [table[c] for c in answers.get(name, ())] for name, (_col, table) in sa.LISTS.items()}
    yes_no = {"yes": True, "no": False}
    roles = labels["roles"]
    return {"has_explicit_strategy": yes_no.get(answers.get("explicit")), "approach": answers.get("approach"),
            "has_innovation_team": yes_no.get(answers.get("iteam")),
            "has_dedicated_funding": yes_no.get(answers.get("budget")),
            "n_innovation_roles": int(answers["nroles"]) if answers.get("nroles") else (len(roles) or None),
            "innovation_roles": roles, "innovation_activities_ranked": labels["activities"],
            "terms_associated": labels["terms"], "success_factors": labels["factors"], "helping_to": labels["aims"],
            "policy_areas": labels["policies"]}


def _random_answers(rng: random.Random, sa) -> dict:
    answers = {"name": "Lyon", "nation": "FRA"}
    for name in sa.YES_NO:
        if rng.random() < 0.7:
            answers[name] = rng.choice(["yes", "no"])
    if rng.random() < 0.7:
        answers["approach"] = rng.choice(["holistic", "policy-specific", "both"])
    for name, (_col, table) in sa.LISTS.items():
        if rng.random() < 0.6:
            answers[name] = rng.sample(list(table), rng.randint(0, min(5, len(table))))
    if rng.random() < 0.3:
        answers["nroles"] = str(len(answers.get("roles", ())) + rng.randint(0, 4))
    return answers


def test_the_result_is_the_stores_estimate_for_the_same_answers(sa):
    rng = random.Random(14)
    for _ in range(300):
        answers = _random_answers(rng, sa)
        checked = sa.check(urlsplit(urls.self_assessment_url(answers)).query)
        assert checked.ok, checked.errors
        result = sa.result(checked)
        expected = estimate(_by_hand(answers, sa))
        assert result["score"] == expected.score
        assert {c["key"]: c["points"] for c in result["components"]} == expected.points
        assert [c["answered"] for c in result["components"]] == [v is not None for v in expected.points.values()]


def test_lyon_result_breakdown_rank_similar_and_recommendations(sa, store):
    result = sa.result(sa.check(lyon_query()))
    expected = estimate(_by_hand({**LYON}, sa))
    assert result["score"] == expected.score == 6.0 and result["tier"] == "high"
    assert {c["key"]: c["points"] for c in result["components"]} == {
        "strategy": 2, "organisation": 1, "funding": 0, "data": 2, "evaluation": 1}
    scores = [r["psi_index"] for r in store.city_rows() if r["psi_source"] == "estimate"]
    standing = result["standing"]
    assert standing["scored"] == len(scores) and sum(standing["bins"]) == len(scores)
    assert standing["rank"] == 1 + sum(s > 6.0 for s in scores)
    assert standing["ties"] == sum(s == 6.0 for s in scores) and standing["mine"] == 6
    assert len(result["similar"]) == 5
    surveyed = {a["id"] for a in store.profile_answers()}
    for s in result["similar"]:
        assert s["id"] in surveyed and s["href"] == urls.city_url(s["id"])
    assert result["weakest"] == ["Funding"]
    assert [r["number"] for r in result["recommendations"]] == [5]


def test_weakest_components_pick_their_recommendations(sa):
    assert sa.weakest({"strategy": 2, "organisation": 2, "funding": None, "data": 2, "evaluation": 2}) == []
    assert sa.weakest({"strategy": 1, "organisation": 2, "funding": None, "data": 1, "evaluation": 2}) == \
        ["strategy", "data"]
    numbers = [r["number"] for r in sa.recommendations(["strategy", "data"])]
    assert numbers == [2, 3, 6, 7, 8, 9, 10]
    assert [r["number"] for r in sa.recommendations(["evaluation"])] == [3, 6]


def test_every_recommendation_is_mapped_to_components(sa, store):
    from dashboard.store.estimate import COMPONENTS

    assert set(sa.RECOMMENDATION_COMPONENTS) == {r["number"] for r in store.recommendations()}
    for components in sa.RECOMMENDATION_COMPONENTS.values():
        assert components and set(components) <= set(COMPONENTS)
    # every component has a recommendation
    assert {c for cs in sa.RECOMMENDATION_COMPONENTS.values() for c in cs} == set(COMPONENTS)


def test_every_criterion_of_the_estimate_can_be_met_from_the_form(sa):
    offered = {name: set(table.values()) for name, (_col, table) in sa.LISTS.items()}
    assert DATA_ACTIVITY in offered["activities"] and DATA_TERM in offered["terms"]
    assert MEASUREMENT_FACTOR in offered["factors"] and OUTCOMES_AIM in offered["aims"]
    assert any(is_data_role(r) for r in offered["roles"])


def test_every_answer_has_its_words(sa):
    from dashboard import vocabulary

    for name in ("aims", "factors", "terms"):
        assert set(vocabulary.profile_list_words(name)) == set(sa.LISTS[name][1])
    for name in sa.LISTS:
        assert [code for code, _w in sa.choices(name)] == list(sa.LISTS[name][1])
    form_names = [n for _g, names in sa.GROUPS for n in names]
    assert sorted(form_names) == sorted(urls.SELF_ASSESSMENT) and len(set(form_names)) == len(form_names)


def test_the_form_reads_back_what_the_url_holds(sa):
    checked = sa.check(lyon_query(nroles="4"))
    values = sa.form_values(checked.answers)
    assert values["ranks"] == {"data-analytics": 1, "risk-taking": 2}
    # the controls give back the same answers (ranks in their order; equal ranks keep the list's order)
    assert urls.self_assessment_query(sa.answers_from_form(values)) == "?" + lyon_query(nroles="4")
    values["ranks"] = {"human-centred-design": 1, "risk-taking": 1, "data-analytics": "x", "engineer": 2}
    assert sa.answers_from_form(values)["activities"] == ["risk-taking", "human-centred-design"]


# ------------------------------------------------------------------ the page and the files

def test_every_control_has_a_label_or_a_legend(request_ctx):
    from dash import html

    from dashboard.pages import self_assessment as page
    from dashboard.ui.static_html import Html

    layout = page.layout(**dict(p.split("=", 1) for p in lyon_query().split("&")))
    labels, controls, choices, legends = set(), [], 0, 0

    def walk(node, in_fieldset=False, in_label=False):
        nonlocal legends, choices
        if isinstance(node, html.Label):
            labels.add(getattr(node, "htmlFor", None))
        if isinstance(node, html.Legend):
            legends += 1
        if isinstance(node, html.Select) or (isinstance(node, Html) and node.attrs.get("type") == "text"):
            controls.append(node.id if isinstance(node, html.Select) else node.attrs["id"])
        if isinstance(node, Html) and node.attrs.get("type") in ("radio", "checkbox"):
            assert in_fieldset and in_label, node.attrs  # named by its label, grouped by the legend
            choices += 1
        children = getattr(node, "children", None)
        for child in children if isinstance(children, list) else [children]:
            if child is not None and hasattr(child, "to_plotly_json"):
                walk(child, in_fieldset or isinstance(node, html.Fieldset), in_label or isinstance(node, html.Label))

    walk(layout)
    assert len(controls) == 1 + 6 + len(sa_module().LISTS["activities"][1])  # country, text fields, ranks
    assert set(controls) <= labels
    assert choices > 60
    assert legends >= 6 + 4 + 5 + 1  # the groups, the yes/no and approach questions, the lists, the ranks


def sa_module():
    from dashboard.views import self_assessment

    return self_assessment


def test_the_page_is_registered_with_its_title(flask_client, request_ctx):
    import dash

    page = next(p for p in dash.page_registry.values() if p["path"] == urls.SELF_ASSESSMENT_PATH)
    assert page["title"]() == "Assess your city - City Innovation Atlas"
    assert flask_client.get(urls.SELF_ASSESSMENT_PATH).status_code == 200


def _csv_rows(body: bytes) -> tuple[list[str], list[dict]]:
    assert body.startswith(b"\xef\xbb\xbf")
    reader = csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""))
    header = next(reader)
    return header, [dict(zip(header, cells)) for cells in reader]


def test_the_downloads_are_one_row_of_the_ingest_profile_answers(flask_client):
    query = lyon_query()
    response = flask_client.get(urls.SELF_ASSESSMENT_CSV + "?" + query)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="lyon-fra-self-assessment.csv"' in response.headers["Content-Disposition"]
    header, rows = _csv_rows(response.data)
    with open(DATA / "profiles.csv", encoding="utf-8") as fh:
        assert header == next(csv.reader(fh))
    assert len(rows) == 1
    row = rows[0]
    assert row["city_id"] == "lyon-fra" and row["population_reported"] == "522250"
    assert row["innovation_roles"] == "Project manager;Designer;Data scientist" and row["n_innovation_roles"] == "3"
    assert row["innovation_activities_ranked"] == ("Promoting data-driven analytics / public data management;"
                                                   "Taking risks and testing new ideas")
    assert row["team_location"] == "Mayor's office, with a lab" and row["has_dedicated_funding"] == "no"
    assert row["profile_url"] == row["profile_version"] == "" and "Self-assessment" in row["notes"]
    as_json = flask_client.get(urls.SELF_ASSESSMENT_JSON + "?" + query)
    assert as_json.status_code == 200
    payload = json.loads(as_json.data)
    assert payload["columns"] == header and payload["rows"] == rows
    refused = flask_client.get(urls.SELF_ASSESSMENT_CSV + "?" + lyon_query(residents="-5"))
    assert refused.status_code == 400 and b"cannot be negative" in refused.data
    assert flask_client.get(urls.SELF_ASSESSMENT_JSON).status_code == 400
    assert flask_client.post(urls.SELF_ASSESSMENT_CSV + "?" + query).status_code == 405


def _ingest(*args, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dashboard.store", "ingest", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def test_a_download_round_trips_through_ingest(flask_client, data_copy, tmp_path):
    """The survey team adds the city (cities column set), fills the two cells only it can fill, and
    ingests the download: the store then gives Lyon the estimate the page showed."""
    from dashboard.store import Store

    with (data_copy / "cities.csv").open("a", encoding="utf-8") as fh:
        fh.write(LYON_CITY_ROW)
    db = tmp_path / "atlas.duckdb"
    download = tmp_path / "lyon-fra-self-assessment.csv"
    download.write_bytes(flask_client.get(urls.SELF_ASSESSMENT_CSV + "?" + lyon_query()).data)
    before = (data_copy / "profiles.csv").read_bytes()
    # as downloaded: refused only for the cells left to the survey team
    raw = _ingest(download, "--dry-run", "--data", data_copy, "--db", db)
    assert raw.returncode == 1, raw.stdout
    problems = [ln for ln in raw.stdout.splitlines() if ln.strip().startswith("- ")]
    assert len(problems) == 2, raw.stdout
    assert "column 'profile_url' is empty" in raw.stdout and "column 'profile_version' is empty" in raw.stdout
    # filled in: a dry run adds the row, and writes nothing
    header, rows = _csv_rows(download.read_bytes())
    rows[0].update(profile_url="https://cities-innovation-oecd.com/cities/lyon-fra/", profile_version="2021")
    filled = tmp_path / "filled.csv"
    with filled.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, header)
        writer.writeheader()
        writer.writerows(rows)
    dry = _ingest(filled, "--dry-run", "--data", data_copy, "--db", db)
    assert dry.returncode == 0, dry.stdout
    assert "added 1" in dry.stdout and "added: lyon-fra" in dry.stdout and "dry run" in dry.stdout
    assert (data_copy / "profiles.csv").read_bytes() == before
    # applied: the store's estimate for Lyon is the page's
    done = _ingest(filled, "--data", data_copy, "--db", db)
    assert done.returncode == 0, done.stdout
    lyon = Store(db).city("lyon-fra")
    assert lyon["psi_index"] == 6.0 and lyon["psi_source"] == "estimate"
    points = [lyon[f"{k}_points"] for k in ("strategy", "organisation", "funding", "data", "evaluation")]
    assert points == [2, 1, 0, 2, 1]


def test_a_sent_form_moves_to_the_answers_address_in_its_language(sa, flask_client):
    from werkzeug.datastructures import MultiDict

    form = MultiDict([("name", " Lyon "), ("nation", "FRA"), ("residents", ""), ("explicit", ""), ("budget", "no"),
                      ("roles", "designer"), ("roles", "project-manager"), ("rank-risk-taking", "2"),
                      ("rank-data-analytics", "1"), ("rank-co-creation", ""), ("sent", "1"), ("lang", "fr")])
    assert sa.sent_address(form) == ("/self-assessment?name=Lyon&nation=FRA&roles=designer,project-manager&budget=no"
                                     "&activities=data-analytics,risk-taking&lang=fr")
    # not a sent form, or already the page for a form sent empty: no move
    assert sa.sent_address(MultiDict([("name", "Lyon")])) is None
    assert sa.sent_address(MultiDict([("sent", "1"), ("lang", "fr")])) is None
    # sent with nothing answered: the page says what to give (and does not move again)
    assert sa.sent_address(MultiDict([("name", " "), ("sent", "1")])) == "/self-assessment?sent=1"

    response = flask_client.get("/self-assessment?name=Lyon&nation=FRA&explicit=yes&rank-risk-taking=1&sent=1")
    assert response.status_code == 303
    assert response.headers["Location"] == "/self-assessment?name=Lyon&nation=FRA&explicit=yes&activities=risk-taking"
    assert flask_client.get("/self-assessment?sent=1").status_code == 200


def test_a_form_sent_with_nothing_answered_asks_for_the_name_and_country(request_ctx):
    import json

    from dashboard.pages import self_assessment as page

    from plotly.utils import PlotlyJSONEncoder

    shown = json.dumps(page.layout(sent="1").to_plotly_json(), cls=PlotlyJSONEncoder)
    assert "2 answers need a change" in shown and "Give the city's name." in shown
    assert "answers need a change" not in json.dumps(page.layout().to_plotly_json(), cls=PlotlyJSONEncoder)


@pytest.mark.parametrize("lang, unanswered, published", [("en", "not answered", "not published"),
                                                          ("fr", "sans réponse", "non publi")])
def test_what_the_form_left_unanswered_is_said_so_never_not_published(sa, lang, unanswered, published):
    from dashboard.i18n import language

    with language(lang):
        # strategy half answered, four roles stated and one ticked, no funding, data or evaluation answer
        result = sa.result(sa.check("name=Lyon&nation=FRA&explicit=yes&iteam=yes&nroles=4&roles=designer"))
    parts = [c["text"] for c in result["components"]] + [c["reason"] or "" for c in result["components"]]
    parts += [k["answer"] for c in result["components"] for k in c["criteria"] if not k["counted"]]
    assert not any(published in p.lower() for p in parts), parts
    by_key = {c["key"]: c for c in result["components"]}
    assert unanswered in by_key["strategy"]["text"] and by_key["funding"]["text"].lower() == unanswered
    data_role = next(k for k in by_key["data"]["criteria"] if k["key"] == "data_role")
    assert not data_role["counted"] and "1" in data_role["answer"] and "4" in data_role["answer"]


def test_a_field_to_change_is_marked_and_described_by_its_message(request_ctx):
    from dash import html

    from dashboard.pages import self_assessment as page
    from dashboard.ui.static_html import Html

    found, groups = {}, []

    def walk(node):
        if isinstance(node, html.Fieldset) and getattr(node, "aria-describedby", None):
            groups.append(getattr(node, "aria-describedby"))
        if isinstance(node, Html) and node.attrs.get("id"):
            found[node.attrs["id"]] = node.attrs
        elif getattr(node, "id", None):
            found[node.id] = node.to_plotly_json()["props"]
        children = getattr(node, "children", None)
        for child in children if isinstance(children, list) else [children]:
            if child is not None and hasattr(child, "to_plotly_json"):
                walk(child)

    walk(page.layout(name="Lyon", nation="FRA", residents="-5", explicit="maybe"))
    assert found["sa-residents"]["aria-invalid"] == "true"
    assert found["sa-residents"]["aria-describedby"] == "sa-residents-error" and "sa-residents-error" in found
    assert "aria-invalid" not in found["sa-popyear"] and "aria-invalid" not in found["sa-name"]
    # a question's group is described by its message (a fieldset takes no aria-invalid)
    assert "sa-explicit-error" in found and groups == ["sa-explicit-error"]
