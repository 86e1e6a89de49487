"""退回件 Return copies (salesxl.write.returns): the rep's own workbook, its problems marked.

Every planted mistake of the demo comes back marked at its cell; the original
stays byte for byte; a copy corrected by a script validates clean and reads
like a clean file; LibreOffice opens and renders a copy.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from defusedxml import ElementTree

from salesxl.cli import main
from salesxl.core.issues import Severity
from salesxl.core.periods import Month
from salesxl.demo import generate_demo
from salesxl.forms import DAILY_REPORT, FORMS
from salesxl.forms.marks import TO_FIX_SHEET
from salesxl.intake.files import load_form
from salesxl.read.locate import column_map
from salesxl.read.values import norm_label
from salesxl.validate import FormData, ValidationContext
from salesxl.write.returns import ERROR_FILL, WARNING_FILL, copy_name, return_copies, return_inbox
from salesxl.write.sheet_xml import cells_of
from salesxl.write.templates import write_form
from salesxl.write.xlsx import OutputError
from tests.conftest import FILES, TODAY
from tests.lo import needs_pdftoppm, needs_soffice

NOVEMBER = Month(2026, 11)
CTX = ValidationContext(today=TODAY, period=NOVEMBER)


def _hashes(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return generate_demo(tmp_path_factory.mktemp("returns") / "demo", reps=14)


@pytest.fixture(scope="module")
def returned(demo: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    before = _hashes(demo.inbox)
    result = return_inbox(
        [demo.inbox],
        tmp_path_factory.mktemp("out") / "returns",
        period=demo.period,
        roster=demo.roster,
        today=demo.as_of,
        warnings=True,
    )
    return result, before


def _marked_cells(path: Path) -> dict[tuple[str, str], tuple[str, str | None]]:
    """(sheet, cell) -> (fill, note) of every cell with a salesxl note or a mark's fill
    (the cells of a run after its first have the fill only); the To fix sheet aside."""
    wb = openpyxl.load_workbook(path)
    found = {}
    for ws in wb.worksheets:
        if ws.title == TO_FIX_SHEET:
            continue
        for row in ws.iter_rows():
            for cell in row:
                fill = cell.fill.fgColor.rgb
                if cell.comment is not None and cell.comment.text.startswith("salesxl:"):
                    found[(ws.title, cell.coordinate)] = (fill, cell.comment.text)
                elif fill in (ERROR_FILL, WARNING_FILL):
                    found[(ws.title, cell.coordinate)] = (fill, None)
    return found


def test_every_planted_mistake_comes_back_marked_at_its_cells(demo: Any, returned: Any) -> None:
    result, _ = returned
    by_rep = {}
    for f in result.files:
        by_rep.setdefault(f.rep_id, []).append(f)
    for mistake in demo.mistakes:
        if mistake.found_by != "validate":  # seen only against other files: not the rep's cells
            continue
        mine = by_rep[mistake.rep_id]
        entry = next(f for f in mine if {i.code.value for i in f.problems} >= set(mistake.codes))
        if "unreadable" in mistake.codes:  # a damaged file is listed, not copied
            assert entry.copy is None and entry.how == "not_opened"
            assert entry.guessed  # recognised by the rep's name in the file name
            continue
        assert entry.copy is not None and entry.copy.exists(), mistake
        assert entry.copy.name == copy_name(entry.source, demo.as_of)
        assert entry.copy.parent.name == entry.team  # sorted into the team's folder
        marked = _marked_cells(entry.copy)
        with_cell = [i for i in entry.problems if i.cell]
        assert with_cell, mistake
        for issue in with_cell:
            # a run of cells (日清 B4:B19) is filled throughout, its note on the first cell
            first, *rest = cells_of(issue.cell)
            fill, note = marked[(issue.sheet, first)]
            assert fill == (ERROR_FILL if issue.severity is Severity.ERROR else WARNING_FILL)
            assert issue.message_zh in note and issue.message_en in note
            assert all(marked[(issue.sheet, c)] == (fill, None) for c in rest)
        # nothing else is marked
        assert set(marked) == {(i.sheet, c) for i in with_cell for c in cells_of(i.cell)}


def test_the_to_fix_sheet_comes_first_and_links_each_problem_to_its_cell(returned: Any) -> None:
    result, _ = returned
    for entry in result.files:
        if entry.copy is None:
            continue
        wb = openpyxl.load_workbook(entry.copy)
        assert wb.sheetnames[0] == TO_FIX_SHEET and wb.active.title == TO_FIX_SHEET
        ws = wb[TO_FIX_SHEET]
        header = next(r for r in range(1, 12) if ws.cell(r, 1).value == "序号 No.")
        lines = [ws.cell(r, 2) for r in range(header + 1, ws.max_row + 1) if ws.cell(r, 1).value]
        assert len(lines) == len(entry.problems)
        for cell, issue in zip(lines, entry.problems, strict=True):
            if issue.cell:
                assert cell.hyperlink.location == f"'{issue.sheet}'!{issue.cell}"
                assert cell.value == f"{issue.sheet}!{issue.cell}"


def test_the_originals_are_never_changed(demo: Any, returned: Any) -> None:
    _, before = returned
    assert _hashes(demo.inbox) == before


def test_a_return_copy_reads_like_its_original(returned: Any) -> None:
    """Same form, same values, same issues: the To fix sheet, fills and notes are not data."""
    result, _ = returned
    for entry in result.files:
        if entry.copy is None:
            continue
        original, copy = load_form(entry.source, CTX), load_form(entry.copy, CTX)
        assert copy.form_id == original.form_id
        assert copy.header == original.header
        assert {k: t.values for k, t in copy.tables.items()} == {
            k: t.values for k, t in original.tables.items()
        }
        assert [(i.code, i.sheet, i.cell) for i in copy.issues] == [
            (i.code, i.sheet, i.cell) for i in original.issues
        ]


def test_marked_cells_keep_their_format_and_stay_open_for_typing(returned: Any) -> None:
    result, _ = returned
    entry = next(
        f for f in result.files if f.copy and any(i.code == "required" for i in f.problems)
    )
    issue = next(i for i in entry.problems if i.code == "required")
    sheet = openpyxl.load_workbook(entry.source)[issue.sheet]
    row, col = openpyxl.utils.cell.coordinate_to_tuple(issue.cell)
    # An empty cell shows its column's format (openpyxl does not say so for a cell it lacks).
    before = (
        sheet[issue.cell]
        if (row, col) in sheet._cells
        else sheet.column_dimensions[openpyxl.utils.get_column_letter(col)]
    )
    after = openpyxl.load_workbook(entry.copy)[issue.sheet][issue.cell]
    assert after.number_format == before.number_format
    assert after.protection.locked is False  # the input cell stays unlocked on a protected sheet
    assert openpyxl.load_workbook(entry.copy)[issue.sheet].protection.sheet


def test_the_return_lists_say_who_how_many_and_which_file(demo: Any, returned: Any) -> None:
    result, _ = returned
    everything = openpyxl.load_workbook(result.lists[0]).active
    rows = [[c.value for c in row] for row in everything.iter_rows(min_row=5)]
    assert len(rows) == len(result.files)
    by_file = {row[8]: row for row in rows}
    for entry in result.files:
        row = by_file[str(entry.source)]
        assert row[2] == entry.rep_id and (row[4], row[5]) == (entry.errors, entry.warnings)
    teams = {f.team for f in result.files if f.copy is not None}
    assert len(result.lists) == 1 + len(teams)
    for path in result.lists[1:]:
        ws = openpyxl.load_workbook(path).active
        listed = [ws.cell(r, 1).value for r in range(5, ws.max_row + 1)]
        assert set(listed) == {path.parent.name}  # a team's list holds its own files only


# -- a copy corrected by a script -------------------------------------------------------------


def _daily_rows() -> list[dict[str, Any]]:
    day = dt.date(2026, 11, 2)
    rows = []
    for i in range(12):
        won = i % 4 == 3
        rows.append(
            {
                "date": day + dt.timedelta(days=i // 3),
                "customer": f"客户{i % 5}",
                "contact": "王经理",
                "phone": f"1381234{5600 + i:04d}",
                "source": "visit",
                "grade": "C",
                "stage": "7" if won else "4",
                "product": "净水器" if won else None,
                "qty": 2.0 if won else None,
                "price": 1500.0 if won else None,
                "amount": 3000.0 if won else None,
                "deposit": 500.0 if won else None,
            }
        )
    return rows


HEADER = {
    "rep_name": "张伟",
    "rep_id": "S001",
    "region": "华东",
    "team": "上海一组",
    "month": NOVEMBER,
    "month_target": 50_000.0,
}
CLOSES = [{"date": dt.date(2026, 11, 2), "forecast": 3000.0, "analysis": "跟进顺利"}]

# Each case spoils a clean report the way reps do: (header changes, row changes).
CASES: dict[str, tuple[dict[str, Any], list[tuple[int, str, Any]]]] = {
    "not_in_list": ({}, [(3, "stage", "8 已成交")]),
    "out_of_range+amount_mismatch": (
        {},
        [(0, "date", dt.date(2026, 10, 31)), (7, "amount", 3100.0)],
    ),
    "deposit_exceeds_amount+required": ({}, [(11, "deposit", 6000.0), (4, "customer", None)]),
    "phone_format": ({}, [(1, "phone", "1381234")]),
    "missing_header": ({"rep_id": None}, []),
    "wrong_period": ({"month": Month(2026, 10)}, []),
}


def _report(path: Path, header: dict[str, Any], changes: list[tuple[int, str, Any]]) -> Path:
    rows = _daily_rows()
    for i, key, value in changes:
        rows[i][key] = value
    head = {k: v for k, v in {**HEADER, **header}.items() if v is not None}
    return write_form(path, DAILY_REPORT, header=head, rows={"daily": rows, "day_close": CLOSES})


def _script_fix(copy: Path, clean: Path, target: Path) -> Path:
    """What a script does: copy the clean value into every cell the To fix sheet lists."""
    wb, good = openpyxl.load_workbook(copy), openpyxl.load_workbook(clean)
    ws = wb[TO_FIX_SHEET]
    for row in ws.iter_rows():
        for cell in row:
            if cell.hyperlink is not None and cell.hyperlink.location:
                sheet, ref = cell.hyperlink.location.rsplit("!", 1)
                sheet = sheet.strip("'")
                wb[sheet][ref].value = good[sheet][ref].value
                wb[sheet][ref].number_format = good[sheet][ref].number_format
    wb.save(target)
    return target


def _resaved(path: Path, target: Path) -> Path:
    openpyxl.load_workbook(path).save(target)
    return target


def _values(data: FormData) -> tuple[Any, ...]:
    return (data.form_id, data.header, {k: t.values for k, t in data.tables.items()})


@pytest.mark.parametrize("case", list(CASES))
def test_a_copy_corrected_by_a_script_validates_clean_and_reads_like_a_clean_file(
    case: str, tmp_path: Path
) -> None:
    clean = _report(tmp_path / "clean.xlsx", {}, [])
    spoiled = _report(tmp_path / "spoiled.xlsx", *CASES[case])
    assert not load_form(clean, CTX).issues
    bad = load_form(spoiled, CTX)
    assert {i.code.value for i in bad.issues} >= set(case.split("+")), bad.issues
    result = return_copies([bad], tmp_path / "returns", today=TODAY, warnings=True)
    (entry,) = result.files
    fixed = _script_fix(entry.copy, clean, tmp_path / "fixed.xlsx")

    # A script's save drops every formula's cached value (openpyxl never computes); the clean
    # file saved the same way says the same: the return marks add no issue and no value.
    reference = load_form(_resaved(clean, tmp_path / "clean_resaved.xlsx"), CTX)
    corrected = load_form(fixed, CTX)
    assert not corrected.has_errors
    assert {i.code.value for i in corrected.issues} <= {"formula_without_value"}
    assert [(i.code, i.sheet, i.cell) for i in corrected.issues] == [
        (i.code, i.sheet, i.cell) for i in reference.issues
    ]
    assert _values(corrected) == _values(reference)


@needs_soffice
def test_a_corrected_copy_saved_in_a_spreadsheet_validates_with_no_issue_at_all(
    tmp_path: Path, soffice: Any
) -> None:
    clean = _report(tmp_path / "clean.xlsx", {}, [])
    spoiled = _report(
        tmp_path / "spoiled.xlsx",
        {"rep_id": None},
        [(3, "stage", "8 已成交"), (7, "amount", 3100.0), (4, "customer", None)],
    )
    result = return_copies([load_form(spoiled, CTX)], tmp_path / "returns", today=TODAY)
    fixed = _script_fix(result.files[0].copy, clean, tmp_path / "fixed.xlsx")
    saved = soffice(fixed, "xlsx", tmp_path / "lo")  # opened, recalculated and saved
    corrected = load_form(saved, CTX)
    assert corrected.issues == []
    assert _values(corrected) == _values(load_form(clean, CTX))


# -- the package stays whole ------------------------------------------------------------------

# The order of a worksheet's elements (the OOXML schema); Excel refuses others.
WORKSHEET_ORDER = [
    "sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr",
    "sheetProtection", "protectedRanges", "scenarios", "autoFilter", "sortState",
    "dataConsolidate", "customSheetViews", "mergeCells", "phoneticPr", "conditionalFormatting",
    "dataValidations", "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter",
    "rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors", "smartTags",
    "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects",
    "controls", "webPublishItems", "tableParts", "extLst",
]  # fmt: skip


def test_every_part_is_well_formed_and_worksheets_keep_the_schema_order(returned: Any) -> None:
    result, _ = returned
    for copy in result.copies:
        with zipfile.ZipFile(copy) as archive:
            types = archive.read("[Content_Types].xml").decode()
            for name in archive.namelist():
                if name.endswith((".xml", ".rels", ".vml")):
                    root = ElementTree.fromstring(archive.read(name))
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    assert f'PartName="/{name}"' in types, name
                    order = [child.tag.split("}")[1] for child in root]
                    positions = [WORKSHEET_ORDER.index(tag) for tag in order]
                    assert positions == sorted(positions), (copy.name, name, order)
                    cells = [c.get("r") for c in root.iter() if c.tag.endswith("}c")]
                    assert len(cells) == len(set(cells)), name  # no cell twice


def test_unchanged_parts_are_copied_byte_for_byte(returned: Any) -> None:
    result, _ = returned
    entry = next(f for f in result.files if f.copy is not None)
    with zipfile.ZipFile(entry.source) as a, zipfile.ZipFile(entry.copy) as b:
        same = [
            n for n in a.namelist() if n.startswith(("xl/theme", "xl/sharedStrings", "docProps"))
        ]
        assert same
        for name in same:
            assert a.read(name) == b.read(name), name


def test_the_to_fix_labels_are_never_taken_for_a_form_header() -> None:
    from salesxl.write.returns import _HEADER_BOTH, _HEADER_EN, _HEADER_ZH

    known = {
        label
        for form in FORMS.values()
        for table in form.tables
        for label in column_map(form.id, table.key)
    }
    for header in (_HEADER_BOTH, _HEADER_ZH, _HEADER_EN):
        assert not {norm_label(h) for h in header} & known, header


def test_a_macro_workbook_keeps_its_macros_and_its_extension(tmp_path: Path) -> None:
    source = tmp_path / "inbox" / "daily_macro.xlsm"
    source.parent.mkdir()
    shutil.copy(FILES / "daily_macro.xlsm", source)
    data = load_form(source, ValidationContext(today=TODAY))
    data.issues.append(_an_error(data))
    result = return_copies([data], tmp_path / "returns", today=TODAY)
    copy = result.files[0].copy
    assert copy.suffix == ".xlsm" and result.files[0].how == "marked"
    with zipfile.ZipFile(source) as a, zipfile.ZipFile(copy) as b:
        assert a.read("xl/vbaProject.bin") == b.read("xl/vbaProject.bin")
        assert "macroEnabled" in b.read("[Content_Types].xml").decode()
    again = load_form(copy, ValidationContext(today=TODAY))
    assert _values(again) == _values(load_form(source, ValidationContext(today=TODAY)))


def _an_error(data: FormData) -> Any:
    from salesxl.core.issues import Code, make_issue

    table = data.tables["daily"]
    return make_issue(
        Code.REQUIRED,
        data.path,
        "测试",
        "test",
        sheet=table.sheet,
        cell=f"{table.columns['customer']}{table.rows[0]}",
    )


def test_a_csv_comes_back_as_an_xlsx_of_its_values(tmp_path: Path) -> None:
    source = FILES / "csv" / "daily_utf8.csv"
    data = load_form(source, ValidationContext(today=TODAY))
    data.issues.append(_an_error(data))
    result = return_copies([data], tmp_path / "returns", today=TODAY)
    (entry,) = result.files
    assert entry.how == "values" and entry.copy.suffix == ".xlsx"
    assert entry.copy.name == f"daily_utf8_退回_{TODAY:%Y-%m-%d}.xlsx"
    again = load_form(entry.copy, ValidationContext(today=TODAY))
    assert _values(again)[1:] == _values(data)[1:]
    marked = _marked_cells(entry.copy)
    issue = data.issues[-1]
    assert marked[(issue.sheet, issue.cell)][0] == ERROR_FILL


def test_returning_a_returned_copy_leaves_no_old_marks(tmp_path: Path) -> None:
    """A rep fixes one of two cells and sends the copy back: the fixed cell loses its mark."""
    clean = _report(tmp_path / "clean.xlsx", {}, [])
    spoiled = _report(
        tmp_path / "spoiled.xlsx", {}, [(3, "stage", "8 已成交"), (7, "amount", 3100.0)]
    )
    first = return_copies([load_form(spoiled, CTX)], tmp_path / "r1", today=TODAY).files[0]
    wb = openpyxl.load_workbook(first.copy)
    stage = next(i for i in first.problems if i.code == "not_in_list")
    wb[stage.sheet][stage.cell].value = openpyxl.load_workbook(clean)[stage.sheet][stage.cell].value
    partly = tmp_path / "partly.xlsx"
    wb.save(partly)
    later = TODAY + dt.timedelta(days=2)
    second = return_copies([load_form(partly, CTX)], tmp_path / "r2", today=later).files[0]
    assert second.copy.name == f"partly_退回_{later:%Y-%m-%d}.xlsx"
    marked = _marked_cells(second.copy)
    amount = next(i for i in second.problems if i.code == "amount_mismatch")
    assert set(marked) == {(amount.sheet, amount.cell)}
    wb = openpyxl.load_workbook(second.copy)
    assert wb.sheetnames.count(TO_FIX_SHEET) == 1 and wb.sheetnames[0] == TO_FIX_SHEET
    fixed_cell = wb[stage.sheet][stage.cell]
    original = openpyxl.load_workbook(spoiled)[stage.sheet][stage.cell]
    assert fixed_cell.fill.fgColor.rgb == original.fill.fgColor.rgb  # its own look again


def test_a_note_the_rep_wrote_is_kept(tmp_path: Path) -> None:
    spoiled = _report(tmp_path / "spoiled.xlsx", {}, [(3, "stage", "8 已成交")])
    bad = load_form(spoiled, CTX)
    issue = next(i for i in bad.issues if i.code == "not_in_list")
    wb = openpyxl.load_workbook(spoiled)
    wb[issue.sheet][issue.cell].comment = openpyxl.comments.Comment("客户说下周签", "张伟")
    other = wb[issue.sheet]["N10"]
    other.comment = openpyxl.comments.Comment("老客户", "张伟")
    with_notes = tmp_path / "with_notes.xlsx"
    wb.save(with_notes)
    result = return_copies([load_form(with_notes, CTX)], tmp_path / "r", today=TODAY)
    ws = openpyxl.load_workbook(result.files[0].copy)[issue.sheet]
    assert ws[issue.cell].comment.text == "客户说下周签"
    assert ws[issue.cell].fill.fgColor.rgb == ERROR_FILL
    assert ws["N10"].comment.text == "老客户"


def test_an_output_folder_inside_the_inbox_is_refused(demo: Any) -> None:
    with pytest.raises(OutputError, match="inside the inbox"):
        return_inbox([demo.inbox], demo.inbox / "returns", today=demo.as_of)


def test_cli_writes_the_copies_and_says_where(demo: Any, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "return",
            str(demo.inbox),
            "--period",
            "2026-11",
            "--roster",
            str(demo.roster),
            "--as-of",
            "2026-11-24",
            "-o",
            str(tmp_path / "back"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "return copies 退回件" in result.output and "退回清单" in result.output
    assert list((tmp_path / "back").rglob("*_退回_2026-11-24.xlsx"))
    refused = CliRunner().invoke(main, ["return", str(demo.inbox), "-o", str(demo.inbox / "x")])
    assert refused.exit_code == 1 and "inside the inbox" in refused.output


@needs_soffice
@needs_pdftoppm
def test_libreoffice_opens_a_return_copy_and_renders_it(returned: Any, tmp_path: Path) -> None:
    from tests.lo import convert

    result, _ = returned
    copy = next(f.copy for f in result.files if f.copy is not None and f.errors)
    pdf = convert(copy, "pdf", tmp_path)
    text = subprocess.run(
        ["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Returned for correction" in text and copy.name.split("_退回_")[0] in text
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    page = next(tmp_path.glob("p*.png"))
    assert page.stat().st_size > 2_000  # a rendered page, not a blank one
    listed = convert(result.lists[0], "pdf", tmp_path / "list")
    assert listed.stat().st_size > 0


def test_one_file_with_one_error_is_said_in_the_singular(tmp_path: Path) -> None:
    """One file with one error: "1 file goes back, 1 error in all" (issue 15)."""
    changes = [(1, "phone", "1381234"), (3, "stage", "8 已成交")]  # a warning and an error
    data = load_form(_report(tmp_path / "spoiled.xlsx", {}, changes), CTX)
    result = return_copies([data], tmp_path / "returns", today=TODAY, warnings=True)
    (entry,) = result.files
    assert (entry.errors, entry.warnings) == (1, 1)
    title = openpyxl.load_workbook(entry.copy)[TO_FIX_SHEET]["A1"].value
    assert "(1 error, 1 warning)" in title
    listed = openpyxl.load_workbook(result.lists[0]).active["A2"].value
    assert listed.endswith("1 file goes back, 1 error in all")
