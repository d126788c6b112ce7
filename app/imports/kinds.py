"""What can be imported, declared as data: an ``ImportKind`` names its columns (the Chinese header, the
English field name and other headers offices use), its natural key and the function that upserts a
batch of rows. Adding a kind (``applications`` once the pipeline exists) is one ``register`` call.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.audit.service import Actor
from app.errors import DomainError, NotFound, error_items_from_pydantic
from app.imports import cells
from app.messages import Text


class Outcome(StrEnum):
    created = "created"
    updated = "updated"
    unchanged = "unchanged"


NO_SUCH_FIRM = Text("no firm has this credit code: import it in the firm list first",
                    "没有这个统一社会信用代码的企业：请先在企业名单中导入它")


def archived_firm(firm_id: int, name: str) -> Text:
    return Text(f"firm {firm_id}「{name}」is archived: restore it first", f"企业 {firm_id}「{name}」已归档：请先恢复")


class RowRejected(Exception):
    """One row cannot be applied: the schema refuses a value, or the database says no (an archived firm,
    an unknown credit code…). ``problems`` holds (field, reason) pairs."""

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        super().__init__("; ".join(reason for _, reason in problems))
        self.problems = list(problems)

    @classmethod
    def one(cls, field: str, reason: str) -> RowRejected:
        return cls([(field, reason)])

    @classmethod
    def invalid(cls, exc: ValidationError, default_field: str) -> RowRejected:
        return cls([(str(item.loc[0]) if item.loc else default_field, item.text)
                    for item in error_items_from_pydantic(exc.errors())])


def upsert_each(session: Session, rows: list[dict[str, Any]], one: Callable[[dict[str, Any]], Outcome],
                default_field: str) -> list[Outcome | RowRejected]:
    """Apply ``one`` to each row in its own savepoint, turning what refuses a row into a ``RowRejected``: a
    row refused half-way leaves nothing behind."""
    results: list[Outcome | RowRejected] = []
    for values in rows:
        try:
            with session.begin_nested():
                results.append(one(values))
        except RowRejected as exc:
            results.append(exc)
        except ValidationError as exc:
            results.append(RowRejected.invalid(exc, default_field))
        except DomainError as exc:
            # The domain's own rules: a missing certificate number, a move the program does not allow…
            problems = [(str(item.loc[-1]), item.text) for item in exc.errors or []]
            results.append(RowRejected(problems or [(default_field, exc.detail or cells.reason_of(exc))]))
    return results


Upsert = Callable[[Session, list[Any], Actor], list[Outcome | RowRejected]]
"""Create or update the records of a batch of rows, returning what happened to each, in order. Each item is
a row's parsed, non-blank cells by field name (a dict), or what the kind's ``prepare`` made of them. The
function validates them with the API's schemas and reuses the domain's service so rules and audit apply; a
rejected row must leave nothing written."""

Prepare = Callable[[Session, list[dict[str, Any]]], list[Any]]
"""Optional: plan a batch of rows before the import writes anything — validation and look-ups, reading
only — returning for each row what ``upsert`` will take, or a ``RowRejected``. It runs before the import
waits for its turn to write (``upsert`` must check that what it read is still so)."""


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # the Chinese header, as the template writes it
    parse: cells.Parser = cells.text
    aliases: tuple[str, ...] = ()
    required: bool = False
    description: str = ""
    example: str = ""

    def names(self) -> tuple[str, ...]:
        return (self.header, self.field, *self.aliases)


@dataclass(frozen=True)
class ImportKind:
    name: str
    title: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    upsert: Upsert
    # The tables an import of this kind writes in bulk: their planner statistics are refreshed after it.
    tables: tuple[str, ...]
    # Headers recognised and deliberately not imported (a serial number, a firm's name beside its code).
    ignored: tuple[str, ...] = ("序号", "编号", "no", "#")
    prepare: Prepare | None = None

    def column(self, field_name: str) -> Column:
        return next(c for c in self.columns if c.field == field_name)

    def lookup(self) -> dict[str, Column | None]:
        """Normalised header → column (None: recognised but ignored)."""
        table: dict[str, Column | None] = {header_key(name): None for name in self.ignored}
        for column in self.columns:
            for name in column.names():
                key = header_key(name)
                if key in table and table[key] is not column:
                    raise ValueError(f"import kind {self.name}: header {name!r} is ambiguous")
                table[key] = column
        return table


KINDS: dict[str, ImportKind] = {}


def register(kind: ImportKind) -> ImportKind:
    kind.lookup()  # an ambiguous header is a programming error: fail at import time
    KINDS[kind.name] = kind
    return kind


def get_kind(name: str) -> ImportKind:
    kind = KINDS.get(name)
    if kind is None:
        kinds = ", ".join(sorted(KINDS))
        raise NotFound(Text(f"There is no import of '{name[:50]}'. What can be imported: {kinds}.",
                            f"没有“{name[:50]}”这种导入。可导入的有：{kinds}。"), kinds=sorted(KINDS))
    return kind


_UNIT = re.compile(r"^(.+?)\(([^()]*)\)$")


def header_key(text: str) -> str:
    """Headers match whatever the width, case, spacing or separators: ``统一 社会信用代码``,
    ``Credit Code`` and ``credit_code`` are the same column."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\s_\-.:*·]+", "", folded)


def split_unit(text: str) -> tuple[str, str | None]:
    """``营业收入（万元）`` → (``营业收入``, ``万元``); headers without a trailing bracket are unchanged."""
    folded = unicodedata.normalize("NFKC", text).strip()
    match = _UNIT.match(folded)
    if match is None:
        return folded, None
    return match.group(1), header_key(match.group(2)) or None
