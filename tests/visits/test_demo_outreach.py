from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import demo
from app.auth.roles import Role
from app.demo.outreach_words import POLICIES
from app.enterprises.models import Enterprise
from app.publicity.models import EventAttendance, Policy, PublicityEvent
from app.visits.models import Demand, Visit, VisitStaff
from tests.conftest import Account

AS_OF = dt.date(2026, 6, 30)


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


class TestOutreachDemoData:
    def test_catalog_visits_demands_and_events_follow_the_rules(
        self, session: Session, accounts: dict[Role, Account]
    ) -> None:
        summary = demo.generate(session, enterprises=300, seed=3, as_of=AS_OF)
        assert summary["policies"] == len(POLICIES)
        assert summary["visits"] == _count(session, Visit) > 100
        assert summary["demands"] == _count(session, Demand) > 20
        assert summary["publicity_events"] == _count(session, PublicityEvent) >= 4
        staff_ids = {account.user_id for role, account in accounts.items() if role is not Role.viewer}
        visit_staff = set(session.scalars(select(VisitStaff.user_id)))
        assert visit_staff
        assert visit_staff <= staff_ids
        visited = session.execute(select(Enterprise.status, func.count())
                                  .join(Visit, Visit.enterprise_id == Enterprise.id).group_by(Enterprise.status)).all()
        assert dict(visited)["active"] > 0.9 * summary["visits"]
        assert session.scalar(select(func.max(Visit.visited_on))) <= AS_OF
        for demand in session.scalars(select(Demand)):
            if demand.status == "resolved":
                assert demand.resolution
                assert demand.raised_on <= demand.resolved_on <= AS_OF  # type: ignore[operator]
            if demand.status == "closed":
                assert demand.close_reason
        assert _count(session, EventAttendance) > 0

    def test_a_second_run_does_not_copy_the_catalog(self, session: Session) -> None:
        demo.generate(session, enterprises=20, seed=1, as_of=AS_OF)
        again = demo.generate(session, enterprises=20, seed=1, as_of=AS_OF)
        assert again["policies"] == 0
        assert _count(session, Policy) == len(POLICIES)


class TestVisitsPerFirm:
    def test_the_mean_follows_the_option_and_stays_deterministic(self, session: Session) -> None:
        summary = demo.generate(session, enterprises=200, seed=5, as_of=AS_OF, visits_per_firm=10)
        assert 1600 <= summary["visits"] <= 2400
        visited = session.execute(select(Enterprise.status, func.count())
                                  .join(Visit, Visit.enterprise_id == Enterprise.id).group_by(Enterprise.status)).all()
        assert dict(visited)["active"] > 0.9 * summary["visits"]

    def test_zero_means_no_visits(self, session: Session) -> None:
        assert demo.generate(session, enterprises=30, seed=5, as_of=AS_OF, visits_per_firm=0)["visits"] == 0
