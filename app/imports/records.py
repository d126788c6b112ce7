"""Files of the annual summary's record kinds (technology contracts, platforms, cooperation agreements,
indicators, targets, commissioners and their services), declared once as a table.

A ``RecordFile`` names a record kind of ``app.records``, its create/update schemas, its columns, the
columns that identify a record (``key``, matched on the stored ``match`` fields) and how a file refers to
other records (``refs``: a firm by its credit code, a commissioner by name). From it come the import kind
(upsert through ``app.records.crud``, so the API's checks and audit rows apply, each row in its own
savepoint), the template, and the export whose headers re-import.
"""

from __future__ import annotations

import re
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit.service import Actor
from app.commissioners.models import Commissioner
from app.enterprises.models import Enterprise
from app.enums import label_of
from app.imports import cells
from app.imports.kinds import NO_SUCH_FIRM, Column, ImportKind, Outcome, RowRejected, upsert_each
from app.messages import Text
from app.platforms.enums import EvaluationResult
from app.records import crud
from app.records.crud import RecordKind

# Columns an export adds for people and scripts; an import of that export passes over them.
EXPORT_ONLY = ("记录编号", "企业编号", "更新时间", "归档时间", "id", "enterprise_id", "updated_at", "archived_at")


@dataclass(frozen=True)
class FileColumn:
    """One column of a record kind's file: the import column and how the export reads it back.
    ``read`` takes an exported row (the record and its references); default: the record's field."""

    column: Column
    enum: type[StrEnum] | None = None
    read: Callable[[Any], Any] | None = None
    export_header: str | None = None  # default: the header, with (元) after amounts
    imported: bool = True  # False: exported only (a unit that follows from another column)


@dataclass
class ExportRow:
    """A record with the values its references give the file (credit codes, names)."""

    record: Any
    refs: dict[str, Any]


class Ref(ABC):
    """How a file names another record. ``prefetch`` loads what a batch of rows refers to in one query;
    ``resolve`` turns a row's file fields into the record's fields (or rejects the row); ``export`` gives
    the file fields of a page of records."""

    fields: tuple[str, ...] = ()

    def prefetch(self, session: Session, rows: list[dict[str, Any]]) -> Any:
        return None

    @abstractmethod
    def resolve(self, session: Session, cache: Any, values: dict[str, Any]) -> None: ...

    @abstractmethod
    def export(self, session: Session, records: Sequence[Any]) -> dict[int, dict[str, Any]]: ...


def _same_name(a: str, b: str) -> bool:
    def squeeze(text: str) -> str:
        return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return squeeze(a) == squeeze(b)


@dataclass(frozen=True)
class FirmRef(Ref):
    """A firm of the registry by credit code (``code``), its name (``name``) checked when the file gives it."""

    id_field: str = "enterprise_id"
    code: str = "credit_code"
    name: str = "enterprise_name"

    @property
    def fields(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.code, self.name)

    def prefetch(self, session: Session, rows: list[dict[str, Any]]) -> dict[str, Enterprise]:
        codes = {values[self.code] for values in rows if self.code in values}
        return {f.credit_code: f for f in session.scalars(select(Enterprise).where(Enterprise.credit_code.in_(codes)))}

    def resolve(self, session: Session, cache: dict[str, Enterprise], values: dict[str, Any]) -> None:
        name = values.pop(self.name, None)
        if self.code not in values:
            if name is not None:
                raise RowRejected.one(self.code, Text("a firm named without its credit code: add the code",
                                                      "写了企业名称但没有统一社会信用代码：请补上代码"))
            return
        firm = cache.get(values.pop(self.code))
        if firm is None:
            raise RowRejected.one(self.code, NO_SUCH_FIRM)
        if name is not None and not _same_name(name, firm.name):
            raise RowRejected.one(self.name, Text(
                f"the credit code belongs to firm {firm.id}「{firm.name}」, not「{name}」",
                f"该统一社会信用代码属于企业 {firm.id}「{firm.name}」，不是「{name}」"))
        values[self.id_field] = firm.id

    def export(self, session: Session, records: Sequence[Any]) -> dict[int, dict[str, Any]]:
        ids = {getattr(r, self.id_field) for r in records} - {None}
        query = select(Enterprise.id, Enterprise).where(Enterprise.id.in_(ids))
        firms = dict(session.execute(query).all()) if ids else {}
        out: dict[int, dict[str, Any]] = {}
        for record in records:
            firm = firms.get(getattr(record, self.id_field))
            out[record.id] = {self.code: firm.credit_code if firm else None, self.name: firm.name if firm else None}
        return out


@dataclass(frozen=True)
class FirmListRef(Ref):
    """Several firms by credit code, in one cell separated by 、 (a commissioner's served firms)."""

    id_field: str
    code: str

    @property
    def fields(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.code,)

    def prefetch(self, session: Session, rows: list[dict[str, Any]]) -> dict[str, int]:
        codes = {code for values in rows for code in values.get(self.code, ())}
        return dict(session.execute(select(Enterprise.credit_code, Enterprise.id)
                                    .where(Enterprise.credit_code.in_(codes))).all())

    def resolve(self, session: Session, cache: dict[str, int], values: dict[str, Any]) -> None:
        if self.code not in values:
            return
        ids: list[int] = []
        for code in values.pop(self.code):
            if code not in cache:
                raise RowRejected.one(self.code, Text(f"{code}: {NO_SUCH_FIRM}", f"{code}：{NO_SUCH_FIRM.zh}"))
            ids.append(cache[code])
        values[self.id_field] = ids

    def export(self, session: Session, records: Sequence[Any]) -> dict[int, dict[str, Any]]:
        ids = {i for r in records for i in getattr(r, self.id_field)}
        codes = dict(session.execute(select(Enterprise.id, Enterprise.credit_code)
                                     .where(Enterprise.id.in_(ids))).all()) if ids else {}
        return {r.id: {self.code: [codes[i] for i in getattr(r, self.id_field) if i in codes]} for r in records}


@dataclass(frozen=True)
class CommissionerRef(Ref):
    """A commissioner by name; their level tells apart two commissioners of the same name."""

    id_field: str = "commissioner_id"
    name: str = "commissioner_name"
    level: str = "commissioner_level"

    @property
    def fields(self) -> tuple[str, ...]:  # type: ignore[override]
        return (self.name, self.level)

    def prefetch(self, session: Session, rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
        names = {values[self.name] for values in rows if self.name in values}
        found: dict[str, list[Any]] = {}
        for person in session.scalars(select(Commissioner).where(Commissioner.name.in_(names),
                                                                 Commissioner.archived_at.is_(None))
                                      .order_by(Commissioner.id)):
            found.setdefault(person.name, []).append(person)
        return found

    def resolve(self, session: Session, cache: dict[str, list[Any]], values: dict[str, Any]) -> None:
        name, level = values.pop(self.name, None), values.pop(self.level, None)
        if name is None:
            return
        people = [p for p in cache.get(name, []) if level is None or p.level == level]
        if not people:
            raise RowRejected.one(self.name, Text("no commissioner of this name (and level): add them first",
                                                  "没有这个姓名（和级别）的科技特派员：请先录入或导入特派员"))
        if len(people) > 1:
            raise RowRejected.one(self.level, Text(
                f"{len(people)} commissioners are named {name}: give the level to tell them apart",
                f"有 {len(people)} 位科技特派员叫{name}：请填写特派员级别加以区分"))
        values[self.id_field] = people[0].id

    def export(self, session: Session, records: Sequence[Any]) -> dict[int, dict[str, Any]]:
        ids = {getattr(r, self.id_field) for r in records}
        people = dict(session.execute(select(Commissioner.id, Commissioner).where(Commissioner.id.in_(ids)))
                      .all()) if ids else {}
        return {r.id: {self.name: people[getattr(r, self.id_field)].name,
                       self.level: people[getattr(r, self.id_field)].level} for r in records}


def credit_codes(value: Any, unit: str | None = None) -> list[str]:
    return [cells.credit_code(part) for part in cells.tags(value)]


@dataclass(frozen=True)
class RecordFile:
    name: str  # the import kind and the CLI export kind, e.g. innovation_platforms
    path: str  # the list's path, e.g. innovation-platforms (/exports/<path>.csv)
    title: str  # the template's and export file's Chinese name
    noun: str  # English noun phrase of the export operations
    kind: RecordKind
    create: type[BaseModel]
    update: type[BaseModel]
    filters: type[BaseModel]
    columns: tuple[FileColumn, ...]
    key: tuple[str, ...]  # file fields identifying a record
    match: tuple[str, ...]  # the stored fields they give, after references are resolved
    refs: tuple[Ref, ...] = ()
    unique: bool = False  # the key is unique in the table, archived records included
    ignored: tuple[str, ...] = ("序号", "no", "#")
    default_field: str = ""

    def import_kind(self) -> ImportKind:
        return ImportKind(name=self.name, title=self.title,
                          columns=tuple(c.column for c in self.columns if c.imported),
                          key=self.key, upsert=self.upsert, tables=(self.kind.model.__tablename__,),
                          ignored=(*self.ignored, *EXPORT_ONLY))

    def upsert(self, session: Session, rows: list[dict[str, Any]], actor: Actor) -> list[Outcome | RowRejected]:
        caches = [ref.prefetch(session, rows) for ref in self.refs]
        return upsert_each(session, rows, lambda values: self._upsert_one(session, caches, values, actor),
                           self.default_field or self.key[0])

    def _upsert_one(self, session: Session, caches: list[Any], values: dict[str, Any], actor: Actor) -> Outcome:
        fields = dict(values)
        for ref, cache in zip(self.refs, caches, strict=True):
            ref.resolve(session, cache, fields)
        model = self.kind.model
        found = list(session.scalars(select(model).where(
            *(getattr(model, name) == fields[name] for name in self.match)).order_by(model.id)))
        live = [r for r in found if r.archived_at is None]
        if not live and found and self.unique:
            raise RowRejected.one(self.key[0], Text(
                f"{self.kind.what.lower()} {found[0].id} is archived: restore it first",
                f"{self.kind.label} {found[0].id} 已归档：请先恢复"))
        if len(live) > 1:
            raise RowRejected.one(self.key[0], Text(
                f"{len(live)} {self.kind.what.lower()}s match this row: change them one by one",
                f"有 {len(live)} 条{self.kind.label}与本行相符，文件无法指明是哪一条：请逐条修改"))
        if not live:
            crud.create(session, self.kind, self.create.model_validate(fields), actor=actor)
            return Outcome.created
        changes = self.update.model_validate(
            {k: v for k, v in fields.items() if k in self.update.model_fields}).changes()  # type: ignore[attr-defined]
        diff = crud.update(session, self.kind, live[0], changes, actor=actor)
        return Outcome.updated if diff else Outcome.unchanged

    def export_reader(self, column: FileColumn) -> Callable[[ExportRow], Any]:
        if column.read is not None:
            return column.read
        name = column.column.field
        if any(name in ref.fields for ref in self.refs):
            return lambda row: row.refs[name]
        return lambda row: getattr(row.record, name)


# --- evaluations of a platform, in one cell --------------------------------------------------------

def evaluations_text(evaluations: list[dict[str, Any]]) -> str:
    """``2024-06-30 合格；2025-06-30 优秀 备注``: a platform's evaluations in one cell."""
    return "；".join(" ".join(part for part in (e["evaluated_on"], label_of(EvaluationResult(e["result"])),
                                                e.get("note") or "") if part) for e in evaluations)


def evaluations_cell(value: Any, unit: str | None = None) -> list[dict[str, Any]]:
    result = cells.choice(EvaluationResult)
    items: list[dict[str, Any]] = []
    for part in re.split(r"[；;\n]", cells.folded(cells.text(value))):
        if not part.strip():
            continue
        date_text, _, rest = part.strip().partition(" ")
        outcome, _, note = rest.strip().partition(" ")
        if not outcome:
            raise ValueError(Text("write each evaluation as 2024-06-30 合格, separated by ；",
                                  "每次评估写成“2024-06-30 合格”，多次之间用“；”分隔"))
        items.append({"evaluated_on": cells.date(date_text), "result": result(outcome, None),
                      "note": note.strip() or None})
    return items
