"""The issue catalogue: per code its severity, title, description and messages.

Every problem salesxl reports has a code (`Code`); this is the one place
that says how serious it is, what it means and how to fix it, in Chinese
and English, and the wording of its messages.  The validator, the readers
and the store build their messages from these templates (`message`), and
docs/issues.md is generated from the catalogue (`salesxl.write.issuedocs`),
so the documentation never drifts from what users are told.

A code can have variants besides its usual message (`""`): one code,
several situations (a date outside the header month, a number below the
minimum).  Adding a code: a `Code` member, its `Entry` here, then
`python -m salesxl.write.issuedocs > docs/issues.md`.
"""

from __future__ import annotations

from typing import Any

from salesxl.core.codes import Code, Entry, Severity, Template

__all__ = ["CATALOGUE", "message", "severity_of"]


# One check, several codes: a date before another (下次跟进 before 日期, 结束 before 开始).
_NOT_BEFORE = Template(
    "{field_zh} {value:%Y-%m-%d} 早于{other_zh} {start:%Y-%m-%d}。请填写{other_zh}当天或之后的日期。",
    "{field_en} {value:%Y-%m-%d} is before the {other_en} {start:%Y-%m-%d}. "
    "Use a date on or after the {other_en!l}.",
)
# A reading process that died: the file's own issue, too large (memory) or unreadable.
_STOPPED = Template(
    "读取此文件时读取进程意外终止（{cause}，通常是内存不足或文件损坏），未读取。其他文件不受影响。"
    "请在 Excel 中打开、另存为 .xlsx 后重新提交。",
    "The process reading this file stopped ({cause}: usually out of memory or a damaged "
    "file), so it was not read; the other files were. Open it in Excel, save it as .xlsx and "
    "send it again.",
)
_RETRY = (
    "请在 Excel 中打开并另存为 .xlsx 后重新提交。",
    "Open it in Excel, save it as .xlsx and send it again.",
)

_ENTRIES = [
    Entry(
        Code.UNREADABLE,
        Severity.ERROR,
        "无法读取",
        "Unreadable file",
        "文件打不开或已损坏：不完整、空文件、改了扩展名的其他文件，或正被其他程序占用。"
        "在 Excel 中打开并另存为 .xlsx 后重新提交。",
        "The file cannot be opened or read: damaged, truncated, empty, another kind of file "
        "renamed, or locked by another program. Open it in Excel, save it as .xlsx and send "
        "it again.",
        {
            "": Template(
                "读取时出错（{error}）。请在 Excel 中打开、另存为 .xlsx 后重新提交。",
                "Reading failed ({error}). Open it in Excel, save it as .xlsx and send it again.",
            ),
            "damaged": Template(
                "无法读取：{why_zh}。" + _RETRY[0], "Cannot read the file: {why_en}. " + _RETRY[1]
            ),
            "cannot_open": Template("无法打开文件：{error}。", "Cannot open the file: {error}."),
            "locked": Template(
                "无法打开文件（{error}）。请关闭正在使用它的程序后重新导入。",
                "The file cannot be opened ({error}). Close any program using it and import again.",
            ),
            "stopped": _STOPPED,
        },
    ),
    Entry(
        Code.ENCRYPTED,
        Severity.ERROR,
        "有密码",
        "Password-protected",
        "工作簿设置了打开密码，程序无法读取。在 Excel 中取消密码（文件 → 信息 → 保护工作簿）后重新提交。",
        "The workbook needs a password to open, so it cannot be read. Remove the password in "
        "Excel (File → Info → Protect Workbook) and send it again.",
        {
            "": Template(
                "文件设置了打开密码，无法读取。请在 Excel 中取消密码（文件 → 信息 → 保护工作簿）后重新提交。",
                "The workbook is password-protected. Remove the password in Excel "
                "(File → Info → Protect Workbook) and send it again.",
            ),
            "password": Template(
                "文件设置了密码，无法读取。请取消密码后重新提交。",
                "The workbook is password-protected. Remove the password and send it again.",
            ),
        },
    ),
    Entry(
        Code.TOO_LARGE,
        Severity.ERROR,
        "文件过大",
        "Too large",
        "文件、解压后的内容或某个工作表超过了读取上限（防止损坏或恶意文件拖垮汇总）。"
        "删除多余的行列和内容，或拆分文件。",
        "The file, its unpacked content or one sheet is beyond the reading limits (so that a "
        "damaged or hostile file cannot bring the run down). Delete unused rows, columns and "
        "content, or split the file.",
        {
            "": Template(
                "文件大小 {size_mb:.1f} MB，超过上限 {limit_mb:.0f} MB。请拆分文件。",
                "The file is {size_mb:.1f} MB, over the {limit_mb:.0f} MB limit. "
                "Split it into smaller files.",
            ),
            "unpacked": Template(
                "文件解压后达 {size_mb:,.0f} MB，超过上限 {limit_mb:.0f} MB，未读取。"
                "请删除多余内容或拆分文件。",
                "The file unpacks to {size_mb:,.0f} MB, over the {limit_mb:.0f} MB limit, so it "
                "was not read. Remove unused content or split the file.",
            ),
            "sheet": Template(
                "工作表「{sheet}」有 {rows:,} 行 × {columns:,} 列，超出上限。请删除多余的行列，或拆分文件。",
                "Sheet '{sheet}' has {rows:,} rows × {columns:,} columns, beyond the limit. "
                "Delete unused rows and columns or split the file.",
            ),
            "far": Template(
                "工作表「{sheet}」从 A1 延伸到 {corner}（{rows:,} 行 × {columns:,} 列），但只有 "
                "{values:,} 个单元格有内容。请删除远处单元格中的内容（按 Ctrl+End 可找到最后一个），"
                "保存后重新提交。",
                "Sheet '{sheet}' reaches from A1 to {corner} ({rows:,} rows × {columns:,} "
                "columns) but only {values:,} cell(s) hold a value. Delete what is in the far "
                "cells (Ctrl+End shows the last one), save it and send it again.",
            ),
            "ratio": Template(
                "其中一部分（{part}）从 {packed_mb:,.1f} MB 解压为 {size_mb:,.0f} MB，远超正常工作簿的"
                "压缩比（压缩炸弹，或大片空白格式区域）。请删除多余的行列后另存，再重新提交。",
                "One of its parts ({part}) unpacks from {packed_mb:,.1f} MB to {size_mb:,.0f} MB, "
                "far beyond what real workbooks compress to (a zip bomb, or a huge formatted "
                "empty area). Delete the unused rows and columns, save it and send it again.",
            ),
            "parts": Template(
                "文件包含 {parts:,} 个部件，超过上限 {limit:,}，未读取。",
                "The file holds {parts:,} parts, over the limit of {limit:,}, so it was not read.",
            ),
            "merged_cells": Template(
                "工作表「{sheet}」的合并单元格覆盖 {cells:,} 个单元格，超过上限 {limit:,}。"
                "请取消多余的合并单元格后另存，再重新提交。",
                "The merged cells of sheet '{sheet}' cover {cells:,} cells, over the limit of "
                "{limit:,}. Unmerge the cells that need not be merged, save it and send it again.",
            ),
            "merged_ranges": Template(
                "工作表含有 {ranges:,} 个合并区域，超过上限 {limit:,}。请取消多余的合并单元格后另存，"
                "再重新提交。",
                "A sheet has {ranges:,} merged ranges, over the limit of {limit:,}. Unmerge the "
                "cells that need not be merged, save it and send it again.",
            ),
            "csv_lines": Template(
                "CSV 文件有 {lines:,} 行，超过上限 {limit:,} 行（Excel 工作表的行数上限）。请拆分文件。",
                "The CSV file has {lines:,} lines, over the limit of {limit:,} (the rows an Excel "
                "sheet holds). Split it into smaller files.",
            ),
            "csv_cells": Template(
                "CSV 文件约有 {cells:,} 个单元格，超过上限 {limit:,}。请拆分文件。",
                "The CSV file has about {cells:,} cells, over the limit of {limit:,}. Split it "
                "into smaller files.",
            ),
            "out_of_memory": Template(
                "读取此文件时内存不足，未读取。请删除多余的行列或拆分文件后重新提交。",
                "Reading this file ran out of memory, so it was not read. Delete unused rows and "
                "columns or split the file, and send it again.",
            ),
            "time_limit": Template(
                "读取此文件超过时间上限（{seconds:.0f} 秒），已停止，未读取。请删除多余内容或拆分文件后"
                "重新提交。",
                "Reading this file took longer than the time limit ({seconds:.0f} s) and was "
                "stopped; it was not read. Remove unused content or split the file, and send it "
                "again.",
            ),
            "stopped": _STOPPED,
        },
    ),
    Entry(
        Code.UNKNOWN_FORM,
        Severity.ERROR,
        "未识别的表单",
        "Unknown form",
        "文件中找不到任何已知表单：表头行至少需要三个已知列名。请使用 salesxl 模板；"
        "导入数据库时，文件种类也要与命令一致。不是表格的文件会被跳过（提示）。",
        "No known form was found in the file: a header row needs at least three known column "
        "labels. Start from a salesxl template; when importing, the file must be of the kind "
        "the command imports. Files that are not spreadsheets are skipped (info).",
        {
            "": Template(
                "没有识别出表单（工作表：{sheets_zh}）。表头行需要至少三个已知列名，"
                "例如「日期、客户名称、销售阶段」；请使用 salesxl 模板。",
                "No known form found (sheets: {sheets_en}). A header row needs at least three "
                "known column labels such as Date, Customer, Stage; start from a salesxl template.",
            ),
            "not_spreadsheet": Template(
                "不是 Excel 或 CSV 文件，已跳过。", "Not an Excel or CSV file; skipped."
            ),
            "unrecognised": Template("无法识别表单。", "Unknown form."),
            "wrong_kind": Template(
                "此文件是「{form_zh}」，不是{kind_zh}。{hint_zh}",
                "This file is a {form_en} form, not {kind_en}. {hint_en}",
            ),
        },
    ),
    Entry(
        Code.MISSING_COLUMN,
        Severity.ERROR,
        "缺少必填列",
        "Missing column",
        "表格的表头行缺少一个必填列。从模板复制这一列的标题，加到表头行。",
        "The table's header row lacks a required column. Copy the column's label from the "
        "template into the header row.",
        {
            "": Template(
                "「{sheet}」表缺少必填列「{field_zh} {field_en}」。请在第 {row} 行表头加上这一列"
                "（可从模板复制）。",
                "Sheet '{sheet}' has no required column '{field_zh} {field_en}'. "
                "Add it to the header row {row} (copy it from the template).",
            ),
        },
    ),
    Entry(
        Code.MISSING_HEADER,
        Severity.ERROR,
        "表头缺项",
        "Missing header value",
        "表格上方的表头（销售员、工号、月份或周……）缺少必填项。在标签旁边填上。",
        "The header block above the table (rep, rep ID, month or week, …) lacks a required "
        "value. Fill it in next to its label.",
        {
            "": Template(
                "表头缺少「{field_zh}」。请在表格上方填写，例如：{field_zh} | {example}。",
                "The header block has no {field_en}. Add it above the table, e.g. "
                "{field_en} | {example}.",
            ),
        },
    ),
    Entry(
        Code.REQUIRED,
        Severity.ERROR,
        "必填项为空",
        "Required value missing",
        "必填的单元格是空的（带 * 的列，或在某些情况下必填，例如成交时的金额）。补上这个值。",
        "A required cell is empty (a column marked *, or one required in a situation, such as "
        "the amount of a closed deal). Fill it in.",
        {
            "": Template("「{field_zh}」必须填写。请补上。", "{field_en} is required. Fill it in."),
            "required_when": Template(
                "{when_zh}为「{shown}」时必须填写{field_zh}。请补上{field_zh}。",
                "{field_en} is required when {when_en} is '{shown}'. Fill in the {field_en}.",
            ),
            "empty_roster": Template(
                "花名册中没有任何销售员（这是空白模板吗？）。导入它会让之后的每一份报表都被拒收，"
                "因此未导入。请先填写花名册。",
                "The roster lists no reps (is it the blank template?). Importing it would make "
                "every report that follows unknown, so it was not imported. Fill it in first.",
            ),
        },
    ),
    Entry(
        Code.BAD_TYPE,
        Severity.ERROR,
        "格式无法识别",
        "Unreadable value",
        "单元格的值不是该列要求的类型（数字、日期、月份、周……）。按提示的格式改写。",
        "The cell's value is not of the column's type (number, date, month, week, …). Write "
        "it the way the message shows.",
        {"": Template("{field_zh}无法识别：{hint_zh}", "{field_en}: {hint_en}")},
    ),
    Entry(
        Code.NOT_IN_LIST,
        Severity.ERROR,
        "不是可选值",
        "Not in the list",
        "值不是下拉列表中的选项（来源、等级、阶段……或产品清单）。从下拉列表中选择。",
        "The value is not one of the drop-down's choices (source, grade, stage, … or the "
        "product list). Pick one from the list.",
        {
            "": Template(
                "{field_zh}「{value}」不是可选值。可选：{allowed_zh}。",
                "{field_en} '{value}' is not allowed. Choose one of: {allowed_en}.",
            ),
            "product": Template(
                "{field_zh}「{value}」不在产品清单中。请从下拉列表中选择。",
                "{field_en} '{value}' is not in the product list. Pick one from the list.",
            ),
        },
    ),
    Entry(
        Code.OUT_OF_RANGE,
        Severity.ERROR,
        "超出范围",
        "Out of range",
        "值超出允许的范围：小于最小值或大于最大值，日期不在表头的月份或周内，或结束早于开始。",
        "The value is outside what is allowed: below the minimum or above the maximum, a date "
        "outside the header's month or week, or an end before its start.",
        {
            "below_minimum": Template(
                "{field_zh} {value} 小于最小值 {minimum:g}。请更正。",
                "{field_en} {value} is below the minimum {minimum:g}. Correct it.",
            ),
            "above_maximum": Template(
                "{field_zh} {value} 大于最大值 {maximum:g}。请更正。",
                "{field_en} {value} is above the maximum {maximum:g}. Correct it.",
            ),
            "outside_period": Template(
                "{field_zh} {value:%Y-%m-%d} 不在表头{period_zh} {period} 内。"
                "请改正日期，或把这一行放到对应{period_zh}的文件中。",
                "{field_en} {value:%Y-%m-%d} is outside the header {period_en} {period}. "
                "Correct the date or move the row to that {period_en}'s file.",
            ),
            "not_before": _NOT_BEFORE,
            "not_finite": Template(
                "{field_zh}「{value}」不是有效的数字，未计入。请填写正确的数值。",
                "{field_en} '{value}' is not a finite number; it is not counted. Enter the right "
                "figure.",
            ),
            "beyond_reason": Template(
                "{field_zh} {value} 超出可接受的范围（绝对值不超过 {limit:,.0f}），未计入。请核对这一格。",
                "{field_en} {value} is beyond the largest figure salesxl accepts ({limit:,.0f}); "
                "it is not counted. Check the cell.",
            ),
        },
    ),
    Entry(
        Code.AMOUNT_MISMATCH,
        Severity.ERROR,
        "金额不符",
        "Amount mismatch",
        "金额不等于数量 × 单价（允许 0.01 的误差）。核对数量、单价或金额。",
        "The amount is not quantity × unit price (within 0.01). Check the quantity, the price "
        "or the amount.",
        {
            "": Template(
                "{field_zh} {total:,.2f} 不等于 {a_zh} × {b_zh} = {expected:,.2f}。"
                "请核对{a_zh}、{b_zh}或{field_zh}。",
                "{field_en} {total:,.2f} is not {a_en} × {b_en} = {expected:,.2f}. "
                "Check the {a_en}, the {b_en} or the {field_en}.",
            ),
        },
    ),
    Entry(
        Code.DEPOSIT_EXCEEDS_AMOUNT,
        Severity.ERROR,
        "定金大于金额",
        "Deposit exceeds amount",
        "定金不能大于成交金额。改正其中一个。",
        "A deposit cannot be more than the deal's amount. Correct one of them.",
        {
            "": Template(
                "{field_zh} {value:,.2f} 大于{other_zh} {limit:,.2f}。{field_zh}不能超过{other_zh}，请更正。",
                "{field_en} {value:,.2f} is more than the {other_en} {limit:,.2f}. "
                "A {field_en!l} cannot exceed the {other_en!l}; correct one of them.",
            ),
        },
    ),
    Entry(
        Code.FOLLOWUP_BEFORE_DATE,
        Severity.ERROR,
        "跟进日期早于联系日期",
        "Follow-up before the contact",
        "下次跟进的日期早于这次联系的日期。填写联系当天或之后的日期。",
        "The next follow-up is dated before the contact itself. Use a date on or after the "
        "contact.",
        {"not_before": _NOT_BEFORE},
    ),
    Entry(
        Code.DUPLICATE_ROW,
        Severity.WARNING,
        "重复",
        "Duplicate",
        "一行与前面某行完全相同（多半是重复录入，删除其中一行）；必须唯一的值重复了（错误）；"
        "或同一销售员同一期间交了两个文件（使用较新的一个）。",
        "A row is identical to an earlier one (most likely entered twice: delete one); a value "
        "that must be unique repeats (an error); or a rep handed in two files for one period "
        "(the newer one is used).",
        {
            "": Template(
                "这一行与第 {first} 行完全相同。如果是重复录入，请删除其中一行。",
                "This row is identical to row {first}. If it was entered twice, delete one of them.",
            ),
            "unique": Template(
                "{field_zh}「{value}」与第 {first} 行重复，必须唯一。请更正。",
                "{field_en} '{value}' repeats row {first}; it must be unique. Correct it.",
            ),
            "two_files": Template(
                "同一销售员（{rep}）同一期间（{period}）有两个文件；使用较新的 {newer}，本文件未计入。"
                "请删除旧文件。",
                "Rep {rep} has two files for {period}; the newer one ({newer}) is used and this "
                "one is not counted. Delete the old file.",
            ),
        },
    ),
    Entry(
        Code.UNKNOWN_REP,
        Severity.ERROR,
        "工号不在花名册",
        "Unknown rep",
        "工号不在花名册中。核对工号，或请管理员把此人加入花名册。",
        "The rep ID is not in the roster. Check the ID, or ask the admin to add the rep.",
        {
            "": Template(
                "{field_zh}「{rep}」不在花名册中。请核对工号，或请管理员把此人加入花名册。",
                "{field_en} '{rep}' is not in the roster. Check the ID, or ask the admin to add "
                "the rep.",
            ),
        },
    ),
    Entry(
        Code.WRONG_PERIOD,
        Severity.ERROR,
        "期间不符",
        "Wrong period",
        "文件表头的月份或周不是本次检查或汇总的期间。确认文件没有放错期间，或改正表头。",
        "The month or week in the file's header is not the period being checked or "
        "consolidated. Check that the file belongs to this period, or correct the header.",
        {
            "": Template(
                "{field_zh}是 {got}，但本次汇总的期间是 {wanted}。请确认文件是否放错期间，或改正{field_zh}。",
                "The {field_en!l} is {got} but the requested period is {wanted}. Check that the "
                "file belongs to this period, or correct the {field_en!l}.",
            ),
        },
    ),
    Entry(
        Code.FUTURE_DATE,
        Severity.WARNING,
        "未来日期",
        "Future date",
        "日期晚于今天：多半是写错了日期。",
        "The date is after today: most likely a typing mistake.",
        {
            "": Template(
                "{field_zh} {value:%Y-%m-%d} 晚于今天（{today:%Y-%m-%d}）。请确认日期是否写错。",
                "{field_en} {value:%Y-%m-%d} is after today ({today:%Y-%m-%d}). Check the date.",
            ),
        },
    ),
    Entry(
        Code.PHONE_FORMAT,
        Severity.WARNING,
        "电话格式",
        "Phone format",
        "电话既不是 1 开头的 11 位手机号，也不是 0xx-xxxxxxxx 的座机号。号码照原样保留，请核对。",
        "The phone is neither an 11-digit mobile starting with 1 nor a 0xx-xxxxxxxx landline. "
        "It is kept as written; check it.",
        {
            "": Template(
                "电话「{value}」不是有效的手机号（1 开头 11 位）或座机号（0xx-xxxxxxxx）。请核对。",
                "Phone '{value}' is not a valid CN mobile (11 digits starting with 1) or "
                "landline (0xx-xxxxxxxx). Check it.",
            ),
        },
    ),
    Entry(
        Code.FOLLOWUP_MISSING,
        Severity.WARNING,
        "缺少跟进日期",
        "Follow-up missing",
        "A/B 类客户仍在跟进中（未成交、未流失），却没有下次跟进日期；这类客户须在 7 日内跟进。",
        "An A/B customer at an open stage (neither won nor lost) has no next follow-up date; "
        "such customers are followed up within 7 days.",
        {
            "": Template(
                "{reason_zh}没有填写{field_zh}。请写上下次跟进的日期。",
                "{reason_en}has no {field_en}. Write the date of the next follow-up.",
            ),
        },
    ),
    Entry(
        Code.FORMULA_WITHOUT_VALUE,
        Severity.WARNING,
        "公式没有结果",
        "Formula without value",
        "单元格是公式，但文件里没有计算结果（文件由程序生成、从未在 Excel 中打开保存），"
        "所以这个值不计入（既不当作 0，也不当作空）。在 Excel 中打开、保存后重新提交。",
        "The cell is a formula with no calculated value in the file (written by a program, "
        "never opened and saved in Excel), so the value is left out rather than taken as 0. "
        "Open the file in Excel, save it and send it again.",
        {
            "": Template(
                "「{field_zh}」是公式，但文件里没有计算结果（文件由程序生成、未在 Excel 中打开保存）。"
                "请在 Excel 中打开此文件，保存后重新提交。",
                "{field_en} is a formula with no calculated value (the file was written by a "
                "program and never opened in Excel). Open it in Excel, save it and send it again.",
            ),
        },
    ),
    Entry(
        Code.EXTRA_COLUMN,
        Severity.INFO,
        "多出的列",
        "Extra column",
        "表格中有表单以外的列：它的值照样保留（写入数据库），但不参与汇总。",
        "The table has a column the form does not know: its values are kept (and stored) but "
        "not used in the summary.",
        {
            "": Template(
                "列「{label}」不是表单中的列，已保留但不参与汇总。",
                "Column '{label}' is not part of the form; it is kept but not used.",
            ),
        },
    ),
    Entry(
        Code.TARGET_MISMATCH,
        Severity.WARNING,
        "月度目标不符",
        "Month target mismatch",
        "表单表头的月度目标与目标文件（或数据库中的目标）不同，或目标文件里没有这位销售员；"
        "汇总按目标文件计算（没有目标文件时按日报）。改正表单或目标文件。",
        "The month target in a form's header differs from the targets file (or the store's "
        "targets), or the targets leave the rep out; the summary goes by the targets file (by "
        "the daily report when there is none). Correct the form or the targets.",
        {
            "": Template(
                "表单上的月度目标 {stated} 与{source_zh}的 {wanted} 不同；汇总按{source_zh}计算。"
                "请改正表单（或更新{source_zh}）。",
                "The form's month target {stated} differs from the {source_en!l}'s {wanted}; "
                "the summary uses the {source_en!l}. Correct the form (or update the "
                "{source_en!l}).",
            ),
            "not_in_targets": Template(
                "{source_zh}中没有 {rep} 本月的目标；按表单上的月度目标 {stated} 计算。"
                "请在{source_zh}中补上。",
                "The {source_en!l} has no target for {rep} this month; the form's month target "
                "{stated} is used. Add it to the {source_en!l}.",
            ),
            "forms_disagree": Template(
                "表单上的月度目标 {stated} 与日报上的 {wanted} 不同；汇总按日报计算。请改正其中一个。",
                "The form's month target {stated} differs from the daily report's {wanted}; the "
                "summary uses the daily report's. Correct one of them.",
            ),
        },
    ),
]


_ENTRIES += [
    Entry(
        Code.SKIPPED,
        Severity.INFO,
        "已跳过",
        "Skipped",
        "没有读取的路径，以及原因：Excel 锁定文件、隐藏文件或文件夹、管道或设备、无法读取的文件夹、"
        "指向文件夹的链接、salesxl 自己生成的汇总等。什么都不会被悄悄漏掉。",
        "A path that was not read, and why: an Excel lock file, a hidden file or folder, a pipe "
        "or device, a folder that cannot be read, a link to a folder, a summary salesxl wrote. "
        "Nothing is left out without a word.",
        {
            "lock": Template(
                "Excel 锁定文件（该工作簿正在 Excel 中打开），已跳过。",
                "An Excel lock file (the workbook is open in Excel); skipped.",
            ),
            "hidden": Template("隐藏文件，已跳过。", "A hidden file; skipped."),
            "hidden_folder": Template(
                "隐藏文件夹，其中的文件未读取。", "A hidden folder; the files in it were not read."
            ),
            "special": Template(
                "不是普通文件（管道、套接字或设备），已跳过。",
                "Not a regular file (a pipe, socket or device); skipped.",
            ),
            "broken_link": Template(
                "链接指向的文件不存在，已跳过。",
                "A link to something that does not exist; skipped.",
            ),
            "folder_link": Template(
                "指向文件夹的链接（不跟随），已跳过。",
                "A link to a folder (links to folders are not followed); skipped.",
            ),
            "folder_unreadable": Template(
                "无法读取此文件夹（{reason}），其中的文件未读取。请检查权限。",
                "This folder cannot be read ({reason}); the files in it were not read. Check "
                "its permissions.",
            ),
            "summary": Template(
                "这是 salesxl 生成的汇总工作簿，不是表单，已跳过。",
                "A summary workbook written by salesxl, not a form; skipped.",
            ),
            "manager_workbook": Template(
                "这是 salesxl 生成的汇总管理工作簿，不是表单，已跳过。",
                "The manager workbook written by salesxl, not a form; skipped.",
            ),
            "scorecard": Template(
                "这是 salesxl 生成的个人战报，不是表单，已跳过。",
                "A scorecard written by salesxl, not a form; skipped.",
            ),
            "return_list": Template(
                "这是 salesxl 生成的退回清单，不是表单，已跳过。",
                "A return list written by salesxl, not a form; skipped.",
            ),
        },
    ),
    Entry(
        Code.SAVED_EARLY,
        Severity.WARNING,
        "保存时间远早于到达",
        "Saved long before it arrived",
        "文件夹中的报表按文件内记录的保存时间判断迟交（邮件会改变文件本身的时间），而这个时间比文件到达"
        "早了三天以上。文件内的时间任何人都能改：请核实，或用 --ignore-saved-times 只按到达时间判断。"
        "数据库记录的首次到达时间才是可信的。",
        "A report from a folder is judged late or on time by the save time recorded inside it "
        "(e-mail resets the file's own time), and that time is more than three days before the "
        "file arrived. Anyone can set the time inside a file: check it, or use "
        "--ignore-saved-times to judge by arrival only. The store's first-seen time is the one "
        "to trust.",
        {
            "": Template(
                "文件内记录的最后保存时间是 {saved}，比它到达的时间（{arrived}）早 {days} 天。"
                "迟交按较早的时间判断，而文件内的时间可以被改动：请核实，"
                "或用 --ignore-saved-times 只按文件到达的时间判断。",
                "The file says it was last saved on {saved}, {days} days before it arrived "
                "({arrived}). Lateness is judged by the earlier time, and the time inside a file "
                "can be set by anyone: check it, or use --ignore-saved-times to judge by arrival "
                "only.",
            ),
        },
    ),
]


CATALOGUE: dict[Code, Entry] = {entry.code: entry for entry in _ENTRIES}


def message(code: Code, variant: str = "", /, **values: Any) -> tuple[str, str]:
    """The (zh, en) message of `code` (its `variant`) with `values` filled in."""
    return CATALOGUE[code].message(variant, **values)


def severity_of(code: Code) -> Severity:
    return CATALOGUE[code].severity
