/* The static parts of a page (dashboard/ui/static_html.py): one element whose inside is HTML the
   server wrote from the page's own components, every text and attribute escaped there. Dash
   finds this component as window.atlas_static.Html. */
(function () {
  "use strict";
  var VOID = {area: 1, br: 1, col: 1, embed: 1, hr: 1, img: 1, input: 1, source: 1, track: 1, wbr: 1};

  function Html(props) {
    var attrs = Object.assign({}, props.attrs);
    if (!VOID[props.tag]) { attrs.dangerouslySetInnerHTML = {__html: props.inner || ""}; }
    return window.React.createElement(props.tag, attrs);
  }

  window.atlas_static = {Html: window.React.memo(Html)};
})();
