"""The command line as users meet it (salesxl/cli/): exit codes, JSON output, folders,
help texts with examples, the deprecated --today."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from conftest import FILES, GOOD_ROW, write_daily, write_xlsx

from salesxl.cli import main
from salesxl.forms import FORMS
from tests.make_files import SPECS

ISSUE_KEYS = [
    "file",
    "sheet",
    "cell",
    "row",
    "column",
    "code",
    "severity",
    "message_zh",
    "message_en",
    "value",
]


def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def issues_json(result: click.testing.Result) -> list[dict]:
    """The issues of `validate --format json`'s report (nothing but JSON on stdout)."""
    report = json.loads(result.stdout)
    assert list(report) == ["valid", "stats", "issues"]
    assert report["valid"] == (result.exit_code == 0)
    return report["issues"]


@pytest.fixture
def good(tmp_path: Path) -> Path:
    return write_daily(tmp_path / "good.xlsx", [GOOD_ROW])


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    return write_daily(tmp_path / "bad.xlsx", [{**GOOD_ROW, "stage": "8"}])


@pytest.fixture
def roster(tmp_path: Path) -> Path:
    return write_xlsx(
        tmp_path / "roster.xlsx", {"花名册": [["工号", "姓名", "区域"], ["S002", "李娜", "华东"]]}
    )


# ----------------------------------------------------------------------------
# validate: exit codes
# ----------------------------------------------------------------------------


@pytest.mark.parametrize("source", ["written from the form", "a real file, zh labels only"])
def test_no_errors_exit_0(good, tmp_path, source):
    if source != "written from the form":
        good = tmp_path / "messy" / "labels_zh_only.xlsx"
        good.parent.mkdir()
        shutil.copy(FILES / good.name, good)
    result = run("validate", str(good), "--as-of", "2026-11-24")
    assert result.exit_code == 0, result.output
    assert "1 file checked: 1 without errors" in result.stdout


def test_validate_today_is_a_hidden_old_name_of_as_of(tmp_path):
    shutil.copy(FILES / "labels_zh_only.xlsx", tmp_path)
    old = CliRunner().invoke(main, ["validate", str(tmp_path), "--today", "2026-11-24"])
    assert old.exit_code == 0 and "1 file checked: 1 without errors" in old.stdout
    assert "deprecated" in old.stderr and "--as-of" in old.stderr
    help_text = run("validate", "--help").output
    assert "--as-of" in help_text and "--today" not in help_text
    both = CliRunner().invoke(
        main, ["validate", str(tmp_path), "--as-of", "2026-11-24", "--today", "2026-11-25"]
    )
    assert both.exit_code == 2 and "--as-of only" in both.output
    # One name for "the day to judge at" across the commands.
    assert "--as-of" in run("consolidate", "--help").output


def test_warnings_alone_exit_0(tmp_path):
    path = write_daily(tmp_path / "w.xlsx", [{**GOOD_ROW, "phone": "12345"}])
    result = run("validate", str(path), "--as-of", "2026-11-24", "--format", "json")
    assert result.exit_code == 0
    assert [i["code"] for i in issues_json(result)] == ["phone_format"]


def test_errors_exit_1_and_say_where(bad):
    result = run("validate", str(bad), "--as-of", "2026-11-24")
    assert result.exit_code == 1
    assert "日报!G6" in result.stdout and "not_in_list" in result.stdout
    assert "销售阶段「8」不是可选值" in result.stdout and "Choose one of" in result.stdout


@pytest.mark.parametrize(
    ("lang", "present", "absent"),
    [("zh", "不是可选值", "Choose one of"), ("en", "Choose one of", "不是可选值")],
)
def test_message_language(bad, lang, present, absent):
    result = run("validate", str(bad), "--as-of", "2026-11-24", "--lang", lang)
    assert present in result.stdout and absent not in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["validate"], "Missing argument"),  # no path
        (["validate", "does/not/exist.xlsx"], "does not exist"),
        (["validate", "{good}", "--period", "2026-13"], "not a period"),
        (["validate", "{good}", "--period", "November"], "not a period"),
        (["validate", "{good}", "--as-of", "tomorrow"], "not a date"),
        (["validate", "{good}", "--format", "xml"], "Invalid value"),
        (["validate", "{good}", "--roster", "no_roster.xlsx"], "does not exist"),
        (["validate", "{good}", "--roster", "{good}"], "is not a roster"),  # a daily report
        (["validate", "{good}", "--workers", "0"], "Invalid value"),
        (["nosuchcommand"], "No such command"),
    ],
)
def test_usage_errors_exit_2(good, args, message):
    result = run(*[a.format(good=good) for a in args])
    assert result.exit_code == 2, result.output
    assert "Error" in result.stderr and message in result.stderr
    assert "Traceback" not in result.output


def test_bad_period_says_how_to_write_it(good):
    result = run("validate", str(good), "--period", "2026-13")
    assert "write a month as 2026-11 or a week as 2026-W48" in result.stderr


def test_not_a_roster_says_why(good):
    result = run("validate", str(good), "--roster", str(good))
    assert "--roster" in result.stderr and "is not a roster" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["templates", "build", "-o", "{out}"],
        ["forms", "issue", "--roster", "{roster}", "--period", "2026-12", "-o", "{out}"],
        ["return", "{good}", "--period", "2026-11", "-o", "{out}"],
        ["demo", "--reps", "6", "-o", "{out}"],
    ],
)
def test_a_folder_option_given_a_workbooks_name_is_refused(tmp_path, good, roster, args):
    # `-o returns.xlsx` would make a folder called returns.xlsx: said before any work.
    out = tmp_path / "returns.xlsx"
    values = {"out": str(out), "good": str(good), "roster": str(roster)}
    result = run(*[a.format(**values) for a in args])
    assert result.exit_code == 2, result.output
    assert "returns.xlsx is a file's name, but this option names the folder" in result.stderr
    assert "give a folder such as returns/" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    "args",
    [
        ["return", "{empty}", "-o", "{out}"],
        ["scorecards", "{empty}", "--period", "2026-11", "-o", "{out}"],
    ],
)
def test_an_empty_inbox_is_said_not_a_quiet_zero(tmp_path, args):
    # A folder typed wrong (the reports are one level down): not "0 files checked" alone.
    empty = tmp_path / "inbox"
    (empty / "2026-11").mkdir(parents=True)
    values = {"empty": str(empty), "out": str(tmp_path / "out")}
    result = run(*[a.format(**values) for a in args])
    assert result.exit_code == 0, result.output
    assert f"  warning 警告: 在 {empty} 中没有找到表单文件" in result.output
    assert f"  No form files (.xlsx .xlsm .xls .csv) found in {empty}." in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["templates", "build", "-o", "{out}"],
        ["forms", "issue", "--roster", "{roster}", "--period", "2026-12", "-o", "{out}"],
        ["return", "{good}", "--period", "2026-11", "-o", "{out}"],
        ["scorecards", "{good}", "--period", "2026-11", "-o", "{out}"],
        ["demo", "--reps", "6", "-o", "{out}"],
    ],
)
def test_a_folder_that_cannot_be_written_is_said_before_the_work(tmp_path, good, roster, args):
    # notes.txt is a file, so no folder can be made under it (as with a read-only share):
    # a clear error naming the folder, not a traceback after reading the inbox.
    (tmp_path / "notes.txt").write_text("x")
    out = tmp_path / "notes.txt" / "out"
    values = {"out": str(out), "good": str(good), "roster": str(roster)}
    result = CliRunner().invoke(main, [a.format(**values) for a in args])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"{out}: cannot create the folder or write into it (Not a directory)" in result.output
    assert "Hint: choose a folder you can write to, or check its permissions" in result.output


def test_a_form_given_as_another_says_what_it_is_not_its_first_warning(tmp_path, good):
    # A daily report with a short phone number (a warning at G6) given as the roster, and
    # as the targets: the file is a daily report; its phone is not why it is no roster.
    report = write_daily(tmp_path / "report.xlsx", [{**GOOD_ROW, "phone": "1381234"}])
    for args, wanted in (
        (["validate", str(good), "--roster", str(report)], "is not a roster: "),
        (["targets", "split", str(report)], "is not a targets input ("),
        (["targets", "explain", str(report), "S001"], "is not a targets workbook from"),
    ):
        result = run(*args)
        assert result.exit_code in (1, 2) and wanted in result.stderr, result.stderr
        assert "it is a Daily report form (日报)" in result.stderr
        assert "它是「日报」表单" in result.stderr
        assert "1381234" not in result.stderr and "Phone" not in result.stderr


# ----------------------------------------------------------------------------
# validate: JSON, roster, period, folders
# ----------------------------------------------------------------------------


def test_json_is_exactly_the_list_of_issues(bad):
    result = run("validate", str(bad), "--as-of", "2026-11-24", "--format", "json")
    issues = issues_json(result)  # nothing but JSON on stdout
    assert [list(i) for i in issues] == [ISSUE_KEYS]
    assert issues == [
        {
            "file": str(bad),
            "sheet": "日报",
            "cell": "G6",
            "row": 6,
            "column": "销售阶段 Stage",
            "code": "not_in_list",
            "severity": "error",
            "message_zh": issues[0]["message_zh"],
            "message_en": issues[0]["message_en"],
            "value": "8",
        }
    ]
    assert "8" in issues[0]["message_zh"] and "8" in issues[0]["message_en"]


def test_json_of_a_clean_file_is_an_empty_list(good):
    result = run("validate", str(good), "--as-of", "2026-11-24", "--format", "json")
    assert result.exit_code == 0 and issues_json(result) == []


def test_json_report_counts_files_and_issues(tmp_path, good, bad):
    """Three files: good.xlsx clean; bad.xlsx one error (stage 8); odd.xlsx two warnings."""
    odd = write_daily(
        tmp_path / "odd.xlsx",
        [{**GOOD_ROW, "phone": "1381234"}, {**GOOD_ROW, "customer": "前海物流", "phone": "12"}],
    )
    result = run(
        "validate", str(good), str(bad), str(odd), "--as-of", "2026-11-24", "--format", "json"
    )
    report = json.loads(result.stdout)
    assert result.exit_code == 1 and report["valid"] is False
    assert report["stats"] == {
        "files": 3,
        "files_with_errors": 1,  # bad.xlsx; odd.xlsx has warnings only
        "issues": 3,  # 1 + 0 + 2
        "by_severity": {"error": 1, "warning": 2, "info": 0},
        "by_code": {"not_in_list": 1, "phone_format": 2},
    }
    assert [(Path(i["file"]).name, i["code"]) for i in report["issues"]] == [
        ("bad.xlsx", "not_in_list"),
        ("odd.xlsx", "phone_format"),
        ("odd.xlsx", "phone_format"),
    ]
    warnings_only = run("validate", str(odd), "--as-of", "2026-11-24", "--format", "json")
    assert warnings_only.exit_code == 0 and json.loads(warnings_only.stdout)["valid"] is True


def test_json_list_is_the_bare_list_of_issues(bad):
    """`--format json-list` keeps what `--format json` printed before the report."""
    listed = run("validate", str(bad), "--as-of", "2026-11-24", "--format", "json-list")
    report = run("validate", str(bad), "--as-of", "2026-11-24", "--format", "json")
    assert listed.exit_code == report.exit_code == 1
    assert json.loads(listed.stdout) == json.loads(report.stdout)["issues"]
    assert [i["code"] for i in json.loads(listed.stdout)] == ["not_in_list"]


def test_json_values_are_json_types(tmp_path):
    path = write_daily(
        tmp_path / "f.xlsx",
        [{**GOOD_ROW, "date": "2026-10-30", "next_followup": "2026-11-01", "qty": 2.5}],
    )
    issues = issues_json(run("validate", str(path), "--as-of", "2026-11-24", "--format", "json"))
    assert [(i["code"], i["value"]) for i in issues] == [
        ("out_of_range", "2026-10-30"),
        ("amount_mismatch", 3000),
    ]


def test_roster_gives_unknown_rep(good, roster):
    result = run(
        "validate", str(good), "--roster", str(roster), "--format", "json", "--as-of", "2026-11-24"
    )
    assert result.exit_code == 1
    (issue,) = issues_json(result)
    assert (issue["code"], issue["cell"], issue["column"], issue["value"]) == (
        "unknown_rep",
        "D2",
        "工号 Rep ID",
        "S001",
    )


def test_roster_errors_are_listed_once_even_when_the_roster_is_checked_too(good, tmp_path):
    roster = write_xlsx(
        tmp_path / "roster.xlsx",
        {
            "花名册": [
                ["工号", "姓名", "区域"],
                ["S001", "张伟", "华东"],
                ["S001", "李娜", "华东"],
                [None, "王五", "华南"],
            ]
        },
    )
    alone = issues_json(run("validate", str(good), "--roster", str(roster), "--format", "json"))
    assert [(Path(i["file"]).name, i["code"], i["cell"]) for i in alone] == [
        ("roster.xlsx", "duplicate_row", "A3"),
        ("roster.xlsx", "required", "A4"),
    ]
    both = issues_json(
        run("validate", str(good), str(roster), "--roster", str(roster), "--format", "json")
    )
    assert [(Path(i["file"]).name, i["code"], i["cell"]) for i in both] == [
        ("roster.xlsx", "duplicate_row", "A3"),
        ("roster.xlsx", "required", "A4"),
    ]
    text = run("validate", str(good), "--roster", str(roster), "--lang", "en").stdout
    assert (
        text.count("roster.xlsx") == 1 and "1 file checked: 1 without errors, 0 with errors" in text
    )
    assert "A3" in text and "A4" in text


def test_period_gives_wrong_period(good):
    result = run(
        "validate", str(good), "--period", "2026-12", "--format", "json", "--as-of", "2026-11-24"
    )
    assert result.exit_code == 1
    (issue,) = issues_json(result)
    assert (issue["code"], issue["cell"], issue["value"]) == ("wrong_period", "B3", "2026-11")
    week = run("validate", str(good), "--period", "2026-W45", "--as-of", "2026-11-24")
    assert week.exit_code == 0  # a week inside the month


def test_folders_are_searched_recursively_and_one_bad_file_stops_nothing(tmp_path):
    (tmp_path / "east" / "team1").mkdir(parents=True)
    write_daily(tmp_path / "east" / "team1" / "a.xlsx", [GOOD_ROW])
    write_daily(tmp_path / "east" / "b.xlsx", [{**GOOD_ROW, "stage": "8"}])
    (tmp_path / "east" / "team1" / "broken.xlsx").write_bytes(b"PK\x03\x04garbage")
    (tmp_path / "east" / "team1" / "~$a.xlsx").write_bytes(b"\x05owner")
    write_daily(tmp_path / "z.xlsx", [GOOD_ROW])
    result = run("validate", str(tmp_path), "--format", "json", "--as-of", "2026-11-24")
    assert result.exit_code == 1
    found = {(Path(i["file"]).name, i["code"]) for i in issues_json(result)}
    assert found == {
        ("b.xlsx", "not_in_list"),
        ("broken.xlsx", "unreadable"),
        ("~$a.xlsx", "skipped"),  # the lock file is not read, and the report says so
    }
    text = run("validate", str(tmp_path), "--as-of", "2026-11-24").stdout
    assert "4 files checked: 2 without errors, 2 with errors" in text
    # the lock file is not among the files checked, and the count says it was not read
    assert "(2 errors, 0 warnings, 1 info); 1 path not read (lock files" in text
    assert "共检查 4 个文件" in text and "；另有 1 个未读取" in text
    for name in ("a.xlsx", "b.xlsx", "broken.xlsx", "z.xlsx"):
        assert name in text


def test_the_files_folder_as_one_inbox(tmp_path):
    """A copy of tests/files/ validated at once: each file gets its own spec's issues."""
    inbox = tmp_path / "inbox"
    shutil.copytree(FILES, inbox)
    result = run(
        "validate", str(inbox), "--format", "json", "--as-of", "2026-11-24", "--workers", "2"
    )
    assert result.exit_code == 1
    found: dict[str, dict[str, str]] = {}  # file -> code -> severity
    for issue in issues_json(result):
        name = str(Path(issue["file"]).relative_to(inbox))
        found.setdefault(name, {})[issue["code"]] = issue["severity"]
    for spec in SPECS:
        codes = found.pop(spec.name, {})
        if spec.skipped:  # not read, only said to be skipped (a lock file, a hidden file)
            assert codes == {"skipped": "info"}, spec.name
        elif spec.note:
            assert set(codes) == {"unknown_form"}, spec.name
        elif spec.partial:
            errors = {code for code, severity in codes.items() if severity == "error"}
            assert set(spec.codes) <= set(codes) and errors <= set(spec.codes), spec.name
        else:
            assert set(codes) == {code for code, _ in spec.issues}, spec.name
    assert not found  # no file without a spec


def test_real_files_in_a_folder_one_bad_file_stops_nothing(tmp_path):
    for name in ("labels_zh_only.xlsx", "truncated.xlsx", "encrypted.xlsx"):
        shutil.copy(FILES / name, tmp_path)
    (tmp_path / "sub").mkdir()
    shutil.copy(FILES / "value_spellings.xlsx", tmp_path / "sub")  # folders are recursive
    result = run(
        "validate",
        str(tmp_path),
        "--format",
        "json",
        "--period",
        "2026-10",
        "--as-of",
        "2026-11-24",
    )
    assert result.exit_code == 1
    issues = issues_json(result)
    assert isinstance(issues, list) and all(list(i) == ISSUE_KEYS for i in issues)
    codes = {(Path(i["file"]).name, i["code"]) for i in issues}
    assert ("truncated.xlsx", "unreadable") in codes and ("encrypted.xlsx", "encrypted") in codes
    assert ("value_spellings.xlsx", "wrong_period") in codes  # one bad file never stops the rest
    assert ("labels_zh_only.xlsx", "wrong_period") in codes


def test_text_table_groups_by_file(tmp_path):
    shutil.copy(FILES / "uncalculated.xlsx", tmp_path)
    result = run("validate", str(tmp_path / "uncalculated.xlsx"), "--lang", "en")
    # K8 is the 金额 of a 成交 row, which the form requires there: an error (exit 1)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].endswith("uncalculated.xlsx  1 error, 1 warning")
    assert lines[1].split() == ["error", "日报!K8", "formula_without_value", "金额", "Amount"]
    assert "Open the file in Excel or WPS" in result.output
    assert "Open it in Excel" in result.output and "请在 Excel" not in result.output


def test_a_roster_id_written_full_width_still_matches():
    result = run(
        "validate",
        str(FILES / "labels_zh_only.xlsx"),
        "--roster",
        str(FILES / "roster_messy.xlsx"),
        "--format",
        "json",
        "--as-of",
        "2026-11-24",
    )
    codes = [i["code"] for i in issues_json(result)]
    assert "unknown_rep" not in codes  # S001 is in the roster (written Ｓ００１ there)


def test_an_empty_folder_says_so(tmp_path):
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "~$x.xlsx").write_bytes(b"x")  # a lock file is not a form
    result = run("validate", str(tmp_path / "inbox"), "--format", "json")
    assert result.exit_code == 0
    skipped, empty = issues_json(result)
    assert (skipped["code"], skipped["severity"]) == ("skipped", "info")  # the lock file
    assert (empty["code"], empty["severity"], empty["file"]) == (
        "no_forms",
        "warning",
        str(tmp_path / "inbox"),
    )
    assert "没有找到表单文件" in empty["message_zh"] and "No form files" in empty["message_en"]
    strict = run("validate", str(tmp_path / "inbox"), "--strict", "--lang", "en")
    assert strict.exit_code == 1
    assert "0 files checked" in strict.stdout and "(0 errors, 1 warning, 1 info)" in strict.stdout


def test_an_empty_inbox_is_a_warning_and_fails_strict_consolidation(tmp_path):
    (tmp_path / "inbox").mkdir()
    args = ["consolidate", str(tmp_path / "inbox"), "--period", "2026-11", "--as-of", "2026-11-24"]
    result = run(*args, "-o", str(tmp_path / "s.xlsx"))
    assert result.exit_code == 0  # the workbook is still written, saying why it is empty
    assert "0 reps" in result.stdout and "1 warning" in result.stdout
    assert "没有找到表单文件" in result.stdout and "No form files" in result.stdout
    strict = run(*args, "-o", str(tmp_path / "s.xlsx"), "--strict")
    assert strict.exit_code == 1
    # A folder of files none of which is a rep form is empty too.
    write_xlsx(tmp_path / "inbox" / "roster.xlsx", {"花名册": [["工号", "姓名"], ["S001", "张伟"]]})
    strict = run(*args, "-o", str(tmp_path / "s.xlsx"), "--strict", "--lang", "en")
    assert (
        strict.exit_code == 1
        and "None of the files in" in strict.stdout
        and "(1) is a rep form" in strict.stdout
    )


@pytest.mark.parametrize(
    ("lang", "lines"),
    [
        ("en", ["1 file checked: 1 without errors, 0 with errors (0 errors, 1 warning, 0 info)"]),
        ("zh", ["共检查 1 个文件：1 个无错误，0 个有错误（错误 0 个，警告 1 个，提示 0 个）"]),
        (
            "both",
            [
                "共检查 1 个文件：1 个无错误，0 个有错误（错误 0 个，警告 1 个，提示 0 个）",
                "1 file checked: 1 without errors, 0 with errors (0 errors, 1 warning, 0 info)",
            ],
        ),
    ],
)
def test_counts_are_said_in_the_language_asked_with_plurals(tmp_path, lang, lines):
    path = write_daily(tmp_path / "w.xlsx", [{**GOOD_ROW, "phone": "12345"}])  # one warning
    result = run("validate", str(path), "--as-of", "2026-11-24", "--lang", lang)
    assert result.stdout.rstrip("\n").split("\n")[-len(lines) :] == lines
    status = {"en": "1 warning", "zh": "1 个警告", "both": "1 warning"}[lang]
    assert f"w.xlsx  {status}" in result.stdout


def test_several_paths_and_a_file_given_twice(good, bad):
    result = run(
        "validate",
        str(good),
        str(bad),
        str(bad),
        str(bad.parent),
        "--format",
        "json",
        "--as-of",
        "2026-11-24",
    )
    assert [Path(i["file"]).name for i in issues_json(result)] == ["bad.xlsx"]


# ----------------------------------------------------------------------------
# templates
# ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_templates_build(tmp_path, lang):
    result = run("templates", "build", "-o", str(tmp_path / "out"), "--lang", lang)
    assert result.exit_code == 0
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == sorted(f.filename for f in FORMS.values())
    assert result.stdout.count("wrote ") == len(FORMS)
    check = run("validate", str(tmp_path / "out"), "--format", "json")
    assert {i["code"] for i in issues_json(check)} <= {"missing_header"}


def test_templates_build_into_a_file_path_is_a_usage_error(tmp_path):
    target = tmp_path / "file.xlsx"
    target.write_bytes(b"x")
    assert run("templates", "build", "-o", str(target)).exit_code == 2


# ----------------------------------------------------------------------------
# Every command's help has an example (walks the group, so new commands are covered)
# ----------------------------------------------------------------------------


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
        if isinstance(command, click.Group):
            found += _commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


COMMANDS = _commands(main)


def test_the_walk_finds_the_known_commands():
    assert {("validate",), ("templates",), ("templates", "build")} <= set(COMMANDS)


def test_readme_mentions_every_command():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for name in main.list_commands(click.Context(main)):
        assert f"salesxl {name}" in readme, name


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "salesxl")
def test_every_command_help_has_an_example(path):
    result = run(*path, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.stdout, f"`salesxl {' '.join(path)} --help` has no Example: block"
    example = result.stdout.split("Example:", 1)[1]
    assert "salesxl" in example


def test_text_table_columns_line_up_with_chinese_sheet_names(tmp_path):
    import unicodedata

    shutil.copy(FILES / "daily_uncalculated.xlsx", tmp_path / "a.xlsx")
    write_xlsx(
        tmp_path / "b.xlsx",
        {
            "Sheet1": [
                ["销售员", "张伟", "工号", "S001"],
                ["月份", "2026-11"],
                ["日期", "客户名称", "销售阶段", "金额", "微信"],
            ]
        },
    )
    out = run("validate", str(tmp_path), "--lang", "en").stdout
    lines = [
        line
        for line in out.splitlines()
        if "formula_without_value" in line or "extra_column" in line
    ]
    # D3, K7 (a quote), K8:K9 (one issue for the run of 成交 cells), E3
    assert len(lines) == 4

    def column(line: str) -> int:
        head = line.split("formula_without_value")[0].split("extra_column")[0]
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in head)

    assert len({column(line) for line in lines}) == 1


def test_python_dash_m_and_the_console_script():
    done = subprocess.run(
        [sys.executable, "-m", "salesxl", "--version"], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "salesxl, version 0.1.0"
    script = Path(sys.executable).with_name("salesxl")
    if script.exists():
        done = subprocess.run(
            [str(script), "validate", str(FILES / "truncated.xlsx")], capture_output=True, text=True
        )
        assert done.returncode == 1 and "unreadable" in done.stdout
