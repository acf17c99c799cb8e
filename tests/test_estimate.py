from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.store.estimate import (COMPONENT_MAX, COMPONENTS, DATA_ACTIVITY, DATA_TERM, INPUTS, MEASUREMENT_FACTOR,
                                      OUTCOMES_AIM, RULES, criteria, estimate, published, tier)

FULL = {
    "has_explicit_strategy": True, "approach": "both", "has_innovation_team": True, "n_innovation_roles": 4,
    "has_dedicated_funding": True, "innovation_roles": ["Project manager", "Data scientist", "Designer", "Engineer"],
    "innovation_activities_ranked": ["Taking risks and testing new ideas"], "terms_associated": ["Data analytics"],
    "success_factors": ["Focus on measurement"], "helping_to": ["Improve resident outcomes"],
}


def test_all_components_full_marks():
    e = estimate(FULL)
    assert e.points == {"strategy": 2, "organisation": 2, "funding": 2, "data": 2, "evaluation": 2}
    assert e.counted == {c: COMPONENT_MAX for c in COMPONENTS}
    assert e.score == 10.0 and tier(e.score) == "high"


def test_unpublished_component_is_scaled_out_not_counted_as_zero():
    p = {**FULL, "has_dedicated_funding": None}
    e = estimate(p)
    assert e.points["funding"] is None and e.counted["funding"] is None and e.answered == 4


def test_an_unpublished_part_of_a_component_is_not_scored_as_zero():
    # the approach, the activities and the aims are not published: their criteria do not count
    p = {**FULL, "has_explicit_strategy": False, "approach": None, "innovation_activities_ranked": [],
         "helping_to": []}
    e = estimate(p)
    assert e.points["strategy"] == 0 and e.counted["strategy"] == 1  # 0 of 1, not 0 of 2
    assert e.points["data"] == 1 and e.counted["data"] == 1  # the data role only: the terms alone do not decide
    assert e.points["evaluation"] == 1 and e.counted["evaluation"] == 1
    # 0 + 2 + 2 + 1 + 1 = 6 of 7 counted points (scoring the missing answers as 0 gave 7 of 10: 7.0)
    assert e.score == 8.6


def test_a_cut_list_of_roles_is_not_published_in_full():
    # the page states 5 roles but lists 2: a data role may be among the other three
    cut = {**FULL, "innovation_roles": ["Project manager", "Designer"], "n_innovation_roles": 5}
    assert {c.key: c.met for c in criteria(cut)["data"]}["data_role"] is None
    # ... and the same whatever the listed roles are (a listed data role is not counted either)
    with_data = {**cut, "innovation_roles": ["Data scientist", "Designer"]}
    assert {c.key: c.met for c in criteria(with_data)["data"]}["data_role"] is None
    assert estimate(cut).score == estimate(with_data).score
    whole = {**cut, "n_innovation_roles": 2}
    assert {c.key: c.met for c in criteria(whole)["data"]}["data_role"] is False


def test_low_answers():
    p = {"has_explicit_strategy": False, "approach": "policy-specific", "has_innovation_team": False,
         "n_innovation_roles": 6, "has_dedicated_funding": False, "innovation_roles": ["Designer"],
         "success_factors": ["Dedicated funding"], "helping_to": ["Improve service delivery"]}
    e = estimate(p)
    # no team: the roles do not make a multidisciplinary team; data: the role list is cut (6 stated, 1
    # listed) and activities and terms are missing, so the data component is not answered
    assert e.points == {"strategy": 0, "organisation": 0, "funding": 0, "data": None, "evaluation": 0}
    assert e.score == 0.0 and tier(e.score) == "low"


def test_scaling_and_rounding():
    p = {"has_explicit_strategy": True, "approach": "policy-specific", "has_innovation_team": True,
         "n_innovation_roles": 2, "success_factors": ["Leadership from Mayor"], "helping_to": ["Improve service delivery"]}
    e = estimate(p)  # strategy 1 of 2, organisation 1 of 2, evaluation 0 of 2 -> 2 of 6 -> 3.3
    assert e.answered == 3 and e.score == 3.3


def test_fewer_than_three_answered_components_give_no_estimate():
    e = estimate({"has_explicit_strategy": True, "approach": "holistic", "has_innovation_team": True})
    assert e.answered == 2 and e.score is None and tier(e.score) == "unknown"
    assert estimate(None).score is None and estimate(None).answered == 0


def test_tier_cut_off_is_six():
    assert tier(6.0) == "high" and tier(5.9) == "low"


def test_each_criterion_reads_the_answers_the_method_names():
    assert INPUTS == {
        "explicit_strategy": ("has_explicit_strategy",), "holistic_approach": ("approach",),
        "innovation_team": ("has_innovation_team",),
        "multidisciplinary_team": ("has_innovation_team", "n_innovation_roles"),
        "dedicated_funding": ("has_dedicated_funding",), "data_role": ("innovation_roles",),
        "data_analytics": ("innovation_activities_ranked", "terms_associated"),
        "focus_on_measurement": ("success_factors",), "resident_outcomes": ("helping_to",),
    }
    assert {r.component for r in RULES} == set(COMPONENTS)
    assert all(sum(r.points for r in RULES if r.component == c) == COMPONENT_MAX for c in COMPONENTS)


# --------------------------------------------------------- property: only published answers count

ROLES = ["Project manager", "Data scientist", "Designer", "Data analyst", "Engineer", "Communication officer"]
ACTIVITIES = [DATA_ACTIVITY, "Taking risks and testing new ideas", "Engaging residents in new ways"]
TERMS = [DATA_TERM, "Experimentation", "Human-centered design", "Resident engagement"]
FACTORS = [MEASUREMENT_FACTOR, "Dedicated funding", "Leadership from Mayor"]
AIMS = [OUTCOMES_AIM, "Improve service delivery", "Save costs and improve efficiency within the public sector"]

# every input of the estimate: a value, or absent (None / empty list, as the store gives it)
VALUES = {
    "has_explicit_strategy": st.booleans(), "approach": st.sampled_from(["holistic", "policy-specific", "both"]),
    "has_innovation_team": st.booleans(), "n_innovation_roles": st.integers(0, 9),
    "has_dedicated_funding": st.booleans(),
    "innovation_roles": st.lists(st.sampled_from(ROLES), min_size=1, max_size=6, unique=True),
    "innovation_activities_ranked": st.lists(st.sampled_from(ACTIVITIES), min_size=1, max_size=3, unique=True),
    "terms_associated": st.lists(st.sampled_from(TERMS), min_size=1, max_size=2, unique=True),
    "success_factors": st.lists(st.sampled_from(FACTORS), min_size=1, max_size=3, unique=True),
    "helping_to": st.lists(st.sampled_from(AIMS), min_size=1, max_size=3, unique=True),
}
ABSENT = {k: ([] if k in ("innovation_roles", "innovation_activities_ranked", "terms_associated",
                          "success_factors", "helping_to") else None) for k in VALUES}
profiles = st.fixed_dictionaries({k: st.one_of(st.just(ABSENT[k]), v) for k, v in VALUES.items()})


def _unpublished(p: dict) -> set[str]:
    return {k for k in VALUES if not published(p, k)}


@settings(max_examples=300, deadline=None)
@given(profiles)
def test_no_criterion_with_an_unpublished_input_scores_or_counts_as_zero(p):
    missing = _unpublished(p)
    est = estimate(p)
    counted_points = met_points = 0
    for comp, crit in criteria(p).items():
        for c in crit:
            if set(INPUTS[c.key]) & missing:
                assert c.met is None and c.scored == 0, (c, missing)
            else:
                assert c.met is not None, c
                counted_points += c.points
                met_points += c.scored
        kept = [c for c in crit if c.met is not None]
        assert est.counted[comp] == (sum(c.points for c in kept) if kept else None)
        assert est.points[comp] == (sum(c.scored for c in kept) if kept else None)
    if est.score is not None:
        assert est.score == round(10 * met_points / counted_points, 1)


@settings(max_examples=300, deadline=None)
@given(profiles, st.data())
def test_the_estimate_never_depends_on_an_answer_whose_criteria_do_not_count(p, data):
    # an answer read only by criteria that miss another input is not scored: any other value of it
    # leaves the estimate as it is
    missing = _unpublished(p)
    for field in VALUES:
        readers = [r for r in RULES if field in r.inputs]
        if field in missing or not all(set(r.inputs) & missing for r in readers):
            continue
        other = {**p, field: data.draw(VALUES[field], label=field)}
        if _unpublished(other) != missing:  # e.g. a new role count that makes the role list cut
            continue
        assert estimate(other) == estimate(p), field


@settings(max_examples=300, deadline=None)
@given(profiles, st.sampled_from(sorted(VALUES)))
def test_removing_an_answer_removes_exactly_its_criteria(p, field):
    fewer = {**p, field: ABSENT[field]}
    before, after = criteria(p), criteria(fewer)
    for comp in COMPONENTS:
        for b, a in zip(before[comp], after[comp]):
            if field in INPUTS[b.key]:
                assert a.met is None
            elif not (field == "n_innovation_roles" and "innovation_roles" in INPUTS[b.key]):
                # (without a stated count a listed role list is taken as whole: the only reverse effect)
                assert a.met == b.met
