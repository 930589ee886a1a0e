"""Alembic migrations of the findings store, shipped in the wheel."""
