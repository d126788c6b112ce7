"""A firm's page names the innovation platforms it hosts that stand today, highest level first."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient

from app.fields import business_today
from tests.factories import create_enterprise, if_match
from tests.records.factories import platform


def test_standing_platforms_are_on_the_firm_page(client: TestClient) -> None:
    firm = create_enterprise(client)
    earlier = (business_today() - dt.timedelta(days=400)).isoformat()
    city = platform(client, firm["id"], name="常德市智能制造工程技术研究中心", level="municipal", recognised_on=earlier)
    province = platform(client, firm["id"], name="湖南省精密铸造重点实验室", kind="key_laboratory",
                        recognised_on=earlier)
    platform(client, firm["id"], name="已撤销的星创天地", kind="star_maker", recognised_on=earlier,
             revoked_on=(business_today() - dt.timedelta(days=10)).isoformat())
    archived = platform(client, firm["id"], name="已归档的研究中心", recognised_on=earlier)
    archived_url = f"/api/v1/innovation-platforms/{archived['id']}"
    assert client.delete(archived_url, headers=if_match(archived)).status_code == 204
    platform(client, create_enterprise(client)["id"], name="别家的研究中心", recognised_on=earlier)

    summary = client.get(f"/api/v1/enterprises/{firm['id']}").json()["status_summary"]
    assert [(p["id"], p["level"], p["kind"]) for p in summary["platforms"]] == [
        (province["id"], "provincial", "key_laboratory"), (city["id"], "municipal", "engineering_center")]


def test_a_firm_without_platforms_has_none(client: TestClient) -> None:
    firm = create_enterprise(client)
    assert client.get(f"/api/v1/enterprises/{firm['id']}").json()["status_summary"]["platforms"] == []
