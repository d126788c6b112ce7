"""Cell values as offices write them → the values the API schemas take.

Each parser takes the cell (text from CSV, typed values from .xlsx) and the unit written in the column's
header, if any, and returns a value for the schema or raises ``ValueError`` with a reason a clerk
understands. Range and format rules stay in the API schemas; parsers only undo spreadsheet habits.

Money (decided here, documented in the README): amounts are yuan. Thousands separators (``1,250,000``), a
leading ``¥`` and a trailing ``元`` are accepted. ``万元`` / ``千元`` — after the number, or as the unit in
the header (``营业收入（万元）``) — multiply by 10,000 / 1,000; a unit in the cell wins over the header's.
Amounts are never rounded: more than 2 decimals in yuan is refused.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from app.enterprises import credit_code as codes
from app.enums import label_of
from app.messages import Text

Parser = Callable[[Any, str | None], Any]

_PLACEHOLDERS = {"-", "--", "—", "——", "/", "－", "\\"}
_EXCEL_ERRORS = {"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "#SPILL!", "#CALC!"}
MONEY_UNITS = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000), "万": Decimal(10000)}
_LAST_SERIAL = 2_958_465  # 9999-12-31
NOT_AN_AMOUNT = Text("not an amount: write yuan as 1250000.00 (or 125万元)",
                     "不是金额：请以元为单位写成 1250000.00（或 125万元）")


def column_letter(number: int) -> str:
    """Excel's name of column ``number`` (1 → A, 27 → AA): an import of calamine or CSV does not load openpyxl."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def folded(text: str) -> str:
    """Full-width → half-width (NFKC) and surrounding space dropped."""
    return unicodedata.normalize("NFKC", text).strip()


def reason_of(exc: Exception) -> str:
    """The message ``exc`` was raised with, its Chinese kept (``str(exc)`` is the English only)."""
    first = exc.args[0] if exc.args else None
    return first if isinstance(first, Text) else str(exc)


def is_blank(value: Any) -> bool:
    """Empty cells and the dash or slash offices put where nothing is known."""
    if value is None:
        return True
    if isinstance(value, str):
        if len(value.strip()) > 2:
            return False  # longer than any placeholder (folding never drops a character)
        text = folded(value)
        return not text or text in _PLACEHOLDERS
    return False


def check_cell(value: Any) -> None:
    if isinstance(value, str) and ("#" in value or "＃" in value) and folded(value).upper() in _EXCEL_ERRORS:
        raise ValueError(Text(f"the cell holds the Excel error {folded(value)}: fix the formula or type the value",
                              f"单元格是 Excel 错误值 {folded(value)}：请修正公式或直接填写数值"))


def _whole(value: float) -> int:
    if not value.is_integer():
        raise ValueError(Text("must be a whole number", "应为整数"))
    return int(value)


def text(value: Any, unit: str | None = None) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    return str(value)


def credit_code(value: Any, unit: str | None = None) -> str:
    if isinstance(value, float):
        raise ValueError(Text("the code was stored as a number, which loses digits: format the column as text "
                              "(文本) and type the code again",
                              "代码被存成了数字，会丢失位数：请把该列设为“文本”格式后重新输入代码"))
    return codes.validate(text(value))


def date(value: Any, unit: str | None = None) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(value)
    raw = folded(str(value))
    cleaned = re.sub(r"\s+0?0:00(:00)?$", "", raw)
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", cleaned) or re.fullmatch(
        r"(\d{4})(\d{2})(\d{2})", cleaned)
    if match:
        year, month, day = (int(part) for part in match.groups())
        try:
            return dt.date(year, month, day)
        except ValueError as exc:
            raise ValueError(Text(f"there is no such date: {raw}", f"没有这一天：{raw}")) from exc
    if re.fullmatch(r"\d{5}", cleaned):
        return _serial(int(cleaned))
    raise ValueError(Text("not a date: write it as 2023-12-08, 2023/12/08 or 2023年12月8日",
                          "不是日期：请写成 2023-12-08、2023/12/08 或 2023年12月8日"))


def _serial(number: float) -> dt.date:
    if not 1 <= number <= _LAST_SERIAL:
        raise ValueError(Text(f"{number} is not an Excel date", f"{number} 不是 Excel 日期"))
    from openpyxl.utils.datetime import from_excel  # loaded by the first date serial, not at start

    moment = from_excel(number)
    if not isinstance(moment, dt.datetime):
        raise ValueError(Text(f"{number} is not an Excel date", f"{number} 不是 Excel 日期"))
    return moment.date()


def year(value: Any, unit: str | None = None) -> int:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _whole(float(value))
    match = re.fullmatch(r"(\d{4})\s*(年度?)?", folded(str(value)))
    if not match:
        raise ValueError(Text("not a year: write it as 2024", "不是年份：请写成 2024"))
    return int(match.group(1))


def count(value: Any, unit: str | None = None) -> int:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _whole(float(value))
    raw = re.sub(r"[\s,]", "", folded(str(value)))
    match = re.fullmatch(r"(-?\d+)(?:\.0+)?(人|个|件|项|名)?", raw)
    if not match:
        raise ValueError(Text("must be a whole number, e.g. 120", "应为整数，例如 120"))
    return int(match.group(1))


def money(value: Any, unit: str | None = None) -> Decimal:
    return _decimal(value, MONEY_UNITS.get(unit or "元", Decimal(1)), MONEY_UNITS, NOT_AN_AMOUNT)


# Quantities other than money: official figures in 亿元, rates in %, areas in 亩, counts.
QUANTITY_UNITS = {"万元": Decimal(10_000), "亿元": Decimal(100_000_000), "万": Decimal(10_000),
                  "亿": Decimal(100_000_000), "元": Decimal(1), "%": Decimal(1), "亩": Decimal(1)}
NOT_A_NUMBER = Text("not a number: write it as 1250000.00", "不是数值：请写成 1250000.00 这样的数")


def number(value: Any, unit: str | None = None) -> Decimal:
    """A quantity with thousands separators; 万/亿 after the number or in the header scale it."""
    if unit is not None and unit not in QUANTITY_UNITS:
        units = "、".join(QUANTITY_UNITS)
        raise ValueError(Text(f"the header's unit {unit} is not understood: use {units}",
                              f"无法识别表头中的单位 {unit}：应为 {units}"))
    return _decimal(value, QUANTITY_UNITS.get(unit or "", Decimal(1)), QUANTITY_UNITS, NOT_A_NUMBER)


def _decimal(value: Any, scale: Decimal, units: dict[str, Decimal], problem: Text) -> Decimal:
    """``value`` times ``scale``, or times the unit written after it (the longest of ``units`` first)."""
    if isinstance(value, bool):
        raise ValueError(problem)
    if isinstance(value, int):
        return Decimal(value) * scale
    if isinstance(value, float):
        amount = Decimal(repr(value))
        # Excel stores 0.1 + 0.2 as 0.30000000000000004: that is float noise, not a third decimal.
        cents = amount.quantize(Decimal("0.01"))
        if amount != cents and abs(amount - cents) < Decimal("0.000001"):
            amount = cents
        return amount * scale
    raw = re.sub(r"[\s,]", "", folded(str(value))).removeprefix("¥")
    for suffix in sorted(units, key=len, reverse=True):
        if raw.endswith(suffix):
            raw, scale = raw.removesuffix(suffix), units[suffix]
            break
    try:
        amount = Decimal(raw)
    except InvalidOperation as exc:
        raise ValueError(problem) from exc
    if not amount.is_finite():
        raise ValueError(problem)
    return amount * scale


_TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "规上"}
_FALSE = {"否", "n", "no", "false", "0", "×", "✗", "规下"}


def boolean(value: Any, unit: str | None = None) -> bool:
    if isinstance(value, bool):
        return value
    key = folded(text(value)).casefold()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(Text("write 是 or 否", "请填写 是 或 否"))


def tags(value: Any, unit: str | None = None) -> list[str]:
    return [part.strip() for part in re.split(r"[,;、\n]", folded(text(value))) if part.strip()]


def _squeezed(value: str) -> str:
    """Spaces and the separators between a code and its label dropped: ``C - 制造业`` → ``c制造业``."""
    return re.sub(r"[\s\-.、:,]+", "", folded(value)).casefold()


def choice(enum: type[StrEnum], *, numbered: bool = False) -> Parser:
    """An enum value given as its code, its Chinese label, the code followed by the label (``C 制造业``)
    or — for numbered lists such as the 8 high-tech domains — its number."""
    lookup: dict[str, StrEnum] = {}
    for position, member in enumerate(enum, start=1):
        label = _squeezed(label_of(member))
        lookup[_squeezed(member.value)] = member
        lookup[label] = member
        lookup[_squeezed(member.value) + label] = member
        if numbered:
            lookup[str(position)] = member
            lookup[f"{position}{label}"] = member
    names = "、".join(label_of(member) for member in enum)

    def parse(value: Any, unit: str | None = None) -> str:
        member = lookup.get(_squeezed(text(value)))
        if member is None:
            raise ValueError(Text(f"unknown value; one of: {names}", f"无法识别的值；应为以下之一：{names}"))
        return member.value

    return parse
