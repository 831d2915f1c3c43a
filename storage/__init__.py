"""Persistence for Charter: SQLAlchemy 2.0 models, Alembic migrations and repositories.

Nothing in this package imports the Bot Framework SDK; the bot layer adapts it.
"""
