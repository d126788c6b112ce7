"""The registry's busiest reads — a page of the firm list and one firm — read as rows, not ORM objects.

A page is one Core select of the columns the answer shows, with the list's filters, sort and count
(``filtered_enterprises``, ``paginate``), then the page's tags in one query; one firm is its row joined to its
tags, in one query. Each gives the fields of ``EnterpriseRead`` as a dict, which the route validates once into
its response model (a dict validates faster than a row is read into an ORM object, or a model is constructed
field by field in Python). The answers are the ones read through the ORM, byte for byte
(``tests/enterprises/test_reads.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.enterprises import search, search_totals
from app.enterprises.models import Enterprise, EnterpriseTag
from app.enterprises.schemas import EnterpriseFilter, EnterpriseRead
from app.enterprises.service import SORTABLE, filtered_enterprises, no_such_firm, tags_of
from app.http.counts import StateCache, database_of
from app.http.kept import kept
from app.http.pagination import PageItems, PageParams, paginate, parse_sort

# Every column of the answer but the tags, in the order of EnterpriseRead's fields.
COLUMNS: tuple[InstrumentedAttribute[Any], ...] = (
    Enterprise.id, Enterprise.credit_code, Enterprise.name, Enterprise.district, Enterprise.registered_on,
    Enterprise.park, Enterprise.industry, Enterprise.industry_code, Enterprise.tech_domain, Enterprise.above_scale,
    Enterprise.address, Enterprise.legal_representative, Enterprise.owner_id, Enterprise.status, Enterprise.notes,
    Enterprise.version, Enterprise.created_at, Enterprise.updated_at, Enterprise.archived_at)
_NAMES = tuple(column.key for column in COLUMNS)


def _fields(row: Sequence[Any], tags: Iterable[str]) -> dict[str, Any]:
    """The fields of ``EnterpriseRead`` from a row starting with ``COLUMNS`` and the firm's tags."""
    fields = dict(zip(_NAMES, row, strict=False))
    # Sorted here, as Enterprise.tags sorts them: not by the database's collation.
    fields["tags"] = sorted(tags)
    return fields


# The statements that do not depend on the request, built once: the firms are parameters.
_PAGE = select(*COLUMNS)
_ONE_FIRM = (select(*COLUMNS, EnterpriseTag.tag)
             .outerjoin(EnterpriseTag, EnterpriseTag.enterprise_id == Enterprise.id)
             .where(Enterprise.id == bindparam("enterprise_id")))


# What a search by words alone leaves at their defaults.
_ONLY_WORDS = {"q", "include_archived", "sort"}
_NO_OTHER_FILTER = EnterpriseFilter().model_dump(exclude=_ONLY_WORDS)


def _by_words_alone(filters: EnterpriseFilter) -> bool:
    """A search by words and no other filter, whose total the names' indexes, or each word's firms, can tell."""
    return filters.model_dump(exclude=_ONLY_WORDS) == _NO_OTHER_FILTER


def list_page(session: Session, *, filters: EnterpriseFilter, page: PageParams) -> tuple[list[dict[str, Any]], int]:
    """The fields of ``EnterpriseRead`` of one page of the firm list, and the total across pages."""
    order = parse_sort(filters.sort, SORTABLE, default=["id"], tiebreaker=Enterprise.id)
    words, archived = search.words(filters.q), filters.include_archived
    alone = _by_words_alone(filters)
    by_names = search_totals.count_by_names(session, words, include_archived=archived) if alone else None
    if by_names is not None and not filters.sort and not page.keyset:  # the names alone find them, in id order
        found = [] if page.offset >= by_names else search_totals.page_by_names(
            session, words, COLUMNS, include_archived=archived, limit=page.limit, offset=page.offset)
        if found is not None:  # each row ends with its tags
            return [_fields(row, row.tags.split(search_totals.TAG_SEPARATOR) if row.tags else ())
                    for row in found], by_names
    # PostgreSQL: words the names alone answer are looked up in the names' indexes alone for the page too (one
    # bitmap per word, ANDed), not as firms found by name, code or contact for each word, joined.
    names = by_names is not None and session.get_bind().dialect.name == "postgresql"
    query = filtered_enterprises(filters, names=names, base=_PAGE)
    if by_names is None and alone:
        by_names = search_totals.count_by_sets(session, words, include_archived=archived)
    walked = None
    if words and not filters.sort and not page.keyset:
        def walked(total: int) -> Select[Any]:  # the page in id order: walk the firms if that pays
            if search.walk_pays(session, total, page.offset + page.limit):
                return filtered_enterprises(filters, walk=True, base=_PAGE)
            return query
    rows, total = paginate(session, query, order, page, page_query=walked, as_rows=True, total=by_names)
    return _with_tags(session, rows), total


def _with_tags(session: Session, rows: Sequence[Any]) -> list[dict[str, Any]]:
    tags = tags_of(session, [row.id for row in rows])
    return [_fields(row, tags[row.id]) for row in rows]


# A kept page of 50 firms takes ≈ 0.3 MB (objects and JSON), of 200 ≈ 0.9 MB (tracemalloc): 32 pages stay
# under 30 MB per worker whatever pages are asked for.
MAX_PAGES = 32
# Per database, filters, limit and offset: the tables read, and the page's firms and total.
PAGES: StateCache[tuple[frozenset[str], tuple[PageItems[EnterpriseRead], int]]] = StateCache(MAX_PAGES)
_ITEMS = TypeAdapter(list[EnterpriseRead])


def kept_page(session: Session, *, filters: EnterpriseFilter, page: PageParams
              ) -> tuple[PageItems[EnterpriseRead], int]:
    """``list_page``'s firms, validated, and total: kept while the tables they were read from are unchanged
    (``app/http/kept.py``), so the first page that every clerk opens, and the same search typed again, are
    read once per change of the registry (and serialised once per language)."""
    def work_out() -> tuple[PageItems[EnterpriseRead], int]:
        items, total = list_page(session, filters=filters, page=page)
        firms = _ITEMS.validate_python(items)
        return PageItems(firms, _ITEMS, same_in_every_language=not any(firm.warnings for firm in firms)), total

    if page.keyset:  # a page by cursor also sets the next cursor: read each time
        return work_out()
    return kept(PAGES, session, (database_of(session), filters.model_dump_json(), page.limit, page.offset),
                work_out)


def one_firm(session: Session, enterprise_id: int) -> dict[str, Any]:
    """The fields of ``EnterpriseRead`` of one firm, archived or not (404 when there is none): its row, once
    per tag, in one query."""
    rows = session.execute(_ONE_FIRM, {"enterprise_id": enterprise_id}).all()
    if not rows:
        raise no_such_firm(enterprise_id)
    return _fields(rows[0], [row.tag for row in rows if row.tag is not None])
