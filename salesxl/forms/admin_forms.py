"""The admin's inputs: 花名册 roster, 销售记录 sales records, 目标 targets input (docs/forms.md)."""

from __future__ import annotations

from salesxl.core.issues import Code, Severity
from salesxl.forms import synonyms as syn
from salesxl.forms.choices import (
    LEVELS,
    MODES,
    ORG_LEVELS,
    SHARE_BASES,
    SPLIT_METHODS,
    SPRING_FESTIVAL,
    STATUSES,
    TARGET_LEVELS,
    WORKDAY_TYPES,
)
from salesxl.forms.keys import FormId, Role, TableKey
from salesxl.forms.model import Field, FieldType, Form, NotBefore, ProductEquals, Table

__all__ = ["ROSTER", "SALES_RECORDS", "TARGETS", "TARGETS_INPUT", "WORKDAYS"]

T = FieldType

ROSTER = Form(
    id=FormId.ROSTER,
    zh="花名册",
    en="Roster",
    version="1",
    filename="roster.xlsx",
    tables=(
        Table(
            key=TableKey.REPS,
            zh="花名册",
            en="Roster",
            input_rows=2000,
            sheet_aliases=("人员", "名单", "Reps"),
            fields=(
                Field(
                    Role.REP_ID,
                    "工号",
                    "Rep ID",
                    required=True,
                    unique=True,
                    identifier=True,
                    aliases=("编号", "ID", *syn.REP_ID),
                ),
                Field(
                    Role.NAME,
                    "姓名",
                    "Name",
                    required=True,
                    aliases=("销售员", "Rep", *syn.REP_NAME),
                ),
                Field(Role.REGION, "区域", "Region", aliases=("大区",)),
                Field(Role.TEAM, "团队", "Team", aliases=("小组",)),
                Field(Role.MANAGER, "主管", "Manager", aliases=("经理", "上级")),
                Field(Role.LEVEL, "级别", "Level", T.CHOICE, choices=LEVELS, aliases=("职级",)),
                Field(Role.HIRE_DATE, "入职日期", "Hire date", T.DATE, aliases=("入职",)),
                Field(Role.LEAVE_DATE, "离职日期", "Leave date", T.DATE, aliases=("离职",)),
                Field(
                    Role.STATUS, "状态", "Status", T.CHOICE, choices=STATUSES, aliases=("在职状态",)
                ),
                Field("email", "邮箱", "Email", width=26, aliases=("电子邮箱", "E-mail")),
            ),
            rules=(NotBefore(Role.LEAVE_DATE, Role.HIRE_DATE, code=Code.OUT_OF_RANGE),),
        ),
    ),
    instructions_zh=(
        "每位销售员一行；工号唯一，不可重复。",
        "离职人员保留原行，填写离职日期并把状态改为「离职」。",
    ),
    instructions_en=(
        "One row per rep; the rep ID is unique.",
        "Keep reps who left: fill in the leave date and set the status to Left.",
    ),
)

SALES_RECORDS = Form(
    id=FormId.SALES_RECORDS,
    zh="销售记录",
    en="Sales records",
    version="1",
    filename="sales_records.xlsx",
    tables=(
        Table(
            key=TableKey.SALES,
            zh="销售记录",
            en="Sales records",
            input_rows=5000,
            sheet_aliases=("销售明细", "Sales"),
            known_by_required=True,
            fields=(
                Field(
                    Role.DATE,
                    "日期",
                    "Date",
                    T.DATE,
                    required=True,
                    not_future=True,
                    aliases=syn.DATE,
                ),
                # A rep by ID or by name (the name is matched through the roster): a sale
                # without either counts toward the company and its products only.
                Field(Role.REP_ID, "工号", "Rep ID", identifier=True, aliases=syn.REP_ID),
                Field(Role.REP_NAME, "销售员", "Rep", aliases=syn.REP_NAME),
                Field(Role.CUSTOMER, "客户名称", "Customer", width=22, aliases=syn.CUSTOMER),
                Field(Role.PRODUCT, "产品", "Product", aliases=syn.PRODUCT),
                Field("spec", "规格", "Spec", aliases=("规格型号",)),
                Field("batch", "批号", "Batch", aliases=("批次",)),
                Field("expiry", "有效期", "Expiry", T.DATE, aliases=("有效期至",)),
                Field("maker", "生产厂家", "Maker", width=20, aliases=("厂家", "生产企业")),
                Field(Role.QTY, "数量", "Qty", T.NUMBER, aliases=syn.QTY),
                Field(Role.PRICE, "单价", "Unit price", T.MONEY, aliases=syn.PRICE),
                # Returns and credit notes are negative in ERP exports, so no minimum.
                Field(Role.AMOUNT, "金额", "Amount", T.MONEY, required=True, aliases=syn.AMOUNT),
            ),
            # The export's amount is the truth (ERPs round unit prices): a mismatch is a
            # warning here, an error on the reps' own forms.
            rules=(ProductEquals(Role.AMOUNT, Role.QTY, Role.PRICE, severity=Severity.WARNING),),
        ),
    ),
    instructions_zh=("ERP 导出的销售明细，一行一笔；金额为负表示退货。",),
    instructions_en=("The ERP's sales lines, one per row; a negative amount is a return.",),
)

# Overrides of the China calendar: a sheet of the targets input, or a workbook of its own.
_WORKDAYS_TABLE = Table(
    key=TableKey.WORKDAYS,
    zh="工作日",
    en="Workdays",
    required=False,
    input_rows=400,
    fields=(
        Field(Role.DATE, "日期", "Date", T.DATE, required=True, unique=True),
        Field(Role.DAY_TYPE, "类型", "Type", T.CHOICE, required=True, choices=WORKDAY_TYPES),
    ),
)

WORKDAYS = Form(
    id=FormId.WORKDAYS,
    zh="工作日",
    en="Workdays",
    version="1",
    filename="workdays.xlsx",
    tables=(_WORKDAYS_TABLE,),
    instructions_zh=(
        "覆盖内置的中国法定节假日和调休：每行一个日期，类型为「工作日」（如调休上班的周六）或「休息日」。",
        "内置日历没有收录的年份（如 2027 年）需要在这里列出全年的节假日和调休。",
    ),
    instructions_en=(
        "Overrides the built-in China holidays: one date per row, type Workday (a make-up "
        "Saturday) or Holiday.",
        "Years the built-in calendar does not cover (such as 2027) need their holidays and "
        "make-up workdays listed here.",
    ),
)

TARGETS_INPUT = Form(
    id=FormId.TARGETS_INPUT,
    zh="目标分解输入",
    en="Targets input",
    version="1",
    filename="targets_input.xlsx",
    header_sheet=("设置", "Settings"),
    header=(
        Field(
            Role.YEAR,
            "年度",
            "Year",
            T.INTEGER,
            required=True,
            min=2000,
            max=2100,
            example=2026,
            aliases=syn.YEAR,
        ),
        Field(
            Role.FISCAL_START,
            "财年起始月",
            "Fiscal start month",
            T.INTEGER,
            min=1,
            max=12,
            default=1,
            aliases=("起始月",),
        ),
        Field(
            Role.METHOD,
            "方法",
            "Method",
            T.CHOICE,
            choices=SPLIT_METHODS,
            default="seasonal",
            aliases=("分解方法",),
        ),
        Field(
            Role.ROUNDING,
            "取整单位",
            "Rounding unit",
            T.NUMBER,
            min=0.01,
            default=1,
            aliases=("取整",),
        ),
        Field(
            Role.MODE,
            "下达方式",
            "Mode",
            T.CHOICE,
            choices=MODES,
            default="top-down",
            aliases=("方式",),
        ),
        Field(
            Role.SPRING_FESTIVAL,
            "春节调整",
            "Spring Festival adjustment",
            T.CHOICE,
            choices=SPRING_FESTIVAL,
            default="auto",
            aliases=("Spring Festival",),
            help_zh="自动：按各单元自己的历史回测决定是否调整",
            help_en="auto: each unit's own history decides (backtest)",
        ),
        Field(
            Role.SHARE_BASIS,
            "分配依据",
            "Share basis",
            T.CHOICE,
            choices=SHARE_BASES,
            help_zh="空白：有权重按权重，否则按去年销售，再否则平均",
            help_en="Blank: weights where a child has one, else last year's sales, else equal",
        ),
        Field(
            Role.STRETCH_UPLIFT,
            "冲刺上浮",
            "Stretch uplift",
            T.PERCENT,
            min=0,
            help_zh="冲刺目标比目标高多少，如 10%",
            help_en="Stretch tier over the base target, e.g. 10%",
        ),
        Field(
            Role.CHALLENGE_UPLIFT,
            "挑战上浮",
            "Challenge uplift",
            T.PERCENT,
            min=0,
            help_zh="挑战目标比目标高多少，如 20%（不低于冲刺上浮）",
            help_en="Challenge tier over the base target, e.g. 20% (not below stretch)",
        ),
    ),
    tables=(
        Table(
            key=TableKey.ANNUAL,
            zh="年度目标",
            en="Annual",
            input_rows=5000,
            fields=(
                Field(Role.LEVEL, "层级", "Level", T.CHOICE, required=True, choices=ORG_LEVELS),
                Field(
                    Role.UNIT,
                    "单元",
                    "Unit",
                    required=True,
                    identifier=True,
                    aliases=("名称", "组织"),
                ),
                Field(Role.PARENT, "上级", "Parent", identifier=True, aliases=("上级单元",)),
                Field(Role.PRODUCT, "产品", "Product"),
                Field(
                    Role.ANNUAL_TARGET,
                    "年度目标",
                    "Annual target",
                    T.MONEY,
                    min=0,
                    width=16,
                    aliases=("年目标", "目标"),
                ),
                Field(Role.METHOD, "方法", "Method", T.CHOICE, choices=SPLIT_METHODS),
                Field(Role.WEIGHT, "权重", "Weight", T.NUMBER, min=0),
                Field(Role.PROPOSED, "上报目标", "Proposed", T.MONEY, min=0, aliases=("上报",)),
                Field(Role.RAMP, "爬坡", "Ramp", T.RAMP, width=16, example="25,50,75,100"),
                Field(
                    Role.MONTH_WEIGHTS,
                    "月度权重",
                    "Month weights",
                    T.NUMBERS,
                    width=24,
                    help_zh="方法为 weights 时填 12 个数（财年月份顺序）",
                    help_en="For method weights: twelve numbers in fiscal order",
                    example="8,8,8,8,8,8,8,8,8,9,9,10",  # 100%: a valid example
                ),
                Field(
                    Role.SHARE_BASIS,
                    "分配依据",
                    "Share basis",
                    T.CHOICE,
                    choices=SHARE_BASES,
                    help_zh="本单元的目标如何分给下级（覆盖设置）",
                    help_en="How its children share this unit's target (overrides Settings)",
                ),
                Field(Role.STRETCH, "冲刺目标", "Stretch target", T.MONEY, min=0, width=16),
                Field(Role.CHALLENGE, "挑战目标", "Challenge target", T.MONEY, min=0, width=16),
                Field(Role.STRETCH_UPLIFT, "冲刺上浮", "Stretch uplift", T.PERCENT, min=0),
                Field(Role.CHALLENGE_UPLIFT, "挑战上浮", "Challenge uplift", T.PERCENT, min=0),
            ),
        ),
        Table(
            key=TableKey.HISTORY,
            zh="历史销售",
            en="History",
            required=False,
            input_rows=20000,
            fields=(
                Field(Role.UNIT, "单元", "Unit", required=True, identifier=True),
                Field(Role.PRODUCT, "产品", "Product", aliases=syn.PRODUCT),
                Field(
                    Role.MONTH,
                    "月份",
                    "Month",
                    T.MONTH_OR_DATE,
                    required=True,
                    aliases=("日期", "Date", *syn.MONTH, *syn.DATE),
                ),
                Field(Role.AMOUNT, "金额", "Amount", T.MONEY, required=True, aliases=syn.AMOUNT),
            ),
        ),
        Table(
            key=TableKey.LOCKED,
            zh="锁定",
            en="Locked",
            required=False,
            input_rows=500,
            fields=(
                Field(Role.UNIT, "单元", "Unit", required=True, identifier=True),
                Field(Role.PRODUCT, "产品", "Product"),
                Field(Role.MONTH, "月份", "Month", T.MONTH, required=True),
                Field(Role.TARGET, "目标", "Target", T.MONEY, required=True, min=0),
            ),
        ),
        _WORKDAYS_TABLE,
    ),
    instructions_zh=(
        "「设置」表填写年度、财年起始月、分解方法、取整单位、下达方式、春节调整、分配依据，"
        "以及可选的冲刺/挑战上浮。",
        "「年度目标」每个单元一行：层级、单元、上级；年度目标可留空，由上级按权重分配。",
        "「历史销售」按单元和月份填写历史金额（至少两年，用于季节指数；自动方法需要三年）；"
        "也可以每个单元一行、每月一列（2024-01 … 2024-12，或 1月 … 12月 加「年份」列）。",
        "「锁定」填写手工固定的月度目标：只重新分配该单元的其他月份（全年不变），上级随之求和，"
        "其他单元不动；锁定上级的某月时，按下级该月的占比分给下级。",
        "「工作日」可覆盖内置的中国法定节假日和调休安排。",
    ),
    instructions_en=(
        "Settings: year, fiscal start month, method, rounding unit, mode, Spring Festival, "
        "share basis, and the optional stretch and challenge uplifts.",
        "Annual: one row per unit with level, unit, parent; leave the annual target blank "
        "to give the unit a share of its parent.",
        "History: past amounts per unit and month (two years or more for seasonal indices, "
        "three for method auto); or one row per unit with a column per month (2024-01 … "
        "2024-12, or 1月 … 12月 with a Year column).",
        "Locked: month targets fixed by hand; only that unit's other months are re-spread "
        "(its year holds) and the units above follow; a parent's locked month is shared "
        "among its children by their shares of that month.",
        "Workdays: overrides the built-in China holidays and make-up workdays.",
    ),
)

# The output of `salesxl targets split` (and `resplit`), read back by consolidation,
# `forms issue`, `targets resplit` and `targets explain`.
TARGETS = Form(
    id=FormId.TARGETS,
    zh="月度目标",
    en="Targets",
    version="2",
    filename="targets.xlsx",
    header_table=TableKey.METHOD,
    header=(
        Field(Role.YEAR, "年度", "Year", T.INTEGER, min=2000, max=2100),
        Field(Role.FISCAL_START, "财年起始月", "Fiscal start", T.INTEGER, min=1, max=12),
        Field(Role.METHOD, "方法", "Method"),
        Field(Role.ROUNDING, "取整单位", "Rounding unit", T.NUMBER, min=0.01),
        Field(Role.MODE, "下达方式", "Mode"),
        Field(Role.VERSION, "版本", "Version", T.INTEGER, min=1),
        Field(Role.VERSION_DATE, "版本日期", "Version date", T.DATE),
        Field(Role.EFFECTIVE_FROM, "生效月份", "Effective from", T.MONTH),
    ),
    tables=(
        Table(
            key=TableKey.LONG,
            zh="明细",
            en="Long",
            input_rows=100,
            fields=(
                Field(Role.LEVEL, "层级", "Level", T.CHOICE, required=True, choices=TARGET_LEVELS),
                Field(Role.UNIT, "单元", "Unit", required=True, identifier=True),
                Field(Role.PARENT, "上级", "Parent", identifier=True),
                Field(Role.PRODUCT, "产品", "Product"),
                Field(Role.MONTH, "月份", "Month", T.MONTH, required=True),
                Field(Role.TARGET, "目标", "Target", T.MONEY, required=True, min=0),
                Field(Role.STRETCH, "冲刺", "Stretch", T.MONEY, min=0),
                Field(Role.CHALLENGE, "挑战", "Challenge", T.MONEY, min=0),
                Field(Role.VERSION, "版本", "Version", T.INTEGER, min=1),
                Field(Role.VERSION_DATE, "版本日期", "Version date", T.DATE),
            ),
        ),
        # The 说明 Method sheet's table: how each unit's figures came about.
        Table(
            key=TableKey.METHOD,
            zh="说明",
            en="Method",
            required=False,
            input_rows=100,
            notes_beside=True,  # the run's notes and what each lock moved, from column M
            fields=(
                Field(Role.UNIT, "单元", "Unit", required=True, identifier=True),
                Field(Role.PRODUCT, "产品", "Product"),
                Field(Role.METHOD_USED, "所用方法", "Method used"),
                Field(Role.ANNUAL_FROM, "年度来源", "Annual from", width=30),
                Field(Role.PROPOSED, "上报目标", "Proposed", T.MONEY),
                Field(Role.TOP_DOWN, "由上而下", "Top-down share", T.MONEY),
                Field(Role.BASIS, "下级分配依据", "Children's share basis", width=24),
                Field(Role.SPRING, "春节调整", "Spring Festival", width=24),
                Field(Role.BACKTEST, "回测", "Backtest", width=30),
                Field(Role.HOW, "说明", "How", width=60),
                Field(Role.EXACT, "精确值", "Exact months"),
            ),
        ),
    ),
    instructions_zh=(
        "由 salesxl targets split（或 resplit）生成：明细表每个单元 × 产品 × 月份一行，"
        "说明表写明每个单元的数字从何而来。",
    ),
    instructions_en=(
        "Written by salesxl targets split (or resplit): the Long sheet has one row per "
        "unit × product × month, the Method sheet says how each unit's figures came about.",
    ),
)
