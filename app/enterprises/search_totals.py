"""Totals and pages of a search by words told from the names' indexes alone, where they can tell them: words that
no credit code starts with and no contact's name holds (``count_by_names``, ``page_by_names``), and, on
either database, the other searches' totals as each word's set of firms, intersected (``count_by_sets``). Each gives
exactly what the search's own query gives (``app/enterprises/search.py``); ``tests/enterprises/test_search.py``
compares them on random data."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Row,
    Select,
    String,
    bindparam,
    column,
    exists,
    func,
    intersect,
    or_,
    select,
    table,
    text,
    union,
)
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.selectable import TextualSelect

from app.enterprises.credit_code import normalize
from app.enterprises.models import ARCHIVED_FIRM_IDS, Contact, Enterprise
from app.enterprises.search import (
    _IDEOGRAPHS,
    _SPLITS_GRAMS,
    NAME_GRAM_COUNTS,
    NAME_GRAMS,
    NAME_INDEX,
    TRIGRAM,
    _code_end,
    _holds,
    _name_holds,
    _phrase,
    code_ids,
    code_starts,
    sqlite_contacts_firms,
    sqlite_names,
)
from app.http import counts


def _name_queries(found: list[str]) -> list[tuple[str, str]]:
    """Each names' index with its words in one FTS5 query (``"a" AND "b"``): the grams', the trigrams', or both."""
    return [(index, " AND ".join(_phrase(w) for w in found if (len(w) >= TRIGRAM) == trigram))
            for index, trigram in ((NAME_GRAMS, False), (NAME_INDEX, True))
            if any((len(w) >= TRIGRAM) == trigram for w in found)]


def page_by_names(session: Session, found: list[str], columns: Sequence[InstrumentedAttribute[Any]], *,
                  include_archived: bool, limit: int, offset: int) -> list[Row[Any]] | None:
    """SQLite: a page in id order of the firms ``count_by_names`` counted (call it only when it could count
    them), read from the one names' index that holds every word — or None when the words need both indexes.

    FTS5 hands over the names holding the words in rowid order, so the page is the firms met first: a tenth of
    a millisecond for any word, where collecting every match to sort them took up to 3 ms at 100,000 firms."""
    queries = _name_queries(found)
    if len(queries) != 1 or session.get_bind().dialect.name != "sqlite":
        return None
    index, query = queries[0]
    statement = _page_statement(index, tuple(columns), include_archived)
    return list(session.connection().execute(statement, {"words": query, "limit": limit, "offset": offset}))


# Each firm's tags in the page's own statement, joined by U+001F (a control character, which tags never hold).
TAG_SEPARATOR = "\x1f"


@functools.cache
def _page_statement(index: str, columns: tuple[InstrumentedAttribute[Any], ...], include_archived: bool
                    ) -> TextualSelect:
    names = ", ".join(f"enterprises.{attribute.expression.name}" for attribute in columns)
    current = "" if include_archived else " WHERE enterprises.archived_at IS NULL"
    return text(
        f"SELECT {names}, (SELECT group_concat(tag, char(31)) FROM enterprise_tags "
        "WHERE enterprise_tags.enterprise_id = enterprises.id) AS tags "
        f"FROM (SELECT rowid AS rid FROM {index} WHERE {index} MATCH :words) AS m "
        # CROSS JOIN: the index's rows drive, in their order.
        f"CROSS JOIN enterprises ON enterprises.id = m.rid{current} ORDER BY m.rid LIMIT :limit OFFSET :offset"
    ).columns(*columns, column("tags", String))


# Which archived firms the words find is told either way round: each match checked against the list of archived
# firms (≈ 0.15 µs a match), or each archived firm's name read (≈ 2 µs a firm, at a million firms): the names
# are read when the matches outnumber the archived firms this many times over.
MATCHES_PER_ARCHIVED_NAME = 16


def _archived_named(found: list[str]) -> Select[int]:
    """How many archived firms have every word in their names, read as reading the names finds them."""
    return select(func.count()).where(
        Enterprise.id.in_(ARCHIVED_FIRM_IDS),
        *(_holds(Enterprise.name, w) for w in found))


def count_by_names(session: Session, found: list[str], *, include_archived: bool) -> int | None:
    """How many firms the words ``found`` find, counted from the firms' names alone — or None when it cannot be
    told that way (a word some credit code starts with or some contact's name holds, or on SQLite a word the index
    splits).

    SQLite: the names' indexes hold one row per firm, so their count of the names holding every word is the count
    of those firms, less those among them in the list of archived firms. A word that a quarter of the firms hold is
    counted in ~0.6 ms at 100,000 firms, where collecting their ids to check each firm took ~9 ms; at a million
    firms, 10,000 of them archived, 31 ms instead of 370.

    PostgreSQL: one count of the firms whose names hold every word (``_count_by_names_postgresql``)."""
    if not found:
        return None
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return _count_by_names_postgresql(session, found, include_archived=include_archived)
    if dialect != "sqlite" or any(_SPLITS_GRAMS.search(w) for w in found):
        return None
    connection = session.connection()
    # The other ways a firm is found, a contact's name or a code, then the names' count and the archived firms' —
    # one statement: the count only when no other way finds any.
    elsewhere: list[str] = []
    params: list[str] = []
    for word in found:
        code = normalize(word)
        elsewhere.append(f"EXISTS ({sqlite_contacts_firms(len(word) < TRIGRAM)}) "
                         f"OR EXISTS ({code_ids()})")
        params += [_phrase(word), code, _code_end(code)]
    queries = _name_queries(found)
    (first, _), others = queries[0], queries[1:]
    # "+rowid": FTS5 is not handed the IN list, which it would answer by running the MATCH once per id in it.
    counted = f"SELECT count(*) FROM {first} WHERE {first} MATCH ?" + "".join(
        f" AND +{first}.rowid IN (SELECT rowid FROM {index} WHERE {index} MATCH ?)" for index, _ in others)
    words = tuple(query for _, query in queries)
    archived_count = "0" if include_archived else "(SELECT count(*) FROM enterprises WHERE archived_at IS NOT NULL)"
    answer = connection.exec_driver_sql(
        f"SELECT CASE WHEN {' OR '.join(elsewhere)} THEN NULL ELSE ({counted}) END, {archived_count}",
        (*params, *words)).one()
    if answer[0] is None:
        return None
    named, archived = int(answer[0]), int(answer[1])
    if not archived:
        return named
    if named > MATCHES_PER_ARCHIVED_NAME * archived:
        archived_named = connection.execute(_archived_named(found)).scalar() or 0
    else:
        archived_named = connection.exec_driver_sql(
            f"{counted} AND +{first}.rowid IN (SELECT id FROM enterprises WHERE archived_at IS NOT NULL)", words
        ).scalar() or 0
    return named - int(archived_named)


# The firms whose names hold each gram: the sum of the gram's rows in the ledger (migration 0030).
_GRAM_COUNTS = table(NAME_GRAM_COUNTS, column("gram", String), column("firms", BigInteger),
                     column("current", BigInteger))
# By whether archived firms count: all the firms, or the current ones.
_COUNTED = {archived: select(func.coalesce(func.sum(counted), 0)).where(_GRAM_COUNTS.c.gram == bindparam("gram"))
            for archived, counted in ((True, _GRAM_COUNTS.c.firms), (False, _GRAM_COUNTS.c.current))}


def _count_by_names_postgresql(session: Session, found: list[str], *, include_archived: bool) -> int | None:
    """The firms whose names hold every word, counted on the names' indexes alone (a bitmap of the firms for each
    word, ANDed), instead of collecting the ids found by name, code and contact into a list to look each firm up in
    (the three ways ``_IndexedWord`` joins): at a million firms ``科技`` (a quarter of the names) takes ~0.3 s
    instead of ~3 s, ``有限`` (nearly all) ~0.4 s instead of ~28 s. Words of ideographs alone are matched in the
    grams' index without the names being read again. Kept while the firms are unchanged, as any list's total.

    One word of one or two ideographs is counted from ``name_gram_counts`` (migration 0030), kept by triggers in the
    writing transaction: no firm's row visited (``科技`` at a million firms: under a millisecond, was 110–130 ms)."""
    for word in found:
        code = normalize(word)
        elsewhere: ColumnElement[bool] = exists().where(_name_holds(Contact.name, word, grams_alone=False))
        if code:
            elsewhere = or_(elsewhere, exists().where(code_starts(code)))
        if session.scalar(select(elsewhere)):
            return None
    # One word of one or two ideographs (no case to fold) is in a name exactly when it is one of its grams: counted.
    if len(found) == 1 and _IDEOGRAPHS.fullmatch(found[0]):
        return int(session.scalar(_COUNTED[include_archived], {"gram": found[0]}) or 0)
    # Ideographs from the grams alone only when every word is such: with a word the trigram index answers, whose
    # estimate runs far too low (100 names for the 28,400 holding 新材料 at a million), the planner filters the names
    # it finds through the others' conditions, and a plain ILIKE costs a fraction of the grams' function there.
    alone = all(_IDEOGRAPHS.fullmatch(word) for word in found)
    query = select(Enterprise.id).where(*(_name_holds(Enterprise.name, word, grams_alone=alone) for word in found))
    if not include_archived:
        query = query.where(Enterprise.archived_at.is_(None))
    return _count_by_bitmaps(session, query)


# SET LOCAL of the three, in one statement.
_BITMAPS_ONLY = text("SELECT " + ", ".join(f"set_config('enable_{way}', 'off', true)"
                                           for way in ("seqscan", "indexscan", "indexonlyscan")))


def _count_by_bitmaps(session: Session, query: Select[Any]) -> int:
    """PostgreSQL: ``counts.count(query)`` with the names read only through their indexes' bitmaps.

    The planner charges the grams' function to every row whichever way it reads, so for a word most names hold it
    reads the whole table, or the names' B-tree, and computes each firm's grams (``王 有限`` at a million firms:
    3.8 s, of which 3.4 s reading the table; 有限 alone through the B-tree 18 s); the bitmap of the grams' index
    computes none (``王 有限`` 0.6 s). Only that way is left open, for this count (the savepoint's end undoes the
    settings). More ``work_mem`` for the sets of ids only made it slower (0.85–0.95 s with 16–64 MB)."""
    with session.begin_nested() as planned:
        session.execute(_BITMAPS_ONLY)
        total = counts.count(session, query)
        planned.rollback()
    return total


def count_by_sets(session: Session, found: list[str], *, include_archived: bool) -> int | None:
    """How many firms the words ``found`` find, counted as the sets of firms each word finds by name, credit code
    or contact (each from its index), intersected, less the archived firms among them — instead of looking up, one
    by one, each firm a contact's name found (``王``: 106,600 firms at a million, 1.5 s on PostgreSQL, 140 ms on
    SQLite). None on SQLite for a word its index splits."""
    if not found:
        return None
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        return _count_by_sets_sqlite(session, found, include_archived=include_archived)
    if dialect != "postgresql":
        return None
    live = [] if include_archived else [Enterprise.archived_at.is_(None)]
    found_by: list[Any] = []
    for word in found:
        code = normalize(word)
        ways: list[Any] = [select(Enterprise.id).where(_name_holds(Enterprise.name, word, grams_alone=True), *live)]
        if code:
            ways.append(select(Enterprise.id).where(code_starts(code), *live))
        contacts = select(Contact.enterprise_id).where(_name_holds(Contact.name, word, grams_alone=True))
        ways.append(contacts if include_archived else contacts.where(Contact.enterprise_id.not_in(ARCHIVED_FIRM_IDS)))
        found_by.append(union(*ways))
    firms = found_by[0] if len(found_by) == 1 else _intersect(found_by)
    return _count_by_bitmaps(session, select(firms.subquery()))


def _count_by_sets_sqlite(session: Session, found: list[str], *, include_archived: bool) -> int | None:
    """SQLite: each word's firms from the names' index, the codes' and the contacts' (``sqlite_contacts_firms``: for
    a word of one or two characters the firms' own row of their contacts' grams, so no contact is looked up), in
    one statement. Every firm an index hands over exists (the contacts' by their foreign key)."""
    if any(_SPLITS_GRAMS.search(w) for w in found):
        return None
    sets: list[str] = []
    params: list[str] = []
    for word in found:
        short = len(word) < TRIGRAM
        ways = [sqlite_names(short), sqlite_contacts_firms(short)]
        params += [_phrase(word), _phrase(word)]
        code = normalize(word)
        if code:
            ways.append(code_ids())
            params += [code, _code_end(code)]
        sets.append(f"SELECT id FROM ({' UNION '.join(ways)})")
    live = "" if include_archived else " WHERE id NOT IN (SELECT id FROM enterprises WHERE archived_at IS NOT NULL)"
    statement = f"SELECT count(*) FROM ({' INTERSECT '.join(sets)}){live}"
    return int(session.connection().exec_driver_sql(statement, tuple(params)).scalar() or 0)


def _intersect(parts: list[Any]) -> Any:
    """``intersect(*parts)``, typed loosely: mypy 2.4 crashes inferring the type of that call inline."""
    return intersect(*parts)
