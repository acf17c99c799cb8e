/* The atlas's charts (dashboard/pages/findings.py, dashboard/views/chart_style.py).

   A chart arrives from the server as a <figure class="atlas-chart"> holding its figure as
   JSON (data-figure), how to draw it (data-config), and its data as a table, which is what
   a visitor sees until plotly.js has drawn the chart (and what a screen reader reads after).
   plotly.js (the partial "basic" bundle the atlas serves itself, data-plotly) is asked for
   only when a chart comes near the viewport, and each chart is drawn when it does, each in a
   task of its own: nothing on a page without charts, and no blank box on a page with them.

   On a page of text and charts (the findings), a chart already in view when the page opens is
   read as its table until the visitor starts reading the page: the first scroll, touch, click,
   key or wheel, or the pointer or the focus on a chart. plotly.js (about half a second of a
   phone's processor) then loads and the charts near the window are drawn; a visitor who only
   reads the first screen is never made to wait for it. A chart that is the page's subject
   (data-draw="at-once": an embedded chart, a presentation slide) is drawn at once.

   A chart narrower than data-narrow pixels (a phone) draws its narrow variant, which the
   figure carries in layout.meta.narrow (labels, title and source wrapped for the width).
   A callback that replaces data-figure redraws the chart. */
(function () {
  "use strict";
  var loading = null;
  var seen = typeof WeakSet === "function" ? new WeakSet() : null;

  function loadPlotly(src) {
    if (window.Plotly) { return Promise.resolve(window.Plotly); }
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.async = true;
        script.onload = function () { resolve(window.Plotly); };
        script.onerror = function () { loading = null; reject(new Error("plotly.js did not load: " + src)); };
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  function merge(target, patch) {
    Object.keys(patch).forEach(function (key) {
      var value = patch[key];
      if (value && typeof value === "object" && !Array.isArray(value) && target[key] && typeof target[key] === "object") {
        target[key] = merge(Object.assign({}, target[key]), value);
      } else {
        target[key] = value;
      }
    });
    return target;
  }

  function isNarrow(chart) {
    return chart.clientWidth < Number(chart.getAttribute("data-narrow") || 0);
  }

  /* The figure to draw at the chart's width: the wide one, or its narrow variant; ``forPng``
     adds the source note under the plot (layout.meta.download), so it travels with the image. */
  function figureFor(chart, narrow, forPng) {
    var figure = JSON.parse(chart.getAttribute("data-figure"));
    var meta = figure.layout.meta || {};
    var variant = narrow && meta.narrow;
    if (variant) {
      figure.data.forEach(function (trace, i) { if (variant.y[i]) { trace.y = variant.y[i]; } });
      figure.layout = merge(figure.layout, variant.layout);
    }
    if (forPng) { figure.layout = merge(figure.layout, (variant ? variant.download : meta.download) || {}); }
    return figure;
  }

  /* A chart in a box that asks to be filled (data-fill: a presentation slide) takes the box's
     height, and its type and margins grow with it (up to 1.35 times the figure's), so that it is
     read from the back of a room; the box's height is kept to redraw when it changes. */
  var FONTS = [["font"], ["legend", "font"], ["xaxis", "tickfont"], ["yaxis", "tickfont"], ["xaxis", "title", "font"]];

  function fillBox(chart) {
    var box = chart.closest("[data-fill]");
    return box && box.clientHeight >= 200 ? box : null;
  }

  function fill(chart, figure) {
    var box = fillBox(chart), plot = chart.querySelector(".chart-plot");
    if (!box) { return figure; }
    var height = Math.floor(box.getBoundingClientRect().bottom - plot.getBoundingClientRect().top), k = Math.min(1.35, Math.max(1, height / figure.layout.height));
    FONTS.forEach(function (path) {
      var at = figure.layout;
      for (var i = 0; i < path.length && at; i++) { at = at[path[i]]; }
      if (at && at.size) { at.size = Math.round(at.size * k); }
    });
    ["t", "r", "b"].forEach(function (side) {
      if (figure.layout.margin && figure.layout.margin[side]) { figure.layout.margin[side] = Math.round(figure.layout.margin[side] * k); }
    });
    figure.layout.height = height;
    return figure;
  }

  function configFor(chart, Plotly) {
    var config = JSON.parse(chart.getAttribute("data-config"));
    var download = {
      name: "atlas-download",
      title: config.download,
      icon: Plotly.Icons.camera,
      click: function (gd) {
        var figure = figureFor(chart, isNarrow(chart), true);
        Plotly.downloadImage({data: figure.data, layout: figure.layout}, {
          format: "png", filename: config.filename, scale: 2, width: gd.offsetWidth, height: figure.layout.height
        });
      }
    };
    return Object.assign({}, config.plotly, {modeBarButtons: [[download]]});
  }

  /* What the reader is reading: the first text element whose top is in the window (never a
     chart's own changing parts). A chart drawn above it changes height; keep() scrolls so that
     it stays where it was (the browser's scroll anchoring is off on such pages, atlas.css). */
  var TEXT = "h1, h2, h3, h4, p, li, figcaption, legend, caption";

  function readingPlace() {
    if (!window.scrollY) { return null; }
    var nodes = document.querySelectorAll(TEXT);
    for (var i = 0; i < nodes.length; i++) {
      if (nodes[i].closest(".chart-plot, .chart-fallback, nav, header")) { continue; }  // sticky or changing
      var top = nodes[i].getBoundingClientRect().top;
      if (top >= 0 && top < window.innerHeight) { return {node: nodes[i], top: top}; }
    }
    return null;
  }

  function keep(place) {
    if (!place || !place.node || !document.body.contains(place.node)) { return; }
    var moved = place.node.getBoundingClientRect().top - place.top;
    if (Math.abs(moved) >= 1) { window.scrollBy(0, moved); }
  }

  var queue = Promise.resolve();

  /* a promise kept in a later task: the browser paints and answers the visitor in between */
  function nextTask(value) {
    return new Promise(function (resolve) { setTimeout(function () { resolve(value); }, 0); });
  }

  /* Charts are drawn one after another, each in a task of its own (after plotly.js's start-up,
     in a task of its own too), each keeping the reading place before the next starts. */
  function draw(chart) {
    var plot = chart.querySelector(".chart-plot");
    if (!plot || !chart.getAttribute("data-figure")) { return; }
    var src = chart.getAttribute("data-plotly");
    queue = queue.then(function () { return loadPlotly(src); }).then(nextTask).then(function (Plotly) {
      if (!document.body.contains(chart)) { return null; }
      var narrow = isNarrow(chart);
      var figure = fill(chart, figureFor(chart, narrow));
      var place = readingPlace();
      chart.atlasDrawn = {narrow: narrow, figure: chart.getAttribute("data-figure"), height: figure.layout.height};
      return Plotly.react(plot, figure.data, figure.layout, configFor(chart, Plotly)).then(function () {
        keep(place);
      });
    }).catch(function (error) { console.warn(error.message); });  // the table stays: the data is there
  }

  /* The visitor has started reading the page (see above): until then, charts that come near
     the window wait in ``near``, as their tables. */
  var reading = false, near = [];
  var STARTS = ["wheel", "touchstart", "pointerdown", "keydown"];  // and the page's own scroll

  function atOnce(chart) {
    return chart.getAttribute("data-draw") === "at-once" || !!fillBox(chart);
  }

  function startReading() {
    if (reading) { return; }
    reading = true;
    STARTS.forEach(function (type) { window.removeEventListener(type, startReading, true); });
    window.removeEventListener("scroll", startReading);
    document.removeEventListener("pointerover", onChart, true);
    document.removeEventListener("focusin", onChart, true);
    near.splice(0).forEach(function (chart) { visible.unobserve(chart); draw(chart); });
  }

  function onChart(event) {  // the pointer or the focus on a chart
    if (event.target && event.target.closest && event.target.closest(".atlas-chart")) { startReading(); }
  }

  var visible = typeof IntersectionObserver === "function" ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      var chart = entry.target, at = near.indexOf(chart);
      if (!entry.isIntersecting) {
        if (at >= 0) { near.splice(at, 1); }
      } else if (reading || atOnce(chart)) {
        visible.unobserve(chart);
        draw(chart);
      } else if (at < 0) {
        near.push(chart);
      }
    });
  }, {rootMargin: "600px 0px"}) : null;

  if (visible) {
    STARTS.forEach(function (type) { window.addEventListener(type, startReading, {capture: true, passive: true}); });
    window.addEventListener("scroll", startReading, {passive: true});  // not a list's own sideways scroll
    document.addEventListener("pointerover", onChart, true);
    document.addEventListener("focusin", onChart, true);
  }

  /* Until it is drawn, a chart's table fills the box the chart will take (atlas.css): the server
     keeps the wide figure's height; a narrow chart keeps its narrow variant's, so that nothing
     under it moves when it is drawn. A chart filling a box (a slide) takes the box's height. */
  function reservedHeight(chart) {  // null: drawn, or in a box it fills
    if (chart.atlasDrawn || !chart.getAttribute("data-figure") || !chart.querySelector(".chart-fallback") ||
        fillBox(chart)) { return null; }
    return figureFor(chart, isNarrow(chart)).layout.height + "px";
  }

  /* ``list``'s boxes at their heights (all measured, then all set), keeping the reading place: a
     page opened at a section (atlas_anchor.js) may have scrolled past charts whose boxes change. */
  function reserve(list) {
    var heights = list.map(reservedHeight), place = null;
    list.forEach(function (chart, i) {
      var fallback = chart.querySelector(".chart-fallback");
      if (heights[i] && fallback.style.minHeight !== heights[i]) {
        if (!place) { place = readingPlace() || {}; }
        fallback.style.minHeight = heights[i];
      }
    });
    keep(place);
  }

  var resized = typeof ResizeObserver === "function" ? new ResizeObserver(function (entries) {
    var waiting = [];
    entries.forEach(function (entry) {
      var chart = entry.target;
      if (!chart.atlasDrawn) {
        waiting.push(chart);
      } else if (chart.atlasDrawn.narrow !== isNarrow(chart)) {
        draw(chart);
      }
    });
    reserve(waiting);
  }) : null;

  /* a filled chart follows its box (the window resized, full screen on or off) */
  window.addEventListener("resize", function () {
    for (var i = 0; i < charts.length; i++) {
      var chart = charts[i], box = chart.atlasDrawn && fillBox(chart);
      var plot = chart.querySelector(".chart-plot");
      if (box && Math.abs(box.getBoundingClientRect().bottom - plot.getBoundingClientRect().top - chart.atlasDrawn.height) > 8) {
        draw(chart);
      }
    }
  });

  function watch(chart) {
    if (seen ? seen.has(chart) : chart.atlasSeen) { return false; }
    if (seen) { seen.add(chart); } else { chart.atlasSeen = true; }
    if (resized) { resized.observe(chart); }
    if (visible) { visible.observe(chart); } else { draw(chart); }
    return true;
  }

  var charts = document.getElementsByClassName("atlas-chart");  // live: costs nothing where there is none

  function scan() {
    var fresh = [];
    for (var i = 0; i < charts.length; i++) { if (watch(charts[i])) { fresh.push(charts[i]); } }
    reserve(fresh);
  }

  function start() {
    scan();
    new MutationObserver(function (mutations) {
      if (!charts.length) { return; }
      scan();
      mutations.forEach(function (m) {
        // a callback gave a chart a new figure: redraw it if it was drawn (else it is drawn when
        // seen, and its box is kept at the new figure's height until then)
        if (m.type !== "attributes") { return; }
        if (!m.target.atlasDrawn) {
          reserve([m.target]);
        } else if (m.target.atlasDrawn.figure !== m.target.getAttribute("data-figure")) {
          draw(m.target);
        }
      });
    }).observe(document.body, {childList: true, subtree: true, attributes: true, attributeFilter: ["data-figure"]});
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
