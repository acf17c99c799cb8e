/* Component libraries a page loads when the visitor uses the place that needs them (app.py
   ``on_use``; the table page's grid). Such a place carries data-on-use="<library>" and
   data-on-use-store="<id of a dcc.Store>"; the page's client config lists the library's scripts and
   the chunks it asks for at once (window.atlas.config().onUse). The first time the visitor points at
   the place, touches it or moves the focus into it, the scripts load (in order, with the chunks
   fetched alongside), and then the store is set to true: the page's callback draws the component,
   whose script is now there. While it loads, the place says so (aria-busy). Nothing loads on a
   timer: only what a visitor does. */
(function () {
  "use strict";
  var loading = {};

  function config() {
    return window.atlas && window.atlas.config ? window.atlas.config().onUse || {} : {};
  }

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
      loading[name] = Promise.all((wanted.scripts || []).map(addScript));
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
    place.setAttribute("data-on-use-state", "loading");
    place.setAttribute("aria-busy", "true");
    load(place.getAttribute("data-on-use")).then(function () {
      // the place is drawn anew by the store's callback: then it is no longer busy
      var drawn = new MutationObserver(function () {
        drawn.disconnect();
        place.removeAttribute("aria-busy");
      });
      drawn.observe(place, {childList: true, subtree: true});
      place.setAttribute("data-on-use-state", "loaded");
      window.dash_clientside.set_props(store, {data: true});
      place.dispatchEvent(new CustomEvent("atlas:on-use", {bubbles: true}));
    }, function (error) {
      place.removeAttribute("data-on-use-state");
      place.removeAttribute("aria-busy");
      console.error(error.message);
    });
  }

  ["pointerover", "pointerdown", "focusin"].forEach(function (type) {
    document.addEventListener(type, use, {capture: true, passive: true});
  });

  // for a page's own script that knows when its place needs a library (assets/atlas_city.js: the
  // city's mini map as it nears the window)
  window.atlas = Object.assign(window.atlas || {}, {library: load});

  // a pointer already resting on the place when Dash draws it (it pointed at the first paint's copy)
  var drawn = new MutationObserver(function () {
    if (document.querySelector(".atlas-loading")) { return; }
    drawn.disconnect();
    document.querySelectorAll("[data-on-use]").forEach(function (place) {
      if (place.matches(":hover")) { start(place); }
    });
  });
  drawn.observe(document.documentElement, {childList: true, subtree: true});
})();
