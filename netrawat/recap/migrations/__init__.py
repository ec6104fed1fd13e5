"""Alembic migrations of the recap database: each netrawat release upgrades a user's existing
database in place (`netrawat.recap.migrate.upgrade`, run when the store opens)."""
