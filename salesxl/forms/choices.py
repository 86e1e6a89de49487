"""Allowed values shared by the forms (docs/forms.md), with codes, zh and en labels."""

from __future__ import annotations

from salesxl.forms.model import Choice, ChoiceList

__all__ = [
    "CLOSED_WON",
    "FOLLOW_UP_GRADES",
    "FOLLOW_UP_SOURCES",
    "GRADES",
    "LEAD_SOURCES",
    "LEVELS",
    "LOST",
    "MODES",
    "OBJECTIONS",
    "OPEN_STAGES",
    "ORG_LEVELS",
    "SHARE_BASES",
    "SOURCES",
    "SPLIT_METHODS",
    "SPRING_FESTIVAL",
    "STAGES",
    "STAGE_ORDER",
    "STATUSES",
    "TARGET_LEVELS",
    "VISIT_SOURCES",
    "WORKDAY_TYPES",
    "YES_NO",
]

SOURCES = ChoiceList(
    "source",
    (
        Choice("phone", "电话", "Phone call", ("电话咨询", "来电", "phone"), lead=True),
        Choice(
            "walkin", "来访", "Walk-in", ("到访", "上门", "walk in"), visit=True, follow_up=True
        ),
        Choice("visit", "拜访", "Visit", ("走访", "外访"), visit=True),
        Choice("referral", "转介绍", "Referral", ("介绍", "老客户介绍")),
        Choice("other", "其他", "Other", ("其它",)),
    ),
)

# A/B/C prospects: 热 Hot, 温 Warm, 冷 Cold (docs/forms.md).
GRADES = ChoiceList(
    "grade",
    (
        Choice("A", "热", "Hot", ("A类", "A级"), follow_up=True),
        Choice("B", "温", "Warm", ("B类", "B级"), follow_up=True),
        Choice("C", "冷", "Cold", ("C类", "C级")),
    ),
    show_code=True,
)

# The seven-stage sales process (docs/forms.md), plus 0 for a lost customer.
STAGES = ChoiceList(
    "stage",
    (
        Choice("1", "寻找客户", "Prospecting"),
        Choice("2", "客户甄别", "Qualifying"),
        Choice("3", "制定计划", "Planning"),
        Choice("4", "接触客户", "Contact"),
        Choice("5", "介绍产品", "Presentation"),
        Choice("6", "处理异议", "Objection handling"),
        Choice("7", "成交", "Closed won", ("签约", "won", "closed"), won=True),
        Choice("0", "流失", "Lost", ("丢单", "closed lost"), lost=True),
    ),
    show_code=True,
)
# What the rules need to know of the lists, read from the flags above.
(CLOSED_WON,) = (c.code for c in STAGES.choices if c.won)
(LOST,) = (c.code for c in STAGES.choices if c.lost)
# The stages a customer passes through, in order (a lost customer reached no further stage).
STAGE_ORDER: tuple[str, ...] = tuple(c.code for c in STAGES.choices if not c.lost)
OPEN_STAGES = frozenset(code for code in STAGE_ORDER if code != CLOSED_WON)
VISIT_SOURCES = frozenset(c.code for c in SOURCES.choices if c.visit)
LEAD_SOURCES = frozenset(c.code for c in SOURCES.choices if c.lead)
FOLLOW_UP_SOURCES = frozenset(c.code for c in SOURCES.choices if c.follow_up)
FOLLOW_UP_GRADES = frozenset(c.code for c in GRADES.choices if c.follow_up)

OBJECTIONS = ChoiceList(
    "objection",
    (
        Choice("need", "需求", "Need", ("需求异议",)),
        Choice("price", "价格", "Price", ("价格异议",)),
        Choice("product", "产品", "Product", ("产品异议",)),
        Choice("timing", "时机", "Timing", ("时间", "购买时间")),
        Choice("other", "其他", "Other", ("其它",)),
    ),
)

LEVELS = ChoiceList(
    "level",
    (
        Choice("junior", "初级", "Junior"),
        Choice("mid", "中级", "Mid"),
        Choice("senior", "高级", "Senior"),
    ),
)

STATUSES = ChoiceList(
    "status",
    (
        Choice("active", "在职", "Active", ("在岗",)),
        Choice("left", "离职", "Left", ("已离职",)),
    ),
)

ORG_LEVELS = ChoiceList(
    "org_level",
    (
        Choice("company", "公司", "Company", ("总公司", "集团")),
        Choice("region", "区域", "Region", ("大区",)),
        Choice("team", "团队", "Team", ("小组", "组")),
        Choice("rep", "销售员", "Rep", ("个人", "业务员", "销售")),
    ),
)

# Rows of the targets output: the organisation's levels plus a unit's products.
TARGET_LEVELS = ChoiceList(
    "target_level",
    (*ORG_LEVELS.choices, Choice("product", "产品", "Product")),
)

SPLIT_METHODS = ChoiceList(
    "method",
    (
        Choice("equal", "平均", "equal"),
        Choice("workdays", "工作日", "workdays"),
        Choice("last-year", "去年占比", "last-year", ("last_year", "lastyear")),
        Choice("seasonal", "季节指数", "seasonal"),
        Choice(
            "seasonal-workdays",
            "季节指数×工作日",
            "seasonal-workdays",
            ("seasonal_workdays", "季节指数x工作日", "季节指数*工作日"),
        ),
        Choice("trend", "趋势", "trend"),
        Choice("weights", "权重", "weights"),
        Choice("auto", "自动", "auto", ("自动选择",)),
    ),
)

# 分配依据: how a parent's target is shared among its children.
SHARE_BASES = ChoiceList(
    "share_basis",
    (
        Choice("weights", "权重", "weights"),
        Choice("last-year", "去年销售", "last-year", ("last_year", "lastyear", "去年")),
        Choice(
            "last-year×weights",
            "去年销售×权重",
            "last-year×weights",
            ("last-year*weights", "last-yearxweights", "last_year_weights", "去年销售*权重"),
        ),
        Choice("equal", "平均", "equal"),
        Choice("proposals", "上报目标", "proposals", ("上报",)),
    ),
)

# 春节调整: auto decides per unit from its own history.
SPRING_FESTIVAL = ChoiceList(
    "spring_festival",
    (
        Choice("auto", "自动", "Auto", ("自动判断",)),
        Choice("yes", "是", "Yes", ("y", "true", "1", "对")),
        Choice("no", "否", "No", ("n", "false", "0", "不")),
    ),
)

MODES = ChoiceList(
    "mode",
    (
        Choice("top-down", "由上而下", "top-down", ("指令式", "top_down", "topdown")),
        Choice("bottom-up", "由下而上", "bottom-up", ("bottom_up", "bottomup")),
        Choice("negotiated", "协商式", "negotiated", ("协商", "上下结合")),
    ),
)

YES_NO = ChoiceList(
    "yes_no",
    (
        Choice("yes", "是", "Yes", ("y", "true", "1", "对")),
        Choice("no", "否", "No", ("n", "false", "0", "不")),
    ),
)

WORKDAY_TYPES = ChoiceList(
    "day_type",
    (
        Choice("workday", "工作日", "Workday", ("上班", "调休上班", "补班")),
        Choice("holiday", "休息日", "Holiday", ("休息", "假日", "节假日", "放假")),
    ),
)
