"""The web edge: the data API, cacheable responses and precompressed static files."""
