"""Static parts of pages sent as one element each (dashboard/ui/static_html.py)."""
from __future__ import annotations

import json

import pytest
from dash import dcc, html
from dash.development.base_component import Component

from dashboard.ui.first_view import STATIC_NAMESPACE, to_html
from dashboard.ui.static_html import Html, compact
from tests.test_app import LAYOUT_ARGS


def test_a_subtree_no_callback_uses_becomes_one_element_and_the_rest_stays():
    page = html.Div([
        html.H1("Title", id="anchor"),  # an id no callback uses (a link's #anchor): kept in the HTML
        html.P(["Some ", html.Strong("bold"), " text & <more>"], className="lead", style={"marginTop": 4}),
        html.Div([html.Span("count", id="count"), html.Em("note")], className="box"),
        dcc.Store(id="store"),
    ], className="page")
    out = compact(page, live=frozenset({"count", "store"}))
    assert isinstance(out, html.Div) and out is not page
    heading, lead, box, store = out.children
    assert isinstance(heading, Html) and heading.tag == "h1" and heading.inner == "Title"
    assert heading.attrs == {"id": "anchor"}
    assert isinstance(lead, Html) and lead.attrs == {"className": "lead", "style": {"marginTop": 4}}
    assert lead.inner == "Some <strong>bold</strong> text &amp; &lt;more&gt;"
    assert isinstance(box, html.Div) and box.children[0].id == "count" and isinstance(box.children[1], Html)
    assert isinstance(store, dcc.Store)
    # the input is left as it was
    assert isinstance(page.children[0], html.H1) and isinstance(page.children[2].children[1], html.Em)
    assert isinstance(compact(page, frozenset({"count"})), html.Div) and isinstance(compact(page.children[1], frozenset()), Html)
    assert isinstance(compact(html.Div(id={"type": "pattern", "index": 1}), frozenset()), html.Div)  # a pattern id


def test_a_plain_forms_inputs_are_part_of_its_static_html_with_every_value_escaped():
    from dashboard.ui.static_html import input_element

    form = html.Form([
        html.Label([input_element(type="checkbox", name="roles", value='x"><script>', checked=True,
                                  className="facet-input"), "Designer"]),
        input_element(id="sa-name", type="text", name="name", value="Lyon & <b>", maxLength=200, checked=False),
        dcc.Store(id="store"),
    ], method="get", action="/self-assessment")
    out = compact(form, live=frozenset({"store"}))
    label, field = out.children[:2]
    assert isinstance(label, Html) and label.inner == (
        '<input type="checkbox" name="roles" value="x&quot;&gt;&lt;script&gt;" checked class="facet-input">Designer')
    # an input standing alone is an element too (no "checked" when it is False)
    assert isinstance(field, Html) and field.tag == "input" and field.inner is None
    assert field.attrs == {"id": "sa-name", "type": "text", "name": "name", "value": "Lyon & <b>", "maxLength": 200}
    whole = compact(html.Form(form.children[:2]), live=frozenset())
    assert isinstance(whole, Html) and 'value="Lyon &amp; &lt;b&gt;" maxlength="200"' in whole.inner


def test_a_void_element_has_no_inside():
    assert compact(html.Hr(className="rule"), live=frozenset()).to_plotly_json() == {
        "props": {"tag": "hr", "attrs": {"className": "rule"}, "inner": None}, "type": "Html", "namespace": STATIC_NAMESPACE}


@pytest.mark.parametrize("key", sorted(LAYOUT_ARGS))
def test_every_page_draws_the_same_html_compacted(flask_client, key):
    import dash

    import app as app_module

    page = next(p for p in dash.page_registry.values() if (p.get("path_template") or p["path"]) == key)
    module = __import__(page["module"], fromlist=["layout"])
    with app_module.server.test_request_context(key):
        original = module.layout(**LAYOUT_ARGS[key])
        sent = page["layout"](**LAYOUT_ARGS[key])
    # the same HTML in the end (to_html writes a static part as the browser draws it)
    assert to_html(sent) == to_html(original)
    assert json.dumps(sent, default=lambda c: c.to_plotly_json()) != json.dumps(original, default=lambda c:
                                                                                 c.to_plotly_json())


def test_what_callbacks_and_the_browser_use_stays_a_component(flask_client):
    import app as app_module
    from dashboard import ids
    from dashboard.ui.static_html import live_ids

    with app_module.server.test_request_context("/"):
        live = live_ids()
    # outputs, inputs and states of callbacks (multi-output ones too), and what the browser sets
    assert {ids.CITY_MAP_SLOT, ids.CITY_MAP_NEAR, ids.SELECTION_LIST, ids.SELECTION_SUMMARY, ids.RESET,
            ids.MAP_FIT} <= live
    assert {v for v in ids.CLIENT.values() if isinstance(v, str)} <= live and ids.FINDINGS_RECOMMENDATIONS not in live


def test_text_pages_send_a_fraction_of_their_components(flask_client):
    import dash

    import app as app_module

    def components(node) -> int:
        if isinstance(node, (list, tuple)):
            return sum(components(c) for c in node)
        return 1 + components(getattr(node, "children", None)) if isinstance(node, Component) else 0

    for key in ("/city/<city_id>", "/about", "/compare", "/findings"):
        page = next(p for p in dash.page_registry.values() if (p.get("path_template") or p["path"]) == key)
        module = __import__(page["module"], fromlist=["layout"])
        with app_module.server.test_request_context(key):
            assert components(page["layout"](**LAYOUT_ARGS[key])) * 3 < components(module.layout(**LAYOUT_ARGS[key]))
