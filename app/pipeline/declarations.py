"""The shape of a program declaration and the registry ``/programs`` serves.

A program is data: its stages, which stage may follow which, what a transition into a stage requires,
and what entering a stage derives (dates of validity, say). The service reads only these declarations,
so a fifth program is one more ``register_program`` call and no new route or column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from app.enums import register_labels


class StageKind(StrEnum):
    """Where a stage sits in the life of an application."""

    open = "open"
    held = "held"
    closed = "closed"


register_labels(StageKind, {
    StageKind.open: "办理中",
    StageKind.held: "已取得(有效期内)",
    StageKind.closed: "已结束",
})

# The columns a transition may set, with the label a form shows for each.
COMMON_FIELDS: dict[str, str] = {
    "reference_no": "编号",
    "amount_approved": "批准金额",
    "amount_disbursed": "拨付/放款金额",
    "valid_until": "有效期至/到期日",
}


@dataclass(frozen=True)
class Stage:
    code: str
    label: str
    kind: StageKind = StageKind.open


@dataclass(frozen=True)
class Entered:
    """What the service knows when an application enters a stage."""

    year: int
    on: dt.date
    reference_no: str | None
    amount_approved: Decimal | None
    amount_disbursed: Decimal | None
    valid_from: dt.date | None
    valid_until: dt.date | None
    details: Mapping[str, Any]


Derive = Callable[[Entered], dict[str, Any]]
"""Column values that follow from entering a stage, e.g. ``{"valid_until": …}``."""
Check = Callable[[Entered], list[tuple[str, str]]]
"""(field, message) for every rule the new state breaks; each becomes a 422 item."""


@dataclass(frozen=True)
class Requirement:
    field: str
    """A common column (see COMMON_FIELDS) or ``details.<name>`` for a field of the program's details."""
    label: str


@dataclass(frozen=True)
class Transition:
    to: str
    sources: tuple[str, ...]
    requires: tuple[Requirement, ...] = ()
    derive: Derive | None = None
    check: Check | None = None


@dataclass(frozen=True)
class Program:
    code: str
    label: str
    description: str
    stages: tuple[Stage, ...]
    transitions: tuple[Transition, ...]
    details: type[BaseModel]
    unique_per_year: bool
    rule_version: str
    entry_stages: tuple[str, ...] = ()
    """Stages a new application may start in; the first stage when empty."""
    withdrawable: bool = True
    """Whether ``withdrawn`` (放弃) is allowed from every open stage."""
    computed_details: tuple[str, ...] = ()
    """Detail fields Seedbed computes itself: a client that sends one (even null) gets a 422."""
    derived_fields: tuple[str, ...] = ()
    """Columns the program's transitions derive (a certificate's validity): PATCH cannot set them."""
    _stage_index: dict[str, Stage] = field(init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._stage_index.update({stage.code: stage for stage in self.all_stages})
        for transition in self.all_transitions:
            unknown = {transition.to, *transition.sources} - set(self._stage_index)
            if unknown:
                raise ValueError(f"{self.code}: transition to {transition.to} names unknown stages {sorted(unknown)}")

    @property
    def all_stages(self) -> tuple[Stage, ...]:
        return (*self.stages, WITHDRAWN) if self.withdrawable else self.stages

    @property
    def all_transitions(self) -> tuple[Transition, ...]:
        if not self.withdrawable:
            return self.transitions
        open_stages = tuple(s.code for s in self.stages if s.kind is StageKind.open)
        return (*self.transitions, Transition(to=WITHDRAWN.code, sources=open_stages))

    @property
    def starts(self) -> tuple[str, ...]:
        return self.entry_stages or (self.stages[0].code,)

    def stage(self, code: str) -> Stage | None:
        return self._stage_index.get(code)

    def stages_of_kind(self, kind: StageKind) -> tuple[str, ...]:
        return tuple(s.code for s in self.all_stages if s.kind is kind)

    def allowed_from(self, stage: str) -> list[str]:
        return [t.to for t in self.all_transitions if stage in t.sources]

    def transition(self, source: str, to: str) -> Transition | None:
        return next((t for t in self.all_transitions if t.to == to and source in t.sources), None)

    def path(self, source: str, to: str) -> list[Transition] | None:
        """The shortest chain of transitions from ``source`` to ``to`` (None if unreachable): what an
        imported historic record skipped, so that every rule on the way still applies to it."""
        previous: dict[str, tuple[str, Transition] | None] = {source: None}
        frontier = [source]
        while frontier and to not in previous:
            nxt = []
            for stage in frontier:
                for rule in self.all_transitions:
                    if stage in rule.sources and rule.to not in previous:
                        previous[rule.to] = (stage, rule)
                        nxt.append(rule.to)
            frontier = nxt
        if to not in previous or to == source:
            return None
        chain: list[Transition] = []
        node = to
        while (step := previous[node]) is not None:
            node, rule = step
            chain.append(rule)
        return chain[::-1]


# Giving up is possible in every program (DESIGN: "from any non-terminal stage: withdrawn 放弃"); it is
# offered from open stages only, because a held result (a certificate, a loan) ends by revocation or
# repayment, not by the firm losing interest.
WITHDRAWN = Stage("withdrawn", "放弃", StageKind.closed)

_PROGRAMS: dict[str, Program] = {}


def register_program(program: Program) -> Program:
    if program.code in _PROGRAMS:
        raise ValueError(f"program {program.code} is declared twice")
    _PROGRAMS[program.code] = program
    return program


def unregister_program(code: str) -> None:
    """For tests that declare a program of their own."""
    _PROGRAMS.pop(code, None)


def programs() -> list[Program]:
    return list(_PROGRAMS.values())


def find_program(code: str) -> Program | None:
    return _PROGRAMS.get(code)
