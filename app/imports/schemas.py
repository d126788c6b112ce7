"""The import report, and the catalogue of importable kinds."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, PrivateAttr

from app.enums import register_labels
from app.messages import Lang, Text, in_language


class OnError(StrEnum):
    abort = "abort"
    skip = "skip"


register_labels(OnError, {OnError.abort: "有错误时全部不导入", OnError.skip: "跳过错误行，导入其余行"})


class RowProblem(BaseModel):
    row: int = Field(description="Row number as the spreadsheet shows it (the header row is usually 1).")
    column: str | None = Field(description="The column's header as written in the file; null for a whole-row problem.")
    field: str | None = Field(description="The API field the column maps to.")
    value: str | None = Field(description="The cell as read (shortened to 100 characters).")
    reason: str = Field(description="Why, in plain words: Chinese, or English for Accept-Language: en.")
    _text: Text | None = PrivateAttr(default=None)

    def __init__(self, **data: Any) -> None:
        super().__init__(**data)
        if isinstance(data.get("reason"), Text):
            self._text = data["reason"]

    @property
    def text(self) -> Text:
        """The reason in both languages (a plain one is the same in both)."""
        return self._text if self._text is not None else Text(self.reason, self.reason)

    def in_language(self, lang: Lang) -> RowProblem:
        return RowProblem(row=self.row, column=self.column, field=self.field, value=self.value,
                          reason=in_language(self.text, lang))


class ColumnMapping(BaseModel):
    column: str = Field(description="Column letter (A, B, …).")
    header: str = Field(description="The header as written in the file.")
    field: str | None = Field(description="The field it fills; null when the column is ignored or unknown.")
    unit: str | None = Field(default=None, description="Unit read from the header, e.g. 万元 (amounts are scaled).")


class ImportReport(BaseModel):
    kind: str
    file_name: str
    format: str = Field(description="xlsx or csv.")
    encoding: str | None = Field(description="CSV only: utf-8, utf-8-sig (with BOM) or gb18030 (GBK).")
    dry_run: bool
    on_error: OnError
    applied: bool = Field(description="The changes were saved. False on a dry run, and when rows were rejected "
                          "with on_error=abort.")
    can_apply: bool = Field(description="Nothing blocks saving with this on_error (what a dry run predicts).")
    header_row: int = Field(description="Row holding the headers; rows above it (titles) are skipped.")
    columns: list[ColumnMapping]
    unknown_columns: list[str] = Field(
        description="Headers that match no field: they block an import with on_error=abort and are ignored "
        "with on_error=skip."
    )
    rows: int = Field(description="Data rows read (blank rows are not counted).")
    created: int
    updated: int
    unchanged: int = Field(description="Rows identical to what is stored: re-importing a file changes nothing.")
    rejected: int
    problems: list[RowProblem] = Field(description="Why each rejected row was refused, cell by cell (at most 1000).")
    problems_truncated: bool = Field(default=False, description="More problems were found than listed.")

    def in_language(self, lang: Lang) -> ImportReport:
        """The report with every problem's reason worded for ``lang``."""
        return self.model_copy(update={"problems": [p.in_language(lang) for p in self.problems]})

    def json_in(self, lang: Lang) -> dict[str, Any]:
        return self.in_language(lang).model_dump(mode="json")


class ColumnInfo(BaseModel):
    field: str
    header: str = Field(description="Chinese header the template uses.")
    aliases: list[str] = Field(description="Other headers accepted (English field name included).")
    required: bool = Field(description="The column must be present in the file.")
    description: str
    example: str


class ImportKindInfo(BaseModel):
    name: str = Field(description="The {kind} of /imports/{kind}.")
    title: str
    key: list[str] = Field(description="Fields identifying a record: a row updates the record with the same key.")
    columns: list[ColumnInfo]
