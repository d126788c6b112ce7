"""Eligibility engine: rule tables and pure scoring for tech-SME evaluation and high-tech recognition."""
