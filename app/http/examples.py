"""A realistic example of every request body, by schema name, shown in the OpenAPI document.

A test validates each against its model, so an example never drifts from what the API accepts.
"""

from __future__ import annotations

from typing import Any

REQUEST_EXAMPLES: dict[str, Any] = {
    "PasswordChange": {"current_password": "initial-pass-1", "new_password": "a-long-new-one"},
    "ApiTokenCreate": {"name": "月报脚本", "role": "viewer", "expires_on": "2027-12-31"},
    "UserCreate": {"username": "zhangwei", "display_name": "张伟", "role": "staff", "password": "initial-pass-1"},
    "UserUpdate": {"display_name": "张伟（高新科）", "role": "staff"},
    "PasswordReset": {"new_password": "temporary-pass-2"},
    "EnterpriseCreate": {
        "credit_code": "91430702MA4L0B2K33", "name": "常德华鑫智能装备有限公司", "district": "丹阳街道",
        "registered_on": "2016-05-18", "park": "常德高新区", "industry": "C", "industry_code": "3499",
        "tech_domain": "advanced_manufacturing", "above_scale": True, "address": "武陵区桃花源路88号",
        "legal_representative": "刘建国", "tags": ["专精特新"],
    },
    "EnterpriseUpdate": {"park": "常德高新区", "above_scale": True, "tags": ["专精特新", "瞪羚企业"]},
    "ContactCreate": {"name": "李娟", "title": "财务总监", "phone": "13812345678", "email": "lijuan@example.cn",
                      "is_primary": True},
    "ContactUpdate": {"title": "副总经理", "phone": "0736-7788123"},
    "FiguresWrite": {
        "employees": 126, "tech_staff": 31, "revenue": "86500000.00", "total_cost": "79200000.00",
        "rd_expense": "4150000.00", "rd_expense_domestic": "4150000.00", "high_tech_income": "61200000.00",
        "total_income": "88900000.00", "total_assets": "112000000.00", "ip_class1": 3, "ip_class2": 17,
    },
    "IpRightCreate": {"number": "ZL202310123456.7", "kind": "invention_patent", "title": "一种智能分拣装置",
                      "granted_on": "2024-08-16", "expires_on": "2043-03-01"},
    "IpRightUpdate": {"used_by_application_id": 31},
    "CalendarEntryCreate": {"program": "high_tech", "year": 2027, "kind": "batch_deadline", "falls_on": "2027-05-16",
                            "label": "湖南第一批", "source": "湖南省科技厅 2027 年高企认定通知"},
    "CalendarEntryUpdate": {"falls_on": "2027-05-20"},
    "DevelopmentReportWrite": {"filed_on": "2026-05-28"},
    "Body_import_spreadsheet": {"file": "企业名录.xlsx"},
    "VisitCreate": {
        "enterprise_id": 12, "visited_on": "2026-11-20", "kind": "on_site",
        "summary": "了解研发投入和高企申报准备情况，企业希望明年申报高新技术企业。",
        "purpose": "高企培育走访", "participants": "王总、财务李经理", "policy_ids": [3],
        "follow_up_on": "2026-12-20",
        "demands": [{"category": "financing", "description": "希望对接科技贷款，用于新产线设备采购。",
                     "due_on": "2026-12-31"}],
    },
    "VisitUpdate": {"summary": "了解研发投入和高企申报准备情况；已讲解研发费用加计扣除政策。", "policy_ids": [3, 5]},
    "DemandCreate": {"enterprise_id": 12, "category": "talent", "description": "需要招聘两名嵌入式软件工程师。",
                     "visit_id": 40, "due_on": "2026-12-31"},
    "DemandUpdate": {"assignee_id": 4, "due_on": "2027-01-15"},
    "DemandTransition": {"to": "resolved", "resolution": "已对接市人才市场专场招聘会。", "resolved_on": "2026-11-25"},
    "PolicyCreate": {
        "title": "关于进一步完善研发费用税前加计扣除政策的公告", "issuer": "财政部 税务总局",
        "document_no": "财政部 税务总局公告2023年第7号", "category": "tax", "level": "national",
        "effective_from": "2023-01-01", "summary": "企业研发费用按实际发生额的100%在税前加计扣除。",
    },
    "PolicyUpdate": {"effective_to": "2027-12-31"},
    "EventCreate": {
        "title": "2026年高新技术企业认定政策宣讲会", "held_on": "2026-11-18", "kind": "lecture",
        "location": "区政务中心三楼会议室", "organizer": "区科技局", "policy_ids": [3],
        "attendance": [{"enterprise_id": 12, "attendee_count": 2}], "headcount": 45,
    },
    "EventUpdate": {"headcount": 52, "materials_distributed": 60},
    "ApplicationCreate": {"program": "high_tech", "enterprise_id": 12, "year": 2026, "owner_id": 4,
                          "details": {"batch": "2026年第二批"}},
    "ApplicationUpdate": {"reference_no": "GR202643000240", "notes": "材料已齐"},
    "TransitionCreate": {"to": "preparing", "on": "2026-11-20", "note": "企业确认申报，开始准备材料"},
}
