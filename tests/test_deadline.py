"""The per-request time limit (dashboard/web/deadline.py, ATLAS_REQUEST_TIMEOUT): a request that
runs too long answers 503 with Retry-After and a request id, the other requests are untouched,
and under gunicorn the worker lives on (its own --timeout would have killed it)."""
import dataclasses
import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from dash import Dash, Input, Output, html
from flask import Flask

from dashboard import config
from dashboard.web import deadline, guard
from tests.apps.slow import spin
from tests.conftest import ROOT, child_pids, free_port

LIMIT = 0.5


@pytest.fixture(scope="module")
def limited():
    server = Flask("limited")
    app = Dash("limited", server=server)
    app.layout = html.Div([html.Button(id="b"), html.Div(id="out")])

    @app.callback(Output("out", "children"), Input("b", "n_clicks"))
    def runaway(n):
        return spin(30)

    server.add_url_rule("/slow", "slow", lambda: spin(30))
    server.add_url_rule("/fast", "fast", lambda: "fast")
    guard.init_app(server, app, dataclasses.replace(config.load(), request_timeout=LIMIT))
    return server


def timed_get(client, path):
    started = time.monotonic()
    response = client.get(path)
    return response, time.monotonic() - started


def test_a_request_over_the_limit_answers_503_soon_after_it(limited, caplog):
    response, took = timed_get(limited.test_client(), "/slow")
    assert response.status_code == 503 and took < LIMIT + 5
    assert response.headers["Retry-After"] == "5"
    rid = response.headers["X-Request-Id"]
    assert rid in response.get_data(as_text=True) and "took too long" in response.get_data(as_text=True)
    assert any(rid in r.getMessage() and "time limit" in r.getMessage() for r in caplog.records)


def test_a_callback_over_the_limit_answers_503_as_json(limited):
    body = {"output": "out.children", "outputs": {"id": "out", "property": "children"},
            "inputs": [{"id": "b", "property": "n_clicks", "value": 1}], "changedPropIds": ["b.n_clicks"]}
    response = limited.test_client().post("/_dash-update-component", json=body)
    assert response.status_code == 503
    assert json.loads(response.get_data(as_text=True))["ok"] is False


def test_fast_requests_are_untouched_and_nothing_fires_after_them(limited):
    client = limited.test_client()
    for _ in range(20):
        assert client.get("/fast").status_code == 200
    spin(LIMIT * 3)  # a deadline of a finished request must not hit this thread later
    assert client.get("/fast").get_data(as_text=True) == "fast"


def test_only_the_slow_request_is_stopped_when_others_run_beside_it(limited):
    results = {}

    def run(name, path):
        results[name] = timed_get(limited.test_client(), path)

    threads = [threading.Thread(target=run, args=("slow", "/slow"))]
    threads += [threading.Thread(target=run, args=(f"fast{i}", "/fast")) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert results["slow"][0].status_code == 503
    assert all(results[f"fast{i}"][0].status_code == 200 for i in range(4))


def test_no_limit_when_the_setting_is_zero():
    server = Flask("unlimited")
    assert deadline.install(server, 0, lambda: None) is None
    server.add_url_rule("/work", "work", lambda: spin(LIMIT * 2))
    assert server.test_client().get("/work").status_code == 200


@pytest.mark.parametrize("raw, ok", [("20", True), ("0", True), ("2.5", True), ("-1", False), ("soon", False)])
def test_the_setting_is_checked(monkeypatch, raw, ok):
    monkeypatch.setenv("ATLAS_REQUEST_TIMEOUT", raw)
    config.load.cache_clear()
    try:
        if ok:
            assert config.load().request_timeout == float(raw)
        else:
            with pytest.raises(SystemExit, match="ATLAS_REQUEST_TIMEOUT"):
                config.load()
    finally:
        monkeypatch.delenv("ATLAS_REQUEST_TIMEOUT")
        config.load.cache_clear()


def test_under_gunicorn_a_slow_request_costs_one_503_not_the_worker(app_env, tmp_path):
    """gunicorn's --timeout is 30 s: without the limit the worker would be killed at 30 s;
    with ATLAS_REQUEST_TIMEOUT=2 the same worker answers 503 and goes on serving."""
    port = free_port()
    log = tmp_path / "gunicorn.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "-w", "1", "-b", f"127.0.0.1:{port}",
         "--no-control-socket", "tests.apps.slow:server"],
        cwd=ROOT, env={**os.environ, **app_env, "ATLAS_REQUEST_TIMEOUT": "2"},
        stdout=subprocess.DEVNULL, stderr=log.open("w"))
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(url + "/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        workers = child_pids(proc.pid)
        started = time.monotonic()
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(url + "/slow", timeout=40)
        assert answer.value.code == 503 and time.monotonic() - started < 15
        with urllib.request.urlopen(url + "/api/cities.json?region=europe", timeout=10) as ok:
            assert ok.status == 200 and json.load(ok)["meta"]["count"] > 0
        assert child_pids(proc.pid) == workers  # the same worker: nothing was killed
        assert "WORKER TIMEOUT" not in log.read_text()
    finally:
        proc.terminate()
        proc.wait(10)
