"""Static parts of a page (dashboard/ui/markup.py): components sent as escaped HTML in one
component, and what may not be sent so."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest
from dash import dcc, html

from dashboard.ui.first_view import to_html
from dashboard.ui.markup import Markup, static

HOSTILE = '<script>alert(1)</script>" onmouseover="x'


def test_a_static_part_is_its_components_html_in_one_element():
    section = html.Section([html.H2("Title"), html.P(["A ", html.A("link", href="/city/bologna-ita")])],
                           id="part", className="findings-group", **{"data-layer": "one"})
    part = static(section)
    assert isinstance(part, Markup)
    assert (part.tag, part.id, part.className, getattr(part, "data-layer")) == ("section", "part", "findings-group", "one")
    assert part.html == '<h2>Title</h2><p>A <a href="/city/bologna-ita">link</a></p>'
    # the browser gets the same element the components would have made
    assert part.outer_html() == to_html(section)


def test_data_in_a_static_part_stays_text():
    part = static(html.Div([html.P(HOSTILE, title=HOSTILE), html.A("x", href="javascript:alert(1)")]))
    assert "<script>" not in part.html and "&lt;script&gt;" in part.html
    assert 'title="&lt;script&gt;alert(1)&lt;/script&gt;&quot; onmouseover=&quot;x"' in part.html
    assert "javascript:" not in part.html  # an unsafe address is left out, as React refuses it
    elements = _elements(part.html)
    assert [tag for tag, _ in elements] == ["p", "a"]
    assert [name for _, attrs in elements for name, _ in attrs] == ["title"]  # no handler attribute came in


def test_a_part_with_a_script_drawn_component_or_a_callbacks_id_cannot_be_static():
    with pytest.raises(TypeError, match="Checklist"):
        static(html.Div([html.P("x"), dcc.Checklist(options=["a"], value=[])]))
    with pytest.raises(ValueError, match="pattern-matching"):
        static(html.Div([html.Button("x", id={"type": "copy", "index": 1})]))
    # a static part may hold another (a chart's table inside a section) and dcc.Link's plain link
    inner = static(html.Table([html.Tr([html.Td("1")])], className="chart-table"))
    outer = static(html.Section([inner, dcc.Link("Map", href="/")]))
    assert outer.html == '<table class="chart-table"><tr><td>1</td></tr></table><a href="/">Map</a>'


def test_an_embed_codes_text_area_keeps_its_code_as_text():
    code = '<iframe src="https://atlas.example/findings?chart=f19&amp;embed=1"></iframe>'
    written = to_html(html.Textarea(code, readOnly=True, id="embed-code-f19"))
    assert written == ('<textarea id="embed-code-f19" readonly>&lt;iframe src="https://atlas.example/findings?'
                       'chart=f19&amp;amp;embed=1"&gt;&lt;/iframe&gt;</textarea>')


def _elements(markup: str) -> list[tuple[str, list]]:
    """The elements a browser's parser makes of ``markup``, with their attributes."""
    found = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Parser().feed(markup)
    return found
