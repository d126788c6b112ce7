"""The summary counts newly recognised firms (首次认定) apart from renewals (重新认定): Changde's one-off award
is for new recognitions "不含复评/重新认定"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient

from tests.factories import create_enterprise
from tests.pipeline.helpers import application_at, move


def _certificate(client: TestClient, firm: dict[str, Any], issued: dt.date) -> None:
    start = (issued - dt.timedelta(days=60)).isoformat()
    application = application_at(client, "high_tech", "publicized", enterprise_id=firm["id"], year=issued.year,
                                 on=start)
    assert move(client, application, "recognized", on=issued.isoformat()).status_code == 201


class TestFirstVersusRenewal:
    def test_split(self, client: TestClient) -> None:
        renewing, first = create_enterprise(client, registered_on="2010-01-01"), create_enterprise(
            client, registered_on="2010-01-01")
        _certificate(client, renewing, dt.date(2022, 3, 1))
        _certificate(client, renewing, dt.date(2025, 2, 20))
        _certificate(client, first, dt.date(2025, 6, 1))
        body = client.get("/api/v1/stats/summary", params={"year": 2025}).json()
        assert body["high_tech_newly_recognized"]["value"] == 1
        assert body["high_tech_renewed"]["value"] == 1
        earlier = client.get("/api/v1/stats/summary", params={"year": 2022}).json()
        assert (earlier["high_tech_newly_recognized"]["value"], earlier["high_tech_renewed"]["value"]) == (1, 0)
