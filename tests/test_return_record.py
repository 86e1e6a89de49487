"""退回记录 A rerun of `salesxl return` into the same folder (salesxl.write.return_record).

Two reps of 华东/上海一组 hand in November daily reports, each with one error (a stage
"8 已成交" not in the list).  The first run returns both; then 张伟 fixes his file, and
the next run must take his copy back, leave 李娜's, and touch no file it did not write.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from salesxl.cli import main
from salesxl.core.issues import Code, make_issue
from salesxl.write import return_record
from salesxl.write.return_record import OUTDATED_FOLDER, RECORD_NAME
from salesxl.write.returns import return_copies, return_inbox
from tests.conftest import TODAY
from tests.test_returns import CTX, FILES, NOVEMBER, _report

TEAM = Path("华东") / "上海一组"
LI_NA = {"rep_name": "李娜", "rep_id": "S002"}
SPOILED = [(3, "stage", "8 已成交")]  # one error: not in the stage list


def _inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _report(inbox / "张伟_日报.xlsx", {}, SPOILED)
    _report(inbox / "李娜_日报.xlsx", LI_NA, SPOILED)
    return inbox


def _fix(inbox: Path, name: str, header: dict) -> None:
    _report(inbox / name, header, [])


def _run(inbox: Path, out: Path, day: dt.date = TODAY):
    return return_inbox([inbox], out, period=NOVEMBER, today=day)


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def _copy(stem: str, day: dt.date = TODAY) -> str:
    return f"{TEAM.as_posix()}/{stem}_退回_{day:%Y-%m-%d}.xlsx"


def _list(day: dt.date = TODAY) -> list[str]:
    return [
        f"退回清单_{day:%Y-%m-%d}.xlsx",
        f"{TEAM.as_posix()}/退回清单_上海一组_{day:%Y-%m-%d}.xlsx",
    ]


def test_a_rerun_removes_the_copy_of_a_file_fixed_since_and_keeps_the_others(
    tmp_path: Path,
) -> None:
    inbox, out = _inbox(tmp_path), tmp_path / "returns"
    first = _run(inbox, out)
    assert _files(out) == {_copy("张伟_日报"), _copy("李娜_日报"), *_list(), RECORD_NAME}
    record = json.loads((out / RECORD_NAME).read_text(encoding="utf-8"))
    assert set(record["files"]) == {_copy("张伟_日报"), _copy("李娜_日报"), *_list()}
    assert record["files"][_copy("张伟_日报")]["rep"] == "S001 张伟"
    assert first.tidied is not None and not first.tidied.removed
    # Files the leader put there: one of their own, one named like a copy but never written
    # by this command (an older version's, say): neither is touched.
    (out / TEAM / "组长备注.xlsx").write_bytes(b"leader's own")
    (out / TEAM / "王五_日报_退回_2026-11-02.xlsx").write_bytes(b"old, unrecorded")

    _fix(inbox, "张伟_日报.xlsx", {})
    second = _run(inbox, out)
    assert [f.rep_id for f in second.files] == ["S002"]  # only 李娜 goes back
    assert second.tidied is not None
    assert [(t.path, t.why) for t in second.tidied.removed] == [(out / _copy("张伟_日报"), "fixed")]
    assert not second.tidied.moved and not second.tidied.kept
    assert second.tidied.unrecorded == [out / TEAM / "王五_日报_退回_2026-11-02.xlsx"]
    assert _files(out) == {
        _copy("李娜_日报"),
        *_list(),
        RECORD_NAME,
        f"{TEAM.as_posix()}/组长备注.xlsx",
        f"{TEAM.as_posix()}/王五_日报_退回_2026-11-02.xlsx",
    }
    assert (out / TEAM / "组长备注.xlsx").read_bytes() == b"leader's own"
    # The return list says one file goes back: 李娜's.
    listed = openpyxl.load_workbook(out / _list()[0]).active
    assert listed["A2"].value.endswith("1 file goes back, 1 error in all")
    assert listed["C5"].value == "S002" and listed["C6"].value is None
    record = json.loads((out / RECORD_NAME).read_text(encoding="utf-8"))
    assert set(record["files"]) == {_copy("李娜_日报"), *_list()}


def test_a_rerun_on_a_later_day_leaves_only_the_latest_copy_and_lists(tmp_path: Path) -> None:
    inbox, out = _inbox(tmp_path), tmp_path / "returns"
    _run(inbox, out)
    _fix(inbox, "张伟_日报.xlsx", {})
    later = TODAY + dt.timedelta(days=2)
    result = _run(inbox, out, later)
    assert result.tidied is not None
    assert sorted((t.path.relative_to(out).as_posix(), t.why) for t in result.tidied.removed) == (
        sorted(
            [
                (_copy("张伟_日报"), "fixed"),  # fixed since
                (_copy("李娜_日报"), "replaced"),  # by today's copy of the same file
                (_list()[0], "list"),
                (_list()[1], "list"),
            ]
        )
    )
    assert _files(out) == {_copy("李娜_日报", later), *_list(later), RECORD_NAME}


def test_all_fixed_the_team_folder_goes_and_the_list_says_nothing_to_return(
    tmp_path: Path,
) -> None:
    inbox, out = _inbox(tmp_path), tmp_path / "returns"
    _run(inbox, out)
    _fix(inbox, "张伟_日报.xlsx", {})
    _fix(inbox, "李娜_日报.xlsx", LI_NA)
    result = _run(inbox, out)
    assert result.files == [] and result.tidied is not None
    assert len(result.tidied.removed) == 3  # two copies and the team's list
    assert _files(out) == {_list()[0], RECORD_NAME}  # the top list: "Nothing to return"
    assert not (out / "华东").exists()  # emptied folders go too
    assert openpyxl.load_workbook(out / _list()[0]).active["A5"].value.endswith("Nothing to return")


@pytest.mark.parametrize("lock", ["~${}", ".~lock.{}#"])  # Excel and WPS; LibreOffice
def test_a_copy_open_in_excel_is_left_with_a_warning_and_removed_next_time(
    tmp_path: Path, lock: str
) -> None:
    inbox, out = _inbox(tmp_path), tmp_path / "returns"
    _run(inbox, out)
    owner = out / TEAM / lock.format(Path(_copy("张伟_日报")).name)  # the app's lock file
    owner.write_bytes(b"\x05Excel")
    _fix(inbox, "张伟_日报.xlsx", {})
    result = _run(inbox, out)
    assert result.tidied is not None and not result.tidied.removed
    (kept,) = result.tidied.kept
    assert kept.path == out / _copy("张伟_日报") and kept.path.exists()
    assert kept.error == f"open in Excel ({owner.name} is there)"
    # still recorded: closed, the next run removes it
    assert _copy("张伟_日报") in json.loads((out / RECORD_NAME).read_text("utf-8"))["files"]
    owner.unlink()
    again = _run(inbox, out)
    assert again.tidied is not None
    assert [t.path for t in again.tidied.removed] == [out / _copy("张伟_日报")]
    assert not (out / _copy("张伟_日报")).exists()


def test_a_copy_the_system_will_not_remove_is_reported_not_lost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows refuses to delete a file another program holds open (PermissionError)."""
    inbox, out = _inbox(tmp_path), tmp_path / "returns"
    _run(inbox, out)
    _fix(inbox, "张伟_日报.xlsx", {})
    held = out / _copy("张伟_日报")
    unlink = Path.unlink

    def refuse(self: Path, missing_ok: bool = False) -> None:
        if self == held:
            raise PermissionError(13, "Permission denied", str(self))
        unlink(self, missing_ok)

    monkeypatch.setattr(Path, "unlink", refuse)
    result = _run(inbox, out)
    assert result.tidied is not None
    (kept,) = result.tidied.kept
    assert (kept.path, kept.error) == (held, "Permission denied") and held.exists()


def test_a_copy_changed_since_it_was_written_is_moved_aside_not_deleted(tmp_path: Path) -> None:
    inbox, out = _inbox(tmp_path), tmp_path / "returns"
    _run(inbox, out)
    copy = out / _copy("张伟_日报")
    wb = openpyxl.load_workbook(copy)
    wb.worksheets[0]["A30"] = "组长：已电话提醒"  # the leader saved a note into it
    wb.save(copy)
    noted = copy.read_bytes()
    _fix(inbox, "张伟_日报.xlsx", {})
    result = _run(inbox, out)
    assert result.tidied is not None and not result.tidied.removed
    (moved,) = result.tidied.moved
    aside = out / OUTDATED_FOLDER / _copy("张伟_日报")
    assert moved.moved_to == aside and aside.read_bytes() == noted and not copy.exists()
    # the next run neither counts it nor touches it
    again = _run(inbox, out)
    assert again.tidied is not None and again.tidied.unrecorded == []
    assert aside.read_bytes() == noted


def test_a_record_that_cannot_be_read_removes_nothing_and_says_so(tmp_path: Path) -> None:
    inbox, out = _inbox(tmp_path), tmp_path / "returns"
    _run(inbox, out)
    (out / RECORD_NAME).write_text("{not json", encoding="utf-8")
    _fix(inbox, "张伟_日报.xlsx", {})
    result = _run(inbox, out)
    assert result.tidied is not None and result.tidied.unreadable_record
    assert not result.tidied.removed and (out / _copy("张伟_日报")).exists()
    assert result.tidied.unrecorded == [out / _copy("张伟_日报")]  # listed for the reader


def test_a_record_naming_a_path_outside_the_folder_is_never_followed(tmp_path: Path) -> None:
    inbox, out = _inbox(tmp_path), tmp_path / "returns"
    _run(inbox, out)
    victim = tmp_path / "victim.xlsx"
    victim.write_bytes(b"keep me")
    record = json.loads((out / RECORD_NAME).read_text("utf-8"))
    sha = return_record.digest(victim)
    for name in ("../victim.xlsx", str(victim), "华东/../../victim.xlsx"):
        record["files"][name] = {"sha256": sha, "kind": "copy"}
    (out / RECORD_NAME).write_text(json.dumps(record), encoding="utf-8")
    _run(inbox, out)
    assert victim.read_bytes() == b"keep me"


def test_a_watch_handing_in_files_one_by_one_records_without_taking_back(
    tmp_path: Path,
) -> None:
    """`return_copies` without `tidy` (the watch: the day's files so far) removes nothing;
    what it wrote is recorded, so a later `salesxl return` can take it back."""
    from salesxl.intake.files import load_form

    inbox, out = _inbox(tmp_path), tmp_path / "returns"
    zhang = load_form(inbox / "张伟_日报.xlsx", CTX)
    li = load_form(inbox / "李娜_日报.xlsx", CTX)
    return_copies([zhang], out, today=TODAY)
    second = return_copies([li], out, today=TODAY)
    assert second.tidied is None and (out / _copy("张伟_日报")).exists()
    record = json.loads((out / RECORD_NAME).read_text("utf-8"))["files"]
    assert {_copy("张伟_日报"), _copy("李娜_日报")} <= set(record)
    _fix(inbox, "张伟_日报.xlsx", {})
    result = _run(inbox, out)
    assert result.tidied is not None
    assert [t.path for t in result.tidied.removed] == [out / _copy("张伟_日报")]


def test_cli_says_what_it_removed_and_what_it_could_not(tmp_path: Path) -> None:
    inbox, out = _inbox(tmp_path), tmp_path / "returns"
    args = ["return", str(inbox), "--period", "2026-11", "--as-of", "2026-11-24", "-o", str(out)]
    runner = CliRunner()
    assert runner.invoke(main, args).exit_code == 0
    _fix(inbox, "张伟_日报.xlsx", {})
    shutil.copy(out / _copy("李娜_日报"), tmp_path / "keep.xlsx")
    (out / TEAM / "王五_日报_退回_2026-11-02.xlsx").write_bytes(b"old, unrecorded")
    got = runner.invoke(main, args)
    assert got.exit_code == 0, got.output
    assert (
        f"    removed 已删除: {_copy('张伟_日报')} (S001 张伟: nothing to return for its file now)"
        in got.stdout
    )
    assert "华东/上海一组/王五_日报_退回_2026-11-02.xlsx" in got.stderr
    assert (
        "note: 1 file in " + str(out) + " looks like an earlier return copy or list, but no "
        "record says this command wrote it, so it is left as it is: "
        "华东/上海一组/王五_日报_退回_2026-11-02.xlsx; delete any that are out of date by hand"
    ) in got.stderr
    assert "2 files checked: 1 goes back to its rep (1 return copy 退回件" in got.stdout
    # 李娜 is still due a copy: opened in Excel now, then fixed: the rerun cannot remove it
    copy = out / _copy("李娜_日报")
    (copy.parent / f"~${copy.name}").write_bytes(b"\x05Excel")
    _fix(inbox, "李娜_日报.xlsx", LI_NA)
    got = runner.invoke(main, args)
    assert got.exit_code == 0, got.output
    assert (
        f"warning: could not remove {copy} (S002 李娜: nothing to return for its file now): "
        f"open in Excel (~${copy.name} is there); close it and run again, or delete it by hand"
    ) in got.stderr
    assert "removed 已删除: " + _list()[1] + " (an earlier return list)" in got.stdout


def test_the_console_follows_lang(tmp_path: Path) -> None:
    """--lang zh prints Chinese, --lang en English alone (both: English with Chinese labels),
    as consolidate and chase do; a rerun's tidying follows it too."""
    inbox, out = _inbox(tmp_path), tmp_path / "returns"
    args = ["return", str(inbox), "--period", "2026-11", "--as-of", "2026-11-24", "-o", str(out)]
    runner = CliRunner()
    zh = runner.invoke(main, [*args, "--lang", "zh"])
    assert zh.exit_code == 0, zh.output
    lines = zh.stdout.splitlines()
    # both reps' files have one error each (stage 8): both go back, both could be opened
    assert lines[0] == "已检查 2 个文件：2 个退回给销售员（2 个退回件，0 个无法打开）"
    assert f"  {'S001 张伟':<14} 错误 1 个，警告 0 个 → {out / _copy('张伟_日报')}" in lines
    assert f"  退回清单: {out / _list()[0]}（另有各团队的 1 份）" in lines
    assert "checked" not in zh.stdout and "return list" not in zh.stdout
    en = runner.invoke(main, [*args, "--lang", "en"])
    assert en.stdout.splitlines()[0] == (
        "2 files checked: 2 go back to their reps (2 return copies, 0 could not be opened)"
    )
    assert f"  return list: {out / _list()[0]} (and one per team: 1)" in en.stdout
    assert "退回件" not in en.stdout and "return list 退回清单" not in en.stdout  # no zh labels
    _fix(inbox, "张伟_日报.xlsx", {})
    rerun = runner.invoke(main, [*args, "--lang", "zh"])
    assert f"    已删除: {_copy('张伟_日报')}（S001 张伟: 现在它的文件没有需要退回的内容）" in (
        rerun.stdout
    )


# -- a rerun on the same day writes the same copies again: never over a leader's notes --------


def _note_into(copy: Path) -> bytes:
    book = openpyxl.load_workbook(copy)
    book.worksheets[0]["A30"] = "组长：已电话提醒"  # the leader saved a note into it
    book.save(copy)
    return copy.read_bytes()


def test_a_rerun_on_the_same_day_keeps_a_copy_a_leader_saved_notes_into(tmp_path: Path) -> None:
    inbox, out = _inbox(tmp_path), tmp_path / "returns"
    _run(inbox, out)
    zhang, li = out / _copy("张伟_日报"), out / _copy("李娜_日报")
    noted = _note_into(zhang)
    li_first = li.read_bytes()
    # Nothing changed in the inbox: the copy would say what it said, so the notes stay.
    again = _run(inbox, out)
    assert zhang.read_bytes() == noted
    assert again.tidied is not None and not again.tidied.moved and not again.tidied.kept
    assert not (out / OUTDATED_FOLDER).exists()
    record = json.loads((out / RECORD_NAME).read_text("utf-8"))["files"]
    assert record[_copy("张伟_日报")]["sha256"] != return_record.digest(zhang)  # still "changed"
    assert record[_copy("李娜_日报")]["sha256"] == return_record.digest(li)

    # Both change their files, still wrong (another stage not in the list): the copies must
    # say the new thing.  张伟's noted one is moved aside first, and the console says so;
    # 李娜's, as salesxl wrote it, is simply written again.
    _report(inbox / "张伟_日报.xlsx", {}, [(3, "stage", "9 已付款")])
    _report(inbox / "李娜_日报.xlsx", LI_NA, [(3, "stage", "9 已付款")])
    args = ["return", str(inbox), "--period", "2026-11", "--as-of", f"{TODAY}", "-o", str(out)]
    got = CliRunner().invoke(main, args)
    assert got.exit_code == 0, got.output
    aside = out / OUTDATED_FOLDER / _copy("张伟_日报")
    assert aside.read_bytes() == noted
    assert (
        f"    moved aside 已移走: {_copy('张伟_日报')} → {OUTDATED_FOLDER}/{_copy('张伟_日报')} "
        "(S001 张伟: written again under the same name; changed since salesxl wrote it, so not "
        "written over)"
    ) in got.stdout
    for copy in (zhang, li):  # the To fix sheet names the new value
        to_fix = openpyxl.load_workbook(copy).worksheets[0]
        assert "9 已付款" in [c.value for row in to_fix.iter_rows() for c in row]
    record = json.loads((out / RECORD_NAME).read_text("utf-8"))["files"]
    assert record[_copy("张伟_日报")]["sha256"] == return_record.digest(zhang)
    assert record[_copy("李娜_日报")]["sha256"] == return_record.digest(li)
    assert li.read_bytes() != li_first
    assert _files(out / OUTDATED_FOLDER) == {_copy("张伟_日报")}
    assert "李娜" not in got.stdout.split("earlier runs' files", 1)[-1]


def test_a_noted_copy_open_in_excel_is_not_written_over_and_the_rerun_warns(
    tmp_path: Path,
) -> None:
    inbox, out = _inbox(tmp_path), tmp_path / "returns"
    _run(inbox, out)
    zhang = out / _copy("张伟_日报")
    noted = _note_into(zhang)
    (zhang.parent / f"~${zhang.name}").write_bytes(b"\x05Excel")  # still open
    _report(inbox / "张伟_日报.xlsx", {}, [(3, "stage", "9 已付款")])
    args = ["return", str(inbox), "--period", "2026-11", "--as-of", f"{TODAY}", "-o", str(out)]
    got = CliRunner().invoke(main, args)
    assert got.exit_code == 0, got.output
    assert zhang.read_bytes() == noted
    assert (
        f"warning: {zhang} changed since salesxl wrote it and could not be moved into "
        f"{OUTDATED_FOLDER} (open in Excel (~${zhang.name} is there)): not written again, it "
        "is the old return copy; close it and run again"
    ) in got.stderr
    # still recorded as what salesxl wrote first: closed, the next run moves it aside
    (zhang.parent / f"~${zhang.name}").unlink()
    result = _run(inbox, out)
    assert result.tidied is not None
    assert [(t.why, t.moved_to) for t in result.tidied.moved] == [
        ("rewritten", out / OUTDATED_FOLDER / _copy("张伟_日报"))
    ]
    assert (out / OUTDATED_FOLDER / _copy("张伟_日报")).read_bytes() == noted


def test_a_csv_copy_is_the_same_all_day_so_notes_in_it_are_kept(tmp_path: Path) -> None:
    """A CSV comes back as a new .xlsx; made a second later it must still be the same bytes,
    or a rerun would take the leader's notes for something new to say."""
    from salesxl.intake.files import load_form

    out = tmp_path / "returns"
    data = load_form(FILES / "csv" / "daily_utf8.csv", CTX)
    table = data.tables["daily"]
    data.issues.append(
        make_issue(
            Code.REQUIRED,
            data.path,
            "测试",
            "test",
            sheet=table.sheet,
            cell=f"{table.columns['customer']}{table.rows[0]}",
        )
    )
    (entry,) = return_copies([data], out, today=TODAY, tidy=True).files
    assert entry.copy is not None and entry.how == "values"
    noted = _note_into(entry.copy)
    time.sleep(1.1)  # the clock's second has moved on: a workbook's "created" would follow it
    again = return_copies([data], out, today=TODAY, tidy=True)
    assert again.tidied is not None and not again.tidied.moved
    assert entry.copy.read_bytes() == noted


def test_a_return_list_a_leader_saved_notes_into_is_moved_aside_not_written_over(
    tmp_path: Path,
) -> None:
    inbox, out = _inbox(tmp_path), tmp_path / "returns"
    _run(inbox, out)
    team_list = out / _list()[1]
    noted = _note_into(team_list)
    _report(inbox / "张伟_日报.xlsx", {}, [(3, "stage", "9 已付款")])
    args = ["return", str(inbox), "--period", "2026-11", "--as-of", f"{TODAY}", "-o", str(out)]
    got = CliRunner().invoke(main, args)
    assert got.exit_code == 0, got.output
    aside = out / OUTDATED_FOLDER / _list()[1]
    assert aside.read_bytes() == noted  # the leader's notes are kept, out of the way
    assert (
        f"    moved aside 已移走: {_list()[1]} → {OUTDATED_FOLDER}/{_list()[1]} "
        "(written again under the same name; changed since salesxl wrote it, so not "
        "written over)"
    ) in got.stdout
    assert team_list.read_bytes() != noted  # a new list, naming the new value
    listed = [c.value for row in openpyxl.load_workbook(team_list).active.iter_rows() for c in row]
    assert "组长：已电话提醒" not in listed
    record = json.loads((out / RECORD_NAME).read_text("utf-8"))["files"]
    assert record[_list()[1]]["sha256"] == return_record.digest(team_list)
    assert _files(out / OUTDATED_FOLDER) == {_list()[1]}


def test_a_noted_return_list_open_in_excel_is_left_and_the_rerun_warns(tmp_path: Path) -> None:
    inbox, out = _inbox(tmp_path), tmp_path / "returns"
    first = _run(inbox, out)
    team_list = out / _list()[1]
    noted = _note_into(team_list)
    (team_list.parent / f"~${team_list.name}").write_bytes(b"\x05Excel")  # still open
    args = ["return", str(inbox), "--period", "2026-11", "--as-of", f"{TODAY}", "-o", str(out)]
    got = CliRunner().invoke(main, args)
    assert got.exit_code == 0, got.output
    assert team_list.read_bytes() == noted
    assert (
        f"warning: {team_list} changed since salesxl wrote it and could not be moved into "
        f"{OUTDATED_FOLDER} (open in Excel (~${team_list.name} is there)): not written again, "
        "it is the old return list; close it and run again"
    ) in got.stderr
    record = json.loads((out / RECORD_NAME).read_text("utf-8"))["files"]
    assert first.lists[1] == team_list
    assert record[_list()[1]]["sha256"] != return_record.digest(team_list)  # as first written
    (team_list.parent / f"~${team_list.name}").unlink()  # closed: the next run moves it aside
    result = _run(inbox, out)
    assert result.tidied is not None
    assert [(t.why, t.moved_to) for t in result.tidied.moved] == [
        ("rewritten", out / OUTDATED_FOLDER / _list()[1])
    ]
    assert (out / OUTDATED_FOLDER / _list()[1]).read_bytes() == noted
