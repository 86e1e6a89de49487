"""One error family (salesxl.core.errors) and its two handlers: the CLI and the Excel adapter."""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import salesxl
from salesxl.cli import cli_error, main
from salesxl.core.calendar import CalendarNotCoveredError, Workdays
from salesxl.core.errors import SalesxlError
from salesxl.excel.adapter import error_message
from salesxl.excel.settings import SETTINGS_SHEET, SettingsError
from salesxl.intake.roster import RosterError
from salesxl.store import StoreError
from salesxl.targets import TargetsError
from salesxl.write.xlsx import OutputError, check_output

PACKAGE = Path(salesxl.__file__).parent


def _salesxl_exceptions() -> list[type[BaseException]]:
    found = []
    for info in pkgutil.walk_packages([str(PACKAGE)], "salesxl."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, BaseException) and cls.__module__ == info.name:
                found.append(cls)
    return found


def test_every_exception_of_the_package_is_a_salesxl_error_named_error():
    found = _salesxl_exceptions()
    assert len(found) >= 12  # the walk found the family, not nothing
    for cls in found:
        assert issubclass(cls, SalesxlError), f"{cls.__module__}.{cls.__name__}"
        assert cls.__name__.endswith("Error"), f"{cls.__module__}.{cls.__name__}"
        assert cls.exit_code in (1, 2)


# A command-line flag: `--db`, `--workdays`, `-o` (not `--` alone, not "e-o").
_FLAG = re.compile(r"(?<![\w-])(--[a-z][a-z-]*|-o)\b")


def _raised_texts(path: Path) -> list[tuple[int, str]]:
    """The string pieces of every `raise X(...)` in a module, with their line."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            for piece in ast.walk(node.exc):
                if isinstance(piece, ast.Constant) and isinstance(piece.value, str):
                    out.append((node.lineno, piece.value))
    return out


def test_library_messages_name_no_command_line_flag():
    """The CLI adds its flag and the Excel adapter its Settings row, from `error.setting`."""
    front_ends = {PACKAGE / "cli", PACKAGE / "excel" / "adapter.py"}
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if any(path == f or f in path.parents for f in front_ends):
            continue
        for line, text in _raised_texts(path):
            if _FLAG.search(text):
                offenders.append(f"{path.relative_to(PACKAGE)}:{line}: {text!r}")
    assert not offenders, "\n".join(offenders)


def test_the_base_carries_both_languages_the_hint_and_the_setting():
    error = SalesxlError("中文", "English", hint_zh="提示", hint_en="hint", setting="roster")
    assert (error.message_zh, error.message_en, error.hint_zh, error.hint_en) == (
        "中文",
        "English",
        "提示",
        "hint",
    )
    assert str(error) == "English; hint" and error.setting == "roster" and error.exit_code == 1
    with pytest.raises(ValueError, match="unknown setting"):
        SalesxlError("x", "x", setting="--roster")


def test_errors_keep_the_builtin_bases_callers_catch():
    assert issubclass(TargetsError, ValueError) and issubclass(CalendarNotCoveredError, ValueError)
    with pytest.raises(CalendarNotCoveredError) as caught:
        Workdays().is_workday(dt.date(1980, 6, 2))
    assert caught.value.setting == "workdays" and "1980" in caught.value.message_zh


# -- the CLI handler --------------------------------------------------------------------------


@click.command()
@click.option("--roster")
@click.option("-o", "--output", default="out.xlsx")
def _command(roster: str | None, output: str) -> None:
    raise _RAISE[0]


_RAISE: list[SalesxlError] = []


def _run(error: SalesxlError, *args: str) -> click.testing.Result:
    from salesxl.cli import _in_context

    _RAISE[:] = [error]
    return CliRunner().invoke(_in_context(_command), list(args))


def test_cli_a_bad_value_of_a_given_option_is_a_usage_error_on_it():
    error = RosterError("x.xlsx 不是花名册", "x.xlsx is not a roster", setting="roster")
    result = _run(error, "--roster", "x.xlsx")
    assert result.exit_code == 2
    assert "Invalid value for '--roster'" in result.output
    assert "x.xlsx 不是花名册" in result.output and "x.xlsx is not a roster" in result.output
    assert "Usage:" in result.output  # click's usage error, with the command's usage line


def test_cli_a_bad_value_of_an_option_not_given_exits_with_the_error_code():
    """The roster came from elsewhere (the store): no option to blame, the work failed."""
    result = _run(RosterError("不是花名册", "not a roster", setting="roster"))
    assert result.exit_code == 1 and "Invalid value" not in result.output
    assert "不是花名册" in result.output and "not a roster" in result.output


def test_cli_names_the_option_in_the_hint():
    error = OutputError(
        "无法保存", "cannot save", hint_zh="另选", hint_en="choose", setting="output"
    )
    result = _run(error)
    assert result.exit_code == 1
    assert "提示：另选（-o/--output）" in result.output
    assert "Hint: choose (-o/--output)" in result.output


def test_cli_a_setting_the_command_has_no_option_for_is_named_by_no_flag():
    error = StoreError("数据库错误", "database error", hint_zh="检查", hint_en="check it")
    result = _run(error)
    assert result.exit_code == 1 and "Hint: check it" in result.output and "--" not in result.output


def test_cli_error_without_a_context_still_gives_both_languages():
    failure = cli_error(SalesxlError("中文", "English"))
    assert isinstance(failure, click.ClickException) and failure.exit_code == 1
    assert failure.format_message() == "中文\nEnglish"


def test_a_locked_output_from_the_real_command(tmp_path):
    (tmp_path / "~$summary.xlsx").write_bytes(b"lock")
    box = tmp_path / "inbox"
    box.mkdir()
    result = CliRunner().invoke(
        main, ["consolidate", str(box), "--period", "2026-11", "-o", str(tmp_path / "summary.xlsx")]
    )
    assert result.exit_code == 1
    assert "无法保存汇总文件" in result.output and "open in Excel" in result.output


@pytest.mark.parametrize(
    ("lock", "app"),
    [
        ("~$月汇总_2026-11.xlsx", "Excel"),
        ("~$总_2026-11.xlsx", "Excel"),  # Excel drops a long name's first two characters
        (".~lock.月汇总_2026-11.xlsx#", "LibreOffice"),
    ],
)
def test_an_output_open_in_any_spreadsheet_app_is_left_alone(tmp_path, lock, app):
    box = tmp_path / "inbox"
    box.mkdir()
    target = tmp_path / "月汇总_2026-11.xlsx"
    assert (
        CliRunner()
        .invoke(main, ["consolidate", str(box), "--period", "2026-11", "-o", str(target)])
        .exit_code
        == 0
    )
    before = target.read_bytes()
    (tmp_path / lock).write_bytes(b"owner")
    result = CliRunner().invoke(
        main, ["consolidate", str(box), "--period", "2026-11", "-o", str(target)]
    )
    assert result.exit_code == 1, result.output
    assert f"is open in {app} (lock file {lock} exists)" in result.output
    assert f"正在 {app} 中打开" in result.output
    assert target.read_bytes() == before


# -- the Excel adapter's handler --------------------------------------------------------------


def test_excel_names_the_settings_row_to_change():
    text = error_message(
        StoreError(
            "无法连接数据库", "cannot connect", hint_zh="请检查地址", hint_en="check the URL"
        )
    )
    lines = text.splitlines()
    assert lines[:2] == ["无法连接数据库", "cannot connect"]
    assert f"提示：请检查地址（「{SETTINGS_SHEET}」表中的「数据库」）" in lines
    assert f"Hint: check the URL (the 'Database URL' row of the {SETTINGS_SHEET} sheet)" in lines
    assert "--db" not in text


def test_excel_points_to_the_command_line_for_a_setting_it_has_no_row_for():
    try:
        Workdays().is_workday(dt.date(1980, 6, 2))
    except CalendarNotCoveredError as error:
        text = error_message(error)
    assert "1980" in text and "工作日 Workdays" in text and "--workdays" in text


def test_excel_settings_errors_list_every_problem_in_both_languages():
    text = error_message(
        SettingsError([("请填写「收件箱」。", "Fill in 'Inbox folder'."), ("甲", "A")])
    )
    assert text.splitlines() == [
        "设置有误，请修改「设置 Settings」表：",
        "• 请填写「收件箱」。",
        "• 甲",
        "The settings need fixing:",
        "• Fill in 'Inbox folder'.",
        "• A",
    ]


def test_check_output_says_which_file_in_chinese(tmp_path):
    (tmp_path / "~$t.xlsx").write_bytes(b"lock")
    with pytest.raises(OutputError) as caught:
        check_output(tmp_path / "t.xlsx", "目标文件")
    assert caught.value.message_zh.startswith("无法保存目标文件")
    assert "open in Excel" in caught.value.message_en
