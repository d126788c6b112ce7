"""A page of the firm list is kept per process for the state of the tables it was read from, and given again
only while that state is unchanged: after any write it reads — a firm, its tags, a contact, through the API or
SQL by hand — the page is read anew and equals the page read with nothing kept."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.enterprises import reads
from app.enterprises.schemas import EnterpriseFilter, EnterpriseRead
from app.http.pagination import Page, PageParams
from app.messages import RESPONSE_LANGUAGE
from tests.factories import create_enterprise, if_match

URL = "/api/v1/enterprises"
# The first page every clerk opens, a street's page, and searches by name, by a contact's name (three characters,
# two), and by code.
LISTS: list[dict[str, Any]] = [{}, {"district": "留存镇", "sort": "-registered_on"}, {"q": "留存"},
                               {"q": "留存员"}, {"q": "914307", "limit": 2}, {"q": "存员"}]


@pytest.fixture(autouse=True)
def _nothing_kept() -> None:
    reads.PAGES.clear()


def _page(client: TestClient, params: dict[str, Any]) -> dict[str, Any]:
    response = client.get(URL, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _bytes(client: TestClient, params: dict[str, Any]) -> bytes:
    response = client.get(URL, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    return response.content


def _check(client: TestClient) -> list[dict[str, Any]]:
    """Every list read twice, the second kept, both byte for byte the page read with nothing kept."""
    pages = []
    for params in LISTS:
        first = _bytes(client, params)
        hits = reads.PAGES.hits
        assert _bytes(client, params) == first
        assert reads.PAGES.hits == hits + 1, params
        kept = dict(reads.PAGES._kept)
        reads.PAGES.clear()
        assert _bytes(client, params) == first, params
        reads.PAGES._kept.update(kept)
        pages.append(json.loads(first))
    return pages


def _names(page: dict[str, Any]) -> list[str]:
    return [firm["name"] for firm in page["items"]]


def test_every_write_it_reads_shows_at_once(client: TestClient, session: Session) -> None:
    firm = create_enterprise(client, name="常德留存器材有限公司", district="留存镇")
    before = _check(client)
    assert "常德留存器材有限公司" in _names(before[2])
    assert _names(before[1])[0] == "常德留存器材有限公司"

    response = client.patch(f"{URL}/{firm['id']}", json={"name": "常德某某有限公司", "tags": ["瞪羚"]},
                            headers=if_match(firm))
    assert response.status_code == 200, response.text
    renamed = _check(client)
    assert "常德留存器材有限公司" not in _names(renamed[2])
    assert next(f for f in renamed[1]["items"] if f["id"] == firm["id"])["tags"] == ["瞪羚"]

    response = client.post(f"{URL}/{firm['id']}/contacts", json={"name": "留存员"})
    assert response.status_code == 201, response.text
    with_contact = _check(client)
    assert firm["id"] in [f["id"] for f in with_contact[3]["items"]]  # a contact's name finds its firm
    assert firm["id"] in [f["id"] for f in with_contact[5]["items"]]
    assert with_contact[5]["total"] == before[5]["total"] + 1

    session.execute(text("DELETE FROM enterprise_tags WHERE enterprise_id = :id"), {"id": firm["id"]})
    session.flush()
    assert next(f for f in _check(client)[1]["items"] if f["id"] == firm["id"])["tags"] == []

    current = client.get(f"{URL}/{firm['id']}").json()
    response = client.delete(f"{URL}/{firm['id']}", headers=if_match(current))
    assert response.status_code == 204, response.text
    archived = _check(client)
    assert firm["id"] not in [f["id"] for page in archived for f in page["items"]]


def test_each_page_and_filter_is_its_own(client: TestClient) -> None:
    for n in range(3):
        create_enterprise(client, name=f"常德留存{n}号有限公司")
    first, second = _page(client, {"q": "留存", "limit": 2}), _page(client, {"q": "留存", "limit": 2, "offset": 2})
    assert (first["total"], len(first["items"]), len(second["items"])) == (3, 2, 1)
    assert first["next"] is not None
    assert second["next"] is None
    assert not set(_names(first)) & set(_names(second))
    with_archived = _page(client, {"q": "留存", "include_archived": True, "limit": 2})
    assert (with_archived["items"], with_archived["total"]) == (first["items"], first["total"])
    assert "include_archived=true" in with_archived["next"]
    assert "include_archived" not in first["next"]
    assert reads.PAGES.misses == 3
    assert reads.PAGES.hits == 0


def test_warnings_are_in_each_answers_language(client: TestClient, session: Session) -> None:
    firm = create_enterprise(client, name="常德留存警示有限公司")
    # A code of an institution (12…), not an enterprise: read with a warning.
    code = "12" + firm["credit_code"][2:]
    session.execute(text("UPDATE enterprises SET credit_code = :code WHERE id = :id"), {"code": code, "id": firm["id"]})
    session.flush()
    english = _page(client, {"q": "留存警示"})["items"][0]["warnings"]
    response = client.get(URL, params={"q": "留存警示"}, headers={"Accept-Language": "zh"})
    chinese = response.json()["items"][0]["warnings"]
    assert reads.PAGES.hits == 1
    assert english
    assert chinese
    assert english != chinese


def test_pages_by_cursor_are_read_each_time(client: TestClient) -> None:
    create_enterprise(client, name="常德留存游标有限公司")
    params = {"updated_since": "2000-01-01T00:00:00Z", "limit": 1}
    assert _page(client, params) == _page(client, params)
    assert (reads.PAGES.misses, reads.PAGES.hits) == (0, 0)


def test_the_envelope_is_the_one_serialised_whole(client: TestClient, session: Session) -> None:
    for n in range(3):
        create_enterprise(client, name=f"常德留存{n}号有限公司")
    for params in ({"q": "留存", "limit": 2}, {"q": "留存", "limit": 2, "offset": 2}, {"q": "无此企业"}):
        body = _bytes(client, params)
        items, total = reads.list_page(session, filters=EnterpriseFilter(**params),
                                       page=PageParams(limit=params.get("limit", 50), offset=params.get("offset", 0),
                                                       url=URL, query=list(params.items())))
        whole = Page[EnterpriseRead].model_validate(
            {"items": items, "total": total, "limit": params.get("limit", 50), "offset": params.get("offset", 0),
             "next": json.loads(body)["next"]})
        language = RESPONSE_LANGUAGE.set("en")  # the test client's
        try:
            assert body == whole.model_dump_json().encode()
        finally:
            RESPONSE_LANGUAGE.reset(language)


def test_viewers_read_the_same_kept_page(client: TestClient, viewer_client: TestClient) -> None:
    create_enterprise(client, name="常德留存共用有限公司")
    assert _page(client, {"q": "留存"}) == _page(viewer_client, {"q": "留存"})
    assert reads.PAGES.hits == 1
