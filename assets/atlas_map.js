/* Functions the map layers reference by name (dash_extensions Namespace "atlas.map"). */
window.atlas = Object.assign({}, window.atlas, {
  map: {
    pointToLayer: function (feature, latlng) {
      var p = feature.properties;
      return L.circleMarker(latlng, {
        radius: p.radius,
        fillColor: p.color,
        color: p.stroke,
        weight: 1.5,
        fillOpacity: p.fill_opacity,
        dashArray: p.dash,
        className: "city-marker tier-" + p.tier
      });
    }
  }
});
