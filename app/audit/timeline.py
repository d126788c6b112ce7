"""A firm's timeline: every domain registers a source of entries, merged here newest first.

Each source answers "the newest ``n`` entries of this firm" and "how many in all"; merging the first
``offset + limit`` of each gives an exact page without a UNION across differently shaped tables.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.audit.schemas import TimelineEntry


@dataclass(frozen=True)
class TimelineSource:
    kind: str
    newest: Callable[[Session, int, int], list[TimelineEntry]]
    """(session, enterprise_id, n) → the firm's newest n entries of this kind, newest first."""
    count: Callable[[Session, int], int]


_SOURCES: dict[str, TimelineSource] = {}


def register_source(source: TimelineSource) -> None:
    _SOURCES[source.kind] = source


def registered_kinds() -> list[str]:
    return sorted(_SOURCES)


def page_of_timeline(session: Session, enterprise_id: int, *, limit: int, offset: int
                     ) -> tuple[list[TimelineEntry], int]:
    wanted = offset + limit
    merged: list[TimelineEntry] = []
    total = 0
    for source in _SOURCES.values():
        merged.extend(source.newest(session, enterprise_id, wanted))
        total += source.count(session, enterprise_id)
    merged.sort(key=lambda e: (e.at, e.kind, e.entity_id or 0), reverse=True)
    return merged[offset:wanted], total

