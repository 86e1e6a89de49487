"""The command line as users meet it: exit codes, JSON, help texts with examples."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from salesxl.cli import main
from tests.messy_files import FILES

ISSUE_KEYS = {
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
}


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def _commands(group: click.Group, ctx: click.Context, prefix: tuple[str, ...] = ()):
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, ctx, (*prefix, name))


def test_every_command_has_help_with_an_example():
    ctx = click.Context(main)
    found = list(_commands(main, ctx))
    assert {"validate", "consolidate", "templates", "demo"} <= {p[0] for p, _ in found}
    for path, _ in [((), main), *found]:
        result = run(*path, "--help")
        assert result.exit_code == 0, path
        assert "Example:" in result.output, f"salesxl {' '.join(path)} --help has no example"


def test_readme_mentions_every_command():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for name in main.list_commands(click.Context(main)):
        assert f"salesxl {name}" in readme, name


def test_validate_clean_file_exits_0(tmp_path):
    shutil.copy(FILES / "labels_zh_only.xlsx", tmp_path)
    result = run("validate", str(tmp_path), "--today", "2026-11-24")
    assert result.exit_code == 0, result.output
    assert "1 file checked: 1 without errors" in result.output


def test_validate_errors_exit_1_and_json_is_the_issue_list(tmp_path):
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
        "--today",
        "2026-11-24",
    )
    assert result.exit_code == 1
    issues = json.loads(result.output)
    assert isinstance(issues, list) and all(set(i) == ISSUE_KEYS for i in issues)
    codes = {(Path(i["file"]).name, i["code"]) for i in issues}
    assert ("truncated.xlsx", "unreadable") in codes and ("encrypted.xlsx", "encrypted") in codes
    assert ("value_spellings.xlsx", "wrong_period") in codes  # one bad file never stops the rest
    assert ("labels_zh_only.xlsx", "wrong_period") in codes


def test_validate_text_table_groups_by_file(tmp_path):
    shutil.copy(FILES / "uncalculated.xlsx", tmp_path)
    result = run("validate", str(tmp_path / "uncalculated.xlsx"), "--lang", "en")
    assert result.exit_code == 0  # warnings only
    lines = result.output.splitlines()
    assert lines[0].endswith("uncalculated.xlsx  2 warnings")
    assert "日报!K8" in result.output and "formula_without_value" in result.output
    assert "Open it in Excel" in result.output and "请在 Excel" not in result.output


def test_validate_with_roster(tmp_path):
    result = run(
        "validate",
        str(FILES / "labels_zh_only.xlsx"),
        "--roster",
        str(FILES / "roster_messy.xlsx"),
        "--format",
        "json",
        "--today",
        "2026-11-24",
    )
    codes = [i["code"] for i in json.loads(result.output)]
    assert "unknown_rep" not in codes  # S001 is in the roster (written Ｓ００１ there)
    result = run(
        "validate",
        str(FILES / "labels_zh_only.xlsx"),
        "--roster",
        str(FILES / "labels_en_only.xlsx"),
    )
    assert result.exit_code == 2 and "is not a roster" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["validate"], "Missing argument"),
        (["validate", "no/such/inbox"], "does not exist"),
        (["validate", ".", "--period", "2026-13"], "not a period"),
        (["validate", ".", "--period", "November"], "not a period"),
        (["validate", ".", "--format", "xml"], "Invalid value"),
        (["validate", ".", "--today", "yesterday"], "not a date"),
        (["nosuchcommand"], "No such command"),
    ],
)
def test_usage_errors_exit_2(args, message):
    result = run(*args)
    assert result.exit_code == 2 and message in result.output


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
