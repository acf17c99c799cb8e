"""The parts of a page no callback and no script control, sent to the browser as one element each.

Dash draws every ``html.*`` component through its own wrapper (a store subscription, props
checks, its part of the layout's bookkeeping), which on a text page (a city, the findings) cost
more than half of the page's start-up. A subtree of ``html.*`` components none of whose ids
a callback reads or writes (or the browser's code sets) can never change through Dash, so
``compact`` sends it as a single ``Html`` element: its tag, its own props, and its inside as HTML written by
``first_view.to_html`` (every text and attribute escaped, no ``javascript:`` address), the same
HTML the first paint already shows. assets/atlas_static.js draws it.
"""
from __future__ import annotations

from copy import copy as _copy

import dash
from dash._utils import split_callback_id
from dash.development.base_component import Component

from dashboard import ids
from dashboard.ui.first_view import HTML_NAMESPACE, NOT_ATTRIBUTES, STATIC_NAMESPACE, VOID, to_html


class Html(Component):
    """One element drawn from HTML: ``tag``, its React props ``attrs``, and its ``inner`` HTML (None
    for a void element, which has no inside)."""

    _namespace = STATIC_NAMESPACE  # window.atlas_static, assets/atlas_static.js
    _type = "Html"
    _children_props: list[str] = []
    _base_nodes = ["children"]

    def __init__(self, tag: str, attrs: dict | None = None, inner: str | None = None, **kwargs):
        self._prop_names = ["tag", "attrs", "inner"]
        self._valid_wildcard_attributes = []
        self.available_properties = ["tag", "attrs", "inner"]
        self.available_wildcard_properties = []
        # set directly: Dash's check of each keyword imports the namespace's package for its error
        # message, a failed import (a search of the whole path) per prop and element
        super().__init__(**kwargs)
        self.tag, self.attrs, self.inner = tag, attrs or {}, inner


def input_element(**attrs) -> Html:
    """An <input> with its React props (``className``, ``maxLength``, ...): Dash 4's ``html`` has no
    Input, and its ``dcc.Input`` is a controlled component; this one the browser alone keeps (a
    plain form's field)."""
    return Html("input", {k: v for k, v in attrs.items() if v is not None and v is not False})


def live_ids() -> frozenset[str]:
    """The ids the running app's callbacks read or write, and those the browser's code looks up
    (``ids.CLIENT``): an element with one of them stays a component, there when Dash has drawn the
    page (a static part's inside may come a task later, assets/atlas_static.js)."""
    app = dash.get_app()
    known = _LIVE.get(id(app))
    if known is None or known[0] != len(app.callback_map):
        found = {value for value in ids.CLIENT.values() if isinstance(value, str)}
        for output, spec in app.callback_map.items():
            parts = split_callback_id(output)
            for part in [*(parts if isinstance(parts, list) else [parts]), *spec["inputs"], *spec["state"]]:
                if isinstance(part["id"], str):
                    found.add(part["id"])
        known = _LIVE[id(app)] = (len(app.callback_map), frozenset(found))
    return known[1]


_LIVE: dict[int, tuple[int, frozenset[str]]] = {}


def compact(node, live: frozenset[str] | None = None):
    """``node`` with each largest static ``html.*`` subtree replaced by one ``Html`` element;
    ``live``: the ids that keep an element a component (by default the running app's, ``live_ids``).
    One pass: each node is looked at once, each static part written once."""
    live = live_ids() if live is None else live
    done, static = _compact(node, live)
    return _finished(done) if static else done


def _finished(done):
    """A static part (a component, or a list of components and text) as elements."""
    if isinstance(done, Component):
        return _element(done)
    if isinstance(done, (list, tuple)):
        return [_element(child) if isinstance(child, Component) else child for child in done]
    return done


def _compact(node, live: frozenset[str]):
    """``node`` with its static parts compacted below it, and whether ``node`` itself is static (then
    it comes back as it was: the part holding it may be static too)."""
    if node is None or isinstance(node, (str, int, float, bool)):
        return node, True
    if isinstance(node, (list, tuple)):
        parts = [_compact(child, live) for child in node]
        if all(static for _, static in parts):
            return node, True
        return [_finished(done) if static else done for done, static in parts], False
    if isinstance(node, Html):  # already an element (e.g. a form's <input>, which html.* lacks)
        return node, True
    if not isinstance(node, Component):
        return node, False
    children = getattr(node, "children", None)
    done, static = _compact(children, live) if isinstance(children, (list, tuple, Component)) else (children, True)
    node_id = getattr(node, "id", None)
    if node._namespace == HTML_NAMESPACE and static and (node_id is None or (isinstance(node_id, str)
                                                                             and node_id not in live)):
        return node, True
    if static:  # this node stays a component: its static children become elements
        done = _finished(done)
    if done is children:
        return node, False
    copy = _copy(node)
    copy.children = done
    return copy, False


def _element(node: Component) -> Html:
    """A static ``html.*`` component as one ``Html`` element (an ``Html`` element as it is)."""
    if isinstance(node, Html):
        return node
    props = node.to_plotly_json()["props"]
    tag = node._type.lower()
    attrs = {k: v for k, v in props.items() if k != "children" and k not in NOT_ATTRIBUTES}
    return Html(tag, attrs, None if tag in VOID else to_html(props.get("children")))
