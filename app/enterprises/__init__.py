"""The enterprise registry: firms, their contacts and annual figures."""
