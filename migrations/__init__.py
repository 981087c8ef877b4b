"""Alembic environment and revisions for the stratagraph database."""
