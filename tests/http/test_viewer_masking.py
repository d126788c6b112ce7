"""A viewer reads every phone number and e-mail address typed into any free text masked — in each record, each
list, the timeline and the exports — while staff read them as typed. One mechanism does it for every answer."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.factories import create_enterprise
from tests.records import factories as records
from tests.visits.factories import create_event, create_policy

# A mobile as typed plainly, with spaces and with dashes, another plain one, and an e-mail address.
TYPED = "请联系 138 1234 5678 或 139-8765-4321，备用13712345678，邮箱 wang.li@example.cn"
RAW = ("138 1234 5678", "139-8765-4321", "13712345678", "wang.li@example.cn", "12345678", "87654321")
MASKED = ("138****5678", "139****4321", "137****5678", "w***@example.cn")


@dataclass(frozen=True)
class Family:
    """A route family: how an admin makes a record with free text, and where a viewer reads it."""
    name: str
    make: Callable[[TestClient], tuple[str, str, dict[str, Any]]]
    """admin client → (the record's URL, its list's URL, the list's params)"""


def _firm(client: TestClient) -> tuple[str, str, dict[str, Any]]:
    firm = create_enterprise(client, notes=TYPED, address=f"常德市武陵区 {TYPED}")
    return f"/api/v1/enterprises/{firm['id']}", "/api/v1/enterprises", {"q": firm["name"]}


def _contact(client: TestClient) -> tuple[str, str, dict[str, Any]]:
    firm = create_enterprise(client)
    url = f"/api/v1/enterprises/{firm['id']}/contacts"
    made = records.created(client, url, {"name": "王丽", "phone": "13812345678", "email": "wang.li@example.cn",
                                         "notes": TYPED})
    return f"{url}/{made['id']}", url, {}


def _ip_right(client: TestClient) -> tuple[str, str, dict[str, Any]]:
    firm = create_enterprise(client)
    url = f"/api/v1/enterprises/{firm['id']}/ip-rights"
    made = records.created(client, url, {"number": "ZL202310123456.7", "kind": "invention_patent",
                                         "granted_on": "2024-01-01", "notes": TYPED})
    return f"{url}/{made['id']}", url, {}


def _application(client: TestClient) -> tuple[str, str, dict[str, Any]]:
    firm = create_enterprise(client)
    made = records.created(client, "/api/v1/applications", {
        "program": "high_tech", "enterprise_id": firm["id"], "year": 2025, "notes": TYPED})
    return f"/api/v1/applications/{made['id']}", "/api/v1/applications", {"enterprise_id": firm["id"]}


def _transition(client: TestClient) -> tuple[str, str, dict[str, Any]]:
    firm = create_enterprise(client)
    made = records.created(client, "/api/v1/applications", {
        "program": "high_tech", "enterprise_id": firm["id"], "year": 2025})
    moved = client.post(f"/api/v1/applications/{made['id']}/transitions", json={"to": "preparing", "note": TYPED})
    assert moved.status_code in (200, 201), moved.text
    url = f"/api/v1/applications/{made['id']}/transitions"
    return url, url, {}


def _visit(client: TestClient) -> tuple[str, str, dict[str, Any]]:
    firm = create_enterprise(client)
    made = records.created(client, "/api/v1/visits", {
        "enterprise_id": firm["id"], "visited_on": "2026-11-02", "kind": "on_site", "summary": TYPED,
        "purpose": TYPED, "participants": TYPED})
    return f"/api/v1/visits/{made['id']}", "/api/v1/visits", {"enterprise_id": firm["id"]}


def _demand(client: TestClient) -> tuple[str, str, dict[str, Any]]:
    firm = create_enterprise(client)
    made = records.created(client, "/api/v1/demands", {
        "enterprise_id": firm["id"], "category": "funding", "description": TYPED})
    return f"/api/v1/demands/{made['id']}", "/api/v1/demands", {"enterprise_id": firm["id"]}


def _policy(client: TestClient) -> tuple[str, str, dict[str, Any]]:
    made = create_policy(client, summary=TYPED)
    return f"/api/v1/policies/{made['id']}", "/api/v1/policies", {"q": made["title"]}


def _event(client: TestClient) -> tuple[str, str, dict[str, Any]]:
    made = create_event(client, notes=TYPED, location=f"区政府三楼 {TYPED}")
    return f"/api/v1/publicity-events/{made['id']}", "/api/v1/publicity-events", {"limit": 200}


def _contract(client: TestClient) -> tuple[str, str, dict[str, Any]]:
    firm = create_enterprise(client)
    made = records.contract(client, firm["id"], notes=TYPED)
    return f"/api/v1/technology-contracts/{made['id']}", "/api/v1/technology-contracts", {"enterprise_id": firm["id"]}


def _platform(client: TestClient) -> tuple[str, str, dict[str, Any]]:
    firm = create_enterprise(client)
    made = records.platform(client, firm["id"], notes=TYPED, evaluations=[
        {"evaluated_on": "2025-06-01", "result": "passed", "note": TYPED}])
    return f"/api/v1/innovation-platforms/{made['id']}", "/api/v1/innovation-platforms", {"enterprise_id": firm["id"]}


def _agreement(client: TestClient) -> tuple[str, str, dict[str, Any]]:
    firm = create_enterprise(client)
    made = records.agreement(client, firm["id"], notes=TYPED)
    return (f"/api/v1/cooperation-agreements/{made['id']}", "/api/v1/cooperation-agreements",
            {"enterprise_id": firm["id"]})


def _indicator(client: TestClient) -> tuple[str, str, dict[str, Any]]:
    made = records.indicator(client, notes=TYPED, source=f"区统计局 {TYPED}")
    return f"/api/v1/district-indicators/{made['id']}", "/api/v1/district-indicators", {"limit": 200}


def _target(client: TestClient) -> tuple[str, str, dict[str, Any]]:
    made = records.target(client, notes=TYPED)
    return f"/api/v1/yearly-targets/{made['id']}", "/api/v1/yearly-targets", {"limit": 200}


def _commissioner(client: TestClient) -> tuple[str, str, dict[str, Any]]:
    made = records.commissioner(client, notes=TYPED, employer=f"湖南农业大学 {TYPED}")
    return f"/api/v1/commissioners/{made['id']}", "/api/v1/commissioners", {"limit": 200}


def _service(client: TestClient) -> tuple[str, str, dict[str, Any]]:
    made = records.service(client, records.commissioner(client)["id"], notes=TYPED, place=f"河洑镇 {TYPED}")
    return f"/api/v1/commissioner-services/{made['id']}", "/api/v1/commissioner-services", {"limit": 200}


def _calendar(client: TestClient) -> tuple[str, str, dict[str, Any]]:
    made = records.created(client, "/api/v1/calendar", {
        "program": "high_tech", "year": 2031, "kind": "window_opens", "falls_on": "2031-05-06",
        "label": "第一批", "source": f"通知 {TYPED}"})
    return f"/api/v1/calendar/{made['id']}", "/api/v1/calendar", {"year": 2031}


def _timeline(client: TestClient) -> tuple[str, str, dict[str, Any]]:
    firm = create_enterprise(client)
    records.contract(client, firm["id"], notes=TYPED)
    records.created(client, "/api/v1/visits", {"enterprise_id": firm["id"], "visited_on": "2026-11-02",
                                               "kind": "phone", "summary": TYPED})
    url = f"/api/v1/enterprises/{firm['id']}/timeline"
    return url, url, {}


FAMILIES = [Family(f.__name__.strip("_"), f) for f in (
    _firm, _contact, _ip_right, _application, _transition, _visit, _demand, _policy, _event, _contract,
    _platform, _agreement, _indicator, _target, _commissioner, _service, _calendar, _timeline)]


def _assert_masked(text: str) -> None:
    leaked = [raw for raw in RAW if raw in text]
    assert not leaked, f"{leaked} in {text}"
    for masked in MASKED:
        assert masked in text


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.name)
def test_a_viewer_reads_free_text_masked_and_staff_read_it_whole(
    family: Family, client: TestClient, staff_client: TestClient, viewer_client: TestClient
) -> None:
    one, listed, params = family.make(client)
    for url, query in ((one, {}), (listed, params)):
        seen = viewer_client.get(url, params=query)
        assert seen.status_code == 200, seen.text
        _assert_masked(seen.text)
        whole = staff_client.get(url, params=query)
        assert whole.status_code == 200
        for raw in RAW[:4]:
            assert raw in whole.text


def test_the_masked_answer_keeps_its_headers(staff_client: TestClient, viewer_client: TestClient) -> None:
    one, _, _ = _visit(staff_client)
    seen, whole = viewer_client.get(one), staff_client.get(one)
    assert seen.headers["etag"] == whole.headers["etag"]
    assert seen.headers["content-type"] == "application/json"
    assert int(seen.headers["content-length"]) == len(seen.content)


def test_a_label_keyed_phone_is_not_taken_for_a_number() -> None:
    from app.enterprises.privacy import mask_personal

    assert mask_personal({"phone": "电话", "email": "无"}) == {"phone": "电话", "email": "无"}
    assert mask_personal({"phone": "0736-7788123-205"}) == {"phone": "0736-****8123"}
    # A token shown once is a secret, not personal data: masking would break it.
    assert mask_personal({"token": "sb_x-13812345678-y"}) == {"token": "sb_x-13812345678-y"}


@pytest.mark.parametrize("text", [
    "913812345678901234", "13812345678.00", "ZL202310123456.7", "GR202343001234", "2025430702000001",
    "2026-11-28T12:10:03.153079Z",
])
def test_codes_amounts_numbers_and_times_are_not_taken_for_phone_numbers(text: str) -> None:
    from app.enterprises.privacy import mask_text

    assert mask_text(text) == text


def test_a_mobile_with_the_country_code_is_masked_too() -> None:
    from app.enterprises.privacy import mask_text

    assert mask_text("+86 138 1234 5678；400-123-4567") == "138****5678；400****4567"


EXPORTS = {
    "enterprises": _firm, "applications": _application, "visits": _visit, "demands": _demand,
    "technology-contracts": _contract,
}


@pytest.mark.parametrize("kind", sorted(EXPORTS))
def test_a_viewers_exports_are_masked(kind: str, staff_client: TestClient, viewer_client: TestClient) -> None:
    EXPORTS[kind](staff_client)
    url = f"/api/v1/exports/{kind}"
    csv_text = viewer_client.get(f"{url}.csv", params={"lang": "en"}).content.decode("utf-8-sig")
    _assert_masked(csv_text)
    assert list(csv.reader(io.StringIO(csv_text)))
    workbook = load_workbook(io.BytesIO(viewer_client.get(f"{url}.xlsx").content), read_only=True)
    cells = "\n".join(str(v) for row in workbook.worksheets[0].iter_rows(values_only=True) for v in row if v)
    _assert_masked(cells)
    staff_csv = staff_client.get(f"{url}.csv", params={"lang": "en"}).content.decode("utf-8-sig")
    assert "wang.li@example.cn" in staff_csv
