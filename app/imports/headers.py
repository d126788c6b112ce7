"""Where a file's header row is and what each of its columns holds, by the names an import kind knows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.errors import ErrorItem, InvalidInput
from app.imports import cells, reading
from app.imports.kinds import Column, ImportKind, header_key, split_unit
from app.imports.schemas import ColumnMapping
from app.messages import Text

HEADER_SEARCH_ROWS = 10


@dataclass(frozen=True)
class Layout:
    header_row: int
    columns: list[tuple[int, Column, str, str | None]]  # (index, column, header as written, unit)
    mappings: list[ColumnMapping]
    unknown: list[tuple[int, str]]



def match_headers(kind: ImportKind, header_row: int, cells_: list[Any]) -> Layout:
    lookup = kind.lookup()
    columns: list[tuple[int, Column, str, str | None]] = []
    mappings: list[ColumnMapping] = []
    unknown: list[tuple[int, str]] = []
    problems: list[ErrorItem] = []
    seen: dict[str, str] = {}
    for index, raw in enumerate(cells_):
        if cells.is_blank(raw):
            continue
        written = cells.text(raw).strip()
        key, unit = header_key(written), None
        if key not in lookup:
            name, unit = split_unit(written)
            key = header_key(name)
        letter = cells.column_letter(index + 1)
        if key not in lookup:
            unknown.append((index, written))
            mappings.append(ColumnMapping(column=letter, header=written, field=None))
            continue
        column = lookup[key]
        mappings.append(ColumnMapping(column=letter, header=written, field=column.field if column else None,
                                      unit=unit))
        if column is None:
            continue
        if column.parse is cells.money and unit is not None and unit not in cells.MONEY_UNITS:
            problems.append(ErrorItem(loc=["file", header_row, written],
                                      msg=Text(f"unit {unit} not understood: amounts are in 元, 千元 or 万元",
                                               f"无法识别单位 {unit}：金额单位应为 元、千元 或 万元"),
                                      type="unknown_unit"))
            continue
        if column.field in seen:
            problems.append(ErrorItem(loc=["file", header_row, written],
                                      msg=Text(f"column {letter} repeats column {seen[column.field]} "
                                               f"({column.header})",
                                               f"第 {letter} 列与第 {seen[column.field]} 列重复（{column.header}）"),
                                      type="duplicate_column"))
            continue
        seen[column.field] = letter
        columns.append((index, column, written, unit))
    for column in kind.columns:
        if column.required and column.field not in seen:
            problems.append(ErrorItem(loc=["file", header_row, column.header],
                                      msg=Text(f"the column {column.header} ({column.field}) is missing",
                                               f"缺少「{column.header}」列"),
                                      type="missing_column"))
    if problems:
        first = problems[0].text
        raise InvalidInput(Text(f"The headers in row {header_row} cannot be used: {first}",
                                f"第 {header_row} 行的表头无法使用：{first.zh}"), errors=problems)
    return Layout(header_row, columns, mappings, unknown)


def find_header(kind: ImportKind, table: reading.Table) -> tuple[int, list[Any]]:
    """The header row is the first row naming a key column; title rows above it are skipped."""
    lookup = kind.lookup()
    keys = {header_key(name) for field in kind.key for name in kind.column(field).names()}
    first: tuple[int, list[Any]] | None = None
    for searched, (number, row) in enumerate(table.rows):
        if all(cells.is_blank(c) for c in row):
            continue
        first = first or (number, row)
        names = [header_key(split_unit(cells.text(c))[0]) for c in row if not cells.is_blank(c)]
        if any(n in keys for n in names) or sum(n in lookup for n in names) >= 2:
            return number, row
        if searched >= HEADER_SEARCH_ROWS:
            break
    if first is None:
        raise reading.file_problem(Text("the file has no rows", "文件中没有数据行"), "empty_file")
    wanted = [kind.column(field).header for field in kind.key]
    raise reading.file_problem(Text(
        f"no header row found: the first rows should name the columns, starting with {' and '.join(wanted)}",
        f"找不到表头行：前几行应写明各列名称，首先是「{'」和「'.join(wanted)}」"), "missing_header")
