/* The language switcher (app.py, language_switch): when one of its links is followed, it opens
   the page being shown, with its whole address as it is now (the map rewrites its address as
   it moves), in that language. Parameters are written in dashboard/urls.py's order. */
(function () {
  "use strict";

  function addressIn(lang) {
    var params = new URLSearchParams(window.location.search);
    params.set("lang", lang);
    return window.location.pathname + window.atlas.query(params) + window.location.hash;  // atlas_map.js
  }

  function update(event) {
    var link = event.target && event.target.closest && event.target.closest("a[data-lang]");
    if (link) { link.setAttribute("href", addressIn(link.getAttribute("data-lang"))); }
  }

  ["click", "auxclick", "focusin", "mouseover", "contextmenu"].forEach(function (type) {
    document.addEventListener(type, update, true);
  });
})();
