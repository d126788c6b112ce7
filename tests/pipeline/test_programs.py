"""GET /programs, and a fifth program declared by this test alone served by the same routes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.fields import InputModel
from app.pipeline.declarations import (
    Program,
    Requirement,
    Stage,
    StageKind,
    Transition,
    register_program,
    unregister_program,
)
from tests.factories import create_enterprise
from tests.pipeline.helpers import URL


class TestListPrograms:
    def test_four_programs_with_labels_stages_and_requirements(self, viewer_client: TestClient) -> None:
        programs = {p["code"]: p for p in viewer_client.get("/api/v1/programs").json()}
        assert {"tech_sme", "high_tech", "rd_subsidy", "tech_loan"} <= set(programs)
        high_tech = programs["high_tech"]
        assert high_tech["label"] == "高新技术企业认定"
        assert high_tech["rule_version"] == "high_tech:2016.1"
        assert {"code": "recognized", "label": "已认定", "kind": "held"} in high_tech["stages"]
        recognized = next(t for t in high_tech["transitions"] if t["to"] == "recognized")
        assert recognized["sources"] == ["publicized"]
        assert recognized["requires"] == [{"field": "reference_no", "label": "高企证书编号"}]
        assert "previous_certificate_no" in high_tech["details_schema"]["properties"]
        assert programs["tech_loan"]["unique_per_year"] is False

    def test_one_program_and_unknown_code(self, client: TestClient) -> None:
        assert client.get("/api/v1/programs/rd_subsidy").json()["label"] == "研发财政奖补"
        assert client.get("/api/v1/programs/nope").status_code == 404


class PlatformDetails(InputModel):
    level: str | None = None


@pytest.fixture
def platform() -> Iterator[Program]:
    program = register_program(Program(
        code="platform", label="星创天地", description="A toy fifth program.", rule_version="platform:test",
        unique_per_year=True, details=PlatformDetails,
        stages=(Stage("candidate", "培育"), Stage("filed", "已申报"), Stage("certified", "已备案", StageKind.held),
                Stage("rejected", "未通过", StageKind.closed)),
        transitions=(Transition("filed", ("candidate",)),
                     Transition("certified", ("filed",), requires=(Requirement("reference_no", "备案编号"),)),
                     Transition("rejected", ("filed",))),
    ))
    yield program
    unregister_program(program.code)


class TestAFifthProgram:
    def test_served_and_driven_without_new_routes(self, client: TestClient, platform: Program) -> None:
        assert "platform" in [p["code"] for p in client.get("/api/v1/programs").json()]
        firm = create_enterprise(client)
        created = client.post(URL, json={"program": "platform", "enterprise_id": firm["id"], "year": 2024,
                                         "details": {"level": "国家级"}})
        assert created.status_code == 201, created.text
        url = f"{URL}/{created.json()['id']}/transitions"
        assert client.post(url, json={"to": "certified"}).status_code == 409
        assert client.post(url, json={"to": "filed"}).status_code == 201
        assert client.post(url, json={"to": "certified"}).status_code == 422
        done = client.post(url, json={"to": "certified", "reference_no": "XC-2024-01"})
        assert done.status_code == 201
        assert done.json()["application"]["allowed_transitions"] == []
        assert client.get(URL, params={"program": "platform", "stage": "certified"}).json()["total"] == 1
        assert client.post(URL, json={"program": "platform", "enterprise_id": firm["id"],
                                      "year": 2024}).status_code == 409
