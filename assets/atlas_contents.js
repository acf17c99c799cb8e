/* A page's list of contents (nav.page-contents, e.g. /findings): the link of the section being
   read is marked aria-current="location" (and styled so), and on a phone, where the list is a
   strip that scrolls sideways, that link is kept in view. The links themselves are plain
   in-page links (#findings-strategy …): they work, and stay stable, without this script. */
(function () {
  "use strict";
  if (typeof IntersectionObserver !== "function") { return; }
  var current = null;

  function sectionsOf(nav) {
    return Array.prototype.map.call(nav.querySelectorAll("a[href^='#']"), function (a) {
      return {link: a, section: document.getElementById(a.getAttribute("href").slice(1))};
    }).filter(function (item) { return item.section; });
  }

  function mark(nav, items) {
    // the last section whose top has passed a line a third of the way down the window
    var line = window.innerHeight / 3, chosen = items[0];
    items.forEach(function (item) { if (item.section.getBoundingClientRect().top <= line) { chosen = item; } });
    if (!chosen || chosen.link === current) { return; }
    if (current) { current.removeAttribute("aria-current"); }
    current = chosen.link;
    current.setAttribute("aria-current", "location");
    var strip = current.closest("ul");
    if (strip && strip.scrollWidth > strip.clientWidth) {
      strip.scrollLeft = current.offsetLeft - (strip.clientWidth - current.offsetWidth) / 2;
    }
  }

  function start(nav) {
    if (nav.atlasContents) { return; }
    nav.atlasContents = true;
    var items = sectionsOf(nav), pending = false;
    if (!items.length) { nav.atlasContents = false; return; }
    var update = function () {
      if (pending) { return; }
      pending = true;
      window.requestAnimationFrame(function () { pending = false; if (document.body.contains(nav)) { mark(nav, items); } });
    };
    var observer = new IntersectionObserver(update, {rootMargin: "0px 0px -60% 0px"});
    items.forEach(function (item) { observer.observe(item.section); });
    window.addEventListener("scroll", update, {passive: true});
    update();
  }

  var navs = document.getElementsByClassName("page-contents");  // live: costs nothing where there is none

  function scan() {
    for (var i = 0; i < navs.length; i++) { start(navs[i]); }
  }

  function begin() {
    scan();
    new MutationObserver(scan).observe(document.body, {childList: true, subtree: true});
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", begin);
  } else {
    begin();
  }
})();
