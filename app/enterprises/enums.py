"""Classifications a firm is filed under (see ``shared/domain/classifications.md``)."""

from __future__ import annotations

from enum import StrEnum

from app.enums import register_labels


class Industry(StrEnum):
    """GB/T 4754-2017 section letter (国民经济行业分类门类)."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"
    G = "G"
    H = "H"
    I = "I"  # noqa: E741 - the standard's own letter
    J = "J"
    K = "K"
    L = "L"
    M = "M"
    N = "N"
    O = "O"  # noqa: E741
    P = "P"
    Q = "Q"
    R = "R"
    S = "S"
    T = "T"


register_labels(Industry, {
    Industry.A: "农、林、牧、渔业",
    Industry.B: "采矿业",
    Industry.C: "制造业",
    Industry.D: "电力、热力、燃气及水生产和供应业",
    Industry.E: "建筑业",
    Industry.F: "批发和零售业",
    Industry.G: "交通运输、仓储和邮政业",
    Industry.H: "住宿和餐饮业",
    Industry.I: "信息传输、软件和信息技术服务业",
    Industry.J: "金融业",
    Industry.K: "房地产业",
    Industry.L: "租赁和商务服务业",
    Industry.M: "科学研究和技术服务业",
    Industry.N: "水利、环境和公共设施管理业",
    Industry.O: "居民服务、修理和其他服务业",
    Industry.P: "教育",
    Industry.Q: "卫生和社会工作",
    Industry.R: "文化、体育和娱乐业",
    Industry.S: "公共管理、社会保障和社会组织",
    Industry.T: "国际组织",
})


class TechDomain(StrEnum):
    """The 8 national key high-tech domains (国家重点支持的高新技术领域, 2016)."""

    electronic_information = "electronic_information"
    biomedicine = "biomedicine"
    aerospace = "aerospace"
    new_materials = "new_materials"
    high_tech_services = "high_tech_services"
    new_energy = "new_energy"
    resources_environment = "resources_environment"
    advanced_manufacturing = "advanced_manufacturing"


register_labels(TechDomain, {
    TechDomain.electronic_information: "电子信息",
    TechDomain.biomedicine: "生物与新医药",
    TechDomain.aerospace: "航空航天",
    TechDomain.new_materials: "新材料",
    TechDomain.high_tech_services: "高技术服务",
    TechDomain.new_energy: "新能源与节能",
    TechDomain.resources_environment: "资源与环境",
    TechDomain.advanced_manufacturing: "先进制造与自动化",
})


class EnterpriseStatus(StrEnum):
    active = "active"
    moved_out = "moved_out"
    closed = "closed"


register_labels(EnterpriseStatus, {
    EnterpriseStatus.active: "正常经营",
    EnterpriseStatus.moved_out: "已迁出",
    EnterpriseStatus.closed: "已注销/关停",
})
