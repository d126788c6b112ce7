"""Kinds of innovation platform and the results of their periodic evaluations."""

from __future__ import annotations

from enum import StrEnum

from app.enums import register_labels


class PlatformKind(StrEnum):
    engineering_center = "engineering_center"
    key_laboratory = "key_laboratory"
    new_rd_institution = "new_rd_institution"
    enterprise_tech_center = "enterprise_tech_center"
    academician_workstation = "academician_workstation"
    star_maker = "star_maker"
    incubator = "incubator"
    maker_space = "maker_space"
    other = "other"


register_labels(PlatformKind, {
    PlatformKind.engineering_center: "工程技术研究中心",
    PlatformKind.key_laboratory: "重点实验室",
    PlatformKind.new_rd_institution: "新型研发机构",
    PlatformKind.enterprise_tech_center: "企业技术中心",
    PlatformKind.academician_workstation: "院士专家工作站",
    PlatformKind.star_maker: "星创天地",
    PlatformKind.incubator: "科技企业孵化器",
    PlatformKind.maker_space: "众创空间",
    PlatformKind.other: "其他创新平台",
})

# R&D institutions (研发机构) in the sense of tech-SME direct confirmation (办法 第八条); carriers such as
# incubators and maker spaces host firms but do no research of their own.
RD_KINDS = frozenset({PlatformKind.engineering_center, PlatformKind.key_laboratory, PlatformKind.new_rd_institution,
                      PlatformKind.enterprise_tech_center, PlatformKind.academician_workstation})


class EvaluationResult(StrEnum):
    excellent = "excellent"
    good = "good"
    passed = "passed"
    failed = "failed"


register_labels(EvaluationResult, {
    EvaluationResult.excellent: "优秀",
    EvaluationResult.good: "良好",
    EvaluationResult.passed: "合格",
    EvaluationResult.failed: "不合格",
})
