"""Policy catalog and publicity events."""
