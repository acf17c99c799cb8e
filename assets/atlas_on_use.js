/* Component libraries a page loads when the visitor uses the place that needs them (app.py
   ``on_use``; the table page's grid). Such a place carries data-on-use="<library>" and
   data-on-use-store="<id of a dcc.Store>"; the page's client config lists the library's scripts and
   the chunks it asks for at once (window.atlas.config().onUse). The first time the visitor points at
   the place, touches it or moves the focus into it, the scripts load (in order, with the chunks
   fetched alongside), and then the store is set to true: the page's callback draws the component,
   whose script is now there, or draws anew the component that stood in for it. While it loads, the
   place (or the element named by its data-on-use-busy) says so (aria-busy). Nothing loads on a
   timer: only what a visitor does. Once a library's scripts are there, the document gets an
   "atlas:library" event (detail: the library's name) before anything is drawn with it.
   Until its script is there, such a library's components are stood in for (standIn): Dash can lay
   out a page that holds one (the map page's map) and run its callbacks, which set the props the real
   component gets once drawn. */
(function () {
  "use strict";
  var loading = {};

  function config() {
    return window.atlas && window.atlas.config ? window.atlas.config().onUse || {} : {};
  }

  // an empty box with the component's id, class and style; what it would hold is not drawn
  function standIn(name) {
    function Empty(props) {
      return window.React.createElement("div", {id: typeof props.id === "string" ? props.id : undefined,
                                                className: props.className, style: props.style,
                                                "data-stands-in-for": name});
    }
    return new Proxy({}, {get: function (target, type) { return typeof type === "string" ? Empty : undefined; }});
  }
  Object.keys(config()).forEach(function (name) {
    if (!window[name]) { window[name] = standIn(name); }
  });

  function addScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.async = false;  // in order
      script.onload = resolve;
      script.onerror = function () { reject(new Error("did not load: " + src)); };
      document.head.appendChild(script);
    });
  }

  function load(name) {
    var wanted = config()[name];
    if (!wanted) { return Promise.reject(new Error("no such library to load on use: " + name)); }
    if (!loading[name]) {
      (wanted.chunks || []).forEach(function (href) {
        var link = document.createElement("link");
        link.rel = "preload";
        link.as = "script";
        link.href = href;
        document.head.appendChild(link);
      });
      loading[name] = Promise.all((wanted.scripts || []).map(addScript)).then(function () {
        // before anything is drawn with it (assets/atlas_map.js adjusts Leaflet then)
        document.dispatchEvent(new CustomEvent("atlas:library", {detail: name}));
      });
      loading[name].catch(function () { loading[name] = null; });  // a later use tries again
    }
    return loading[name];
  }

  function use(event) {
    start(event.target && event.target.closest ? event.target.closest("[data-on-use]") : null);
  }

  function start(place) {
    // the first paint's copy (before Dash started) is only a picture of the page
    if (!place || place.closest(".atlas-loading") || place.getAttribute("data-on-use-state")) { return; }
    var store = place.getAttribute("data-on-use-store");
    var busy = document.getElementById(place.getAttribute("data-on-use-busy")) || place;
    place.setAttribute("data-on-use-state", "loading");
    busy.setAttribute("aria-busy", "true");
    load(place.getAttribute("data-on-use")).then(function () {
      // the place is drawn anew by the store's callback: then it is no longer busy
      var drawn = new MutationObserver(function () {
        drawn.disconnect();
        busy.removeAttribute("aria-busy");
      });
      drawn.observe(place, {childList: true, subtree: true});
      place.setAttribute("data-on-use-state", "loaded");
      window.dash_clientside.set_props(store, {data: true});
      place.dispatchEvent(new CustomEvent("atlas:on-use", {bubbles: true}));
    }, function (error) {
      place.removeAttribute("data-on-use-state");
      busy.removeAttribute("aria-busy");
      console.error(error.message);
    });
  }

  ["pointerover", "pointerdown", "focusin"].forEach(function (type) {
    document.addEventListener(type, use, {capture: true, passive: true});
  });

  // for a page's own script that knows when its place needs a library (assets/atlas_city.js: the
  // city's mini map as it nears the window), or that the visitor used it in a way the listeners here
  // do not see (assets/present.js: a step to another slide from the keyboard)
  window.atlas = Object.assign(window.atlas || {}, {library: load, use: start});

  // as Dash draws a place: a pointer already resting on it (it pointed at the first paint's copy), or
  // a place whose drawing is not on the page (data-on-use-drawing: a selector; the map page's first
  // view, which the server draws into the page's HTML for most addresses, but not above 2,000 cities
  // nor after a move from another page without a reload) starts at once: nothing else would show
  var drawn = new MutationObserver(function () {
    if (document.querySelector(".atlas-loading")) { return; }
    document.querySelectorAll("[data-on-use]:not([data-on-use-seen])").forEach(function (place) {
      place.setAttribute("data-on-use-seen", "");
      var drawing = place.getAttribute("data-on-use-drawing");
      if ((drawing && !document.querySelector(drawing)) || place.matches(":hover")) { start(place); }
    });
  });
  drawn.observe(document.documentElement, {childList: true, subtree: true});
})();
