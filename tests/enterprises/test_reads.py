"""The firm list and one firm, read as rows, answer exactly what reading ORM objects answered: on random firms,
for every filter and sort the list takes, page after page (ties, archived firms, cursor pages), for staff and
for viewers, field for field and in the same order."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.enterprises.credit_code import ALPHABET, with_check_character
from app.enterprises.enums import EnterpriseStatus, Industry, TechDomain
from app.enterprises.models import Enterprise, EnterpriseTag
from app.enterprises.privacy import mask_personal
from app.enterprises.schemas import EnterpriseDetail, EnterpriseFilter, EnterpriseRead
from app.enterprises.service import SORTABLE, filtered_enterprises
from app.fields import business_today
from app.http.pagination import Cursor, Page, PageParams, paginate, parse_sort
from app.messages import RESPONSE_LANGUAGE
from app.pipeline import queries as pipeline
from app.platforms.enums import PlatformKind
from app.platforms.models import InnovationPlatform
from app.platforms.schemas import PlatformStanding
from app.platforms.service import standing_condition
from app.records.enums import AdministrativeLevel

URL = "/api/v1/enterprises"
TAGS = ("瞪羚", "专精特新", "Alpha", "alpha", "beta", "高新", "Zeta")
DAYS = (None, dt.date(2010, 5, 1), dt.date(2015, 3, 1), dt.date(2015, 3, 2), dt.date(2020, 1, 1))
REPEATABLE = frozenset({"id", "district", "park", "industry", "tech_domain", "tag", "status"})
MOMENTS = tuple(dt.datetime(2026, 1, 1, 8, tzinfo=dt.UTC) + dt.timedelta(minutes=m) for m in (0, 0, 5, 7, 7, 30))


@contextmanager
def in_english() -> Iterator[None]:
    # The answers are asked for with Accept-Language: en; the warnings of the expected ones are written the same.
    token = RESPONSE_LANGUAGE.set("en")
    try:
        yield
    finally:
        RESPONSE_LANGUAGE.reset(token)


def _code(rng: random.Random) -> str:
    prefix = rng.choice(("91430702", "91430703", "12430700", "93430725"))
    return with_check_character(prefix + "".join(rng.choice(ALPHABET) for _ in range(9)))


@pytest.fixture
def streets(session: Session) -> list[str]:
    """Random firms on three streets of this test's own: ties of dates and timestamps, archived firms, tags,
    credit codes with and without warnings, notes with phone numbers (masked for viewers), platforms."""
    rng = random.Random(20261128)
    run = uuid.uuid4().hex[:6]
    names = [f"{street}{run}" for street in ("丹阳街道", "武陵镇", "漳江镇")]
    for n in range(70):
        firm = Enterprise(
            credit_code=_code(rng),
            name=f"{rng.choice(('常德', '桃源', 'Hunan '))}{rng.choice(('科技', '机械', '软件'))}{run}{n:02d}有限公司",
            district=rng.choice(names), registered_on=rng.choice(DAYS),
            park=rng.choice((None, f"高新区{run}", f"经开区{run}")), industry=rng.choice((None, *Industry)),
            industry_code=rng.choice((None, "3911", "65")), tech_domain=rng.choice((None, *TechDomain)),
            above_scale=rng.random() < 0.4, address=rng.choice((None, f"常德市武陵区 {n} 号")),
            legal_representative=rng.choice((None, "王丽")), owner_id=rng.choice((None, 7, 8)),
            status=rng.choice(list(EnterpriseStatus)),
            notes=rng.choice((None, "", f"联系 138 1234 56{n:02d}，wang{n}@example.cn")),
            created_at=rng.choice(MOMENTS), updated_at=rng.choice(MOMENTS),
            archived_at=rng.choice(MOMENTS) if rng.random() < 0.2 else None)
        firm.tag_rows = [EnterpriseTag(tag=tag) for tag in rng.sample(TAGS, rng.randint(0, 4))]
        session.add(firm)
        session.flush()
        for _ in range(rng.choice((0, 0, 1, 2))):
            recognised = dt.date(rng.randint(2015, 2024), 6, 1)
            session.add(InnovationPlatform(
                name=f"平台{run}{firm.id}", kind=rng.choice(list(PlatformKind)).value,
                level=rng.choice(list(AdministrativeLevel)).value, enterprise_id=firm.id, recognised_on=recognised,
                revoked_on=rng.choice((None, recognised + dt.timedelta(days=400))),
                failed_on=rng.choice((None, None, recognised + dt.timedelta(days=900))), evaluations=[],
                archived_at=rng.choice((None, None, None, MOMENTS[0]))))
    session.commit()
    session.expire_all()
    return names


def _expected_page(session: Session, params: dict[str, Any], limit: int, offset: int,
                   after: Cursor | None = None) -> tuple[dict[str, Any], str | None]:
    """The page as the list read it through the ORM (whole firms, their tags loaded, validated one by one), and
    its link's next ``offset`` or ``after``."""
    filters = EnterpriseFilter.model_validate(
        {key: [value] if key in REPEATABLE and not isinstance(value, list) else value for key, value in params.items()})
    keyset = after is not None or ("updated_since" in params and "sort" not in params)
    page = PageParams(limit=limit, offset=offset, after=after, keyset=keyset, url=URL)
    order = parse_sort(filters.sort, SORTABLE, default=["id"], tiebreaker=Enterprise.id)
    rows, total = paginate(session, filtered_enterprises(filters), order, page)
    answer = Page(items=[EnterpriseRead.model_validate(r) for r in rows], total=total, limit=limit, offset=offset,
                  next=page.next_url(total))
    session.expire_all()
    with in_english():
        expected: dict[str, Any] = Page[EnterpriseRead].model_validate(answer.model_dump()).model_dump(mode="json")
    link = expected.pop("next")
    return expected, None if link is None else _following(link)


def _following(link: str) -> str:
    """Where a page's next link goes on: its ``after`` cursor or its ``offset``."""
    query = parse_qs(urlsplit(link).query)
    return (query.get("after") or query["offset"])[0]


def _pages(client: TestClient, session: Session, params: dict[str, Any], limit: int) -> int:
    """Every page of the list with ``params``, each checked against the ORM's; returns how many firms."""
    query: dict[str, Any] = {**params, "limit": limit}
    seen = 0
    for _ in range(100):
        response = client.get(URL, params=query)
        assert response.status_code == 200, response.text
        answer = response.json()
        link = answer.pop("next")
        after = Cursor.decode(query["after"]) if "after" in query else None
        expected, following = _expected_page(session, params, limit, int(query.get("offset", 0)), after)
        assert answer == expected, (params, query)
        assert [list(item) for item in answer["items"]] == [list(EnterpriseRead.model_fields)] * len(answer["items"])
        seen += len(answer["items"])
        if link is None:
            assert following is None
            assert seen == answer["total"]
            return seen
        assert _following(link) == following
        query = {key: values if len(values) > 1 else values[0]
                 for key, values in parse_qs(urlsplit(link).query).items()}
    raise AssertionError("more pages than firms")


COMBINATIONS: list[tuple[dict[str, Any], int]] = [
    ({"district": 0, "sort": "-registered_on"}, 7),
    ({"district": 0, "status": "active", "sort": "-registered_on"}, 5),
    ({"district": [0, 1], "include_archived": "true", "sort": "registered_on"}, 9),
    ({"district": 2, "sort": "-registered_on,name"}, 50),
    ({"tag": ["Alpha", "瞪羚"], "sort": "name,-id"}, 6),
    ({"park": "park", "industry": ["C", "I", "M"], "sort": "-credit_code"}, 4),
    ({"above_scale": "true", "tech_domain": ["new_energy", "biomedicine", "aerospace"], "sort": "district"}, 8),
    ({"owner_id": 7, "include_archived": "true", "sort": "-created_at"}, 5),
    ({"status": ["moved_out", "closed"], "sort": "-updated_at,registered_on"}, 6),
    ({"q": "科技", "sort": "-id"}, 10),
    ({"q": "软件 run"}, 3),
    # In id order, words that only names hold: the page is read from one names' index (SQLite).
    ({"q": "科技"}, 4),
    ({"q": "科技 有限"}, 6),
    ({"q": "run"}, 9),
    ({"q": "run", "include_archived": "true"}, 11),
    ({"updated_since": "2026-01-01T08:05:00Z"}, 4),
    ({"updated_since": "2026-01-01T08:00:00Z", "include_archived": "true"}, 7),
    ({"updated_since": "2026-01-01T08:07:00Z", "sort": "-updated_at"}, 3),
    ({}, 200),
]


def _concrete(params: dict[str, Any], streets: list[str]) -> dict[str, Any]:
    run = streets[0][-6:]
    concrete: dict[str, Any] = {}
    for key, value in params.items():
        if key == "district":
            concrete[key] = [streets[i] for i in value] if isinstance(value, list) else streets[value]
        elif key == "park":
            concrete[key] = f"高新区{run}"
        elif key == "q":
            concrete[key] = value.replace("run", run)
        else:
            concrete[key] = value
    return concrete


@pytest.mark.parametrize(("params", "limit"), COMBINATIONS)
def test_the_list_answers_as_it_did(client: TestClient, session: Session, streets: list[str],
                                    params: dict[str, Any], limit: int) -> None:
    concrete = _concrete(params, streets)
    assert _pages(client, session, concrete, limit) > 0


def test_the_list_of_a_street_at_any_offset(client: TestClient, session: Session, streets: list[str]) -> None:
    params = {"district": streets[0], "sort": "-registered_on"}
    for limit, offset in ((50, 0), (3, 2), (1, 11), (7, 14), (50, 1000)):
        answer = client.get(URL, params={**params, "limit": limit, "offset": offset}).json()
        link = answer.pop("next")
        assert (answer, None if link is None else _following(link)) == _expected_page(session, params, limit, offset)


def test_a_viewer_reads_the_list_masked_as_before(viewer_client: TestClient, session: Session,
                                                  streets: list[str]) -> None:
    params = {"district": streets[1], "sort": "-registered_on", "include_archived": "true"}
    answer = viewer_client.get(URL, params={**params, "limit": 50}).json()
    answer.pop("next")
    expected = mask_personal(_expected_page(session, params, 50, 0)[0])
    assert answer == expected
    assert any("138****56" in (item["notes"] or "") for item in answer["items"])


def _expected_firm(session: Session, firm_id: int) -> dict[str, Any]:
    """One firm as it was read: the ORM's firm, then its status summary with the platforms read as objects."""
    firm = session.get(Enterprise, firm_id)
    assert firm is not None
    today = business_today()
    summary = pipeline.status_summary(session, firm_id, today)
    platforms = [PlatformStanding.model_validate(row, from_attributes=True) for row in session.scalars(
        select(InnovationPlatform).where(InnovationPlatform.enterprise_id == firm_id,
                                         InnovationPlatform.archived_at.is_(None), standing_condition(today))
        .order_by(InnovationPlatform.recognised_on, InnovationPlatform.id))]
    summary.platforms = sorted(platforms, key=lambda p: list(AdministrativeLevel).index(p.level))
    with in_english():
        answer = EnterpriseDetail(**EnterpriseRead.model_validate(firm).model_dump(), status_summary=summary)
        expected: dict[str, Any] = answer.model_dump(mode="json")
    session.expire_all()
    return expected


def test_one_firm_answers_as_it_did(client: TestClient, viewer_client: TestClient, session: Session,
                                    streets: list[str]) -> None:
    firms = session.execute(select(Enterprise.id, Enterprise.version).where(Enterprise.district.in_(streets))).all()
    assert len(firms) == 70
    for firm_id, version in firms:
        response = client.get(f"{URL}/{firm_id}")
        assert response.status_code == 200, response.text
        expected = _expected_firm(session, firm_id)
        assert response.json() == expected
        assert list(response.json()) == list(expected)
        assert response.headers["etag"] == f'"{version}"'
        assert viewer_client.get(f"{URL}/{firm_id}").json() == mask_personal(expected)


def test_no_such_firm(client: TestClient, streets: list[str], session: Session) -> None:
    missing = (session.scalar(select(Enterprise.id).order_by(Enterprise.id.desc()).limit(1)) or 0) + 1
    response = client.get(f"{URL}/{missing}")
    assert response.status_code == 404
    assert response.json()["detail"] == f"No firm has id {missing}."
