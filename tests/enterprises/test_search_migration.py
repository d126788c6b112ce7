"""Migration 0019 indexes the names already there, keeps the index on every later write, and goes away whole
on downgrade."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select, text, update
from sqlalchemy.orm import Session

from app import migrate
from app.db import make_engine
from app.enterprises import search_totals
from app.enterprises.models import Contact, Enterprise
from app.enterprises.schemas import EnterpriseFilter
from app.enterprises.service import filtered_enterprises
from tests.support.databases import temporary_database

# Makes its own databases: not part of `make test-fast`.
pytestmark = pytest.mark.integration

BEFORE = "0011"


def _found(engine: Engine, q: str) -> set[str]:
    with Session(engine) as session:
        query = filtered_enterprises(EnterpriseFilter(q=q)).with_only_columns(Enterprise.name)
        return set(session.scalars(query))


def _grams_objects(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            names = connection.scalars(text("SELECT name FROM sqlite_master WHERE name LIKE '%grams%' "
                                            "OR name = 'seedbed_positions'"))
        else:
            names = connection.scalars(text(
                "SELECT indexname FROM pg_indexes WHERE indexname LIKE '%grams%' "
                "UNION ALL SELECT proname FROM pg_proc WHERE proname = 'seedbed_name_grams'"))
        return set(names)


def test_grams_of_existing_names_then_kept_then_dropped() -> None:
    with temporary_database("seedbed_grams") as url:
        migrate.upgrade(url, BEFORE)
        engine = make_engine(url)
        try:
            with Session(engine) as session, session.begin():
                machines = Enterprise(credit_code="91430702MA4L0000X1", name="常德市武陵区XX机械有限公司",
                                      district="丹阳街道")
                tech = Enterprise(credit_code="91430702MA4L0001X1", name="鼎城科技", district="丹阳街道")
                session.add_all([machines, tech])
                session.flush()
                session.add(Contact(enterprise_id=tech.id, name="王芳"))
            assert _grams_objects(engine) == set()

            migrate.upgrade(url)
            assert _grams_objects(engine)
            assert _found(engine, "机械") == {"常德市武陵区XX机械有限公司"}
            assert _found(engine, "王") == {"鼎城科技"}
            assert _found(engine, "xx 司") == {"常德市武陵区XX机械有限公司"}
            with engine.begin() as connection:  # SQL by hand: the triggers keep the grams
                connection.execute(update(Enterprise).where(Enterprise.name == "鼎城科技").values(name="鼎城电子"))
                connection.execute(update(Contact).values(name="李伟"))
            assert _found(engine, "科技") == set()
            assert _found(engine, "电子") == _found(engine, "李") == {"鼎城电子"}
            assert _found(engine, "王") == set()

            migrate.downgrade(url, BEFORE)
            assert _grams_objects(engine) == set()
            with engine.begin() as connection:  # writes need nothing of what went away
                connection.execute(update(Enterprise).where(Enterprise.name == "鼎城电子").values(name="鼎城光电"))
                connection.execute(text("DELETE FROM contacts"))
                assert connection.scalar(select(Enterprise.name).where(Enterprise.name == "鼎城光电")) == "鼎城光电"

            migrate.upgrade(url)
            assert _found(engine, "光电") == {"鼎城光电"}
            assert _found(engine, "李") == _found(engine, "电子") == set()
        finally:
            engine.dispose()


# 0019's body, as a query: the grams the indexes were built with.
_GRAMS_BY_QUERY = text(
    "SELECT e.name, coalesce(array_agg(DISTINCT substr(lower(e.name), n, k)), '{}') FROM enterprises AS e "
    "CROSS JOIN generate_series(1, length(lower(e.name))) AS n CROSS JOIN (VALUES (1), (2)) AS grams(k) "
    "WHERE n + k - 1 <= length(lower(e.name)) GROUP BY e.name")


def _grams_by_function(engine: Engine) -> dict[str, set[str]]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT name, seedbed_name_grams(name) FROM enterprises"))
        return {name: set(grams) for name, grams in rows}


def test_inlined_grams_are_the_grams_indexed_before() -> None:
    """Migration 0028 gives PostgreSQL the same grams in an expression it inlines; the indexes still serve."""
    names = ["常德市武陵区XX机械有限公司", "鼎城科技", "A", "Ab", "aBc", "湘 AB-1 (常德)", "一二一二一", "ÄÖ有限"]
    words = ["机械", "xx", "ab", "b", "c", "湘 ab", "二一", "一二一", "(常", "ä", "有限", "Z"]
    with temporary_database("seedbed_grams_inlined") as url:
        migrate.upgrade(url, "0027")
        engine = make_engine(url)
        try:
            with Session(engine) as session, session.begin():
                session.add_all(Enterprise(credit_code=f"91430702MA4L{n:04d}X1", name=name, district="丹阳街道")
                                for n, name in enumerate(names))
            postgresql = engine.dialect.name == "postgresql"
            if not postgresql:  # 0028 changes nothing on SQLite, whose search needs the later 0029
                migrate.upgrade(url)
            before = {word: _found(engine, word) for word in words}
            assert before["ab"] == {"Ab", "aBc", "湘 AB-1 (常德)"}
            assert before["Z"] == set()
            indexed = ({name: set(grams) for name, grams in engine.connect().execute(_GRAMS_BY_QUERY)}
                       if postgresql else {})

            migrate.upgrade(url)
            assert {word: _found(engine, word) for word in words} == before
            with Session(engine) as session, session.begin():  # indexed by the new body
                session.add(Enterprise(credit_code="91430702MA4L9999X1", name="新材料Ab", district="丹阳街道"))
            assert _found(engine, "ab") == before["ab"] | {"新材料Ab"}
            assert _found(engine, "材料") == {"新材料Ab"}
            after = {word: _found(engine, word) for word in words}
            if postgresql:
                inlined = _grams_by_function(engine)
                assert {name: inlined[name] for name in names} == indexed
                assert inlined["新材料Ab"] == {"新", "材", "料", "a", "b", "新材", "材料", "料a", "ab"}
                with engine.connect() as connection:
                    plan = "\n".join(connection.scalars(text(
                        "EXPLAIN SELECT id FROM enterprises WHERE seedbed_name_grams(name) @> ARRAY['ab']")))
                assert "regexp_replace" in plan
                assert "seedbed_name_grams" not in plan

            if postgresql:
                migrate.downgrade(url, "0027")  # a name the new body indexed is found by the old one
                assert {word: _found(engine, word) for word in words} == after
                assert {name: grams for name, grams in _grams_by_function(engine).items() if name in indexed} \
                    == indexed
        finally:
            engine.dispose()


def _firms_by_contact_grams(engine: Engine, gram: str) -> set[int]:
    with engine.connect() as connection:
        return set(connection.scalars(text("SELECT rowid FROM enterprise_contact_grams WHERE "
                                           "enterprise_contact_grams MATCH :g"), {"g": f'"{gram}"'}))


def test_each_firms_contact_grams_from_the_contacts_there() -> None:
    """Migration 0029 (SQLite) fills each firm's row from the contacts already there; its triggers follow later
    writes; a downgrade drops it. Either way, and on PostgreSQL (which has no such rows), the search finds and
    counts the firms whose contacts hold a word."""
    with temporary_database("seedbed_firm_contact_grams") as url:
        migrate.upgrade(url, "0028")
        engine = make_engine(url)
        sqlite = engine.dialect.name == "sqlite"
        try:
            with Session(engine, expire_on_commit=False) as session, session.begin():
                firms = [Enterprise(credit_code=f"91430700MA4L0000{i}X", name=f"常德{name}有限公司",
                                    district="丹阳街道") for i, name in enumerate(("机械", "科技", "材料"))]
                session.add_all(firms)
                session.flush()
                session.add_all([Contact(enterprise_id=firms[0].id, name="王伟"), Contact(enterprise_id=firms[0].id,
                                 name="李芳"), Contact(enterprise_id=firms[1].id, name="王芳")])
            ids = [firm.id for firm in firms]
            migrate.upgrade(url)
            assert ("enterprise_contact_grams" in _grams_objects(engine)) is sqlite
            if sqlite:
                assert _firms_by_contact_grams(engine, "王") == {ids[0], ids[1]}
                assert _firms_by_contact_grams(engine, "伟李") == set()  # grams never span two contacts
                assert _firms_by_contact_grams(engine, "芳") == {ids[0], ids[1]}
            assert _counted(engine, "王") == 2
            with Session(engine) as session, session.begin():
                session.execute(update(Contact).where(Contact.name == "王伟").values(enterprise_id=ids[2]))
            if sqlite:
                assert _firms_by_contact_grams(engine, "王伟") == {ids[2]}
                assert _firms_by_contact_grams(engine, "王") == {ids[1], ids[2]}
            assert _found(engine, "王") == {"常德科技有限公司", "常德材料有限公司"}
            assert _counted(engine, "王") == 2
            assert _counted(engine, "王 材料") == 1
            migrate.downgrade(url, "0028")
            assert "enterprise_contact_grams" not in _grams_objects(engine)
            migrate.upgrade(url)  # the rows made again from the contacts as they are now
            if sqlite:
                assert _firms_by_contact_grams(engine, "王") == {ids[1], ids[2]}
            assert _found(engine, "王") == {"常德科技有限公司", "常德材料有限公司"}
            assert _counted(engine, "王 材料") == 1
        finally:
            engine.dispose()


def _counted(engine: Engine, q: str) -> int | None:
    with Session(engine) as session:
        return search_totals.count_by_sets(session, q.split(), include_archived=False)
