"""The parts of a page no callback and no script control, sent to the browser as one element each.

Dash draws every ``html.*`` component through its own wrapper (a store subscription, props
checks, its part of the layout's bookkeeping), which on a text page (a city, the findings) cost
more than half of the page's start-up. A subtree of ``html.*`` components without an ``id``
anywhere inside can never be a callback's input or output, so ``compact`` sends it as a single
``Html`` element: its tag, its own props, and its inside as HTML written by
``first_view.to_html`` (every text and attribute escaped, no ``javascript:`` address), the same
HTML the first paint already shows. assets/atlas_static.js draws it.
"""
from __future__ import annotations

from copy import copy as _copy

from dash.development.base_component import Component

from dashboard.ui.first_view import HTML_NAMESPACE, NOT_ATTRIBUTES, STATIC_NAMESPACE, VOID, to_html


class Html(Component):
    """One element drawn from HTML: ``tag``, its React props ``attrs``, and its ``inner`` HTML."""

    _namespace = STATIC_NAMESPACE  # window.atlas_static, assets/atlas_static.js
    _type = "Html"
    _children_props: list[str] = []
    _base_nodes = ["children"]

    def __init__(self, tag: str, attrs: dict | None = None, inner: str = "", **kwargs):
        self._prop_names = ["tag", "attrs", "inner"]
        self._valid_wildcard_attributes = []
        self.available_properties = ["tag", "attrs", "inner"]
        self.available_wildcard_properties = []
        super().__init__(tag=tag, attrs=attrs or {}, inner=inner, **kwargs)


def is_static(node) -> bool:
    """Whether ``node`` and everything in it is text or ``html.*`` without an id."""
    if node is None or isinstance(node, (str, int, float, bool)):
        return True
    if isinstance(node, (list, tuple)):
        return all(is_static(child) for child in node)
    if not isinstance(node, Component) or node._namespace != HTML_NAMESPACE:
        return False
    if getattr(node, "id", None) is not None:
        return False
    return is_static(getattr(node, "children", None))


def compact(node):
    """``node`` with each largest static ``html.*`` subtree replaced by one ``Html`` element."""
    if isinstance(node, (list, tuple)):
        return [compact(child) for child in node]
    if not isinstance(node, Component):
        return node
    if node._namespace == HTML_NAMESPACE and is_static(node):
        props = node.to_plotly_json()["props"]
        tag = node._type.lower()
        attrs = {k: v for k, v in props.items() if k != "children" and k not in NOT_ATTRIBUTES}
        return Html(tag, attrs, "" if tag in VOID else to_html(props.get("children")))
    children = getattr(node, "children", None)
    if not isinstance(children, (list, tuple, Component)):
        return node
    copy = _copy(node)
    copy.children = compact(children)
    return copy

