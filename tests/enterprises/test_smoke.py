from fastapi.testclient import TestClient

from tests.factories import create_enterprise, if_match


class TestCreateAndRead:
    def test_created_firm_reads_back(self, client: TestClient) -> None:
        firm = create_enterprise(client, tags=["专精特新"])
        got = client.get(f"/api/v1/enterprises/{firm['id']}")
        assert got.status_code == 200
        assert got.json()["tags"] == ["专精特新"]
        assert got.headers["etag"] == '"1"'

    def test_patch_requires_if_match(self, client: TestClient) -> None:
        firm = create_enterprise(client)
        url = f"/api/v1/enterprises/{firm['id']}"
        assert client.patch(url, json={"name": "新名称"}).status_code == 428
        ok = client.patch(url, json={"name": "新名称"}, headers=if_match(firm))
        assert ok.status_code == 200, ok.text
        assert ok.json()["version"] == 2
        stale = client.patch(url, json={"name": "再改"}, headers=if_match(firm))
        assert stale.status_code == 412
