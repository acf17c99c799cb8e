"""Dash Pages: each module registers one page's layout and its thin callbacks."""
