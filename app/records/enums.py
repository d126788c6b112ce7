"""Classifications more than one record kind uses."""

from __future__ import annotations

from enum import StrEnum

from app.enums import register_labels


class AdministrativeLevel(StrEnum):
    """Who recognised a platform or appointed a commissioner."""

    national = "national"
    provincial = "provincial"
    municipal = "municipal"
    district = "district"


register_labels(AdministrativeLevel, {
    AdministrativeLevel.national: "国家级",
    AdministrativeLevel.provincial: "省级",
    AdministrativeLevel.municipal: "市级",
    AdministrativeLevel.district: "区级",
})

# Highest first: "provincial or higher" is every level up to and including provincial.
LEVEL_RANK = {AdministrativeLevel.national: 0, AdministrativeLevel.provincial: 1,
              AdministrativeLevel.municipal: 2, AdministrativeLevel.district: 3}


def at_or_above(level: AdministrativeLevel) -> list[str]:
    return [member.value for member, rank in LEVEL_RANK.items() if rank <= LEVEL_RANK[level]]
