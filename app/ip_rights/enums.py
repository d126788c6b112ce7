"""Kinds of intellectual property and their class (工作指引; shared/domain/classifications.md)."""

from __future__ import annotations

from enum import StrEnum

from app.enums import register_labels


class IpKind(StrEnum):
    invention_patent = "invention_patent"
    plant_variety = "plant_variety"
    crop_variety = "crop_variety"
    new_drug = "new_drug"
    protected_tcm_variety = "protected_tcm_variety"
    ic_layout_design = "ic_layout_design"
    utility_model = "utility_model"
    design_patent = "design_patent"
    software_copyright = "software_copyright"


register_labels(IpKind, {
    IpKind.invention_patent: "发明专利（含国防专利）", IpKind.plant_variety: "植物新品种",
    IpKind.crop_variety: "国家级农作物品种", IpKind.new_drug: "国家新药",
    IpKind.protected_tcm_variety: "国家一级中药保护品种", IpKind.ic_layout_design: "集成电路布图设计专有权",
    IpKind.utility_model: "实用新型专利", IpKind.design_patent: "外观设计专利", IpKind.software_copyright: "软件著作权",
})

CLASS_OF: dict[IpKind, int] = {
    **{kind: 1 for kind in (IpKind.invention_patent, IpKind.plant_variety, IpKind.crop_variety, IpKind.new_drug,
                            IpKind.protected_tcm_variety, IpKind.ic_layout_design)},
    **{kind: 2 for kind in (IpKind.utility_model, IpKind.design_patent, IpKind.software_copyright)},
}
