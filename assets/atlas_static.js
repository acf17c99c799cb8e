/* The static parts of a page (dashboard/ui/static_html.py): one element whose inside is HTML the
   server wrote from the page's own components, every text and attribute escaped there. Dash
   finds this component as window.atlas_static.Html. */
(function () {
  "use strict";
  function Html(props) {
    var attrs = Object.assign({}, props.attrs);
    // a void element (<hr>, <img>...) comes without an inside (inner null): the server knows which
    if (props.inner != null) { attrs.dangerouslySetInnerHTML = {__html: props.inner}; }
    return window.React.createElement(props.tag, attrs);
  }

  window.atlas_static = {Html: window.React.memo(Html)};
})();
