"""dash-leaflet layers built from query results; they know nothing of pages."""

# The pages with a Leaflet map load dash-leaflet when the visitor uses the map (``dash.register_page(...,
# on_use=ON_USE)``, app.py): the library, and the code-split chunk its GeoJSON layer asks for at once.
LIBRARY = "dash_leaflet"  # the name a place that needs Leaflet gives (data-on-use, assets/atlas_on_use.js)
ON_USE = {LIBRARY: ("async-GeoJSON.js",)}
