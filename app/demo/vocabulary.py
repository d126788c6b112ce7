"""Word tables of the demo district: places, sectors, trade names and people of Wuling District, Changde.

Plain data, weighted where the real mix is uneven. Everything here is invented to look plausible; no
entry names a real firm or person.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.enterprises.enums import Industry, TechDomain

# --- places ---------------------------------------------------------------------------------------

CITY_PREFIX = "湖南省常德市武陵区"

# The bureau is Wuling District's (武陵区): its firms sit in the district's streets and towns. Downtown
# streets hold offices and services; the outer streets and towns hold the factories and the parks.
DOWNTOWN = ("府坪街道", "穿紫河街道", "永安街道", "启明街道", "南坪街道", "长庚街道", "芙蓉街道")
OUTSKIRTS = ("丹阳街道", "东江街道", "白马湖街道", "河洑镇", "芦荻山乡")
DISTRICT_WEIGHTS: dict[str, int] = {
    "府坪街道": 7, "穿紫河街道": 9, "永安街道": 6, "启明街道": 8, "南坪街道": 6, "长庚街道": 6,
    "芙蓉街道": 8, "丹阳街道": 12, "东江街道": 11, "白马湖街道": 10, "河洑镇": 10, "芦荻山乡": 7,
}

PARKS = ("常德高新技术产业开发区", "常德经济技术开发区", "武陵区科技创新园")
# (park or None, weight) for a factory-type firm in the outskirts, and for everyone else.
PARK_WEIGHTS_INDUSTRIAL: tuple[tuple[str | None, int], ...] = (
    ("常德高新技术产业开发区", 40), ("常德经济技术开发区", 15), ("武陵区科技创新园", 10), (None, 35),
)
PARK_WEIGHTS_OTHER: tuple[tuple[str | None, int], ...] = (
    ("常德高新技术产业开发区", 8), ("常德经济技术开发区", 3), ("武陵区科技创新园", 19), (None, 70),
)

ROADS = (
    "武陵大道", "朗州北路", "朗州路", "人民东路", "人民中路", "人民西路", "洞庭大道", "柳叶大道", "常德大道",
    "紫缘路", "皂果路", "建设东路", "桃花源路", "芙蓉路", "青年路", "育英路", "沅安路", "滨湖路", "龙港路",
    "光荣路", "高车路", "三闾路", "水星楼路", "丹阳路", "白马湖路", "东江路", "长庚路", "启明路", "穿紫河路",
    "沅江大道", "德山大道", "桥南路", "城东大道", "河洑路",
)
BUILDINGS = ("科技大厦", "创业大厦", "财富中心", "金色世纪", "万达广场", "双创中心", "创新大楼", "国际商务中心")
VILLAGES = ("太阳山村", "岩坪村", "沙港村", "芦荻山村", "新堤村", "苏家渡村", "渔湾村", "花山村")

# Registering authorities in credit codes: mostly the district's own bureau, then the city's, then
# firms that registered elsewhere in Changde and later moved in (classifications.md: 4307xx).
REGION_WEIGHTS: dict[str, int] = {
    "430702": 70, "430700": 14, "430703": 6, "430721": 1, "430722": 2, "430723": 1, "430724": 1,
    "430725": 2, "430726": 1, "430781": 2,
}

# --- firms ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sector:
    """A line of business: its GB/T 4754 section and division, the words firms in it put in their
    names, the high-tech domains its products fall in, and how innovative such firms tend to be."""

    industry: Industry
    division: str
    weight: int
    words: tuple[str, ...]
    domains: tuple[TechDomain, ...]
    tech: float  # mean of the firm's innovation intensity, 0–1
    output_per_head: tuple[int, int]  # revenue per employee, yuan
    factory: bool = True


_D = TechDomain
SECTORS: tuple[Sector, ...] = (
    Sector(Industry.C, "35", 9, ("智能装备", "装备制造", "机械制造", "智能科技", "机电设备", "农业机械"),
           (_D.advanced_manufacturing,), 0.45, (450_000, 1_200_000)),
    Sector(Industry.C, "34", 6, ("机械", "精密机械", "液压科技", "泵业", "阀门"),
           (_D.advanced_manufacturing,), 0.35, (400_000, 1_100_000)),
    Sector(Industry.C, "39", 6, ("电子科技", "光电科技", "电子", "微电子", "智能电子"),
           (_D.electronic_information,), 0.5, (500_000, 1_500_000)),
    Sector(Industry.C, "38", 5, ("电气", "电力设备", "电工科技", "电缆", "储能科技"),
           (_D.new_energy, _D.advanced_manufacturing), 0.4, (500_000, 1_400_000)),
    Sector(Industry.C, "27", 4, ("生物医药", "制药", "药业", "医疗器械"),
           (_D.biomedicine,), 0.55, (600_000, 1_600_000)),
    Sector(Industry.C, "26", 3, ("化工", "精细化工", "新材料"),
           (_D.new_materials,), 0.35, (800_000, 2_000_000)),
    Sector(Industry.C, "30", 3, ("新型建材", "新材料", "陶瓷科技", "玻璃科技"),
           (_D.new_materials,), 0.3, (500_000, 1_300_000)),
    Sector(Industry.C, "29", 2, ("塑业", "高分子材料", "包装材料", "复合材料"),
           (_D.new_materials,), 0.3, (400_000, 1_000_000)),
    Sector(Industry.C, "33", 3, ("金属制品", "钢结构", "五金制品"),
           (_D.advanced_manufacturing, _D.new_materials), 0.2, (400_000, 1_000_000)),
    Sector(Industry.C, "36", 2, ("汽车零部件", "汽车配件"),
           (_D.advanced_manufacturing,), 0.35, (500_000, 1_300_000)),
    Sector(Industry.C, "40", 2, ("仪器仪表", "检测设备", "计量科技"),
           (_D.advanced_manufacturing, _D.electronic_information), 0.5, (400_000, 1_000_000)),
    Sector(Industry.C, "13", 4, ("食品", "农产品加工", "茶业", "油脂", "米业"),
           (_D.biomedicine,), 0.15, (600_000, 1_800_000)),
    Sector(Industry.C, "18", 2, ("服饰", "纺织"), (), 0.08, (200_000, 500_000)),
    Sector(Industry.I, "65", 9, ("软件", "信息技术", "数据科技", "智能科技", "信息科技", "软件开发"),
           (_D.electronic_information, _D.high_tech_services), 0.55, (200_000, 700_000), factory=False),
    Sector(Industry.I, "64", 4, ("网络科技", "互联网科技", "电子商务"),
           (_D.electronic_information, _D.high_tech_services), 0.4, (200_000, 800_000), factory=False),
    Sector(Industry.I, "63", 1, ("通信技术", "通信工程"),
           (_D.electronic_information,), 0.35, (300_000, 900_000), factory=False),
    Sector(Industry.M, "73", 3, ("生物科技", "工业技术研究院", "新材料研究院"),
           (_D.biomedicine, _D.new_materials, _D.advanced_manufacturing), 0.65, (200_000, 600_000),
           factory=False),
    Sector(Industry.M, "74", 5, ("检测技术", "工程技术", "勘测设计", "环境检测", "质量检测"),
           (_D.high_tech_services, _D.resources_environment), 0.4, (200_000, 500_000), factory=False),
    Sector(Industry.M, "75", 6, ("科技", "科技发展", "技术服务", "科技咨询", "知识产权服务"),
           (_D.high_tech_services,), 0.4, (150_000, 450_000), factory=False),
    Sector(Industry.N, "77", 3, ("环保科技", "环境科技", "环境工程", "生态环境"),
           (_D.resources_environment,), 0.4, (300_000, 900_000)),
    Sector(Industry.A, "05", 3, ("农业科技", "生态农业", "种业", "农业发展"),
           (_D.biomedicine, _D.resources_environment), 0.25, (200_000, 600_000)),
    Sector(Industry.D, "44", 1, ("新能源", "光伏科技", "能源科技"),
           (_D.new_energy,), 0.35, (800_000, 2_500_000)),
    Sector(Industry.F, "51", 3, ("商贸", "贸易", "医疗器械销售"), (), 0.05, (1_000_000, 3_000_000),
           factory=False),
    Sector(Industry.L, "72", 2, ("企业管理咨询", "商务咨询", "管理顾问"), (), 0.05, (150_000, 400_000),
           factory=False),
    Sector(Industry.E, "48", 1, ("建设工程", "建筑工程", "安装工程"), (), 0.08, (400_000, 1_000_000),
           factory=False),
    Sector(Industry.R, "87", 1, ("文化传媒", "文化创意"), (_D.high_tech_services,), 0.2, (150_000, 500_000),
           factory=False),
)

# Trade names (字号) that sound local; most firms instead get two characters drawn from TRADE_CHARS.
TRADE_NAMES = (
    "湘沅", "德润", "武陵", "柳叶", "善卷", "桃花源", "沅澧", "朗州", "鼎盛", "穿紫河", "白马湖", "丹阳", "芙蓉",
    "德山", "洞庭", "沅江", "常武", "湘北", "嘉禾", "恒达", "金霞", "鸿源", "锦江", "天健", "诚达", "兴湘",
    "澧兰", "卷桥", "德源", "湘楚", "楚天", "沅水", "屈原", "诗墙", "河洑", "芷兰", "桃源", "鼎立", "德瑞",
)
TRADE_CHARS = (
    "德润华兴鑫盛泰恒远达嘉信鸿瑞祥丰源宏腾辉凯博睿卓越通联锦宸和安康正诚创新智汇晟昊天宇海湘沅澧"
    "武陵桃柳芙蓉朗鼎金星光明东方中科云峰立启航景弘毅志豪佳凌"
)
NAME_PREFIXES: tuple[tuple[str, int], ...] = (("常德市", 55), ("常德", 28), ("湖南", 17))
COMPANY_FORMS: tuple[tuple[str, int], ...] = (("有限公司", 86), ("股份有限公司", 10), ("有限责任公司", 4))
COOPERATIVE_WORDS = ("蔬菜种植", "水果种植", "茶叶种植", "水产养殖", "中药材种植", "农机服务")
SHOP_WORDS = ("电子产品经营部", "五金机电经营部", "办公设备商行", "电脑维修服务部", "农资经营部")

# Labels the bureau puts on firms. "高新技术企业" is missing on purpose: it is derived from recognitions.
TAG_TECH_SME = "科技型中小企业"
TAG_INNOVATIVE_SME = "创新型中小企业"
TAG_SPECIALISED = "专精特新"
TAG_LITTLE_GIANT = "专精特新“小巨人”"
TAG_GAZELLE = "瞪羚企业"
TAG_INDUSTRIAL_ABOVE_SCALE = "规上工业"

# --- people ---------------------------------------------------------------------------------------

# Common surnames with a Hunan tilt (彭、谭、曾、向、覃 are frequent here), with pinyin for e-mail names.
SURNAMES: tuple[tuple[str, str, int], ...] = (
    ("李", "li", 9), ("王", "wang", 8), ("张", "zhang", 7), ("刘", "liu", 8), ("陈", "chen", 6),
    ("杨", "yang", 5), ("黄", "huang", 4), ("周", "zhou", 4), ("吴", "wu", 3), ("赵", "zhao", 3),
    ("彭", "peng", 4), ("胡", "hu", 4), ("曾", "zeng", 3), ("邓", "deng", 3), ("谭", "tan", 3),
    ("罗", "luo", 3), ("唐", "tang", 3), ("徐", "xu", 2), ("肖", "xiao", 2), ("向", "xiang", 2),
    ("龚", "gong", 2), ("熊", "xiong", 2), ("覃", "qin", 2), ("文", "wen", 2), ("田", "tian", 2),
    ("何", "he", 2), ("贺", "he", 2), ("毛", "mao", 1), ("蒋", "jiang", 2), ("朱", "zhu", 2),
    ("郭", "guo", 2), ("高", "gao", 2), ("林", "lin", 1), ("孙", "sun", 1), ("丁", "ding", 1),
    ("姚", "yao", 1), ("廖", "liao", 2), ("易", "yi", 2), ("汤", "tang", 1), ("伍", "wu", 1),
    ("雷", "lei", 1), ("戴", "dai", 1), ("符", "fu", 1), ("侯", "hou", 1), ("夏", "xia", 1),
)
GIVEN_CHARS: tuple[tuple[str, str], ...] = (
    ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"),
    ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"), ("艳", "yan"),
    ("杰", "jie"), ("娟", "juan"), ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("秀", "xiu"),
    ("霞", "xia"), ("平", "ping"), ("刚", "gang"), ("桂", "gui"), ("英", "ying"), ("华", "hua"),
    ("建", "jian"), ("国", "guo"), ("志", "zhi"), ("文", "wen"), ("海", "hai"), ("波", "bo"),
    ("辉", "hui"), ("红", "hong"), ("鹏", "peng"), ("宇", "yu"), ("浩", "hao"), ("婷", "ting"),
    ("雪", "xue"), ("琳", "lin"), ("晨", "chen"), ("欣", "xin"), ("佳", "jia"), ("俊", "jun"),
    ("斌", "bin"), ("峰", "feng"), ("亮", "liang"), ("慧", "hui"), ("颖", "ying"), ("琴", "qin"),
    ("云", "yun"), ("玲", "ling"), ("凯", "kai"), ("鑫", "xin"), ("湘", "xiang"), ("德", "de"),
    ("春", "chun"), ("新", "xin"), ("立", "li"), ("成", "cheng"), ("林", "lin"), ("晓", "xiao"),
    ("梓", "zi"), ("轩", "xuan"), ("睿", "rui"), ("泽", "ze"), ("诗", "shi"), ("雨", "yu"),
    ("思", "si"), ("嘉", "jia"), ("卫", "wei"), ("永", "yong"), ("清", "qing"),
)

# (title, weight) of the people a bureau keeps in touch with; the first is who fills in its forms.
CONTACT_TITLES: tuple[tuple[str, int], ...] = (
    ("总经理", 14), ("副总经理", 8), ("财务总监", 10), ("财务经理", 8), ("研发负责人", 10), ("技术总监", 8),
    ("办公室主任", 14), ("综合部经理", 6), ("行政主管", 6), ("项目申报专员", 6), ("董事长", 5),
)
# Mobile prefixes actually in use (China Mobile, Unicom, Telecom, Broadnet).
MOBILE_PREFIXES = (
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "147", "150", "151", "152", "153",
    "155", "156", "157", "158", "159", "166", "173", "175", "176", "177", "178", "180", "181", "182", "183",
    "184", "185", "186", "187", "188", "189", "191", "193", "195", "198", "199",
)
CHANGDE_AREA_CODE = "0736"
MAIL_DOMAINS = ("163.com", "126.com", "qq.com", "sina.com", "139.com", "foxmail.com")
