"""One facet specification drives the store's SQL and the in-memory index: both give the answers
of the hand-written reference SQL (tests/reference.py) for many seeded selections."""
from __future__ import annotations

import numpy as np
import pytest

from dashboard.data.facet_index import FacetIndex
from dashboard.facets import FACETS, Filters
from dashboard.urls import from_query
from tests.reference import count, facet_counts, ids, profile_facts


@pytest.fixture(scope="module")
def index(store) -> FacetIndex:
    return FacetIndex(store.facet_table())


def random_filters(store, n: int, seed: int = 7) -> list[Filters]:
    """Seeded selections of one to four facets with one to three values each (some match no city):
    every facet of the specification takes part, the multi-valued ones included."""
    rng = np.random.default_rng(seed)
    # the open vocabularies' values come from the data, plus one no city has
    open_values = {"country": [c["iso3"] for c in store.countries()] + ["ZZZ"], "wave": store.waves() + ["2030"]}
    out = []
    for _ in range(n):
        parts = {}
        for facet in rng.choice(FACETS, size=int(rng.integers(1, 5)), replace=False):
            values = list(facet.values) or open_values[facet.key]
            k = int(rng.integers(1, min(3, len(values)) + 1))
            parts[facet.key] = ",".join(rng.choice(values, size=k, replace=False))
        out.append(from_query(parts))
    return [Filters(), *out]


def test_every_facet_takes_part_in_the_seeded_selections(store):
    used = {key for f in random_filters(store, 120) for key in f}
    assert used == {f.key for f in FACETS}


def test_index_and_store_sql_give_the_reference_answers(index, store):
    for f in random_filters(store, 120):
        expected = ids(store, f)
        assert {r["id"] for r in store.city_rows(f)} == expected, f  # the SQL derived from the spec
        chosen = index.mask(f)
        assert {p.id for p, keep in zip(store.city_points(), chosen) if keep} == expected, f
        assert index.selection(f)["count"] == len(expected)
        assert index.facet_counts(f) == facet_counts(store, f), f
        assert index.profile_facts(f) == profile_facts(store, f), f


def test_a_selection_with_no_city(index, store):
    f = Filters(country=("ZZZ",))
    assert index.selection(f) == {"count": 0, "total": count(store), "extent": None}
    assert index.profile_facts(f)["cities"] == 0


def test_multi_valued_facets_match_any_value(index, store):
    for key, a, b in (("covid", "co-creation", "recovery-resilience"), ("policy", "education", "housing"),
                      ("role", "designer", "engineer"), ("activity", "risk-taking", "human-centred-design")):
        both = ids(store, Filters({key: (a, b)}))
        assert both == ids(store, Filters({key: (a,)})) | ids(store, Filters({key: (b,)})), key
        assert index.selection(Filters({key: (a, b)}))["count"] == len(both) > 0, key
