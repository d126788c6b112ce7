"""Seedbed: the enterprise-cultivation CRM of a district Science & Technology Bureau."""

__version__ = "0.1.0"
