"""What files are accepted: encodings, formats, and everything that must be a 422, never a 500."""

from __future__ import annotations

import io
import zipfile

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.enterprises.models import Enterprise
from app.imports import reading, router, service
from tests.factories import credit_code
from tests.imports.files import FIRM_HEADERS, csv_bytes, firm_row, upload, xlsx

NAME = "常德市武陵区湘瑞电子科技有限公司"


def _names(session: Session) -> list[str]:
    return list(session.scalars(select(Enterprise.name)))


class TestCsvEncodings:
    @pytest.mark.parametrize(("encoding", "reported"), [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"),
                                                        ("gbk", "gb18030"), ("gb18030", "gb18030")])
    def test_chinese_text_arrives_intact(self, client: TestClient, session: Session, encoding: str,
                                         reported: str) -> None:
        content = csv_bytes([FIRM_HEADERS, firm_row(credit_code(), name=NAME, district="丹阳街道")], encoding)
        response = upload(client, "enterprises", content, "名单.csv")
        assert response.status_code == 200, response.text
        assert response.json()["encoding"] == reported
        assert _names(session) == [NAME]

    def test_tab_separated_text(self, client: TestClient, session: Session) -> None:
        lines = ["\t".join(FIRM_HEADERS), "\t".join(firm_row(credit_code(), name=NAME))]
        response = upload(client, "enterprises", "\r\n".join(lines).encode("gbk"), "名单.txt")
        assert response.status_code == 200, response.text
        assert _names(session) == [NAME]

    def test_utf16_text_is_refused_with_advice(self, client: TestClient) -> None:
        content = csv_bytes([FIRM_HEADERS, firm_row(credit_code())], "utf-16")
        response = upload(client, "enterprises", content, "名单.csv")
        assert response.status_code == 422
        assert "UTF-16" in response.json()["detail"]

    def test_bytes_that_are_neither_utf8_nor_gb18030_are_refused(self, client: TestClient, session: Session) -> None:
        # 0x80 and 0xFF are not valid lead bytes in UTF-8 or GB18030.
        content = csv_bytes([FIRM_HEADERS]) + b"\x80\xff\x80\xff\n"
        response = upload(client, "enterprises", content, "名单.csv")
        assert response.status_code == 422
        assert response.json()["errors"][0]["type"] == "unknown_encoding"
        assert _names(session) == []

    def test_text_decoding_to_control_characters_is_refused(self, client: TestClient) -> None:
        content = csv_bytes([FIRM_HEADERS, firm_row(credit_code(), name="甲\x07公司")])
        response = upload(client, "enterprises", content, "名单.csv")
        assert response.status_code == 422
        assert response.json()["errors"][0]["type"] == "not_text"


class TestNotASpreadsheet:
    def test_empty_file(self, client: TestClient) -> None:
        response = upload(client, "enterprises", b"", "empty.csv")
        assert response.status_code == 422
        assert response.json()["errors"][0]["type"] == "empty_file"

    def test_only_blank_rows(self, client: TestClient) -> None:
        response = upload(client, "enterprises", xlsx([[None, None], ["", " "]]))
        assert response.status_code == 422
        assert response.json()["errors"][0]["type"] == "empty_file"

    def test_headers_without_rows_import_nothing(self, client: TestClient) -> None:
        report = upload(client, "enterprises", xlsx([FIRM_HEADERS])).json()
        assert (report["rows"], report["created"], report["applied"]) == (0, 0, True)

    def test_a_png_image(self, client: TestClient) -> None:
        png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
        assert upload(client, "enterprises", png, "photo.png").status_code == 422

    def test_a_zip_that_is_not_a_workbook(self, client: TestClient) -> None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("readme.txt", "hello")
        response = upload(client, "enterprises", buffer.getvalue(), "firms.xlsx")
        assert response.status_code == 422
        assert response.json()["errors"][0]["type"] == "unsupported_format"

    def test_an_old_xls_workbook(self, client: TestClient) -> None:
        response = upload(client, "enterprises", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "old.xls")
        assert response.status_code == 422
        assert ".xls" in response.json()["detail"]

    def test_text_named_xlsx(self, client: TestClient) -> None:
        response = upload(client, "enterprises", csv_bytes([FIRM_HEADERS]), "firms.xlsx")
        assert response.status_code == 422

    def test_no_header_row(self, client: TestClient) -> None:
        response = upload(client, "enterprises", xlsx([["a", "b"], [1, 2]]))
        assert response.status_code == 422
        assert response.json()["errors"][0]["type"] == "missing_header"

    def test_a_multipart_request_without_a_file(self, client: TestClient) -> None:
        response = client.post("/api/v1/imports/enterprises", data={"x": "1"})
        assert response.status_code == 422


class TestXlsxCells:
    def test_a_credit_code_stored_as_a_number_is_explained(self, client: TestClient) -> None:
        rows = [FIRM_HEADERS, [121200004013590816.0, "甲事业单位", "丹阳街道", "M"]]
        problems = upload(client, "enterprises", xlsx(rows)).json()["report"]["problems"]
        assert "stored as a number" in problems[0]["reason"]

    def test_excel_error_values_are_rejected(self, client: TestClient) -> None:
        rows = [FIRM_HEADERS, [credit_code(), "#N/A", "丹阳街道", "C"]]
        problems = upload(client, "enterprises", xlsx(rows)).json()["report"]["problems"]
        assert problems[0]["field"] == "name"
        assert "#N/A" in problems[0]["reason"]

    def test_blank_rows_are_skipped_and_rows_keep_their_sheet_numbers(self, client: TestClient) -> None:
        rows = [FIRM_HEADERS, firm_row(credit_code(), name="甲公司"), [], firm_row("bad", name="乙公司")]
        report = upload(client, "enterprises", xlsx(rows), on_error="skip").json()
        assert (report["rows"], report["created"], report["rejected"]) == (2, 1, 1)
        assert report["problems"][0]["row"] == 4


class TestLimits:
    def test_too_many_rows(self, client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(reading, "MAX_ROWS", 2)
        rows = [FIRM_HEADERS, *[firm_row(credit_code(), name=f"限额{i}") for i in range(3)]]
        response = upload(client, "enterprises", csv_bytes(rows), "f.csv")
        assert response.status_code == 422
        assert response.json()["errors"][0]["type"] == "too_many_rows"

    def test_too_large_a_file(self, client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(router, "MAX_FILE_BYTES", 10)
        response = upload(client, "enterprises", csv_bytes([FIRM_HEADERS]), "f.csv")
        assert response.status_code == 413
        assert response.headers["content-type"] == "application/problem+json"

    def test_the_problem_list_is_capped_but_every_row_counted(self, client: TestClient,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(service, "MAX_PROBLEMS", 2)
        rows = [FIRM_HEADERS, *[firm_row(f"bad{i}") for i in range(5)]]
        report = upload(client, "enterprises", xlsx(rows), dry_run=True).json()
        assert (report["rejected"], len(report["problems"]), report["problems_truncated"]) == (5, 2, True)
