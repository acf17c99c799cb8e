/* The presentation (/present, dashboard/pages/present.py): one slide at a time, from the keyboard
 * or the controls; slide= in the address (back and forward step through slides); the map moves
 * to each slide's view and highlights its cities (the clientside callback showSlide).
 * Ids and URL rules come from window.atlas.config() (dashboard/ids.py, dashboard/urls.py). */
(function () {
  function ids() { return window.atlas.config().ids; }
  function root() { return document.getElementById(ids().present); }
  function reducedMotion() {
    return !!(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  }
  function count(el) { return parseInt(el.getAttribute("data-count"), 10) || 1; }
  /* The rule of urls.slide_number: a whole number clamped to 1..count, anything else 1. */
  function slideFrom(search, n) {
    var raw = new URLSearchParams(search).get("slide");
    var value = raw === null ? NaN : Number(raw.trim());
    if (!isFinite(value) || Math.floor(value) !== value) { return 1; }
    return Math.max(1, Math.min(n, value));
  }
  function current(el) {
    var shown = el.querySelector(".slide.current");
    return shown ? parseInt(shown.getAttribute("data-slide"), 10) : 1;
  }
  function address(n) {
    var params = new URLSearchParams(window.location.search);
    params.set("slide", String(n));
    return window.location.pathname + window.atlas.query(params);
  }
  /* Show slide n (clamped); history: "push" (a step), "replace" (the address corrected) or none. */
  function show(n, history) {
    var el = root();
    if (!el) { return; }
    var total = count(el);
    n = Math.max(1, Math.min(total, n));
    el.querySelectorAll(".slide").forEach(function (slide) {
      var mine = parseInt(slide.getAttribute("data-slide"), 10) === n;
      slide.classList.toggle("current", mine);
      slide.hidden = !mine;
      if (mine) {
        var explore = el.querySelector("[data-present='explore']");
        if (explore) { explore.setAttribute("href", slide.getAttribute("data-explore")); }
      }
    });
    var counter = document.getElementById(ids().presentCounter);
    if (counter) { counter.textContent = n + " / " + total; }
    var url = address(n);
    if (history === "push" && url !== window.location.pathname + window.location.search) {
      window.history.pushState(window.history.state, "", url);
    } else if (history === "replace") {
      window.history.replaceState(window.history.state, "", url);
    }
    if (window.dash_clientside && window.dash_clientside.set_props) {
      window.dash_clientside.set_props(ids().presentStep, {data: n});
    }
    // a step is a use of the page: Leaflet loads, if it has not, and takes over the first view's drawing
    if (history !== "replace" && window.atlas.use) { window.atlas.use(el); }
  }
  function go(action) {
    var el = root(), n = current(el), total = count(el);
    var target = {next: n + 1, prev: n - 1, first: 1, last: total}[action];
    if (target !== undefined) { show(target, "push"); return; }
    if (action === "notes") { el.classList.toggle("show-notes"); return; }
    if (action === "full") {
      if (document.fullscreenElement) { document.exitFullscreen(); }
      else if (document.documentElement.requestFullscreen) { document.documentElement.requestFullscreen(); }
      return;
    }
    if (action === "explore") {
      var slide = el.querySelector(".slide.current");
      window.location.assign(slide ? slide.getAttribute("data-explore") : window.atlas.config().urls.map);
    }
  }
  var KEYS = {ArrowRight: "next", " ": "next", PageDown: "next", ArrowLeft: "prev", PageUp: "prev",
              Home: "first", End: "last", f: "full", n: "notes", Escape: "explore"};
  var typed = "", typedAt = 0;
  document.addEventListener("keydown", function (event) {
    var el = root();
    if (!el || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    if (target && target.closest && target.closest("input, textarea, select, [contenteditable]")) { return; }
    if (/^[0-9]$/.test(event.key)) {  // number keys: "1" then "2" within a second is slide 12
      var now = Date.now();
      typed = (now - typedAt < 1000 ? typed : "") + event.key;
      typedAt = now;
      event.preventDefault();
      if (parseInt(typed, 10) > 0) { show(parseInt(typed, 10), "push"); }
      return;
    }
    var action = KEYS[event.key];
    if (!action) { return; }
    event.preventDefault();
    go(action);
  });
  document.addEventListener("click", function (event) {
    var control = event.target && event.target.closest && event.target.closest("[data-present]");
    if (!control || !root()) { return; }
    event.preventDefault();
    go(control.getAttribute("data-present"));
  });
  /* Back/forward between slides: the page shows the slide of the address (Dash Pages does not rebuild
     the page). Registered before Dash's own listener, so it can keep it from seeing the event. */
  window.addEventListener("popstate", function (event) {
    var el = root();
    if (!el || window.location.pathname !== window.atlas.config().urls.present) { return; }
    event.stopImmediatePropagation();
    show(slideFrom(window.location.search, count(el)), null);
  });

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.atlas = Object.assign(window.dash_clientside.atlas || {}, {
    /* The map of slide n: its highlighted cities, and a flight to its view (no animation for reduced
       motion, or when the page opens). The first call also writes the address's slide= as shown. */
    showSlide: function (n, slides) {
      var nu = window.dash_clientside.no_update;
      if (!slides || !slides.length || typeof n !== "number") { return [nu, nu]; }
      var slide = slides[Math.max(1, Math.min(slides.length, n)) - 1], view = slide.view;
      var first = !showSlide.seen;
      showSlide.seen = true;
      if (first && slideFrom(window.location.search, slides.length) + "" !== new URLSearchParams(window.location.search).get("slide")) {
        show(n, "replace");
      }
      var animate = !first && !reducedMotion();
      var box = document.querySelector("#" + ids().present + " .present-map"), width = box ? box.clientWidth : 800;
      var config = window.atlas.config(), pad = window.atlasFitPadding(config.pages[config.urls.present].padding, width);
      var viewport = view.bounds ?  // room on the right for the names beside the rings (pages/present.py FIT_PADDING_SCRIPT)
        {bounds: view.bounds, transition: animate ? "flyToBounds" : "fitBounds",
         options: Object.assign({paddingTopLeft: pad[0], paddingBottomRight: pad[1]},
                                animate ? {duration: 1.2} : {animate: false})} :
        {center: view.center, zoom: view.zoom, transition: animate ? "flyTo" : "setView",
         options: animate ? {duration: 1.2} : {animate: false}};
      return [viewport, slide.highlight];
    }
  });
  var showSlide = window.dash_clientside.atlas.showSlide;
})();

/* Embeds (?embed=1): a link opens outside the frame (the other pages refuse to be framed), and
   "View in the full atlas" opens the view as it is now, without embed=1. */
document.addEventListener("click", function (event) {
  var link = event.target && event.target.closest && event.target.closest(".embed a[href]");
  if (!link) { return; }
  if (link.classList.contains("embed-full")) {
    var params = new URLSearchParams(window.location.search);
    params.delete("embed");
    link.setAttribute("href", window.location.pathname + window.atlas.query(params) + window.location.hash);
  }
  if (!link.getAttribute("target") && link.getAttribute("href").charAt(0) !== "#") {
    link.setAttribute("target", "_blank");
    link.setAttribute("rel", "noopener");
  }
}, true);
