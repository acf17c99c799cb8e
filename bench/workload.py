"""What the benchmarks send: varied filter selections and the exact bodies Dash posts.

The callback bodies start from the ones a real browser posted (captured by
``bench.browser.capture_bodies``); only the filter values change.
"""
from __future__ import annotations

import copy

import numpy as np

from dashboard import ids
from dashboard.facets import FACET_BY_KEY, Filters, clean_values

# facets the generated selections use (country and wave values come from the store)
SELECTION_FACETS = ("region", "tier", "covid", "country", "wave", "pop", "strategy", "funding", "team", "confirmed")
EUROPE = Filters(region=("europe",))


def query(filters: Filters) -> str:
    return filters.canonical


def selections(n: int, seed: int, open_values: dict[str, list[str]]) -> list[Filters]:
    """``n`` distinct selections of one or two facets with one to three values each (seeded);
    ``open_values``: the data's values of the open vocabularies (country, wave)."""
    rng = np.random.default_rng(seed)
    out: list[Filters] = []
    seen: set[str] = set()
    for _ in range(n * 50):
        if len(out) == n:
            break
        parts = {}
        for key in rng.choice(SELECTION_FACETS, size=int(rng.integers(1, 3)), replace=False):
            values = FACET_BY_KEY[str(key)].values or open_values[str(key)]
            picked = rng.choice(values, size=int(rng.integers(1, min(3, len(values)) + 1)), replace=False)
            parts[str(key)] = clean_values(str(key), [str(v) for v in picked])
        f = Filters(**parts)
        if query(f) not in seen:
            seen.add(query(f))
            out.append(f)
    return out


def sync_body(template: dict, filters: Filters) -> dict:
    """The map page's ``sync_page`` body for a filter change to ``filters``."""
    body = copy.deepcopy(template)
    changed = next((k for k in SELECTION_FACETS if filters[k]), "region")
    for item in body["inputs"]:
        if item["id"].startswith(ids.FILTER_PREFIX) and item["property"] == "value":
            item["value"] = list(filters[item["id"][len(ids.FILTER_PREFIX):]])
    body["changedPropIds"] = body["parsedChangedPropsIds"] = [f"{ids.filter_id(changed)}.value"]
    return body
