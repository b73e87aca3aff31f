"""Search engines behind one interface, chosen from the database vendor in use."""

from django.db import connection


def get_backend(using=None):
    vendor = (using or connection).vendor
    if vendor == "postgresql":
        from .postgres import PostgresBackend

        return PostgresBackend()
    if vendor == "sqlite":
        from .sqlite import SQLiteBackend

        return SQLiteBackend()
    raise NotImplementedError(f"Search has no backend for {vendor}; use SQLite or PostgreSQL.")
