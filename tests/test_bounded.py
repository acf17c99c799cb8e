"""The worst requests, sent together to a real gunicorn, hold no worker for long: other visitors
are still answered promptly while they run (the issue saw every request stall for 30 s)."""
from __future__ import annotations

import itertools
import json
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from bench.fuzz import envelope
from tests.conftest import start_gunicorn

CALLBACK = "/_dash-update-component"
PROMPT_SECONDS = 5  # generous: the point is "not blocked until a worker times out"
# 2,000 distinct well-formed country codes: de-duplicating them by list scan is quadratic
CODES = ["".join(t) for t in itertools.islice(itertools.product("ABCDEFGHIJKLMNOPQRSTUVWXYZ", repeat=3), 15000)]


def _callback(app, output_prefix: str, values: dict) -> str:
    return json.dumps(envelope(app.callback_map, output_prefix, values))


def worst_requests(app) -> list[tuple[str, str, str | None, int]]:
    """(method, path, body, expected status): 60 KB bodies, huge lists, absurd addresses."""
    huge_list = CODES[:15000]  # about 75 KB of distinct codes in one list
    return [
        ("POST", CALLBACK, _callback(app, "table-download.data", {
            ("table-download-button", "n_clicks"): 1,
            ("table-query", "data"): {"country": ",".join(CODES[:900])},
            ("table-columns", "value"): ["name"]}), 200),
        ("POST", CALLBACK, _callback(app, "..findings-url.search", {
            ("findings-filter-region", "value"): huge_list}), 400),
        ("POST", CALLBACK, _callback(app, "table-download.data", {
            ("table-download-button", "n_clicks"): 1,
            ("table-query", "data"): {"country": ",".join(huge_list)}}), 400),
        ("POST", CALLBACK, _callback(app, "..findings-url.search", {
            ("findings-url", "search"): "?country=" + ",".join(CODES[:790])}), 200),
        ("POST", CALLBACK, json.dumps({"output": "x", "pad": "y" * 2_000_000}), 413),
        ("GET", "/api/cities.json?country=" + ",".join(CODES[:790]), None, 200),
        ("GET", "/table?country=" + ",".join(CODES[:2000]), None, 414),
        ("GET", "/compare?cities=" + ",".join(f"c{i}" for i in range(5000)), None, 414),
    ]


def test_worst_requests_together_leave_the_server_answering_others(app_env, flask_client):
    import app as app_module

    attacks = worst_requests(app_module.app)
    proc, url = start_gunicorn(app_env, workers=2)
    try:
        session = requests.Session()
        session.get(url + "/api/findings.json", timeout=30)  # warm

        def attack(req):
            method, path, body, expected = req
            headers = {"Content-Type": "application/json"} if body else {}
            return expected, requests.request(method, url + path, data=body, headers=headers, timeout=60).status_code

        with ThreadPoolExecutor(4) as pool:
            running = [pool.submit(attack, req) for req in attacks * 3]  # 24 requests, 4 at a time
            prompt = []
            while not all(f.done() for f in running):
                started = time.monotonic()
                assert session.get(url + "/healthz", timeout=30).status_code == 200
                prompt.append(time.monotonic() - started)
            answers = [f.result() for f in running]
        assert all(expected == got for expected, got in answers), answers
        assert max(prompt) < PROMPT_SECONDS, prompt
        assert proc.poll() is None
    finally:
        proc.terminate()
        proc.wait(10)
