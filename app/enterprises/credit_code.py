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
    body, check = code[8:16], code[16]  # eight characters: a shorter code has no code[16]
    try:
        # map, not a generator: this runs for every firm of every page read
        total = sum(map(operator.mul, map(_ORG_VALUES.__getitem__, body), _ORG_WEIGHTS))
    except KeyError:
        return False
    remainder = 11 - total % 11
    expected = "X" if remainder == 10 else "0" if remainder == 11 else str(remainder)
    return check == expected


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
