"""The shared HTML building blocks, and that pages build their off-site links with them."""
from __future__ import annotations

from dash import html

from dashboard.ui.components import external_link, source_link


def _links(component) -> list[html.A]:
    """Every html.A in a component tree (or a list of them)."""
    if isinstance(component, (list, tuple)):
        return [a for c in component for a in _links(c)]
    if not hasattr(component, "to_plotly_json"):
        return []
    found = [component] if isinstance(component, html.A) else []
    return found + _links(getattr(component, "children", None))


def test_external_link_opens_a_new_tab_without_an_opener():
    a = external_link("https://example.org/x", "Example")
    assert (a.href, a.children, a.target, a.rel) == ("https://example.org/x", "Example", "_blank", "noopener noreferrer")
    assert "className" not in a.to_plotly_json()["props"]
    assert external_link("https://example.org/x", "Example", className="source-link").className == "source-link"


def test_source_link_is_an_external_link_with_its_class():
    a = source_link({"url": "https://example.org/s", "title": "The source"})
    assert a.to_plotly_json() == external_link("https://example.org/s", "The source", "source-link").to_plotly_json()
    assert source_link(None) is None and source_link({}) is None


def test_panel_and_city_page_links_off_the_atlas_open_safely(request_ctx):
    from dashboard import data
    from dashboard.pages.city import city_layout
    from dashboard.ui.city_panel import panel_body
    from dashboard.views.city_view import city_page

    for tree in (panel_body(data.city("bologna-ita")), city_layout(city_page("bologna-ita"))):
        off_site = [a for a in _links(tree) if a.href.startswith("http")]
        assert off_site
        assert all((a.target, a.rel) == ("_blank", "noopener noreferrer") for a in off_site), off_site
