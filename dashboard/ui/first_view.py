"""A page's first view: the top of its layout written as HTML into the page itself, so that a
visitor sees the page's heading and first text before any script runs (app.py ``first_paint``).

The HTML is made from the very components Dash renders next (``to_html``), in the same boxes
(``page_html``: ``main > div > div > the page``, as in the shell), so nothing moves when Dash takes
over. Every text and attribute value is escaped; components that only a script can draw (inputs,
maps, grids) are left out, so a page puts in its first view only what comes before them.
"""
from __future__ import annotations

import re
from html import escape

from dash.development.base_component import Component

HTML_NAMESPACE = "dash_html_components"
# props that are Dash's, not the element's
NOT_ATTRIBUTES = frozenset({"children", "n_clicks", "n_clicks_timestamp", "disable_n_clicks", "key", "loading_state",
                            "setProps", "refresh"})
RENAMED = {"className": "class", "htmlFor": "for"}
VOID = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "source", "track", "wbr"})
# style properties whose numbers React writes without a unit
UNITLESS = frozenset({"opacity", "zIndex", "flex", "flexGrow", "flexShrink", "fontWeight", "lineHeight", "order"})
# attribute names React writes in lower case (colSpan, hrefLang, ...); aria-* and data-* stay as they are
# the addresses a first view writes: a path, a fragment, or http(s) / mailto
SAFE_ADDRESS = re.compile(r"^(?:[/#?]|https?://|mailto:)", re.IGNORECASE)
ATTRIBUTE = re.compile(r"^(?:[a-z][a-zA-Z]*|(?:aria|data)-[a-z0-9_-]+)$")


def to_html(node) -> str:
    """``node`` (a component, a list of them, text or a number) as escaped HTML. An html.* component
    gives its element; a dcc.Link its <a> (what it renders); any other component nothing."""
    if node is None or isinstance(node, bool):
        return ""
    if isinstance(node, (list, tuple)):
        return "".join(to_html(child) for child in node)
    if not isinstance(node, Component):
        return escape(str(node), quote=False)
    if hasattr(node, "outer_html"):  # already HTML (dashboard/ui/markup.py)
        return node.outer_html()
    if node._namespace == HTML_NAMESPACE:
        tag = node._type.lower()
    elif node._type == "Link":  # dcc.Link draws a plain link
        tag = "a"
    else:
        return ""
    props = node.to_plotly_json()["props"]
    attributes = "".join(attribute(name, value) for name, value in props.items())
    if tag in VOID:
        return f"<{tag}{attributes}>"
    return f"<{tag}{attributes}>{to_html(props.get('children'))}</{tag}>"


def attribute(name: str, value) -> str:
    """A prop as an escaped HTML attribute (`` name="value"``), or "" for a prop that is not the element's."""
    if value is None or value is False:
        return ""
    if name == "style":
        value = "; ".join(f"{_kebab(k)}: {_css_value(k, v)}" for k, v in value.items())
    elif name == "id" and not isinstance(value, str):  # a pattern-matching id is not the element's
        return ""
    elif name in ("href", "src") and not SAFE_ADDRESS.match(str(value)):  # e.g. javascript:, as React refuses it
        return ""
    if name in RENAMED:
        name = RENAMED[name]
    elif name in NOT_ATTRIBUTES or not ATTRIBUTE.match(name):
        return ""
    elif not name.startswith(("aria-", "data-")):
        name = name.lower()
    if value is True:
        return f" {name}"
    return f' {name}="{escape(str(value), quote=True)}"'


def _css_value(name: str, value) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value and name not in UNITLESS:
        return f"{value}px"
    return str(value)


def _kebab(name: str) -> str:
    return re.sub(r"[A-Z]", lambda m: "-" + m[0].lower(), name)


def page_html(page: Component) -> str:
    """``page`` (the top of a page's layout) as HTML for ``app.first_paint``, which puts it in the
    boxes the shell puts a page in (``main > Dash's page container > its content``); assets/atlas.css
    places the loading line over it, not above it."""
    return to_html(page)


def top(page: Component, count: int) -> Component:
    """A copy of ``page`` (an html.* component) holding only its first ``count`` children: the part
    before the first one only a script can draw."""
    props = {k: v for k, v in page.to_plotly_json()["props"].items() if k != "children"}
    return type(page)(list(page.children)[:count], **props)


def flat(query) -> dict[str, str]:
    """The address's parameters as a page's layout receives them (a repeated one comma-joined,
    web/guard.py ``path_first``), from the request's arguments."""
    if hasattr(query, "lists"):
        return {k: ",".join(v) for k, v in query.lists()}
    return {k: ",".join(v) if isinstance(v, list) else v for k, v in dict(query).items()}
