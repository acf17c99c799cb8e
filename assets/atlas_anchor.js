/* Deep links to a section of a page (/findings#recommendations, /about#method).
   Dash draws a page after the browser has looked for the fragment's element, so the browser
   never scrolls to it: scroll to it once it exists. Chromium's scroll anchoring then keeps it in
   view while charts above it finish drawing. */
(function () {
  "use strict";
  function target() {
    var id = window.location.hash.slice(1);
    if (!id) { return null; }
    try { id = decodeURIComponent(id); } catch (e) { return null; }
    return document.getElementById(id);
  }
  function follow() {
    if (!window.location.hash || !document.body) { return; }
    var found = target();
    if (found) { found.scrollIntoView(); return; }
    var observer = new MutationObserver(function () {
      var el = target();
      if (el) { observer.disconnect(); el.scrollIntoView(); }
    });
    observer.observe(document.body, {childList: true, subtree: true});
    window.setTimeout(function () { observer.disconnect(); }, 20000);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", follow);
  } else {
    follow();
  }
})();
