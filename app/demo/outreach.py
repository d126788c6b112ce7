"""Demo steps of outreach: the starter policy catalog, visits, the demands they raise, publicity events.

Visits go mostly to active firms, more to innovative ones; demands raised long ago are mostly resolved,
recent ones still open. Staff are the active staff and admin accounts already in the database (the demo
makes no accounts); without any, visits have no staff rows.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from itertools import accumulate
from typing import Any

from sqlalchemy import select

from app.auth.models import User
from app.demo import outreach_words as words
from app.demo.context import BATCH_SIZE, DemoContext, DemoFirm, reserve_ids, weighted
from app.enterprises.enums import EnterpriseStatus
from app.publicity.models import EventAttendance, EventPolicy, Policy, PublicityEvent
from app.visits.models import Demand, Visit, VisitPolicy, VisitStaff

DEMAND_SHARE = 0.35


def policies(ctx: DemoContext) -> dict[str, int]:
    """The starter catalog; a policy whose title is already in the catalog is not added again."""
    present = set(ctx.session.scalars(select(Policy.title)))
    rows = [
        {"title": title, "issuer": issuer, "document_no": number, "category": category, "level": level,
         "effective_from": start, "effective_to": None, "summary": summary, "url": url, "version": 1,
         "archived_at": None, "created_at": ctx.now, "updated_at": ctx.now}
        for title, issuer, number, category, level, start, summary, url in words.POLICIES if title not in present
    ]
    return {"policies": ctx.insert(Policy, rows)}


def _catalog(ctx: DemoContext) -> dict[str, int]:
    query = select(Policy.title, Policy.id).where(Policy.archived_at.is_(None)).order_by(Policy.id)
    return {title: policy_id for title, policy_id in ctx.session.execute(query)}


def _staff(ctx: DemoContext) -> list[int]:
    query = select(User.id).where(User.active.is_(True), User.role.in_(("staff", "admin"))).order_by(User.id)
    return list(ctx.session.scalars(query))


def _day(rng: random.Random, ctx: DemoContext, firm: DemoFirm) -> dt.date:
    return ctx.history_day(rng, firm.registered_on)


def _visit_count(rng: random.Random, firm: DemoFirm) -> int:
    if firm.status != EnterpriseStatus.active.value:
        return 1 if rng.random() < 0.1 else 0
    return min(8, int(rng.expovariate(1 / (0.3 + 3 * firm.intensity))))


def _attention(firm: DemoFirm) -> float:
    return 0.3 + 3 * firm.intensity if firm.status == EnterpriseStatus.active.value else 0.1


def _visit_counter(ctx: DemoContext, rng: random.Random) -> Callable[[DemoFirm], int]:
    """How many visits a firm gets: the natural rate, or ``ctx.visits_per_firm`` on average with the same
    preference for active, innovative firms (benchmark datasets need ten or more per firm)."""
    wanted = ctx.visits_per_firm
    if wanted is None:
        return lambda firm: _visit_count(rng, firm)
    mean_attention = sum(map(_attention, ctx.firms)) / max(1, len(ctx.firms))
    scale = wanted / mean_attention if mean_attention else 0.0
    cap = max(8, round(6 * wanted))

    def count(firm: DemoFirm) -> int:
        expected = scale * _attention(firm)
        # Rounding an exponential draw keeps its mean; plain int() would lose half a visit per firm.
        return min(cap, round(rng.expovariate(1 / expected))) if expected > 0 else 0

    return count


def visits(ctx: DemoContext) -> dict[str, int]:
    """Visits of the two years before and the year in progress, with their staff and the policies explained,
    and the demands raised."""
    rng = ctx.rng("visits")
    catalog = list(_catalog(ctx).items())
    staff = _staff(ctx)
    kind = weighted(rng, words.VISIT_KINDS)
    visit_count = _visit_counter(ctx, rng)
    plans: list[tuple[DemoFirm, dt.date]] = []
    for firm in ctx.firms:
        plans.extend((firm, _day(rng, ctx, firm)) for _ in range(visit_count(firm)))
    plans.sort(key=lambda plan: (plan[1], plan[0].id))
    counts = {"visits": 0, "visit_staff": 0, "visit_policies": 0}
    raised: list[tuple[int, DemoFirm, dt.date, int | None]] = []
    ids = reserve_ids(ctx.session, Visit, len(plans))
    # Inserted a batch at a time: a city's million visits held as dicts at once took gigabytes.
    for start in range(0, len(plans), BATCH_SIZE):
        visit_rows: list[dict[str, Any]] = []
        staff_rows: list[dict[str, int]] = []
        policy_rows: list[dict[str, int]] = []
        for visit_id, (firm, day) in zip(ids[start:start + BATCH_SIZE], plans[start:start + BATCH_SIZE], strict=True):
            explained = rng.sample(catalog, min(len(catalog), int(rng.random() * (1 + 3 * firm.intensity))))
            team = rng.sample(staff, min(len(staff), 1 if rng.random() < 0.6 else 2))
            summary = [rng.choice(words.SUMMARY_OPENINGS)]
            if explained:
                summary.append(words.SUMMARY_POLICY.format(policy="、".join(f"《{t}》" for t, _ in explained)))
            summary.append(rng.choice(words.SUMMARY_CLOSINGS))
            roles = rng.sample(words.PARTICIPANT_ROLES, rng.randint(1, 2))
            visit_rows.append({
                "id": visit_id, "enterprise_id": firm.id, "visited_on": day, "kind": kind(),
                "purpose": rng.choice(words.PURPOSES) if rng.random() < 0.8 else None, "summary": "".join(summary),
                "participants": f"{firm.legal_representative}（法定代表人）、" + "、".join(roles)
                if rng.random() < 0.5 else "、".join(roles),
                "follow_up_on": day + dt.timedelta(days=rng.randint(14, 60)) if rng.random() < 0.3 else None,
                "logged_by": team[0] if team else None, "version": 1, "archived_at": None,
                "created_at": ctx.now, "updated_at": ctx.now,
            })
            staff_rows.extend({"visit_id": visit_id, "user_id": user_id} for user_id in team)
            policy_rows.extend({"visit_id": visit_id, "policy_id": policy_id} for _, policy_id in explained)
            if rng.random() < DEMAND_SHARE:
                raised.append((visit_id, firm, day, team[0] if team else None))
        counts["visits"] += ctx.insert(Visit, visit_rows)
        counts["visit_staff"] += ctx.insert(VisitStaff, staff_rows)
        counts["visit_policies"] += ctx.insert(VisitPolicy, policy_rows)
    return {**counts, "demands": ctx.insert(Demand, _demand_rows(ctx, rng, raised, staff))}


def _demand_rows(ctx: DemoContext, rng: random.Random, raised: list[tuple[int, DemoFirm, dt.date, int | None]],
                 staff: list[int]) -> Iterator[dict[str, Any]]:
    category = weighted(rng, words.DEMAND_CATEGORIES)
    for visit_id, firm, day, logger in raised:
        chosen = category()
        due = day + dt.timedelta(days=rng.choice((15, 30, 30, 60, 90)))
        row: dict[str, Any] = {
            "enterprise_id": firm.id, "visit_id": visit_id, "category": chosen,
            "description": rng.choice(words.DEMANDS[chosen]).format(amount=rng.choice((100, 200, 300, 500))),
            "raised_on": day, "assignee_id": rng.choice(staff) if staff else None,
            "due_on": due if rng.random() < 0.85 else None, "status": "open", "resolution": None,
            "resolved_on": None, "close_reason": None, "closed_on": None, "logged_by": logger, "version": 1,
            "archived_at": None, "created_at": ctx.now, "updated_at": ctx.now,
        }
        age = (ctx.as_of - day).days
        outcome = rng.random()
        if outcome < min(0.85, age / 120):
            if outcome < 0.1:
                row.update(status="closed", close_reason=rng.choice(words.CLOSE_REASONS),
                           closed_on=min(ctx.as_of, day + dt.timedelta(days=rng.randint(3, 60))))
            else:
                # Most are answered in time; some late: the on-time rate statistics need both.
                late = rng.random() < 0.2
                took = rng.randint(3, 40) if not late else rng.randint(40, 120)
                row.update(status="resolved", resolution=rng.choice(words.RESOLUTIONS[chosen]),
                           resolved_on=min(ctx.as_of, day + dt.timedelta(days=took)))
        elif rng.random() < 0.5:
            row["status"] = "in_progress"
        yield row


def publicity_events(ctx: DemoContext) -> dict[str, int]:
    """A few events a quarter, each covering its policies; innovative active firms attend more often."""
    rng = ctx.rng("publicity_events")
    catalog = _catalog(ctx)
    staff = _staff(ctx)
    active = [firm for firm in ctx.firms if firm.status == EnterpriseStatus.active.value]
    if not active:
        return {"publicity_events": 0, "event_policies": 0, "event_attendance": 0}
    count = max(4, len(active) // 40)
    event_rows: list[dict[str, Any]] = []
    policy_rows: list[dict[str, int]] = []
    attendance_rows: list[dict[str, int]] = []
    days = sorted(ctx.history_day(rng) for _ in range(count))
    # Cumulative weights once: rng.choices(weights=...) rebuilds them on every call, which made this step
    # quadratic in the number of firms (hours at city scale). The draws are the same either way.
    cumulative = list(accumulate(0.1 + firm.intensity for firm in active))
    for event_id, day in zip(reserve_ids(ctx.session, PublicityEvent, count), days, strict=True):
        title, kind, covered = rng.choice(words.EVENTS)
        size = 0 if kind == "media" else min(len(active), rng.randint(5, 40))
        attendees: dict[int, int] = {}
        while len(attendees) < size:
            attendees.setdefault(rng.choices(active, cum_weights=cumulative)[0].id, rng.choice((1, 1, 1, 2, 2, 3)))
        headcount = sum(attendees.values()) + rng.randint(0, 20) if kind != "media" else None
        event_rows.append({
            "id": event_id, "title": title.format(year=day.year), "held_on": day, "kind": kind,
            "location": None if kind in ("online", "media") else rng.choice(words.LOCATIONS),
            "organizer": rng.choice(words.ORGANIZERS), "headcount": headcount,
            "materials_distributed": headcount * rng.randint(1, 3) if headcount else None, "notes": None,
            "created_by": rng.choice(staff) if staff else None, "version": 1, "archived_at": None,
            "created_at": ctx.now, "updated_at": ctx.now,
        })
        policy_rows.extend({"event_id": event_id, "policy_id": catalog[t]} for t in covered if t in catalog)
        attendance_rows.extend({"event_id": event_id, "enterprise_id": firm_id, "attendee_count": n}
                               for firm_id, n in sorted(attendees.items()))
    return {
        "publicity_events": ctx.insert(PublicityEvent, event_rows),
        "event_policies": ctx.insert(EventPolicy, policy_rows),
        "event_attendance": ctx.insert(EventAttendance, attendance_rows),
    }
