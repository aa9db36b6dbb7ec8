"""The web layer: one blueprint per kind of user."""
