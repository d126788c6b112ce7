"""A page's JSON in each response language: written once for every language when nothing in it is worded per
language, once per language otherwise; the same bytes whichever thread asks first."""

from __future__ import annotations

import threading

from pydantic import BaseModel, TypeAdapter

from app.http.pagination import PageItems
from app.messages import RESPONSE_LANGUAGE, Lang, Localized, Text


class _Row(BaseModel):
    id: int
    name: str
    warnings: list[Localized] = []


_ROWS = TypeAdapter(list[_Row])


def _json_in(items: PageItems[_Row], language: Lang) -> bytes:
    token = RESPONSE_LANGUAGE.set(language)
    try:
        return items.json()
    finally:
        RESPONSE_LANGUAGE.reset(token)


def test_nothing_worded_per_language_is_written_once() -> None:
    rows = [_Row(id=n, name=f"常德{n}号") for n in range(50)]
    items = PageItems(rows, _ROWS, same_in_every_language=True)
    english = _json_in(items, "en")
    assert english == _ROWS.dump_json(rows)
    assert _json_in(items, "zh") is english


def test_warnings_are_written_in_each_language() -> None:
    # Set as the application sets them, after validation (which would keep only the English str).
    warned = [_Row.model_construct(id=1, name="常德1号", warnings=[Text("check the code", "请核对代码")])]
    items = PageItems(warned, _ROWS)
    english, chinese = _json_in(items, "en"), _json_in(items, "zh")
    assert b"check the code" in english
    assert "请核对代码".encode() in chinese
    assert _json_in(items, "en") is english


def _read_at_once(items: PageItems[_Row], languages: list[Lang]) -> list[bytes]:
    answers: list[bytes] = []
    start = threading.Barrier(len(languages))

    def read(language: Lang) -> None:
        start.wait()
        answers.append(_json_in(items, language))

    threads = [threading.Thread(target=read, args=(language,)) for language in languages]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_threads_asking_at_once_get_the_same_bytes() -> None:
    rows = [_Row(id=n, name=f"常德{n}号") for n in range(200)]
    for _ in range(20):
        items = PageItems(rows, _ROWS, same_in_every_language=True)
        assert _read_at_once(items, ["en", "zh", "en", "zh"]) == [_ROWS.dump_json(rows)] * 4
