"""Staff accounts, roles and tokens."""
