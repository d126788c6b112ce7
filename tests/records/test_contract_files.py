"""The technology market's registration list imported, and contracts exported in a file that re-imports."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from tests.factories import create_enterprise
from tests.imports.files import upload, xlsx

HEADERS = ["序号", "登记编号", "卖方名称", "卖方统一社会信用代码", "合同类型", "买方名称", "成交额（万元）",
           "技术交易额（万元）", "登记日期"]


class TestImport:
    def test_rows_create_then_update_by_registration_number(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        code = firm["credit_code"]
        rows = [HEADERS,
                [1, "2025430702000001", firm["name"], code, "技术开发", "甲公司", "120", "100.5", "2025年5月6日"],
                [2, "2025430702000002", firm["name"], code, "技术服务", "乙公司", "30", "30", "2025/11/30"]]
        response = upload(client, "technology_contracts", xlsx(rows), "登记表.xlsx")
        assert response.status_code == 200, response.text
        assert (response.json()["created"], response.json()["rejected"]) == (2, 0)
        listed = client.get("/api/v1/technology-contracts", params={"enterprise_id": firm["id"]}).json()["items"]
        assert {(c["registration_no"], c["contract_type"], c["technology_amount"], c["registered_on"])
                for c in listed} == {("2025430702000001", "development", "1005000.00", "2025-05-06"),
                                     ("2025430702000002", "service", "300000.00", "2025-11-30")}

        rows[2][6], rows[2][7] = "40", "35"
        again = upload(client, "technology_contracts", xlsx(rows), "登记表.xlsx")
        assert (again.json()["created"], again.json()["updated"], again.json()["unchanged"]) == (0, 1, 1)

    def test_bad_rows_are_reported_and_nothing_saved(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        rows = [HEADERS,
                [1, "R-1", "", firm["credit_code"], "技术开发", "甲公司", "10", "11", "2025-05-06"],
                [2, "R-2", "", "91430702MA4L0X123X", "技术开发", "甲公司", "10", "10", "2025-05-06"],
                [3, "R-3", "", firm["credit_code"], "技术赠与", "甲公司", "10", "10", "2025-05-06"]]
        response = upload(client, "technology_contracts", xlsx(rows), "登记表.xlsx")
        assert response.status_code == 422
        fields = {(p["row"], p["field"]) for p in response.json()["report"]["problems"]}
        assert fields == {(2, "technology_amount"), (3, "credit_code"), (4, "contract_type")}
        assert client.get("/api/v1/technology-contracts", params={"enterprise_id": firm["id"]}).json()["total"] == 0


class TestExport:
    def test_export_reimports_unchanged(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        for number, amount in (("E-1", "200000.00"), ("E-2", "50000.50")):
            response = client.post("/api/v1/technology-contracts", json={
                "registration_no": number, "contract_type": "transfer", "enterprise_id": firm["id"],
                "buyer": "丙公司", "contract_amount": amount, "technology_amount": amount,
                "registered_on": "2025-02-02"})
            assert response.status_code == 201
        exported = client.get("/api/v1/exports/technology-contracts.csv", params={"enterprise_id": firm["id"]})
        assert exported.status_code == 200
        rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
        assert [(r["登记编号"], r["合同类型"], r["技术交易额(元)"]) for r in rows] == [
            ("E-1", "技术转让", "200000.00"), ("E-2", "技术转让", "50000.50")]
        reimport = upload(client, "technology_contracts", exported.content, "export.csv", on_error="skip")
        assert reimport.status_code == 200, reimport.text
        assert (reimport.json()["unchanged"], reimport.json()["rejected"]) == (2, 0)
