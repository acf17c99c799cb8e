/* Keyboard and screen-reader support, and the colour theme (every page).
 *
 * 1. Dash 4.4's own controls, made to say what they are. Its Checklist and RadioItems draw a
 *    list box whose options are labels around native inputs (interactive controls nested in
 *    interactive options: a screen reader meets each choice twice, as an option and as a
 *    checkbox); its Dropdown puts a hidden but focusable input before its button. Here the
 *    native inputs stay and the list box roles go (the fieldset's legend names the group); the
 *    dropdown's button is the Tab stop, named by its <label> and its value; its open menu lets Tab
 *    and Shift+Tab go on to the next (previous) control, as a native select does.
 * 2. The map by keyboard: city markers and clusters are Tab stops (window.atlas.keyboard, used by
 *    atlas_map.js's layers); Enter on a city opens its panel and moves the focus into it, Enter on
 *    a group zooms in and puts the focus on the city or group nearest the middle; when the panel
 *    closes (Esc or its button) the focus goes back to where the panel was opened from. A link the
 *    focus comes to in a row that scrolls sideways is brought wholly into view.
 * 3. Light and dark themes: the head's script (app.THEME_SCRIPT) sets <html data-theme> before the
 *    first paint; the toggle flips it and keeps the choice; charts take the theme's colours from
 *    the CSS tokens (assets/atlas.css).
 */
(function () {
  "use strict";

  var root = document.documentElement;

  /* ------------------------------------------------------------ 1. Dash's controls */
  function repairChoices(list) {
    if (list.getAttribute("role") === "listbox") { list.removeAttribute("role"); }
    list.querySelectorAll("[role=option], [aria-selected]").forEach(function (option) {
      option.removeAttribute("role");
      option.removeAttribute("aria-selected");
    });
  }
  function repairDropdown(button) {
    var target = button.previousElementSibling;
    if (target && target.classList.contains("dash-dropdown-focus-target") && !target.hasAttribute("inert")) {
      target.setAttribute("inert", "");
      target.tabIndex = -1;
    }
    if (button.tabIndex !== 0 && !button.disabled) { button.tabIndex = 0; }
    var label = button.id && document.querySelector("label[for=\"" + button.id + "\"]");
    if (label) {
      if (!label.id) { label.id = button.id + "-label"; }
      var named = button.getAttribute("aria-labelledby") || "";
      if (named.split(" ").indexOf(label.id) < 0) {
        button.setAttribute("aria-labelledby", (label.id + " " + named).trim());
      }
    }
  }
  function repair(scope) {
    scope.querySelectorAll(".dash-checklist, .dash-radioitems").forEach(repairChoices);
    scope.querySelectorAll("button.dash-dropdown").forEach(repairDropdown);
    scope.querySelectorAll(".js-plotly-plot").forEach(watchPlot);
    var toggle = scope.querySelector(".theme-toggle");
    if (toggle) { showTheme(); }
  }

  /* An open dropdown lets Tab go, as a native select does: Dash's menu keeps Tab for moving among
     its options (the focus stays in the menu until Esc). Tab (Shift+Tab) in an open menu moves the
     focus to the control after (before) the dropdown; the menu, left by the focus, closes and Dash
     keeps the choices made in it (it commits them as it closes). */
  var TABBABLE = "a[href], button, input, select, textarea, summary, [tabindex]";

  function tabStop(el) {
    if (el.tabIndex < 0 || el.disabled || el.type === "hidden") { return false; }
    if (el.closest("[inert], .dash-dropdown-content")) { return false; }
    // shown (not in a closed <details>, whose inside keeps its boxes)
    if (el.checkVisibility ? !el.checkVisibility({visibilityProperty: true}) :
        !el.getClientRects().length || window.getComputedStyle(el).visibility === "hidden") { return false; }
    // of a group of radio buttons with one checked, only that one is a Tab stop
    return !(el.type === "radio" && !el.checked && el.name &&
             document.querySelector("input[type=radio][name=\"" + CSS.escape(el.name) + "\"]:checked"));
  }

  /* The focus to the Tab stop after (before) ``from`` in the page's order (the next one that takes
     it); false when there is none. */
  function tabFrom(from, back) {
    var stops = Array.prototype.filter.call(document.querySelectorAll(TABBABLE), function (el) {
      return el === from || tabStop(el);
    });
    var at = stops.indexOf(from), step = back ? -1 : 1;
    if (at < 0) { return false; }
    for (var i = at + step; i >= 0 && i < stops.length; i += step) {
      stops[i].focus();
      if (document.activeElement === stops[i]) { return true; }
    }
    return false;
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Tab" || event.altKey || event.ctrlKey || event.metaKey) { return; }
    // in the open menu, or on its button (the menu comes next in the page's order)
    var wrapper = event.target.closest && event.target.closest(".dash-dropdown-wrapper");
    var button = wrapper && wrapper.querySelector("button.dash-dropdown[aria-expanded=true]");
    if (button && (event.target === button || event.target.closest(".dash-dropdown-content")) &&
        tabFrom(button, event.shiftKey)) {
      event.stopPropagation();  // before Dash's menu moves to its next option
      event.preventDefault();
    }  // else nothing after it on the page: Dash's own Tab (Esc closes the menu)
  }, true);

  /* ------------------------------------------------------------ 2. the map by keyboard */
  var opener = null;  // where the city panel was opened from: {marker: id} | {list: id} | {element}
  var focusPanel = false;  // move the focus into the panel when it opens

  function focusable(el) {
    if (!el || !el.isConnected) { return false; }
    el.focus({preventScroll: false});
    return document.activeElement === el;
  }
  function searchBox() {
    return document.querySelector("#" + cssId(ids().citySearch || "city-search"));
  }
  function ids() {
    return window.atlas && window.atlas.config ? window.atlas.config().ids : {};
  }
  function cssId(id) {
    return window.CSS && CSS.escape ? CSS.escape(id) : id;
  }
  /* The focusable markers and groups nearest the map's middle first. */
  function nearestMarker(map) {
    var box = map.getContainer().getBoundingClientRect(), cx = box.left + box.width / 2, cy = box.top + box.height / 2;
    var best = null, bestDistance = Infinity;
    map.getContainer().querySelectorAll("[data-marker-city], .atlas-cluster[tabindex]").forEach(function (el) {
      var r = el.getBoundingClientRect(), d = Math.pow(r.left + r.width / 2 - cx, 2) + Math.pow(r.top + r.height / 2 - cy, 2);
      if (r.width && d < bestDistance) { best = el; bestDistance = d; }
    });
    return best;
  }

  /* A map layer (a city's circle or a group's icon) as a Tab stop that Enter or Space opens,
     named in words for screen readers. Called by atlas_map.js's pointToLayer and clusterToLayer. */
  function keyboard(layer, label, cityId) {
    layer.on("add", function () {
      var el = layer.getElement && layer.getElement();
      if (!el) { return; }
      el.setAttribute("tabindex", "0");
      el.setAttribute("role", "button");
      el.setAttribute("aria-label", label);
      if (cityId) { el.setAttribute("data-marker-city", cityId); }
      el.addEventListener("keydown", function (event) {
        if (event.key !== "Enter" && event.key !== " ") { return; }
        event.preventDefault();
        event.stopPropagation();
        var map = layer._map;
        if (cityId) {
          opener = {marker: cityId};
          focusPanel = true;
        } else if (map) {
          map.once("moveend", function () {
            // the group's cities are drawn after the move: wait for them
            setTimeout(function () { focusable(nearestMarker(map)) || focusable(map.getContainer()); }, 120);
          });
        }
        layer.fire("click", {latlng: layer.getLatLng(), originalEvent: event}, true);
      });
    });
    return layer;
  }

  function panel() {
    return document.getElementById(ids().cityPanel || "city-panel");
  }
  function returnFocus() {
    var from = opener, target = null;
    opener = null;
    if (from && from.marker) {
      target = document.querySelector("[data-marker-city=\"" + cssId(from.marker) + "\"]");
    } else if (from && from.list) {
      target = document.querySelector("button[data-city=\"" + cssId(from.list) + "\"]");
    } else if (from && from.element) {
      target = from.element;
    }
    if (!focusable(target)) { focusable(searchBox()); }
  }
  function panelChanged(el, wasOpen) {
    var open = el.classList.contains("open");
    if (open && focusPanel) {
      focusPanel = false;
      var title = el.querySelector("h2, h3");
      if (title) {
        title.setAttribute("tabindex", "-1");
        title.focus();
      }
    } else if (wasOpen && !open) {
      returnFocus();
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" && event.key !== " ") { return; }
    var city = event.target.closest && event.target.closest("button[data-city]");
    if (city) {
      opener = {list: city.getAttribute("data-city")};
      focusPanel = true;
    }
  }, true);
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.skip-link");
    if (link) {
      var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (target) {
        event.preventDefault();
        if (target.tabIndex < 0 && !target.matches("button, input, a[href]")) { target.setAttribute("tabindex", "-1"); }
        if (event.detail === 0) {
          // followed with Enter: focus once the key is up, or the target (a dropdown) opens on its keyup
          var moved = false, move = function () { if (!moved) { moved = true; target.focus(); } };
          document.addEventListener("keyup", move, {once: true, capture: true});
          setTimeout(move, 500);
        } else {
          target.focus();
        }
      }
      return;
    }
    var city = event.target.closest && event.target.closest("button[data-city]");
    if (city && !opener) { opener = {list: city.getAttribute("data-city")}; focusPanel = true; }
  }, true);
  /* A city chosen in the search box: closing its panel brings the focus back to the search. */
  document.addEventListener("focusin", function (event) {
    var search = searchBox();
    if (search && search.contains(event.target)) { opener = {element: search}; }
  });

  /* A link the focus comes to in a row that scrolls sideways (the header's navigation on a phone,
     the findings' contents) is brought wholly into view, clear of the row's faded end (its
     scroll-padding): the browser scrolls it only when it is wholly out of view. */
  document.addEventListener("focusin", function (event) {
    var row = event.target.closest && event.target.closest(".site-nav, .findings-contents ul");
    if (row && row.scrollWidth > row.clientWidth) { event.target.scrollIntoView({block: "nearest", inline: "nearest"}); }
  });

  /* ------------------------------------------------------------ 3. the theme */
  function key() {  // where the choice is kept (app.THEME_KEY, handed over with the ids)
    return window.atlas.config().themeKey;
  }
  function theme() {
    return root.getAttribute("data-theme") === "dark" ? "dark" : "light";
  }
  function showTheme() {
    document.querySelectorAll(".theme-toggle").forEach(function (button) {
      button.setAttribute("aria-pressed", theme() === "dark" ? "true" : "false");
    });
  }
  function setTheme(name, keep) {
    root.setAttribute("data-theme", name);
    if (keep) {
      try { window.localStorage.setItem(key(), name); } catch (err) { /* storage refused: this page only */ }
      // the toggle's choice replaces the address's theme=
      var params = new URLSearchParams(window.location.search);
      if (params.has("theme")) {
        params.delete("theme");
        window.history.replaceState(window.history.state, "", window.location.pathname +
          (window.atlas && window.atlas.query ? window.atlas.query(params) : "?" + params) + window.location.hash);
      }
    }
    showTheme();
    document.querySelectorAll(".js-plotly-plot").forEach(themePlot);
  }
  /* print is always light (the stylesheet's dark tokens are for screens): the charts too */
  var printing = null;
  window.addEventListener("beforeprint", function () {
    printing = theme();
    if (printing === "dark") { setTheme("light", false); }
  });
  window.addEventListener("afterprint", function () {
    if (printing === "dark") { setTheme("dark", false); }
    printing = null;
  });
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest && event.target.closest(".theme-toggle");
    if (toggle) { setTheme(theme() === "dark" ? "light" : "dark", true); }
  });
  /* no choice kept and none in the address: follow the system's setting as it changes */
  if (window.matchMedia) {
    var dark = window.matchMedia("(prefers-color-scheme: dark)");
    var follow = function (event) {
      var kept = null;
      try { kept = window.localStorage.getItem(key()); } catch (err) { kept = null; }
      if (!kept && !new URLSearchParams(window.location.search).has("theme")) { setTheme(event.matches ? "dark" : "light", false); }
    };
    if (dark.addEventListener) { dark.addEventListener("change", follow); }
  }

  /* A chart in the theme's colours (the CSS tokens), whatever its template: page and plot
     background, text, grid and axis lines. Only what differs is changed, so a chart redrawn by
     its callback is re-coloured once. */
  function token(name) {
    return getComputedStyle(root).getPropertyValue(name).trim();
  }
  function themePlot(gd) {
    var full = gd && gd._fullLayout;
    if (!full || !window.Plotly || !gd.isConnected) { return; }
    // the drawing itself is for the eye: each chart's data table is its text (dashboard/ui/chart.py)
    gd.querySelectorAll("svg.main-svg").forEach(function (svg) { svg.setAttribute("aria-hidden", "true"); });
    var ink = token("--ink"), muted = token("--muted"), bg = token("--bg"), line = token("--line");
    // compared with what plotly drew (template and defaults resolved): the light theme's charts,
    // drawn in the light tokens' colours, are left alone
    var update = {}, set = function (key, value) {
      var current = key.split(".").reduce(function (o, k) { return o && o[k]; }, full);
      if (current !== undefined && String(current).toLowerCase() !== value.toLowerCase()) { update[key] = value; }
    };
    set("paper_bgcolor", bg);
    set("plot_bgcolor", bg);
    set("font.color", ink);
    set("title.font.color", ink);
    set("legend.font.color", ink);
    if (theme() === "dark") {
      set("modebar.bgcolor", "rgba(0,0,0,0)");
      set("modebar.color", muted);
      set("modebar.activecolor", ink);
    }
    Object.keys(full).filter(function (k) { return /^[xy]axis\d*$/.test(k); }).forEach(function (axis) {
      set(axis + ".gridcolor", line);
      set(axis + ".zerolinecolor", muted);
      set(axis + ".linecolor", muted);
      set(axis + ".tickfont.color", ink);
      set(axis + ".title.font.color", muted);
    });
    (full.annotations || []).forEach(function (note, i) {
      set("annotations." + i + ".font.color", muted);
    });
    Object.keys(update).forEach(function (key) {  // plotly's attribute strings for array items
      var m = /^annotations\.(\d+)\.(.*)$/.exec(key);
      if (m) { update["annotations[" + m[1] + "]." + m[2]] = update[key]; delete update[key]; }
    });
    if (Object.keys(update).length) { window.Plotly.relayout(gd, update); }
  }
  function watchPlot(gd) {
    if (!gd._fullLayout || gd._atlasThemed) { return; }
    gd._atlasThemed = true;
    // after the drawing that fired the event has finished (Dash may be drawing the next figure)
    if (gd.on) { gd.on("plotly_afterplot", function () { window.requestAnimationFrame(function () { themePlot(gd); }); }); }
    themePlot(gd);
  }

  /* ------------------------------------------------------------ wiring */
  var wasOpen = false;
  var observer = new MutationObserver(function (mutations) {
    var added = false;
    mutations.forEach(function (m) {
      if (m.type === "childList" && m.addedNodes.length) { added = true; }
      if (m.type === "attributes") {
        var el = m.target;
        if (m.attributeName === "aria-selected" && el.hasAttribute("aria-selected") && el.closest(".dash-checklist, .dash-radioitems")) {
          el.removeAttribute("aria-selected");
        } else if (m.attributeName === "tabindex" && el.classList.contains("dash-dropdown") && el.tabIndex !== 0 && !el.disabled) {
          el.tabIndex = 0;
        }
      }
    });
    if (added) { repair(document.body); }
    var p = panel();
    if (p) {
      var open = p.classList.contains("open");
      if (open !== wasOpen || (open && focusPanel)) { panelChanged(p, wasOpen); }
      wasOpen = open;
    } else {
      wasOpen = false;
    }
  });
  function start() {
    repair(document.body);
    var p = panel();
    wasOpen = !!(p && p.classList.contains("open"));
    observer.observe(document.body, {childList: true, subtree: true, attributes: true,
                                     attributeFilter: ["aria-selected", "tabindex", "class"]});
  }
  if (document.body) { start(); } else { document.addEventListener("DOMContentLoaded", start); }

  window.atlas = Object.assign({}, window.atlas, {keyboard: keyboard, themePlot: themePlot});
})();
