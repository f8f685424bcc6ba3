"""Database access: engine, sessions and the ORM models."""
