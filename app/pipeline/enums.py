"""Enums of the pipeline's calendar."""

from __future__ import annotations

from enum import StrEnum

from app.enums import register_labels


class CalendarKind(StrEnum):
    window_opens = "window_opens"
    window_closes = "window_closes"
    batch_deadline = "batch_deadline"
    publicity_ends = "publicity_ends"
    checks_end = "checks_end"
    report_due = "report_due"


register_labels(CalendarKind, {
    CalendarKind.window_opens: "申报系统开放", CalendarKind.window_closes: "申报截止",
    CalendarKind.batch_deadline: "批次申报截止", CalendarKind.publicity_ends: "公示结束",
    CalendarKind.checks_end: "抽查结束", CalendarKind.report_due: "年度发展情况报表截止",
})
