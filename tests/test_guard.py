"""The request edge (dashboard/web/guard.py): bounded requests, callback payloads checked before
Dash, 404 for unknown files, security headers, no Host reflection, no version banner, and
errors answered with a request id."""
from __future__ import annotations

import json
import logging
import re
from dataclasses import replace

import pytest
from dash import Dash, Input, Output, html
from flask import Flask

from dashboard import config
from dashboard.web import guard
from tests.test_app import _components

CALLBACK = "/_dash-update-component"
# the compare page's "only rows that differ" callback: two outputs, one input, one state
ONLY_DIFF = {"output": "..compare-table-wrap.className...compare-url.search..",
             "outputs": [{"id": "compare-table-wrap", "property": "className"},
                         {"id": "compare-url", "property": "search"}],
             "inputs": [{"id": "compare-only-differences", "property": "value", "value": ["only"]}],
             "state": [{"id": "compare-ids", "property": "data", "value": ["bologna-ita", "madrid-esp"]}],
             "changedPropIds": ["compare-only-differences.value"]}


def post(client, body, raw: bool = False):
    return client.post(CALLBACK, data=body if raw else json.dumps(body), content_type="application/json")


def refused(response, status: int = 400) -> str:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    text = response.get_data(as_text=True)
    assert "\n" not in text.strip() and "Traceback" not in text
    answer = json.loads(text)
    assert answer["ok"] is False and re.fullmatch(r"[0-9a-f]{16}", answer["request_id"])
    return answer["error"]


def with_(body: dict, **changes) -> dict:
    return {**json.loads(json.dumps(body)), **changes}


# --- bounded work ------------------------------------------------------------------------

def test_a_body_over_the_limit_is_413_before_it_is_read(flask_client):
    limit = config.load().max_body_bytes
    assert "over" in refused(post(flask_client, b"[" + b" " * limit + b"]", raw=True), 413)


def test_an_absurd_address_is_414(flask_client):
    assert flask_client.get("/table?country=" + "ITA," * 1200).status_code == 414
    assert refused(flask_client.get("/api/cities.json?country=" + "ITA," * 1200), 414)
    assert flask_client.get("/table?country=" + "ITA," * 200).status_code == 200


# --- callback payloads -------------------------------------------------------------------

def test_a_well_formed_callback_request_runs(flask_client):
    response = post(flask_client, ONLY_DIFF)
    assert response.status_code == 200
    assert "only-differences" in response.get_data(as_text=True)


@pytest.mark.parametrize("body, reason", [
    (b"{not json", "not JSON"),
    (b"[" * 100_000, "not JSON"),
    ([1, 2], "JSON object"),
    (with_(ONLY_DIFF, output=None), "no output"),
    (with_(ONLY_DIFF, output="nope.children"), "no server callback"),
    # a clientside callback's output: nothing to run on the server
    (with_(ONLY_DIFF, output="compare-set.data"), "no server callback"),
    (with_(ONLY_DIFF, outputs={"id": "compare-table-wrap", "property": "children"}), "outputs"),
    (with_(ONLY_DIFF, outputs=[1, 2]), "outputs"),
    (with_(ONLY_DIFF, inputs=[]), "inputs must be a list of 1"),
    (with_(ONLY_DIFF, inputs={"a": 1}), "inputs must be a list"),
    (with_(ONLY_DIFF, inputs=[{"id": "other", "property": "value", "value": []}]), "does not match"),
    (with_(ONLY_DIFF, inputs=[{"id": "compare-only-differences", "property": "options", "value": []}]),
     "does not match"),
    (with_(ONLY_DIFF, inputs=["compare-only-differences.value"]), "must be an object"),
    (with_(ONLY_DIFF, inputs=[{"id": "compare-only-differences", "property": "value", "value": {"a": 1}}]),
     "wrong type"),
    (with_(ONLY_DIFF, inputs=[{"id": "compare-only-differences", "property": "value", "value": ["x"] * 5000}]),
     "wrong type"),
    (with_(ONLY_DIFF, state=[]), "state must be a list of 1"),
    (with_(ONLY_DIFF, changedPropIds="compare-only-differences.value"), "changedPropIds"),
    (with_(ONLY_DIFF, changedPropIds=["other.value"]), "changedPropIds"),
    (with_(ONLY_DIFF, extra=json.loads("[" * 40 + "]" * 40)), "deeper"),
    (with_(ONLY_DIFF, extra=[[0]] * 60_000), "more than"),
    (with_(ONLY_DIFF, extra={"search": "?country=" + "ABC," * 2000}), "longer than"),
    (with_(ONLY_DIFF, extra={"k" * 5000: 1}), "longer than"),
])
def test_a_malformed_callback_request_is_400_with_a_one_line_reason(flask_client, caplog, body, reason):
    with caplog.at_level(logging.WARNING, logger="atlas.guard"):
        error = refused(post(flask_client, body, raw=isinstance(body, bytes)))
    assert reason in error
    assert len(caplog.records) == 1 and caplog.records[0].getMessage().count("\n") == 0


def test_property_types():
    rules = guard.PROPERTY_TYPES
    assert rules["n_clicks"](3) and not rules["n_clicks"](-1) and not rules["n_clicks"](True)
    assert rules["pathname"]("/table") and not rules["pathname"]("table") and not rules["pathname"](["/"])
    assert rules["center"]([48, 10]) and rules["center"]({"lat": 1, "lng": 2}) and not rules["center"]([1])
    assert rules["virtualRowData"]([{"id": "x"}]) and not rules["virtualRowData"]([1])


def test_split_output_names_every_output():
    assert guard.split_output("a.b") == [("a", "b")]
    assert guard.split_output("url.search@0123abc") == [("url", "search")]
    assert guard.split_output("..a.b...c.d..") == [("a", "b"), ("c", "d")]
    assert guard.split_output('{"i":"x.y","t":"f"}.value') == [({"i": "x.y", "t": "f"}, "value")]


def test_errors_raised_by_dash_itself_are_the_clients_but_the_atlass_own_are_the_servers():
    from dash._get_paths import app_strip_relative_path
    from dash._pages import _parse_path_variables

    with pytest.raises(Exception) as in_dash:
        app_strip_relative_path("/", "no-leading-slash")
    exc = in_dash.value
    # as in Flask's dispatch: the frames from the view down, none of them this test's
    assert guard._client_error_in_dash(exc.with_traceback(exc.__traceback__.tb_next))
    with pytest.raises(TypeError) as in_stdlib:  # raised in a frozen module ("<frozen posixpath>")
        _parse_path_variables(None, "city/<city_id>")
    exc = in_stdlib.value
    assert guard._client_error_in_dash(exc.with_traceback(exc.__traceback__.tb_next))
    with pytest.raises(KeyError) as here:
        {}["x"]
    assert not guard._client_error_in_dash(here.value)


# --- a small Dash app with the guard: failures in the app's own code ---------------------

@pytest.fixture(scope="module")
def small_app():
    server = Flask("small")
    app = Dash("small", server=server)
    app.layout = html.Div([html.Button(id="b"), html.Div(id="out")])

    @app.callback(Output("out", "children"), Input("b", "n_clicks"))
    def broken(n):
        return {}["missing"]  # a bug in the app: a KeyError raised in the project's code

    @server.get("/boom")
    def boom():
        raise RuntimeError("secret detail")

    guard.init_app(server, app, config.load())
    return server.test_client()


def test_an_error_in_the_apps_code_is_a_500_with_a_request_id_and_no_detail(small_app, caplog):
    with caplog.at_level(logging.ERROR, logger="atlas.guard"):
        page = small_app.get("/boom")
    assert page.status_code == 500 and page.mimetype == "text/html"
    rid = page.headers["X-Request-Id"]
    text = page.get_data(as_text=True)
    assert rid in text and "secret detail" not in text and "Traceback" not in text
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert rid in logged and "secret detail" in logged and "Traceback" in logged


def test_a_callback_that_fails_in_the_apps_code_is_a_500_not_a_400(small_app):
    body = {"output": "out.children", "outputs": {"id": "out", "property": "children"},
            "inputs": [{"id": "b", "property": "n_clicks", "value": 1}], "changedPropIds": ["b.n_clicks"]}
    response = post(small_app, body)
    assert response.status_code == 500
    assert json.loads(response.get_data(as_text=True))["request_id"] == response.headers["X-Request-Id"]


# --- unknown files -----------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/_dash-component-suites/dash/nope.js", "/_dash-component-suites/nopkg/x.js",
                                  "/_dash-component-suites/dash/..%2f..%2fapp.py", "/assets/nope.js",
                                  "/assets/../app.py"])
def test_unknown_static_files_are_404_without_a_traceback(flask_client, caplog, path):
    with caplog.at_level(logging.INFO):
        assert flask_client.get(path).status_code == 404
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


# --- headers -----------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/city/bologna-ita", "/api/cities.json", "/assets/atlas.css",
                                  "/no-such-page", "/healthz"])
def test_every_response_carries_the_security_headers(flask_client, path):
    h = flask_client.get(path).headers
    policy = h["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in re.search(r"script-src[^;]*", policy)[0]
    assert "unsafe-eval" not in policy and "http" not in policy  # no third-party origin by default
    assert h["X-Content-Type-Options"] == "nosniff"
    assert h["Referrer-Policy"] == "same-origin"
    assert "camera=()" in h["Permissions-Policy"] and "geolocation=()" in h["Permissions-Policy"]
    assert h["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in h


def test_the_csp_lists_exactly_the_inline_scripts_of_the_page(flask_client):
    response = flask_client.get("/findings")
    html_text = response.get_data(as_text=True)
    listed = re.findall(r"'sha256-[^']+'", response.headers["Content-Security-Policy"])
    assert listed == guard.script_hashes(html_text) and len(listed) >= 2  # the renderer and clientside code
    assert 'var renderer = new DashRenderer();' in html_text


def test_script_hashes_skip_external_data_and_commented_scripts():
    page = ('<script src="/x.js"></script><script type="application/json">{}</script>'
            '<!--[if IE]><script>alert(1)</script><![endif]--><script>run()</script>')
    assert len(guard.script_hashes(page)) == 1


def test_frame_ancestors_tiles_and_hsts_follow_the_settings():
    s = replace(config.load(), frame_ancestors="'self' https://news.example", hsts_seconds=31536000,
                tile_url="https://tiles.example.org/{z}/{x}/{y}.png")
    assert "frame-ancestors 'self' https://news.example" in guard.content_security_policy(s, embed=True)
    policy = guard.content_security_policy(s)
    assert "frame-ancestors 'none'" in policy  # a page that is not an embed is never framed
    assert re.search(r"img-src [^;]*https://tiles\.example\.org", policy)
    server = Flask("headers")
    with server.test_request_context("/?embed=1"):
        h = guard.security_headers(server.response_class("x", mimetype="text/html"), s).headers
    assert "X-Frame-Options" not in h and h["Strict-Transport-Security"] == "max-age=31536000"
    assert "frame-ancestors 'self' https://news.example" in h["Content-Security-Policy"]
    for path in ("/", "/table?embed=1", "/present?embed=1"):  # not an embed, or a page without one
        with server.test_request_context(path):
            h = guard.security_headers(server.response_class("x", mimetype="text/html"), s).headers
        assert h["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in h["Content-Security-Policy"], path


@pytest.mark.parametrize("path", ["/?embed=1", "/city/bologna-ita?embed=1", "/compare?cities=bologna-ita&embed=1",
                                  "/findings?embed=1&chart=f19"])
def test_embeds_may_be_framed_by_any_site_by_default(flask_client, path):
    h = flask_client.get(path).headers
    assert "frame-ancestors *" in h["Content-Security-Policy"] and "X-Frame-Options" not in h


@pytest.mark.parametrize("raw, ok", [("", True), ("*", True), ("'self'", True),
                                     ("https://a.example https://b.example:8443", True),
                                     ("'none' https://a.example", False), ("* https://a.example", False),
                                     ("x; script-src *", False)])
def test_frame_ancestors_setting_is_checked(monkeypatch, raw, ok):
    monkeypatch.setenv("ATLAS_FRAME_ANCESTORS", raw)
    config.load.cache_clear()
    try:
        if ok:
            assert config.load().frame_ancestors == (raw or "*")
        else:
            with pytest.raises(SystemExit, match="ATLAS_FRAME_ANCESTORS"):
                config.load()
    finally:
        monkeypatch.undo()
        config.load.cache_clear()


# --- production mode ---------------------------------------------------------------------

def test_the_host_header_is_not_reflected_into_pages(flask_client):
    text = flask_client.get("/city/bologna-ita", headers={"Host": "evil.example"}).get_data(as_text=True)
    assert "evil.example" not in text
    assert '<meta property="twitter:url" content="/city/bologna-ita">' in text


def test_meta_urls_use_the_public_url_when_set(flask_client):
    import app as app_module

    with app_module.server.test_request_context("/compare?cities=a,b", headers={"Host": "evil.example"}):
        tags = guard.page_meta_tags(app_module.app, "https://atlas.example.org")
    assert {"property": "twitter:url", "content": "https://atlas.example.org/compare?cities=a,b"} in tags


def test_pages_do_not_advertise_python_or_plotly_versions_and_dev_tools_are_off(flask_client):
    import sys

    import plotly

    import app as app_module

    text = flask_client.get("/").get_data(as_text=True)
    page_config = json.loads(re.search(r'<script id="_dash-config" type="application/json">(.*?)</script>',
                                       text, re.S)[1])
    assert sys.version.split()[0] not in text and f'"{plotly.__version__}"' not in text
    assert not {"python_version", "plotly_version", "dash_version", "dash_version_url"} & set(page_config)
    assert page_config["ui"] is False and page_config["props_check"] is False
    assert app_module.server.debug is False and config.load().debug is False


# --- page addresses ----------------------------------------------------------------------

def _page(client, pathname: str, search: str) -> str:
    import app as app_module
    from bench.fuzz import envelope

    body = envelope(app_module.app.callback_map, ".._pages_content", {
        ("_pages_location", "pathname"): pathname, ("_pages_location", "search"): search})
    response = post(client, body)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_path_wins_over_a_query_parameter_of_the_same_name(flask_client):
    for search in ("?city_id=madrid-esp", "?city_id=madrid-esp&city_id=paris-fra"):
        page = json.loads(_page(flask_client, "/city/bologna-ita", search))
        headings = [c["props"]["children"] for c in _components(page) if c["type"] == "H1"]
        assert headings == ["Bologna"]


def test_a_repeated_query_parameter_reaches_the_layout_comma_joined():
    seen = {}
    guard.path_first(None, lambda **kw: seen.update(kw))(cities=["bologna-ita", "madrid-esp"], z="4")
    assert seen == {"cities": "bologna-ita,madrid-esp", "z": "4"}
