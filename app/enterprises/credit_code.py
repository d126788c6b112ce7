"""Unified Social Credit Code (统一社会信用代码, GB 32100-2015): normalisation and validation.

Pure functions. See ``shared/domain/credit-code.md``: the 31-symbol alphabet, digits in positions 3–8,
and the check character over positions 1–17 with weights 3^(i-1) mod 31.
"""

from __future__ import annotations

import operator
import re
import unicodedata

from app.messages import Text

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_WELL_FORMED = re.compile(f"[{ALPHABET}]*")
LENGTH = 18

# GB 11714 organisation code (positions 9–17): a second check we only warn about.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_VALUES = {**{str(d): d for d in range(10)}, **{chr(ord("A") + i): 10 + i for i in range(26)}}
# Each position's weighted value of each character, and the check character of each sum's remainder: this runs
# for every firm of every page read, and eight lookups cost a quarter of multiplying as it goes.
_P9, _P10, _P11, _P12, _P13, _P14, _P15, _P16 = (
    {character: value * weight for character, value in _ORG_VALUES.items()} for weight in _ORG_WEIGHTS)
_ORG_CHECK = {rest: "X" if 11 - rest == 10 else "0" if 11 - rest == 11 else str(11 - rest) for rest in range(11)}

ENTERPRISE_PREFIXES = ("91", "92", "93")


class CreditCodeError(ValueError):
    """The code cannot be a valid credit code; the message says why in plain words."""


def normalize(raw: str) -> str:
    """Full-width to half-width, drop spaces and hyphens, upper-case."""
    text = unicodedata.normalize("NFKC", raw)
    if text.isascii() and text.isalnum():
        return text.upper()  # nothing to drop: the common case, without a look at each character
    return "".join(ch for ch in text if not ch.isspace() and ch not in "-_").upper()


def check_character(first17: str) -> str:
    if len(first17) != len(WEIGHTS):
        raise ValueError("the check character is computed over 17 characters")
    total = sum(map(operator.mul, map(_VALUE.__getitem__, first17), WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def validate(raw: str) -> str:
    """Return the normalised code, or raise ``CreditCodeError`` saying what is wrong."""
    code = normalize(raw)
    if len(code) != LENGTH:
        raise CreditCodeError(Text(f"a credit code has 18 characters; this one has {len(code)}",
                                   f"统一社会信用代码为 18 位，这个有 {len(code)} 位"))
    bad = [] if _WELL_FORMED.fullmatch(code) else sorted({ch for ch in code if ch not in _VALUE})
    if bad:
        shown = ", ".join(repr(ch) for ch in bad)
        raise CreditCodeError(Text(
            f"{shown} cannot appear in a credit code (allowed: digits and capital letters except I, O, Z, S, V)",
            f"统一社会信用代码中不能出现 {shown}（只能是数字和除 I、O、Z、S、V 以外的大写字母）"))
    if not code[2:8].isdigit():
        raise CreditCodeError(Text("characters 3–8 are the region code and must be digits",
                                   "第 3–8 位是行政区划码，必须是数字"))
    expected = check_character(code[:17])
    if code[17] != expected:
        raise CreditCodeError(Text(
            f"the last character is the check character and should be '{expected}', not '{code[17]}': "
            "a character was probably mistyped",
            f"最后一位是校验码，应为“{expected}”而不是“{code[17]}”：可能有字符输错了"))
    return code


def is_valid(raw: str) -> bool:
    try:
        validate(raw)
    except CreditCodeError:
        return False
    return True


def organization_code_ok(code: str) -> bool:
    """GB 11714 check of positions 9–17; some legitimate codes fail it, so callers only warn."""
    try:
        total = (_P9[code[8]] + _P10[code[9]] + _P11[code[10]] + _P12[code[11]] + _P13[code[12]]
                 + _P14[code[13]] + _P15[code[14]] + _P16[code[15]])
        return code[16] == _ORG_CHECK[total % 11]
    except (KeyError, IndexError):  # a character GB 11714 has no value for, or a code too short
        return False


def warnings(code: str) -> list[Text]:
    """Soft findings about a valid code, shown to staff but never blocking a save."""
    found = []
    if not code.startswith(ENTERPRISE_PREFIXES):
        found.append(Text(
            f"code starts with '{code[:2]}': not an enterprise (91), individual business (92) "
            "or cooperative (93) registered with market regulation",
            f"代码以“{code[:2]}”开头：不是在市场监管部门登记的企业（91）、个体工商户（92）或农民专业合作社（93）",
        ))
    if not organization_code_ok(code):
        found.append(Text("characters 9–17 fail the GB 11714 organisation-code check",
                          "第 9–17 位未通过 GB 11714 组织机构代码校验"))
    return found


def with_check_character(first17: str) -> str:
    """Complete 17 characters into a valid code (demo data and tests)."""
    return first17 + check_character(first17)
