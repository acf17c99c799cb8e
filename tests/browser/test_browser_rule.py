"""The browser's pick of the map's cities is the facet specification's rule.

assets/atlas_map.js runs here in Chromium itself (not a copy of its logic): for at least 100
seeded selections over every facet, and for the real data's own values, the cities it draws
from the served point table are exactly those of the hand-written reference SQL."""
from __future__ import annotations

import json

import pytest

from dashboard.facets import FACETS, Filters
from tests.reference import count, facet_counts, ids
from tests.test_facet_index import random_filters

pytestmark = pytest.mark.browser
SCRIPT = (__import__("pathlib").Path(__file__).resolve().parents[2] / "assets" / "atlas_map.js").read_text()


def browser_pick(page, table: dict, selections: list[str]) -> list[list[str]]:
    page.set_content("<!doctype html><title>rule</title>")
    page.add_script_tag(content=SCRIPT)
    return page.evaluate("""([table, selections]) => selections.map(s =>
        window.atlas.map.features(table, s, {tier: {}, unconfirmed: ""},
                                  {high: {}, low: {}, unknown: {}}).features.map(f => f.id))""",
                         [table, selections])


def test_the_browser_picks_the_reference_cities(page, flask_client, store):
    table = json.loads(flask_client.get("/data/cities.json").data)
    # 120 seeded selections, and every single value of every facet as the data has it
    selections = random_filters(store, 120, seed=11)
    for facet in FACETS:
        for value in table["facets"][facet.key]["values"]:
            selections.append(Filters({facet.key: (value,)}))
    picked = browser_pick(page, table, [f.canonical for f in selections])
    assert len(selections) >= 100
    for f, got in zip(selections, picked):
        assert sorted(got) == sorted(ids(store, f)), f
    assert any(got for got in picked) and any(not got for got in picked)


def test_the_browser_counts_as_the_reference(page, flask_client, store):
    """The count and every facet's counts the map page writes after a change come from the browser
    (atlas_map.js ``canonical`` and ``counts`` over the served point table); for 120 seeded selections,
    their values given in any order, they are the reference SQL's."""
    import random

    import app as app_module

    table = json.loads(flask_client.get("/data/cities.json").data)
    selections = random_filters(store, 120, seed=12)
    shuffle = random.Random(3)
    given = [{k: shuffle.sample(list(v), len(v)) for k, v in f.items()} for f in selections]
    page.set_content(f"<!doctype html><title>counts</title>{app_module.client_config()}")
    page.add_script_tag(content=SCRIPT)
    got = page.evaluate("""([table, given]) => given.map(values => {
        const query = window.atlas.map.canonical(values), answer = window.atlas.map.counts(table, query);
        const counts = {};
        for (const [key, column] of Object.entries(table.facets)) {
          counts[key] = {};
          column.values.forEach((v, j) => { if (answer.counts[key][j]) { counts[key][v] = answer.counts[key][j]; } });
        }
        return [query, answer.count, counts];
      })""", [table, given])
    for f, (query, n, counts) in zip(selections, got):
        assert query == f.canonical
        assert n == count(store, f), f
        assert counts == facet_counts(store, f), f
    assert any(n == 0 for _, n, _ in got) and any(n > 0 for _, n, _ in got)


def test_dropdown_selections_count_as_the_server_does(page, flask_client, store, request_ctx):
    """The facets the map offers as dropdowns (the specification's ``control``) are counted in the
    browser too: for every value of each alone and for seeded selections mixing them with the
    other facets, the browser's count and every facet's counts are the server's own answer
    (``data.selection``, ``data.facet_counts``: the map's reference)."""
    import numpy as np

    import app as app_module
    from dashboard import data

    dropdowns = [f for f in FACETS if f.control == "dropdown"]
    assert {f.key for f in dropdowns} >= {"country", "policy", "role"}
    table = json.loads(flask_client.get("/data/cities.json").data)
    selections = [Filters({f.key: (v,)}) for f in dropdowns for v in table["facets"][f.key]["values"]]
    rng = np.random.default_rng(5)
    for other in random_filters(store, 60, seed=13):
        facet = dropdowns[int(rng.integers(len(dropdowns)))]
        values = table["facets"][facet.key]["values"]
        chosen = tuple(rng.choice(values, size=min(2, len(values)), replace=False))
        selections.append(Filters({**{k: other[k] for k in other}, facet.key: chosen}))
    page.set_content(f"<!doctype html><title>counts</title>{app_module.client_config()}")
    page.add_script_tag(content=SCRIPT)
    got = page.evaluate("""([table, given]) => given.map(values => {
        const answer = window.atlas.map.counts(table, window.atlas.map.canonical(values)), counts = {};
        for (const [key, column] of Object.entries(table.facets)) {
          counts[key] = {};
          column.values.forEach((v, j) => { if (answer.counts[key][j]) { counts[key][v] = answer.counts[key][j]; } });
        }
        return [answer.count, counts];
      })""", [table, [{k: list(f[k]) for k in f} for f in selections]])
    for f, (n, counts) in zip(selections, got):
        assert n == data.selection(f)["count"], f
        server = {k: {v: c for v, c in by_value.items() if c} for k, by_value in data.facet_counts(f).items()}
        assert counts == server, f
    assert any(n == 0 for n, _ in got) and any(n > 1 for n, _ in got)



def test_the_browser_fits_a_selection_as_the_server_does(page, flask_client, store, request_ctx):
    """The bounds the map is fitted to when the visitor changes a filter come from the browser
    (atlas_map.js ``map.fit`` over the features drawn from the served point table, by the rule the page ships,
    ``map_view.FIT``): for seeded selections, an empty one among them, they are the server's
    (``map_view.bounds`` of the store's extent) within 1e-4 degrees (the point table's coordinates
    are rounded to 5 decimals)."""
    import app as app_module
    from dashboard import data
    from dashboard.views.map_view import WORLD_BOUNDS, bounds

    table = json.loads(flask_client.get("/data/cities.json").data)
    selections = random_filters(store, 60, seed=14) + [
        Filters(region=("europe",)), Filters(country=("NZL",)), Filters(country=("NZL",), region=("europe",))]
    page.set_content(f"<!doctype html><title>fit</title>{app_module.client_config()}")
    page.add_script_tag(content=SCRIPT)
    got = page.evaluate("""([table, given]) => given.map(query => window.atlas.map.fit(
        window.atlas.map.features(table, query, {tier: {}, unconfirmed: ""}, {high: {}, low: {}, unknown: {}}),
        window.atlas.config().pages['/'].fit))""",
                        [table, [f.canonical for f in selections]])
    for f, box in zip(selections, got):
        expected = bounds(data.selection(f)["extent"])
        assert all(abs(a - b) < 1e-4 for a, b in zip(sum(box, []), sum(expected, []))), (f, box, expected)
    assert WORLD_BOUNDS in got and any(box != WORLD_BOUNDS for box in got)
