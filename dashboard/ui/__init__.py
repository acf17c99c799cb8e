"""Page building blocks that return Dash HTML components (no SQL, no layouts of their own)."""
