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
  /* "?a=1&b=x,y" for URLSearchParams, written as dashboard/urls.py writes query strings: the
     atlas's parameters in its order (others dropped), commas kept readable; "" when none. */
  query: function (params) {
    var ordered = new URLSearchParams();
    window.atlas.config().urls.order.forEach(function (name) {
      if (params.has(name)) { ordered.set(name, params.get(name)); }
    });
    var text = ordered.toString().replace(/%2C/gi, ",");
    return text ? "?" + text : "";
  },
  map: (function () {
    function escapeHtml(text) {
      return String(text).replace(/[&<>"']/g, function (c) {
        return {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#x27;"}[c];
      });
    }

    /* Row i of the point table as a GeoJSON feature; the tooltip's text is escaped (it is shown as HTML). */
    function cityFeature(table, i, labels, styles) {
      var tier = table.tier[i], style = styles[tier], esc = escapeHtml, country = countryName(table, i, labels);
      var lines = ["<strong>" + esc(table.name[i]) + "</strong>", esc(country),
                   esc(labels.tier[tier + "/" + (table.official[i] ? "official" : "estimate")])];
      if (!table.confirmed[i]) { lines.push(esc(labels.unconfirmed)); }
      var said = [table.name[i], country, labels.tier[tier + "/" + (table.official[i] ? "official" : "estimate")]];
      return {
        type: "Feature", id: table.id[i],
        geometry: {type: "Point", coordinates: [table.lon[i], table.lat[i]]},
        properties: {id: table.id[i], tier: tier, color: style.color, stroke: style.stroke,
                     fill_opacity: style.fill_opacity, dash: style.dash, radius: table.radius[i],
                     tooltip: lines.join("<br>"), label: said.join(", ")}
      };
    }

    /* The city's country in the page's language (labels.countries: names by ISO3 code, from
       vocabulary.country_names; empty in English), else as the data writes it. */
    function countryName(table, i, labels) {
      var column = table.facets && table.facets.country, names = labels.countries || {};
      return (column && names[column.values[column.codes[i]]]) || table.country[i];
    }

    /* One test per filter of the query string, each a function of the table row (``key``: its
       facet). The rule of dashboard/facets.py, for every facet alike: a city's code (single-valued
       facet) or list of codes (multi-valued) index the facet's values; the city passes when any of
       them is wanted. */
    function selectionTests(facets, selection) {
      var tests = [];
      new URLSearchParams(selection).forEach(function (raw, name) {
        var column = facets[name];
        if (!column) { return; }  // not a facet: the server never sends one
        var wanted = raw.split(","), allowed = new Uint8Array(column.values.length);
        column.values.forEach(function (v, j) { if (wanted.indexOf(v) >= 0) { allowed[j] = 1; } });
        var test = function (i) {
          var codes = column.codes[i];
          if (typeof codes === "number") { return allowed[codes] === 1; }
          for (var k = 0; k < codes.length; k++) {
            if (allowed[codes[k]] === 1) { return true; }
          }
          return false;
        };
        test.key = name;
        tests.push(test);
      });
      return tests;
    }

    /* Adds row i's value codes of one facet to that facet's counts. */
    function addCodes(counts, column, i) {
      var codes = column.codes[i];
      if (typeof codes === "number") {
        counts[codes] += 1;
        return;
      }
      for (var k = 0; k < codes.length; k++) { counts[codes[k]] += 1; }
    }

    /* 1234567 -> "1,234,567" with the language's group symbol (i18n.number's "#,##0"). */
    function grouped(n, group) {
      return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, function () { return group; });
    }

    /* Tier counts of a cluster's cities, kept per supercluster index (rebuilt with each selection). */
    var tierCache = new WeakMap();
    /* A count in the page's language (one formatter per language: making one per group cost more
       than drawing the group). */
    var formatters = {};
    function formatCount(n) {
      var lang = document.documentElement.lang || "en";
      if (!formatters[lang]) { formatters[lang] = new Intl.NumberFormat(lang); }
      return formatters[lang].format(Number(n));
    }

    function tierCounts(index, clusterId) {
      var byCluster = tierCache.get(index);
      if (!byCluster) { byCluster = {}; tierCache.set(index, byCluster); }
      if (!byCluster[clusterId]) {
        var counts = {};
        index.getLeaves(clusterId, Infinity).forEach(function (leaf) {
          var t = leaf.properties.tier;
          counts[t] = (counts[t] || 0) + 1;
        });
        byCluster[clusterId] = counts;
      }
      return byCluster[clusterId];
    }

    /* Show each country name whose zoom has come and whose box overlaps no name placed before it
       (larger countries first) and lies inside the map. */
    function placeLabels(map) {
      if (!map._mapPane || !map._loaded) { return; }  // removed (the page was drawn again) or not yet shown
      var placed = [], size = map.getSize(), zoom = map.getZoom();
      // a label's size is read once (its text stays; a hidden label keeps its size: visibility), and
      // every size before any class is written: one layout, not one per label
      var labels = (map._atlasLabels || []).map(function (marker) {
        var el = marker.getElement(), span = el && el.firstChild;
        if (span && !marker._atlasHalf) {
          var w = span.offsetWidth, h = span.offsetHeight;
          if (w > 0) { marker._atlasHalf = {w: w / 2 + 4, h: h / 2 + 2}; }
        }
        return marker._atlasHalf && {el: el, marker: marker, w: marker._atlasHalf.w, h: marker._atlasHalf.h};
      }).filter(Boolean);
      labels.forEach(function (label) {
        var show = zoom >= label.marker.options.labelZoom;
        if (show) {
          var pt = map.latLngToContainerPoint(label.marker.getLatLng());
          var box = [pt.x - label.w, pt.y - label.h, pt.x + label.w, pt.y + label.h];
          show = box[0] >= 0 && box[1] >= 0 && box[2] <= size.x && box[3] <= size.y && !placed.some(function (o) {
            return box[0] < o[2] && o[0] < box[2] && box[1] < o[3] && o[1] < box[3];
          });
          if (show) { placed.push(box); }
        }
        label.el.classList.toggle("label-hidden", !show);
      });
    }
    function schedule(map) {
      if (map._atlasLabelsPending) { return; }
      map._atlasLabelsPending = true;
      window.requestAnimationFrame(function () {
        map._atlasLabelsPending = false;
        placeLabels(map);
      });
    }

    return {
      /* The canonical query string of the controls' values ({facet key: [values]}), as
         dashboard/facets.py writes Filters.canonical: facets in the specification's order
         (window.atlas.config().facets), a closed facet's values in its order (others dropped), an
         open one's (countries) sorted. */
      canonical: function (values) {
        var spec = window.atlas.config().facets || {}, parts = [];
        Object.keys(spec).forEach(function (key) {
          var given = values[key], seen = {};
          (Array.isArray(given) ? given : []).forEach(function (v) {
            if (typeof v === "string") { seen[v] = true; }
          });
          var chosen = spec[key].values ? spec[key].values.filter(function (v) { return seen[v]; })
            : Object.keys(seen).sort();
          if (chosen.length) { parts.push(key + "=" + chosen.join(",")); }
        });
        return parts.join("&");
      },
      /* How many cities of the point table the selection has (``count``) and, for each facet, how
         many each value would give with every other filter of the selection applied (``counts``:
         facet key -> a count per value code), as dashboard/data/facet_index.py facet_counts
         answers: one pass, a city failing one filter counts only for that filter's facet. */
      counts: function (table, selection) {
        var facets = table.facets || {}, tests = selectionTests(facets, selection || ""), counts = {};
        var keys = Object.keys(facets), count = 0;
        keys.forEach(function (key) { counts[key] = new Uint32Array(facets[key].values.length); });
        rows: for (var i = 0; i < table.id.length; i++) {
          var failed = null;
          for (var t = 0; t < tests.length; t++) {
            if (!tests[t](i)) {
              if (failed !== null) { continue rows; }
              failed = tests[t].key;
            }
          }
          if (failed !== null) {
            addCodes(counts[failed], facets[failed], i);
            continue;
          }
          count += 1;
          for (var k = 0; k < keys.length; k++) { addCodes(counts[keys[k]], facets[keys[k]], i); }
        }
        return {count: count, counts: counts};
      },
      /* The count line and each facet's options for a selection, in the page's words (``words``:
         dashboard/views/map_view.py browser_words): "23 cities shown", "Europe (23)". */
      panel: function (table, selection, words) {
        var got = window.atlas.map.counts(table, selection);
        var forms = words.count, n = got.count;
        var form = forms.index[n < forms.index.length ? n : 100 + n % 100];
        var text = forms.forms[form].replace("{count}", function () { return grouped(n, words.group); });
        var options = words.facets.map(function (entry) {
          var key = entry[0], column = table.facets[key], code = {};
          column.values.forEach(function (v, j) { code[v] = j; });
          return entry[1].map(function (pair) {
            var k = code[pair[0]], c = k === undefined ? 0 : got.counts[key][k];
            var label = words.option.replace("{label}", function () { return pair[1]; })
              .replace("{count}", function () { return grouped(c, words.group); });
            return {label: label, value: pair[0]};
          });
        });
        return {count: n, text: text, options: options};
      },
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
      /* The map's bounds for a selection's cities (``collection``: their features, as ``features``
         gives them), by the rule of dashboard/views/map_view.py ``bounds`` (``rule``: its FIT, with
         the client config): their extent, padded and kept within the limits; the world when there
         is none. */
      fit: function (collection, rule) {
        var south = Infinity, west = Infinity, north = -Infinity, east = -Infinity, list = collection.features;
        for (var i = 0; i < list.length; i++) {
          var at = list[i].geometry.coordinates, lon = at[0], lat = at[1];
          if (lat < south) { south = lat; }
          if (lat > north) { north = lat; }
          if (lon < west) { west = lon; }
          if (lon > east) { east = lon; }
        }
        if (south === Infinity) { return rule.world; }
        var low = rule.limits[0], high = rule.limits[1];
        return [[Math.max(south - rule.pad, low[0]), Math.max(west - rule.pad, low[1])],
                [Math.min(north + rule.pad, high[0]), Math.min(east + rule.pad, high[1])]];
      },
      /* A cluster: a ring of its cities' tier shares (layers/style.py RING_COLOR, in TIER_ORDER, from
         the layer's hideout) around their count. The count is the icon's only text (tests read it);
         data-tiers lists the mix ("high:3,low:1"). Counts are kept per supercluster index. */
      clusterToLayer: function (feature, latlng, index, context) {
        var p = feature.properties, hide = (context && context.hideout) || {}, ring = hide.ring || {};
        var counts = tierCounts(index, p.cluster_id), total = 0, at = 0, stops = [], mix = [];
        (hide.order || []).forEach(function (tier) { total += counts[tier] || 0; });
        (hide.order || []).forEach(function (tier) {
          var n = counts[tier] || 0;
          if (!n || !total) { return; }
          var end = at + 360 * n / total;
          stops.push(ring[tier] + " " + at.toFixed(1) + "deg " + end.toFixed(1) + "deg");
          mix.push(tier + ":" + n);
          at = end;
        });
        var size = Math.round(30 + 7 * Math.log10(Math.max(p.point_count, 1)));
        var html = "<div class=\"cluster-ring\" data-tiers=\"" + mix.join(",") + "\" style=\"background:conic-gradient(" +
          stops.join(",") + ")\"><span>" + Number(p.point_count) + "</span></div>";
        var marker = L.marker(latlng, {icon: L.divIcon({html: html, className: "marker-cluster atlas-cluster",
                                                        iconSize: L.point(size, size)}), keyboard: false});
        // a Tab stop that Enter opens (atlas_a11y.js), named from the legend's words
        return window.atlas.keyboard(marker, (hide.groupLabel || "{n}").replace("{n}", formatCount(p.point_count)));
      },
      /* A country's name (text, escaped) in a pane of its own above the borders and below the cities;
         shown from its zoom on where it does not overlap a larger country's name (placeLabels). */
      labelToLayer: function (feature, latlng, context) {
        var map = context.map, p = feature.properties;
        if (!map.getPane("atlas-labels")) {
          var pane = map.createPane("atlas-labels");
          pane.style.zIndex = 350;
          pane.style.pointerEvents = "none";
          // once per frame (a view change fires both zoomend and moveend)
          map.on("zoomend moveend resize", function () { schedule(map); });
        }
        var marker = L.marker(latlng, {icon: L.divIcon({html: "<span>" + escapeHtml(p.name) + "</span>",
          className: "country-label", iconSize: null}), interactive: false, keyboard: false, pane: "atlas-labels"});
        marker.options.labelZoom = p.zoom;
        marker.options.labelRank = p.rank;
        marker.on("add", function () {
          (map._atlasLabels = map._atlasLabels || []).push(marker);
          map._atlasLabels.sort(function (a, b) { return a.options.labelRank - b.options.labelRank; });
          schedule(map);
        });
        marker.on("remove", function () {
          map._atlasLabels = (map._atlasLabels || []).filter(function (m) { return m !== marker; });
        });
        return marker;
      },
      /* The label points served with the borders ([name, lat, lon, zoom, iso3], largest country
         first) as features, named in the page's language (``names``: by ISO3 code) where known. */
      labelFeatures: function (labels, names) {
        return {type: "FeatureCollection", features: (labels || []).map(function (row, i) {
          return {type: "Feature", geometry: {type: "Point", coordinates: [row[2], row[1]]},
                  properties: {name: (names && names[row[4]]) || row[0], zoom: row[3], rank: i}};
        })};
      },
      /* A city a slide of the presentation highlights (dashboard/pages/present.py): a ring above the
         clusters, named (as text) when the slide names it; ring and name as the feature says
         (layers/cities.py highlight_features). */
      highlightToLayer: function (feature, latlng, context) {
        var p = feature.properties, map = context && context.map;
        if (map && !map.getPane("atlas-highlight")) {  // above the clusters, below the names
          map.createPane("atlas-highlight").style.zIndex = 640;
        }
        var ring = L.circleMarker(latlng, Object.assign({}, p.ring, {
          className: "highlight-marker" + (p.named ? " named" : ""),
          pane: map ? "atlas-highlight" : "tooltipPane", interactive: false}));
        if (p.label) {
          ring.bindTooltip(escapeHtml(p.name), Object.assign({permanent: true}, p.label));
        }
        return ring;
      },
      pointToLayer: function (feature, latlng) {
        var p = feature.properties;
        return window.atlas.keyboard(L.circleMarker(latlng, {
          radius: p.radius,
          fillColor: p.color,
          color: p.stroke,
          weight: 1.5,
          fillOpacity: p.fill_opacity,
          dashArray: p.dash,
          className: "city-marker tier-" + p.tier
        }), p.label, p.id);
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
    var context = window.dash_clientside.callback_context, t = context && context.triggered;
    return t && t.length ? t[0].prop_id : "";
  }
  function reducedMotion() {
    return !!(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  }
  /* Leaflet's vector layers (the borders) are projected and drawn for a new view three times over
     when the view is reset (a fit or a jump, as after every filter change): on zoomend (projected),
     on moveend (drawn), then on viewreset (drawn, projected and drawn again). The last adds nothing
     when the two before saw the same view (the same zoom and pixel origin): it is skipped then,
     which halves the borders' share of a filter change. A reset to a view the renderer has not
     drawn (a jump at the same zoom, the first view) runs in full. Applied to Leaflet's renderer
     before any map is made (the library arrives on use: atlas_on_use.js says so). */
  function resetOnce(L) {
    var R = L && L.Renderer && L.Renderer.prototype;
    if (!R || R._atlasResetOnce) { return; }
    R._atlasResetOnce = true;
    var onZoomEnd = R._onZoomEnd, update = R._update, reset = R._reset;
    function view(map) {
      var origin = map.getPixelOrigin();
      return map.getZoom() + ":" + origin.x + ":" + origin.y;
    }
    R._onZoomEnd = function () {
      onZoomEnd.apply(this, arguments);
      this._atlasProjected = this._map && view(this._map);
    };
    R._update = function () {
      var out = update.apply(this, arguments);
      this._atlasDrawn = this._map && !this._map._animatingZoom ? view(this._map) : null;
      return out;
    };
    R._reset = function () {
      var now = this._map && view(this._map);
      if (now && this._atlasProjected === now && this._atlasDrawn === now) { return; }
      reset.apply(this, arguments);
      this._atlasProjected = this._atlasDrawn = this._map && view(this._map);
    };
  }
  resetOnce(window.L);
  document.addEventListener("atlas:library", function () { resetOnce(window.L); });
  /* A promise resolved once the browser has painted the current frame (work started then does not
     hold up what the page already shows). */
  function afterPaint() {
    return new Promise(function (resolve) {
      window.requestAnimationFrame(function () { setTimeout(resolve, 0); });
    });
  }
  var fetched = {};  // URL -> promise of its JSON (the point table, the borders: fetched once per page load)
  var arrived = {};  // URL -> its JSON, once it has arrived
  function once(url) {
    if (!(url in fetched)) {
      fetched[url] = fetch(url).then(function (response) {
        if (!response.ok) { throw new Error(url + ": HTTP " + response.status); }
        return response.json();
      }).then(function (json) {
        arrived[url] = json;
        return json;
      }).catch(function (error) {
        delete fetched[url];  // try again on the next change
        throw error;
      });
    }
    return fetched[url];
  }
  /* On a phone the city panel is a bottom sheet: a city the map moves to is put in the middle of the
     part above it, the centre moved down by the pixels window.atlasSheetShift gives for the map's box
     (the rule's one owner, dashboard/pages/home.py SHEET_SCRIPT, which the first view's drawing
     follows too; Web Mercator, 256-pixel tiles). */
  function aboveSheet(center, zoom) {
    var map = byId("map");
    var dy = map && window.atlasSheetShift ? window.atlasSheetShift(map.getBoundingClientRect()) : 0;
    if (!(dy > 0)) { return center; }
    var size = 256 * Math.pow(2, zoom), lat = center[0] * Math.PI / 180;
    var y = (1 - Math.log(Math.tan(Math.PI / 4 + lat / 2)) / Math.PI) / 2 * size + dy;
    return [Math.atan(Math.sinh(Math.PI * (1 - 2 * y / size))) * 180 / Math.PI, center[1]];
  }
  /* The centre and zoom Leaflet's fitBounds gives a viewport's bounds (with its options: padding) in a
     map's box, from Leaflet itself: a map of the same size and zoom rules (minZoom, zoomSnap), made for
     the purpose and dropped. */
  function fittedView(box, viewport, rules) {
    var probe = document.createElement("div");
    if (!box || !window.L) { return null; }
    probe.style.cssText = "position:absolute;left:-10000px;top:0;visibility:hidden;width:" + box.clientWidth +
      "px;height:" + box.clientHeight + "px";
    document.body.appendChild(probe);
    var map = window.L.map(probe, Object.assign({zoomControl: false, attributionControl: false, fadeAnimation: false},
                                                rules));
    map.fitBounds(viewport.bounds, Object.assign({}, viewport.options, {animate: false}));
    var center = map.getCenter(), view = {center: [center.lat, center.lng], zoom: map.getZoom()};
    map.remove();
    probe.remove();
    return view;
  }
  /* Leaflet has loaded on a page whose map was stood in for (atlas_on_use.js): the map is made at the
     view asked for meanwhile (dash-leaflet applies the layout's centre and zoom after a viewport, so they
     become that view's), and drawn anew with its class. */
  function live(mapId, viewport, rules, className) {
    var view = viewport && viewport.bounds ? fittedView(document.getElementById(mapId), viewport, rules) : viewport;
    if (view) { window.dash_clientside.set_props(mapId, {center: view.center, zoom: view.zoom}); }
    return className;
  }
  var userMoved = false;  // has the user moved the map since this history entry opened?
  var moved = false;  // has moveMap run on this page (its first run is the page opening)?
  var restoring = false;  // back/forward: until the entry's view is applied, the map's moves are not the user's
  var viewToWrite = null;  // the map's view waiting to be written into the address (writeView)
  var fitted = null;  // the bounds the map was last fitted to for a selection (moveMap, instantPanel)
  /* Whether two bounds are the same view: the server's come from the store, the browser's from the
     point table, whose coordinates are rounded to 5 decimals. */
  function sameBounds(a, b) {
    if (!a || !b) { return false; }
    for (var i = 0; i < 2; i++) {
      for (var j = 0; j < 2; j++) {
        if (Math.abs(a[i][j] - b[i][j]) > 1e-4) { return false; }
      }
    }
    return true;
  }
  function wrapLon(lon) {
    return ((((lon + 180) % 360) + 360) % 360) - 180;
  }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.atlas = {
    /* The map's cities, and the first time also the borders and the countries' names: the cities
       are drawn with the borders (never on an empty sea), from the point table and the selection's
       query string. The borders come with their label points (layers/countries.py served_geojson). */
    filterPanel: function () {
      /* A filter change, in the browser: the selection's query string, the count line (twice: the
         panel's and the toolbar's) and every facet's options with counts, from the point table
         (arguments: each map facet's value in the order of the page's words.facets). A change made
         by the visitor has shown its count and markers already (instantPanel); this makes it the
         page's state. */
      var args = Array.prototype.slice.call(arguments), page = mapPage();
      var words = page.words, nu = window.dash_clientside.no_update;
      if (!words || !page.points) { return [nu, nu, nu].concat(args.map(function () { return nu; })); }
      var values = {};
      words.facets.forEach(function (entry, j) { values[entry[0]] = args[j]; });
      var selection = window.atlas.map.canonical(values);
      return once(page.points).then(function (table) {
        var shown = panelFor(table, selection, words);
        return [selection, shown.text, shown.text].concat(shown.options);
      });
    },
    showSelection: function (selection, points, borders) {
      var nu = window.dash_clientside.no_update;
      if (!points || typeof selection !== "string") { return [nu, nu, nu]; }
      if (borders && selection === shownSelection) { return [nu, nu, nu]; }  // drawn already (instantPanel)
      var countries = borders ? null : once(points.countries).catch(function () { return null; });
      // after a filter change the count line (filterPanel) is painted first, the map in the next frames
      var painted = borders ? afterPaint() : null;
      return Promise.all([once(points.url), countries, painted]).then(function (got) {
        if (borders && selection === shownSelection) { return [nu, nu, nu]; }  // drawn meanwhile (instantPanel)
        shownSelection = selection;
        var features = window.atlas.map.features(got[0], selection, points.labels, points.style);
        if (!got[1]) { return [features, nu, nu]; }
        return [features, {type: "FeatureCollection", features: got[1].features},
                window.atlas.map.labelFeatures(got[1].labels, points.labels.countries)];
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
        return {id: null, at: Date.now()};  // the focus goes back where the panel was opened from (atlas_a11y.js)
      }
      if (!clickData || !clickData.properties || clickData.properties.cluster) { return nu; }
      return clickData.properties.id ? {id: clickData.properties.id, at: Date.now()} : nu;
    },
    /* Move the map: to a focus {center, zoom, animate} (never animated for reduced motion; on a
       phone, above the bottom sheet) or {bounds} (a history entry without a view); or fit the
       selection's bounds on this screen, when the page opens without a view in its URL and after
       each filter change, unless the visitor has moved the map since. */
    moveMap: function (focus, fit) {
      var nu = window.dash_clientside.no_update;
      var first = !moved;
      moved = true;
      var fitting = triggered().indexOf(ids().mapFit + ".") === 0 || (first && !focus);
      if (!fitting) { fitted = null; }  // any other move: a later selection's bounds are fitted again
      if (first && focus && focus.initial) {  // the page opened on a city, in the middle: above the sheet
        var above = aboveSheet(focus.center, focus.zoom);
        return above === focus.center ? nu : {center: above, zoom: focus.zoom, transition: "setView",
                                              options: {animate: false}};
      }
      if (fitting) {
        // the server's bounds for a new selection: the map was fitted to them already when the
        // visitor's change was shown at once (instantPanel)
        if (!fit || userMoved || sameBounds(fit, fitted)) { return nu; }
        fitted = fit;
        return {bounds: fit, transition: "fitBounds", options: {animate: false}};
      }
      if (focus && focus.bounds) {
        restoring = false;
        return {bounds: focus.bounds, transition: "fitBounds", options: {animate: false}};
      }
      if (focus) {
        userMoved = true;
        restoring = false;
        var fly = focus.animate && !reducedMotion();
        return {center: aboveSheet(focus.center, focus.zoom), zoom: focus.zoom, transition: fly ? "flyTo" : "setView",
                options: fly ? {duration: 1.2} : {animate: false}};
      }
      return nu;
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
      // written after the view's frame (replaceState takes a few milliseconds), the latest view once
      var due = viewToWrite === null;
      viewToWrite = {z: String(Math.round(zoom)), lat: Number(lat).toFixed(rules.viewDigits),
                     lon: wrapLon(Number(lon)).toFixed(rules.viewDigits), path: window.location.pathname};
      if (due) {
        afterPaint().then(function () {
          var view = viewToWrite;
          viewToWrite = null;
          // gone back or forward since, or to another page
          if (!view || view.path !== window.location.pathname) { return; }
          var now = new URLSearchParams(window.location.search);
          now.set("z", view.z);
          now.set("lat", view.lat);
          now.set("lon", view.lon);
          var url = window.location.pathname + window.atlas.query(now) + window.location.hash;
          if (url !== window.location.pathname + window.location.search + window.location.hash) {
            window.history.replaceState(window.history.state, "", url);
          }
        });
      }
      return nu;
    },
    /* The compare page remembers its cities (a dcc.Store kept in localStorage). */
    rememberCompare: function (ids) {
      return Array.isArray(ids) ? ids : window.dash_clientside.no_update;
    },
    /* Leaflet has loaded (assets/atlas_on_use.js set the store): a new class draws the map anew, now
       with Leaflet's component, which gets every prop the callbacks set meanwhile. */
    mapLive: function (on, viewport, minZoom) {
      return on ? live(ids().map, viewport, {minZoom: minZoom}, "atlas-map") : window.dash_clientside.no_update;
    },
    /* The presentation's map (dashboard/pages/present.py), at the slide's view. */
    presentLive: function (on, viewport, minZoom, zoomSnap) {
      return on ? live(ids().presentMap, viewport, {minZoom: minZoom, zoomSnap: zoomSnap}, "present-leaflet")
        : window.dash_clientside.no_update;
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

  /* The map page's own data (app.py client_config: the point table's address and the words to count
     a selection in), whichever page the visitor arrived on. */
  function mapPage() {
    var config = window.atlas.config();
    return (config.pages || {})[config.urls.map] || {};
  }

  /* The count line and every facet's options with counts for one selection (map.panel), kept for
     the selection last asked for: a change is counted once, whether instantPanel or filterPanel
     comes to it first. */
  var counted = {selection: null, table: null, shown: null};
  function panelFor(table, selection, words) {
    if (counted.selection !== selection || counted.table !== table) {
      counted = {selection: selection, table: table, shown: window.atlas.map.panel(table, selection, words)};
    }
    return counted.shown;
  }
  /* Sets the text of an element holding one text node, in place (the node stays the one React
     renders into, so React's own next write agrees with it). */
  function setText(element, text) {
    var walker = element && document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    var node = walker && walker.nextNode();
    if (node && !walker.nextNode() && node.nodeValue !== text) { node.nodeValue = text; }
  }
  /* A component's props as Dash holds them now, read from its store (dash_component_api.getLayout,
     the renderer's API for components; a control whose code-split chunk has not arrived yet is
     there too); null when the page has no such component. */
  function storedProps(id) {
    var api = window.dash_component_api, node = null;
    try { node = api && api.getLayout && api.getLayout(id); } catch (err) { node = null; }
    return (node && node.props) || null;
  }
  /* The map filters' values ({facet key: [values]}) in Dash's store; null off the map page. */
  function storeValues(words) {
    var prefix = ids().filterPrefix, values = {};
    for (var j = 0; j < words.facets.length; j++) {
      var key = words.facets[j][0], props = storedProps(prefix + key);
      if (!props) { return null; }
      values[key] = Array.isArray(props.value) ? props.value : [];
    }
    return values;
  }
  var shownSelection = null;  // the selection the city layer was last given (instantPanel, showSelection)
  /* Any map facet changed by the visitor (a box ticked, a dropdown's option chosen or removed, by
     mouse or keyboard) shows its count line, its markers and the other facets' counts in the same
     frame, from the point table: as soon as the control has told Dash its new value, before Dash
     runs the callbacks (filterPanel then makes it the page's state; the server's answer follows). */
  function instantPanel() {
    var page = mapPage(), table = page.points && arrived[page.points];
    if (!table || !page.words || !byId("map") || !window.dash_clientside || !window.dash_clientside.set_props) {
      return;
    }
    var values = storeValues(page.words);
    if (!values) { return; }
    var selection = window.atlas.map.canonical(values);
    // the map shows it already (and the count line, painted before the map): nothing changed, or
    // this event came after the change's own
    if (selection === shownSelection) { return; }
    var shown = panelFor(table, selection, page.words);
    setText(byId("selectionCount"), shown.text);
    setText(byId("toolbarCount"), shown.text);
    page.words.facets.forEach(function (entry, j) {
      var list = document.getElementById(ids().filterPrefix + entry[0]);
      if (!list) { return; }
      list.querySelectorAll("input[type=checkbox]").forEach(function (check) {
        var option = shown.options[j].filter(function (o) { return o.value === check.value; })[0];
        if (option) { setText(check.closest("label"), option.label); }
      });
    });
    var points = mapPoints();
    if (points) {
      shownSelection = selection;
      var features = window.atlas.map.features(table, selection, points.labels, points.style);
      window.dash_clientside.set_props(ids().cityLayer, {data: features});
      // and the map moves to the new selection as it would on the server's answer (moveMap)
      var fit = page.fit && window.atlas.map.fit(features, page.fit);
      if (fit && !userMoved && !sameBounds(fit, fitted)) {
        fitted = fit;
        window.dash_clientside.set_props(ids().map, {
          viewport: {bounds: fit, transition: "fitBounds", options: {animate: false}}});
      }
    }
  }
  /* The map's point settings (the map-points store: labels and styles of the markers). */
  function mapPoints() {
    var props = storedProps(ids().mapPoints);
    return props && props.data;
  }
  // after the control's own handler (React listens below the window): Dash has its new value then
  ["click", "change", "keyup", "keydown"].forEach(function (type) {
    window.addEventListener(type, instantPanel);
  });

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
    viewToWrite = null;
    if (ours && window.dash_clientside && window.dash_clientside.set_props) {
      fitted = null;
      event.stopImmediatePropagation();
      window.dash_clientside.set_props(ids().mapHistory, {data: {search: window.location.search, at: Date.now()}});
    }
  });

  /* "Add to compare" adds its city to the cities last compared (at most 4, oldest dropped). On a
     page with the compare tray (the map) the visitor stays and the tray shows the set; elsewhere
     the link opens the comparison (without this script, with that city alone). */
  function compareSet() {
    var remembered = [];
    try { remembered = JSON.parse(window.localStorage.getItem(ids().compareSet)) || []; } catch (err) { remembered = []; }
    return (Array.isArray(remembered) ? remembered : []).filter(function (x) { return typeof x === "string"; });
  }
  function setCompare(chosen) {
    window.dash_clientside.set_props(ids().compareSet, {data: chosen});
  }
  document.addEventListener("click", function (event) {
    var target = event.target && event.target.closest ? event.target : null;
    if (!target) { return; }
    var rules = window.atlas.config().urls, tray = byId("compareTray") && window.dash_clientside.set_props;
    var add = target.closest("[data-compare-add]"), drop = target.closest("[data-compare-remove]");
    var city = target.closest("[data-city]");
    if (add) {
      var id = add.getAttribute("data-compare-add");
      var chosen = compareSet().filter(function (x) { return x !== id; }).slice(-(rules.maxCompare - 1));
      chosen.push(id);
      if (tray) {
        event.preventDefault();
        setCompare(chosen);
      } else if (add.tagName === "A") {
        add.setAttribute("href", rules.compare + "?cities=" + chosen.map(encodeURIComponent).join(","));
      }
    } else if (drop && tray) {
      var gone = drop.getAttribute("data-compare-remove");
      setCompare(gone ? compareSet().filter(function (x) { return x !== gone; }) : []);
    } else if (city && window.dash_clientside.set_props) {
      /* a city of the selection list opens its panel */
      window.dash_clientside.set_props(ids().cityRequest, {data: {id: city.getAttribute("data-city"), at: Date.now()}});
    }
  }, true);

  /* "Copy link" copies the address of the view as it is now; "Cite this" shows a citation whose
     address is filled in when it opens, and "Copy citation" copies that text. The status line
     says what was copied, in the page's words (data-copied). */
  function fillCitation(tools) {
    var url = tools && tools.querySelector(".cite-url");
    if (url) { url.textContent = window.location.href; }
  }
  /* The embed code opens the view as it is now: its address with embed=1 (urls.embed_url); a
     chart's code (data-fixed) keeps the chart's own address. */
  function fillEmbed(tools) {
    var code = tools && tools.querySelector(".embed-code");
    if (!code || code.hasAttribute("data-fixed")) { return; }
    var params = new URLSearchParams(window.location.search);
    params.set("embed", "1");
    var src = window.location.origin + window.location.pathname + window.atlas.query(params);
    code.value = code.value.replace(/src="[^"]*"/, "src=\"" + src.replace(/&/g, "&amp;").replace(/"/g, "&quot;") + "\"");
  }
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) { return navigator.clipboard.writeText(text); }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = document.execCommand("copy");
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy refused")); }
    });
  }
  document.addEventListener("click", function (event) {
    var button = event.target && event.target.closest && event.target.closest("[data-copy]");
    if (!button) { return; }
    var tools = button.closest(".share-tools"), status = tools && tools.querySelector(".copy-status");
    fillCitation(tools);
    fillEmbed(tools);
    var citation = tools && tools.querySelector(".citation"), kind = button.getAttribute("data-copy");
    var code = tools && tools.querySelector(".embed-code");
    var text = kind === "link" ? window.location.href : kind === "embed" ? (code ? code.value : "") :
      (citation ? citation.textContent : "");
    copyText(text).then(function () {
      if (status) { status.textContent = button.getAttribute("data-copied"); }
    }, function () {
      if (status) { status.textContent = button.getAttribute("data-failed"); }
    });
  });
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (details && details.classList && details.classList.contains("cite") && details.open) {
      fillCitation(details.closest(".share-tools"));
      fillEmbed(details.closest(".share-tools"));
    }
  }, true);

  /* The search box's list of every city (when it searches in the browser) arrives when the visitor
     first reaches for the box (points at it, presses on it, or tabs to it), not with the page:
     indexing the list held up the map's start. The server's search_cities answers the request. */
  function wantCities(event) {
    var box = byId("citySearch"), target = event.target, page = (window.atlas.config().pages || {})["/"] || {};
    if (!box || !page.searchLocal || box.hasAttribute("data-cities") || !target || !target.closest) { return; }
    if (!box.contains(target) && !target.closest("label[for=\"" + box.id + "\"]")) { return; }
    if (!window.dash_clientside || !window.dash_clientside.set_props) { return; }
    box.setAttribute("data-cities", "asked");  // once per box
    window.dash_clientside.set_props(ids().citySearchQuery, {data: {local: true, loaded: true}});
  }
  ["pointerover", "pointerdown", "focusin"].forEach(function (type) {
    document.addEventListener(type, wantCities, true);
  });

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
