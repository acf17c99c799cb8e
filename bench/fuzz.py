"""Malformed requests, generated with hypothesis: every callback, every API route, every page.

``requests_strategy(callback_map, city_ids)`` draws one request ``(method, path, body)``:

- a callback POST for each registered server callback, its envelope built from the
  registered inputs, state and outputs, then given values of the right type but odd content
  (unknown facet values, injection strings, long lists, city ids that do not exist), values
  of the wrong type, huge and deeply nested values, or a broken envelope (unknown output,
  ids or properties, missing keys, entries of the wrong shape, not JSON at all);
- a GET of an API route or a page with generated query parameters (facet keys with odd
  values, repeated keys, ``city``, ``cities``, ``z``/``lat``/``lon``, unknown keys), and of
  unknown files under ``/_dash-component-suites/`` and ``/assets/``.

``run(send, strategy, n, seed)`` sends ``n`` of them through ``send`` (a function returning
the status code) and counts the answers by status; ``tests/test_fuzz.py`` runs a seed-fixed
sample in process and ``bench/run.py`` runs 10,000 against gunicorn.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from urllib.parse import quote

from hypothesis import HealthCheck, Phase, given, seed as seeded, settings, strategies as st

from dashboard.facets import FACETS
from dashboard.web.guard import split_output

CALLBACK_PATH = "/_dash-update-component"
PAGES = ("/", "/table", "/compare", "/findings", "/about", "/city/bologna-ita", "/city/<id>", "/no/such/page")
API = ("/api/cities.json", "/api/cities.csv", "/api/cities.geojson", "/api/cities/<id>.json", "/api/findings.json")
HOSTILE = ("'; DROP TABLE cities; --", "\" OR 1=1 --", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
           "javascript:alert(1)", "=HYPERLINK(\"http://x\")", "../../etc/passwd", "%00", "\u0000", "\ud7ff\ufffd",
           "bologna-ita", "europe", "high", "ITA", "?region=europe", "/city/bologna-ita", "-1", "1e309", "NaN")
PARAM_KEYS = tuple(f.key for f in FACETS) + ("city", "cities", "z", "lat", "lon", "lang", "city_id", "q", "")

Request = tuple[str, str, "str | bytes | None"]


def _vocabulary(city_ids: list[str]) -> st.SearchStrategy[str]:
    words = [v for f in FACETS for v in f.values] + list(city_ids[:20]) + list(HOSTILE)
    return st.sampled_from(words) | st.text(max_size=30)


def json_values(words: st.SearchStrategy[str]) -> st.SearchStrategy:
    """Any JSON value, from small to huge and deeply nested."""
    scalars = (st.none() | st.booleans() | st.integers(-2**63, 2**63) | st.floats(allow_nan=False, allow_infinity=False)
               | words)
    small = st.recursive(scalars, lambda c: st.lists(c, max_size=5) | st.dictionaries(words, c, max_size=5),
                         max_leaves=20)
    deep = st.integers(2, 200).map(lambda d: json.loads("[" * d + "]" * d))
    huge_list = _long_list(words, 1000, 20000)
    long_text = st.integers(1000, 70000).map(lambda n: "a," * (n // 2))
    return st.one_of(small, small, small, deep, huge_list, long_text)


def _long_list(words: st.SearchStrategy[str], low: int, high: int) -> st.SearchStrategy[list]:
    """A list of ``low`` to ``high`` items, cycling through a few drawn ones (cheap to generate)."""
    return st.tuples(st.lists(words, min_size=1, max_size=8), st.integers(low, high)).map(
        lambda t: [t[0][i % len(t[0])] + ("" if i < len(t[0]) else str(i)) for i in range(t[1])])


def typed_value(prop: str, words: st.SearchStrategy[str], query: st.SearchStrategy[str]) -> st.SearchStrategy:
    """Values of the property's own type, with odd content."""
    if prop == "value":
        return words | st.none() | st.lists(words, max_size=8) | _long_list(words, 50, 1000)
    if prop == "n_clicks":
        return st.none() | st.integers(0, 2**40)
    if prop in ("search", "hash", "href", "search_value", "className"):
        return st.none() | query | words
    if prop == "pathname":
        return st.sampled_from(PAGES) | words.map(lambda w: "/city/" + w) | words
    if prop == "zoom":
        return st.none() | st.floats(-1e6, 1e6)
    if prop == "center":
        return st.none() | st.lists(st.floats(-1e4, 1e4), min_size=2, max_size=2)
    if prop in ("virtualRowData", "columnState"):
        return st.none() | st.lists(st.dictionaries(words, json_values(words), max_size=4), max_size=8)
    return json_values(words)  # dcc.Store data, clickData: any JSON


def query_strings(words: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    value = words | st.lists(words, max_size=8).map(",".join) | st.integers(1, 1500).map(lambda n: "x," * n)
    pairs = st.lists(st.tuples(st.sampled_from(PARAM_KEYS) | words, value), max_size=8)
    return pairs.map(lambda ps: "?" + "&".join(f"{quote(k, safe='')}={quote(v, safe=',')}" for k, v in ps)
                     if ps else "")


def _entries(specs: list[dict], values: list) -> list:
    """Each input's or state's entry; a pattern-matching one (Dash keeps its id as JSON text) is
    the list of the components it matches: none here (e.g. the table's grid before it is drawn)."""
    return [[] if str(s["id"]).startswith("{") else {"id": s["id"], "property": s["property"], "value": v}
            for s, v in zip(specs, values)]


def envelope(callback_map: dict, output_prefix: str, values: dict) -> dict:
    """A well-formed request for the server callback whose output starts with ``output_prefix``:
    ``values`` maps (id, property) to a value (others None); the first input changed."""
    output = output_prefix if output_prefix in callback_map else next(
        k for k, cb in callback_map.items() if k.startswith(output_prefix) and "callback" in cb)
    cb = callback_map[output]
    outputs = [[] if isinstance(cid, dict) and any(isinstance(v, list) for v in cid.values())  # a pattern: none
               else {"id": cid, "property": prop} for cid, prop in split_output(output)]
    return {
        "output": output, "outputs": outputs if output.startswith("..") else outputs[0],
        "inputs": _entries(cb["inputs"], [values.get((i["id"], i["property"])) for i in cb["inputs"]]),
        "state": _entries(cb["state"], [values.get((s["id"], s["property"])) for s in cb["state"]]),
        "changedPropIds": [f"{cb['inputs'][0]['id']}.{cb['inputs'][0]['property']}"],
    }


def callback_requests(callback_map: dict, words, query) -> st.SearchStrategy[Request]:
    server_side = sorted(k for k, cb in callback_map.items() if "callback" in cb)

    @st.composite
    def one(draw) -> Request:
        output = draw(st.sampled_from(server_side))
        cb = callback_map[output]
        body = envelope(callback_map, output, {(s["id"], s["property"]): draw(typed_value(s["property"], words, query))
                                               for s in cb["inputs"] + cb["state"]})
        body["changedPropIds"] = body["changedPropIds"][:draw(st.integers(0, 1))]
        mutation = draw(st.sampled_from(("none", "none", "none", "wrong-type", "drop-key", "unknown-output",
                                         "unknown-id", "unknown-property", "extra-entry", "bad-shape", "not-json",
                                         "changed")))
        entries = [e for e in body["inputs"] + body["state"] if isinstance(e, dict)]
        if mutation == "wrong-type" and entries:
            draw(st.sampled_from(entries))["value"] = draw(json_values(words))
        elif mutation == "drop-key":
            body.pop(draw(st.sampled_from(sorted(body))))
        elif mutation == "unknown-output":
            body["output"] = draw(words | st.sampled_from([k for k in callback_map if "callback" not in k]
                                                           or ["x.y"]))
        elif mutation == "unknown-id" and entries:
            draw(st.sampled_from(entries))["id"] = draw(words | json_values(words))
        elif mutation == "unknown-property" and entries:
            draw(st.sampled_from(entries))["property"] = draw(words)
        elif mutation == "extra-entry":
            body[draw(st.sampled_from(("inputs", "state")))].append({"id": draw(words), "property": "value",
                                                                     "value": draw(json_values(words))})
        elif mutation == "bad-shape":
            body[draw(st.sampled_from(sorted(body)))] = draw(json_values(words))
        elif mutation == "changed":
            body["changedPropIds"] = draw(json_values(words))
        if mutation == "not-json":
            return "POST", CALLBACK_PATH, draw(st.binary(max_size=200))
        return "POST", CALLBACK_PATH, json.dumps(body)

    return one()


def get_requests(city_ids: list[str], words, query) -> st.SearchStrategy[Request]:
    city = st.sampled_from(city_ids[:20]) | words
    path = st.one_of(
        st.sampled_from(PAGES + API),
        city.map(lambda c: f"/city/{quote(c, safe='')}"),
        city.map(lambda c: f"/api/cities/{quote(c, safe='')}.json"),
        words.map(lambda w: f"/_dash-component-suites/dash/{quote(w)}.js"),
        words.map(lambda w: f"/_dash-component-suites/{quote(w, safe='')}/x.js"),
        words.map(lambda w: f"/assets/{quote(w)}"),
    )
    return st.tuples(st.just("GET"), st.tuples(path, query).map(lambda t: t[0].replace("<id>", "x") + t[1]),
                     st.none())


def requests_strategy(callback_map: dict, city_ids: list[str]) -> st.SearchStrategy[Request]:
    words = _vocabulary(city_ids)
    query = query_strings(words)
    return callback_requests(callback_map, words, query) | get_requests(city_ids, words, query)


def server_callbacks(dependencies: list[dict]) -> dict:
    """A callback map (output -> inputs, state) from ``GET /_dash-dependencies`` (what the
    browser is told); ``callback`` marks the ones the server runs (not clientside)."""
    return {d["output"]: {"inputs": d["inputs"], "state": d["state"],
                          **({} if d.get("clientside_function") else {"callback": True})} for d in dependencies}


def http_sender(url: str, timeout: float = 60) -> Callable[[Request], int]:
    """``send`` for ``run``: one request over HTTP, its status (599 when the server did not answer)."""
    import requests

    session = requests.Session()

    def send(req: Request) -> int:
        method, path, body = req
        headers = {"Content-Type": "application/json"} if body is not None else {}
        try:
            return session.request(method, url + path, data=body, headers=headers, timeout=timeout,
                                   allow_redirects=False).status_code
        except requests.RequestException:
            return 599
    return send


def against(url: str, city_ids: list[str], n: int, seed: int = 0, fail_on_5xx: bool = False) -> Counter:
    """``n`` generated requests against the server at ``url``, every callback it registers."""
    import requests

    callbacks = server_callbacks(requests.get(url + "/_dash-dependencies", timeout=60).json())
    return run(http_sender(url), requests_strategy(callbacks, city_ids), n, seed, fail_on_5xx)


def run(send: Callable[[Request], int], strategy: st.SearchStrategy[Request], n: int, seed: int = 0,
        fail_on_5xx: bool = False) -> Counter:
    """Send ``n`` generated requests; the count of answers by status code.

    ``fail_on_5xx``: raise AssertionError at the first 5xx, so hypothesis shrinks it to a
    smallest failing request (for tests); otherwise every request is sent and counted."""
    counts: Counter = Counter()

    @seeded(seed)
    @settings(max_examples=n, deadline=None, database=None, derandomize=False, phases=[Phase.generate]
              if not fail_on_5xx else [Phase.generate, Phase.shrink],
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def one(req: Request) -> None:
        status = send(req)
        counts[status] += 1
        if fail_on_5xx:
            assert status < 500, f"{status} for {req[0]} {req[1][:300]} {str(req[2])[:600]}"

    one()
    return counts
