"""Pure domain logic: no Flask, no SQLAlchemy (see tests/unit/test_layering.py)."""
