"""The central store: PostgreSQL, shared by every branch, reached only through the sync
service (field laptops hold no database credentials)."""
