"""Packs for each leader: only their reps anywhere in the file, their totals, and passwords.

Six reps in three teams (two regions), November as of Fri Nov 20 (15 of 21 workdays):
  华东/一组: 陈一鸣 S1001 (target 21,000, 6,000) · 林二娜 S1002 (21,000, 12,000)
  华东/二组: 黄三川 S2001 (21,000, 3,000) · 吴四海 S2002 (21,000, 18,000)
  华南/三组: 郑五岳 S3001 (21,000, 9,000) · 冯六合 S3002 (21,000, 15,000)
陈一鸣 and 黄三川 both registered 恒瑞贸易 (a customer conflict across teams); 黄三川's file
has an issue.  Company rank by completion: 吴四海 1, 冯六合 2, 林二娜 3, 郑五岳 4, 陈一鸣 5,
黄三川 6.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import msoffcrypto
import openpyxl
import pytest
from click.testing import CliRunner

from salesxl.consolidate import consolidate
from salesxl.consolidate.packs import PasswordsError, read_passwords, write_packs
from salesxl.core.issues import Code, Severity, make_issue
from salesxl.core.people import Rep, Roster
from salesxl.write.xlsx import OutputError
from tests.factory import NOV, daily, row

AS_OF = dt.date(2026, 11, 20)
PEOPLE = {
    "S1001": ("陈一鸣", "华东", "一组", 6_000),
    "S1002": ("林二娜", "华东", "一组", 12_000),
    "S2001": ("黄三川", "华东", "二组", 3_000),
    "S2002": ("吴四海", "华东", "二组", 18_000),
    "S3001": ("郑五岳", "华南", "三组", 9_000),
    "S3002": ("冯六合", "华南", "三组", 15_000),
}


def _summary():
    reps = {
        k: Rep(k, name, region=region, team=team, manager=f"{team}主管")
        for k, (name, region, team, _) in PEOPLE.items()
    }
    forms = []
    for k, (name, region, team, amount) in PEOPLE.items():
        rows = [row(3, f"客户{k}", stage="7", qty=1, price=amount, amount=amount)]
        if k in ("S1001", "S2001"):  # the same customer, same phone: a conflict
            rows.append(
                row(5 if k == "S1001" else 9, "恒瑞贸易", phone="13812345678", source="visit")
            )
        form = daily(k, rows, name=name, team=team, region=region, path=f"inbox/{name}_日报.xlsx")
        if k == "S2001":
            form.issues.append(
                make_issue(
                    Code.REQUIRED,
                    form.path,
                    f"{name} 的表缺少客户",
                    f"{name}'s report lacks a customer",
                    severity=Severity.ERROR,
                    sheet="日报 Daily",
                    cell="B12",
                )
            )
        forms.append(form)
    return consolidate(
        forms,
        period=NOV,
        roster=Roster(reps),
        targets=dict.fromkeys(PEOPLE, 21_000),
        as_of=AS_OF,
        details=True,
    )


@pytest.fixture(scope="module")
def summary():
    return _summary()


def _xml_text(path: Path) -> str:
    """Every part of the package as text: sheets (hidden ones too), shared strings, charts,
    drawings, document properties."""
    with zipfile.ZipFile(path) as z:
        return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


@pytest.mark.parametrize("split_by", ["team", "region"])
def test_no_other_reps_name_anywhere_in_a_pack(summary, tmp_path, split_by):
    packs = write_packs(summary, tmp_path, split_by=split_by, details=True)
    assert len(packs) == (3 if split_by == "team" else 2)
    for pack in packs:
        text = _xml_text(pack.path)
        mine = pack.group.reps
        for rep_id, (name, *_rest) in PEOPLE.items():
            found = name in text or rep_id in text
            assert found == (rep_id in mine), (pack.path.name, name)
        wb = openpyxl.load_workbook(pack.path)
        assert "图表数据 Chart data" in wb.sheetnames  # the hidden sheet was searched too


def test_a_team_pack_has_its_totals_and_the_company_rank(summary, tmp_path):
    packs = {p.group.team: p for p in write_packs(summary, tmp_path, split_by="team")}
    one = packs["一组"]
    pack = openpyxl.load_workbook(one.path)
    reps = {r[0]: r for r in pack["销售员 By rep"].iter_rows(min_row=2, values_only=True)}
    assert sorted(reps) == ["S1001", "S1002"]
    header = [c.value.split("\n")[1] for c in pack["销售员 By rep"][1]]
    ranks = {
        k: (r[header.index("Rank in team")], r[header.index("Rank in company")])
        for k, r in reps.items()
    }
    assert ranks == {"S1002": (1, 3), "S1001": (2, 5)}  # the company rank kept as context
    teams = list(pack["团队 By team"].iter_rows(min_row=2, values_only=True))
    team_header = [c.value.split("\n")[-1] for c in pack["团队 By team"][1]]
    amount, rank = team_header.index("Amount"), team_header.index("Rank")
    # 一组: 6,000 + 12,000 = 18,000, third of three teams (二组 21,000, 三组 24,000);
    # the total row is theirs.
    assert [(t[0], t[amount], t[rank]) for t in teams] == [
        ("一组", 18_000, 3),
        ("合计 Total", 18_000, None),
    ]
    assert "区域 By region" not in pack.sheetnames  # a region's row would hold other teams
    overview = pack["总览 Overview"]
    assert overview["A5"].value == 18_000  # the amount tile
    # 一组: 18,000 of 42,000 = 42.9 %; pace 18,000 / (42,000 × 15/21) = 0.60; 陈一鸣's pace
    # 6,000 / 15,000 = 0.4 (written), 林二娜's 0.8 (OK).  Missing: the daily reports of
    # Nov 2-19 (14 workdays; Nov 20's is due Monday) less the days reported - 陈一鸣 Nov 3
    # and 5, 林二娜 Nov 3: 12 + 13 - the plans of W45-W47 (3 × 2) and the month's (2): 33.
    assert one.headline == (
        "华东 一组 2026-11 截至 11-20：金额 ¥18,000，完成率 42.9%，进度指数 0.60，"
        "预警 1 人（书面 1），缺交 33 份"
    )


def test_the_english_headline_counts_in_words(summary, tmp_path):
    packs = {p.group.team: p for p in write_packs(summary, tmp_path, split_by="team", lang="en")}
    # the same figures as the Chinese headline above: one rep warned, 33 reports missing
    assert packs["一组"].headline == (
        "华东 一组 2026-11 to 11-20: amount ¥18,000, completion 42.9%, pace 0.60, "
        "1 rep warned (1 written), 33 reports missing"
    )


def test_a_conflict_with_another_team_does_not_name_the_other_rep(summary, tmp_path):
    packs = {p.group.team: p for p in write_packs(summary, tmp_path, split_by="team")}
    one = openpyxl.load_workbook(packs["一组"].path)["客户 Customers"]
    rows = [r for r in one.iter_rows(min_row=2, values_only=True) if r[0] == "归属冲突 Conflict"]
    assert len(rows) == 1
    assert "其他团队 Another team" in rows[0] and "S1001" in rows[0]
    company = summary.sheet("customers").records()
    assert any(r["other_rep_id"] == "S2001" for r in company)  # the manager sees both


def test_a_conflict_owned_by_another_team_is_listed_and_counted_under_the_packs_rep(
    summary, tmp_path
):
    """二组's S2001 met 恒瑞贸易 after 一组's S1001 registered it: 二组's pack lists the
    conflict as S2001's (the other rep, and the owner, 'another team'), and a shortened
    list counts it among S2001's entries, not under a rep of its own."""
    for limit in (20, 1):
        packs = {
            p.group.team: p
            for p in write_packs(summary, tmp_path / str(limit), split_by="team", list_limit=limit)
        }
        sheet = openpyxl.load_workbook(packs["二组"].path)["客户 Customers"]
        head = [c.value.split("\n")[-1] for c in sheet[1]]
        rows = [
            dict(zip(head, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)
        ]
        (conflict,) = [r for r in rows if r["Kind"] == "归属冲突 Conflict"]
        assert (conflict["Rep ID"], conflict["Other rep ID"], conflict["Customer owner"]) == (
            "S2001",
            "其他团队 Another team",
            "其他团队 Another team",
        )
        assert (conflict["Date"], conflict["Other date"]).count(None) == 0
        assert {r["Rep ID"] for r in rows} <= {"S2001", "S2002", "S2003"}


def test_issues_go_to_the_pack_of_the_reps_file(summary, tmp_path):
    packs = {p.group.team: p for p in write_packs(summary, tmp_path, split_by="team")}
    issues = {
        t: list(
            openpyxl.load_workbook(p.path)["问题 Issues"].iter_rows(min_row=2, values_only=True)
        )
        for t, p in packs.items()
    }
    assert [len(issues[t]) for t in ("一组", "二组", "三组")] == [0, 1, 0]


def test_encrypted_packs_open_with_their_password_only(summary, tmp_path):
    passwords = tmp_path / "passwords.txt"
    passwords.write_text(
        "# team,password\n一组,alpha-1\n华东/二组,beta-2\n三组\tgamma 3\n", encoding="utf-8"
    )
    packs = write_packs(
        summary, tmp_path / "packs", split_by="team", passwords=read_passwords(passwords)
    )
    expected = {"一组": "alpha-1", "二组": "beta-2", "三组": "gamma 3"}
    for pack in packs:
        assert pack.encrypted
        raw = pack.path.read_bytes()
        assert not zipfile.is_zipfile(io.BytesIO(raw))  # not readable as a workbook
        office = msoffcrypto.OfficeFile(io.BytesIO(raw))
        office.load_key(password="wrong")
        with pytest.raises(msoffcrypto.exceptions.InvalidKeyError):
            office.decrypt(io.BytesIO())
        office = msoffcrypto.OfficeFile(io.BytesIO(raw))
        office.load_key(password=expected[pack.group.team or ""])
        plain = io.BytesIO()
        office.decrypt(plain)
        wb = openpyxl.load_workbook(plain)
        assert wb.sheetnames[0] == "总览 Overview"
    assert not list((tmp_path / "packs").glob(".*"))  # no plain copy left beside them
    # The next morning's run replaces them, though an encrypted file hides salesxl's mark.
    again = write_packs(
        summary, tmp_path / "packs", split_by="team", passwords=read_passwords(passwords)
    )
    assert [p.path for p in again] == [p.path for p in packs]


def test_packs_replace_their_own_files_and_no_one_elses(summary, tmp_path):
    first = write_packs(summary, tmp_path, split_by="team")
    assert [p.path for p in write_packs(summary, tmp_path, split_by="team")] == [
        p.path for p in first
    ]
    foreign = first[0].path
    book = openpyxl.Workbook()
    book.active["A1"] = "一组's own budget"
    book.save(foreign)  # someone's workbook under a pack's name
    with pytest.raises(OutputError, match="not written by salesxl"):
        write_packs(summary, tmp_path, split_by="team")
    assert openpyxl.load_workbook(foreign).active["A1"].value == "一组's own budget"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("一组,alpha\n", "no password for 华东 二组, 华南 三组"),
        ("一组\n", "line 1"),
        ("一组,a\n一组,b\n", "line 2: 一组 has a password already"),
    ],
)
def test_every_pack_needs_a_password_once_a_file_is_given(summary, tmp_path, text, message):
    path = tmp_path / "p.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PasswordsError, match=re.escape(message)):
        write_packs(summary, tmp_path / "out", split_by="team", passwords=read_passwords(path))
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_cli_writes_the_summary_the_packs_and_the_headlines(tmp_path, monkeypatch):
    from salesxl.store import import_files
    from tests.store_fixtures import contact, daily_file, rep, roster_file

    db = str(tmp_path / "s.db")
    import_files(
        "roster",
        [
            roster_file(
                tmp_path / "r.xlsx",
                [rep("S1", name="甲", team="一组"), rep("S2", name="乙", team="二组")],
            )
        ],
        db=db,
    )
    for k, team in (("S1", "一组"), ("S2", "二组")):
        path = daily_file(
            tmp_path / "in",
            k,
            [contact(3, "x", stage="7", qty=1, price=100.0, amount=100.0)],
            team=team,
            month_target=1000,
        )
        import_files("reports", [path], db=db)
    passwords = tmp_path / "pw.txt"
    passwords.write_text("一组,one\n二组,two\n其它组,x\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    got = CliRunner().invoke(
        __import__("salesxl.cli", fromlist=["main"]).main,
        [
            "consolidate",
            "--db",
            db,
            "--period",
            "2026-11",
            "--as-of",
            "2026-11-20",
            "--split-by",
            "team",
            "--password-from",
            str(passwords),
        ],
    )
    assert got.exit_code == 0, got.output
    folder = tmp_path / "packs"  # the default folder with --split-by
    assert sorted(p.name for p in folder.iterdir()) == [
        "2026-11 华东 一组.xlsx",
        "2026-11 华东 二组.xlsx",
        "headlines.txt",
        "summary.xlsx",
    ]
    assert "2 packs by team" in got.output and "2 with an open password" in got.output
    assert "其它组, which has no pack" in got.output
    assert (
        (folder / "headlines.txt")
        .read_text(encoding="utf-8")
        .startswith("华东 一组 2026-11 截至 11-20：金额 ¥100")
    )
    refused = CliRunner().invoke(
        __import__("salesxl.cli", fromlist=["main"]).main,
        ["consolidate", "--db", db, "--period", "2026-11", "--split-by", "team", "-o", "x.xlsx"],
    )
    assert refused.exit_code == 2 and "names a folder" in refused.output
    # The next morning, the same command into the folder that is there now (as README's
    # morning routine runs it, with -o packs/): the packs are written again.
    main = __import__("salesxl.cli", fromlist=["main"]).main
    again = [*("consolidate", "--db", db, "--period", "2026-11", "--as-of", "2026-11-20")]
    again += ["--split-by", "team", "--password-from", str(passwords), "-o", "packs/"]
    second = CliRunner().invoke(main, again)
    assert second.exit_code == 0, second.output
    assert "2 packs by team" in second.output
    # Without --split-by, -o is the summary workbook: a folder there is said to be one.
    folder_given = CliRunner().invoke(
        main, ["consolidate", "--db", db, "--period", "2026-11", "-o", "packs/"]
    )
    assert folder_given.exit_code == 1
    assert "packs is a folder, so it cannot be replaced" in folder_given.output
    assert "give a file name such as summary.xlsx" in folder_given.output
