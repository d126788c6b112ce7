"""POST /imports/enterprises: the firm list, from .xlsx and CSV."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.audit.models import AuditEntry
from app.db import refresh_column_statistics
from app.enterprises.models import Enterprise
from app.imports import service as import_service
from tests.factories import create_enterprise, credit_code
from tests.imports.files import FIRM_HEADERS, csv_bytes, firm_row, upload, xlsx
from tests.support.databases import backend_name


def _firm(session: Session, code: str) -> Enterprise:
    firm = session.scalars(select(Enterprise).where(Enterprise.credit_code == code)).one()
    session.refresh(firm)
    return firm


def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Enterprise)) or 0


def _full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


class TestCreateFromXlsx:
    def test_rows_become_firms_with_parsed_values(self, client: TestClient, session: Session) -> None:
        code = credit_code()
        rows = [["统一社会信用代码", "企业名称", "所属街道", "园区", "行业门类", "技术领域", "规上企业", "成立日期",
                 "标签"],
                [code, "常德星火科技有限公司", "丹阳街道", "常德高新区", "制造业", "电子信息", "是",
                 dt.date(2018, 5, 20), "专精特新、瞪羚"]]
        response = upload(client, "enterprises", xlsx(rows))
        assert response.status_code == 200, response.text
        report = response.json()
        assert (report["created"], report["updated"], report["unchanged"], report["rejected"]) == (1, 0, 0, 0)
        assert report["applied"] is True
        firm = _firm(session, code)
        assert (firm.industry, firm.tech_domain, firm.above_scale) == ("C", "electronic_information", True)
        assert firm.registered_on == dt.date(2018, 5, 20)
        assert sorted(firm.tags) == sorted(["专精特新", "瞪羚"])


class TestHeaders:
    def test_english_shuffled_and_spaced_headers_match(self, client: TestClient, session: Session) -> None:
        code = credit_code()
        rows = [["District", " NAME ", "credit_code", "Industry"], ["丹阳街道", "常德英文表头有限公司", code, "M"]]
        response = upload(client, "enterprises", csv_bytes(rows), "firms.csv")
        assert response.status_code == 200, response.text
        assert _firm(session, code).name == "常德英文表头有限公司"

    def test_full_width_and_spaced_chinese_headers_match(self, client: TestClient, session: Session) -> None:
        code = credit_code()
        rows = [["企业名称", "统一 社会信用代码", "所属街道（乡镇）", "行业门类"],
                ["常德全角表头有限公司", code, "丹阳街道", "C"]]
        response = upload(client, "enterprises", xlsx(rows))
        assert response.status_code == 200, response.text
        assert _firm(session, code).district == "丹阳街道"

    def test_a_title_row_above_the_headers_is_skipped(self, client: TestClient, session: Session) -> None:
        code = credit_code()
        rows = [["2024年武陵区科技企业名单"], FIRM_HEADERS, firm_row(code)]
        report = upload(client, "enterprises", xlsx(rows)).json()
        assert report["header_row"] == 2
        assert report["created"] == 1

    def test_unknown_column_blocks_the_import_by_default(self, client: TestClient, session: Session) -> None:
        rows = [[*FIRM_HEADERS, "联系电话"], [*firm_row(credit_code()), "13800000000"]]
        response = upload(client, "enterprises", xlsx(rows))
        assert response.status_code == 422
        report = response.json()["report"]
        assert report["unknown_columns"] == ["联系电话"]
        assert report["problems"][0]["column"] == "联系电话"
        assert _count(session) == 0

    def test_unknown_column_is_reported_and_ignored_with_skip(self, client: TestClient, session: Session) -> None:
        rows = [[*FIRM_HEADERS, "联系电话"], [*firm_row(credit_code()), "13800000000"]]
        response = upload(client, "enterprises", xlsx(rows), on_error="skip")
        assert response.status_code == 200, response.text
        assert response.json()["unknown_columns"] == ["联系电话"]
        assert response.json()["problems"][0]["reason"] == "unknown column E, ignored"
        assert _count(session) == 1

    def test_a_missing_key_column_is_a_422_naming_it(self, client: TestClient) -> None:
        response = upload(client, "enterprises", xlsx([["企业名称", "所属街道"], ["甲公司", "丹阳街道"]]))
        assert response.status_code == 422
        assert "统一社会信用代码" in response.json()["detail"]

    def test_a_repeated_column_is_a_422(self, client: TestClient) -> None:
        rows = [["统一社会信用代码", "企业名称", "name", "所属街道"], [credit_code(), "甲", "乙", "丹阳街道"]]
        response = upload(client, "enterprises", xlsx(rows))
        assert response.status_code == 422
        assert response.json()["errors"][0]["type"] == "duplicate_column"


class TestValues:
    def test_full_width_digits_in_credit_codes_are_normalised(self, client: TestClient, session: Session) -> None:
        code = credit_code()
        response = upload(client, "enterprises", xlsx([FIRM_HEADERS, firm_row(_full_width(code))]))
        assert response.status_code == 200, response.text
        assert _firm(session, code).credit_code == code

    def test_date_forms(self, client: TestClient, session: Session) -> None:
        forms: list[Any] = ["2023/12/08", "2023年12月8日", "2023-12-08", 45268]
        codes = [credit_code() for _ in forms]
        rows = [[*FIRM_HEADERS, "成立日期"], *[[*firm_row(c, name=f"日期公司{i}"), d]
                                           for i, (c, d) in enumerate(zip(codes, forms, strict=True))]]
        response = upload(client, "enterprises", xlsx(rows))
        assert response.status_code == 200, response.text
        assert {_firm(session, c).registered_on for c in codes} == {dt.date(2023, 12, 8)}

    def test_text_dates_in_csv(self, client: TestClient, session: Session) -> None:
        code = credit_code()
        rows = [[*FIRM_HEADERS, "成立日期"], [*firm_row(code), "2023年12月8日"]]
        assert upload(client, "enterprises", csv_bytes(rows), "f.csv").status_code == 200
        assert _firm(session, code).registered_on == dt.date(2023, 12, 8)

    def test_industry_as_letter_plus_label_and_domain_as_number(self, client: TestClient, session: Session) -> None:
        code = credit_code()
        rows = [["统一社会信用代码", "企业名称", "所属街道", "行业门类", "技术领域"],
                [code, "常德代码公司", "丹阳街道", "I 信息传输、软件和信息技术服务业", "8"]]
        assert upload(client, "enterprises", xlsx(rows)).status_code == 200
        firm = _firm(session, code)
        assert (firm.industry, firm.tech_domain) == ("I", "advanced_manufacturing")


class TestRejectedRows:
    def test_each_problem_names_row_column_value_and_reason(self, client: TestClient, session: Session) -> None:
        good = credit_code()
        bad = good[:-1] + ("0" if good[-1] != "0" else "1")
        rows = [[*FIRM_HEADERS, "成立日期"], [*firm_row(good), "2020-01-01"], [*firm_row(bad, name="乙"), "2020-02-30"]]
        response = upload(client, "enterprises", xlsx(rows))
        assert response.status_code == 422
        body = response.json()
        problems = {(p["row"], p["column"]): p for p in body["report"]["problems"]}
        assert problems[(3, "统一社会信用代码")]["value"] == bad
        assert "check character" in problems[(3, "统一社会信用代码")]["reason"]
        assert "no such date" in problems[(3, "成立日期")]["reason"]
        assert body["report"]["rejected"] == 1
        assert body["errors"][0]["loc"][:2] == ["file", 3]
        assert _count(session) == 0

    def test_duplicate_rows_inside_the_file_are_reported(self, client: TestClient, session: Session) -> None:
        code = credit_code()
        rows = [FIRM_HEADERS, firm_row(code), firm_row(code)]
        response = upload(client, "enterprises", xlsx(rows), on_error="skip")
        assert response.status_code == 200
        report = response.json()
        assert (report["created"], report["rejected"]) == (1, 1)
        assert report["problems"][0]["row"] == 3
        assert "row 2" in report["problems"][0]["reason"]

    def test_a_missing_required_value_for_a_new_firm(self, client: TestClient) -> None:
        rows = [FIRM_HEADERS, [credit_code(), "", "丹阳街道", "C"]]
        problems = upload(client, "enterprises", xlsx(rows)).json()["report"]["problems"]
        assert [(p["field"], p["reason"]) for p in problems] == [("name", "required")]

    def test_skip_saves_the_valid_rows(self, client: TestClient, session: Session) -> None:
        good = credit_code()
        rows = [FIRM_HEADERS, firm_row("123"), firm_row(good)]
        report = upload(client, "enterprises", xlsx(rows), on_error="skip").json()
        assert (report["created"], report["rejected"], report["applied"]) == (1, 1, True)
        assert _count(session) == 1

    def test_an_archived_firm_is_rejected(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        client.delete(f"/api/v1/enterprises/{firm['id']}", headers={"If-Match": '"1"'})
        report = upload(client, "enterprises", xlsx([FIRM_HEADERS, firm_row(firm["credit_code"])])).json()["report"]
        assert "archived" in report["problems"][0]["reason"]


class TestUpsert:
    def test_reimporting_the_same_file_changes_nothing(self, client: TestClient, session: Session) -> None:
        rows = [[*FIRM_HEADERS, "标签", "成立日期"],
                *[[*firm_row(credit_code(), name=f"重复导入公司{i}"), "高企", "2019-03-01"] for i in range(3)]]
        content = xlsx(rows)
        assert upload(client, "enterprises", content).json()["created"] == 3
        versions = sorted(session.scalars(select(Enterprise.version)))
        audit_rows = session.scalar(select(func.count()).select_from(AuditEntry))
        again = upload(client, "enterprises", content).json()
        assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)
        assert sorted(session.scalars(select(Enterprise.version))) == versions
        # Only the import's own audit row is added.
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == (audit_rows or 0) + 1

    def test_changed_cells_update_and_blank_cells_keep(self, client: TestClient, session: Session) -> None:
        firm = create_enterprise(client, park="常德高新区")
        rows = [["统一社会信用代码", "企业名称", "园区"], [firm["credit_code"], "改名后的公司", ""]]
        report = upload(client, "enterprises", xlsx(rows)).json()
        assert report["updated"] == 1
        stored = _firm(session, firm["credit_code"])
        assert (stored.name, stored.park, stored.version) == ("改名后的公司", "常德高新区", 2)


class TestDryRun:
    def test_reports_what_would_happen_and_saves_nothing(self, client: TestClient, session: Session) -> None:
        existing = create_enterprise(client)
        rows = [FIRM_HEADERS, firm_row(credit_code()), firm_row(existing["credit_code"], name="新名字")]
        response = upload(client, "enterprises", xlsx(rows), dry_run=True)
        assert response.status_code == 200
        report = response.json()
        assert (report["created"], report["updated"], report["applied"], report["can_apply"]) == (1, 1, False, True)
        assert _count(session) == 1
        assert _firm(session, existing["credit_code"]).name == existing["name"]

    def test_a_dry_run_with_rejections_answers_200_with_the_report(self, client: TestClient) -> None:
        response = upload(client, "enterprises", xlsx([FIRM_HEADERS, firm_row("bad")]), dry_run=True)
        assert response.status_code == 200
        assert (response.json()["rejected"], response.json()["can_apply"]) == (1, False)


class TestAudit:
    def test_one_import_row_plus_one_per_firm(self, client: TestClient, session: Session) -> None:
        rows = [FIRM_HEADERS, firm_row(credit_code(), name="审计甲"), firm_row(credit_code(), name="审计乙")]
        upload(client, "enterprises", xlsx(rows), name="名单.xlsx")
        entries = list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
        assert [e.action for e in entries] == ["create", "create", "import"]
        assert entries[-1].changes["file_name"]["after"] == "名单.xlsx"
        assert entries[-1].changes["created"]["after"] == 2


class TestRetries:
    def test_a_retried_upload_with_the_same_key_replays_the_report(self, client: TestClient, session: Session) -> None:
        content = xlsx([FIRM_HEADERS, firm_row(credit_code())])
        files = {"file": ("f.xlsx", content, "application/octet-stream")}
        headers = {"Idempotency-Key": "import-retry-1"}
        first = client.post("/api/v1/imports/enterprises", files=files, headers=headers)
        again = client.post("/api/v1/imports/enterprises", files=files, headers=headers)
        assert first.status_code == again.status_code == 200
        assert again.headers["idempotent-replayed"] == "true"
        assert again.json() == first.json()
        assert _count(session) == 1
        other = {"file": ("f.xlsx", xlsx([FIRM_HEADERS, firm_row(credit_code())]), "application/octet-stream")}
        assert client.post("/api/v1/imports/enterprises", files=other, headers=headers).status_code == 422


class TestFileName:
    def test_a_client_side_path_is_reduced_to_the_file_name(self, client: TestClient) -> None:
        report = upload(client, "enterprises", xlsx([FIRM_HEADERS]), name="C:\\Users\\科技局\\名单.xlsx").json()
        assert report["file_name"] == "名单.xlsx"



class TestStatisticsDuringALargeImport:
    def test_refreshed_every_so_many_created_rows(self, client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
        # Batches of 2, statistics every 2 created firms: after the 1st, 2nd and 3rd batch of 7 rows.
        monkeypatch.setattr(import_service, "BATCH_SIZE", 2)
        monkeypatch.setattr(import_service, "REFRESH_STATISTICS_EVERY", 2)
        refreshed: list[tuple[str, ...]] = []
        monkeypatch.setattr(import_service, "refresh_column_statistics",
                            lambda connection, tables=(): refreshed.append(tuple(tables)))
        rows = [FIRM_HEADERS, *(firm_row(credit_code(), f"常德分批统计{n}有限公司") for n in range(7))]
        assert upload(client, "enterprises", csv_bytes(rows), name="firms.csv").json()["created"] == 7
        assert refreshed == [("enterprises", "enterprise_tags")] * 3

    @pytest.mark.parametrize(("firms", "times"), [(6, 3), (7, 4)])
    def test_not_taken_twice_for_the_same_rows(self, client: TestClient, monkeypatch: pytest.MonkeyPatch,
                                               firms: int, times: int) -> None:
        # During the import after 2, 4 and 6 created firms; at the end only if firms were created since.
        monkeypatch.setattr(import_service, "BATCH_SIZE", 2)
        monkeypatch.setattr(import_service, "REFRESH_STATISTICS_EVERY", 2)
        monkeypatch.setattr(import_service, "REFRESH_STATISTICS_AFTER", 2)
        refreshed: list[tuple[str, ...]] = []
        monkeypatch.setattr(import_service, "refresh_column_statistics",
                            lambda connection, tables=(): refreshed.append(tuple(tables)))
        rows = [FIRM_HEADERS, *(firm_row(credit_code(), f"常德统计一次{n}有限公司") for n in range(firms))]
        assert upload(client, "enterprises", csv_bytes(rows), name="firms.csv").json()["created"] == firms
        assert refreshed == [("enterprises", "enterprise_tags")] * times

    def test_taken_of_every_column(self, session: Session) -> None:
        for n in range(30):
            session.add(Enterprise(credit_code=credit_code(), name=f"常德统计列{n}有限公司", district="丹阳街道"))
        session.flush()
        connection = session.connection()
        refresh_column_statistics(connection, ["enterprises"])
        if backend_name() == "postgresql":
            columns = set(session.scalars(text("SELECT attname FROM pg_stats WHERE tablename = 'enterprises'")))
            assert {"credit_code", "district", "status", "registered_on", "archived_at"} <= columns
            assert (session.scalar(text("SELECT reltuples FROM pg_class WHERE relname = 'enterprises'")) or 0) >= 30
        else:
            stats = session.scalar(text("SELECT stat FROM sqlite_stat1 WHERE idx = 'ix_enterprises_name'"))
            assert stats is not None
            assert int(str(stats).split()[0]) >= 30
