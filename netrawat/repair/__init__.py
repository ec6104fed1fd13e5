"""Repairs: the template library, rendering with validated values, plans and rollback."""
