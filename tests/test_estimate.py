from dashboard.store.estimate import estimate, tier

FULL = {
    "has_explicit_strategy": True, "approach": "both", "has_innovation_team": True, "n_innovation_roles": 5,
    "has_dedicated_funding": True, "innovation_roles": ["Project manager", "Data scientist"],
    "innovation_activities_ranked": [], "terms_associated": ["Data analytics"],
    "success_factors": ["Focus on measurement"], "helping_to": ["Improve resident outcomes"],
}


def test_all_components_full_marks():
    e = estimate(FULL)
    assert e.points == {"strategy": 2, "organisation": 2, "funding": 2, "data": 2, "evaluation": 2}
    assert e.score == 10.0 and tier(e.score) == "high"


def test_unpublished_component_is_scaled_out_not_counted_as_zero():
    p = {**FULL, "has_dedicated_funding": None}
    e = estimate(p)
    assert e.points["funding"] is None and e.answered == 4 and e.score == 10.0


def test_low_answers():
    p = {"has_explicit_strategy": False, "approach": "policy-specific", "has_innovation_team": False,
         "n_innovation_roles": 6, "has_dedicated_funding": False, "innovation_roles": ["Designer"],
         "success_factors": ["Dedicated funding"], "helping_to": ["Improve service delivery"]}
    e = estimate(p)
    # no team: the roles do not make a multidisciplinary team
    assert e.points == {"strategy": 0, "organisation": 0, "funding": 0, "data": 0, "evaluation": 0}
    assert e.score == 0.0 and tier(e.score) == "low"


def test_scaling_and_rounding():
    p = {"has_explicit_strategy": True, "approach": "policy-specific", "has_innovation_team": True,
         "n_innovation_roles": 2, "success_factors": ["Leadership from Mayor"]}
    e = estimate(p)  # strategy 1, organisation 1, evaluation 0 -> 2 of 3 answered -> 2*5/3
    assert e.answered == 3 and e.score == 3.3


def test_fewer_than_three_answered_components_give_no_estimate():
    e = estimate({"has_explicit_strategy": True, "approach": "holistic", "has_innovation_team": True})
    assert e.answered == 2 and e.score is None and tier(e.score) == "unknown"
    assert estimate(None).score is None


def test_tier_cut_off_is_six():
    assert tier(6.0) == "high" and tier(5.9) == "low"


def test_criteria_explain_the_points():
    from dashboard.store.estimate import criteria

    p = {**FULL, "approach": "policy-specific", "has_dedicated_funding": None, "terms_associated": []}
    crit = criteria(p)
    met = {c: {x.key: x.met for x in rules} for c, rules in crit.items() if rules is not None}
    assert crit["funding"] is None
    assert met["strategy"] == {"explicit_strategy": True, "holistic_approach": False}
    assert met["data"] == {"data_role": True, "data_analytics": False}
    points = estimate(p).points
    for c, rules in crit.items():
        assert points[c] == (None if rules is None else sum(x.points for x in rules if x.met))
    assert criteria(None) == {c: None for c in points}
