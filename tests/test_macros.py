"""The manager workbook (salesxl macros build), tested by its parts: Excel is not on these machines."""

from __future__ import annotations

import io
import re
import sys
import tomllib
import warnings
import zipfile
from pathlib import Path

import olefile
import openpyxl
import pytest
import xlwings
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from salesxl.cli import main
from salesxl.excel.builder import XLWINGS_KEYS, build_manager_workbook
from salesxl.excel.settings import RESULT_SHEETS, SETTINGS, SETTINGS_SHEET, XLWINGS_SHEET
from salesxl.excel.vba.ovba import compress, decompress
from salesxl.excel.vba.project import BUTTONS, MissingExtraError, build_vba_project
from tests.lo import convert, needs_soffice

with warnings.catch_warnings():  # oletools still calls pyparsing's old (deprecated) names
    warnings.simplefilter("ignore", DeprecationWarning)
    from oletools.olevba import VBA_Parser

ROOT = Path(__file__).resolve().parent.parent
CHECKED_IN = ROOT / "macros" / "salesxl_manager.xlsm"
RED, BLACK = 0, 1  # MS-CFB colour flags
MACRO_CONTENT_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_manager_workbook(tmp_path_factory.mktemp("macros") / "salesxl_manager.xlsm")


@pytest.fixture(scope="module")
def modules(built: Path) -> dict[str, str]:
    with zipfile.ZipFile(built) as z:
        data = z.read("xl/vbaProject.bin")
    parser = VBA_Parser("vbaProject.bin", data=data)
    try:
        return {name.rsplit(".", 1)[0]: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def test_is_a_macro_enabled_workbook_with_its_vba_project(built: Path) -> None:
    with zipfile.ZipFile(built) as z:
        assert z.testzip() is None
        types = z.read("[Content_Types].xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        workbook = z.read("xl/workbook.xml").decode()
        assert "xl/vbaProject.bin" in z.namelist()
    assert MACRO_CONTENT_TYPE in types
    assert 'Extension="bin" ContentType="application/vnd.ms-office.vbaProject"' in types
    assert re.search(
        r'Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject"'
        r' Target="vbaProject.bin"',
        rels,
    )
    assert 'codeName="ThisWorkbook"' in workbook


def test_sheet_code_names_match_the_document_modules(built: Path, modules: dict[str, str]) -> None:
    wb = openpyxl.load_workbook(built, keep_vba=True)
    names = {ws.title: ws.sheet_properties.codeName for ws in wb.worksheets}
    assert names[SETTINGS_SHEET] == "Sheet1" and names[XLWINGS_SHEET] == "Sheet2"
    assert {"ThisWorkbook", "Sheet1", "Sheet2"} <= set(modules)
    assert len(set(names.values())) == len(names), "code names are unique"


def test_buttons_run_their_macros_which_call_the_fixed_module(
    built: Path, modules: dict[str, str]
) -> None:
    with zipfile.ZipFile(built) as z:
        vml = z.read("xl/drawings/vmlDrawing1.vml").decode()
    source = modules["Module1"]
    for button in BUTTONS:
        assert f"<x:FmlaMacro>[0]!{button.name}</x:FmlaMacro>" in vml
        assert f"{button.caption_zh} {button.caption_en}" in vml
        body = re.search(rf"Sub {button.name}\(\)\s+(.*?)\s+End Sub", source, re.S)
        assert body is not None, f"{button.name} is missing from the VBA module"
        function = button.name.removeprefix("Salesxl")
        assert re.fullmatch(
            r'RunPython "import salesxl\.excel; salesxl\.excel\.\w+\(\)"', body[1].strip()
        )
        called = re.search(r"salesxl\.excel\.(\w+)\(\)", body[1])[1]
        import salesxl.excel

        assert callable(getattr(salesxl.excel, called)), f"{function}: {called} does not exist"


def test_the_embedded_xlwings_module_is_the_installed_and_pinned_version(
    modules: dict[str, str],
) -> None:
    version = re.search(r'XLWINGS_VERSION As String = "([^"]+)"', modules["xlwings"])
    assert version is not None and version[1] == xlwings.__version__
    pins = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert f"xlwings=={xlwings.__version__}" in pins, "pyproject pins the embedded version"
    assert "Function RunPython" in modules["xlwings"]


def test_settings_and_xlwings_conf_hold_their_keys(built: Path) -> None:
    wb = openpyxl.load_workbook(built, keep_vba=True)
    assert wb.sheetnames == [SETTINGS_SHEET, *RESULT_SHEETS, XLWINGS_SHEET]
    labels = [c.value for c in wb[SETTINGS_SHEET]["A"] if c.value]
    for s in SETTINGS:
        assert s.label in labels
    conf = wb[XLWINGS_SHEET]
    assert [conf.cell(r, 1).value for r in range(1, len(XLWINGS_KEYS) + 2)] == [*XLWINGS_KEYS, None]
    assert all(conf.cell(r, 2).value is None for r in range(1, 4)), "left for the user to fill"
    ws = wb[SETTINGS_SHEET]
    inputs = [r for r in ws.iter_rows(min_col=2, max_col=2) if r[0].protection.locked is False]
    assert len(inputs) == len(SETTINGS)
    assert ws.data_validations.dataValidation, "settings carry validation and input help"


def test_prefilled_settings_land_beside_their_labels(tmp_path: Path) -> None:
    path = build_manager_workbook(
        tmp_path / "m.xlsm", values={"inbox": "D:/sales/inbox", "period": "2026-11"}
    )
    ws = openpyxl.load_workbook(path, keep_vba=True)[SETTINGS_SHEET]
    pairs = {row[0]: row[1] for row in ws.iter_rows(values_only=True, max_col=2) if row[0]}
    assert pairs["收件箱 Inbox folder"] == "D:/sales/inbox"
    assert pairs["期间 Period"] == "2026-11", "a period stays text (Excel would make it a date)"


def test_rebuilding_a_manager_workbook_keeps_what_was_filled_in(tmp_path: Path) -> None:
    # The manager filled in the settings and, once, the interpreter's path; after an upgrade
    # docs/manager.md says to rebuild the workbook with `salesxl macros build`.
    from salesxl.read.marks import Written, written_by

    path = build_manager_workbook(tmp_path / "manager.xlsm")
    wb = openpyxl.load_workbook(path, keep_vba=True)
    ws = wb[SETTINGS_SHEET]
    row_of = {c.value: c.row for c in ws["A"] if c.value}
    ws.cell(row_of["收件箱 Inbox folder"], 2, "D:/sales/inbox")
    ws.cell(row_of["期间 Period"], 2, "2026-11")
    ws.cell(row_of["花名册 Roster"], 2, "D:/sales/roster.xlsx")
    ws.cell(row_of["口头预警 Oral warning below"], 2, 0.75)
    wb[XLWINGS_SHEET]["B1"] = "C:\\Python312\\pythonw.exe"
    wb.save(path)
    assert written_by(path) is Written.MANAGER
    result = CliRunner().invoke(
        main, ["macros", "build", "-o", str(path), "--set", "period=2026-12"]
    )
    assert result.exit_code == 0, result.output
    assert "kept from the workbook it replaced: inbox, roster, oral, INTERPRETER_WIN" in (
        result.output
    )
    wb = openpyxl.load_workbook(path, keep_vba=True)
    pairs = {r[0]: r[1] for r in wb[SETTINGS_SHEET].iter_rows(values_only=True, max_col=2)}
    assert pairs["收件箱 Inbox folder"] == "D:/sales/inbox"
    assert pairs["期间 Period"] == "2026-12"  # --set wins
    assert pairs["花名册 Roster"] == "D:/sales/roster.xlsx"
    assert pairs["口头预警 Oral warning below"] == 0.75
    assert pairs["书面预警 Written warning below"] == 0.6  # the default, as it was
    assert wb[XLWINGS_SHEET]["B1"].value == "C:\\Python312\\pythonw.exe"
    assert wb[XLWINGS_SHEET]["B2"].value is None


def test_checked_in_workbook_does_not_drift(built: Path) -> None:
    """`salesxl macros build` regenerates exactly what is in macros/ (rebuild: make macros)."""
    with zipfile.ZipFile(built) as ours, zipfile.ZipFile(CHECKED_IN) as theirs:
        assert sorted(ours.namelist()) == sorted(theirs.namelist())
        for name in ours.namelist():
            assert ours.read(name) == theirs.read(name), f"{name} drifted: run `make macros`"


def test_openpyxl_round_trip_keeps_the_vba(built: Path, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(built, keep_vba=True)
    wb[SETTINGS_SHEET]["B6"] = "inbox2"
    wb.save(tmp_path / "again.xlsm")
    with zipfile.ZipFile(built) as a, zipfile.ZipFile(tmp_path / "again.xlsm") as b:
        assert a.read("xl/vbaProject.bin") == b.read("xl/vbaProject.bin")
        assert MACRO_CONTENT_TYPE in b.read("[Content_Types].xml").decode()


def test_vba_project_is_a_well_formed_compound_file() -> None:
    data = build_vba_project()
    ole = olefile.OleFileIO(io.BytesIO(data))
    try:
        assert ole.exists("VBA/dir") and ole.exists("PROJECT")
        entries = ole.direntries

        def black_height(sid: int) -> int:
            if sid == olefile.NOSTREAM:
                return 1
            e = entries[sid]
            left, right = black_height(e.sid_left), black_height(e.sid_right)
            assert left == right, f"{e.name}: unbalanced red-black tree"
            if e.color == RED:
                assert all(
                    entries[k].color == BLACK
                    for k in (e.sid_left, e.sid_right)
                    if k != olefile.NOSTREAM
                )
            return left + (e.color == BLACK)

        for e in entries:
            if e is not None and e.sid_child != olefile.NOSTREAM:
                assert entries[e.sid_child].color == BLACK
                black_height(e.sid_child)
        project = ole.openstream("PROJECT").read().decode("cp1252")
    finally:
        ole.close()
    assert "Module=Module1" in project and "Document=ThisWorkbook/&H00000000" in project


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=9000) | st.text(max_size=3000).map(lambda t: (t * 3).encode()))
def test_vba_compression_round_trips(data: bytes) -> None:
    assert decompress(compress(data)) == data


def test_compression_reads_what_office_wrote() -> None:
    """The xlwings template's streams were compressed by Office: we read them back."""
    with zipfile.ZipFile(Path(xlwings.__file__).parent / "quickstart_standalone.xlsm") as z:
        ole = olefile.OleFileIO(io.BytesIO(z.read("xl/vbaProject.bin")))
    source = decompress(ole.openstream("VBA/xlwings").read()[ole_offset(ole, "xlwings") :])
    ole.close()
    assert b'Attribute VB_Name = "xlwings"' in source


def ole_offset(ole: olefile.OleFileIO, module: str) -> int:
    """The module's source offset from the dir stream (MS-OVBA MODULEOFFSET)."""
    data = decompress(ole.openstream("VBA/dir").read())
    pos, current = 0, None
    while pos < len(data):
        rid, size = (
            int.from_bytes(data[pos : pos + 2], "little"),
            int.from_bytes(data[pos + 2 : pos + 6], "little"),
        )
        size = 6 if rid == 0x0009 else size
        payload = data[pos + 6 : pos + 6 + size]
        if rid == 0x0019:
            current = payload.decode("cp1252")
        if rid == 0x0031 and current == module:
            return int.from_bytes(payload, "little")
        pos += 6 + size
    raise AssertionError(f"no module {module}")


@needs_soffice
def test_libreoffice_opens_it_and_sees_the_macros_and_buttons(built: Path, tmp_path: Path) -> None:
    ods = convert(built, "ods", tmp_path)
    with zipfile.ZipFile(ods) as z:
        content = z.read("content.xml").decode()
        module = z.read("Basic/VBAProject/Module1.xml").decode()
        names = z.namelist()
    assert "Basic/VBAProject/xlwings.xml" in names
    for button in BUTTONS:
        assert f"Sub {button.name}()" in module
        assert f"VBAProject.Module1.{button.name}?language=Basic" in content
    for name in (SETTINGS_SHEET, *RESULT_SHEETS, XLWINGS_SHEET):
        assert f'table:name="{name}"' in content


def test_cli_builds_and_refuses_what_would_not_work(tmp_path: Path) -> None:
    runner = CliRunner()
    done = runner.invoke(
        main, ["macros", "build", "-o", str(tmp_path / "m.xlsm"), "--set", "inbox=D:/inbox"]
    )
    assert done.exit_code == 0, done.output
    assert f"xlwings {xlwings.__version__}" in done.output
    wrong = runner.invoke(main, ["macros", "build", "-o", str(tmp_path / "m.xlsx")])
    assert wrong.exit_code == 2 and ".xlsm" in wrong.output
    bad = runner.invoke(
        main, ["macros", "build", "-o", str(tmp_path / "n.xlsm"), "--set", "inbx=x"]
    )
    assert bad.exit_code == 2 and "inbox" in bad.output
    (tmp_path / "~$m.xlsm").write_text("owner")
    locked = runner.invoke(main, ["macros", "build", "-o", str(tmp_path / "m.xlsm")])
    assert locked.exit_code == 1 and "open in Excel" in locked.output


@pytest.mark.parametrize(
    ("setting", "said"),
    [
        ("period=2026-13", "Period '2026-13' is malformed; write it as 2026-11."),
        ("as_of=2026-11-31", "As of '2026-11-31' is not a date"),
        ("oral=abc", "Warning thresholds must be numbers"),
        ("written=0.9", "oral above written"),  # 0.9 is above the oral warning's 0.8
        ("chase=maybe", "Chase list 'maybe' should be yes or no."),
        ("split_by=city", "Split by 'city' should be team or region (or empty)."),
        ("column_map=amount", "Column mapping 'amount' cannot be used"),
        ("database=mysql://u@h/db", "Database 'mysql://u@h/db' is not one salesxl can use"),
    ],
)
def test_set_values_are_checked_as_the_settings_sheet_reads_them(
    tmp_path: Path, setting: str, said: str
) -> None:
    """A bad --set value is refused when the workbook is built (exit 2), not when a button
    is clicked; nothing is written."""
    out = tmp_path / "m.xlsm"
    got = CliRunner().invoke(main, ["macros", "build", "-o", str(out), "--set", setting])
    assert got.exit_code == 2, got.output
    assert said in got.output
    assert not out.exists()


def test_set_values_that_read_well_are_kept_and_paths_are_not_looked_at(
    tmp_path: Path,
) -> None:
    """A folder on the manager's computer need not exist where the workbook is built; an
    as-of before the period is wrong only when both are given (else: today, when used)."""
    runner = CliRunner()
    good = ["period=2026-11", "as_of=2026-11-30", "oral=0.9", "chase=否 no", "split_by=团队"]
    args = ["macros", "build", "-o", str(tmp_path / "m.xlsm"), "--set", "inbox=Z:/nowhere"]
    for item in good:
        args += ["--set", item]
    assert runner.invoke(main, args).exit_code == 0
    later = ["macros", "build", "-o", str(tmp_path / "n.xlsm"), "--set", "period=2099-01"]
    assert runner.invoke(main, later).exit_code == 0
    early = runner.invoke(main, [*later, "--set", "as_of=2026-11-30"])
    assert early.exit_code == 2
    assert "The as-of date 2026-11-30 is before the period 2099-01 begins" in early.output


def test_missing_olefile_says_which_extra_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "olefile", None)
    with pytest.raises(MissingExtraError, match=r"salesxl\[macros\]"):
        build_vba_project()
