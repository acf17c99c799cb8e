/* The atlas's one component of its own (dashboard/ui/markup.py): a part of a page no callback
   changes, whose content the server wrote as escaped HTML from the page's own components. Dash
   draws it as one element instead of hundreds of components (the findings page's charts, tables
   and texts), which is most of the time a phone spent before the page answered. */
(function () {
  "use strict";
  var TAG = /^[a-z][a-z0-9]*$/;

  function Markup(props) {
    var attributes = {id: props.id, className: props.className, lang: props.lang,
                      dangerouslySetInnerHTML: {__html: props.html || ""}};
    Object.keys(props).forEach(function (name) {
      if (/^(data|aria)-/.test(name)) { attributes[name] = props[name]; }
    });
    return window.React.createElement(TAG.test(props.tag || "") ? props.tag : "div", attributes);
  }

  window.atlas_markup = {Markup: Markup};
})();
