"""Build tests/files/messy/: messy, real-looking workbooks covering each variation README.md "Forms" lists.

Run `python tests/messy_files.py` to rebuild them (they are checked in).  Each
file has an entry in EXPECTED saying what reading it must give; test_read.py
checks every entry.  Most files are written with openpyxl, as a person's
script or a non-Excel tool would; the .xls comes from LibreOffice, the
encrypted file from msoffcrypto-tool.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Font

FILES = Path(__file__).resolve().parent / "files" / "messy"

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
ROWS = [
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

# What reading each file must give: form id, header values, first records, issue codes.
EXPECTED: dict[str, dict[str, Any]] = {}


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
    for row in rows if rows is not None else ROWS:
        ws.append(row)
    return wb


def _expect(
    name: str,
    *,
    form: str = "daily_report",
    header: dict[str, Any] | None = None,
    records: list[dict[str, Any]] | None = None,
    codes: dict[str, int] | None = None,
    count: int | None = None,
) -> None:
    EXPECTED[name] = {
        "form": form,
        "header": header or {},
        "records": records or [],
        "codes": codes or {},
        "count": count,
    }


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
_HEADER = {"rep_name": "张伟", "rep_id": "S001", "month": "2026-11"}


def labels_variants() -> None:
    _daily_book(DAILY_ZH).save(FILES / "labels_zh_only.xlsx")
    _daily_book(
        DAILY_EN, sheet="Daily", header=[("Rep", "张伟"), ("Rep ID", "S001"), ("Month", "2026/11")]
    ).save(FILES / "labels_en_only.xlsx")
    both = [f"{zh} {en}" for zh, en in zip(DAILY_ZH, DAILY_EN, strict=True)]
    _daily_book(both, sheet="日报 Daily").save(FILES / "labels_both_one_cell.xlsx")
    stacked = [
        f"{zh}*：\n{en.upper()}" if i < 2 else f"  {zh}\n{en}"
        for i, (zh, en) in enumerate(zip(DAILY_ZH, DAILY_EN, strict=True))
    ]
    wb = _daily_book(stacked, sheet="日报 Daily")
    for cell in wb.active[6]:
        cell.font = Font(bold=True)
    wb.save(FILES / "labels_two_lines.xlsx")


def order_and_extras() -> None:
    order = [6, 0, 1, 14, 3, 2, 4, 5, 7, 8, 9, 10, 11, 12, 13]
    labels = [DAILY_ZH[i] for i in order] + ["微信", "区域经理"]
    rows = [[row[i] for i in order] + ["wx_zhang", "赵总"] for row in ROWS]
    _daily_book(labels, rows=rows).save(FILES / "columns_shuffled_extra.xlsx")


def titles_blanks_totals() -> None:
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
    ws.append(ROWS[0])
    ws.append([])
    ws.append([None] * 5)
    ws.append(ROWS[1])
    ws.append(["小计", None, None, None, None, None, None, None, None, None, 185])
    ws.append([dt.datetime(2026, 11, 5), "北京同仁药店", None, None, "拜访", "C", "1"])
    ws.append(["合计 Total", None, None, None, None, None, None, None, None, None, 185])
    wb.save(FILES / "titles_blanks_totals.xlsx")


def merged_cells() -> None:
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
    wb.save(FILES / "merged_cells.xlsx")


def header_below_and_colon() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["销售员：张伟", None, "区域: 华东"])
    ws.append(["工号", "团队", "月份"])
    ws.append(["S001", "上海一组", dt.datetime(2026, 11, 1)])
    ws.append([])
    ws.append(DAILY_ZH)
    ws.append(ROWS[0])
    wb.save(FILES / "header_below_and_colon.xlsx")


def value_spellings() -> None:
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
            "5%",
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
    _daily_book(DAILY_ZH, rows=rows).save(FILES / "value_spellings.xlsx")


def macro_enabled() -> None:
    import xlsxwriter
    import xlwings

    vba = Path(xlwings.__file__).parent / "quickstart_standalone.xlsm"
    with zipfile.ZipFile(vba) as z, tempfile.TemporaryDirectory() as tmp:
        bin_path = Path(tmp) / "vbaProject.bin"
        bin_path.write_bytes(z.read("xl/vbaProject.bin"))
        wb = xlsxwriter.Workbook(str(FILES / "macro_enabled.xlsm"))
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


def legacy_xls() -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        raise SystemExit("soffice is needed to make legacy.xls")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "legacy.xlsx"
        _daily_book(DAILY_ZH).save(source)
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{tmp}/profile",
                "--headless",
                "--convert-to",
                "xls",
                "--outdir",
                tmp,
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=240,
        )
        shutil.copy(Path(tmp) / "legacy.xls", FILES / "legacy.xls")


SALES_CSV = (
    "日期,工号,客户名称,产品,规格,批号,有效期,生产厂家,数量,单价,金额\n"
    "2026-10-08,S001,上海恒瑞贸易有限公司,阿莫西林胶囊,0.25g×24粒,B2610,2028-10-01,华北制药,"
    '100,18.5,"1,850.00"\n'
    "2026/10/9,S002,广州天河科技,头孢克肟片,0.1g×6片,B2611,2028-09-30,石药集团,-10,32,-320\n"
)


def csv_encodings() -> None:
    (FILES / "sales_utf8.csv").write_bytes(SALES_CSV.encode("utf-8"))
    (FILES / "sales_utf8_bom.csv").write_bytes(SALES_CSV.encode("utf-8-sig"))
    (FILES / "sales_gbk.csv").write_bytes(SALES_CSV.replace("×", "x").encode("gbk"))


def skipped_files() -> None:
    (FILES / "~$labels_zh_only.xlsx").write_bytes(b"\x00" * 162)
    _daily_book(DAILY_ZH).save(FILES / ".hidden_copy.xlsx")


def uncalculated() -> None:
    rows = [
        [dt.datetime(2026, 11, 3), "甲", None, None, "来访", "A", "7", None, 2, 100, "=I8*J8"],
        [dt.datetime(2026, 11, 4), "乙", None, None, "来访", "B", "7", None, 3, 50, 150],
    ]
    wb = _daily_book(DAILY_ZH, rows=rows)
    wb.active["Q1"] = "=SUM(K8:K9)"
    wb.save(FILES / "uncalculated.xlsx")


def broken_files() -> None:
    whole = io.BytesIO()
    _daily_book(DAILY_ZH).save(whole)
    (FILES / "truncated.xlsx").write_bytes(whole.getvalue()[: len(whole.getvalue()) // 2])
    (FILES / "not_a_workbook.xlsx").write_text("这是一封邮件，不是表格。\n", encoding="utf-8")
    with zipfile.ZipFile(FILES / "zip_bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\x00" * (210 * 1024 * 1024))
    other = openpyxl.Workbook()
    other.active.append(["姓名", "年龄", "爱好"])
    other.active.append(["小明", 12, "足球"])
    other.save(FILES / "unknown.xlsx")


def encrypted() -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = io.BytesIO()
    _daily_book(DAILY_ZH).save(plain)
    plain.seek(0)
    with (FILES / "encrypted.xlsx").open("wb") as out:
        OOXMLFile(plain).encrypt("secret", out)


def roster_messy() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "人员名单"
    ws.append(["工号 Rep ID", "姓名 Name", "区域", "团队", "级别", "入职日期", "状态"])
    ws.append(["Ｓ００１", "张伟", "华东", "上海一组", "高级", "2019-03-01", "在职"])
    ws.append(["S002", "李娜", "华东", "上海一组", "junior", dt.datetime(2024, 7, 1), "Active"])
    ws.append(["S001", "王强", "华南", "广州组", "中级", "2020/1/6", "离职"])
    wb.save(FILES / "roster_messy.xlsx")


# -- what reading each file must give (test_read.py checks every entry) --------------

_expect("labels_zh_only.xlsx", header=_HEADER, records=[_FIRST, _SECOND], count=2)
_expect("labels_en_only.xlsx", header=_HEADER, records=[_FIRST, _SECOND], count=2)
_expect("labels_both_one_cell.xlsx", header=_HEADER, records=[_FIRST], count=2)
_expect("labels_two_lines.xlsx", header=_HEADER, records=[_FIRST], count=2)
_expect(
    "columns_shuffled_extra.xlsx",
    header=_HEADER,
    records=[{**_FIRST, "_extra": {"微信": "wx_zhang", "区域经理": "赵总"}}],
    codes={"extra_column": 2},
    count=2,
)
_expect(
    "titles_blanks_totals.xlsx",
    header=_HEADER,
    records=[_FIRST, _SECOND, {"customer": "北京同仁药店", "stage": "1", "_row": 14}],
    count=3,
)
_expect(
    "merged_cells.xlsx",
    header=_HEADER,
    records=[
        {"date": dt.date(2026, 11, 6), "customer": "甲药房"},
        {"date": dt.date(2026, 11, 6), "customer": "乙诊所"},
        {"date": dt.date(2026, 11, 6), "customer": "丙医院"},
    ],
    count=3,
)
_expect(
    "header_below_and_colon.xlsx",
    header={**_HEADER, "team": "上海一组", "region": "华东"},
    records=[_FIRST],
    count=1,
)
_expect(
    "value_spellings.xlsx",
    header=_HEADER,
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
            "deposit": 0.05,
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
)
_expect(
    "macro_enabled.xlsm",
    header=_HEADER,
    records=[{"date": dt.date(2026, 11, 3), "stage": "2"}],
    count=1,
)
_expect("legacy.xls", header=_HEADER, records=[_FIRST, _SECOND], count=2)
for _name in ("sales_utf8.csv", "sales_utf8_bom.csv", "sales_gbk.csv"):
    _expect(
        _name,
        form="sales_records",
        count=2,
        records=[
            {
                "date": dt.date(2026, 10, 8),
                "rep_id": "S001",
                "customer": "上海恒瑞贸易有限公司",
                "amount": 1850.0,
                "maker": "华北制药",
            },
            {"rep_id": "S002", "qty": -10, "amount": -320},
        ],
    )
_expect(
    "uncalculated.xlsx",
    header=_HEADER,
    records=[{"amount": None}, {"amount": 150}],
    codes={"formula_without_value": 2},
    count=2,
)
_expect("truncated.xlsx", form=None, codes={"unreadable": 1})
_expect("not_a_workbook.xlsx", form=None, codes={"unreadable": 1})
_expect("zip_bomb.xlsx", form=None, codes={"too_large": 1})
_expect("unknown.xlsx", form=None, codes={"unknown_form": 1})
_expect("encrypted.xlsx", form=None, codes={"encrypted": 1})
_expect(
    "roster_messy.xlsx",
    form="roster",
    records=[
        {"rep_id": "S001", "level": "senior", "hire_date": dt.date(2019, 3, 1)},
        {"rep_id": "S002", "level": "junior", "status": "active"},
        {"rep_id": "S001", "status": "left"},
    ],
    codes={"duplicate_row": 1},
    count=3,
)


BUILDERS = (
    labels_variants,
    order_and_extras,
    titles_blanks_totals,
    merged_cells,
    header_below_and_colon,
    value_spellings,
    macro_enabled,
    csv_encodings,
    skipped_files,
    uncalculated,
    broken_files,
    encrypted,
    roster_messy,
    legacy_xls,
)


def build() -> None:
    FILES.mkdir(exist_ok=True)
    for builder in BUILDERS:
        builder()


if __name__ == "__main__":
    build()
    print(f"wrote {len(EXPECTED)} files to {FILES}")
