"""The pages' first views: the top of each page in its HTML before any script runs, from the same
components Dash draws next (dashboard/ui/first_view.py, app.py ``first_paint`` and ``page_container``)."""
from __future__ import annotations

import json
import re
from html import unescape

import pytest
from dash import dcc, html

from dashboard.ui.first_view import flat, page_html, to_html, top
from tests.hostile import IMG, JS_LINK, SCRIPT, TEXT
from tests.layouts import layout_text
from tests.test_app import _components

HTML_PAYLOADS = (SCRIPT, IMG, JS_LINK, TEXT, "</div></main>\" onmouseover=\"x")


def test_to_html_writes_the_elements_dash_draws_escaped():
    node = html.Div([html.H1("A <b>&"), dcc.Link("x", href="/c?a=1&b=2", className="l"), html.Br(),
                     html.Span("s", style={"minHeight": 300, "opacity": 0.5}, title='"q"', **{"aria-hidden": "true"}),
                     html.Td("1", colSpan=2), html.Label("L", htmlFor="f"), 7],
                    className="c", id="d", n_clicks=3)
    assert to_html(node) == (
        '<div id="d" class="c"><h1>A &lt;b&gt;&amp;</h1><a href="/c?a=1&amp;b=2" class="l">x</a><br>'
        '<span style="min-height: 300px; opacity: 0.5" title="&quot;q&quot;" aria-hidden="true">s</span>'
        '<td colspan="2">1</td><label for="f">L</label>7</div>')


def test_to_html_leaves_out_what_only_a_script_draws():
    node = html.Div([dcc.Input(id="i", value="typed"), dcc.Store(id="s", data={"x": 1}),
                     dcc.Dropdown(id="d", options=["secret-option"]), html.P("kept")])
    assert to_html(node) == "<div><p>kept</p></div>"


def test_to_html_never_writes_markup_from_text_or_attributes():
    for payload in HTML_PAYLOADS:
        out = to_html(html.Div(payload, title=payload, className=payload, **{"data-x": payload}))
        assert "<script" not in out.lower() and "<img" not in out.lower() and "<svg" not in out.lower()
        assert unescape(re.sub(r"<[^>]+>", "", out)) == payload
        assert out.startswith("<div ") and out.count("<") == 2


def test_to_html_writes_no_script_address():
    """A link or image whose address would run script (React refuses such an href too) loses it."""
    out = to_html(html.Div([html.A("x", href="javascript:alert(1)"), html.A("y", href=" JavaScript:alert(2)"),
                            html.Img(src="data:text/html,<script>alert(3)</script>"),
                            html.A("ok", href="https://example.org/a?b=1&c=2"), html.A("here", href="/city/x")]))
    assert "javascript" not in out.lower() and "data:" not in out
    assert '<a href="https://example.org/a?b=1&amp;c=2">ok</a>' in out and '<a href="/city/x">here</a>' in out


def test_top_keeps_the_first_children_and_the_box():
    page = html.Article([html.H1("a"), html.P("b"), html.P("c")], id="x", className="prose")
    assert to_html(top(page, 2)) == '<article id="x" class="prose"><h1>a</h1><p>b</p></article>'
    assert page_html(html.P("b")) == "<p>b</p>"


def test_flat_joins_a_repeated_parameter_as_the_layouts_get_it():
    from werkzeug.datastructures import MultiDict

    assert flat(MultiDict([("cities", "a"), ("cities", "b"), ("lang", "fr")])) == {"cities": "a,b", "lang": "fr"}


@pytest.fixture()
def client(flask_client):
    """A client of its own: a page asked for in French keeps French in a cookie."""
    return flask_client.application.test_client()


def entry(client, path: str) -> str:
    """The first paint of ``path``: what a visitor sees before any script runs, as text."""
    page = client.get(path).get_data(as_text=True)
    first = page.split('<div id="react-entry-point">', 1)[1].split("<script", 1)[0]
    return re.sub(r"[ \t\n]+", " ", unescape(re.sub(r"<[^>]+>", " ", first)))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_city_page_html_holds_its_name_facts_and_score_before_any_script(client, lang):
    import app as app_module
    from dashboard.views import city_view

    text = entry(client, f"/city/bologna-ita?lang={lang}")
    with app_module.server.test_request_context(f"/?lang={lang}"):
        page = city_view.city_page("bologna-ita")
    assert "Bologna" in text and page["subtitle"] in text
    for fact in page["facts"]:
        assert fact["label"] in text
    assert page["score"]["tier_text"] in text
    html_page = client.get(f"/city/bologna-ita?lang={lang}").get_data(as_text=True)
    assert re.search(r"<title>Bologna - ", html_page)
    # the mini map's place is there, empty: the map is drawn by script, when it nears the window
    assert re.search(r'<div id="city-map-slot" class="mini-map" data-city="bologna-ita"></div>', html_page)


def test_an_unknown_city_and_an_embed_have_no_first_view(client):
    for path in ("/city/no-such-city", "/city/bologna-ita?embed=1"):
        assert '<div class="first-content"></div>' in client.get(path).get_data(as_text=True), path


def test_the_findings_table_and_compare_pages_show_their_top_before_any_script(client):
    findings = entry(client, "/findings?lang=en")
    assert "Survey findings" in findings and "Before comparing figures:" in findings
    assert "What the OECD / Bloomberg Philanthropies survey" in findings
    table = entry(client, "/table?region=europe&lang=en")
    assert "Cities table" in table and re.search(r"\d+ cities · World region: Europe", table)
    assert "Download CSV" in table
    # the first rows, as a table a visitor reads before any script (sorted as the address says)
    by_name = client.get("/table?region=europe&sort=-name&lang=en").get_data(as_text=True)
    rows = re.findall(r'<tr data-row="\d+"><td data-col="name"><a class="grid-link" href="(/city/[a-z0-9-]+)"', by_name)
    assert len(rows) == 15 and rows == sorted(rows, reverse=True)
    assert re.search(r'<th scope="col" aria-sort="descending">City<span class="sort-mark" aria-hidden="true">',
                     by_name) and "The first 15 of" in by_name
    compare = entry(client, "/compare?cities=bologna-ita&cities=paris-fra&lang=en")
    assert "Compare cities" in compare and "Two to four cities side by side" in compare
    french = entry(client, "/findings?lang=fr")
    assert "Survey findings" not in french and "Carte" in french


def test_a_page_frame_holds_the_page_it_is_asked_from(client):
    """Dash's request for the frame, from an in-frame page, gets the page in it with the location
    already set (no second request for the page); without a referrer, the empty container."""
    base = "http://localhost"
    framed = client.get("/_dash-layout", headers={"Referer": base + "/city/bologna-ita?lang=en"})
    body = framed.get_data(as_text=True)
    assert "city-score" in body and framed.headers["Cache-Control"] == "no-cache"
    assert "Referer" in framed.headers["Vary"]
    location = next(c for c in _components(json.loads(body)) if c["props"].get("id") == "_pages_location")
    assert location["props"]["pathname"] == "/city/bologna-ita" and location["props"]["search"] == "?lang=en"
    store = next(c for c in _components(json.loads(body)) if c["props"].get("id") == "_pages_store")
    assert store["props"]["data"]["title"].startswith("Bologna")
    # the path's id wins over a query's, as in the router
    body = client.get("/_dash-layout", headers={"Referer": base + "/city/bologna-ita?city_id=paris-fra"}).get_data(
        as_text=True)
    assert '"Bologna"' in layout_text(json.loads(body)) and '"Paris"' not in layout_text(json.loads(body))
    for referrer in (None, base + "/", base + "/city/no-such-city", "http://elsewhere.example/findings",
                     base + "/about"):
        headers = {"Referer": referrer} if referrer else {}
        body = json.loads(client.get("/_dash-layout", headers=headers).get_data(as_text=True))
        content = next(c for c in _components(body) if c["props"].get("id") == "_pages_content")
        assert content["props"].get("children") is None, referrer
    body = client.get("/_dash-layout", headers={"Referer": base + "/findings"}).get_data(as_text=True)
    assert "findings-live" in body


@pytest.mark.parametrize("path", ["/city/bologna-ita", "/compare?cities=bologna-ita,paris-fra", "/table"])
def test_pages_without_charts_do_not_load_or_preload_plotly(client, path):
    page = client.get(path).get_data(as_text=True)
    assert not re.search(r"<(script|link)\b[^>]*plotly", page, re.I) and "data-plotly" not in page
    # the charts' own page asks for plotly.js only when a chart nears the window (assets/atlas_charts.js)
    assert not re.search(r"<(script|link)\b[^>]*plotly", client.get("/findings").get_data(as_text=True), re.I)


@pytest.mark.parametrize("path", ["/table", "/compare?cities=bologna-ita,paris-fra", "/findings", "/city/bologna-ita"])
def test_a_first_view_never_holds_the_host_header(client, path):
    """The first views write the share tools' citation: with the path only, never the request's Host
    (a shared cache would keep it in the page)."""
    text = client.get(path, headers={"Host": "evil.example"}).get_data(as_text=True)
    assert "evil.example" not in text


def test_the_mini_map_is_drawn_for_a_known_city_only(client):
    import app as app_module
    from dash import no_update

    from dashboard.pages.city import draw_mini_map

    with app_module.server.test_request_context("/"):
        store, mini = draw_mini_map("bologna-ita")
        assert mini.id == "city-map" and mini.center == [pytest.approx(44.49, abs=0.1), pytest.approx(11.34, abs=0.1)]
        for bad in ("no-such-city", "<script>", None, 7, ["bologna-ita"]):
            assert draw_mini_map(bad) is no_update
