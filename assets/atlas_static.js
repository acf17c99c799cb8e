/* The static parts of a page (dashboard/ui/static_html.py): one element whose inside is HTML the
   server wrote from the page's own components, every text and attribute escaped there. Dash
   finds this component as window.atlas_static.Html.

   A text page (the findings, a city) is mostly such parts. Written all at once, their insides
   made one long task of parsing and laying out the whole page before the browser could answer a
   tap (about 0.4 s of a phone's processor on /findings). So the parts the window shows are
   written before the first paint, in the task Dash draws the page in, and the parts below it
   (which start below the window's bottom edge) each in a task of its own, in the page's order,
   one part per task: the page can answer between them and nothing in view moves.
   What is left is written at once when the visitor clicks or presses a key (a link to a section,
   find in page), before printing, and when the address names a section (#recommendations), so
   every part above the place the page scrolls to is in place before it does. A page that moves the
   focus as it is drawn (the browser scrolls to the element first) has every part written at once:
   it says so with data-static-now on an element holding them. */
(function () {
  "use strict";
  var React = window.React;
  var waiting = [];       // elements whose inside is still to be written, in the page's order
  var draining = false;   // a task writing the next parts is on its way
  var channel = typeof MessageChannel === "function" ? new MessageChannel() : null;

  function write(el) {
    var inner = el.atlasInner;
    if (inner == null) { return; }
    el.atlasInner = null;
    el.innerHTML = inner;
  }

  function writeAll() {
    var list = waiting;
    waiting = [];
    list.forEach(function (el) { if (el.isConnected) { write(el); } });
  }

  /* One part per task, laid out in that task (reading its height), so that no frame has to lay
     out several: each task stays short on a slow phone. */
  function drain() {
    draining = false;
    while (waiting.length) {
      var el = waiting.shift();
      if (el.isConnected) { write(el); void el.offsetHeight; break; }
    }
    if (waiting.length) { next(); }
  }

  function next() {
    if (draining) { return; }
    draining = true;
    if (channel) { channel.port2.postMessage(null); } else { window.setTimeout(drain, 0); }
  }
  if (channel) { channel.port1.onmessage = drain; }

  /* Called as React commits each part (in the page's order): write it now if it starts in the
     window, else keep it for a later task. */
  function place(el, inner) {
    el.atlasInner = inner;
    // with a section named in the address, everything now: the page scrolls there after this drawing
    var now = window.location.hash || el.closest("[data-static-now]");
    if (!now && el.getBoundingClientRect().top > window.innerHeight) {
      if (waiting.indexOf(el) < 0) { waiting.push(el); }
      next();  // a task after this drawing's
      return;
    }
    write(el);
  }

  ["click", "keydown"].forEach(function (type) {
    document.addEventListener(type, function () { if (waiting.length) { writeAll(); } }, true);
  });
  window.addEventListener("beforeprint", writeAll);

  function Html(props) {
    var ref = React.useRef(null);
    var attrs = Object.assign({ref: ref}, props.attrs);
    // a void element (<hr>, <img>...) comes without an inside (inner null): the server knows which
    React.useLayoutEffect(function () {
      if (props.inner != null) { place(ref.current, props.inner); }
    }, [props.inner]);
    return React.createElement(props.tag, attrs);
  }

  window.atlas_static = {Html: React.memo(Html)};
})();
