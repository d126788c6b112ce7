"""The files of the annual summary's record kinds, declared as data (see ``app.imports.records``): each
declaration gives the import kind, its template and the export, whose headers re-import."""

from __future__ import annotations

from app.commissioners import service as commissioners
from app.commissioners.enums import ServiceKind
from app.commissioners.schemas import (
    CommissionerCreate,
    CommissionerFilter,
    CommissionerUpdate,
    ServiceCreate,
    ServiceFilter,
    ServiceUpdate,
)
from app.contracts import service as contracts
from app.contracts.enums import ContractType
from app.contracts.schemas import ContractCreate, ContractFilter, ContractUpdate
from app.cooperation import service as cooperation
from app.cooperation.enums import PartnerKind
from app.cooperation.schemas import AgreementCreate, AgreementFilter, AgreementUpdate
from app.imports import cells
from app.imports.kinds import Column, register
from app.imports.records import (
    CommissionerRef,
    FileColumn,
    FirmListRef,
    FirmRef,
    RecordFile,
    credit_codes,
    evaluations_cell,
    evaluations_text,
)
from app.indicators import service as indicators
from app.indicators.enums import DistrictIndicator, FigureUnit, TargetIndicator
from app.indicators.schemas import (
    IndicatorCreate,
    IndicatorFilter,
    IndicatorUpdate,
    TargetCreate,
    TargetFilter,
    TargetUpdate,
)
from app.platforms import service as platforms
from app.platforms.enums import PlatformKind
from app.platforms.schemas import PlatformCreate, PlatformFilter, PlatformUpdate
from app.records.enums import AdministrativeLevel

CODE = "91430702MA4L0X1234"
LEVELS = "国家级, 省级, 市级 or 区级 (or national, provincial, municipal, district)."


def _firm(code: str, name: str, aliases: tuple[str, ...], *, required: bool, what: str
          ) -> tuple[FileColumn, FileColumn]:
    """The credit code and the name of the firm a record concerns; the name, when given, must match."""
    codes = (*aliases, "统一社会信用代码", "信用代码", "uscc")
    return (FileColumn(Column("credit_code", code, cells.credit_code, codes, required=required, example=CODE,
                              description=f"{what}'s credit code; the firm must be in the registry.")),
            FileColumn(Column("enterprise_name", name, aliases=("企业名称", "单位名称"),
                              description="Checked against the credit code when given.")))


def _level(header: str = "级别") -> FileColumn:
    return FileColumn(Column("level", header, cells.choice(AdministrativeLevel), ("认定级别",), required=True,
                             description=LEVELS, example="省级"), enum=AdministrativeLevel)


_YEAR = FileColumn(Column("year", "年度", cells.year, ("年份",), required=True, example="2025"))


def _notes() -> FileColumn:
    return FileColumn(Column("notes", "备注", description="Free text."))


def _record(spec: RecordFile) -> RecordFile:
    register(spec.import_kind())
    return spec


TECHNOLOGY_CONTRACTS = _record(RecordFile(
    name="technology_contracts", path="technology-contracts", title="技术合同认定登记",
    noun="registered technology contracts", kind=contracts.KIND, create=ContractCreate, update=ContractUpdate,
    filters=ContractFilter, key=("registration_no",), match=("registration_no",), unique=True, refs=(FirmRef(),),
    ignored=("序号", "no", "#", "卖方", "技术输出方"),  # the seller named beside its code
    columns=(
        FileColumn(Column("registration_no", "登记编号", aliases=("合同登记号", "认定登记号", "登记号"), required=True,
                          description="The technology market's registration number; a re-import updates that "
                          "contract.", example="2025430702000123")),
        *_firm("卖方统一社会信用代码", "卖方名称", ("卖方信用代码", "技术输出方统一社会信用代码"), required=True,
               what="The selling district firm"),
        FileColumn(Column("contract_type", "合同类型", cells.choice(ContractType), ("技术合同类型", "类别"),
                          required=True, example="技术开发",
                          description="技术开发, 技术转让, 技术许可, 技术咨询 or 技术服务 (or the English code)."),
                   enum=ContractType),
        FileColumn(Column("title", "合同名称", aliases=("项目名称",), description="The contract's name.")),
        FileColumn(Column("buyer", "买方名称", aliases=("买方", "技术吸纳方"), required=True,
                          description="The buying firm or institution.", example="常德市某机械有限公司")),
        FileColumn(Column("contract_amount", "成交额", cells.money, ("合同成交额", "合同金额"), required=True,
                          description="Yuan (a header unit such as （万元） is multiplied out).",
                          example="1000000.00")),
        FileColumn(Column("technology_amount", "技术交易额", cells.money, ("技术性收入",), required=True,
                          description="Yuan; at most the 成交额.", example="800000.00")),
        FileColumn(Column("registered_on", "登记日期", cells.date, ("认定登记日期", "认定日期"), required=True,
                          description="Date registered.", example="2025-05-06")),
        _notes(),
    ),
))

INNOVATION_PLATFORMS = _record(RecordFile(
    name="innovation_platforms", path="innovation-platforms", title="创新平台与载体", noun="innovation platforms",
    kind=platforms.KIND, create=PlatformCreate, update=PlatformUpdate, filters=PlatformFilter,
    key=("name", "level"), match=("name", "level"), refs=(FirmRef(),),
    columns=(
        FileColumn(Column("name", "平台名称", aliases=("名称", "载体名称"), required=True,
                          description="As recognised; with the level it identifies the platform.",
                          example="湖南省智能农机工程技术研究中心")),
        FileColumn(Column("kind", "平台类型", cells.choice(PlatformKind), ("类型", "类别"), required=True,
                          description="工程技术研究中心, 重点实验室, 新型研发机构, 企业技术中心, 院士专家工作站, "
                          "星创天地, 科技企业孵化器, 众创空间 or 其他创新平台.", example="工程技术研究中心"),
                   enum=PlatformKind),
        _level(),
        *_firm("依托企业统一社会信用代码", "依托企业名称", ("依托企业信用代码",), required=False, what="The host firm"),
        FileColumn(Column("host_institution", "依托单位", aliases=("依托高校院所",),
                          description="The host university or institute when no firm of the registry hosts it.")),
        FileColumn(Column("recognised_on", "认定日期", cells.date, ("备案日期", "认定时间"), required=True,
                          example="2025-03-01")),
        FileColumn(Column("document_no", "认定文号", aliases=("文号", "证书编号"), example="湘科发〔2025〕12号")),
        FileColumn(Column("revoked_on", "撤销日期", cells.date, ("摘牌日期",), description="Blank while it stands.")),
        FileColumn(Column("evaluations", "考核评估", evaluations_cell, ("评估情况",),
                          description="Each evaluation as its date and result (优秀, 良好, 合格, 不合格), "
                          "separated by ；",
                          example="2024-06-30 合格；2025-06-30 优秀"),
                   read=lambda row: evaluations_text(row.record.evaluations)),
        _notes(),
    ),
))

COOPERATION_AGREEMENTS = _record(RecordFile(
    name="cooperation_agreements", path="cooperation-agreements", title="产学研合作协议",
    noun="industry–university cooperation agreements", kind=cooperation.KIND, create=AgreementCreate,
    update=AgreementUpdate, filters=AgreementFilter, key=("credit_code", "partner", "signed_on"),
    match=("enterprise_id", "partner", "signed_on"), refs=(FirmRef(),),
    columns=(
        *_firm("统一社会信用代码", "企业名称", (), required=True, what="The district firm"),
        FileColumn(Column("partner", "合作单位", aliases=("高校院所", "合作高校", "合作方"), required=True,
                          description="The university or institute.", example="湖南文理学院")),
        FileColumn(Column("partner_kind", "合作单位类型", cells.choice(PartnerKind), ("单位类型",),
                          description="高等院校, 科研院所 or 其他 (default 高等院校).", example="高等院校"),
                   enum=PartnerKind),
        FileColumn(Column("subject", "合作内容", aliases=("合作项目", "项目名称"), required=True,
                          example="智能农机控制系统联合研发")),
        FileColumn(Column("signed_on", "签订日期", cells.date, ("签约日期",), required=True, example="2025-04-01")),
        FileColumn(Column("amount", "合同金额", cells.money, ("协议金额", "金额"), description="Yuan.",
                          example="500000.00")),
        _notes(),
    ),
))

# Follows from the indicator: exported for people, passed over on import.
_UNIT = FileColumn(Column("unit", "单位"), enum=FigureUnit, imported=False)

DISTRICT_INDICATORS = _record(RecordFile(
    name="district_indicators", path="district-indicators", title="区级统计指标", noun="district indicators",
    kind=indicators.INDICATOR_KIND, create=IndicatorCreate, update=IndicatorUpdate, filters=IndicatorFilter,
    key=("year", "indicator"), match=("year", "indicator"), ignored=("序号", "no", "#", "单位", "unit"),
    columns=(
        _YEAR,
        FileColumn(Column("indicator", "指标", cells.choice(DistrictIndicator), ("指标名称",), required=True,
                          description="高新技术产业增加值, 高新技术产业总产值, 规上企业研发投入 or "
                          "全社会研发经费投入强度.",
                          example="高新技术产业增加值"), enum=DistrictIndicator),
        FileColumn(Column("value", "数值", cells.number, ("指标值", "值"), required=True,
                          description="Yuan for amounts (万/亿 after the number scale it), percent for rates.",
                          example="14700000000.00")),
        _UNIT,
        FileColumn(Column("source", "来源", aliases=("数据来源",), required=True,
                          example="区统计局《2025年国民经济和社会发展统计公报》")),
        _notes(),
    ),
))

YEARLY_TARGETS = _record(RecordFile(
    name="yearly_targets", path="yearly-targets", title="年度考核目标", noun="yearly targets",
    kind=indicators.TARGET_KIND, create=TargetCreate, update=TargetUpdate, filters=TargetFilter,
    key=("year", "indicator"), match=("year", "indicator"), ignored=("序号", "no", "#", "单位", "unit"),
    columns=(
        _YEAR,
        FileColumn(Column("indicator", "指标", cells.choice(TargetIndicator), ("考核指标", "目标名称"), required=True,
                          description="A figure of the summary, e.g. 科技型中小企业入库, 高新技术企业净增.",
                          example="科技型中小企业入库"), enum=TargetIndicator),
        FileColumn(Column("target", "目标值", cells.number, ("目标", "考核目标"), required=True,
                          description="In the indicator's unit (家, 件, 人次, or yuan).", example="300")),
        _UNIT,
        _notes(),
    ),
))

COMMISSIONERS = _record(RecordFile(
    name="commissioners", path="commissioners", title="科技特派员", noun="science and technology commissioners",
    kind=commissioners.COMMISSIONER_KIND, create=CommissionerCreate, update=CommissionerUpdate,
    filters=CommissionerFilter, key=("name", "level"), match=("name", "level"),
    refs=(FirmListRef(id_field="served_firm_ids", code="served_firm_codes"),),
    columns=(
        FileColumn(Column("name", "姓名", aliases=("特派员姓名",), required=True, example="李明",
                          description="With the level it identifies the commissioner.")),
        _level("选派级别"),
        FileColumn(Column("expertise", "专业领域", aliases=("专业", "服务领域"), required=True, example="柑橘栽培")),
        FileColumn(Column("employer", "工作单位", aliases=("派出单位", "所在单位"), example="湖南文理学院")),
        FileColumn(Column("foreign_expert", "外籍专家", cells.boolean, ("是否外籍专家",), description="是 or 否.",
                          example="否")),
        FileColumn(Column("appointed_on", "选派日期", cells.date, ("选派时间",), required=True, example="2024-03-01")),
        FileColumn(Column("ended_on", "服务截止日期", cells.date, ("结束日期",), description="Blank while serving.")),
        FileColumn(Column("served_firm_codes", "服务企业统一社会信用代码", credit_codes, ("服务企业信用代码",),
                          description="Credit codes of the firms served, separated by 、", example=CODE)),
        FileColumn(Column("served_villages", "服务村(合作社)", cells.tags, ("服务村", "服务对象"),
                          description="Separated by 、", example="河洑镇大岗村、柑橘专业合作社")),
        _notes(),
    ),
))

COMMISSIONER_SERVICES = _record(RecordFile(
    name="commissioner_services", path="commissioner-services", title="科技特派员服务记录",
    noun="commissioner service records", kind=commissioners.SERVICE_KIND, create=ServiceCreate,
    update=ServiceUpdate, filters=ServiceFilter, key=("commissioner_name", "served_on", "kind", "place"),
    match=("commissioner_id", "served_on", "kind", "place"), refs=(CommissionerRef(), FirmRef()),
    columns=(
        FileColumn(Column("commissioner_name", "特派员姓名", aliases=("科技特派员", "姓名"), required=True,
                          description="A commissioner already recorded.", example="李明")),
        FileColumn(Column("commissioner_level", "特派员级别", cells.choice(AdministrativeLevel), ("选派级别",),
                          description="Needed only when two commissioners have the same name."),
                   enum=AdministrativeLevel),
        FileColumn(Column("served_on", "服务日期", cells.date, ("日期",), required=True, example="2025-06-01")),
        FileColumn(Column("kind", "服务方式", cells.choice(ServiceKind), ("服务类型",), required=True,
                          description="技术培训, 现场指导 or 咨询服务.", example="技术培训"), enum=ServiceKind),
        FileColumn(Column("place", "服务地点", aliases=("地点",), required=True, example="河洑镇农技站")),
        *_firm("服务企业统一社会信用代码", "服务企业名称", ("服务企业信用代码",), required=False,
               what="The firm served"),
        FileColumn(Column("headcount", "服务人次", cells.count, ("培训人次", "人次"), example="40")),
        FileColumn(Column("techniques", "推广新技术", cells.tags, ("新技术",), description="Separated by 、")),
        FileColumn(Column("varieties", "推广新品种", cells.tags, ("新品种",), description="Separated by 、")),
        FileColumn(Column("demonstration_base", "示范基地", aliases=("示范基地名称",))),
        FileColumn(Column("demonstration_area_mu", "示范面积", cells.number, ("基地面积",), description="亩.",
                          example="120"), export_header="示范面积(亩)"),
        _notes(),
    ),
))

RECORD_FILES = (TECHNOLOGY_CONTRACTS, INNOVATION_PLATFORMS, COOPERATION_AGREEMENTS, DISTRICT_INDICATORS,
                YEARLY_TARGETS, COMMISSIONERS, COMMISSIONER_SERVICES)
