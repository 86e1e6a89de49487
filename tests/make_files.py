"""Build `tests/files/`: messy, real-looking workbooks of the kind reps really send.

Run `python tests/make_files.py [NAME ...]` to regenerate the folder (or some of its
files); the files are checked in.  Every file is listed in `SPECS` with what reading it
must give: the form, header values, records and issues.  `tests/test_read.py` reads the
checked-in files against these specs, and builds them afresh into a temporary folder to
check that this script and the specs still agree.

Two families of files live here.  Most daily reports `daily_*` hold the same four
contacts (`RECORDS`), each spelled differently (labels zh-only / en-only / bilingual,
dates as Excel dates or text, `¥3,000`, `1.2万`, `ａ`, `成交` ...), so each must read back
to the same typed records.  The hand-made files (`labels_*`, `titles_blanks_totals`,
`merged_cells`, ...) are built with openpyxl the way a person's script or a non-Excel tool
writes them, with a title row and a team in the header; their specs are `partial`: the
header values and first records given must match, and `codes` counts the issues.  The
`.xls` files are converted by LibreOffice (`soffice`), the encrypted ones by
msoffcrypto-tool.  What a reader must tolerate is listed in README.md "Forms".
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import xlsxwriter
from openpyxl.styles import Font

from salesxl.core.periods import Month, Week
from salesxl.forms import DAILY_REPORT

FILES_DIR = Path(__file__).resolve().parent / "files"
CREATED = dt.datetime(2026, 11, 1, 9, 0)
D = dt.date

HEADER: dict[str, Any] = {"rep_name": "张伟", "rep_id": "S001", "month": Month(2026, 11)}

# The four contacts, as validated records (the field keys of the daily table).
RECORDS: list[dict[str, Any]] = [
    {
        "date": D(2026, 11, 3),
        "customer": "华联超市",
        "contact": "李经理",
        "phone": "13812345678",
        "source": "phone",
        "grade": "A",
        "stage": "2",
        "product": "净水器X1",
        "qty": None,
        "price": None,
        "amount": None,
        "deposit": None,
        "objection": "need",
        "next_followup": D(2026, 11, 5),
        "notes": "初次电话，约下周拜访（周三）",
    },
    {
        "date": D(2026, 11, 3),
        "customer": "永辉超市",
        "contact": "王主任",
        "phone": "02161234567",
        "source": "visit",
        "grade": "B",
        "stage": "5",
        "product": "净水器X1",
        "qty": 2,
        "price": 1500,
        "amount": 3000,
        "deposit": 500,
        "objection": "price",
        "next_followup": D(2026, 11, 6),
        "notes": None,
    },
    {
        "date": D(2026, 11, 5),
        "customer": "大润发",
        "contact": None,
        "phone": None,
        "source": "referral",
        "grade": "C",
        "stage": "7",
        "product": "滤芯F2",
        "qty": 10,
        "price": 80,
        "amount": 800,
        "deposit": None,
        "objection": None,
        "next_followup": None,
        "notes": "老客户介绍",
    },
    {
        "date": D(2026, 11, 6),
        "customer": "沃尔玛",
        "contact": "赵总",
        "phone": "13900001111",
        "source": "walkin",
        "grade": "A",
        "stage": "7",
        "product": "净水器X1",
        "qty": 1,
        "price": 12000,
        "amount": 12000,
        "deposit": 2000,
        "objection": None,
        "next_followup": D(2026, 11, 20),
        "notes": None,
    },
]

# The same contacts as people type them: plain (Excel dates and numbers, Chinese choices) ...
PLAIN: list[dict[str, Any]] = [
    {**r, "source": s, "stage": st, "objection": o}
    for r, s, st, o in zip(
        RECORDS,
        ["电话", "拜访", "转介绍", "来访"],
        ["2", "5", "7", "7"],
        ["需求", "价格", None, None],
        strict=True,
    )
]
# ... and messy (text dates in every spelling, currency, 万, full-width, labels in any case).
MESSY: list[dict[str, Any]] = [
    {
        **RECORDS[0],
        "date": "2026/11/3",
        "phone": "138 1234 5678",
        "source": "Phone call",
        "grade": "ａ",
        "stage": "2 客户甄别",
        "objection": "需求",
        "next_followup": "11月5日",
    },
    {
        **RECORDS[1],
        "date": "2026年11月3日",
        "phone": "021-6123 4567",
        "source": "拜访",
        "grade": "温",
        "stage": "5 介绍产品",
        "qty": "２",
        "price": "¥1,500",
        "amount": "￥3,000.00",
        "deposit": "500元",
        "objection": "PRICE",
        "next_followup": "2026.11.6",
    },
    {
        **RECORDS[2],
        "date": "11-5",
        "source": "转介绍 Referral",
        "grade": "c",
        "stage": "成交",
        "price": "80元",
        "amount": "800",
    },
    {
        **RECORDS[3],
        "date": "2026-11-06",
        "phone": "+86 139 0000 1111",
        "source": "walk-in",
        "grade": "A 热",
        "stage": "Closed won",
        "price": "1.2万",
        "amount": "1.2万",
        "deposit": "2,000",
        "next_followup": "20261120",
    },
]

DAILY_FIELDS = [f.key for f in DAILY_REPORT.main_table.fields]


def labels(style: str, keys: Sequence[str] = DAILY_FIELDS) -> list[str]:
    table = DAILY_REPORT.main_table
    out = []
    for key in keys:
        f = table.field(key)
        out.append(
            {"zh": f.zh, "en": f.en, "both": f"{f.zh} {f.en}", "lines": f"{f.zh}\n{f.en}"}[style]
        )
    return out


def table_rows(
    records: Sequence[Mapping[str, Any]], keys: Sequence[str] = DAILY_FIELDS
) -> list[list[Any]]:
    return [[r.get(k) for k in keys] for r in records]


# ----------------------------------------------------------------------------
# Writers
# ----------------------------------------------------------------------------


def write_openpyxl(
    path: Path,
    sheets: Mapping[str, Sequence[Sequence[Any]]],
    *,
    merges: Mapping[str, Sequence[str]] | None = None,
    hidden: Sequence[str] = (),
) -> None:
    """openpyxl never calculates: text starting with `=` is a formula with no cached value."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None and value != "":
                    cell = ws.cell(r, c, value)
                    if isinstance(value, dt.date):
                        cell.number_format = "yyyy-mm-dd"
        for ref in (merges or {}).get(name, ()):
            ws.merge_cells(ref)
        if name in hidden:
            ws.sheet_state = "hidden"
    wb.properties.created = wb.properties.modified = CREATED
    wb.save(path)


def write_xlsxwriter(
    path: Path,
    sheets: Mapping[str, Sequence[Sequence[Any]]],
    *,
    merges: Mapping[str, Sequence[tuple[str, Any]]] | None = None,
    vba: bytes | None = None,
) -> None:
    """Like Excel writes it: real dates and numbers, formats, bold labels (deterministic)."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    wb.set_properties({"author": "张伟", "created": CREATED})
    if vba is not None:
        wb.add_vba_project(io.BytesIO(vba), is_stream=True)
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    bold = wb.add_format({"bold": True, "text_wrap": True})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, dt.date):
                    ws.write_datetime(
                        r, c, dt.datetime(value.year, value.month, value.day), date_fmt
                    )
                elif isinstance(value, str) and value.startswith("="):
                    ws.write_formula(r, c, value)
                elif isinstance(value, str):
                    ws.write_string(r, c, value, bold if r < 6 else None)
                else:
                    ws.write(r, c, value)
        for ref, value in (merges or {}).get(name, ()):
            ws.merge_range(ref, value)
        ws.set_column(0, 20, 14)
    wb.close()


CoreTime = dt.datetime | str | None


def _w3c(value: dt.datetime | str) -> str:
    """A local time as Excel records it inside the file (UTC); text is taken as written."""
    return (
        value if isinstance(value, str) else value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    )


def set_core_times(
    path: Path,
    modified: CoreTime,
    created: CoreTime = "2026-11-01T01:00:00Z",
    *,
    keep_part: bool = True,
) -> None:
    """Rewrite docProps/core.xml as a program saving at `modified` would: a local datetime, or
    W3CDTF text such as 2026-11-05T01:30:00Z; None leaves the element out.  `keep_part=False`
    removes the part."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    elements = "".join(
        f'<dcterms:{name} xsi:type="dcterms:W3CDTF">{_w3c(value)}</dcterms:{name}>'
        for name, value in (("created", created), ("modified", modified))
        if value is not None
    )
    parts["docProps/core.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties '
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:creator>张伟</dc:creator>{elements}</cp:coreProperties>"
    ).encode()
    if not keep_part:
        del parts["docProps/core.xml"]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def write_csv(path: Path, rows: Sequence[Sequence[Any]], encoding: str) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(
        [["" if v is None else v for v in row] for row in rows]
    )
    path.write_bytes(buffer.getvalue().encode(encoding))


def vba_project() -> bytes:
    """A real VBA project part (from the xlwings package): the macro never runs here."""
    import xlwings

    with zipfile.ZipFile(Path(xlwings.__file__).parent / "quickstart.xlsm") as archive:
        return archive.read("xl/vbaProject.bin")


def soffice_convert(source: Path, target: Path, fmt: str) -> None:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise RuntimeError("LibreOffice (soffice) is needed to build the .xls file")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [
                exe,
                f"-env:UserInstallation=file://{tmp}/profile",
                "--headless",
                "--convert-to",
                fmt,
                "--outdir",
                tmp,
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        shutil.move(Path(tmp) / f"{source.stem}.{fmt}", target)


# ----------------------------------------------------------------------------
# The files
# ----------------------------------------------------------------------------

ZH_BLOCK = [
    ["销售日报 2026年11月"],
    ["销售员", "张伟", "工号", "S001"],
    ["月份", "2026-11", "区域", "华东"],
    [],
]


def daily_zh_only(path: Path) -> None:
    """Chinese labels only, a merged title row, values right of their labels, Excel dates."""
    rows = [*ZH_BLOCK, labels("zh"), *table_rows(PLAIN)]
    write_xlsxwriter(path, {"日报": rows}, merges={"日报": [("A1:O1", "销售日报 2026年11月")]})


def daily_en_only(path: Path) -> None:
    """English labels only, header values below their labels, every value typed as text."""
    rows = [
        ["Daily report — November"],
        ["Rep", "Rep ID", "Month", "Region"],
        ["张伟", "S001", "2026-11", "East"],
        [],
        [],
        labels("en"),
        *table_rows(MESSY),
    ]
    write_openpyxl(path, {"Daily": rows})


SHUFFLED = [
    "customer",
    "date",
    "stage",
    "grade",
    "source",
    "contact",
    "phone",
    "product",
    "qty",
    "price",
    "amount",
    "deposit",
    "next_followup",
    "objection",
    "notes",
]


def daily_bilingual_one_cell(path: Path) -> None:
    """`客户名称 Customer` labels in any order, `销售员：张伟` in one cell, extra columns
    (序号 in front, 微信 WeChat in the middle), blank rows, a 合计 row at the bottom."""
    head = ["序号", *labels("both", SHUFFLED[:6]), "微信 WeChat", *labels("both", SHUFFLED[6:])]
    body = []
    for i, row in enumerate(table_rows(MESSY, SHUFFLED), start=1):
        body.append([i, *row[:6], f"wx{i:03d}" if i % 2 else None, *row[6:]])
        if i == 2:
            body += [[], []]
    total = ["合计", None, None, None, None, None, None, None, None, None, None, None, 15800, 2500]
    rows = [
        ["2026年11月 销售日报"],
        ["销售员：张伟", None, "工号：S001", None, "月份：2026年11月"],
        [],
        head,
        *body,
        total,
    ]
    write_openpyxl(path, {"销售日报": rows})


def daily_two_line_labels(path: Path) -> None:
    """`客户名称\\nCustomer` labels over two header rows with merged group cells, merged data
    cells (one date for two rows), title rows above, a Total row below."""
    top = [
        "日期\nDate",
        "客户名称\nCustomer",
        "客户信息 Contact info",
        None,
        "来源\nSource",
        "客户等级\nGrade",
        "销售阶段\nStage",
        "产品\nProduct",
        "成交信息 Deal",
        None,
        None,
        None,
        "异议类型\nObjection",
        "下次跟进\nNext follow-up",
        "备注\nNotes",
    ]
    sub = [
        None,
        None,
        "联系人\nContact",
        "电话\nPhone",
        None,
        None,
        None,
        None,
        "数量\nQty",
        "单价\nUnit price",
        "金额\nAmount",
        "定金\nDeposit",
        None,
        None,
        None,
    ]
    body = table_rows(PLAIN)
    body[1][0] = None  # merged with the date above
    rows = [
        ["华东区 销售一组"],
        ["2026年11月 销售日报 Daily report"],
        ["销售员 Rep", "张伟", "工号 Rep ID", "S001", "月份 Month", "2026-11"],
        [],
        top,
        sub,
        *body,
        ["Total", None, None, None, None, None, None, None, None, None, 15800, 2500],
    ]
    merges = [
        "A1:O1",
        "A2:O2",
        "A5:A6",
        "B5:B6",
        "C5:D5",
        "E5:E6",
        "F5:F6",
        "G5:G6",
        "H5:H6",
        "I5:L5",
        "M5:M6",
        "N5:N6",
        "O5:O6",
        "A7:A8",
    ]
    write_openpyxl(path, {"日报 Daily": rows}, merges={"日报 Daily": merges})


def daily_macro(path: Path) -> None:
    """An .xlsm with a real VBA project: read for its values, the macro never runs."""
    rows = [*ZH_BLOCK, labels("lines"), *table_rows(PLAIN)]
    write_xlsxwriter(path, {"日报 Daily": rows}, vba=vba_project())


def daily_legacy(path: Path) -> None:
    """A legacy .xls (BIFF8), converted from an xlsx by LibreOffice."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / f"{path.stem}.xlsx"
        daily_zh_only(source)
        soffice_convert(source, path, "xls")


def _csv_rows() -> list[list[Any]]:
    return [
        ["销售员", "张伟"],
        ["工号", "S001"],
        ["月份", "2026年11月"],
        [],
        labels("zh"),
        *table_rows(MESSY),
    ]


def daily_csv(encoding: str) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        rows = _csv_rows()
        if encoding == "gbk":  # GBK has the full-width ￥ only
            rows = [
                [v.replace("¥", "￥") if isinstance(v, str) else v for v in row] for row in rows
            ]
        write_csv(path, rows, encoding)

    build.__doc__ = f"A CSV export in {encoding}."
    return build


def daily_uncalculated(path: Path) -> None:
    """Written by a script (openpyxl) with formulas that were never calculated: each is a
    `formula_without_value` at its cell, never a zero (an error in the 金额 of the 成交
    rows 8 and 9, where the form requires it; a warning elsewhere)."""
    body = table_rows(PLAIN)
    amount = DAILY_FIELDS.index("amount")
    for i in (1, 2, 3):
        body[i][amount] = f"=I{6 + i}*J{6 + i}"
    rows = [
        ["日报"],
        ["销售员", "张伟", "工号", "S001"],
        ["月份", "2026-11", "月度目标", "=5*10000"],
        [],
        labels("zh"),
        *body,
    ]
    write_openpyxl(path, {"日报": rows})


def lock_file(path: Path) -> None:
    """What Excel leaves beside an open workbook: the owner's name, 165 bytes."""
    user = b"zhangwei"
    data = bytes([len(user)]) + user.ljust(53, b" ") + "zhangwei".encode("utf-16-le")
    path.write_bytes(data.ljust(165, b"\x00"))


def hidden_copy(path: Path) -> None:
    """A hidden file (macOS `._` and dot files) holding a real form: skipped all the same."""
    daily_zh_only(path)


def weekly_plan(path: Path) -> None:
    """A weekly plan whose week is written as its Monday's date, with a last-week sheet."""
    rows = [
        ["周计划"],
        ["销售员", "张伟"],
        ["工号", "S001"],
        ["周", D(2026, 11, 23)],
        ["本周目标", "3万"],
        [],
        ["计划日期", "客户名称", "客户等级", "拜访目的", "预期结果", "预计金额"],
        [D(2026, 11, 24), "永辉超市", "B", "6 处理异议", "解决价格异议", 3000],
        ["11月26日", "沃尔玛", "A", "7", "签约", "1.2万"],
    ]
    last = [
        ["工作情况 Work summary", "客户分析 Customer analysis"],
        ["拜访 6 家，成交 2 单", "华联超市需求明确，预计下周成交"],
    ]
    write_openpyxl(path, {"计划 Plan": rows, "上周总结 Last week": last})


def monthly_plan(path: Path) -> None:
    """A monthly plan with an English sheet name and a hidden scratch sheet."""
    rows = [
        ["Monthly plan 月计划"],
        ["销售员 Rep", "张伟"],
        ["工号 Rep ID", "S001"],
        ["月份 Month", D(2026, 12, 1)],
        ["月度目标 Month target", 150000],
        [],
        ["客户名称", "客户等级", "预计金额", "行动", "原因", "步骤", "负责人", "开始", "结束"],
        [
            "永辉超市",
            "B",
            "5万",
            "上门演示",
            "价格异议",
            "演示→报价→签约",
            "张伟",
            D(2026, 12, 1),
            D(2026, 12, 15),
        ],
    ]
    scratch = [["草稿"], ["客户名称", "客户等级", "预计金额"], ["不要读我", "A", 1]]
    write_openpyxl(path, {"Key accounts": rows, "草稿": scratch}, hidden=["草稿"])


def roster(path: Path) -> None:
    rows = [
        ["工号", "姓名", "区域", "团队", "主管", "级别", "入职日期", "离职日期", "状态", "邮箱"],
        [
            "S001",
            "张伟",
            "华东",
            "一组",
            "王经理",
            "中级",
            D(2024, 3, 1),
            None,
            "在职",
            "zhangwei@example.com",
        ],
        ["S002", "李娜", "华东", "一组", "王经理", "初级", D(2026, 9, 1), None, "在职", None],
        [
            "S003",
            "刘洋",
            "华南",
            "二组",
            "陈经理",
            "高级",
            D(2021, 5, 10),
            D(2026, 10, 31),
            "离职",
            None,
        ],
    ]
    write_xlsxwriter(path, {"花名册 Roster": rows})


def sales_records_gbk(path: Path) -> None:
    """An ERP export: GBK CSV, ERP column names (单据日期, 购货单位, 价税合计), a return."""
    rows = [
        [
            "单据日期",
            "业务员编号",
            "购货单位",
            "商品名称",
            "规格型号",
            "批号",
            "数量",
            "单价",
            "价税合计",
        ],
        ["2026-11-05", "S001", "大润发", "滤芯F2", "10支/箱", "B2611", "10", "80.00", "800.00"],
        ["2026-11-06", "S001", "沃尔玛", "净水器X1", "X1-标准", "", "1", "12,000.00", "12,000.00"],
        ["2026-11-09", "S002", "大润发", "滤芯F2", "10支/箱", "B2611", "-2", "80.00", "-160.00"],
    ]
    write_csv(path, rows, "gbk")


def truncated(path: Path) -> None:
    """Half a workbook: what an interrupted download leaves."""
    with tempfile.TemporaryDirectory() as tmp:
        whole = Path(tmp) / "whole.xlsx"
        daily_zh_only(whole)
        data = whole.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def pdf_renamed(path: Path) -> None:
    path.write_bytes(
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


def empty(path: Path) -> None:
    path.write_bytes(b"")


def libreoffice_ods(path: Path) -> None:
    """A daily report saved by LibreOffice in its own format (.ods), as WPS can too."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / f"{path.stem}.xlsx"
        daily_zh_only(source)
        soffice_convert(source, path, "ods")


def web_page_xls(path: Path) -> None:
    """An "Excel export" of a web system: an HTML table in a file named .xls (Excel opens
    it, with a warning)."""
    cells = [["销售员", "张伟", "工号", "S001"], ["月份", "2026-11"], list(DAILY_ZH)]
    rows = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>\n" for row in cells)
    path.write_text(
        '<html xmlns:x="urn:schemas-microsoft-com:office:excel">\n<head><meta charset="utf-8">'
        f"</head>\n<body><table>\n{rows}</table></body></html>\n",
        encoding="utf-8",
    )


def encrypted(path: Path) -> None:
    """Password `1234` (Excel's File > Info > Protect Workbook > Encrypt with Password)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "plain.xlsx"
        daily_zh_only(plain)
        with plain.open("rb") as source, path.open("wb") as out:
            OOXMLFile(source).encrypt("1234", out)


def text_note(path: Path) -> None:
    path.write_text("张伟 11月日报已发，请查收。\n", encoding="utf-8")


# ----------------------------------------------------------------------------
# Hand-made files: openpyxl, a title row, a team in the header, labels as people type them
# ----------------------------------------------------------------------------

DAILY_ZH = [
    "日期",
    "客户名称",
    "联系人",
    "电话",
    "来源",
    "客户等级",
    "销售阶段",
    "产品",
    "数量",
    "单价",
    "金额",
    "定金",
    "异议类型",
    "下次跟进",
    "备注",
]
DAILY_EN = [
    "Date",
    "Customer",
    "Contact",
    "Phone",
    "Source",
    "Grade",
    "Stage",
    "Product",
    "Qty",
    "Unit price",
    "Amount",
    "Deposit",
    "Objection",
    "Next follow-up",
    "Notes",
]
HAND_ROWS = [
    [
        dt.datetime(2026, 11, 3),
        "上海恒瑞贸易有限公司",
        "王经理",
        "13812345678",
        "来访",
        "A",
        "7 成交",
        "阿莫西林胶囊",
        10,
        18.5,
        185,
        50,
        None,
        None,
        "首单",
    ],
    [
        dt.datetime(2026, 11, 4),
        "广州天河科技",
        "李主任",
        "020-87654321",
        "电话",
        "B",
        "3 制定计划",
        None,
        None,
        None,
        None,
        None,
        "价格",
        dt.datetime(2026, 11, 9),
        None,
    ],
]


def _daily_book(
    labels: list[str],
    *,
    sheet: str = "日报",
    header: list[tuple[str, Any]] | None = None,
    rows: list[list[Any]] | None = None,
    title: str | None = "2026年11月 销售日报",
) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    if title:
        ws.append([title])
    for label, value in (
        header
        if header is not None
        else [("销售员", "张伟"), ("工号", "S001"), ("团队", "上海一组"), ("月份", "2026-11")]
    ):
        ws.append([label, value])
    ws.append([])
    ws.append(labels)
    for row in rows if rows is not None else HAND_ROWS:
        ws.append(row)
    return wb


_FIRST = {
    "date": dt.date(2026, 11, 3),
    "customer": "上海恒瑞贸易有限公司",
    "phone": "13812345678",
    "source": "walkin",
    "grade": "A",
    "stage": "7",
    "qty": 10,
    "price": 18.5,
    "amount": 185,
    "deposit": 50,
}
_SECOND = {
    "date": dt.date(2026, 11, 4),
    "phone": "02087654321",
    "source": "phone",
    "grade": "B",
    "stage": "3",
    "objection": "price",
    "next_followup": dt.date(2026, 11, 9),
}
HAND_HEADER = {"rep_name": "张伟", "rep_id": "S001", "month": "2026-11"}


def labels_zh_only(path: Path) -> None:
    _daily_book(DAILY_ZH).save(path)


def labels_en_only(path: Path) -> None:
    _daily_book(
        DAILY_EN, sheet="Daily", header=[("Rep", "张伟"), ("Rep ID", "S001"), ("Month", "2026/11")]
    ).save(path)


def labels_both_one_cell(path: Path) -> None:
    both = [f"{zh} {en}" for zh, en in zip(DAILY_ZH, DAILY_EN, strict=True)]
    _daily_book(both, sheet="日报 Daily").save(path)


def labels_two_lines(path: Path) -> None:
    stacked = [
        f"{zh}*：\n{en.upper()}" if i < 2 else f"  {zh}\n{en}"
        for i, (zh, en) in enumerate(zip(DAILY_ZH, DAILY_EN, strict=True))
    ]
    wb = _daily_book(stacked, sheet="日报 Daily")
    for cell in wb.active[6]:
        cell.font = Font(bold=True)
    wb.save(path)


def columns_shuffled_extra(path: Path) -> None:
    order = [6, 0, 1, 14, 3, 2, 4, 5, 7, 8, 9, 10, 11, 12, 13]
    labels = [DAILY_ZH[i] for i in order] + ["微信", "区域经理"]
    rows = [[row[i] for i in order] + ["wx_zhang", "赵总"] for row in HAND_ROWS]
    _daily_book(labels, rows=rows).save(path)


def titles_blanks_totals(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "日报"
    ws.append(["上海恒瑞医药销售有限公司"])
    ws.append(["销售日报表"])
    ws.append([])
    ws.append(["销售员", "张伟", None, "工号", "S001"])
    ws.append(["月份", "2026年11月"])
    ws.append([])
    ws.append([])
    ws.append(DAILY_ZH)
    ws.append(HAND_ROWS[0])
    ws.append([])
    ws.append([None] * 5)
    ws.append(HAND_ROWS[1])
    ws.append(["小计", None, None, None, None, None, None, None, None, None, 185])
    ws.append([dt.datetime(2026, 11, 5), "北京同仁药店", None, None, "拜访", "C", "1"])
    ws.append(["合计 Total", None, None, None, None, None, None, None, None, None, 185])
    wb.save(path)


def merged_cells(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "日报"
    ws["A1"] = "销售日报 2026-11"
    ws.merge_cells("A1:O1")
    ws["A2"] = "销售员"
    ws.merge_cells("A2:B2")
    ws["C2"] = "张伟"
    ws["A3"] = "工号"
    ws.merge_cells("A3:B3")
    ws["C3"] = "S001"
    ws["A4"] = "月份"
    ws.merge_cells("A4:B4")
    ws["C4"] = "2026-11"
    for c, label in enumerate(DAILY_ZH, start=1):
        ws.cell(6, c, label)
    ws.merge_cells("O6:P6")  # the notes label spread over two columns
    day = dt.datetime(2026, 11, 6)
    for r, customer in enumerate(["甲药房", "乙诊所", "丙医院"], start=7):
        ws.cell(r, 2, customer)
        ws.cell(r, 5, "拜访")
        ws.cell(r, 7, "2")
    ws.cell(7, 1, day)
    ws.merge_cells("A7:A9")  # one date for three rows
    wb.save(path)


def header_below_and_colon(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["销售员：张伟", None, "区域: 华东"])
    ws.append(["工号", "团队", "月份"])
    ws.append(["S001", "上海一组", dt.datetime(2026, 11, 1)])
    ws.append([])
    ws.append(DAILY_ZH)
    ws.append(HAND_ROWS[0])
    wb.save(path)


def value_spellings(path: Path) -> None:
    rows = [
        [
            "2026/11/3",
            "甲",
            None,
            "+86 138 1234 5678",
            "walk-in",
            "a 热",
            "7",
            None,
            "１０",
            "¥18.50",
            "185元",
            "50元",  # a deposit; '5%' would be an error (a percentage is no amount)
            None,
            None,
            None,
        ],
        [
            "11月4日",
            "乙",
            None,
            "138-1234-5678",
            "PHONE CALL",
            "Ｂ",
            "制定计划",
            None,
            None,
            None,
            "1.2万",
            None,
            "price",
            "2026.11.9",
            None,
        ],
        [
            "2026年11月5日",
            "丙",
            None,
            None,
            "转介绍",
            "cold",
            "Closed Won",
            None,
            "2",
            "6,000",
            "￥12,000.00",
            "1,000",
            None,
            None,
            None,
        ],
        [
            46331,
            "丁",
            None,
            "010 8765 4321",
            "拜访",
            "C",
            "0 流失",
            None,
            None,
            None,
            None,
            None,
            "时机",
            None,
            None,
        ],
    ]
    _daily_book(DAILY_ZH, rows=rows).save(path)


def macro_enabled(path: Path) -> None:
    import xlwings  # its quickstart workbook carries a real VBA project

    vba = Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"
    with zipfile.ZipFile(vba) as z, tempfile.TemporaryDirectory() as tmp:
        bin_path = Path(tmp) / "vbaProject.bin"
        bin_path.write_bytes(z.read("xl/vbaProject.bin"))
        wb = xlsxwriter.Workbook(str(path))
        wb.set_properties({"created": dt.datetime(2026, 1, 1)})
        wb.add_vba_project(str(bin_path))
        ws = wb.add_worksheet("日报")
        for r, (label, value) in enumerate(
            [("销售员", "张伟"), ("工号", "S001"), ("月份", "2026-11")]
        ):
            ws.write_string(r, 0, label)
            ws.write_string(r, 1, value)
        for c, label in enumerate(DAILY_ZH):
            ws.write_string(4, c, label)
        ws.write_datetime(
            5, 0, dt.datetime(2026, 11, 3), wb.add_format({"num_format": "yyyy-mm-dd"})
        )
        ws.write_string(5, 1, "上海恒瑞贸易有限公司")
        ws.write_string(5, 6, "2 客户甄别")
        wb.close()


def legacy_xls(path: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / f"{path.stem}.xlsx"
        _daily_book(DAILY_ZH).save(source)
        soffice_convert(source, path, "xls")


SALES_CSV = (
    "日期,工号,客户名称,产品,规格,批号,有效期,生产厂家,数量,单价,金额\n"
    "2026-10-08,S001,上海恒瑞贸易有限公司,阿莫西林胶囊,0.25g×24粒,B2610,2028-10-01,华北制药,"
    '100,18.5,"1,850.00"\n'
    "2026/10/9,S002,广州天河科技,头孢克肟片,0.1g×6片,B2611,2028-09-30,石药集团,-10,32,-320\n"
)


def sales_csv(encoding: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        text = SALES_CSV if encoding != "gbk" else SALES_CSV.replace("×", "x")
        path.write_bytes(text.encode(encoding))

    return make


def uncalculated(path: Path) -> None:
    rows = [
        [dt.datetime(2026, 11, 3), "甲", None, None, "来访", "A", "7", None, 2, 100, "=I8*J8"],
        [dt.datetime(2026, 11, 4), "乙", None, None, "来访", "B", "7", None, 3, 50, 150],
    ]
    wb = _daily_book(DAILY_ZH, rows=rows)
    wb.active["Q1"] = "=SUM(K8:K9)"
    wb.save(path)


def half_a_workbook(path: Path) -> None:
    whole = io.BytesIO()
    _daily_book(DAILY_ZH).save(whole)
    path.write_bytes(whole.getvalue()[: len(whole.getvalue()) // 2])


def an_email(path: Path) -> None:
    path.write_text("这是一封邮件，不是表格。\n", encoding="utf-8")


def zip_bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\x00" * (210 * 1024 * 1024))


def another_table(path: Path) -> None:
    other = openpyxl.Workbook()
    other.active.append(["姓名", "年龄", "爱好"])
    other.active.append(["小明", 12, "足球"])
    other.save(path)


def encrypted_by_a_script(path: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile  # a test dependency, only to build this file

    plain = io.BytesIO()
    _daily_book(DAILY_ZH).save(plain)
    plain.seek(0)
    with path.open("wb") as out:
        OOXMLFile(plain).encrypt("secret", out)


def roster_messy(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "人员名单"
    ws.append(["工号 Rep ID", "姓名 Name", "区域", "团队", "级别", "入职日期", "状态"])
    ws.append(["Ｓ００１", "张伟", "华东", "上海一组", "高级", "2019-03-01", "在职"])
    ws.append(["S002", "李娜", "华东", "上海一组", "junior", dt.datetime(2024, 7, 1), "Active"])
    ws.append(["S001", "王强", "华南", "广州组", "中级", "2020/1/6", "离职"])
    wb.save(path)


# ----------------------------------------------------------------------------
# What each file must read as
# ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    name: str  # path inside tests/files
    build: Callable[[Path], None]
    form: str | None = "daily_report"
    header: Mapping[str, Any] = field(default_factory=lambda: HEADER)
    records: Mapping[str, Sequence[Mapping[str, Any]]] = field(default_factory=dict)
    rows: Sequence[int] = ()  # Excel rows of the main table's records
    issues: Sequence[tuple[str, str | None]] = ()  # (code, cell)
    skipped: bool = False  # never collected (lock and hidden files)
    needs_soffice: bool = False
    note: bool = False  # not a spreadsheet: collected as an info note only
    # partial: the header values given match (as text), the records given are the first
    # ones, `count` is how many there are, and `codes` counts the issues (no other errors)
    partial: bool = False
    count: int | None = None
    codes: Mapping[str, int] = field(default_factory=dict)


def _daily(**changes: Any) -> dict[str, list[dict[str, Any]]]:
    return {"daily": [{**r, **changes.get(str(i), {})} for i, r in enumerate(RECORDS)]}


UNCALCULATED = {"1": {"amount": None}, "2": {"amount": None}, "3": {"amount": None}}


def quote(cell: str) -> tuple[str, str]:
    """永辉's 3,000 is a quote on a stage-5 row, not a sale: a warning at its amount cell."""
    return ("amount_not_closed", cell)


SPECS: list[Spec] = [
    Spec(
        "daily_zh_only.xlsx",
        daily_zh_only,
        header={**HEADER, "region": "华东"},
        records=_daily(),
        rows=(6, 7, 8, 9),
        issues=(quote("K7"),),
    ),
    Spec(
        "daily_en_only.xlsx",
        daily_en_only,
        header={**HEADER, "rep_name": "张伟", "region": "East"},
        records=_daily(),
        rows=(7, 8, 9, 10),
        issues=(quote("K8"),),
    ),
    Spec(
        "daily_bilingual_one_cell.xlsx",
        daily_bilingual_one_cell,
        records=_daily(),
        rows=(5, 6, 9, 10),
        # the 合计 row (11) is left out and said so, at its label
        issues=(("extra_column", "A4"), ("extra_column", "H4"), quote("M6"), ("total_row", "A11")),
    ),
    Spec(
        "daily_two_line_labels.xlsx",
        daily_two_line_labels,
        records=_daily(),
        rows=(7, 8, 9, 10),
        issues=(quote("K8"), ("total_row", "A11")),
    ),
    Spec(
        "daily_macro.xlsm",
        daily_macro,
        header={**HEADER, "region": "华东"},
        records=_daily(),
        rows=(6, 7, 8, 9),
        issues=(quote("K7"),),
    ),
    Spec(
        "daily_legacy.xls",
        daily_legacy,
        header={**HEADER, "region": "华东"},
        records=_daily(),
        rows=(6, 7, 8, 9),
        issues=(quote("K7"),),
        needs_soffice=True,
    ),
    *(
        Spec(name, daily_csv(encoding), records=_daily(), rows=(6, 7, 8, 9), issues=(quote("K7"),))
        for name, encoding in (
            ("csv/daily_utf8.csv", "utf-8"),
            ("csv/daily_utf8_bom.csv", "utf-8-sig"),
            ("csv/daily_gbk.csv", "gbk"),
        )
    ),
    Spec(
        "daily_uncalculated.xlsx",
        daily_uncalculated,
        records=_daily(**UNCALCULATED),
        rows=(6, 7, 8, 9),
        issues=(
            ("formula_without_value", "D3"),
            ("formula_without_value", "K7"),  # a quote's amount (stage 5): a warning
            # one issue for the run of cells: 成交 rows, whose 金额 is required (an error)
            ("formula_without_value", "K8:K9"),
        ),
    ),
    Spec("~$daily_zh_only.xlsx", lock_file, form=None, skipped=True),
    Spec(".daily_hidden.xlsx", hidden_copy, skipped=True),
    Spec(
        "team/weekly_plan.xlsx",
        weekly_plan,
        form="weekly_plan",
        header={"rep_name": "张伟", "rep_id": "S001", "week": Week(2026, 48), "week_target": 30000},
        records={
            "plan": [
                {
                    "date": D(2026, 11, 24),
                    "customer": "永辉超市",
                    "grade": "B",
                    "purpose": "6",
                    "outcome": "解决价格异议",
                    "expected_amount": 3000,
                },
                {
                    "date": D(2026, 11, 26),
                    "customer": "沃尔玛",
                    "grade": "A",
                    "purpose": "7",
                    "outcome": "签约",
                    "expected_amount": 12000,
                },
            ],
            "last_week": [
                {"summary": "拜访 6 家，成交 2 单", "analysis": "华联超市需求明确，预计下周成交"}
            ],
        },
        rows=(8, 9),
    ),
    Spec(
        "team/monthly_plan.xlsx",
        monthly_plan,
        form="monthly_plan",
        header={
            "rep_name": "张伟",
            "rep_id": "S001",
            "month": Month(2026, 12),
            "month_target": 150000,
        },
        records={
            "accounts": [
                {
                    "customer": "永辉超市",
                    "grade": "B",
                    "expected_amount": 50000,
                    "action": "上门演示",
                    "reason": "价格异议",
                    "steps": "演示→报价→签约",
                    "owner": "张伟",
                    "start": D(2026, 12, 1),
                    "end": D(2026, 12, 15),
                }
            ]
        },
        rows=(8,),
    ),
    Spec(
        "admin/roster.xlsx",
        roster,
        form="roster",
        header={},
        records={
            "reps": [
                {
                    "rep_id": "S001",
                    "name": "张伟",
                    "level": "mid",
                    "status": "active",
                    "hire_date": D(2024, 3, 1),
                    "leave_date": None,
                    "email": "zhangwei@example.com",
                },
                {"rep_id": "S002", "name": "李娜", "level": "junior", "status": "active"},
                {
                    "rep_id": "S003",
                    "name": "刘洋",
                    "level": "senior",
                    "status": "left",
                    "leave_date": D(2026, 10, 31),
                },
            ]
        },
        rows=(2, 3, 4),
    ),
    Spec(
        "admin/sales_records_gbk.csv",
        sales_records_gbk,
        form="sales_records",
        header={},
        records={
            "sales": [
                {
                    "date": D(2026, 11, 5),
                    "rep_id": "S001",
                    "customer": "大润发",
                    "product": "滤芯F2",
                    "spec": "10支/箱",
                    "batch": "B2611",
                    "qty": 10,
                    "price": 80,
                    "amount": 800,
                },
                {
                    "date": D(2026, 11, 6),
                    "rep_id": "S001",
                    "customer": "沃尔玛",
                    "batch": None,
                    "qty": 1,
                    "price": 12000,
                    "amount": 12000,
                },
                {"date": D(2026, 11, 9), "rep_id": "S002", "qty": -2, "amount": -160},
            ]
        },
        rows=(2, 3, 4),
    ),
    Spec("bad/truncated.xlsx", truncated, form=None, header={}, issues=(("unreadable", None),)),
    Spec("bad/scan.xlsx", pdf_renamed, form=None, header={}, issues=(("unreadable", None),)),
    Spec("bad/empty.xlsx", empty, form=None, header={}, issues=(("unreadable", None),)),
    Spec("bad/encrypted.xlsx", encrypted, form=None, header={}, issues=(("encrypted", None),)),
    Spec(
        "bad/libreoffice.ods",
        libreoffice_ods,
        form=None,
        header={},
        issues=(("unreadable", None),),
        needs_soffice=True,
    ),
    Spec("bad/web_page.xls", web_page_xls, form=None, header={}, issues=(("unreadable", None),)),
    Spec("bad/note.txt", text_note, form=None, header={}, note=True),
]


def _hand(
    name: str,
    build: Callable[[Path], None],
    *,
    form: str | None = "daily_report",
    header: Mapping[str, Any] | None = None,
    records: Sequence[Mapping[str, Any]] = (),
    codes: Mapping[str, int] | None = None,
    count: int | None = None,
    needs_soffice: bool = False,
) -> Spec:
    """A hand-made file's spec: partial, on the main table of its form."""
    main = {"daily_report": "daily", "sales_records": "sales", "roster": "reps"}.get(form or "")
    return Spec(
        name,
        build,
        form=form,
        header=header or {},
        records={main: list(records)} if main else {},
        codes=codes or {},
        count=count,
        partial=True,
        needs_soffice=needs_soffice,
    )


# The two rows of SALES_CSV, as read (the same in every encoding).
SALES_READ = [
    {
        "date": dt.date(2026, 10, 8),
        "rep_id": "S001",
        "customer": "上海恒瑞贸易有限公司",
        "amount": 1850.0,
        "maker": "华北制药",
    },
    {"rep_id": "S002", "qty": -10, "amount": -320},
]

HAND_SPECS: list[Spec] = [
    _hand(
        "labels_zh_only.xlsx",
        labels_zh_only,
        header=HAND_HEADER,
        records=[_FIRST, _SECOND],
        count=2,
    ),
    _hand(
        "labels_en_only.xlsx",
        labels_en_only,
        header=HAND_HEADER,
        records=[_FIRST, _SECOND],
        count=2,
    ),
    _hand(
        "labels_both_one_cell.xlsx",
        labels_both_one_cell,
        header=HAND_HEADER,
        records=[_FIRST],
        count=2,
    ),
    _hand("labels_two_lines.xlsx", labels_two_lines, header=HAND_HEADER, records=[_FIRST], count=2),
    _hand(
        "columns_shuffled_extra.xlsx",
        columns_shuffled_extra,
        header=HAND_HEADER,
        records=[{**_FIRST, "_extra": {"微信": "wx_zhang", "区域经理": "赵总"}}],
        codes={"extra_column": 2},
        count=2,
    ),
    _hand(
        "titles_blanks_totals.xlsx",
        titles_blanks_totals,
        header=HAND_HEADER,
        records=[_FIRST, _SECOND, {"customer": "北京同仁药店", "stage": "1", "_row": 14}],
        count=3,
    ),
    _hand(
        "merged_cells.xlsx",
        merged_cells,
        header=HAND_HEADER,
        records=[
            {"date": dt.date(2026, 11, 6), "customer": "甲药房"},
            {"date": dt.date(2026, 11, 6), "customer": "乙诊所"},
            {"date": dt.date(2026, 11, 6), "customer": "丙医院"},
        ],
        count=3,
    ),
    _hand(
        "header_below_and_colon.xlsx",
        header_below_and_colon,
        header={**HAND_HEADER, "team": "上海一组", "region": "华东"},
        records=[_FIRST],
        count=1,
    ),
    _hand(
        "value_spellings.xlsx",
        value_spellings,
        header=HAND_HEADER,
        records=[
            {
                "date": dt.date(2026, 11, 3),
                "phone": "13812345678",
                "source": "walkin",
                "grade": "A",
                "stage": "7",
                "qty": 10,
                "price": 18.5,
                "amount": 185,
                "deposit": 50,
            },
            {
                "date": dt.date(2026, 11, 4),
                "phone": "13812345678",
                "source": "phone",
                "grade": "B",
                "stage": "3",
                "amount": 12000,
                "objection": "price",
                "next_followup": dt.date(2026, 11, 9),
            },
            {
                "date": dt.date(2026, 11, 5),
                "source": "referral",
                "grade": "C",
                "stage": "7",
                "qty": 2,
                "price": 6000,
                "amount": 12000,
                "deposit": 1000,
            },
            {
                "date": dt.date(2026, 11, 5),
                "phone": "01087654321",
                "source": "visit",
                "stage": "0",
                "objection": "timing",
            },
        ],
        count=4,
    ),
    _hand(
        "macro_enabled.xlsm",
        macro_enabled,
        header=HAND_HEADER,
        records=[{"date": dt.date(2026, 11, 3), "stage": "2"}],
        count=1,
    ),
    _hand(
        "legacy.xls",
        legacy_xls,
        header=HAND_HEADER,
        records=[_FIRST, _SECOND],
        count=2,
        needs_soffice=True,
    ),
    _hand(
        "sales_utf8.csv",
        sales_csv("utf-8"),
        form="sales_records",
        count=2,
        records=SALES_READ,
    ),
    _hand(
        "sales_utf8_bom.csv",
        sales_csv("utf-8-sig"),
        form="sales_records",
        count=2,
        records=SALES_READ,
    ),
    _hand(
        "sales_gbk.csv",
        sales_csv("gbk"),
        form="sales_records",
        count=2,
        records=SALES_READ,
    ),
    _hand(
        "uncalculated.xlsx",
        uncalculated,
        header=HAND_HEADER,
        records=[{"amount": None}, {"amount": 150}],
        codes={"formula_without_value": 2},
        count=2,
    ),
    _hand("truncated.xlsx", half_a_workbook, form=None, codes={"unreadable": 1}),
    _hand("not_a_workbook.xlsx", an_email, form=None, codes={"unreadable": 1}),
    _hand("zip_bomb.xlsx", zip_bomb, form=None, codes={"too_large": 1}),
    _hand("unknown.xlsx", another_table, form=None, codes={"unknown_form": 1}),
    _hand("encrypted.xlsx", encrypted_by_a_script, form=None, codes={"encrypted": 1}),
    _hand(
        "roster_messy.xlsx",
        roster_messy,
        form="roster",
        records=[
            {"rep_id": "S001", "level": "senior", "hire_date": dt.date(2019, 3, 1)},
            {"rep_id": "S002", "level": "junior", "status": "active"},
            {"rep_id": "S001", "status": "left"},
        ],
        codes={"duplicate_row": 1},
        count=3,
    ),
]

SPECS += HAND_SPECS


def build(spec: Spec, folder: Path) -> Path:
    path = folder / spec.name
    path.parent.mkdir(parents=True, exist_ok=True)
    spec.build(path)
    return path


def main(folder: Path = FILES_DIR, *, only: Sequence[str] = ()) -> None:
    for spec in SPECS:
        if only and spec.name not in only:
            continue
        print("wrote", build(spec, folder))


if __name__ == "__main__":
    main(only=sys.argv[1:])
