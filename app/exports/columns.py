"""The columns of each export; Chinese headers match what the import accepts, so an export re-imports."""

from __future__ import annotations

from typing import Any

from app.enterprises.enums import EnterpriseStatus, Industry, TechDomain
from app.enums import label_of
from app.exports.tabular import Column
from app.pipeline import declarations
from app.visits.enums import DemandCategory, DemandStatus, VisitKind


def _label(enum: type[Any]) -> Any:
    labels = {member.value: label_of(member) for member in enum}
    return lambda code: labels.get(code, code)


# Rows of firms are (plain row of the enterprises table, sorted tags): no ORM objects for 100,000 firms.
ENTERPRISE_COLUMNS = (
    Column("id", "编号", lambda r: r[0].id),
    Column("credit_code", "统一社会信用代码", lambda r: r[0].credit_code),
    Column("name", "企业名称", lambda r: r[0].name),
    Column("district", "所属街道", lambda r: r[0].district),
    Column("park", "园区", lambda r: r[0].park),
    Column("industry", "行业门类", lambda r: r[0].industry, _label(Industry)),
    Column("industry_code", "行业代码", lambda r: r[0].industry_code),
    Column("tech_domain", "技术领域", lambda r: r[0].tech_domain, _label(TechDomain)),
    Column("above_scale", "规上企业", lambda r: r[0].above_scale),
    Column("registered_on", "成立日期", lambda r: r[0].registered_on),
    Column("address", "地址", lambda r: r[0].address),
    Column("legal_representative", "法定代表人", lambda r: r[0].legal_representative),
    Column("owner_id", "包联干部", lambda r: r[0].owner_id, people=True),
    Column("tags", "标签", lambda r: r[1]),
    Column("status", "经营状态", lambda r: r[0].status, _label(EnterpriseStatus)),
    Column("updated_at", "更新时间(北京时间)", lambda r: r[0].updated_at),
    Column("archived_at", "归档时间(北京时间)", lambda r: r[0].archived_at),
)


def _program_label(code: str) -> str:
    program = declarations.find_program(code)
    return program.label if program else code


def _stage_label(row: Any) -> str:
    program = declarations.find_program(row[0].program)
    stage = program.stage(row[0].stage) if program else None
    return stage.label if stage else row[0].stage


# Rows of applications, visits and demands are (record, firm name, credit code): staff read firms by name.
APPLICATION_COLUMNS = (
    Column("id", "编号", lambda r: r[0].id),
    Column("enterprise_id", "企业编号", lambda r: r[0].enterprise_id),
    Column("enterprise_name", "企业名称", lambda r: r[1]),
    Column("credit_code", "统一社会信用代码", lambda r: r[2]),
    Column("program", "培育项目", lambda r: r[0].program, _program_label),
    Column("year", "年度", lambda r: r[0].year),
    Column("stage", "阶段", lambda r: r[0].stage),
    Column("stage_label", "阶段名称", _stage_label),
    Column("stage_entered_on", "进入阶段日期", lambda r: r[0].stage_entered_on),
    Column("reference_no", "编号/证书号", lambda r: r[0].reference_no),
    Column("amount_requested", "申请金额(元)", lambda r: r[0].amount_requested),
    Column("amount_approved", "批准金额(元)", lambda r: r[0].amount_approved),
    Column("amount_disbursed", "拨付/放款金额(元)", lambda r: r[0].amount_disbursed),
    Column("decided_on", "决定日期", lambda r: r[0].decided_on),
    Column("valid_from", "有效期起", lambda r: r[0].valid_from),
    Column("valid_until", "有效期至/到期日", lambda r: r[0].valid_until),
    Column("owner_id", "经办人", lambda r: r[0].owner_id, people=True),
    Column("notes", "备注", lambda r: r[0].notes),
    Column("updated_at", "更新时间(北京时间)", lambda r: r[0].updated_at),
    Column("archived_at", "归档时间(北京时间)", lambda r: r[0].archived_at),
)

VISIT_COLUMNS = (
    Column("id", "编号", lambda r: r[0].id),
    Column("enterprise_id", "企业编号", lambda r: r[0].enterprise_id),
    Column("enterprise_name", "企业名称", lambda r: r[1]),
    Column("credit_code", "统一社会信用代码", lambda r: r[2]),
    Column("visited_on", "走访日期", lambda r: r[0].visited_on),
    Column("kind", "走访方式", lambda r: r[0].kind, _label(VisitKind)),
    Column("purpose", "走访目的", lambda r: r[0].purpose),
    Column("summary", "走访情况", lambda r: r[0].summary),
    Column("participants", "企业参与人员", lambda r: r[0].participants),
    Column("staff_ids", "走访人员", lambda r: r[0].staff_ids, people=True),
    Column("policy_ids", "宣讲政策编号", lambda r: r[0].policy_ids),
    Column("follow_up_on", "回访日期", lambda r: r[0].follow_up_on),
    Column("updated_at", "更新时间(北京时间)", lambda r: r[0].updated_at),
    Column("archived_at", "归档时间(北京时间)", lambda r: r[0].archived_at),
)

DEMAND_COLUMNS = (
    Column("id", "编号", lambda r: r[0].id),
    Column("enterprise_id", "企业编号", lambda r: r[0].enterprise_id),
    Column("enterprise_name", "企业名称", lambda r: r[1]),
    Column("credit_code", "统一社会信用代码", lambda r: r[2]),
    Column("category", "诉求类别", lambda r: r[0].category, _label(DemandCategory)),
    Column("description", "诉求内容", lambda r: r[0].description),
    Column("raised_on", "提出日期", lambda r: r[0].raised_on),
    Column("visit_id", "走访编号", lambda r: r[0].visit_id),
    Column("assignee_id", "承办人", lambda r: r[0].assignee_id, people=True),
    Column("due_on", "办结时限", lambda r: r[0].due_on),
    Column("status", "办理状态", lambda r: r[0].status, _label(DemandStatus)),
    Column("resolution", "解决情况", lambda r: r[0].resolution),
    Column("resolved_on", "解决日期", lambda r: r[0].resolved_on),
    Column("close_reason", "关闭原因", lambda r: r[0].close_reason),
    Column("closed_on", "关闭日期", lambda r: r[0].closed_on),
    Column("updated_at", "更新时间(北京时间)", lambda r: r[0].updated_at),
    Column("archived_at", "归档时间(北京时间)", lambda r: r[0].archived_at),
)


# Rows of figures are (figures, firm name, credit code, district, above scale).
FIGURES_COLUMNS = (
    Column("enterprise_id", "企业编号", lambda r: r[0].enterprise_id),
    Column("credit_code", "统一社会信用代码", lambda r: r[2]),
    Column("enterprise_name", "企业名称", lambda r: r[1]),
    Column("district", "所属街道", lambda r: r[3]),
    Column("above_scale", "规上企业", lambda r: r[4]),
    Column("year", "年度", lambda r: r[0].year),
    Column("employees", "职工总数", lambda r: r[0].employees),
    Column("tech_staff", "科技人员数", lambda r: r[0].tech_staff),
    Column("revenue", "营业收入(元)", lambda r: r[0].revenue),
    Column("total_income", "总收入(元)", lambda r: r[0].total_income),
    Column("total_cost", "成本费用总额(元)", lambda r: r[0].total_cost),
    Column("rd_expense", "研发费用(元)", lambda r: r[0].rd_expense),
    Column("rd_expense_domestic", "境内研发费用(元)", lambda r: r[0].rd_expense_domestic),
    Column("high_tech_income", "高新技术产品收入(元)", lambda r: r[0].high_tech_income),
    Column("total_assets", "资产总额(元)", lambda r: r[0].total_assets),
    Column("ip_class1", "Ⅰ类知识产权数", lambda r: r[0].ip_class1),
    Column("ip_class2", "Ⅱ类知识产权数", lambda r: r[0].ip_class2),
    Column("updated_at", "更新时间(北京时间)", lambda r: r[0].updated_at),
)
