"""Reading a rendered layout (Dash's JSON) in tests: its static parts (``dashboard/ui/static_html``
sends each as one element holding escaped HTML) expanded back into elements, as a browser parses them."""
from __future__ import annotations

import json
from html.parser import HTMLParser

from dashboard.ui.first_view import STATIC_NAMESPACE, VOID

PROP_NAMES = {"class": "className", "for": "htmlFor"}


class _Tree(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = {"props": {"children": []}}
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = _element(tag, {PROP_NAMES.get(k, k): True if v is None else v for k, v in attrs}, [])
        self.stack[-1]["props"]["children"].append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_endtag(self, tag):
        if len(self.stack) > 1:
            self.stack.pop()

    def handle_data(self, data):
        self.stack[-1]["props"]["children"].append(data)


def _element(tag: str, props: dict, children: list) -> dict:
    return {"type": tag.capitalize(), "namespace": "dash_html_components", "props": {**props, "children": children}}


def _single(children: list):
    return children[0] if len(children) == 1 else (children or None)


def expanded(node):
    """``node`` (a layout as JSON) with every static part turned back into elements."""
    if isinstance(node, list):
        return [expanded(child) for child in node]
    if not isinstance(node, dict):
        return node
    if node.get("namespace") == STATIC_NAMESPACE:
        props = node["props"]
        tree = _Tree()
        tree.feed(props.get("inner", ""))
        tree.close()
        return _tidy(_element(props["tag"], dict(props.get("attrs") or {}), tree.root["props"]["children"]))
    return {key: expanded(value) for key, value in node.items()}


def _tidy(node):
    if isinstance(node, dict) and "props" in node:
        children = node["props"].get("children")
        if isinstance(children, list):
            node["props"]["children"] = _single([_tidy(c) for c in children])
    return node


def layout_json(layout) -> dict:
    """A layout (components or their JSON) as the JSON Dash sends, static parts expanded."""
    from plotly.utils import PlotlyJSONEncoder

    return expanded(json.loads(json.dumps(layout, cls=PlotlyJSONEncoder)))


def layout_text(layout) -> str:
    return json.dumps(layout_json(layout))


def components(node):
    """Every component of a layout as JSON (``layout_json``), depth first."""
    if isinstance(node, dict):
        if "props" in node:
            yield node
            yield from components(node["props"].get("children"))
    elif isinstance(node, list):
        for child in node:
            yield from components(child)
