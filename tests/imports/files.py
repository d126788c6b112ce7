"""Real spreadsheet files, built in memory the way Excel, WPS and office scripts write them."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response
from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FIRM_HEADERS = ["统一社会信用代码", "企业名称", "所属街道", "行业门类"]


def xlsx(rows: Sequence[Sequence[Any]], *, title: str = "Sheet1") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: Sequence[Sequence[Any]], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def upload(client: TestClient, kind: str, content: bytes, name: str = "firms.xlsx", **params: Any) -> Response:
    media = XLSX if name.endswith(".xlsx") else "text/csv"
    return client.post(f"/api/v1/imports/{kind}", files={"file": (name, content, media)},
                       params={k: str(v).lower() if isinstance(v, bool) else v for k, v in params.items()})


def firm_row(code: str, name: str = "常德测试科技有限公司", district: str = "丹阳街道", industry: str = "C"
             ) -> list[Any]:
    return [code, name, district, industry]
