"""Alembic revision files, one per schema change, oldest first (0001 is netrawat 0.1's schema)."""
