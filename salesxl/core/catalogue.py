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

# A row the file's encoding cannot read: where it probably came from, what to do.
_ONE_ENCODING = (
    "可能是从别的文件粘贴的。这一行没有导入；请把文件统一另存为一种编码（如 UTF-8）后重新提交。",
    "probably pasted from a file in another encoding. The row is not used; save the whole "
    "file in one encoding (e.g. UTF-8) and send it again.",
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
        "文件中找不到任何已知表单：表头行至少需要三个已知列名（列名也可以是其他系统的常见写法，"
        "见 docs/forms.md），或包含一张表的全部必填列且占表头的一半。拒收时列出找到的列、最接近的表单"
        "和它缺少的必填列、可能对应的列名，以及用 --map 指定列的写法；按月汇总的宽表会说明可以用在哪里。"
        "导入数据库时，文件种类也要与命令一致。不是表格的文件会被跳过（提示）。",
        "No known form was found in the file: a header row needs at least three known column "
        "labels (other systems' usual labels count too, see docs/forms.md), or every required "
        "column of a table making up half the row. The refusal lists the columns found, the "
        "closest form and the required columns it lacks, the labels they may be, and the "
        "--map that would settle it; a monthly summary laid out wide is told where it can be "
        "used. When importing, the file must be of the kind the command imports. Files that "
        "are not spreadsheets are skipped (info).",
        {
            # A refusal is the usual sentence, then those of the closest form that apply.
            "": Template(
                "没有识别出表单。工作表「{sheet}」第 {row} 行的列：{columns_zh}。",
                "No known form found. The columns in sheet '{sheet}', row {row}: {columns_en}.",
            ),
            "closest_missing": Template(
                "最接近的表单是「{form_zh}（{table}）」，缺少必填列：{missing_zh}。",
                "The closest form is {form_en} (sheet {table}), which needs: {missing_en}.",
            ),
            "closest_few": Template(
                "最接近的表单是「{form_zh}（{table}）」，但能识别的列太少。",
                "The closest form is {form_en} (sheet {table}), but too few of its columns "
                "were recognised.",
            ),
            "did_you_mean": Template("可能是：{hints_zh}。", "Did you mean: {hints_en}?"),
            "rename": Template(
                "请把列名改为表单的列名（见 docs/forms.md），或用 --map 指定，"
                "例如 --map {key}={header_zh}。",
                "Rename the columns to the form's labels (docs/forms.md) or map them, e.g. "
                "--map {key}={header_en}.",
            ),
            "no_header": Template(
                "没有识别出表单：文件中没有表头行（至少两个列名）。请从 salesxl 模板开始填写。",
                "No known form found: the file has no header row (two or more column labels). "
                "Start from a salesxl template.",
            ),
            "wide": Template(
                "工作表「{sheet}」是按月汇总的宽表（月份作为列：{months}），不是逐笔销售记录。"
                "销售记录需要每笔销售一行（日期、金额）；按月汇总表可以作为目标分解输入的"
                "「历史销售 History」表使用（可以保持宽表格式，每行一个单元）。请导出逐笔销售明细后再导入。",
                "Sheet '{sheet}' is a monthly summary laid out wide (months as columns: {months}), "
                "not sales records with one row per sale (a date and an amount each). Use it as "
                "the History sheet (历史销售) of the targets input, where it is accepted laid out "
                "wide (one row per unit), or export the sales lines and import those.",
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
        "单元格的值不是该列要求的类型（数字、日期、月份、周……）。按提示的格式改写。"
        "用逗号作小数点的数字（1.234,56、12,50，德、法等系统导出的格式）从不自动换算：会说明它的读法，"
        "此值不使用；这样的列中 1.234 或 1,234 这类两种写法读数差 1000 倍的数字也不使用。",
        "The cell's value is not of the column's type (number, date, month, week, …). Write "
        "it the way the message shows. A number written with a decimal comma (1.234,56 or "
        "12,50, as German or French systems export them) is never converted: the message "
        "names its reading and the value is not used; in such a column, numbers such as "
        "1.234 or 1,234, which the two notations read a factor of 1000 apart, are not used "
        "either.",
        {
            "": Template("{field_zh}无法识别：{hint_zh}", "{field_en}: {hint_en}"),
            "date_order": Template(
                "{field_zh}「{value}」按本列的日期顺序（{order_zh}）不是有效日期。请改写为 YYYY-MM-DD。",
                "{field_en} '{value}' is not a real date in this column's order ({order_en}). "
                "Write it as YYYY-MM-DD.",
            ),
            # 1.234,56 from a German or French system: named, never converted
            "decimal_comma": Template(
                "{field_zh}「{value}」是用逗号作小数点的写法（德、法等系统导出的格式，即 {reading}）。"
                "为免把数字读错（差 1000 倍），不自动换算，此值未使用。请改写为 {reading}"
                "（小数点，不加千位分隔符），或把导出格式改为小数点后重新提交。",
                "{field_en} '{value}' is written with a decimal comma (as German or French "
                "systems export numbers: {reading}). It is not converted, so that no number is "
                "misread by a factor of 1000, and is not used. Write it as {reading} (a decimal "
                "point, no thousands separators), or export the file with a decimal point and "
                "send it again.",
            ),
            "decimal_comma_column": Template(
                "{field_zh}「{value}」在本列中有两种读法：{as_read}，或按本列其他单元格的小数逗号写法"
                "（如 {example_cell} 的「{example}」）读作 {other}。为免差 1000 倍，此值未使用。"
                "请统一用小数点改写本列（{as_read} 或 {other}）后重新提交。",
                "{field_en} '{value}' reads two ways in this column: {as_read}, or {other} in the "
                "decimal-comma notation other cells of the column use (such as '{example}' in "
                "{example_cell}). So that it is not wrong by a factor of 1000, it is not used. "
                "Write the column's numbers with a decimal point ({as_read} or {other}) and send "
                "the file again.",
            ),
        },
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
        "金额不等于数量 × 单价（允许 0.01 的误差）。核对数量、单价或金额。"
        "其他系统导出的销售记录以导出的金额为准（单价常被四舍五入），这时只是警告。",
        "The amount is not quantity × unit price (within 0.01). Check the quantity, the price "
        "or the amount. In sales records exported from other systems the export's amount is "
        "the truth (unit prices are often rounded), so there it is a warning.",
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
        "一行与前面某行完全相同，包括表单不用的列（多半是重复录入，删除其中一行）；"
        "或必须唯一的值重复了（错误；日清同一天写了两行是警告：两行的预测都会被评估，删掉多余的一行）。"
        "同一销售员同一期间的两个文件是 duplicate_file。",
        "A row is identical to an earlier one in every column, those the form does not use "
        "too (most likely entered twice: delete one), or a value that must be unique repeats "
        "(an error; two 日清 Day close rows for one day are a warning: both forecasts are "
        "judged until the extra row goes). Two files of one rep for one period are "
        "duplicate_file.",
        {
            "": Template(
                "这一行与第 {first} 行完全相同。如果是重复录入，请删除其中一行。",
                "This row is identical to row {first}. If it was entered twice, delete one of them.",
            ),
            "unique": Template(
                "{field_zh}「{value}」与第 {first} 行重复，必须唯一。请更正。",
                "{field_en} '{value}' repeats row {first}; it must be unique. Correct it.",
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
            "suggestion": Template(
                "{field_zh}「{rep}」不在花名册中。是不是 {guess}？请核对工号，或请管理员把此人加入花名册。",
                "{field_en} '{rep}' is not in the roster. Did you mean {guess}? Check the ID, or "
                "ask the admin to add the rep.",
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
        "所以这个值不计入（既不当作 0，也不当作空）。若是必填项（行的日期、客户，表头的工号、"
        "月份），或这一行按规则必须填写（阶段为 7 成交 的行的金额），则与空着一样是错误："
        "没有日期的行、没有工号或月份的文件都无法计入；成交行的金额缺失，而不是 0。"
        "在 Excel 或 WPS 中打开、保存后重新提交，或直接填入数值。",
        "The cell is a formula with no calculated value in the file (written by a program, "
        "never opened and saved in Excel), so the value is left out rather than taken as 0. "
        "In a field the form requires (a row's date or customer, the header's rep ID or "
        "month), or that a rule requires in its row (the amount of a row at stage 7 成交 "
        "Closed won), it is an error, as a blank cell would be: a row without its date, or a "
        "file without its rep ID or month, cannot be counted; a closed deal's amount is "
        "missing, not 0. Open the file in Excel or WPS and save it, or type the value in, and "
        "send it again.",
        {
            "": Template(
                "「{field_zh}」是公式，但文件里没有计算结果（文件由程序生成、未在 Excel 中打开保存）。"
                "请在 Excel 中打开此文件，保存后重新提交。",
                "{field_en} is a formula with no calculated value (the file was written by a "
                "program and never opened in Excel). Open it in Excel, save it and send it again.",
            ),
            # One issue for a run of cells down a column (日清 今日成交 of a whole month).
            "cells": Template(
                "「{field_zh}」的 {cells} 个单元格是公式，但文件里没有计算结果（文件由程序生成、"
                "未在 Excel 中打开保存）。请在 Excel 中打开此文件，保存后重新提交。",
                "{field_en}: {cells} cells are formulas with no calculated value (the file was "
                "written by a program and never opened in Excel). Open it in Excel, save it and "
                "send it again.",
            ),
            # A field the form requires: an error, as a blank cell would be.
            "required": Template(
                "「{field_zh}」是必填项，但这里是公式，文件里没有计算结果（文件由程序生成、未在 "
                "Excel 中打开保存），所以它和空着一样算缺失。请在 Excel 中打开此文件，保存后重新提交。",
                "{field_en} is required but is a formula with no calculated value (the file was "
                "written by a program and never opened in Excel), so it is missing, as a blank "
                "cell would be. Open it in Excel, save it and send it again.",
            ),
            "required_cells": Template(
                "「{field_zh}」是必填项，但其中 {cells} 个单元格是公式，文件里没有计算结果（文件由"
                "程序生成、未在 Excel 中打开保存），所以它们和空着一样算缺失。请在 Excel 中打开"
                "此文件，保存后重新提交。",
                "{field_en} is required but {cells} of its cells are formulas with no calculated "
                "value (the file was written by a program and never opened in Excel), so they are "
                "missing, as blank cells would be. Open it in Excel, save it and send it again.",
            ),
            # A field a cross-field rule requires in this row (金额 of a 成交 row): an error too.
            "required_when": Template(
                "{when_zh}为「{shown}」时必须填写{field_zh}，但这里是公式，Excel 没有算出结果"
                "（文件由程序生成，或保存时关闭了自动计算），所以它和空着一样算缺失，不按 0 计。"
                "请在 Excel 或 WPS 中打开此文件、保存后重新提交，或直接填入数值。",
                "{field_en} is required when {when_en} is '{shown}', but this cell is a formula "
                "Excel has not calculated (the file was written by a program, or saved with "
                "calculation off), so it is missing, as a blank cell would be, not counted as 0. "
                "Open the file in Excel or WPS and save it, or type the value in, then send it "
                "again.",
            ),
            "required_when_cells": Template(
                "{when_zh}为「{shown}」时必须填写{field_zh}，但其中 {cells} 个单元格是公式，Excel "
                "没有算出结果（文件由程序生成，或保存时关闭了自动计算），所以它们和空着一样算缺失，"
                "不按 0 计。请在 Excel 或 WPS 中打开此文件、保存后重新提交，或直接填入数值。",
                "{field_en} is required when {when_en} is '{shown}', but {cells} of these cells "
                "are formulas Excel has not calculated (the file was written by a program, or "
                "saved with calculation off), so they are missing, as blank cells would be, not "
                "counted as 0. Open the file in Excel or WPS and save it, or type the values in, "
                "then send it again.",
            ),
            "other_cells": Template(
                "这 {cells} 个单元格是公式，但文件里没有计算结果（文件由程序生成、未在 Excel 中打开"
                "保存）。请在 Excel 中打开此文件，保存后重新提交。",
                "These {cells} cells are formulas with no calculated value (the file was written "
                "by a program and never opened in Excel). Open it in Excel, save it and send it "
                "again.",
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
    Entry(
        Code.COLUMN_CHOSEN,
        Severity.INFO,
        "选用了其中一列",
        "Column chosen",
        "两列或更多列都可能是表单的同一列（例如「销售额」和「价税合计」都是金额，或两列都叫「金额」）："
        "依次优先使用显示的列（而非隐藏的列）、有数字的列（而非空白或全为 0 的列）、列名最接近的列"
        "（docs/forms.md 中排在前面的写法），其他列照样保留但不参与汇总。要改用另一列，用 --map 字段=列名；"
        "两列同名时，删除或改名不用的那一列。两列都有且数字不同时是警告（column_ambiguous）。",
        "Two or more columns could each be the same field of the form (销售额 and 价税合计 are "
        "both an amount, or two columns are both labelled 金额): a visible column is used over "
        "a hidden one, one with figures over one that is blank or all zero, then the closer "
        "label (the earlier spelling in docs/forms.md); the others are kept but not used. To "
        "use another, map it with --map FIELD=HEADER; when both have the same label, delete "
        "or rename the one not meant. When both hold different figures, it is a warning "
        "(column_ambiguous).",
        {
            "": Template(
                "列 {used} 和 {others} 都可能是「{field_zh}」；已使用 {used}（名称最接近），"
                "其他列保留但不参与汇总。如需改用其他列：--map {key}=列名。",
                "Columns {used} and {others} could each be the {field_en}; {used} is used "
                "(the closer label), the others are kept but not used. To use another: "
                "--map {key}=HEADER.",
            ),
            "hidden": Template(
                "列 {used} 和 {others} 都可能是「{field_zh}」；已使用显示的 {used}，"
                "隐藏的列保留但不参与汇总。",
                "Columns {used} and {others} could each be the {field_en}; the visible {used} "
                "is used, the hidden ones are kept but not used.",
            ),
            "empty": Template(
                "列 {used} 和 {others} 都可能是「{field_zh}」；已使用 {used}，"
                "其他列为空或全为 0，保留但不参与汇总。",
                "Columns {used} and {others} could each be the {field_en}; {used} is used, the "
                "others are blank or all zero and are kept but not used.",
            ),
            "same": Template(
                "列 {used} 和 {others} 都可能是「{field_zh}」，内容相同；已使用 {used}，"
                "其他列保留但不参与汇总。",
                "Columns {used} and {others} could each be the {field_en} and hold the same "
                "values; {used} is used, the others are kept but not used.",
            ),
        },
    ),
    Entry(
        Code.COLUMN_AMBIGUOUS,
        Severity.WARNING,
        "无法确定用哪一列",
        "Ambiguous column",
        "两列都可能是表单的同一列（常见于其他系统导出的文件：两列都叫「金额」），而且两列的数字不同，"
        "没有规则能判断哪一列正确：使用靠前的一列（或显示的一列），另一列保留但不参与汇总。"
        "核对哪一列正确，删除或改名另一列后重新提交。",
        "Two columns could each be the same field of the form (common in other systems' "
        "exports: two columns labelled 金额) and they hold different figures, so no rule can "
        "tell which is right: the first one (or the visible one) is used and the other is kept "
        "but not used. Check which is right, then delete or rename the other and send the "
        "file again.",
        {
            "": Template(
                "列 {used} 和 {rival} 都可能是「{field_zh}」，但数字不同（第 {row} 行：{used_cell} 为 "
                "{used_value}，{rival_cell} 为 {rival_value}）。已使用靠前的 {used}，{rival} 保留但"
                "不参与汇总。请核对哪一列正确，删除或改名另一列后重新提交。",
                "Columns {used} and {rival} could each be the {field_en} but hold different "
                "figures (row {row}: {used_cell} is {used_value}, {rival_cell} is "
                "{rival_value}); {used}, the first, is used and {rival} is kept but not used. "
                "Check which is right, then delete or rename the other column and send the "
                "file again.",
            ),
            "hidden": Template(
                "列 {used} 和隐藏的列 {rival} 都可能是「{field_zh}」；显示的 {used} 为空或全为 0，"
                "隐藏的 {rival} 却有数字（第 {row} 行：{rival_cell} 为 {rival_value}）。已使用显示的 "
                "{used}。请核对：如果隐藏的列才正确，取消隐藏，删除或改名另一列后重新提交。",
                "Columns {used} and the hidden {rival} could each be the {field_en}; the "
                "visible {used} is blank or all zero but the hidden {rival} holds figures (row "
                "{row}: {rival_cell} is {rival_value}). The visible {used} is used. Check: if "
                "the hidden column is the right one, unhide it, then delete or rename the other "
                "and send the file again.",
            ),
        },
    ),
    Entry(
        Code.UNKNOWN_SUB_LABELS,
        Severity.WARNING,
        "子列名无法识别",
        "Unknown sub-labels",
        "表头写成两行：上行是跨列合并的分组列名，下行是子列名（例如「成交信息」下面是数量、单价、金额），"
        "但下行的子列名不是表单的列名。这一行按表头读取，不当作数据；这些列保留但不使用。"
        "一个表单列名跨在几个子列名上面时（「金额」下面是含税、不含税），无法确定是哪一列，该列不读取。"
        "把子列名改成表单的列名（见 docs/forms.md），或把表头写成一行。",
        "The header is written on two rows, group labels merged across columns above "
        "sub-labels (成交信息 above 数量, 单价, 金额), but the sub-labels are not the form's. "
        "The row is read as header, not as data, and those columns are kept but not used. "
        "A label of the form spanning several sub-labels (金额 above 含税, 不含税) cannot say "
        "which one it is, so that field is not read. Rename the sub-labels to the form's "
        "labels (docs/forms.md), or write the header on one row.",
        {
            # A warning is the usual sentence, then those that apply.
            "": Template(
                "第 {top_row} 行和第 {sub_row} 行是两行表头（上行分组列名，下行子列名），"
                "但子列名不是「{table}」的列名。第 {top_row} 行：{top_zh}；第 {sub_row} 行：{sub_zh}。"
                "这些列保留但不使用：请把子列名改成表单的列名（见 docs/forms.md），"
                "或把表头写成一行后重新提交。",
                "Rows {top_row} and {sub_row} read as a two-row header (group labels above "
                "sub-labels), but the sub-labels are not columns of the {table} table. Row "
                "{top_row}: {top_en}. Row {sub_row}: {sub_en}. Those columns are kept but not used: "
                "rename the sub-labels to the form's labels (docs/forms.md), or write the "
                "header on one row, and send the file again.",
            ),
            "spanned": Template(
                "「{label}」（{cells}）跨在子列名 {subs_zh} 上面，无法确定哪一列是「{field_zh}」，"
                "因此不读取{field_zh}。",
                "'{label}' ({cells}) spans the sub-labels {subs_en}, so which of them is the "
                "{field_en} is not known and the {field_en!l} is not read.",
            ),
            "expected": Template(
                "本表应有而没有找到的列：{expected_zh}。",
                "Columns of the table expected but not found: {expected_en}.",
            ),
        },
    ),
    Entry(
        Code.MAPPED_COLUMN_MISSING,
        Severity.ERROR,
        "映射的列不存在",
        "Mapped column missing",
        "列映射（--map 字段=列名，或管理工作簿的「列映射」设置）指定的列名在文件的表头行中找不到。"
        "照文件中的写法填写列名。",
        "A column mapping (--map FIELD=HEADER, or the manager workbook's Column mapping "
        "setting) names a header the file's header row does not have. Give the header as the "
        "file writes it.",
        {
            "": Template(
                "--map {key}={header}：表头第 {row} 行没有「{header}」列（现有列：{found}）。"
                "请写出文件中的列名。",
                "--map {key}={header}: header row {row} has no column '{header}' "
                "(it has: {found}). Give a header the file has.",
            ),
        },
    ),
    Entry(
        Code.AMBIGUOUS_DATES,
        Severity.ERROR,
        "日期顺序无法确定",
        "Ambiguous dates",
        "日期列写成 3/4/2024 这类形式，既可能是日/月也可能是月/日，而这一列里没有能区分的日期"
        "（如 24/3），或者两种顺序混在一起。salesxl 从不逐格猜测，这一列不予使用。"
        "用 --date-order 指定顺序（dmy、mdy 或 ymd），或把日期改写为 YYYY-MM-DD。",
        "A date column is written like 3/4/2024, day/month or month/day, and nothing in the "
        "column tells which (no date such as 24/3), or it mixes both orders. salesxl never "
        "guesses cell by cell, so the column is not used. Give the order with --date-order "
        "(dmy, mdy or ymd), or write the dates as YYYY-MM-DD.",
        {
            "": Template(
                "{field_zh}列的日期（如 {example}）既可读作「日/月/年」也可读作「月/日/年」，"
                "本列没有能区分的日期，未导入。请指定日期顺序：--date-order dmy（日/月/年）、"
                "mdy（月/日/年）或 ymd，或把日期改写为 YYYY-MM-DD。",
                "{field_en}: dates such as {example} read as day/month or as month/day, and "
                "nothing in the column tells which; the file is not used. Give the order with "
                "--date-order dmy (day first), mdy (month first) or ymd, or write the dates as "
                "YYYY-MM-DD.",
            ),
            "conflicting": Template(
                "{field_zh}列的日期顺序前后矛盾（如 {example}）：有的只能是「日/月」，有的只能是"
                "「月/日」。请核对这一列，统一写成 YYYY-MM-DD。",
                "{field_en}: the column mixes day-first and month-first dates ({example}); no "
                "one order reads them all. Check the column and write the dates as YYYY-MM-DD.",
            ),
        },
    ),
    Entry(
        Code.TWO_DIGIT_YEAR,
        Severity.INFO,
        "两位年份",
        "Two-digit year",
        "日期列的年份只有两位（3/4/24）：按通常的规则读取，00–68 为 2000–2068 年，69–99 为 "
        "1969–1999 年。如果不对，把年份写全。",
        "A date column gives two-digit years (3/4/24): they are read with the usual pivot, "
        "00–68 as 2000–2068 and 69–99 as 1969–1999. Write the full year where that is wrong.",
        {
            "": Template(
                "{field_zh}列的年份只有两位，按惯例读取：00–68 为 2000–2068 年，69–99 为 "
                "1969–1999 年（例如 {example}）。",
                "{field_en} has two-digit years, read with the usual pivot: 00–68 are "
                "2000–2068, 69–99 are 1969–1999 (e.g. {example}).",
            ),
        },
    ),
    Entry(
        Code.ENCODING_GUESSED,
        Severity.WARNING,
        "文字编码是推测的",
        "Encoding guessed",
        "CSV 文件的文字编码（UTF-8、GBK、Big5、cp1252……）无法从文件本身确定，按最可能的一种读取。"
        "如果文字显示为乱码，用 --encoding 指定编码，或把文件另存为 UTF-8。",
        "The CSV file's text encoding (UTF-8, GBK, Big5, cp1252, …) cannot be told for sure "
        "from the file, so the likeliest one was used. If text looks garbled, give the "
        "encoding with --encoding or save the file as UTF-8.",
        {
            "": Template(
                "无法确定文件的文字编码，按 {encoding} 读取。如果文字显示为乱码，"
                "请用 --encoding 指定编码（如 --encoding gbk、cp437、utf-8），或把文件另存为 UTF-8。",
                "The file's text encoding is not certain; it was read as {encoding}. If text "
                "looks garbled, give the encoding with --encoding (e.g. gbk, cp437, utf-8) or "
                "save the file as UTF-8.",
            ),
            "sample": Template(
                "无法确定文件的文字编码，按 {encoding} 读取，例如读出「{sample}」。如果这是乱码，"
                "请用 --encoding 指定编码（如 --encoding gbk、big5、utf-8），或把文件另存为 UTF-8。",
                "The file's text encoding is not certain; it was read as {encoding}, which "
                "gives '{sample}'. If that is garbled, give the encoding with --encoding (e.g. "
                "gbk, big5, utf-8) or save the file as UTF-8.",
            ),
        },
    ),
    Entry(
        Code.BAD_ENCODING,
        Severity.ERROR,
        "文字编码不一致",
        "Bad encoding",
        "CSV 文件的某一行有不符合全文编码的字节（多半是从另一种编码的文件粘贴来的）。"
        "这一行不导入，也不会被悄悄替换成乱码；把整个文件另存为一种编码（如 UTF-8）后重新提交。",
        "A row of the CSV file has bytes that are not valid in the file's encoding (most "
        "likely pasted from a file in another encoding). The row is not used, and never "
        "silently replaced by garbage; save the whole file in one encoding (e.g. UTF-8) and "
        "send it again.",
        {
            "": Template(
                "第 {row} 行有不符合 {encoding} 编码的字节，" + _ONE_ENCODING[0],
                "Row {row} has bytes that are not valid {encoding}, " + _ONE_ENCODING[1],
            ),
            "other_reading": Template(
                "第 {row} 行有不符合 {encoding} 编码的字节（按 {other} 读是「{reads}」），"
                + _ONE_ENCODING[0],
                "Row {row} has bytes that are not valid {encoding} (as {other} it reads "
                "'{reads}'), " + _ONE_ENCODING[1],
            ),
        },
    ),
    Entry(
        Code.NOT_FED,
        Severity.INFO,
        "部分分析用不上",
        "Not fed",
        "导入的销售记录缺少可选的列（销售员、客户或产品）：文件照样导入，但这些销售不参与需要那一列的分析。",
        "The imported sales records lack an optional column (rep, customer or product): the "
        "file is imported, but its sales take no part in the analyses that need that column.",
        {
            "no_rep": Template(
                "没有销售员列（工号或姓名）：这些销售计入公司和产品的历史，不计入任何销售员的业绩和目标。",
                "No rep column (ID or name): these sales count toward the company and its "
                "product history, not toward any rep's results or targets.",
            ),
            "no_customer": Template(
                "没有客户列：这些销售不参与客户归属（首次登记、成交归属）。",
                "No customer column: these sales take no part in customer attribution.",
            ),
            "no_product": Template(
                "没有产品列：这些销售不计入按产品的历史和目标。",
                "No product column: these sales feed no per-product history or targets.",
            ),
        },
    ),
    Entry(
        Code.REP_BY_NAME,
        Severity.INFO,
        "按姓名对应销售员",
        "Rep by name",
        "销售记录只写了销售员的姓名、没有工号：按花名册找到工号（姓名唯一时）。"
        "不在花名册中或重名的姓名，以及没有花名册时，这些销售只计入公司和产品，不计入个人。",
        "Sales records give the rep by name only, without an ID: the ID is found in the "
        "roster (where exactly one rep has the name). Names not in the roster or shared by "
        "two reps, and every name when there is no roster, leave their sales to the company "
        "and products, not to a rep.",
        {
            "": Template(
                "{matched} 行按姓名在花名册中找到工号。",
                "{matched} rows got their rep ID from the roster by name.",
            ),
            "some_missing": Template(
                "{matched} 行按姓名在花名册中找到工号。{missing} 个姓名不在花名册中（{names}），"
                "这些销售只计入公司和产品。",
                "{matched} rows got their rep ID from the roster by name. {missing} names are "
                "not in the roster ({names}): those sales count toward the company and "
                "products only.",
            ),
            "no_roster": Template(
                "销售员只有姓名、没有工号（如 {names}），且没有花名册可对照：这些销售计入公司和产品，"
                "不计入个人。",
                "Reps are given by name only ({names}) and there is no roster to match them: "
                "these sales count toward the company and products, not toward a rep.",
            ),
        },
    ),
]

_NEW_FILES = (
    "请检查文件夹路径（~$ 锁定文件和隐藏文件会被跳过）。",
    "Check the folder (~$ lock files and hidden files are skipped).",
)
_ENTRIES += [
    Entry(
        Code.REP_ID_NORMALISED,
        Severity.INFO,
        "工号按花名册读取",
        "Rep ID read as the roster's",
        "工号与花名册中的某个工号只差大小写、全角半角或空格（如 s020、Ｓ０２０），已按花名册的写法"
        "读取，文件照常计入。",
        "The rep ID differs from a roster ID only in case, full-width characters or spaces "
        "(s020, Ｓ０２０): it is read as the roster spells it and the file counts as usual.",
        {
            "": Template(
                "{field_zh}「{typed}」按花名册读作 {rep_id}。",
                "{field_en} '{typed}' read as {rep_id}, as the roster spells it.",
            ),
            "rows": Template(
                "{field_zh}「{typed}」按花名册读作 {rep_id}（共 {rows} 行）。",
                "{field_en} '{typed}' read as {rep_id}, as the roster spells it ({rows} rows).",
            ),
        },
    ),
    Entry(
        Code.AMOUNT_NOT_CLOSED,
        Severity.WARNING,
        "金额不在成交行",
        "Amount not on a closed deal",
        "金额填在销售阶段不是成交（7）的行上：只有成交行的金额计入业绩、汇总和日报的本月进度，"
        "这个金额哪里都不计入。已成交请把阶段改为「7 成交」；报价或预计金额请写在备注中。",
        "An amount is on a row whose stage is not closed won (7): only a deal's amount counts as "
        "sales, in the summary and in the daily report's progress, so this one counts nowhere. "
        "If the deal closed, set the stage to 7; put a quote or an expected amount in the notes.",
        {
            "": Template(
                "{field_zh} {amount:,.2f} 所在行的{when_zh}是「{got_zh}」，不是「{wanted_zh}」："
                "只有「{wanted_zh}」行的{field_zh}计入业绩。已成交请把{when_zh}改为「{wanted_zh}」；"
                "报价或预计金额请写在备注中。",
                "{field_en} {amount:,.2f} is on a row at {when_en} '{got_en}', not "
                "'{wanted_en}': only the {field_en!l} of '{wanted_en}' rows counts as sales. If "
                "the deal closed, set the {when_en} to '{wanted_en}'; put a quote or an expected "
                "amount in the notes.",
            ),
            "no_choice": Template(
                "{field_zh} {amount:,.2f} 所在行没有填写{when_zh}：只有「{wanted_zh}」行的{field_zh}"
                "计入业绩。已成交请把{when_zh}填为「{wanted_zh}」；报价或预计金额请写在备注中。",
                "{field_en} {amount:,.2f} is on a row with no {when_en}: only the {field_en!l} "
                "of '{wanted_en}' rows counts as sales. If the deal closed, set the {when_en} to "
                "'{wanted_en}'; put a quote or an expected amount in the notes.",
            ),
        },
    ),
    Entry(
        Code.CHOICE_MISMATCH,
        Severity.WARNING,
        "编号与名称不符",
        "Number and name disagree",
        "下拉值写成「编号 名称」，但名称不是这个编号的（如「4 成交」：4 是接触客户）。已按编号读取；"
        "请从下拉列表中重新选择。只写编号或编号加简称（如「4 接触」）都可以。",
        "A choice written as its number and a name, where the name is not that number's "
        "('4 成交': 4 is Contact). It is read by the number; pick it again from the drop-down. "
        "The number alone, or with a shortened name ('4 接触'), is fine.",
        {
            "": Template(
                "{field_zh}「{value}」：编号 {code} 是「{label_zh}」，与名称「{name}」不符；"
                "已按 {code} 读取。请从下拉列表中重新选择。",
                "{field_en} '{value}': number {code} is '{label_en}', which the name '{name}' "
                "does not match; read as {code}. Pick it again from the drop-down.",
            ),
        },
    ),
    Entry(
        Code.DUPLICATE_FILE,
        Severity.WARNING,
        "重复的文件",
        "Duplicate file",
        "同一销售员同一期间交了两个文件：使用较新的一个，较旧的不计入。删除旧文件。",
        "A rep handed in two files for one period: the newer one is used and the older is not "
        "counted. Delete the old file.",
        {
            "": Template(
                "同一销售员（{rep}）同一期间（{period}）有两个文件：{older} 和 {newer}。"
                "使用较新的 {newer}，本文件未计入。请删除旧文件。",
                "Rep {rep} has two files for {period}: {older} and {newer}. The newer one "
                "({newer}) is used and this one is not counted. Delete the old file.",
            ),
        },
    ),
    Entry(
        Code.NO_FORMS,
        Severity.WARNING,
        "没有表单",
        "No forms",
        "给出的文件夹里没有可读的表单（或没有销售员表单，或数据库中没有这个月的表单），"
        "所以结果是空的，而不是「0 人 0 元」。检查路径或先导入；--strict 时以 1 退出"
        "（salesxl chase 总是以 1 退出：不是「无人欠交」）。",
        "The folder given holds no form to read (or no rep form, or the store has none for the "
        "month), so the result is empty rather than '0 reps, ¥0'. Check the path or import "
        "first; with --strict the command exits 1 (salesxl chase always does: it is not "
        "'nobody owes').",
        {
            "": Template(
                "在 {where} 中没有找到表单文件（.xlsx .xlsm .xls .csv）。" + _NEW_FILES[0],
                "No form files (.xlsx .xlsm .xls .csv) found in {where}. " + _NEW_FILES[1],
            ),
            "no_rep_forms": Template(
                "{where} 中的 {count} 个文件都不是销售员表单（日报、周计划、月计划），"
                "没有可汇总的内容。请检查文件夹路径。",
                "None of the files in {where} ({count}) is a rep form (daily report, weekly "
                "plan, monthly plan): there is nothing to consolidate. Check the folder.",
            ),
            "store": Template(
                "数据库中没有 {period} 的销售员表单（日报、周计划、月计划）。请先用 "
                "salesxl import reports 导入。",
                "The store holds no rep forms (daily report, weekly plan, monthly plan) for "
                "{period}. Import them first with `salesxl import reports`.",
            ),
        },
    ),
    Entry(
        Code.NOT_MULTIPLE_OF_ROUNDING,
        Severity.ERROR,
        "不是取整单位的倍数",
        "Not a multiple of the rounding unit",
        "年度目标或锁定的月度目标不是「设置」中取整单位的整数倍，目标分解会拒绝这个文件。"
        "改成取整单位的倍数，或改小取整单位。",
        "An annual or locked target is not a whole multiple of the Settings' rounding unit, so "
        "the target split refuses the file. Make it a multiple, or use a smaller rounding unit.",
        {
            "": Template(
                "{field_zh}：{amount:,} 不是取整单位 {rounding} 的整数倍，目标分解会拒绝。"
                "请改为 {rounding} 的倍数（如 {low:,} 或 {high:,}），或在「设置」中改小取整单位。",
                "{field_en}: {amount:,} is not a multiple of the rounding unit {rounding}, so the "
                "split refuses it. Make it a multiple of {rounding} (e.g. {low:,} or {high:,}), "
                "or set a smaller rounding unit in Settings.",
            ),
        },
    ),
    Entry(
        Code.BAD_MONTH_WEIGHTS,
        Severity.ERROR,
        "月度权重有误",
        "Bad month weights",
        "方法为 weights（权重）的单元需要 12 个月度权重（财年月份顺序）；写成百分比时合计必须"
        "正好是 100%。目标分解会拒绝有误的权重。",
        "A unit split by weights needs twelve month weights in fiscal order; given as "
        "percentages they must add up to exactly 100%. The target split refuses them otherwise.",
        {
            "count": Template(
                "{field_zh}：方法为 weights（权重）时需要 12 个月度权重（按财年月份顺序），这里有 "
                "{count} 个。",
                "{field_en}: Method weights needs twelve month weights (in fiscal order); found "
                "{count}.",
            ),
            "percent": Template(
                "{field_zh}：月度权重看起来是百分比，但合计为 {total:g}%，不是 100%。"
                "请改正，使合计为 100（或填写不成百分比的普通权重）。",
                "{field_en}: The month weights look like percentages but add up to {total:g}%, "
                "not 100%; correct them (or give plain weights).",
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
    Entry(
        Code.TOTAL_ROW,
        Severity.INFO,
        "合计行未计入",
        "Total row left out",
        "一行在前三个填写的单元格之一写着合计、小计、总计、Total、Subtotal 或 Sum：视为合计行，"
        "不计入汇总、不导入，以免重复计算。如果它其实是一行数据（产品或客户正好叫这个名字），"
        "请改掉那个词。",
        "A row says 合计, 小计, 总计, Total, Subtotal or Sum in one of its first three filled "
        "cells: it is read as a total row and left out (not summed, not imported), so that "
        "nothing counts twice. If it is a row of data (a product or customer of that name), "
        "write the name another way.",
        {
            "": Template(
                "第 {row} 行写着「{label}」，视为合计行，未计入。",
                "Row {row} says '{label}': read as a total row and left out.",
            ),
        },
    ),
    Entry(
        Code.DATE_ORDER_INFERRED,
        Severity.INFO,
        "日期按列中的值定了日月顺序",
        "Date order taken from the column",
        "日期列里有两种读法都行的日期（11/03/2026 可以是 3 月 11 日或 11 月 3 日），由只能一种读法的"
        "日期（13/11/2026）定下整列的顺序。只有一个这样的日期时是警告：它若是笔误，整列都会读错。"
        "不对时用 --date-order 指定。",
        "A date column has dates that read either way (11/03/2026: 11 March or 3 November), and "
        "the dates that read one way only (13/11/2026) set the order for the whole column. When "
        "a single date does, it is a warning: a typo there would turn every other date. Give "
        "--date-order where that is wrong.",
        {
            "": Template(
                "「{field_zh}」列的日期按{order_zh}读取：{settling} 只能这样读；另有 {count} 个日期"
                "两种读法都行（如 {example} 读作 {read}）。如果不对，用 --date-order 指定。",
                "The {field_en} column's dates are read as {order_en}: {settling} reads only "
                "that way, and {count} other dates read either way ({example} as {read}). If "
                "that is wrong, give --date-order.",
            ),
        },
    ),
    Entry(
        Code.UNIT_SCALED,
        Severity.INFO,
        "金额单位已换算",
        "Amounts turned into yuan",
        "金额列的标题注明了单位（万元、千元）：列中的数字按这个单位读，换算成元（1.5 → 15,000）。"
        "单元格里自己写了单位的（1.2万）按所写的读。",
        "A money column's header gives its unit (万元 ten thousand yuan, 千元 thousand yuan): "
        "its numbers are read in that unit and turned into yuan (1.5 → 15,000). A cell that "
        "names its own unit (1.2万) is read as written.",
        {
            "": Template(
                "「{label}」的单位是{unit}：金额已乘以 {scale}，换算成元。",
                "'{label}' gives amounts in {unit}: they were multiplied by {scale} into yuan.",
            ),
        },
    ),
    Entry(
        Code.UNLABELLED_COLUMN,
        Severity.WARNING,
        "有值的列没有列名",
        "Column without a header",
        "表格的行在某一列里有值，但这一列没有列名（列名被删掉了，或藏在合并单元格下面）："
        "这些值没有被读取。请给这一列写上列名（从模板复制），或删掉这些值。",
        "The table's rows have values in a column that has no header (deleted by mistake, or "
        "hidden under a merged cell): those values are not read. Give the column its header "
        "(copy it from the template) or delete the values.",
        {
            "": Template(
                "第 {column} 列有 {count} 行有值（从 {first} 起），但没有列名，这些值未被读取。"
                "请写上列名（从模板复制），或删掉这些值。",
                "Column {column} has values in {count} rows (from {first}) but no header: they "
                "are not read. Give it its header (copy it from the template) or delete them.",
            ),
        },
    ),
    Entry(
        Code.UNREAD_SHEET,
        Severity.ERROR,
        "另一个工作表的表格未读取",
        "Sheet not read",
        "文件里有两个工作表都是同一张表（例如「日报」和复制出来的「日报 (2)」，或把一个月的行分在"
        "两个工作表里）：只读取其中一个，另一个工作表里的行没有计入。请把所有行放在同一个工作表里"
        "（或删掉多余的副本），保存后重新提交。",
        "The file has two sheets holding the same table (日报 and a copy 日报 (2), or a month's "
        "rows split over two sheets): only one is read and the rows on the other are not "
        "counted. Put all the rows on one sheet (or delete the extra copy), save the file and "
        "send it again.",
        {
            "": Template(
                "工作表「{sheet}」也有一张「{table_zh}」表（第 {row} 行是列名，下面有 {rows} "
                "行），但它没有被读取：只读取了工作表「{read}」。请把所有行放在同一个工作表里"
                "（或删掉多余的副本），保存后重新提交。",
                "Sheet '{sheet}' also holds a {table_en} table (labels in row {row}, {rows} rows "
                "below them) that is not read: only sheet '{read}' is. Put all the rows on one "
                "sheet (or delete the extra copy), save it and send it again.",
            ),
        },
    ),
    Entry(
        Code.CELL_ERROR,
        Severity.ERROR,
        "单元格显示 Excel 错误",
        "Excel error in a cell",
        "单元格显示 Excel 错误（#N/A、#DIV/0!、#REF!、#VALUE! 等：公式算不出结果，或把错误值"
        "当作数值粘贴了进来）：这个值不计入（既不当作 0，也不当作空）。请改正公式或填写正确的"
        "值，保存后重新提交。",
        "The cell shows an Excel error (#N/A, #DIV/0!, #REF!, #VALUE! …: a formula that cannot "
        "be calculated, or an error pasted as a value): the value is not counted, neither as 0 "
        "nor as blank. Correct the formula or type the value, save the file and send it again.",
        {
            "": Template(
                "「{field_zh}」显示 Excel 错误 {error}（公式算不出结果，或粘贴进来的是错误值），"
                "这个值没有计入。请改正公式或填写正确的值，保存后重新提交。",
                "{field_en} shows the Excel error {error} (a formula that cannot be calculated, "
                "or an error pasted as a value), so it is not counted. Correct the formula or "
                "type the value, save it and send it again.",
            ),
        },
    ),
    Entry(
        Code.BEFORE_HIRE_DATE,
        Severity.WARNING,
        "入职前日期",
        "Dated before hire",
        "这一行的日期早于花名册上该销售员的入职日期。此行仍计入汇总（不会被丢弃）："
        "多半是日期写错了，或花名册的入职日期不对。请更正日期，或更正花名册。",
        "The row is dated before the rep's hire date in the roster. It still counts in the "
        "figures (nothing is dropped): most likely the date is wrong, or the roster's hire "
        "date is. Correct the date, or the roster.",
        {
            "": Template(
                "{rep} 于 {joined:%Y-%m-%d} 入职（花名册），但此行{field_zh}为 {value:%Y-%m-%d}。"
                "此行仍计入汇总。请更正日期，或更正花名册的入职日期。",
                "{rep} joined on {joined:%Y-%m-%d} (roster) but this row's {field_en!l} is "
                "{value:%Y-%m-%d}. The row still counts in the figures. Correct the date, or "
                "the roster's hire date.",
            ),
        },
    ),
    Entry(
        Code.AFTER_LEAVE_DATE,
        Severity.WARNING,
        "离职后日期",
        "Dated after leaving",
        "这一行的日期晚于花名册上该销售员的离职日期。此行仍计入汇总（不会被丢弃）："
        "多半是日期写错了，或花名册的离职日期不对。请更正日期，或更正花名册。",
        "The row is dated after the rep's leave date in the roster. It still counts in the "
        "figures (nothing is dropped): most likely the date is wrong, or the roster's leave "
        "date is. Correct the date, or the roster.",
        {
            "": Template(
                "{rep} 已于 {left:%Y-%m-%d} 离职（花名册），但此行{field_zh}为 {value:%Y-%m-%d}。"
                "此行仍计入汇总。请更正日期，或更正花名册的离职日期。",
                "{rep} left on {left:%Y-%m-%d} (roster) but this row's {field_en!l} is "
                "{value:%Y-%m-%d}. The row still counts in the figures. Correct the date, or "
                "the roster's leave date.",
            ),
        },
    ),
    Entry(
        Code.COMPUTED_MISMATCH,
        Severity.WARNING,
        "汇总单元格与明细不符",
        "Computed cell disagrees with the rows",
        "自动汇总的单元格（日清的今日成交）与它所汇总的行不一致：公式被改写成了别的数字，"
        "或者明细行有误。汇总表按明细行计算（日清的实际成交也按日报的成交行计算），"
        "不按这个单元格。请更正明细行，或恢复该单元格的公式；以文字填写的金额（如 1.2万）"
        "汇总会计入而表内公式不会，请改为数字。",
        "A computed cell (the Day close's 今日成交 Today's sales) is not what the rows it sums "
        "add up to: its formula was typed over with another figure, or the rows are wrong. "
        "The summary counts the rows (the Day close's actual sales too are the daily report's "
        "deals), not this cell. Correct the rows, or restore the cell's formula; an amount "
        "typed as text (1.2万) counts in the summary but not in the sheet's formula: type it "
        "as a number.",
        {
            "": Template(
                "{field_zh}为 {value:,.2f}，但按它的公式（{rule_zh}），「{table}」表的行合计 "
                "{expected:,.2f}。汇总表按「{table}」表的行计算。请更正那些行，或恢复本单元格"
                "的公式；文字金额（如 1.2万）请改为数字。",
                "{field_en} is {value:,.2f}, but by its formula ({rule_en!l}) the rows of "
                "「{table}」 come to {expected:,.2f}. The summary counts those rows. Correct "
                "them, or restore this cell's formula; type amounts written as text (1.2万) "
                "as numbers.",
            ),
        },
    ),
]


# Sales imports: a source is its headers and the `--source` name (README.md "The store").
_ENTRIES += [
    Entry(
        Code.REPLACED_OTHER_FILE,
        Severity.WARNING,
        "替换了另一个文件的销售",
        "Replaced another file's sales",
        "导入的销售导出替换了另一个文件（文件名不同）之前导入的行：同一来源（表头相同、--source "
        "名称相同或都没有）的新导出会替换旧导出中相同销售员在其首末日期之间的行。若新文件是同一系统的"
        "更新导出，这是对的；若两个文件来自表头相同的不同门店或系统，被替换的销售就丢了：请用 "
        "salesxl import sales 文件 --source 名称 为每个门店或系统分别命名导入。",
        "An imported sales export replaced rows an earlier file (another file name) brought: "
        "an export replaces the rows that earlier exports of the same source (the same "
        "headers and the same --source name, or none) gave its reps between their first and "
        "last date. Right when the new file is a newer export from the same system; when the "
        "two come from different shops or systems with the same headers, the replaced sales "
        "are lost: import each under its own name with salesxl import sales FILE --source NAME.",
        {
            "": Template(
                "本文件替换了 {earlier}（{when} 导入）的 {rows} 行：{reps_zh}。表头相同且都未用 "
                "--source 命名的导出视为同一来源，新导出替换旧导出中相同销售员在其日期范围内的行；"
                "本文件若是同一系统的更新导出，这是对的。若两个文件来自不同的门店或系统，两边的"
                "销售都应计入：请分别命名导入，例如 salesxl import sales {earlier} --source 门店A，"
                "再 salesxl import sales {file} --source 门店B（之前未命名导入的同一文件，其行会移到"
                "该名称下）。",
                "This file replaced {rows} rows of {earlier} (imported {when}): {reps_en}. "
                "Exports with the same headers and no --source name are one source: a newer "
                "export replaces the rows an earlier one gave its reps on the days it covers, "
                "which is right when this file is a newer export from the same system. If the "
                "two files come from different shops or systems, both should count: import each "
                "under its own name, e.g. salesxl import sales {earlier} --source shop-a, then "
                "salesxl import sales {file} --source shop-b (a file imported before without a "
                "name moves to the name).",
            ),
            "named": Template(
                "本文件（来源「{source}」）替换了 {earlier}（{when} 导入，同一来源）的 {rows} 行："
                "{reps_zh}。若 {earlier} 也是「{source}」的导出，这是对的；若它来自别的门店或系统，"
                "被替换的销售已不再计入：请用它自己的名称再次导入（salesxl import sales {earlier} "
                "--source 名称），它的行会移到该名称下。",
                "This file (source “{source}”) replaced {rows} rows of {earlier} (imported "
                "{when}, the same source): {reps_en}. Right when {earlier} is an export of "
                "“{source}” too; if it comes from another shop or system, the replaced sales "
                "no longer count: import it again under its own name (salesxl import sales "
                "{earlier} --source NAME) and its rows move to that name.",
            ),
        },
    ),
    Entry(
        Code.OTHER_SOURCE_KEPT,
        Severity.WARNING,
        "同表头的另一来源的销售被保留",
        "Sales of the same headers kept",
        "表头相同的两个导出，一个用 --source 命名导入、另一个未命名，覆盖了相同的销售员和日期："
        "它们是不同的来源，两边的行都保留并计入。若它们来自不同的门店或系统，这是对的；若是同一"
        "门店，这些日期的销售计入了两次：同一门店的文件请始终用同一个 --source 名称导入（之前未"
        "命名导入的文件，用该名称再次导入即移到该名称下，并按日期替换该名称的行）。",
        "Two exports with the same headers, one imported with a --source name and the other "
        "without, cover the same reps and days: they are different sources, so both files' "
        "rows are kept and count. Right when they come from different shops or systems; if "
        "they are the same shop's, those days count twice: import one shop's files under one "
        "--source name throughout (a file imported before without a name moves to the name "
        "when imported again with it, replacing that name's rows on its days).",
        {
            "": Template(
                "{earlier}（{when} 导入，未命名来源）的 {rows} 行与本文件（来源「{source}」）表头"
                "相同，覆盖相同的销售员和日期：{reps_zh}。这些行被保留，两边都计入。若 {earlier} "
                "来自别的门店或系统，这是对的；若它也是「{source}」的导出，这些日期计入了两次。",
                "{rows} rows of {earlier} (imported {when}, without a source name) have the "
                "same headers as this file (source “{source}”) and cover the same reps and "
                "days: {reps_en}. They were kept, so both count. Right when {earlier} comes "
                "from another shop or system; if it is an export of “{source}” too, those days "
                "count twice.",
            ),
            "unnamed": Template(
                "{earlier}（{when} 导入，来源「{source}」）的 {rows} 行与本文件（未命名来源）表头"
                "相同，覆盖相同的销售员和日期：{reps_zh}。这些行被保留，两边都计入。若本文件"
                "来自别的门店或系统，这是对的；若它也是「{source}」的导出，这些日期计入了两次："
                "请用 salesxl import sales {file} --source 名称 导入。",
                "{rows} rows of {earlier} (imported {when}, source “{source}”) have the same "
                "headers as this file (no source name) and cover the same reps and days: "
                "{reps_en}. They were kept, so both count. Right when this file comes from "
                "another shop or system; if it is an export of “{source}” too, those days count "
                "twice: import it with salesxl import sales {file} --source NAME.",
            ),
        },
    ),
    Entry(
        Code.ROW_NOT_IMPORTED,
        Severity.WARNING,
        "有错误的行未导入",
        "Row with an error not imported",
        "文件导入时跳过了有错误的行（只导入没有错误的行）：这一行不在数据库里，不计入任何数字。"
        "日报的这一天仍算已交（按这一行的日期）；日期本身就是出错的单元格时，不知道是哪一天，"
        "只有这一行的日子显示为缺交。按同一行的错误改正后，重新导入整个文件。直接汇总文件夹时，"
        "这样的行仍计入（只有出错的单元格不计）。",
        "The file was imported with its rows that have errors skipped (only the rows without "
        "errors went in): this row is not in the store and counts in none of the figures. A "
        "daily report's day still counts as reported, by the row's date; when the date itself "
        "is the cell in error, the day is unknown and a day with only this row shows as "
        "missing. Correct the errors on the row and import the whole file again. Consolidating "
        "the folder itself still counts such a row (all but the cell in error).",
        {
            "": Template(
                "第 {row} 行有错误，导入时被跳过：不计入汇总，但 {day} 仍算已交日报。"
                "改正后重新导入此文件。",
                "Row {row} has an error and was skipped by the import: it counts in none of the "
                "figures, but {day} still counts as a day reported. Correct it and import the "
                "file again.",
            ),
            "undated": Template(
                "第 {row} 行有错误，导入时被跳过：不计入汇总。它的日期无法识别，不知道是哪一天，"
                "只有这一行的日子显示为缺交。改正日期后重新导入此文件。",
                "Row {row} has an error and was skipped by the import: it counts in none of the "
                "figures. Its date could not be read, so the day it reports is unknown and a day "
                "with only this row shows as missing. Correct the date and import the file again.",
            ),
            "plan": Template(
                "第 {row} 行有错误，导入时被跳过：不计入汇总。改正后重新导入此文件。",
                "Row {row} has an error and was skipped by the import: it counts in none of the "
                "figures. Correct it and import the file again.",
            ),
            # imported before the store kept the days of skipped rows
            "not_counted": Template(
                "第 {row} 行有错误，导入时被跳过：不计入汇总，这一天也不算已交。改正后重新导入此文件。",
                "Row {row} has an error and was skipped by the import: it counts in none of the "
                "figures, nor as a day reported. Correct it and import the file again.",
            ),
        },
    ),
    Entry(
        Code.OLDER_THAN_STORED,
        Severity.WARNING,
        "比数据库中的版本旧",
        "Older than the stored version",
        "导入的销售员文件，按文件内记录的保存时间，比数据库中同一销售员同一期间的当前版本保存得早"
        "（多半是后来才发来或重新导入的旧副本）：它作为旧版本存入，当前版本不变，与汇总文件夹时"
        "选较新文件的做法一致。如果确实要用这个较旧的文件，用 --allow-older 重新导入它。"
        "没有内部保存时间的文件（如 CSV）按导入顺序，后导入的为当前版本。",
        "A rep file imported after the store's current version of the same rep and period, but "
        "saved before it by the save time recorded inside the file (most likely an old copy "
        "sent or imported late): it is kept as an older version and the current one stays, as "
        "consolidating a folder uses the newer file. If the older file is the right one, import "
        "it again with --allow-older. Files without a save time inside (CSV) go by the order "
        "they were imported: the later import is current.",
        {
            "": Template(
                "{rep} 的{form_zh}（{period}）：本文件保存于 {saved}，比数据库中的当前版本 "
                "{current}（保存于 {current_saved}，{imported} 导入）早。那个版本仍为当前版本，"
                "本文件存为第 {version} 版，不计入。如果确实要用本文件，请运行 salesxl import "
                "reports --allow-older {file}",
                "Rep {rep}'s {form_en!l} for {period}: this file was saved at {saved}, before "
                "the store's current version {current} (saved at {current_saved}, imported "
                "{imported}). That version stays current; this file is kept as version "
                "{version} and does not count. If this file is the right one, run: salesxl "
                "import reports --allow-older {file}",
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
