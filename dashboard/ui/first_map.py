"""A Leaflet map's first view as HTML (``views.map_view.FirstMap``), drawn as Leaflet will draw it, for a
page's first HTML: the map page's (pages/home.py) and the presentation's (pages/present.py).

It shows the borders (an SVG file per zoom), the single cities as SVG circles and the groups as the
cluster icons' rings, one layer per zoom the page may open at, the chosen city's ring and name, and the
cities a slide rings with their names (names escaped). It is decorative (aria-hidden: the page's text
says what is shown) and never focusable, and it goes when Leaflet's first markers appear, or its
borders for an empty selection.
"""
from __future__ import annotations

import json
from html import escape

from dashboard import data, urls
from dashboard.views.map_view import FirstMap
from layers.cities import HIGHLIGHT_NAME, HIGHLIGHT_RING, SELECTED_NAME, SELECTED_RING
from layers.style import TIER_STYLE

# The first view's script (one text for every page, allowed by its hash like every inline script): it puts
# the drawing above the map's box (its parent, or the element ``wrap`` names: Dash's, once Dash's renderer
# has emptied its root, where the first paint was), inside the box's border and outside Dash's root; picks
# the zoom Leaflet's fitBounds will choose for that box (getBoundsZoom at the map's zoomSnap, with its
# padding, pages/present.py ``FIT_PADDING_SCRIPT``) or the address's view; shows that zoom's markers moved by Leaflet's pixel origin (those inside
# the box: dash-leaflet asks supercluster for the map's bounds only; between two whole zooms, the lower
# one's layer with its places scaled); and takes the drawing away in the same frame as Leaflet's first
# markers appear (or as soon as the visitor handles Leaflet's map, should its markers not come). Leaflet
# loads when the visitor first uses the page (``layers.ON_USE``): until then the drawing is the map. It
# follows the box when the window or the page's layout changes it, and when Dash draws the box anew. The
# borders come as an SVG file per zoom (cached, ``urls.border_drawing_url``). A city opened without a view
# is moved above a phone's bottom sheet as moveMap will move it (pages/home.py ``SHEET_SCRIPT``); an empty
# selection shows the borders alone, taken away with Leaflet's borders.
SCRIPT = (
    "(function(){var m=document.currentScript.previousElementSibling,slot=m.parentNode,d=m.dataset,"
    "fit=d.fit&&JSON.parse(d.fit),c=JSON.parse(d.center),z0=+d.zoom,snap=+(d.snap||1),"
    "pad=d.pad&&JSON.parse(d.pad),gone=false,R=6378137,K=Math.PI/180,q=.5/(Math.PI*R),r=Math.round;"
    "function p(lat,lon,z){lat=Math.max(Math.min(85.0511287798,lat),-85.0511287798);var s=Math.sin(lat*K),"
    "k=256*Math.pow(2,z);return[k*(q*(R*lon*K)+.5),k*(-q*(R*Math.log((1+s)/(1-s))/2)+.5)]}"
    "function u(x,y,z){var k=256*Math.pow(2,z),D=180/Math.PI;"
    "return[(2*Math.atan(Math.exp((y/k-.5)/-q/R))-Math.PI/2)*D,(x/k-.5)/q*D/R]}"
    "function zoom(w,h){var a=p(fit[1][0],fit[0][1],z0),b=p(fit[0][0],fit[1][1],z0),"
    "s=Math.min(w/Math.abs(b[0]-a[0]),h/Math.abs(b[1]-a[1])),z=Math.log(s*256*Math.pow(2,z0)/256)/Math.LN2;"
    "z=r(z/(snap/100))*(snap/100);return Math.max(+d.min,Math.floor(z/snap)*snap)}"
    "function origin(z,w,h,s,f){var P=p(c[0],c[1],z),o=[r(P[0]-w/2),r(P[1]+s-h/2)];if(!fit){return o}"
    "var a=p(fit[0][0],fit[0][1],z),b=p(fit[1][0],fit[1][1],z),C=u((a[0]+b[0])/2+f[0],(a[1]+b[1])/2+f[1],z);"
    "P=p(C[0],C[1],z);if(z!==z0){return[r(P[0]-w/2),r(P[1]-h/2)]}"
    "var x=Math.trunc(r(P[0])-o[0]-w/2),y=Math.trunc(r(P[1])-o[1]-h/2);"
    "return Math.abs(x)<=w&&Math.abs(y)<=h?[o[0]+x,o[1]+y]:[r(P[0]-w/2),r(P[1]-h/2)]}"
    "function find(){return slot.isConnected&&slot.matches(d.wrap)?slot:document.querySelector(d.wrap)}"
    "function follow(){var x=find();if(x&&x!==seen){seen=x;if(ro){ro.observe(x)}place()}}"
    "function place(){if(gone){return}var box=find();"
    "if(!box){return}var b=box.getBoundingClientRect(),w=box.clientWidth,h=box.clientHeight,"
    "P=pad?atlasFitPadding(pad,w):[[0,0],[0,0]],z=fit?zoom(w-P[0][0]-P[1][0],h-P[0][1]-P[1][1]):z0,zi=Math.floor(z),"
    "k=Math.pow(2,z-zi),at=origin(z,w,h,d.sheet?atlasSheetShift(b):0,[(P[1][0]-P[0][0])/2,(P[1][1]-P[0][1])/2]),"
    "t='translate('+(-at[0])+'px,'+(-at[1])+'px)',any=false;"
    "m.style.cssText='left:'+(b.left+box.clientLeft+scrollX)+'px;top:'+(b.top+box.clientTop+scrollY)+'px;width:'+w+"
    "'px;height:'+h+'px;--k:'+k;"
    "m.querySelectorAll('[data-z]').forEach(function(g){var on=+g.dataset.z===zi;g.hidden=!on;any=any||on;"
    "g.style.transform=t;if(on){g.querySelectorAll('circle,.first-cluster,.first-name').forEach(function(e){"
    "var o=e._at||(e._at=e.cx?[e.cx.baseVal.value,e.cy.baseVal.value]:[parseFloat(e.style.left),parseFloat(e.style.top)]),"
    "x=o[0]*k,y=o[1]*k;if(e._k!==k){e._k=k;if(e.cx){e.setAttribute('cx',x);e.setAttribute('cy',y)}"
    "else{e.style.left=x+'px';e.style.top=y+'px'}}"
    "if(e.matches('.city-marker,.first-cluster')){e.style.display=x<at[0]||x>at[0]+w||y<at[1]||y>at[1]+h?'none':''}})}});"
    "var e=m.querySelector('use');e.setAttribute('href',d.borders.replace('{z}',zi));"
    "e.parentNode.style.transform=t+' scale('+k+')';m.hidden=!any}"
    "function done(){if(gone){return}gone=true;o.disconnect();m.remove()}"
    "var seen=null,ro=window.ResizeObserver?new ResizeObserver(place):null,"
    "o=new MutationObserver(function(){if(document.querySelector(d.done)){done()}else{follow()}});"
    "document.body.appendChild(m);follow();addEventListener('resize',place);"
    "o.observe(document.documentElement,{childList:true,subtree:true});"
    "['pointerdown','wheel','keydown'].forEach(function(e){addEventListener(e,function(v){"
    "if(v.target&&v.target.closest&&v.target.closest('.leaflet-container')){done()}},true)})})();")


def _name(x: float, y: float, name: str, label: dict, kind: str) -> str:
    """A permanent tooltip on the right as Leaflet places it: its arrow's tip ``offset`` right of the city, its
    middle on the city's height (the offset as a margin: the script scales the place, not the offset)."""
    dx, dy = label["offset"]
    return (f'<div class="first-name {kind}" style="left:{x}px;top:{y}px;margin:{dy}px 0 0 {dx + 6}px">'
            f'{escape(name)}</div>')


def _ring(x: float, y: float, style: dict, kind: str) -> str:
    fill = (f' fill="{style["fillColor"]}" fill-opacity="{style["fillOpacity"]}"' if style.get("fillColor")
            else ' fill="none"')
    return (f'<circle class="{kind}" cx="{x}" cy="{y}" r="{style["radius"]}"{fill} stroke="{style["color"]}" '
            f'stroke-width="{style["weight"]}"/>')


def drawing(shown: FirstMap | None, map_id: str, wrap: str, kind: str, credit: str) -> str:
    """``shown`` as the first view's HTML and its script; ``map_id`` is the Leaflet map's id (its markers
    take the drawing away), ``wrap`` a selector of the map's box in Dash's page, ``kind`` a class of the
    drawing (the page's style for it), ``credit`` the map's credits, where Leaflet writes them. Empty where
    the page draws no first view."""
    if shown is None:
        return ""
    layers = []
    for zoom, (singles, clusters) in shown.layers.items():
        circles = "".join(
            f'<circle class="city-marker tier-{tier}" cx="{x}" cy="{y}" r="{r}" fill="{TIER_STYLE[tier]["color"]}" '
            f'stroke="{TIER_STYLE[tier]["stroke"]}" fill-opacity="{TIER_STYLE[tier]["fill_opacity"]}"'
            + (f' stroke-dasharray="{TIER_STYLE[tier]["dash"]}"' if TIER_STYLE[tier]["dash"] else "") + "/>"
            for x, y, r, tier in singles)
        icons = "".join(
            f'<div class="first-cluster atlas-cluster" style="left:{x}px;top:{y}px;width:{size}px;height:{size}px;'
            f'margin:-{size / 2:g}px 0 0 -{size / 2:g}px"><div class="cluster-ring" data-tiers="{mix}" '
            f'style="background:conic-gradient({ring})"><span>{count}</span></div></div>'
            for x, y, size, count, ring, mix in clusters)
        above = ""
        if shown.highlight:  # the slide's cities: rings above the clusters, then their names (Leaflet's tooltip pane)
            ringed = shown.highlight[zoom]
            above += ('<svg class="first-rings" width="1" height="1">' + "".join(
                _ring(x, y, HIGHLIGHT_RING["named" if name else "other"], "first-ring") for x, y, name in ringed)
                + "</svg>" + "".join(_name(x, y, name, HIGHLIGHT_NAME, "highlight") for x, y, name in ringed if name))
        if shown.selected:  # above the clusters, as Leaflet's tooltip pane is: the name, then the ring (in the
            # pane's SVG, above it)
            x, y = shown.selected[zoom]
            above += (_name(x, y, shown.selected_name, SELECTED_NAME, "selected")
                      + '<svg class="first-selected" width="1" height="1">'
                      + _ring(x, y, SELECTED_RING, "selected-city") + "</svg>")
        layers.append(f'<div class="first-zoom" data-z="{zoom}" hidden><svg class="first-points" width="1" height="1">'
                      f'{circles}</svg>{icons}{above}</div>')
    view = (f' data-fit="{json.dumps(shown.fit)}"' if shown.fit else "") + f' data-center="{json.dumps(shown.center)}"'
    view += f' data-snap="{shown.snap:g}"' if shown.snap != 1 else ""
    view += f' data-pad="{json.dumps(shown.padding)}"' if shown.padding else ""
    done = (f"#{map_id} .leaflet-marker-pane .atlas-cluster, #{map_id} path.city-marker" if shown.count
            else f"#{map_id} .leaflet-countries-pane path")
    view += ' data-sheet="1"' if shown.above_sheet else ""
    return (f'<div class="first-map {kind}" aria-hidden="true" hidden{view} '
            f'data-zoom="{shown.zoom}" data-min="{urls.MIN_ZOOM}" data-wrap="{escape(wrap, quote=True)}" '
            f'data-done="{escape(done, quote=True)}" '
            f'data-borders="{escape(urls.border_drawing_url(data.borders_version()), quote=True)}#b">'
            '<svg class="first-borders" width="1" height="1"><use href=""/></svg>'
            + "".join(layers) + f'<p class="first-credit">{escape(credit)}</p></div><script>{SCRIPT}</script>')
