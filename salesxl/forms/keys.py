"""The names code outside `salesxl.forms` knows forms, tables and fields by.

Form knowledge lives in the form descriptions only.  A stage that needs one
particular form, table or field (the roster reader wants the rep ID, the
summary wants the daily report's amounts) names it with one of these enums
instead of a string, so a field renamed here is renamed everywhere and a
test (tests/test_form_knowledge.py) fails when a key is spelled out as a
string elsewhere.  They are `StrEnum`s: a member equals its string, so JSON,
the store and plain-dict records keep working unchanged.

A field that code outside `forms/` reads gets a `Role` as its key:
`Field(Role.AMOUNT, "金额", "Amount", ...)`; its records are then read as
`record[Role.AMOUNT]`.  Fields only the generic machinery touches (the
template writer, reader, validator, docs and store all walk the description)
keep a plain string key: adding such a column is still one line.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["FormId", "Role", "TableKey"]


class FormId(StrEnum):
    """Every form salesxl reads or writes (`Form.id`)."""

    DAILY_REPORT = "daily_report"
    WEEKLY_PLAN = "weekly_plan"
    MONTHLY_PLAN = "monthly_plan"
    ROSTER = "roster"
    SALES_RECORDS = "sales_records"
    TARGETS_INPUT = "targets_input"
    WORKDAYS = "workdays"
    TARGETS = "targets"


class TableKey(StrEnum):
    """Every table of every form (`Table.key`); a table shared by two forms has one key."""

    DAILY = "daily"
    DAY_CLOSE = "day_close"
    PLAN = "plan"
    LAST_WEEK = "last_week"
    ACCOUNTS = "accounts"
    REPS = "reps"
    SALES = "sales"
    WORKDAYS = "workdays"
    ANNUAL = "annual"
    HISTORY = "history"
    LOCKED = "locked"
    LONG = "long"
    METHOD = "method"  # targets.xlsx 说明: how each unit's figures came about


class Role(StrEnum):
    """What a field means to the code that reads it; its value is the field's key.

    One role can serve several forms (`DATE` is the row's date in the daily
    report, the sales records and the workdays table), always with the same
    key, so one `record[Role.DATE]` reads them all.
    """

    # Who: the rep and where the rep sits.
    REP_ID = "rep_id"  # 工号
    REP_NAME = "rep_name"  # 销售员 in a rep form's header
    NAME = "name"  # 姓名 in the roster
    REGION = "region"
    TEAM = "team"
    MANAGER = "manager"
    LEVEL = "level"  # the roster's 级别, the targets' 层级
    HIRE_DATE = "hire_date"
    LEAVE_DATE = "leave_date"
    STATUS = "status"
    # When: a row's date, a form's period.
    DATE = "date"
    MONTH = "month"
    WEEK = "week"
    # The customer and the sale.
    CUSTOMER = "customer"
    PHONE = "phone"
    SOURCE = "source"
    GRADE = "grade"
    STAGE = "stage"
    PRODUCT = "product"
    QTY = "qty"
    PRICE = "price"
    AMOUNT = "amount"
    DEPOSIT = "deposit"
    NEXT_FOLLOWUP = "next_followup"  # 下次跟进
    FORECAST = "forecast"  # 日清 明日预测
    EXPECTED_AMOUNT = "expected_amount"  # a plan's 预计金额
    PURPOSE = "purpose"  # a weekly plan's 拜访目的
    OUTCOME = "outcome"  # a weekly plan's 预期结果
    SUMMARY = "summary"  # 上周总结 工作情况
    # Targets.
    MONTH_TARGET = "month_target"
    UNIT = "unit"
    PARENT = "parent"
    ANNUAL_TARGET = "annual_target"
    METHOD = "method"
    WEIGHT = "weight"
    PROPOSED = "proposed"
    RAMP = "ramp"
    MONTH_WEIGHTS = "month_weights"
    TARGET = "target"
    YEAR = "year"
    FISCAL_START = "fiscal_start"
    ROUNDING = "rounding"
    MODE = "mode"
    SPRING_FESTIVAL = "spring_festival"
    DAY_TYPE = "type"  # 工作日 / 休息日 in the workdays table
    SHARE_BASIS = "share_basis"  # 分配依据: how a parent's target is shared
    # The tiers 冲刺 / 挑战: a unit's figures in the targets input and targets.xlsx,
    # the uplifts that make them, and a rep's on the monthly plan.
    STRETCH = "stretch"
    CHALLENGE = "challenge"
    STRETCH_UPLIFT = "stretch_uplift"
    CHALLENGE_UPLIFT = "challenge_uplift"
    STRETCH_TARGET = "stretch_target"
    CHALLENGE_TARGET = "challenge_target"
    # Which plan a targets workbook is (targets resplit).
    VERSION = "version"
    VERSION_DATE = "version_date"
    EFFECTIVE_FROM = "effective_from"
    # targets.xlsx 说明 Method: how each unit's figures came about.
    METHOD_USED = "method_used"
    ANNUAL_FROM = "annual_from"
    TOP_DOWN = "top_down"
    BASIS = "basis"  # how the unit's children shared its target
    SPRING = "spring"  # the Spring Festival decision
    BACKTEST = "backtest"
    HOW = "how"
    EXACT = "exact"
