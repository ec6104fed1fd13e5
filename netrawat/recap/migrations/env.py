"""Alembic environment: netrawat hands over the open connection (``config.attributes``); there
is no alembic.ini and no URL here."""

from alembic import context

from netrawat.recap.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
