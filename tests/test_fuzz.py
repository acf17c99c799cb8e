"""Generated malformed requests (bench/fuzz.py, hypothesis) against a real gunicorn: every answer
is 2xx or 4xx, never 5xx, and the server keeps answering. A seed-fixed sample here; the
10,000-request run is in the benchmark (``make bench``, BENCHMARKS.md)."""
from __future__ import annotations

import json

import requests

from bench import fuzz
from dashboard.facets import Filters

SAMPLE = 300
SEED = 15


def test_generated_malformed_requests_never_get_a_5xx(app_url, store):
    callbacks = fuzz.server_callbacks(requests.get(app_url + "/_dash-dependencies", timeout=30).json())
    city_ids = [r["id"] for r in store.city_rows(Filters())]
    counts = fuzz.run(fuzz.http_sender(app_url), fuzz.requests_strategy(callbacks, city_ids), SAMPLE, seed=SEED,
                      fail_on_5xx=True)
    assert sum(counts.values()) == SAMPLE, counts
    assert {s // 100 for s in counts} <= {2, 3, 4}
    # the sample reaches the callbacks and pages, not only the edge's refusals
    assert counts[200] > SAMPLE // 10 and counts[400] > SAMPLE // 10, counts
    assert requests.get(app_url + "/healthz", timeout=10).status_code == 200


def test_map_sync_callback_survives_wrong_typed_store_data(flask_client):
    import app as app_module

    body = fuzz.envelope(app_module.app.callback_map, "..filter-country.value", {
        ("city-request", "data"): "not an object", ("map-history", "data"): ["not", "an", "object"]})
    body["changedPropIds"] = ["map-history.data"]
    assert flask_client.post("/_dash-update-component", data=json.dumps(body),
                             content_type="application/json").status_code < 500
