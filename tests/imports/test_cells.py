"""Cell parsers: spreadsheet habits undone, nothing guessed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from app.enterprises.enums import Industry, TechDomain
from app.imports import cells
from app.imports.kinds import header_key, split_unit


class TestDates:
    @pytest.mark.parametrize("value", ["2023/12/08", "2023年12月8日", "2023-12-08", "2023.12.8", "20231208",
                                       "２０２３－１２－０８", "2023-12-08 00:00:00", 45268, 45268.0,
                                       dt.datetime(2023, 12, 8, 0, 0), dt.date(2023, 12, 8)])  # noqa: DTZ001
    def test_every_office_form(self, value: Any) -> None:
        assert cells.date(value) == dt.date(2023, 12, 8)

    @pytest.mark.parametrize("value", ["12/08/2023", "2023-02-30", "明年", "0", 0, -5, 10**8])
    def test_ambiguous_or_impossible_dates_are_refused(self, value: Any) -> None:
        with pytest.raises(ValueError, match="date"):
            cells.date(value)


class TestMoney:
    @pytest.mark.parametrize(("value", "unit", "expected"), [
        ("1,250,000.00", None, "1250000.00"), ("¥1,250,000", None, "1250000"), ("125万元", None, "1250000"),
        ("125万", None, "1250000"), ("1250000元", None, "1250000"), (125, "万元", "1250000"),
        ("3", "千元", "3000"), ("2万元", "千元", "20000"), (0.30000000000000004, None, "0.30"),
        ("１２３４", None, "1234"),
    ])
    def test_amounts_in_yuan(self, value: Any, unit: str | None, expected: str) -> None:
        assert cells.money(value, unit) == Decimal(expected)

    def test_a_third_decimal_is_kept_for_the_schema_to_refuse(self) -> None:
        assert cells.money("1.005") == Decimal("1.005")

    @pytest.mark.parametrize("value", ["一百万", "1.2.3", "NaN", "Infinity", True])
    def test_non_amounts(self, value: Any) -> None:
        with pytest.raises(ValueError, match="amount"):
            cells.money(value)


class TestSmallParsers:
    @pytest.mark.parametrize(("value", "expected"), [("是", True), ("否", False), ("Y", True), ("FALSE", False),
                                                     (True, True), (1, True), ("√", True)])
    def test_booleans(self, value: Any, expected: bool) -> None:
        assert cells.boolean(value) is expected

    def test_a_boolean_must_be_yes_or_no(self) -> None:
        with pytest.raises(ValueError, match="是 or 否"):
            cells.boolean("也许")

    @pytest.mark.parametrize("value", ["C", "c", "制造业", "C 制造业", "C-制造业", "Ｃ"])
    def test_industry(self, value: str) -> None:
        assert cells.choice(Industry)(value, None) == "C"

    @pytest.mark.parametrize("value", ["1", "电子信息", "electronic_information", "1 电子信息"])
    def test_tech_domain(self, value: str) -> None:
        assert cells.choice(TechDomain, numbered=True)(value, None) == "electronic_information"

    def test_an_unknown_label_lists_the_known_ones(self) -> None:
        with pytest.raises(ValueError, match="制造业"):
            cells.choice(Industry)("C39", None)

    def test_counts(self) -> None:
        assert [cells.count(v) for v in ("1,200", "120人", 30.0, 7)] == [1200, 120, 30, 7]
        with pytest.raises(ValueError, match="whole number"):
            cells.count(1.5)

    def test_tags_split_on_every_separator(self) -> None:
        assert cells.tags("专精特新、瞪羚，高企;雏鹰") == ["专精特新", "瞪羚", "高企", "雏鹰"]

    @pytest.mark.parametrize("value", [None, "", "  ", "-", "—", "/", "\u3000"])
    def test_blank_cells(self, value: Any) -> None:
        assert cells.is_blank(value)


class TestHeaders:
    def test_header_keys_ignore_width_case_and_separators(self) -> None:
        assert header_key("Credit Code") == header_key("credit_code") == header_key("ＣＲＥＤＩＴ－ＣＯＤＥ")
        assert header_key("统一 社会信用代码") == header_key("统一社会信用代码")

    def test_units_are_split_from_headers(self) -> None:
        assert split_unit("营业收入（万元）") == ("营业收入", "万元")
        assert split_unit("营业收入") == ("营业收入", None)


class TestNumber:
    @pytest.mark.parametrize(("value", "unit", "expected"), [
        ("1,250,000", None, "1250000"), ("147亿元", None, "14700000000"), ("2.35%", None, "2.35"),
        (120.5, "亩", "120.5"), ("1.47", "亿元", "147000000.00"), (3, None, "3")])
    def test_quantities_in_their_units(self, value: object, unit: str | None, expected: str) -> None:
        assert cells.number(value, unit) == Decimal(expected)

    @pytest.mark.parametrize(("value", "unit"), [("abc", None), (True, None), ("12", "公顷")])
    def test_what_is_not_a_quantity(self, value: object, unit: str | None) -> None:
        with pytest.raises(ValueError, match="not"):
            cells.number(value, unit)


def test_column_letters_are_excels() -> None:
    from openpyxl.utils import get_column_letter

    assert [cells.column_letter(n) for n in (1, 26, 27, 52, 703, 16384)] == ["A", "Z", "AA", "AZ", "AAA", "XFD"]
    assert all(cells.column_letter(n) == get_column_letter(n) for n in range(1, 18279))
