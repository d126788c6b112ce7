"""Search: every word narrows; a word is part of a name, the start of a credit code or part of a contact's name.
Words of three characters or more are answered from the trigram indexes, shorter ones from the names' grams
(each character and pair of characters) — both give what a plain scan gives, also after firms and contacts
change."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, event, func, select
from sqlalchemy.orm import Session

from app.enterprises import reads, search, search_totals
from app.enterprises.credit_code import normalize
from app.enterprises.models import Contact, Enterprise
from app.enterprises.schemas import EnterpriseFilter
from app.enterprises.service import filtered_enterprises
from app.http import counts
from app.http.pagination import PageParams
from tests.factories import create_enterprise, if_match
from tests.support.databases import backend_name

# A small alphabet, so that random words often occur in several names.
CHINESE = "常德武陵区机械科技有限公司鼎城新材料张王李伟芳"
LATIN = "AbXy"
# Characters a tokenizer or a LIKE pattern could take for something else, and a space inside names.
OTHER = "-*\"'_% ("


def _found(client: TestClient, q: str) -> set[int]:
    response = client.get("/api/v1/enterprises", params={"q": q, "limit": 200})
    assert response.status_code == 200, response.text
    return {item["id"] for item in response.json()["items"]}


class TestSearchApi:
    def test_several_words_narrow(self, client: TestClient) -> None:
        wanted = create_enterprise(client, name="常德市武陵区XX机械有限公司")
        other_street = create_enterprise(client, name="常德市鼎城区XX机械有限公司")
        not_machines = create_enterprise(client, name="常德市武陵区XX科技有限公司")
        assert _found(client, "武陵 机械") == {wanted["id"]}
        assert _found(client, "机械") >= {wanted["id"], other_street["id"]}
        assert not_machines["id"] not in _found(client, "武陵区 机械")

    def test_a_contacts_name_and_a_credit_code_prefix(self, client: TestClient) -> None:
        firm = create_enterprise(client, name="常德某某新材料有限公司")
        response = client.post(f"/api/v1/enterprises/{firm['id']}/contacts", json={"name": "欧阳建国"})
        assert response.status_code == 201, response.text
        assert firm["id"] in _found(client, "欧阳建国")
        assert firm["id"] in _found(client, "建国")  # two characters: from the grams
        assert firm["id"] in _found(client, "欧")  # one character
        assert firm["id"] in _found(client, firm["credit_code"][:10].lower())
        assert firm["id"] in _found(client, "欧阳建国 新材料")
        assert firm["id"] not in _found(client, firm["credit_code"][2:12])  # codes match from their start

    def test_a_renamed_firm_is_found_by_its_new_name_only(self, client: TestClient) -> None:
        firm = create_enterprise(client, name="常德旧名字有限公司")
        response = client.patch(f"/api/v1/enterprises/{firm['id']}", json={"name": "常德新名字有限公司"},
                                headers=if_match(firm))
        assert response.status_code == 200, response.text
        assert firm["id"] in _found(client, "新名字")
        assert firm["id"] not in _found(client, "旧名字")


def _code(rng: random.Random) -> str:
    return "91" + "".join(rng.choice("0123456789ABCDE") for _ in range(16))


def _text(rng: random.Random, low: int, high: int) -> str:
    return "".join(rng.choice(CHINESE + LATIN + OTHER) for _ in range(rng.randint(low, high)))


def _matches(word: str, name: str, code: str, contacts: list[str]) -> bool:
    code_prefix = normalize(word)
    return (word.lower() in name.lower() or any(word.lower() in contact.lower() for contact in contacts)
            or (bool(code_prefix) and code.startswith(code_prefix)))


def _expected(q: str, firms: dict[int, tuple[str, str]], contacts: dict[int, tuple[int, str]]) -> set[int]:
    names_of: dict[int, list[str]] = {firm_id: [] for firm_id in firms}
    for firm_id, name in contacts.values():
        names_of[firm_id].append(name)
    return {firm_id for firm_id, (name, code) in firms.items()
            if all(_matches(word, name, code, names_of[firm_id]) for word in q.split())}


def _searched(session: Session, q: str, ids: set[int], *, walk: bool = False, names: bool = False) -> set[int]:
    query = filtered_enterprises(EnterpriseFilter(q=q, include_archived=True), walk=walk, names=names
                                 ).with_only_columns(Enterprise.id)
    return set(session.scalars(query)) & ids


def _queries(rng: random.Random, firms: dict[int, tuple[str, str]], contacts: dict[int, tuple[int, str]]
             ) -> list[str]:
    sources = [name for name, _code in firms.values()] + [name for _firm, name in contacts.values()]
    queries = []
    for _ in range(60):
        source = rng.choice(sources)
        length = rng.randint(1, 5)
        start = rng.randrange(max(1, len(source) - length + 1))
        word = source[start:start + length]
        queries.append(word.swapcase() if rng.random() < 0.2 else word)
    for _ in range(20):
        queries.append(rng.choice(list(firms.values()))[1][:rng.randint(2, 12)])
    for _ in range(30):
        queries.append(f"{_text(rng, 1, 4)} {_text(rng, 1, 4)}")
    return queries


def test_same_firms_as_a_plain_scan_on_random_data(session: Session) -> None:
    rng = random.Random(1928)
    rows = [Enterprise(credit_code=_code(rng), name=_text(rng, 3, 14), district="丹阳街道") for _ in range(120)]
    session.add_all(rows)
    session.flush()
    firms = {row.id: (row.name, row.credit_code) for row in rows}
    contact_rows = [Contact(enterprise_id=rng.choice(rows).id, name=_text(rng, 2, 5)) for _ in range(150)]
    session.add_all(contact_rows)
    session.flush()
    contacts = {row.id: (row.enterprise_id, row.name) for row in contact_rows}

    for row in rng.sample(rows, 15):
        row.archived_at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    session.flush()
    counted_from_index = counted_by_sets = 0

    def check() -> None:
        nonlocal counted_from_index, counted_by_sets
        for q in _queries(rng, firms, contacts):
            expected = _expected(q, firms, contacts)
            assert _searched(session, q, set(firms)) == expected, q
            assert _searched(session, q, set(firms), walk=True) == expected, q  # firm by firm, for a page
        # A one-word total from the names' index alone is the total counted; words most names hold too.
        for q in [*_queries(rng, firms, contacts), *CHINESE, *(rng.choice(CHINESE) + "有" for _ in range(10))]:
            for archived in (True, False):
                quick = search_totals.count_by_names(session, q.split(), include_archived=archived)
                if quick is not None:
                    counted_from_index += 1
                    assert quick == _total(session, q, archived), (q, archived)
                    if backend_name() != "sqlite":  # the page is then read from the names' indexes alone
                        assert _searched(session, q, set(firms), names=True) == _expected(q, firms, contacts), q
                # The count of the others: each word's firms, intersected (SQLite: but a word its index splits).
                by_sets = search_totals.count_by_sets(session, q.split(), include_archived=archived)
                if not q.split() or (backend_name() == "sqlite"
                                     and any(search._SPLITS_GRAMS.search(w) for w in q.split())):
                    assert by_sets is None
                else:
                    counted_by_sets += 1
                    assert by_sets == _total(session, q, archived), (q, archived)

    check()
    # The indexes follow every change: renamed firms and contacts, deleted contacts, a deleted firm.
    for row in rng.sample(rows, 40):
        row.name = _text(rng, 3, 14)
        firms[row.id] = (row.name, row.credit_code)
    for contact in rng.sample(contact_rows, 40):
        contact.name = _text(rng, 2, 5)
        contacts[contact.id] = (contact.enterprise_id, contact.name)
    for contact in rng.sample(contact_rows, 30):
        session.delete(contact)
        contacts.pop(contact.id, None)
    # Contacts moved to another firm, and new ones beside a firm's others.
    for contact in rng.sample([c for c in contact_rows if c.id in contacts], 20):
        contact.enterprise_id = rng.choice(rows[2:]).id
        contacts[contact.id] = (contact.enterprise_id, contact.name)
    added = [Contact(enterprise_id=rng.choice(rows[2:]).id, name=_text(rng, 2, 5)) for _ in range(30)]
    session.add_all(added)
    contact_rows += added
    session.flush()
    contacts.update({contact.id: (contact.enterprise_id, contact.name) for contact in added})
    gone = rows[0]
    for contact in [c for c in contact_rows if c.enterprise_id == gone.id and c.id in contacts]:
        session.delete(contact)
        contacts.pop(contact.id)
    session.delete(gone)
    del firms[gone.id]
    session.flush()
    # A firm deleted with its contacts still on it: the foreign key deletes them.
    cascaded = rows[1]
    session.execute(Contact.__table__.insert().values(enterprise_id=cascaded.id, name="王" + _text(rng, 1, 3)))
    session.execute(Enterprise.__table__.delete().where(Enterprise.id == cascaded.id))
    session.expunge_all()
    del firms[cascaded.id]
    contacts = {cid: (firm, name) for cid, (firm, name) in contacts.items() if firm != cascaded.id}
    check()
    # Most of the words are counted from the names alone (the rest: a contact's name or a code holds them).
    assert counted_from_index > 20
    assert counted_by_sets > 100


FIRM_CHARACTERS = "常德武陵区机械科技有限公司鼎城新材料"


def _firms_named_from(session: Session, rng: random.Random, characters: str, firms: int) -> list[Enterprise]:
    """``firms`` firms whose names are 3 to 10 of ``characters``: many share words of one, two or three."""
    rows = [Enterprise(credit_code=_code(rng), district="丹阳街道",
                       name="".join(rng.choice(characters) for _ in range(rng.randint(3, 10)))) for _ in range(firms)]
    session.add_all(rows)
    session.flush()
    return rows


@pytest.mark.parametrize("matches_per_archived_name", [0, 10**9])
def test_totals_from_the_names_indexes(session: Session, monkeypatch: pytest.MonkeyPatch,
                                       matches_per_archived_name: int) -> None:
    """The firms whose names hold the words, counted in the names' indexes, less the archived among them (SQLite:
    whichever way round it finds those, the archived firms' names read or each match checked against the archived;
    PostgreSQL: the grams' and trigram indexes, ideographs from the grams alone): the total counted."""
    monkeypatch.setattr(search_totals, "MATCHES_PER_ARCHIVED_NAME", matches_per_archived_name)
    rng = random.Random(2611)
    rows = _firms_named_from(session, rng, FIRM_CHARACTERS, 200)
    firm_chars = FIRM_CHARACTERS
    words = [*firm_chars, *(a + b for a, b in zip(firm_chars, firm_chars[1:], strict=False)), "机械科", "王", "91",
             "武陵 机械", "科 有限", "机械科 有", "材料 新材 科", "常 武陵 王"]
    # No firm archived yet: nothing is taken away.
    for word in words:
        quick = search_totals.count_by_names(session, word.split(), include_archived=False)
        assert quick is None or quick == _total(session, word, False), word
    for row in rng.sample(rows, 40):
        row.archived_at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    session.add_all(Contact(enterprise_id=rng.choice(rows).id, name=rng.choice("张王李伟芳") + rng.choice("张王李伟芳"))
                    for _ in range(50))
    session.flush()
    totals = {}
    for word in words:
        for archived in (True, False):
            quick = search_totals.count_by_names(session, word.split(), include_archived=archived)
            if quick is not None:
                totals[word, archived] = quick
                assert quick == _total(session, word, archived), (word, archived)
    assert ("王", True) not in totals  # a contact's name holds it
    assert ("常 武陵 王", True) not in totals
    assert {("武陵 机械", True), ("机械科 有", True), ("材料 新材 科", True)} <= totals.keys()
    assert ("91", True) not in totals  # credit codes start with it
    assert len(totals) > len(words)
    assert any(totals[word, True] > totals[word, False] for word, archived in totals if (word, False) in totals)


def test_a_page_read_from_the_names_index_is_the_page_counted(session: Session) -> None:
    """SQLite reads a page of words only names hold from one names' index, in its rowid order: the same firms at
    every offset as the straightforward query in id order, archived ones in or out."""
    rng = random.Random(1130)
    rows = _firms_named_from(session, rng, FIRM_CHARACTERS, 150)
    for row in rng.sample(rows, 30):
        row.archived_at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    session.flush()
    from_index = 0
    for q in ("机械", "科技 有限", "新材料", "武陵区机", "有", "科 技", "城新 鼎城", "械科技有"):
        for archived in (True, False):
            filters = EnterpriseFilter(q=q, include_archived=archived)
            every = session.scalars(filtered_enterprises(filters).with_only_columns(Enterprise.id)
                                    .order_by(Enterprise.id)).all()
            for limit, offset in ((50, 0), (7, 3), (5, 40), (50, 1000)):
                page = PageParams(limit=limit, offset=offset, url="/x")
                items, total = reads.list_page(session, filters=filters, page=page)
                assert (total, [item["id"] for item in items]) == (len(every), every[offset:offset + limit]), q
            counted = search_totals.count_by_names(session, q.split(), include_archived=archived)
            if counted is not None and len({len(w) >= 3 for w in q.split()}) == 1:
                found = search_totals.page_by_names(session, q.split(), reads.COLUMNS, include_archived=archived,
                                             limit=50, offset=0)
                if backend_name() != "sqlite":  # PostgreSQL reads the page through filtered_enterprises(names=True)
                    assert found is None
                    continue
                assert found is not None
                assert [row.id for row in found] == every[:50]
                from_index += 1
    assert from_index > (10 if backend_name() == "sqlite" else -1)


def _total(session: Session, q: str, include_archived: bool) -> int:
    query = filtered_enterprises(EnterpriseFilter(q=q, include_archived=include_archived))
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


def _plan(session: Session, connection: Connection, q: str) -> str:
    """The plan of the search's statement as sent, with its parameters."""
    captured: list[tuple[str, Any]] = []

    def grab(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        captured.append((statement, parameters))

    query = filtered_enterprises(EnterpriseFilter(q=q)).with_only_columns(Enterprise.id)
    event.listen(connection, "before_cursor_execute", grab)
    try:
        session.scalars(query).all()
    finally:
        event.remove(connection, "before_cursor_execute", grab)
    statement, parameters = captured[-1]
    if connection.dialect.name == "sqlite":
        rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
        return " | ".join(row[-1] for row in rows)
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")  # a handful of rows: show the index can serve
    return " | ".join(row[0] for row in connection.exec_driver_sql("EXPLAIN " + statement, parameters).all())


def test_words_of_three_characters_use_the_trigram_indexes(session: Session, connection: Connection) -> None:
    session.add(Enterprise(credit_code=_code(random.Random(3)), name="常德市武陵区XX机械有限公司", district="丹阳街道"))
    session.flush()
    plan = _plan(session, connection, "武陵区 机械厂")
    if backend_name() == "sqlite":
        assert "VIRTUAL TABLE INDEX 0:M" in plan, plan  # FTS5 MATCH on both names
        assert plan.count("VIRTUAL TABLE INDEX") == 4, plan
        assert "SCAN enterprises" not in plan, plan
    else:
        assert "ix_enterprises_name_trgm" in plan, plan
        assert "ix_contacts_name_trgm" in plan, plan
        assert "Seq Scan" not in plan, plan


def test_words_of_one_or_two_characters_use_the_grams_indexes(session: Session, connection: Connection) -> None:
    session.add(Enterprise(credit_code=_code(random.Random(4)), name="常德市武陵区XX机械有限公司", district="丹阳街道"))
    session.flush()
    for q in ("机械", "武陵 王", "Xx"):
        plan = _plan(session, connection, q)
        if backend_name() == "sqlite":
            assert "SCAN enterprise_name_grams VIRTUAL TABLE INDEX 0:M" in plan, plan
            assert "SCAN enterprise_contact_grams VIRTUAL TABLE INDEX 0:M" in plan, plan
            assert plan.count("VIRTUAL TABLE INDEX") == 2 * len(q.split()), plan
            assert "SCAN enterprises" not in plan, plan
            assert "SCAN contacts" not in plan, plan
        else:
            assert "ix_enterprises_name_grams" in plan, plan
            assert "ix_contacts_name_grams" in plan, plan
            assert "Seq Scan" not in plan, plan


def _equal_on_a_btree(parameter: str) -> bool:
    return parameter.startswith("credit_code") or parameter == "gram"


def test_a_search_word_is_written_into_postgresql_statements_only(session: Session, connection: Connection,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL: every statement of a search has its words written into it, not sent as parameters — a statement
    psycopg prepares (from its sixth run) would otherwise get a plan made for no word in particular; a word holding
    a quote or a percent sign is written escaped. SQLite, which plans each statement for its values, is sent them
    as parameters, so a statement is prepared once for every word. Either way a credit code's range, and the gram
    looked up in the PostgreSQL ledger of grams' firms, are parameters: their B-trees read them the same way for
    every value."""
    session.add(Enterprise(credit_code=_code(random.Random(6)), name="常德市武陵区XX机械有限公司", district="丹阳街道"))
    session.flush()
    session.add(Contact(enterprise_id=session.scalar(select(func.max(Enterprise.id))), name="王机械"))
    session.flush()
    postgresql = backend_name() == "postgresql"
    sent: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        sent.append((statement, parameters))

    event.listen(connection, "before_cursor_execute", record)
    try:
        for walk in (False, True):  # the page from the indexes, and walked firm by firm
            monkeypatch.setattr(search, "walk_pays", lambda *_args, walked=walk: walked)
            for q in ["机械", "常德", "武陵 机械", "有限", "陵区", "O'k", "50%", "新材料", "王", "王 机械"] * 2:
                sent.clear()
                counts.COUNTS.clear()
                reads.PAGES.clear()
                reads.list_page(session, filters=EnterpriseFilter(q=q), page=PageParams(limit=50, offset=0))
                for word in q.split():
                    values = [value for _statement, parameters in sent for key, value in (
                        parameters.items() if isinstance(parameters, dict) else enumerate(parameters or ()))
                        if isinstance(value, str) and word in value and not _equal_on_a_btree(str(key))]
                    if postgresql:
                        assert not values, (q, values)
                        # As a LIKE pattern, quoted as SQL quotes it, its percent signs doubled for psycopg.
                        written = search._escape_like(word).replace("'", "''").replace("%", "%%")
                        assert any(written in statement for statement, _ in sent), (q, sent)
                    else:
                        assert values, (q, sent)
                        assert not any(word in statement for statement, _ in sent), (q, sent)
    finally:
        event.remove(connection, "before_cursor_execute", record)


@pytest.mark.skipif(backend_name() != "postgresql", reason="PostgreSQL's planner settings")
def test_postgresql_counts_words_through_the_indexes_bitmaps(session: Session, connection: Connection) -> None:
    """Both counts of a search by words leave the planner only the indexes' bitmaps: for a word most names hold it
    would read the whole table and compute every firm's grams instead (3.4 s at a million firms)."""
    # Words no other test's firm or contact holds: counted from the names alone.
    session.add(Enterprise(credit_code=_code(random.Random(7)), name="常德市鑫淼垚机械有限公司", district="丹阳街道"))
    session.flush()
    sent: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(statement)

    event.listen(connection, "before_cursor_execute", record)
    try:
        counts = ((search_totals.count_by_names, ["鑫淼", "垚"]), (search_totals.count_by_sets, ["王", "有限"]))
        for count, words in counts:
            sent.clear()
            assert count(session, words, include_archived=False) is not None, count
            counted = next(i for i, statement in enumerate(sent) if "count(*)" in statement)
            settings = " ".join(statement for statement in sent[:counted] if "set_config" in statement)
            for way in ("seqscan", "indexscan", "indexonlyscan"):
                assert f"set_config('enable_{way}', 'off', true)" in settings, (count, sent)
    finally:
        event.remove(connection, "before_cursor_execute", record)


def test_a_word_holding_a_control_character_is_still_found(session: Session) -> None:
    """The SQLite grams' tokenizer splits at control characters: such a word is matched by reading the names."""
    firm = Enterprise(credit_code=_code(random.Random(5)), name="常德\x01机械", district="丹阳街道")
    session.add(firm)
    session.flush()
    assert _searched(session, "德\x01", {firm.id}) == {firm.id}
    assert _searched(session, "\x01机", {firm.id}) == {firm.id}
    assert _searched(session, "\x01\x01", {firm.id}) == set()


class TestPagesOfCommonWords:
    """A word most firms match: the page is read by walking the firms in id order, the same page as the indexes
    give."""

    def test_the_walked_pages_are_the_indexed_pages(self, client: TestClient, session: Session,
                                                    connection: Connection, monkeypatch: pytest.MonkeyPatch) -> None:
        # Walked whatever other firms the database holds.
        monkeypatch.setattr(search, "walk_pays", lambda *_args: True)
        firms = [create_enterprise(client, name=f"常德{n}号科技有限公司")["id"] for n in range(25)]
        client.post(f"/api/v1/enterprises/{firms[3]}/contacts", json={"name": "王科技"})
        statements: list[str] = []
        sent: list[tuple[str, Any]] = []

        def grab(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
            statements.append(statement)
            sent.append((statement, parameters))

        indexed = filtered_enterprises(EnterpriseFilter(q="科技 有限")).with_only_columns(Enterprise.id)
        expected = list(session.scalars(indexed.order_by(Enterprise.id)))
        event.listen(connection, "before_cursor_execute", grab)
        try:
            pages = [client.get("/api/v1/enterprises", params={"q": "科技 有限", "limit": 10, "offset": offset})
                     for offset in (0, 10, 20)]
        finally:
            event.remove(connection, "before_cursor_execute", grab)
        assert [p.status_code for p in pages] == [200] * 3
        assert [item["id"] for p in pages for item in p.json()["items"]] == expected
        assert {p.json()["total"] for p in pages} == {len(expected)}
        walked = [s for s in statements if "LIMIT" in s and "enterprises.name" in s and "LIKE" in s]
        assert len(walked) == 3, statements
        if backend_name() == "postgresql":  # each firm walked has its own contacts looked at, not every contact
            statement, parameters = next((s, p) for s, p in sent if s == walked[0])
            plan = "\n".join(row[0] for row in connection.exec_driver_sql("EXPLAIN " + statement, parameters))
            assert "SubPlan" in plan, plan
            assert "hashed SubPlan" not in plan, plan
            assert "Semi Join" not in plan, plan

    def test_walking_pays_for_dense_words_only(self, session: Session) -> None:
        session.add_all(Enterprise(credit_code=_code(random.Random(n)), name=f"常德{n}", district="丹阳街道")
                        for n in range(10))
        session.flush()
        firms = session.scalar(select(func.max(Enterprise.id))) or 0
        assert search.walk_pays(session, firms, 50) is True  # every firm matches
        assert search.walk_pays(session, 0, 50) is False
        assert search.walk_pays(session, 1, 50 * firms) is False  # a rare word: the walk would read them all
