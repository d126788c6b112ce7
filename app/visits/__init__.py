"""Visits to firms and the demands (诉求) they raise."""
