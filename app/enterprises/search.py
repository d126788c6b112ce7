"""Finding firms by words: part of a name, the start of a credit code, part of a contact's name.

Every whitespace-separated word must match, so more words narrow the list (``武陵 机械`` finds
常德市武陵区XX机械有限公司). A word matches a firm whose name contains it, whose credit code starts with it
(normalised as codes are) or one of whose contacts' names contains it, ignoring case.

Words of three characters or more are looked up in trigram indexes built by migration 0018: SQLite FTS5
tables with the ``trigram`` tokenizer (``enterprise_name_search``, ``contact_name_search``, kept by
triggers), and PostgreSQL ``pg_trgm`` GIN indexes on the two names (they see Chinese characters only in a
database whose ``LC_CTYPE`` is a UTF-8 locale). No trigram index can serve a word of one or two characters:
those are looked up in the names' *grams* (each character and each pair of neighbouring characters,
migration 0019): SQLite FTS5 tables where each gram is one token (``enterprise_name_grams``,
``contact_name_grams``), PostgreSQL GIN indexes on ``seedbed_name_grams(name)``, confirmed by ``ILIKE``.
A short word holding a control character, which the SQLite tokenizer splits at, is matched by reading the
names instead. Every path gives the same firms as reading the names would.

A page of a word most firms match is found faster the other way round: walking the firms in id order and
checking each one's name, code and own contacts until the page is full (``walk_pays``): ``科技`` is in a
quarter of the names, so 200 firms give a page
of 50, where the indexes hand over a quarter of a million ids to pick 50 from. The count always comes from the
indexes. Words that only names hold (no contact's name, no credit code) are counted in the names' indexes alone,
and a page of them in id order is read from them (``app/enterprises/search_totals.py``).
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Integer,
    Select,
    String,
    Text,
    and_,
    bindparam,
    cast,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import TypeDecorator

from app.db import PerDialect
from app.enterprises.credit_code import normalize
from app.enterprises.models import Contact, Enterprise

NAME_INDEX = "enterprise_name_search"
CONTACT_INDEX = "contact_name_search"
NAME_GRAMS = "enterprise_name_grams"
CONTACT_GRAMS = "contact_name_grams"
# SQLite: per firm, the grams of all its contacts' names (migration 0029).
FIRM_CONTACT_GRAMS = "enterprise_contact_grams"
GRAMS_FUNCTION = "seedbed_name_grams"
# FTS5 keeps each index in shadow tables named after it.
_FTS5_SHADOWS = ("", "_data", "_idx", "_content", "_docsize", "_config")
# PostgreSQL: the ledger of how many firms' names hold each gram (migration 0030).
NAME_GRAM_COUNTS = "name_gram_counts"
SEARCH_TABLES = frozenset({NAME_GRAM_COUNTS} | {
    f"{table}{suffix}" for table in (NAME_INDEX, CONTACT_INDEX, NAME_GRAMS, CONTACT_GRAMS, FIRM_CONTACT_GRAMS)
    for suffix in _FTS5_SHADOWS})
# The table each search table is kept from by triggers: it changes exactly when that table does (app/http/kept.py).
KEPT_FROM: dict[str, frozenset[str]] = {
    **{index: frozenset({"enterprises"}) for index in (NAME_INDEX, NAME_GRAMS, NAME_GRAM_COUNTS)},
    **{index: frozenset({"contacts"}) for index in (CONTACT_INDEX, CONTACT_GRAMS, FIRM_CONTACT_GRAMS)},
}
TRIGRAM_INDEXES = frozenset({"ix_enterprises_name_trgm", "ix_contacts_name_trgm"})
GRAM_INDEXES = frozenset({"ix_enterprises_name_grams", "ix_contacts_name_grams"})
TRIGRAM = 3
# Sorts after every character a credit code can hold: the upper bound of a prefix range.
_AFTER_ALL = chr(0x10FFFF)
# Characters the grams' SQLite tokenizer splits at besides whitespace (which never is inside a word).
_SPLITS_GRAMS = re.compile(r"[\x00-\x1f\x7f]")


def is_search_object(name: str | None, type_: str) -> bool:
    """The search indexes' own tables and indexes, which the ORM models do not describe."""
    return (type_ == "table" and name in SEARCH_TABLES) or (
        type_ == "index" and name in TRIGRAM_INDEXES | GRAM_INDEXES)


def words(q: str | None) -> list[str]:
    return (q or "").split()


def _phrase(word: str) -> str:
    """The word as an FTS5 phrase: found as it is, whatever it holds."""
    return '"' + word.replace('"', '""') + '"'


def _code_end(code: str) -> str:
    """The upper bound of the credit codes starting with ``code`` (none for an empty code)."""
    return code + _AFTER_ALL if code else ""


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _planned_for(value: str, type_: Any = None) -> ColumnElement[str]:
    """A search word's value as a statement holds it: a parameter on SQLite; on PostgreSQL written into the
    statement itself, so it is planned for this word. psycopg prepares a statement from its sixth run, and
    PostgreSQL then tries a generic plan, blind to how many names hold the word: it read all the contacts (200 ms
    at a million firms) to learn that none holds ``常德``. (SQLite plans every statement for its values.)"""
    return PerDialect(bindparam(None, value, type_=type_ or String()),
                      bindparam(None, value, type_=type_ or String(), literal_execute=True))


def code_starts(code: str) -> ColumnElement[bool]:
    """The firm's credit code starts with ``code`` (normalised), as a range its B-tree reads."""
    return and_(Enterprise.credit_code >= code, Enterprise.credit_code < _code_end(code))


class _Contained(TypeDecorator[str]):
    """A word to find inside a name, as each backend's index wants it: an FTS5 phrase on SQLite, a
    ``LIKE`` pattern elsewhere."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return _phrase(value)
        return f"%{_escape_like(value)}%"


class _IndexedWord(ColumnElement[bool]):
    """A word of three characters or more, matched through the trigram indexes."""

    inherit_cache = True
    # What its SQL reads (the indexes are kept by the two tables' triggers): for the lists' cached totals.
    reads_tables = ("enterprises", "contacts")
    _traverse_internals = [("in_name", InternalTraversal.dp_clauseelement),
                           ("in_contact", InternalTraversal.dp_clauseelement),
                           ("code_from", InternalTraversal.dp_clauseelement),
                           ("code_to", InternalTraversal.dp_clauseelement)]

    def __init__(self, word: str, code: str) -> None:
        self.in_name = _planned_for(word, _Contained())
        self.in_contact = _planned_for(word, _Contained())
        # Parameters on either database: a code prefix's range reads the same B-tree whatever the code.
        self.code_from: BindParameter[str] = bindparam("credit_code", code, type_=String(), unique=True)
        self.code_to: BindParameter[str] = bindparam("credit_code", _code_end(code), type_=String(), unique=True)


class _GramWord(_IndexedWord):
    """A word of one or two characters, matched through the names' grams: on SQLite the word is one token of
    the grams' FTS5 tables; on PostgreSQL the arrays of grams hold the start of the folded word (all of it,
    unless folding lengthened it) and ``ILIKE`` confirms."""

    inherit_cache = True
    _traverse_internals = [*_IndexedWord._traverse_internals,
                           ("name_gram", InternalTraversal.dp_clauseelement),
                           ("contact_gram", InternalTraversal.dp_clauseelement)]

    def __init__(self, word: str, code: str) -> None:
        super().__init__(word, code)
        self.name_gram = _planned_for(word)
        self.contact_gram = _planned_for(word)


def code_ids(start: str = "?", end: str = "?") -> str:
    """The firms whose credit codes lie from ``start`` up to ``end`` (a prefix's range: ``_code_end``)."""
    return f"SELECT id FROM enterprises WHERE credit_code >= {start} AND credit_code < {end}"


def _code_ids(element: _IndexedWord, compiler: SQLCompiler, **kw: Any) -> str:
    return code_ids(compiler.process(element.code_from, **kw), compiler.process(element.code_to, **kw))


def sqlite_names(short: bool, phrase: str = "?") -> str:
    """SQLite: the firms whose names hold a word (``phrase``, its FTS5 phrase), from the grams' index for a
    ``short`` word (one or two characters) or the trigrams'."""
    index = NAME_GRAMS if short else NAME_INDEX
    return f"SELECT rowid AS id FROM {index} WHERE {index} MATCH {phrase}"


def sqlite_contacts_firms(short: bool, phrase: str = "?") -> str:
    """SQLite: the firms one of whose contacts' names holds a word (``phrase``). A ``short`` word is in the firms'
    own row of their contacts' grams (migration 0029): no contact is looked up to learn its firm. A longer one: the
    contacts the trigram index hands over, each looked up (they are few)."""
    if short:
        return f"SELECT rowid AS id FROM {FIRM_CONTACT_GRAMS} WHERE {FIRM_CONTACT_GRAMS} MATCH {phrase}"
    return (f"SELECT contacts.enterprise_id AS id FROM {CONTACT_INDEX} CROSS JOIN contacts "
            f"ON contacts.id = {CONTACT_INDEX}.rowid WHERE {CONTACT_INDEX} MATCH {phrase}")


# The branches are joined by UNION ALL: the IN list drops a firm found twice itself, where UNION would sort
# every id once more first (a third of the time of a common word's page on SQLite).
def _sqlite_matches(element: _IndexedWord, compiler: SQLCompiler, *, short: bool, **kw: Any) -> str:
    names = sqlite_names(short, compiler.process(element.in_name, **kw))
    contacts = sqlite_contacts_firms(short, compiler.process(element.in_contact, **kw))
    return f"enterprises.id IN ({names} UNION ALL {_code_ids(element, compiler, **kw)} UNION ALL {contacts})"


@compiles(_IndexedWord, "sqlite")
def _sqlite_indexed_word(element: _IndexedWord, compiler: SQLCompiler, **kw: Any) -> str:
    return _sqlite_matches(element, compiler, short=False, **kw)


@compiles(_GramWord, "sqlite")
def _sqlite_gram_word(element: _GramWord, compiler: SQLCompiler, **kw: Any) -> str:
    return _sqlite_matches(element, compiler, short=True, **kw)


@compiles(_IndexedWord)
def _indexed_word(element: _IndexedWord, compiler: SQLCompiler, **kw: Any) -> str:
    # PostgreSQL: each branch on its own index (pg_trgm GIN, the code's B-tree); an OR over the firm's
    # columns would read the whole registry instead.
    return (f"enterprises.id IN (SELECT id FROM enterprises WHERE name ILIKE "
            f"{compiler.process(element.in_name, **kw)} ESCAPE '\\' UNION ALL {_code_ids(element, compiler, **kw)} "
            f"UNION ALL SELECT enterprise_id FROM contacts WHERE name ILIKE "
            f"{compiler.process(element.in_contact, **kw)} ESCAPE '\\')")


@compiles(_GramWord)
def _gram_word(element: _GramWord, compiler: SQLCompiler, **kw: Any) -> str:
    def has(gram: ColumnElement[str], pattern: ColumnElement[str]) -> str:
        return (f"{GRAMS_FUNCTION}(name) @> ARRAY[substr(lower(CAST({compiler.process(gram, **kw)} AS text)), 1, 2)] "
                f"AND name ILIKE {compiler.process(pattern, **kw)} ESCAPE '\\'")

    return (f"enterprises.id IN (SELECT id FROM enterprises WHERE {has(element.name_gram, element.in_name)} "
            f"UNION ALL {_code_ids(element, compiler, **kw)} "
            f"UNION ALL SELECT enterprise_id FROM contacts WHERE {has(element.contact_gram, element.in_contact)})")


def _scanned_word(word: str, code: str) -> ColumnElement[bool]:
    matches: list[ColumnElement[bool]] = [_holds(Enterprise.name, word),
                                          Enterprise.id.in_(select(Contact.enterprise_id).where(
                                              _holds(Contact.name, word)))]
    if code:
        matches.append(code_starts(code))
    return or_(*matches)


def _holds(name: Any, word: str) -> ColumnElement[bool]:
    """``name`` holds ``word``, ignoring case, read from the name itself."""
    held: ColumnElement[bool] = name.ilike(_planned_for(f"%{_escape_like(word)}%"), escape="\\")
    return held


def _contact_named(word: str) -> ColumnElement[bool]:
    """The firm at hand has a contact whose name holds the word: a look at the firm's own contacts (their index by
    firm), for each firm walked. PostgreSQL would turn the EXISTS into a join and read every contact holding the
    word first (111,600 hold ``王`` at a million firms: 69 ms for a page that walks 450 firms, then 1.5 ms); a
    subquery with an OFFSET stays a check per firm."""
    named = _holds(Contact.name, word)
    own: Select[int] = select(literal_column("1", Integer)).where(Contact.enterprise_id == Enterprise.id, named)
    return PerDialect(own.exists(), own.offset(literal_column("0")).exists())


def _walked_word(word: str, code: str) -> ColumnElement[bool]:
    """A word checked on the firm at hand: its name, its credit code, its contacts' names."""
    matches: list[ColumnElement[bool]] = [_holds(Enterprise.name, word), _contact_named(word)]
    if code:
        matches.append(code_starts(code))
    return or_(*matches)


# Walking reads a firm (its name, code and contacts) in about four times what the indexes take for each match they
# hand over, and a thousand firms in a few milliseconds: it pays when it reads fewer firms than a quarter of the
# matches and that allowance, and never more than WALK_AT_MOST firms.
WALK_PER_MATCH = 4
WALK_ALLOWANCE = 1000
WALK_AT_MOST = 4000


_LAST_FIRM = select(func.max(Enterprise.id))


def walk_pays(session: Session, total: int, wanted: int) -> bool:
    """Whether walking the firms by id to the first ``wanted`` of ``total`` matches beats the indexes, if the
    matches are spread over the ids (it reads about wanted × firms ÷ total firms)."""
    if total <= 0:
        return False
    firms = session.scalar(_LAST_FIRM) or 0
    read_times_total = wanted * firms
    return (WALK_PER_MATCH * read_times_total <= total * (total + WALK_ALLOWANCE)
            and read_times_total <= WALK_AT_MOST * total)


def matching(q: str | None, *, walk: bool = False, names: bool = False) -> ColumnElement[bool] | None:
    """The condition a firm meets when it matches every word of ``q`` (None: no words); with ``walk``, checked on
    each firm (for a page read in id order) instead of looked up in the indexes. With ``names`` (PostgreSQL, when
    ``count_by_names`` answered: no credit code starts with a word and no contact's name holds one), the firm's
    name alone, from the names' indexes."""
    if names:
        return and_(*(_name_holds(Enterprise.name, word, grams_alone=False) for word in words(q)))
    conditions: list[ColumnElement[bool]] = []
    for word in words(q):
        # Normalising drops hyphens and underscores: a word of only those must not become "every code".
        code = normalize(word)
        if walk:
            conditions.append(_walked_word(word, code))
        elif len(word) >= TRIGRAM:
            conditions.append(_IndexedWord(word, code))
        elif _SPLITS_GRAMS.search(word):
            conditions.append(_scanned_word(word, code))
        else:
            conditions.append(_GramWord(word, code))
    return and_(*conditions) if conditions else None


# Characters that have no case anywhere: CJK ideographs. A word of one or two of them is in a lower-cased name
# exactly when it is one of the name's grams, so the grams' index alone says which names hold it, with no name read.
_IDEOGRAPHS = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]{1,2}")


def _name_holds(name: Any, word: str, *, grams_alone: bool) -> ColumnElement[bool]:
    """PostgreSQL: ``name`` holds ``word`` as the search finds it (``ILIKE``), through the names' indexes. With
    ``grams_alone``, a word of one or two ideographs is the grams' containment alone (the same rows: see above)."""
    pattern = _holds(name, word)
    if len(word) >= TRIGRAM:
        return pattern
    grams: ColumnElement[bool] = func.seedbed_name_grams(name).op("@>")(
        postgresql.array([func.substr(func.lower(cast(_planned_for(word), Text)), 1, 2)]))
    if grams_alone and _IDEOGRAPHS.fullmatch(word):
        return grams
    return and_(grams, pattern)
