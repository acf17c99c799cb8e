/* Cell renderers the /table grid references by name (dash-ag-grid's dashAgGridComponentFunctions). */
window.dashAgGridComponentFunctions = window.dashAgGridComponentFunctions || {};

/* A link whose address is another field of the row (cellRendererParams.hrefField).
   The text is a React child, so it is always escaped, never parsed as HTML; only
   site-relative and http(s) addresses become links, anything else stays text. */
window.dashAgGridComponentFunctions.AtlasLink = function (props) {
  var text = props.valueFormatted != null ? props.valueFormatted : props.value;
  text = text == null ? "" : String(text);
  var href = props.data ? props.data[props.hrefField] : null;
  if (typeof href !== "string" || !/^(\/(?!\/)|https?:\/\/)/i.test(href)) {
    return text;
  }
  var attrs = {href: href, className: "grid-link"};
  if (href.charAt(0) !== "/") {
    attrs.rel = "noopener noreferrer";
    attrs.target = "_blank";
  }
  return React.createElement("a", attrs, text);
};

/* The table page's first rows (a plain table) give their place to the grid when the visitor uses
   the table (assets/atlas_on_use.js). A keyboard user whose focus was on a link of those rows
   finds it on the same cell of the grid, not lost at the top of the page: while the grid draws,
   the focus waits on the table's box (so Tab goes on from there), then moves to that cell. */
(function () {
  "use strict";
  var last = null, waiting = null;

  function ids() {
    return window.atlas && window.atlas.config ? window.atlas.config().ids : {};
  }

  function lost() {
    return !document.activeElement || document.activeElement === document.body;
  }

  document.addEventListener("focusin", function (event) {
    var first = document.getElementById(ids().tableFirst);
    var td = first && first.contains(event.target) ? event.target.closest("td[data-col]") : null;
    last = td ? {row: Number(td.parentNode.getAttribute("data-row")), col: td.getAttribute("data-col")} : null;
  }, true);

  document.addEventListener("atlas:on-use", function () {
    var slot = document.getElementById(ids().tableGridSlot);
    if (!slot || !window.dash_ag_grid || !ids().tableGrid) { return; }
    var replaced = new MutationObserver(function () {
      if (document.getElementById(ids().tableFirst)) { return; }
      replaced.disconnect();
      if (last && lost()) {  // the focused link went with the first rows
        waiting = last;
        slot.tabIndex = -1;
        slot.focus({preventScroll: true});
      }
    });
    replaced.observe(slot, {childList: true, subtree: true});
    window.dash_ag_grid.getApiAsync(ids().tableGrid).then(function (api) {
      var target = waiting || (lost() ? last : null);
      if (target && (lost() || document.activeElement === slot)) {
        api.ensureIndexVisible(target.row);
        api.setFocusedCell(target.row, target.col);
      }
      slot.removeAttribute("tabindex");
      waiting = null;
    });
  });
})();
