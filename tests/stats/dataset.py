"""A small district built through the API, whose every summary figure is counted by hand in the tests.

Year under test 2025 (previous 2024). Firms: A and B above scale, C below, D founded mid-2025, E archived
at the end (its records must not count), G moved out. Dates sit on the year boundaries on purpose.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.factories import create_enterprise, if_match
from tests.pipeline.helpers import create_application, move
from tests.visits.factories import create_demand, create_event, create_visit


def _walk(client: TestClient, application: dict[str, Any], *steps: tuple[str, str], **fields: Any
          ) -> dict[str, Any]:
    for to, on in steps:
        response = move(client, application, to, on=on, **fields.get(to, {}))
        assert response.status_code == 201, response.text
        application = response.json()["application"]
    return application


def _archive(client: TestClient, url: str) -> None:
    current = client.get(url)
    assert current.status_code == 200, current.text
    response = client.delete(url, headers=if_match(current.json()))
    assert response.status_code == 204, response.text


def _figures(client: TestClient, firm: dict[str, Any], year: int, **values: str) -> None:
    response = client.put(f"/api/v1/enterprises/{firm['id']}/figures/{year}", json=values)
    assert response.status_code in (200, 201), response.text


def _app(client: TestClient, program: str, firm: dict[str, Any], year: int, on: str) -> dict[str, Any]:
    return create_application(client, program, enterprise_id=firm["id"], year=year, on=on)


def _resolve(client: TestClient, demand: dict[str, Any], on: str) -> None:
    response = client.post(f"/api/v1/demands/{demand['id']}/transitions",
                           json={"to": "resolved", "resolution": "已协调解决。", "resolved_on": on})
    assert response.status_code == 201, response.text


def build(client: TestClient) -> dict[str, dict[str, Any]]:
    a = create_enterprise(client, name="甲科技有限公司", above_scale=True, district="丹阳街道", industry="C")
    b = create_enterprise(client, name="乙科技有限公司", above_scale=True, district="丹阳街道", industry="I")
    c = create_enterprise(client, name="丙科技有限公司", district="河洑镇", industry="C")
    d = create_enterprise(client, name="丁科技有限公司", registered_on="2025-06-01", district="河洑镇")
    e = create_enterprise(client, name="戊科技有限公司", above_scale=True)
    create_enterprise(client, name="己科技有限公司", status="moved_out")

    # Tech-SME registrations: 2025 A, B (D's archived, E's firm archived, C only submitted); 2024 B.
    for firm, year in ((a, 2025), (b, 2025), (b, 2024), (e, 2025), (d, 2025)):
        application = _app(client, "tech_sme", firm, year, f"{year}-02-01")
        application = _walk(client, application, ("submitted", f"{year}-03-01"), ("registered", f"{year}-04-01"),
                            registered={"reference_no": f"{year}430702000123"})
        if firm is d:
            _archive(client, f"/api/v1/applications/{application['id']}")
    _walk(client, _app(client, "tech_sme", c, 2025, "2025-02-01"), ("submitted", "2025-03-01"))

    # High-tech: A recommended 2025-01-01, recognized 2025-06-01 (valid to 2028-05-31); B recommended
    # 2024-12-31; D recommended 2025 then rejected; E recommended 2025 (firm archived later).
    # Certificates: B issued 2023-01-01 (valid through 2025-12-31), C issued 2022-12-31 (through 2025-12-30).
    steps = (("submitted", "2025-02-01"), ("publicized", "2025-05-01"), ("recognized", "2025-06-01"))
    _walk(client, _app(client, "high_tech", a, 2025, "2024-12-01"), ("recommended", "2025-01-01"), *steps)
    _walk(client, _app(client, "high_tech", b, 2024, "2024-12-01"), ("recommended", "2024-12-31"))
    _walk(client, _app(client, "high_tech", d, 2025, "2025-03-01"), ("recommended", "2025-05-01"),
          ("rejected", "2025-09-01"))
    _walk(client, _app(client, "high_tech", e, 2025, "2025-03-01"), ("recommended", "2025-05-01"))
    for firm, issued, number in ((b, "2023-01-01", "GR202343000241"), (c, "2022-12-31", "GR202243000242")):
        year = int(issued[:4]) - 1
        _walk(client, _app(client, "high_tech", firm, year, f"{year}-10-01"), ("recommended", f"{year}-10-02"),
              ("submitted", f"{year}-10-03"), ("publicized", f"{year}-10-04"), ("recognized", issued),
              recognized={"reference_no": number})

    # R&D subsidies: 2025 A approved 300,000.00 and disbursed 250,000.00, B approved 120,000.50, C rejected;
    # 2024 D approved 100,000.00.
    review = ("under_review", "2025-04-01")
    _walk(client, _app(client, "rd_subsidy", a, 2025, "2025-03-01"), review, ("approved", "2025-05-01"),
          ("disbursed", "2025-06-01"), approved={"amount_approved": "300000.00"},
          disbursed={"amount_disbursed": "250000.00"})
    _walk(client, _app(client, "rd_subsidy", b, 2025, "2025-03-01"), review, ("approved", "2025-05-01"),
          approved={"amount_approved": "120000.50"})
    _walk(client, _app(client, "rd_subsidy", c, 2025, "2025-03-01"), review, ("rejected", "2025-05-01"))
    _walk(client, _app(client, "rd_subsidy", d, 2024, "2024-03-01"), ("under_review", "2024-04-01"),
          ("approved", "2024-05-01"), approved={"amount_approved": "100000.00"})

    # Loans, counted by disbursement date: A 2025-01-01 2,000,000.00 and 2025-12-31 500,000.00 (repaid
    # since); B 2024-12-31 1,000,000.00; C only approved; D's disbursed loan archived.
    def loan(firm: dict[str, Any], year: int, disbursed_on: str, amount: str, *more: tuple[str, str]
             ) -> dict[str, Any]:
        return _walk(client, _app(client, "tech_loan", firm, year, f"{year}-01-01"),
                     ("bank_review", f"{year}-01-01"), ("approved", f"{year}-01-01"),
                     ("disbursed", disbursed_on), *more,
                     approved={"amount_approved": amount, "details": {"term_months": 12, "annual_rate": "3.4500"}},
                     disbursed={"amount_disbursed": amount, "valid_until": "2026-12-31"})

    loan(a, 2025, "2025-01-01", "2000000.00")
    loan(a, 2025, "2025-12-31", "500000.00", ("repaid", "2026-01-10"))
    loan(b, 2024, "2024-12-31", "1000000.00")
    _walk(client, _app(client, "tech_loan", c, 2025, "2025-01-01"), ("bank_review", "2025-01-02"),
          ("approved", "2025-01-03"),
          approved={"amount_approved": "800000.00", "details": {"term_months": 12, "annual_rate": "3.4500"}})
    archived_loan = loan(d, 2025, "2025-03-01", "1000000.00")
    _archive(client, f"/api/v1/applications/{archived_loan['id']}")

    # Annual figures: R&D of above-scale firms only; high-tech income of all live firms.
    _figures(client, a, 2025, rd_expense="1000000.50", high_tech_income="5000000.00")
    _figures(client, a, 2024, rd_expense="800000.00")
    _figures(client, b, 2025, rd_expense="2000000.00", high_tech_income="1000000.25")
    _figures(client, c, 2025, rd_expense="300000.00", high_tech_income="700000.00")
    _figures(client, e, 2025, rd_expense="9999999.00", high_tech_income="9999999.00")

    # Visits: 2025 A twice, B on 12-31, D's archived, E's firm archived; 2024 C on 12-31.
    for firm, on in ((a, "2025-01-01"), (a, "2025-06-01"), (b, "2025-12-31"), (c, "2024-12-31"), (e, "2025-04-04")):
        create_visit(client, firm["id"], visited_on=on)
    _archive(client, f"/api/v1/visits/{create_visit(client, d['id'], visited_on='2025-03-03')['id']}")

    # Demands: A on time, B a day late, C raised 2024 without a due date and resolved 2025, D open,
    # a second of A's archived, E's resolved on time (its firm archived).
    _resolve(client, create_demand(client, a["id"], raised_on="2025-02-01", due_on="2025-03-01"), "2025-02-20")
    _resolve(client, create_demand(client, b["id"], raised_on="2025-02-01", due_on="2025-03-01"), "2025-03-02")
    _resolve(client, create_demand(client, c["id"], raised_on="2024-12-01"), "2025-01-05")
    create_demand(client, d["id"], raised_on="2025-05-01")
    _archive(client, f"/api/v1/demands/{create_demand(client, a['id'], raised_on='2025-06-01')['id']}")
    _resolve(client, create_demand(client, e["id"], raised_on="2025-04-04", due_on="2025-05-01"), "2025-04-10")

    # Publicity: 2025-01-01 A×3 + B×2 (head-count their sum, 5); 2025-12-31 head-count 40 with A and E;
    # an archived 2025 event with C; 2024-12-31 head-count 10 with C.
    create_event(client, held_on="2025-01-01", attendance=[{"enterprise_id": a["id"], "attendee_count": 3},
                                                           {"enterprise_id": b["id"], "attendee_count": 2}])
    create_event(client, held_on="2025-12-31", headcount=40, attendance=[{"enterprise_id": a["id"]},
                                                                         {"enterprise_id": e["id"]}])
    archived_event = create_event(client, held_on="2025-05-05", attendance=[{"enterprise_id": c["id"]}])
    _archive(client, f"/api/v1/publicity-events/{archived_event['id']}")
    create_event(client, held_on="2024-12-31", headcount=10, attendance=[{"enterprise_id": c["id"]}])

    _archive(client, f"/api/v1/enterprises/{e['id']}")
    return {"a": a, "b": b, "c": c, "d": d, "e": e}
