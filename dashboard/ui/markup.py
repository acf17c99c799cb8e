"""A part of a page that no callback changes, drawn once by the server as escaped HTML and shown
by one component in the browser (``assets/atlas_markup.js``).

Dash's renderer spends a fixed cost on every component it draws (a store subscription, its
props, a React element): about 0.2 ms each on a fast machine and four times that on a phone. The
findings page is about a thousand components of text, tables and links that never change after
the page is drawn; as ``Markup`` blocks they cost the renderer one component each, and the
browser parses their HTML in a few milliseconds.

The HTML comes from the very components the page would have rendered (``first_view.to_html``:
every text and attribute value escaped, unsafe addresses and non-element props left out, as for
the page's first view), so what a visitor and a screen reader get is the same. Only parts with no
component id a callback uses, no dcc component and no script-drawn element may be made static
(``static`` refuses any component but html.* and dcc.Link, and pattern-matching ids, which belong
to callbacks).
"""
from __future__ import annotations

from dash.development.base_component import Component

from dashboard.ui.first_view import attribute, to_html

NAMESPACE = "atlas_markup"  # window.atlas_markup in assets/atlas_markup.js


class Markup(Component):
    """One element (``tag``, with ``id`` and ``className``) whose content is ``html``, written by
    the server from components (never from text a visitor or the data supplies unescaped)."""
    _children_props: list = []
    _base_nodes = ["children"]
    _namespace = NAMESPACE
    _type = "Markup"

    def __init__(self, html: str = "", tag: str = "div", id: str | None = None, className: str | None = None,
                 lang: str | None = None, **kwargs):
        self._prop_names = ["html", "tag", "id", "className", "lang"]
        self._valid_wildcard_attributes = ["data-", "aria-"]
        self.available_properties = list(self._prop_names)
        self.available_wildcard_properties = list(self._valid_wildcard_attributes)
        args = {"html": html, "tag": tag, "id": id, "className": className, "lang": lang, **kwargs}
        super().__init__(**{k: v for k, v in args.items() if v is not None})

    def outer_html(self) -> str:
        """The element with its content, as the browser gets it (for a static part holding this one)."""
        props = self.to_plotly_json()["props"]
        attributes = "".join(attribute(k, v) for k, v in props.items() if k not in ("html", "tag"))
        return f"<{self.tag}{attributes}>{self.html}</{self.tag}>"


def static(node: Component) -> Markup:
    """``node`` (an html.* component whose content no callback changes) as one Markup element: its
    own tag, id, class, language and data-/aria- attributes, its children as escaped HTML."""
    _check(node)
    props = node.to_plotly_json()["props"]
    kept = {k: v for k, v in props.items() if k in ("id", "className", "lang") or k.startswith(("data-", "aria-"))}
    return Markup(html=to_html(props.get("children")), tag=node._type.lower(), **kept)


def _check(node) -> None:
    if isinstance(node, (list, tuple)):
        for child in node:
            _check(child)
        return
    if not isinstance(node, Component):
        return
    if isinstance(node, Markup):
        return
    if node._namespace != "dash_html_components" and node._type != "Link":
        raise TypeError(f"{node._type} is drawn by a script: it cannot be part of static HTML")
    if not isinstance(getattr(node, "id", None) or "", str):
        raise ValueError("a pattern-matching id belongs to a callback: this part cannot be static HTML")
    _check(getattr(node, "children", None))
