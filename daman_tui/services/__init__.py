"""Use cases: check permission, validate, write rows + audit + outbox in one transaction."""
