"""Structured logs: one JSON object per line, one access line per request."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

ACCESS_LOGGER = "seedbed.access"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(level: str) -> None:
    """Send the ``seedbed`` loggers to stderr as JSON lines (once per process)."""
    root = logging.getLogger("seedbed")
    root.setLevel(level.upper())
    if not any(getattr(h, "_seedbed", False) for h in root.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter())
        handler._seedbed = True  # type: ignore[attr-defined]
        root.addHandler(handler)
        root.propagate = False
