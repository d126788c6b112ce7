"""Exports of the annual summary's record kinds, derived from their file declarations
(``app.imports.record_kinds``): the Chinese headers are the import's, so an exported file re-imports."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from app.enums import label_of
from app.exports.tabular import Column, Export
from app.imports import cells
from app.imports.records import ExportRow, FileColumn, RecordFile
from app.records import crud

YIELD_PER = 1000


def _label(enum: type[StrEnum]) -> Callable[[Any], Any]:
    labels = {member.value: label_of(member) for member in enum}
    return lambda code: labels.get(code, code)


def _header(column: FileColumn) -> str:
    if column.export_header:
        return column.export_header
    return f"{column.column.header}(元)" if column.column.parse is cells.money else column.column.header


def columns_of(spec: RecordFile) -> tuple[Column, ...]:
    own = tuple(Column(c.column.field, _header(c), spec.export_reader(c), _label(c.enum) if c.enum else None)
                for c in spec.columns)
    firm = (Column("enterprise_id", "企业编号", lambda r: r.record.enterprise_id),) \
        if spec.kind.firm_field else ()
    return (*own, Column("id", "记录编号", lambda r: r.record.id), *firm,
            Column("updated_at", "更新时间", lambda r: r.record.updated_at),
            Column("archived_at", "归档时间", lambda r: r.record.archived_at))


def record_export(spec: RecordFile) -> Callable[[Any], Export]:
    """The export of ``spec``'s list for its filters: records a thousand at a time, with what their
    references give the file (credit codes, names) fetched per thousand."""
    columns = columns_of(spec)

    def build(filters: Any) -> Export:
        query = crud.filtered(spec.kind, filters).order_by(*crud.order(spec.kind, filters.sort)) \
            .execution_options(yield_per=YIELD_PER)

        def records(session: Session) -> Iterator[ExportRow]:
            for part in session.scalars(query).partitions():
                found = [ref.export(session, part) for ref in spec.refs]
                for record in part:
                    refs: dict[str, Any] = {}
                    for values in found:
                        refs.update(values[record.id])
                    yield ExportRow(record, refs)

        return Export(spec.title, columns, records)

    return build
