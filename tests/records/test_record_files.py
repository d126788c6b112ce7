"""Each record kind of the annual summary exported and imported back: CSV (UTF-8 and GBK) and XLSX files
reproduce the records in an emptied table, rows are rejected with their field and a Chinese reason, a dry
run writes nothing, an exported text cell never becomes a formula, and viewers cannot import."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import delete
from sqlalchemy.orm import Session

from app.commissioners.models import Commissioner, CommissionerFirm, CommissionerService
from app.contracts.models import TechnologyContract
from app.cooperation.models import CooperationAgreement
from app.indicators.models import IndicatorValue, YearlyTarget
from app.platforms.models import InnovationPlatform
from tests.factories import create_enterprise
from tests.imports.files import XLSX, csv_bytes, upload
from tests.records import factories

FORMULA = '=HYPERLINK("http://example.invalid","点击")'
META = {"id", "created_by", "version", "created_at", "updated_at", "archived_at"}


@dataclass(frozen=True)
class Kind:
    name: str  # import and export kind
    path: str  # list and export path
    tables: tuple[type[Any], ...]  # emptied before the file is imported back, children first
    make: Callable[[TestClient, dict[str, Any]], None]  # two or more records, one of them noted with ``FORMULA``
    bad_header: list[str]
    bad_row: Callable[[dict[str, Any]], list[Any]]
    bad_field: str
    bad_reason: str  # part of the Chinese reason


def _contracts(c: TestClient, firm: dict[str, Any]) -> None:
    factories.contract(c, firm["id"], notes=FORMULA, title="智能农机控制系统")
    factories.contract(c, firm["id"], contract_type="service", contract_amount="30000.50", technology_amount="30000.50")


def _platforms(c: TestClient, firm: dict[str, Any]) -> None:
    factories.platform(c, firm["id"], notes=FORMULA, document_no="湘科发〔2025〕12号", evaluations=[
        {"evaluated_on": "2025-06-30", "result": "good", "note": "年度考核"},
        {"evaluated_on": "2025-12-01", "result": "passed"}])
    factories.platform(c, None, name="常德市柑橘重点实验室", kind="key_laboratory", level="municipal",
                       host_institution="湖南文理学院", revoked_on="2025-10-01")


def _agreements(c: TestClient, firm: dict[str, Any]) -> None:
    factories.agreement(c, firm["id"], notes=FORMULA)
    factories.agreement(c, firm["id"], partner="中国农业科学院柑桔研究所", partner_kind="institute", amount=None,
                        signed_on="2025-09-09")


def _indicators(c: TestClient, firm: dict[str, Any]) -> None:
    factories.indicator(c, notes=FORMULA)
    factories.indicator(c, indicator="rd_intensity", value="2.35")


def _targets(c: TestClient, firm: dict[str, Any]) -> None:
    factories.target(c, notes=FORMULA)
    factories.target(c, indicator="technology_contract_amount", target="150000000.00")


def _commissioners(c: TestClient, firm: dict[str, Any]) -> None:
    factories.commissioner(c, name="王农艺", notes=FORMULA, served_firm_ids=[firm["id"]],
                           served_villages=["河洑镇大岗村", "柑橘专业合作社"], employer="湖南农业大学")
    factories.commissioner(c, name="Anna Schmidt", level="national", foreign_expert=True, ended_on="2025-12-31")


def _services(c: TestClient, firm: dict[str, Any]) -> None:
    person = factories.commissioner(c, name="赵特派")
    factories.commissioner(c, name="赵特派", level="district")  # the same name: the level tells them apart
    factories.service(c, person["id"], notes=FORMULA, techniques=["柑橘矮化密植"], varieties=["沃柑", "爱媛38号"],
                      demonstration_base="大岗村柑橘示范基地", demonstration_area_mu="120.50")
    factories.service(c, person["id"], kind="field_guidance", enterprise_id=firm["id"], place="某农机公司车间",
                      headcount=0)


KINDS = [
    Kind("technology_contracts", "technology-contracts", (TechnologyContract,), _contracts,
         ["登记编号", "卖方统一社会信用代码", "合同类型", "买方名称", "成交额", "技术交易额", "登记日期"],
         lambda f: ["R-9", f["credit_code"], "技术开发", "甲公司", "10", "11", "2025-05-06"],
         "technology_amount", "不能超过合同成交额"),
    Kind("innovation_platforms", "innovation-platforms", (InnovationPlatform,), _platforms,
         ["平台名称", "平台类型", "级别", "依托企业统一社会信用代码", "认定日期", "撤销日期"],
         lambda f: ["某中心", "工程技术研究中心", "省级", f["credit_code"], "2025-03-01", "2024-01-01"],
         "revoked_on", "不能早于认定日期"),
    Kind("cooperation_agreements", "cooperation-agreements", (CooperationAgreement,), _agreements,
         ["统一社会信用代码", "企业名称", "合作单位", "合作内容", "签订日期"],
         lambda f: [f["credit_code"], "另一家公司", "湖南大学", "联合研发", "2025-04-01"],
         "enterprise_name", "不是「另一家公司」"),
    Kind("district_indicators", "district-indicators", (IndicatorValue,), _indicators,
         ["年度", "指标", "数值", "来源"], lambda f: [2025, "全社会研发经费投入强度", "120", "区统计局"],
         "value", "百分比不能超过 100"),
    Kind("yearly_targets", "yearly-targets", (YearlyTarget,), _targets,
         ["年度", "指标", "目标值"], lambda f: [2025, "科技馆参观", "300"], "indicator", "无法识别的值"),
    Kind("commissioners", "commissioners", (CommissionerFirm, Commissioner), _commissioners,
         ["姓名", "选派级别", "专业领域", "选派日期", "服务截止日期"],
         lambda f: ["钱专家", "省级", "水产养殖", "2025-03-01", "2025-01-01"], "ended_on", "不能早于选派日期"),
    Kind("commissioner_services", "commissioner-services", (CommissionerService,), _services,
         ["特派员姓名", "服务日期", "服务方式", "服务地点"], lambda f: ["赵特派", "2025-06-01", "技术培训", "某村"],
         "commissioner_level", "有 2 位科技特派员叫赵特派"),
]
IDS = [kind.name for kind in KINDS]


def _listed(client: TestClient, kind: Kind) -> list[dict[str, Any]]:
    body = client.get(f"/api/v1/{kind.path}", params={"limit": 200}).json()
    return sorted(({k: v for k, v in item.items() if k not in META} for item in body["items"]), key=repr)


def _emptied(session: Session, kind: Kind) -> None:
    for model in kind.tables:
        session.execute(delete(model))
    session.commit()


def _import(client: TestClient, kind: Kind, content: bytes, name: str, **params: Any) -> dict[str, Any]:
    response = upload(client, kind.name, content, name, **params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
def firm(client: TestClient) -> dict[str, Any]:
    return create_enterprise(client)


@pytest.mark.parametrize("kind", KINDS, ids=IDS)
@pytest.mark.parametrize("flavour", ["csv", "gbk", "xlsx", "en"])
def test_an_export_imported_into_an_empty_table_reproduces_the_records(
        client: TestClient, session: Session, firm: dict[str, Any], kind: Kind, flavour: str) -> None:
    kind.make(client, firm)
    if flavour != "xlsx":  # a CSV cell starting with = is quoted so that Excel does not run it
        session.execute(kind.tables[-1].__table__.update().values(notes="网上签约"))
        session.commit()
    before = _listed(client, kind)
    fmt = "xlsx" if flavour == "xlsx" else "csv"
    exported = client.get(f"/api/v1/exports/{kind.path}.{fmt}", params={"lang": "en" if flavour == "en" else "zh"})
    assert exported.status_code == 200, exported.text
    content = exported.content
    if flavour == "gbk":
        content = content.decode("utf-8-sig").encode("gbk")
    _emptied(session, kind)
    assert _listed(client, kind) == []

    report = _import(client, kind, content, f"export.{fmt}")
    assert (report["created"], report["rejected"], report["unknown_columns"]) == (len(before), 0, [])
    if flavour == "gbk":
        assert report["encoding"] in ("gbk", "gb18030")
    assert _listed(client, kind) == before
    again = _import(client, kind, content, f"export.{fmt}")
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, len(before))


@pytest.mark.parametrize("kind", KINDS, ids=IDS)
def test_a_text_cell_starting_with_equals_is_text_in_the_workbook(
        client: TestClient, firm: dict[str, Any], kind: Kind) -> None:
    kind.make(client, firm)
    exported = client.get(f"/api/v1/exports/{kind.path}.xlsx")
    assert exported.headers["content-type"] == XLSX
    sheet = load_workbook(io.BytesIO(exported.content)).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    notes = [row[header.index("备注")] for row in sheet.iter_rows(min_row=2)]
    [cell] = [c for c in notes if c.value == FORMULA]
    assert cell.data_type == "s"


@pytest.mark.parametrize("kind", KINDS, ids=IDS)
def test_a_bad_row_is_reported_with_its_field_in_chinese_and_nothing_saved(
        client: TestClient, firm: dict[str, Any], kind: Kind) -> None:
    kind.make(client, firm)
    before = _listed(client, kind)
    content = csv_bytes([kind.bad_header, kind.bad_row(firm)])
    response = client.post(f"/api/v1/imports/{kind.name}", files={"file": ("bad.csv", content, "text/csv")},
                           headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 422, response.text
    [problem] = response.json()["report"]["problems"]
    assert (problem["row"], problem["field"]) == (2, kind.bad_field)
    assert kind.bad_reason in problem["reason"]
    assert [item["loc"] for item in response.json()["errors"]] == [["file", 2, problem["column"] or kind.bad_field]]
    assert _listed(client, kind) == before


@pytest.mark.parametrize("kind", KINDS, ids=IDS)
def test_a_dry_run_reports_what_the_import_would_do_and_writes_nothing(
        client: TestClient, session: Session, firm: dict[str, Any], kind: Kind) -> None:
    kind.make(client, firm)
    before = _listed(client, kind)
    exported = client.get(f"/api/v1/exports/{kind.path}.csv").content
    _emptied(session, kind)
    dry = _import(client, kind, exported, "export.csv", dry_run=True)
    assert (dry["dry_run"], dry["applied"], dry["can_apply"], dry["created"]) == (True, False, True, len(before))
    assert _listed(client, kind) == []
    bad = _import(client, kind, csv_bytes([kind.bad_header, kind.bad_row(firm)]), "bad.csv", dry_run=True)
    assert (bad["can_apply"], bad["rejected"]) == (False, 1)  # the real import would be a 422


@pytest.mark.parametrize("kind", KINDS, ids=IDS)
def test_viewers_download_the_template_and_export_but_cannot_import(
        viewer_client: TestClient, kind: Kind) -> None:
    template = viewer_client.get(f"/api/v1/imports/{kind.name}/template.xlsx")
    assert template.status_code == 200
    headers = [cell.value for cell in load_workbook(io.BytesIO(template.content)).worksheets[0][1]]
    assert set(kind.bad_header) <= set(headers)
    assert viewer_client.get(f"/api/v1/exports/{kind.path}.csv").status_code == 200
    assert upload(viewer_client, kind.name, csv_bytes([kind.bad_header]), "a.csv").status_code == 403


def test_services_name_their_commissioner_and_the_level_settles_a_shared_name(
        client: TestClient, firm: dict[str, Any]) -> None:
    person = factories.commissioner(client, name="孙特派", level="municipal")
    factories.commissioner(client, name="孙特派", level="district")
    rows = [["特派员姓名", "特派员级别", "服务日期", "服务方式", "服务地点", "服务人次", "服务企业统一社会信用代码",
             "服务企业名称"],
            ["孙特派", "市级", "2025-07-01", "技术培训", "丹阳街道", "35", firm["credit_code"], firm["name"]]]
    report = _import(client, KINDS[-1], csv_bytes(rows), "services.csv")
    assert report["created"] == 1
    [service] = client.get("/api/v1/commissioner-services", params={"commissioner_id": person["id"]}).json()["items"]
    assert (service["headcount"], service["enterprise_id"]) == (35, firm["id"])
