/* The city page's mini map (dashboard/pages/city.py): its place arrives empty, holding the city's
   id (data-city); when the place comes near the window this asks Dash to draw the map there, by
   loading Leaflet's scripts (window.atlas.library, assets/atlas_on_use.js) and setting the page's
   CITY_MAP_NEAR store to that id (its callback, draw_mini_map, answers with the map). A visitor who
   reads the top of the page on a phone never waits for Leaflet, the map's borders and drawing; on a
   wide screen the map is in the window and is asked for at once. */
(function () {
  "use strict";
  var asked = typeof WeakMap === "function" ? new WeakMap() : null;

  function ids() {
    return window.atlas && window.atlas.config ? window.atlas.config().ids : {};
  }

  function ask(slot) {
    var city = slot.getAttribute("data-city");
    if (!city || !window.dash_clientside || !window.dash_clientside.set_props) { return; }
    if (slot.querySelector(".leaflet-container")) { return; }  // drawn already
    // the map's library first (the page leaves it out until it is used: app.py on_use)
    window.atlas.library("dash_leaflet").then(function () {
      window.dash_clientside.set_props(ids().cityMapNear, {data: city});
    });
  }

  var near = typeof IntersectionObserver === "function" ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) { near.unobserve(entry.target); ask(entry.target); }
    });
  }, {rootMargin: "300px 0px"}) : null;

  function scan() {
    var slot = document.getElementById(ids().cityMapSlot);
    // the first paint's copy (before Dash started) is only a picture of the page
    if (!slot || slot.closest(".atlas-loading")) { return; }
    var city = slot.getAttribute("data-city");
    if ((asked ? asked.get(slot) : slot.atlasAsked) === city) { return; }  // this place, this city: asked
    if (asked) { asked.set(slot, city); } else { slot.atlasAsked = city; }
    if (near) { near.observe(slot); } else { ask(slot); }
  }

  function start() {
    scan();
    new MutationObserver(scan).observe(document.body, {childList: true, subtree: true, attributes: true,
                                                       attributeFilter: ["data-city"]});
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
