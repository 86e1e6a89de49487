"""The rep's forms: 日报 daily report, 周计划 weekly plan, 月计划 monthly plan (docs/forms.md)."""

from __future__ import annotations

from salesxl.core.issues import Code, Severity
from salesxl.forms import synonyms as syn
from salesxl.forms.choices import (
    CLOSED_WON,
    FOLLOW_UP_GRADES,
    GRADES,
    OBJECTIONS,
    OPEN_STAGES,
    SOURCES,
    STAGES,
)
from salesxl.forms.keys import FormId, Role, TableKey
from salesxl.forms.model import (
    Field,
    FieldType,
    Form,
    MissingWhen,
    NotBefore,
    NotGreaterThan,
    OnlyWhen,
    ProductEquals,
    Progress,
    RequiredWhen,
    Table,
)

__all__ = ["DAILY_REPORT", "MONTHLY_PLAN", "WEEKLY_PLAN"]

T = FieldType
_REP_NAME = Field(
    Role.REP_NAME,
    "销售员",
    "Rep",
    required=True,
    aliases=("姓名", "Name", *syn.REP_NAME),
    example="张伟",
)
_REP_ID = Field(
    Role.REP_ID,
    "工号",
    "Rep ID",
    required=True,
    identifier=True,
    aliases=("编号", "ID", *syn.REP_ID),
    example="S001",
)
_MONTH = Field(
    Role.MONTH, "月份", "Month", T.MONTH, required=True, aliases=("月", "期间"), example="2026-11"
)
# Pre-filled from targets.xlsx when forms are issued (salesxl forms issue).
_MONTH_TARGET = Field(
    Role.MONTH_TARGET, "月度目标", "Month target", T.MONEY, min=0, aliases=("本月目标", "月目标")
)
# The tiers 冲刺 / 挑战 of targets.xlsx, when the plan has them (salesxl forms issue).
_STRETCH_TARGET = Field(Role.STRETCH_TARGET, "冲刺目标", "Stretch target", T.MONEY, min=0)
_CHALLENGE_TARGET = Field(Role.CHALLENGE_TARGET, "挑战目标", "Challenge target", T.MONEY, min=0)
_CUSTOMER = Field(
    Role.CUSTOMER,
    "客户名称",
    "Customer",
    required=True,
    width=22,
    aliases=syn.CUSTOMER,
)
_GRADE = Field(Role.GRADE, "客户等级", "Grade", T.CHOICE, choices=GRADES, aliases=("等级", "级别"))

DAILY_REPORT = Form(
    id=FormId.DAILY_REPORT,
    zh="日报",
    en="Daily report",
    version="1",
    filename="daily_report.xlsx",
    header=(
        _REP_NAME,
        _REP_ID,
        Field(Role.REGION, "区域", "Region", aliases=("大区",)),
        Field(Role.TEAM, "团队", "Team", aliases=("小组",)),
        _MONTH,
        _MONTH_TARGET,
    ),
    header_table=TableKey.DAILY,
    rep_field=Role.REP_ID,
    period_field=Role.MONTH,
    # 本月进度 counts what the summary counts: the amounts of closed deals (成交).
    progress=Progress(
        TableKey.DAILY, Role.AMOUNT, Role.MONTH_TARGET, only_when=(Role.STAGE, CLOSED_WON)
    ),
    tables=(
        Table(
            key=TableKey.DAILY,
            zh="日报",
            en="Daily",
            fields=(
                Field(
                    Role.DATE,
                    "日期",
                    "Date",
                    T.DATE,
                    required=True,
                    in_period=True,
                    not_future=True,
                    while_employed=True,
                    aliases=("拜访日期", "联系日期", *syn.DATE),
                ),
                _CUSTOMER,
                Field("contact", "联系人", "Contact", aliases=("联系人姓名",)),
                Field(
                    Role.PHONE,
                    "电话",
                    "Phone",
                    T.PHONE,
                    width=15,
                    aliases=("联系电话", "手机", "手机号", "Tel", "Mobile"),
                ),
                Field(
                    Role.SOURCE,
                    "来源",
                    "Source",
                    T.CHOICE,
                    choices=SOURCES,
                    aliases=("客户来源", "渠道"),
                ),
                _GRADE,
                Field(
                    Role.STAGE,
                    "销售阶段",
                    "Stage",
                    T.CHOICE,
                    choices=STAGES,
                    width=16,
                    aliases=("阶段", "进度"),
                ),
                Field(Role.PRODUCT, "产品", "Product", aliases=("意向产品", *syn.PRODUCT)),
                Field(Role.QTY, "数量", "Qty", T.NUMBER, min=0, aliases=syn.QTY),
                Field(Role.PRICE, "单价", "Unit price", T.MONEY, min=0, aliases=syn.PRICE),
                Field(Role.AMOUNT, "金额", "Amount", T.MONEY, min=0, aliases=syn.AMOUNT),
                Field(Role.DEPOSIT, "定金", "Deposit", T.MONEY, min=0, aliases=("订金",)),
                Field(
                    "objection",
                    "异议类型",
                    "Objection",
                    T.CHOICE,
                    choices=OBJECTIONS,
                    aliases=("异议",),
                ),
                Field(
                    Role.NEXT_FOLLOWUP,
                    "下次跟进",
                    "Next follow-up",
                    T.DATE,
                    width=14,
                    aliases=("下次跟进日期", "跟进日期", "Next followup", "Follow-up"),
                ),
                Field("notes", "备注", "Notes", width=30, aliases=("说明", "Remarks")),
            ),
            rules=(
                RequiredWhen(Role.AMOUNT, Role.STAGE, frozenset({CLOSED_WON})),
                # Only a deal's amount is sales: the summary, the progress block and the
                # day close count no other, so any other amount is reported.
                OnlyWhen(Role.AMOUNT, Role.STAGE, frozenset({CLOSED_WON})),
                ProductEquals(Role.AMOUNT, Role.QTY, Role.PRICE),
                NotGreaterThan(Role.DEPOSIT, Role.AMOUNT),
                NotBefore(Role.NEXT_FOLLOWUP, Role.DATE),
                MissingWhen(
                    Role.NEXT_FOLLOWUP,
                    ((Role.GRADE, FOLLOW_UP_GRADES), (Role.STAGE, OPEN_STAGES)),
                    reason_zh="A/B 类客户仍在跟进中，但",
                    reason_en="An A/B customer with an open stage ",
                ),
            ),
        ),
        Table(
            key=TableKey.DAY_CLOSE,
            zh="日清",
            en="Day close",
            required=False,
            input_rows=31,
            fields=(
                Field(
                    Role.DATE,
                    "日期",
                    "Date",
                    T.DATE,
                    required=True,
                    in_period=True,
                    not_future=True,
                    while_employed=True,
                    prepared=True,  # the month's workdays, filled in by `salesxl forms issue`
                    # one row a day: a second (another forecast) is judged too until one goes
                    unique=True,
                    unique_severity=Severity.WARNING,
                ),
                Field(
                    "sales",
                    "今日成交",
                    "Today's sales",
                    T.MONEY,
                    width=14,
                    aliases=("当日成交", "Today sales"),
                    # The day's deals only: what the summary counts (the OnlyWhen rule).
                    formula="SUMIFS({col:daily.amount},{col:daily.date},{cell:date},"
                    "{col:daily.stage},{choice:daily.stage=" + CLOSED_WON + "})",
                    help_zh="自动汇总当天成交（阶段 7）的金额",
                    help_en="Sums the day's closed deals (stage 7)",
                ),
                Field(
                    Role.FORECAST,
                    "明日预测",
                    "Tomorrow's forecast",
                    T.MONEY,
                    min=0,
                    width=16,
                    aliases=("明日预计", "Forecast"),
                ),
                Field("analysis", "原因分析", "Analysis", width=40, aliases=("分析", "总结")),
            ),
        ),
    ),
    instructions_zh=(
        "每位销售员每月一个文件；每联系一位客户填写一行。",
        "日报当天填写，最迟次一工作日 09:00 前提交。",
        "带 * 的列必须填写；下拉列表中选择来源、等级、阶段和异议类型。",
        "成交（阶段 7）必须填写金额；填写了数量和单价时，金额应等于数量 × 单价。",
        "A/B 类客户在跟进中时，请填写下次跟进日期（7 日内跟进）。",
        "「日清」表每个工作日一行：今日成交自动汇总，填写明日预测和原因分析。",
    ),
    instructions_en=(
        "One file per rep per month; one row per customer contact.",
        "Fill it in the same day; it is due by 09:00 on the next workday.",
        "Columns marked * are required; pick source, grade, stage and objection from the lists.",
        "A closed deal (stage 7) needs an amount; with qty and unit price, amount = qty × price.",
        "Give A/B customers with an open stage a next follow-up date (within 7 days).",
        "The Day close sheet has one row per workday: today's sales sum automatically; "
        "add tomorrow's forecast and your analysis.",
    ),
)

WEEKLY_PLAN = Form(
    id=FormId.WEEKLY_PLAN,
    zh="周计划",
    en="Weekly plan",
    version="1",
    filename="weekly_plan.xlsx",
    header=(
        _REP_NAME,
        _REP_ID,
        Field(
            Role.WEEK,
            "周",
            "Week",
            T.WEEK,
            required=True,
            aliases=("周次", "本周", "计划周"),
            example="2026-W48",
        ),
        Field("week_target", "本周目标", "Week target", T.MONEY, min=0, aliases=("周目标",)),
    ),
    header_table=TableKey.PLAN,
    rep_field=Role.REP_ID,
    period_field=Role.WEEK,
    tables=(
        Table(
            key=TableKey.PLAN,
            zh="计划",
            en="Plan",
            input_rows=200,
            fields=(
                Field(
                    Role.DATE,
                    "计划日期",
                    "Planned date",
                    T.DATE,
                    required=True,
                    in_period=True,
                    aliases=("日期", "Date"),
                ),
                _CUSTOMER,
                _GRADE,
                Field(
                    Role.PURPOSE,
                    "拜访目的",
                    "Purpose",
                    T.CHOICE,
                    choices=STAGES,
                    width=16,
                    aliases=("目的",),
                ),
                Field(
                    Role.OUTCOME, "预期结果", "Expected outcome", width=30, aliases=("预期效果",)
                ),
                Field(
                    Role.EXPECTED_AMOUNT,
                    "预计金额",
                    "Expected amount",
                    T.MONEY,
                    min=0,
                    aliases=("预期金额",),
                ),
            ),
        ),
        Table(
            key=TableKey.LAST_WEEK,
            zh="上周总结",
            en="Last week",
            required=False,
            input_rows=50,
            fields=(
                Field(Role.SUMMARY, "工作情况", "Work summary", width=60, aliases=("工作总结",)),
                Field(
                    "analysis", "客户分析", "Customer analysis", width=60, aliases=("客户情况分析",)
                ),
            ),
        ),
    ),
    instructions_zh=(
        "每位销售员每周一个文件，每周一提交。",
        "「计划」表每次计划拜访一行；「上周总结」写上周工作情况和客户分析。",
        "周可以写成 2026-W48，也可以写该周星期一的日期。",
    ),
    instructions_en=(
        "One file per rep per week, due every Monday.",
        "Plan: one row per planned visit. Last week: work summary and customer analysis.",
        "Write the week as 2026-W48 or as its Monday's date.",
    ),
)

MONTHLY_PLAN = Form(
    id=FormId.MONTHLY_PLAN,
    zh="月计划",
    en="Monthly plan",
    version="1",
    filename="monthly_plan.xlsx",
    header=(
        _REP_NAME,
        _REP_ID,
        _MONTH,
        _MONTH_TARGET,
        _STRETCH_TARGET,
        _CHALLENGE_TARGET,
    ),
    header_table=TableKey.ACCOUNTS,
    rep_field=Role.REP_ID,
    period_field=Role.MONTH,
    tables=(
        Table(
            key=TableKey.ACCOUNTS,
            zh="重点客户",
            en="Key accounts",
            input_rows=200,
            fields=(
                _CUSTOMER,
                _GRADE,
                Field(
                    Role.EXPECTED_AMOUNT,
                    "预计金额",
                    "Expected amount",
                    T.MONEY,
                    min=0,
                    aliases=("预期金额",),
                ),
                Field("action", "行动", "Action", width=24, aliases=("行动计划",)),
                Field("reason", "原因", "Reason", width=24),
                Field("steps", "步骤", "Steps", width=24, aliases=("实施步骤",)),
                Field("owner", "负责人", "Owner"),
                Field("start", "开始", "Start", T.DATE, aliases=("开始日期", "开始时间")),
                Field("end", "结束", "End", T.DATE, aliases=("结束日期", "完成时间")),
            ),
            rules=(NotBefore("end", "start", code=Code.OUT_OF_RANGE),),
        ),
    ),
    instructions_zh=(
        "每位销售员每月一个文件，在当月最后一周提交下月计划。",
        "月度目标由目标分解预先填好；每个重点客户一行，写清行动、原因、步骤、负责人和起止日期。",
    ),
    instructions_en=(
        "One file per rep per month, handed in during the last week of the month before.",
        "The month target comes from the target breakdown; one row per key account with "
        "action, reason, steps, owner, start and end.",
    ),
)
