"""Workbooks built to exhaust the server are refused from what they declare, before an XML parser builds
them: parts that unpack too large, a cell longer than Excel allows, a sheet past 100,000 rows. The bombs
are built here, small on disk."""

from __future__ import annotations

import io
import zipfile

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook

from app.imports.reading import MAX_ROWS, MAX_SHARED_STRINGS_BYTES

URL = "/api/v1/imports/enterprises"
MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
HEADER = ('<row r="1"><c r="A1" t="inlineStr"><is><t>统一社会信用代码</t></is></c>'
          '<c r="B1" t="inlineStr"><is><t>企业名称</t></is></c>'
          '<c r="C1" t="inlineStr"><is><t>所属街道</t></is></c></row>')


def _workbook(*, sheet: bytes | None = None, shared_strings: bytes | None = None) -> bytes:
    """A real workbook (from openpyxl) with its first sheet replaced, or shared strings added."""
    base = io.BytesIO()
    book = Workbook()
    assert book.active is not None
    book.active.append(["统一社会信用代码", "企业名称", "所属街道"])
    book.save(base)
    out = io.BytesIO()
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml" and sheet is not None:
                data = sheet
            elif shared_strings is not None and info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            elif shared_strings is not None and info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdStrings" Type="http://schemas.'
                                    b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
                                    b'Target="sharedStrings.xml"/></Relationships>')
            bomb.writestr(info.filename, data)
        if shared_strings is not None:
            bomb.writestr("xl/sharedStrings.xml", shared_strings)
    return out.getvalue()


def _sheet(rows: str, dimension: str | None = None) -> bytes:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet {MAIN}>{dim}'
            f'<sheetData>{HEADER}{rows}</sheetData></worksheet>').encode()


def _refused(client: TestClient, content: bytes) -> str:
    response = client.post(URL, files={"file": ("名单.xlsx", content)})
    assert response.status_code == 422, response.text
    error = response.json()["errors"][0]
    assert error["loc"] == ["body", "file"]
    return str(error["type"])


class TestDecompressionBombs:
    def test_shared_strings_that_unpack_too_large(self, staff_client: TestClient) -> None:
        item = b"<si><t>aaaaaaaaaaaaaaaa</t></si>"
        strings = f'<sst {MAIN}>'.encode() + item * (MAX_SHARED_STRINGS_BYTES // len(item) + 1000) + b"</sst>"
        content = _workbook(shared_strings=strings)
        assert len(content) < 1024 * 1024  # small on disk, ~64 MB unpacked
        assert _refused(staff_client, content) == "workbook_too_large"

    @pytest.mark.parametrize("where", ["inline", "shared"])
    def test_a_cell_longer_than_excel_allows(self, staff_client: TestClient, where: str) -> None:
        giant = "企" * 300_000
        if where == "inline":
            row = f'<row r="2"><c r="A2" t="inlineStr"><is><t>{giant}</t></is></c></row>'
            content = _workbook(sheet=_sheet(row))
        else:
            content = _workbook(shared_strings=f'<sst {MAIN}><si><t>统一社会信用代码</t></si><si><t>企业名称</t></si>'
                                f'<si><t>所属街道</t></si><si><t>{giant}</t></si></sst>'.encode())
        assert len(content) < 64 * 1024
        assert _refused(staff_client, content) == "cell_too_long"

    def test_a_sheet_that_says_it_has_a_million_rows(self, staff_client: TestClient) -> None:
        content = _workbook(sheet=_sheet("", dimension="A1:C1000000"))
        assert _refused(staff_client, content) == "too_many_rows"

    def test_a_sheet_past_the_row_limit_is_stopped(self, staff_client: TestClient) -> None:
        rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(2, MAX_ROWS + 3))
        content = _workbook(sheet=_sheet(rows))
        assert _refused(staff_client, content) == "too_many_rows"

    def test_an_ordinary_workbook_still_imports(self, staff_client: TestClient) -> None:
        row = ('<row r="2"><c r="A2" t="inlineStr"><is><t>91430702MA4L16AR1A</t></is></c>'
               '<c r="B2" t="inlineStr"><is><t>常德炸弹测试有限公司</t></is></c>'
               '<c r="C2" t="inlineStr"><is><t>丹阳街道</t></is></c></row>')
        response = staff_client.post(f"{URL}?dry_run=true", files={"file": ("名单.xlsx", _workbook(sheet=_sheet(row)))})
        assert response.status_code in (200, 422), response.text
        assert response.json().get("rows", response.json().get("report", {}).get("rows")) == 1


def _repacked(compression: int, *, flag_bits: int = 0, damage_sheet: bool = False) -> bytes:
    """A real workbook with its parts packed again: another compression method, a part marked encrypted, or
    the sheet's deflated bytes broken."""
    source = io.BytesIO(_workbook())
    out = io.BytesIO()
    with zipfile.ZipFile(source) as book, zipfile.ZipFile(out, "w") as repacked:
        for info in book.infolist():
            part = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            part.compress_type = compression
            repacked.writestr(part, book.read(info.filename))
    data = bytearray(out.getvalue())
    if flag_bits or damage_sheet:
        with zipfile.ZipFile(io.BytesIO(bytes(data))) as packed:
            sheet = packed.getinfo("xl/worksheets/sheet1.xml")
            offset, size = sheet.header_offset, sheet.compress_size
        name_length = int.from_bytes(data[offset + 26:offset + 28], "little")
        extra_length = int.from_bytes(data[offset + 28:offset + 30], "little")
        body = offset + 30 + name_length + extra_length
        if damage_sheet:
            data[body:body + size] = bytes(size)  # zeros: not a deflate stream
        if flag_bits:  # in the local header and the central directory, as an encrypting tool writes them
            data[offset + 6] |= flag_bits
            central = next(start for start in range(len(data)) if data[start:start + 4] == b"PK\x01\x02"
                           and int.from_bytes(data[start + 42:start + 46], "little") == offset)
            data[central + 8] |= flag_bits
    return bytes(data)


class TestPacking:
    def test_a_workbook_packed_as_excel_packs_it_is_read(self, client: TestClient) -> None:
        response = client.post(URL, params={"dry_run": "true"},
                               files={"file": ("名单.xlsx", _repacked(zipfile.ZIP_STORED))})
        assert response.status_code == 200, response.text

    def test_another_compression_method_is_refused_by_name(self, client: TestClient) -> None:
        response = client.post(URL, files={"file": ("名单.xlsx", _repacked(zipfile.ZIP_BZIP2))},
                               headers={"Accept-Language": "zh-CN"})
        assert response.status_code == 422, response.text
        error = response.json()["errors"][0]
        assert error["type"] == "unsupported_format"
        assert "请用 Excel 重新保存" in error["msg"]

    def test_an_encrypted_part_is_refused(self, client: TestClient) -> None:
        assert _refused(client, _repacked(zipfile.ZIP_DEFLATED, flag_bits=0x1)) == "unsupported_format"

    def test_a_broken_deflate_stream_is_a_damaged_workbook(self, client: TestClient) -> None:
        response = client.post(URL, files={"file": ("名单.xlsx", _repacked(zipfile.ZIP_DEFLATED, damage_sheet=True))})
        assert response.status_code == 422, response.text
        assert "damaged" in response.json()["errors"][0]["msg"]
