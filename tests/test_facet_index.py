"""The in-memory facet index answers exactly as the store's SQL does."""
from __future__ import annotations

import numpy as np
import pytest

from dashboard.data.facet_index import FacetIndex
from dashboard.facets import FACETS, Filters, from_query
from dashboard.facets import COVID_CATEGORIES


@pytest.fixture(scope="module")
def index(store) -> FacetIndex:
    return FacetIndex(store.facet_table(), COVID_CATEGORIES)


def random_filters(store, n: int, seed: int = 7) -> list[Filters]:
    """Seeded selections of one to four facets with one to three values each (some match no city)."""
    rng = np.random.default_rng(seed)
    countries = [c["iso3"] for c in store.countries()] + ["ZZZ"]
    out = []
    for _ in range(n):
        parts = {}
        for facet in rng.choice(FACETS, size=int(rng.integers(1, 5)), replace=False):
            values = countries if facet.key == "country" else list(facet.values)
            k = int(rng.integers(1, min(3, len(values)) + 1))
            parts[facet.key] = ",".join(rng.choice(values, size=k, replace=False))
        out.append(from_query(parts))
    return [Filters(), *out]


def positions(bits: bytes, total: int) -> list[int]:
    """The rows whose bit is set: bit i is bit i % 8 of byte i // 8 (decoded here on its own)."""
    return [i for i in range(total) if bits[i // 8] >> (i % 8) & 1]


def test_same_answers_as_the_store_s_sql(index, store):
    for f in random_filters(store, 120):
        sel, sql = index.selection(f), store.selection(f)
        assert len(sel["bits"]) == (sql["total"] + 7) // 8
        assert positions(sel["bits"], sql["total"]) == sql["positions"], f
        assert (sel["count"], sel["total"], sel["extent"]) == (len(sql["positions"]), sql["total"], sql["extent"])
        assert index.facet_counts(f) == store.facet_counts(f), f
        assert index.profile_facts(f) == store.profile_facts(f), f


def test_a_selection_with_no_city(index, store):
    f = Filters(country=("ZZZ",))
    assert index.selection(f) == {"bits": bytes((store.count() + 7) // 8), "count": 0, "total": store.count(),
                                  "extent": None}
    assert index.profile_facts(f)["cities"] == 0


def test_covid_matches_any_response_in_the_categories(index, store):
    both = Filters(covid=("co-creation", "recovery-resilience"))
    ids = {p.id for p in store.city_points(both)}
    assert ids == {p.id for p in store.city_points(Filters(covid=("co-creation",)))} | {
        p.id for p in store.city_points(Filters(covid=("recovery-resilience",)))}
    assert index.selection(both)["count"] == len(ids) > 0
