/* Browser-side functions of the atlas (mostly the map page).
 * window.atlas.map: functions the map layers reference by name (dash_extensions Namespace "atlas.map").
 * window.dash_clientside.atlas: clientside callbacks (dashboard/pages/home.py).
 * window.atlas.config(): the component ids and URL rules the server hands over (the JSON script
 * element "atlas-client", from dashboard/ids.py and dashboard/urls.py): this file hard-codes none.
 */
window.atlas = Object.assign({}, window.atlas, {
  config: (function () {
    var parsed = null;
    return function () {
      if (!parsed) {
        var element = document.getElementById("atlas-client");
        parsed = element ? JSON.parse(element.textContent) : {ids: {}, urls: {order: []}};
      }
      return parsed;
    };
  })(),
  map: (function () {
    function escapeHtml(text) {
      return String(text).replace(/[&<>"']/g, function (c) {
        return {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#x27;"}[c];
      });
    }

    /* Row i of the point table as a GeoJSON feature; the tooltip's text is escaped (it is shown as HTML). */
    function cityFeature(table, i, labels, styles) {
      var tier = table.tier[i], style = styles[tier], esc = escapeHtml;
      var lines = ["<strong>" + esc(table.name[i]) + "</strong>", esc(table.country[i]),
                   esc(labels.tier[tier + "/" + (table.official[i] ? "official" : "estimate")])];
      if (!table.confirmed[i]) { lines.push(esc(labels.unconfirmed)); }
      return {
        type: "Feature", id: table.id[i],
        geometry: {type: "Point", coordinates: [table.lon[i], table.lat[i]]},
        properties: {id: table.id[i], tier: tier, color: style.color, stroke: style.stroke,
                     fill_opacity: style.fill_opacity, dash: style.dash, radius: table.radius[i],
                     tooltip: lines.join("<br>")}
      };
    }

    /* One test per filter of the query string, each a function of the table row. The rule of
       dashboard/facets.py, for every facet alike: a city's code (single-valued facet) or list of
       codes (multi-valued) index the facet's values; the city passes when any of them is wanted. */
    function selectionTests(facets, selection) {
      var tests = [];
      new URLSearchParams(selection).forEach(function (raw, name) {
        var column = facets[name];
        if (!column) { return; }  // not a facet: the server never sends one
        var wanted = raw.split(","), allowed = new Uint8Array(column.values.length);
        column.values.forEach(function (v, j) { if (wanted.indexOf(v) >= 0) { allowed[j] = 1; } });
        tests.push(function (i) {
          var codes = column.codes[i];
          if (typeof codes === "number") { return allowed[codes] === 1; }
          for (var k = 0; k < codes.length; k++) {
            if (allowed[codes[k]] === 1) { return true; }
          }
          return false;
        });
      });
      return tests;
    }

    return {
      /* The features of a selection: every city of the point table (layers/cities.py point_table)
         that passes the filters of ``selection``, the canonical query string the server sends
         ("region=europe,asia&tier=high"), shaped like layers/cities.py feature(). The rule is the
         store's: a facet's values are alternatives, facets combine, and a city matches a COVID-19
         category when it responded in it. Each city's feature is built once per table and language
         and reused by later selections. */
      features: function (table, selection, labels, styles) {
        var tests = selectionTests(table.facets || {}, selection || ""), features = [];
        var key = JSON.stringify([labels, styles]);
        if (!table._features || table._featuresKey !== key) {
          table._features = new Array(table.id.length);
          table._featuresKey = key;
        }
        var built = table._features;
        rows: for (var i = 0; i < table.id.length; i++) {
          for (var t = 0; t < tests.length; t++) {
            if (!tests[t](i)) { continue rows; }
          }
          features.push(built[i] || (built[i] = cityFeature(table, i, labels, styles)));
        }
        return {type: "FeatureCollection", features: features};
      },
      pointToLayer: function (feature, latlng) {
        var p = feature.properties;
        return L.circleMarker(latlng, {
          radius: p.radius,
          fillColor: p.color,
          color: p.stroke,
          weight: 1.5,
          fillOpacity: p.fill_opacity,
          dashArray: p.dash,
          className: "city-marker tier-" + p.tier
        });
      }
    };
  })()
});

(function () {
  function ids() {
    return window.atlas.config().ids;
  }
  function byId(name) {
    return document.getElementById(ids()[name]);
  }
  function triggered() {
    var t = window.dash_clientside.callback_context.triggered;
    return t && t.length ? t[0].prop_id : "";
  }
  function reducedMotion() {
    return !!(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  }
  var tables = {};  // point table URL -> promise of the table (fetched once per page load)
  var userMoved = false;  // has the user moved the map since this history entry opened?
  var restoring = false;  // back/forward: until the entry's view is applied, the map's moves are not the user's
  function wrapLon(lon) {
    return ((((lon + 180) % 360) + 360) % 360) - 180;
  }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.atlas = {
    /* The map's cities: the selection's features, from the point table and the selection's query string. */
    showSelection: function (selection, points) {
      if (!points || typeof selection !== "string") { return window.dash_clientside.no_update; }
      if (!(points.url in tables)) {
        tables[points.url] = fetch(points.url).then(function (response) {
          if (!response.ok) { throw new Error("city points: HTTP " + response.status); }
          return response.json();
        }).catch(function (error) {
          delete tables[points.url];  // try again on the next change
          throw error;
        });
      }
      return tables[points.url].then(function (table) {
        return window.atlas.map.features(table, selection, points.labels, points.style);
      });
    },
    /* Typed text goes to the server only when the search box does not have every city. */
    searchQuery: function (text, query) {
      if (!query || query.local || !text || !text.trim()) { return window.dash_clientside.no_update; }
      return {local: false, text: text};
    },
    /* A click on a single marker asks for its city; the panel's close button for none.
       (A request, not the search box's value: the box only keeps values among its options.) */
    chooseCity: function (clickData, closeClicks) {
      var nu = window.dash_clientside.no_update;
      if (triggered().indexOf(ids().cityPanelClose + ".") === 0) {
        var box = byId("citySearch"), search = box && box.querySelector("input");
        if (search) { search.focus(); }
        return {id: null, at: Date.now()};
      }
      if (!clickData || !clickData.properties || clickData.properties.cluster) { return nu; }
      return clickData.properties.id ? {id: clickData.properties.id, at: Date.now()} : nu;
    },
    /* Move the map: to a focus {center, zoom, animate} (never animated for reduced motion) or
       {bounds} (a history entry without a view), or, when the page opens without a view in its
       URL, to fit the selection on this screen. */
    moveMap: function (focus, fit) {
      if (focus && focus.bounds) {
        restoring = false;
        return {bounds: focus.bounds, transition: "fitBounds", options: {animate: false}};
      }
      if (focus) {
        userMoved = true;
        restoring = false;
        var fly = focus.animate && !reducedMotion();
        return {center: focus.center, zoom: focus.zoom, transition: fly ? "flyTo" : "setView",
                options: fly ? {duration: 1.2} : {animate: false}};
      }
      if (fit) { return {bounds: fit, transition: "fitBounds", options: {animate: false}}; }
      return window.dash_clientside.no_update;
    },
    /* Keep z/lat/lon in the address bar once the user moves the map (replaceState: a pan is not
       a history step). Views the page chose by itself stay out of the URL. The query string is
       written as dashboard/urls.py writes it: parameters in its order, commas kept readable. */
    writeView: function (zoom, center) {
      var nu = window.dash_clientside.no_update, rules = window.atlas.config().urls;
      if (zoom === undefined || zoom === null || !center) { return nu; }
      var params = new URLSearchParams(window.location.search);
      if (restoring || (!userMoved && !params.has("z"))) { return nu; }
      var lat = Array.isArray(center) ? center[0] : center.lat;
      var lon = Array.isArray(center) ? center[1] : center.lng;
      params.set("z", String(Math.round(zoom)));
      params.set("lat", Number(lat).toFixed(rules.viewDigits));
      params.set("lon", wrapLon(Number(lon)).toFixed(rules.viewDigits));
      var ordered = new URLSearchParams();
      rules.order.forEach(function (name) {
        if (params.has(name)) { ordered.set(name, params.get(name)); }
      });
      var url = window.location.pathname + "?" + ordered.toString().replace(/%2C/gi, ",") + window.location.hash;
      if (url !== window.location.pathname + window.location.search + window.location.hash) {
        window.history.replaceState(window.history.state, "", url);
      }
      return nu;
    },
    /* The compare page remembers its cities (a dcc.Store kept in localStorage). */
    rememberCompare: function (ids) {
      return Array.isArray(ids) ? ids : window.dash_clientside.no_update;
    },
    /* Open or close the filter drawer (narrow screens). */
    toggleFilters: function (openClicks, closeClicks, className) {
      var open = triggered().indexOf(ids().filtersToggle + ".") === 0 && (className || "").indexOf("open") < 0;
      setTimeout(function () {
        var drawer = byId("filters");
        var target = open ? drawer && drawer.querySelector("input, button") : byId("filtersToggle");
        if (target) { target.focus(); }
      }, 0);
      return [open ? "filters open" : "filters", open ? "true" : "false"];
    }
  };

  /* A drag, wheel, key or button on the map is the user choosing a view. */
  ["pointerdown", "wheel", "keydown"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var map = byId("map");
      if (map && event.target && event.target.nodeType === 1 && map.contains(event.target)) {
        userMoved = true;
        restoring = false;
      }
    }, true);
  });
  /* Back/forward within the map page: hand the URL to the page's callback through the
     map-history store (it restores filters, city and view) instead of letting Dash Pages rebuild
     the whole page, which would drop the map mid-animation and lose the user's place.
     Registered before Dash's own listeners, so it can keep them from seeing the event. */
  window.addEventListener("popstate", function (event) {
    userMoved = false;
    restoring = true;
    // (the map-history store has no element of its own: the map and the address say it is the map page)
    var ours = byId("map") !== null && window.location.pathname === window.atlas.config().urls.map;
    if (ours && window.dash_clientside && window.dash_clientside.set_props) {
      event.stopImmediatePropagation();
      window.dash_clientside.set_props(ids().mapHistory, {data: {search: window.location.search, at: Date.now()}});
    }
  });

  /* "Add to compare" links add their city to the cities last compared (at most 4, oldest dropped);
     without this script they open the comparison with that city alone. */
  document.addEventListener("click", function (event) {
    var link = event.target && event.target.closest && event.target.closest("a[data-compare-add]");
    if (!link) { return; }
    var city = link.getAttribute("data-compare-add"), remembered = [];
    try { remembered = JSON.parse(window.localStorage.getItem(ids().compareSet)) || []; } catch (err) { remembered = []; }
    var rules = window.atlas.config().urls;
    var chosen = (Array.isArray(remembered) ? remembered : []).filter(function (x) {
      return typeof x === "string" && x !== city;
    }).slice(-(rules.maxCompare - 1));
    chosen.push(city);
    link.setAttribute("href", rules.compare + "?cities=" + chosen.map(encodeURIComponent).join(","));
  }, true);

  /* Esc closes the filter drawer, else the city panel. */
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || event.defaultPrevented) { return; }
    var drawer = byId("filters");
    if (drawer && drawer.classList.contains("open")) {
      byId("filtersClose").click();
      return;
    }
    var panel = byId("cityPanel");
    if (panel && panel.classList.contains("open")) {
      byId("cityPanelClose").click();
    }
  });
})();
