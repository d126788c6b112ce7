"""A word of one or two ideographs that only names hold is counted exactly after every kind of write: on PostgreSQL
from ``name_gram_counts`` (migration 0030, a ledger statement triggers append to and now and then fold), on SQLite
from the names' FTS5 index."""

from __future__ import annotations

import datetime as dt
import random
import threading

from alembic.script import ScriptDirectory
from sqlalchemy import Engine, delete, insert, select, text, update
from sqlalchemy.orm import Session

from app import migrate
from app.enterprises import search_totals
from app.enterprises.models import Enterprise
from tests.support.databases import backend_name

# Migration 0030's module: how often its triggers fold the ledger, and the function that does it.
_LEDGER = ScriptDirectory.from_config(migrate.alembic_config("sqlite://")).get_revision("0030").module
FOLD_EVERY: int = _LEDGER.FOLD_EVERY
FOLD: str = _LEDGER.FOLD

CHARACTERS = "常德武陵区机械科技有限公司鼎城新材料"
ARCHIVED = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(CHARACTERS) for _ in range(rng.randint(1, 9)))


def _code(rng: random.Random) -> str:
    return "91" + "".join(rng.choice("0123456789ABCDE") for _ in range(16))


def _truth(session: Session) -> dict[tuple[str, bool], int]:
    """Each gram's firms, all and current, counted from the names."""
    truth: dict[tuple[str, bool], int] = {}
    for name, archived_at in session.execute(select(Enterprise.name, Enterprise.archived_at)):
        grams = {name[i:i + n] for n in (1, 2) for i in range(len(name) - n + 1)}
        for gram in grams:
            truth[gram, True] = truth.get((gram, True), 0) + 1
            if archived_at is None:
                truth[gram, False] = truth.get((gram, False), 0) + 1
    return truth


def _check(session: Session) -> int:
    truth = _truth(session)
    words = sorted({gram for gram, _ in truth} | {"汉字", "无"})
    for word in words:
        for archived in (True, False):
            assert search_totals.count_by_names(session, [word], include_archived=archived) == truth.get(
                (word, archived), 0), (word, archived)
    if backend_name() == "postgresql":  # the table itself: no gram left with a count no firm backs
        kept = dict(session.execute(text(
            "SELECT gram, sum(firms) FROM name_gram_counts GROUP BY gram HAVING sum(firms) <> 0")).all())
        assert kept == {gram: n for (gram, archived), n in truth.items() if archived}
    return len(words)


def test_counts_follow_every_kind_of_write(session: Session) -> None:
    rng = random.Random(30)
    session.execute(insert(Enterprise), [{"credit_code": _code(rng), "name": _name(rng), "district": "丹阳街道"}
                                         for _ in range(200)])  # one statement, many rows
    session.add_all(Enterprise(credit_code=_code(rng), name=_name(rng), district="丹阳街道") for _ in range(20))
    session.flush()
    assert _check(session) > 50
    ids = list(session.scalars(select(Enterprise.id)))
    for firm_id in rng.sample(ids, 30):  # renamed one by one
        session.execute(update(Enterprise).where(Enterprise.id == firm_id).values(name=_name(rng)))
    session.execute(update(Enterprise).where(Enterprise.id.in_(rng.sample(ids, 40))).values(archived_at=ARCHIVED))
    session.execute(update(Enterprise).where(Enterprise.id.in_(rng.sample(ids, 20))).values(archived_at=None))
    session.execute(update(Enterprise).where(Enterprise.id.in_(rng.sample(ids, 30))).values(notes="只改备注"))
    session.execute(update(Enterprise).where(Enterprise.id.in_(rng.sample(ids, 10))).values(
        name=Enterprise.name.concat("新"), archived_at=ARCHIVED))
    session.execute(delete(Enterprise).where(Enterprise.id.in_(rng.sample(ids, 25))))
    session.flush()
    _check(session)


def _fold(session: Session) -> None:
    """Fold the ledger now, as every FOLD_EVERY-th statement does (PostgreSQL)."""
    if backend_name() == "postgresql":
        session.execute(text(f"SELECT {FOLD}()"))


def test_counts_stay_exact_across_folds(session: Session) -> None:
    rng = random.Random(32)
    for _ in range(FOLD_EVERY + 5):  # statements enough for the triggers to fold at least once
        session.execute(insert(Enterprise), [{"credit_code": _code(rng), "name": _name(rng), "district": "丹阳街道"}
                                             for _ in range(3)])
    ids = list(session.scalars(select(Enterprise.id)))
    for firm_id in rng.sample(ids, FOLD_EVERY):
        session.execute(update(Enterprise).where(Enterprise.id == firm_id).values(name=_name(rng)))
    session.execute(update(Enterprise).where(Enterprise.id.in_(rng.sample(ids, 40))).values(archived_at=ARCHIVED))
    _check(session)
    _fold(session)
    _check(session)
    if backend_name() == "postgresql":  # folded: one row per gram
        assert session.scalar(text("SELECT max(n) FROM (SELECT count(*) AS n FROM name_gram_counts GROUP BY gram) "
                                   "AS rows_per_gram")) == 1


def test_writers_at_once_never_wait_on_each_other(engine: Engine) -> None:
    """On PostgreSQL a transaction renaming and archiving firms, and folding the ledger, while another has inserted
    firms and folded it and not committed yet, does not wait for it (writers append; a fold skips the rows another
    is folding), and neither loses a count. SQLite, which has one writer at a time, runs the two one after the
    other."""
    rng = random.Random(31)
    at_once = backend_name() == "postgresql"
    with Session(engine) as session, session.begin():
        existing = list(session.scalars(insert(Enterprise).returning(Enterprise.id), [
            # Registered in a year of their own: archiving them changes no yearly total the other writer holds.
            {"credit_code": _code(rng), "name": _name(rng) + "公司", "district": "丹阳街道",
             "registered_on": dt.date(2001, 5, 1)} for _ in range(20)]))
    inserted: list[int] = []
    renamed = threading.Event()
    failures: list[BaseException] = []

    def insert_and_hold() -> None:
        try:
            with Session(engine) as own, own.begin():
                inserted.extend(own.scalars(insert(Enterprise).returning(Enterprise.id), [
                    {"credit_code": _code(rng), "name": _name(rng) + "有限公司", "district": "丹阳街道"}
                    for _ in range(50)]))
                _fold(own)
                if at_once:  # uncommitted until the other has written and committed
                    assert renamed.wait(timeout=20), "the renaming transaction waited for this one"
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    def rename_and_archive() -> None:
        try:
            with Session(engine) as own, own.begin():
                for firm_id in existing[:10]:
                    own.execute(update(Enterprise).where(Enterprise.id == firm_id).values(name=_name(rng) + "公司"))
                own.execute(update(Enterprise).where(Enterprise.id.in_(existing[10:15])).values(archived_at=ARCHIVED))
                _fold(own)
            renamed.set()
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    holder = threading.Thread(target=insert_and_hold)
    holder.start()
    if not at_once:
        holder.join()
    while at_once and not inserted and holder.is_alive():
        threading.Event().wait(0.01)  # the insert is in before the renames start
    renamer = threading.Thread(target=rename_and_archive)
    renamer.start()
    renamer.join()
    holder.join()
    try:
        assert not failures
        with Session(engine) as session:
            _check(session)
    finally:
        with Session(engine) as session, session.begin():
            session.execute(delete(Enterprise).where(Enterprise.id.in_(existing + inserted)))
        with Session(engine) as session:
            _check(session)
