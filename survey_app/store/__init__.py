"""Persistence: the only package that knows about tables and SQL."""
