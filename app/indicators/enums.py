"""What the statistics bureau reports and what the bureau's targets are set on, with units, declared once."""

from __future__ import annotations

from enum import StrEnum

from app.enums import register_labels


class FigureUnit(StrEnum):
    yuan = "yuan"
    percent = "percent"
    firms = "firms"
    items = "items"
    people = "people"
    persons = "persons"
    times = "times"
    entries = "entries"
    places = "places"
    mu = "mu"


register_labels(FigureUnit, {
    FigureUnit.yuan: "元", FigureUnit.percent: "%", FigureUnit.firms: "家", FigureUnit.items: "件",
    FigureUnit.people: "人次", FigureUnit.persons: "个", FigureUnit.times: "次", FigureUnit.entries: "项",
    FigureUnit.places: "个", FigureUnit.mu: "亩",
})


class DistrictIndicator(StrEnum):
    """Official district figures entered from the statistics bureau's yearbook or bulletin."""

    high_tech_value_added = "high_tech_value_added"
    high_tech_output = "high_tech_output"
    rd_expense_above_scale = "rd_expense_above_scale"
    rd_intensity = "rd_intensity"


register_labels(DistrictIndicator, {
    DistrictIndicator.high_tech_value_added: "高新技术产业增加值",
    DistrictIndicator.high_tech_output: "高新技术产业总产值",
    DistrictIndicator.rd_expense_above_scale: "规上企业研发投入",
    DistrictIndicator.rd_intensity: "全社会研发经费投入强度",
})

INDICATOR_UNITS = {
    DistrictIndicator.high_tech_value_added: FigureUnit.yuan,
    DistrictIndicator.high_tech_output: FigureUnit.yuan,
    DistrictIndicator.rd_expense_above_scale: FigureUnit.yuan,
    DistrictIndicator.rd_intensity: FigureUnit.percent,
}


class TargetIndicator(StrEnum):
    """Figures of the annual summary a yearly target (考核目标) can be set on; each is the summary figure of
    the same name."""

    tech_sme_registered = "tech_sme_registered"
    high_tech_newly_recognized = "high_tech_newly_recognized"
    high_tech_net_growth = "high_tech_net_growth"
    high_tech_valid = "high_tech_valid"
    rd_expense_above_scale = "rd_expense_above_scale"
    high_tech_value_added = "high_tech_value_added"
    technology_contract_amount = "technology_contract_amount"
    cooperation_agreements = "cooperation_agreements"
    platforms_recognized = "platforms_recognized"
    firms_visited = "firms_visited"
    commissioner_trainees = "commissioner_trainees"


register_labels(TargetIndicator, {
    TargetIndicator.tech_sme_registered: "科技型中小企业入库",
    TargetIndicator.high_tech_newly_recognized: "新认定高新技术企业",
    TargetIndicator.high_tech_net_growth: "高新技术企业净增",
    TargetIndicator.high_tech_valid: "有效高新技术企业",
    TargetIndicator.rd_expense_above_scale: "规上企业研发投入",
    TargetIndicator.high_tech_value_added: "高新技术产业增加值",
    TargetIndicator.technology_contract_amount: "技术合同交易额",
    TargetIndicator.cooperation_agreements: "产学研合作协议",
    TargetIndicator.platforms_recognized: "新认定创新平台",
    TargetIndicator.firms_visited: "走访企业",
    TargetIndicator.commissioner_trainees: "科技特派员培训人次",
})

TARGET_UNITS = {
    TargetIndicator.tech_sme_registered: FigureUnit.firms,
    TargetIndicator.high_tech_newly_recognized: FigureUnit.firms,
    TargetIndicator.high_tech_net_growth: FigureUnit.firms,
    TargetIndicator.high_tech_valid: FigureUnit.firms,
    TargetIndicator.rd_expense_above_scale: FigureUnit.yuan,
    TargetIndicator.high_tech_value_added: FigureUnit.yuan,
    TargetIndicator.technology_contract_amount: FigureUnit.yuan,
    TargetIndicator.cooperation_agreements: FigureUnit.items,
    TargetIndicator.platforms_recognized: FigureUnit.firms,
    TargetIndicator.firms_visited: FigureUnit.firms,
    TargetIndicator.commissioner_trainees: FigureUnit.people,
}
