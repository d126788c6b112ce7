"""The Unified Social Credit Code (GB 32100-2015): normalisation, validation, and what the API does with it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from app.enterprises import credit_code as codes
from app.enterprises.credit_code import ALPHABET, CreditCodeError, validate, with_check_character
from tests.factories import enterprise_payload

# Real, public codes from shared/domain/credit-code.md, including non-enterprise prefixes (12…) and
# letters in the organisation code, which python-stdnum would wrongly reject.
VALID = [
    "91110000600037341L", "121200004013590816", "91310115MA1K3BTP2B", "9144030071526726XG",
    "91440300568520498A", "92340602MA2PBMEM24", "91620105L015101280", "914403001922038216",
    "91330100799655058B",
]


class TestValidCodes:
    @pytest.mark.parametrize("code", VALID)
    def test_every_published_code_validates(self, code: str) -> None:
        assert validate(code) == code

    @pytest.mark.parametrize("code", VALID)
    def test_check_character_is_recomputed(self, code: str) -> None:
        assert with_check_character(code[:17]) == code

    @given(st.text(alphabet=ALPHABET + "IOSVZ", min_size=18, max_size=18))
    def test_organisation_code_check_as_gb_11714_computes_it(self, code: str) -> None:
        # GB 11714: positions 9–16 weighted 3 7 9 10 5 8 4 2 (digits their value, A–Z 10–35); the 17th is
        # 11 − sum mod 11, written X for 10 and 0 for 11.
        values = [int(c) if c.isdigit() else ord(c) - ord("A") + 10 for c in code[8:16]]
        remainder = 11 - sum(v * w for v, w in zip(values, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
        assert codes.organization_code_ok(code) == (code[16] == {10: "X", 11: "0"}.get(remainder, str(remainder)))

    def test_organisation_code_of_published_codes(self) -> None:
        assert [codes.organization_code_ok(code) for code in VALID] == [True] * len(VALID)
        assert not codes.organization_code_ok("91110000600037342L")  # one digit of the organisation code changed
        assert not codes.organization_code_ok("9111000060003734")  # too short to hold a check character

    def test_non_enterprise_prefix_is_only_a_warning(self) -> None:
        assert codes.warnings("121200004013590816")[0].startswith("code starts with '12'")
        assert codes.warnings("91110000600037341L") == []


class TestInvalidCodes:
    @pytest.mark.parametrize("code", ["", "9111000060003734", "91110000600037341LL", "91110000600037341"])
    def test_wrong_length(self, code: str) -> None:
        with pytest.raises(CreditCodeError, match="18 characters"):
            validate(code)

    @pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
    def test_letters_outside_the_alphabet(self, letter: str) -> None:
        with pytest.raises(CreditCodeError, match=f"'{letter}' cannot appear"):
            validate(f"91110000600037{letter}41L")

    def test_every_forbidden_letter_is_named(self) -> None:
        with pytest.raises(CreditCodeError, match="'I', 'O', 'S', 'V', 'Z'"):
            validate("9111000060003IOZSV")

    def test_punctuation_is_not_in_the_alphabet(self) -> None:
        with pytest.raises(CreditCodeError, match="cannot appear"):
            validate("91110000600037341.")

    def test_wrong_check_character(self) -> None:
        with pytest.raises(CreditCodeError, match="should be 'L', not 'N'"):
            validate("91110000600037341N")

    def test_letter_in_region_code(self) -> None:
        code = with_check_character("91A10000600037341")
        with pytest.raises(CreditCodeError, match="region code"):
            validate(code)


class TestNormalisation:
    @pytest.mark.parametrize("typed", [
        "91 110000 600037341L",
        "9111-0000-6000-3734-1L",
        "91110000600037341l",
        "９１１１００００６０００３７３４１Ｌ",
        " 91110000600037341l ",
        "91110000\u3000600037341L",
        "91110000－600037341L",
    ])
    def test_spaces_hyphens_full_width_and_case(self, typed: str) -> None:
        assert validate(typed) == "91110000600037341L"


body_17 = st.text(alphabet=ALPHABET, min_size=9, max_size=9).flatmap(
    lambda tail: st.tuples(
        st.text(alphabet=ALPHABET, min_size=2, max_size=2),
        st.text(alphabet="0123456789", min_size=6, max_size=6),
        st.just(tail),
    )
).map("".join)


class TestProperties:
    @given(body_17)
    def test_any_code_completed_with_its_check_character_validates(self, first17: str) -> None:
        assert validate(with_check_character(first17)) == with_check_character(first17)

    @given(st.sampled_from(VALID), st.integers(min_value=0, max_value=17), st.sampled_from(ALPHABET))
    def test_any_single_character_change_is_rejected(self, code: str, position: int, replacement: str) -> None:
        if code[position] == replacement:
            replacement = ALPHABET[(ALPHABET.index(replacement) + 1) % len(ALPHABET)]
        changed = code[:position] + replacement + code[position + 1:]
        with pytest.raises(CreditCodeError):
            validate(changed)

    @given(body_17, st.integers(min_value=0, max_value=17), st.integers(min_value=1, max_value=30))
    def test_generated_codes_detect_every_substitution(self, first17: str, position: int, shift: int) -> None:
        code = with_check_character(first17)
        replacement = ALPHABET[(ALPHABET.index(code[position]) + shift) % len(ALPHABET)]
        with pytest.raises(CreditCodeError):
            validate(code[:position] + replacement + code[position + 1:])


class TestThroughTheApi:
    def test_stored_in_normalised_form(self, client: TestClient) -> None:
        response = client.post("/api/v1/enterprises", json=enterprise_payload(credit_code="9131-0115-ma1k-3btp-2b"))
        assert response.status_code == 201, response.text
        assert response.json()["credit_code"] == "91310115MA1K3BTP2B"

    @pytest.mark.parametrize(("code", "fragment"), [
        ("91110000600037341N", "check character"),
        ("9111000060003IOZSV", "cannot appear"),
        ("911100006000373", "18 characters"),
    ])
    def test_invalid_code_is_422_on_the_field(self, client: TestClient, code: str, fragment: str) -> None:
        response = client.post("/api/v1/enterprises", json=enterprise_payload(credit_code=code))
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        error = response.json()["errors"][0]
        assert error["loc"] == ["body", "credit_code"]
        assert fragment in error["msg"]

    def test_warning_shown_for_a_non_enterprise_code(self, client: TestClient) -> None:
        response = client.post("/api/v1/enterprises", json=enterprise_payload(credit_code="121200004013590816"))
        assert response.status_code == 201
        assert response.json()["warnings"]
