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
