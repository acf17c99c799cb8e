"""The comparison page's logic and callbacks, called directly."""
from __future__ import annotations

import pytest

from dashboard.store.estimate import COMPONENTS
from tests.reference import count

KNOWN = {"bologna-ita", "amsterdam-nld", "seoul-kor", "medellin-col", "lisbon-prt"}


def known(text: str) -> str | None:
    """A stand-in for the store's rule (``data.known_city``) over a fixed set of ids."""
    return text if text in KNOWN else None


@pytest.fixture()
def view(request_ctx):
    from dashboard.views import compare_view

    return compare_view


def test_parse_keeps_known_ids_in_order(view):
    sel = view.parse_ids(" Bologna-ITA, seoul-kor,,amsterdam-nld ", known)
    assert sel.ids == ("bologna-ita", "seoul-kor", "amsterdam-nld") and sel.notes() == []
    assert view.parse_ids(["bologna-ita", "seoul-kor"], known).ids == ("bologna-ita", "seoul-kor")  # repeated key
    assert view.parse_ids(None, known).ids == () and view.parse_ids("", known).ids == ()


def test_parse_drops_unknown_and_repeated_ids_with_a_note(view):
    sel = view.parse_ids("bologna-ita,xyz,bologna-ita,xyz,<b>x</b>", known)
    assert sel.ids == ("bologna-ita",)
    assert sel.unknown == ("xyz", "<b>x</b>") and sel.repeated == ("bologna-ita",)
    assert sel.notes() == ["Ignored: xyz (unknown city)", "Ignored: <b>x</b> (unknown city)",
                           "Ignored: bologna-ita (listed twice)"]
    long = view.parse_ids("x" * 500, known).notes()[0]
    assert len(long) < 80 and long.endswith("… (unknown city)")


def test_parse_keeps_the_first_four(view):
    sel = view.parse_ids("bologna-ita,amsterdam-nld,seoul-kor,medellin-col,lisbon-prt,seoul-kor", known)
    assert sel.ids == ("bologna-ita", "amsterdam-nld", "seoul-kor", "medellin-col")
    assert sel.dropped == ("lisbon-prt",) and sel.repeated == ("seoul-kor",)
    assert "At most 4 cities can be compared; ignored: lisbon-prt" in sel.notes()


def test_url_form_of_a_selection(view):
    assert view.href(["bologna-ita", "seoul-kor", "bologna-ita"]) == "/compare?cities=bologna-ita,seoul-kor"
    assert view.href([]) == "/compare"


def test_parsing_a_huge_list_is_bounded(view):
    calls = []
    sel = view.parse_ids(",".join(["bologna-ita"] * 100_000), lambda x: calls.append(x) or x)
    assert sel.ids == ("bologna-ita",) and len(calls) <= 50
    assert view.add(["bologna-ita"], "bologna-ita") == ["bologna-ita"]
    assert view.add(["a", "b", "c", "d"], "e") == ["a", "b", "c", "d"]
    assert view.remove(["a", "b", "c"], "b") == ["a", "c"]


def test_rows_mark_differences_from_the_data(view, store):
    cities = [store.city(i) for i in ("bologna-ita", "amsterdam-nld", "seoul-kor")]
    rows = {r["key"]: r for r in view.rows(cities)}
    assert rows["population"]["differs"] and rows["country"]["differs"]
    teams = {c["profile"]["has_innovation_team"] for c in cities}
    assert rows["team"]["differs"] == (len(teams) > 1)
    for key in COMPONENTS:
        points = [(c[f"{key}_points"], c[f"{key}_max"]) for c in cities]
        assert rows[f"points-{key}"]["bars"] == [None if p is None else (p, m) for p, m in points]
        assert rows[f"points-{key}"]["differs"] == (len(set(points)) > 1)
    # a component of which part is not published says so instead of scoring it 0
    data_cells = {c["id"]: cell["text"] for c, cell in zip(cities, rows["points-data"]["cells"])}
    assert data_cells["bologna-ita"] == "Not published"
    assert data_cells["seoul-kor"] == "1 of 1 point counted (1 not published)"
    assert data_cells["amsterdam-nld"] == "2 of 2 points"
    for cell, city in zip(rows["situational-awareness"]["cells"], cities):
        titles = [r["title"] for r in city["covid_responses"] if r["category"] == "situational-awareness"]
        assert cell["items"] == titles
    roles = rows["roles"]["cells"]
    assert roles[0]["items"] == [i["label"] for i in cities[0]["items"]["role"]]
    # the order of a list does not make a difference, only its content
    same = view.rows([cities[0], {**cities[0], "items": {**cities[0]["items"],
                                                         "role": cities[0]["items"]["role"][::-1]}}])
    assert not any(r["differs"] for r in same)
    assert not any(r["differs"] for r in view.rows(cities[:1]))


def test_rows_for_a_city_without_profile(view, store):
    rows = {r["key"]: r for r in view.rows([store.city("florence-ita"), store.city("bologna-ita")])}
    assert rows["strategy"]["cells"][0]["text"] == "Not published"
    assert rows["roles"]["cells"][0] == {"text": "Not published", "note": None, "items": []}
    assert rows["score"]["cells"][0]["text"] == "Innovation capacity: not published"
    assert rows["score"]["cells"][1]["text"] == f"{store.city('bologna-ita')['psi_index']:g} / 10"


def test_compare_page(view, store):
    page = view.compare_page("bologna-ita,nope")
    assert page["ids"] == ["bologna-ita"] and page["too_few"] and not page["full"]
    assert page["notes"] == ["Ignored: nope (unknown city)"]
    assert page["cities"][0]["remove"] == "/compare" and page["cities"][0]["href"] == "/city/bologna-ita"
    values = [o["value"] for o in page["options"]]
    assert "bologna-ita" not in values and len(values) == count(store) - 1
    full = view.compare_page("bologna-ita,amsterdam-nld,seoul-kor,medellin-col")
    assert full["full"] and full["cities"][1]["remove"] == "/compare?cities=bologna-ita,seoul-kor,medellin-col"


def test_callbacks(request_ctx):
    from dash import no_update

    from dashboard.pages.compare import add_city, only_differences

    assert add_city("seoul-kor", ["bologna-ita"]) == "?cities=bologna-ita,seoul-kor"
    assert add_city(None, ["bologna-ita"]) is no_update
    assert only_differences(["only"]) == "compare-wrap only-differences"
    assert only_differences([]) == "compare-wrap"


def test_row_keys_are_unique(view, store):
    keys = [r["key"] for r in view.rows([store.city("bologna-ita"), store.city("seoul-kor")])]
    assert len(keys) == len(set(keys))
