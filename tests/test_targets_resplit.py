"""Mid-year re-split, versions (workbook and store) and `targets explain`."""

from __future__ import annotations

import datetime as dt
import random
import re
from decimal import Decimal as D

import openpyxl
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesxl.cli import main
from salesxl.core.periods import Month
from salesxl.forms import SALES_RECORDS, TARGETS_INPUT
from salesxl.targets import (
    Lock,
    Settings,
    TargetsInput,
    UnitSpec,
    Version,
    read_month_targets,
    read_targets_workbook,
    resplit,
    split_targets,
)
from salesxl.targets.workbook import write_targets
from salesxl.write.templates import write_form


def _v1(**settings):
    units = [UnitSpec("company", "HQ", annual=D(24_000)), UnitSpec("rep", "A", "HQ")]
    units.append(UnitSpec("rep", "B", "HQ"))
    split = split_targets(
        TargetsInput(Settings(2026, method="equal", rounding=D(10), **settings), units)
    )
    split.version = Version(1, dt.date(2026, 1, 5))
    return split


def _sales(a: float, b: float):
    """Sales January to June: A 5,000 in all (below its 6,000), B 13,000 (past its year)."""
    return {
        ("A", None): {Month(2026, m): a / 6 for m in range(1, 7)},
        ("B", None): {Month(2026, m): b / 6 for m in range(1, 7)},
    }


def test_resplit_by_hand():
    v2 = resplit(_v1(stretch_uplift=10.0), _sales(5_000, 13_000), Month(2026, 7))
    plans = {p.unit: p for p in v2.plans}
    # A: year 12,000 less 5,000 sold = 7,000 over July-December by its own months
    # (1,000 each): 700 units of 10 = 6 × 116 + 4, so four months of 1,170 and two of 1,160.
    a = [int(v2.money(v)) for v in plans["A"].months]
    assert a == [1_000] * 6 + [1_170] * 4 + [1_160] * 2 and sum(a) == 13_000
    # B is past its year (13,000 > 12,000): it keeps its original remaining months.
    assert plans["B"].months == [100] * 12 and "already past its year" in plans["B"].note
    # HQ is the sum, month by month.
    assert [int(v2.money(v)) for v in plans["HQ"].months] == [2_000] * 6 + [2_170] * 4 + [2_160] * 2
    # Stretch: A's year 13,200 less 5,000 = 8,200; the 1,200 above the base goes by the
    # previous stretch uplift (100 a month): 200 a month over the base's July-December.
    stretch = [int(v2.money(v)) for v in plans["A"].tiers["stretch"]]
    assert stretch == [1_100] * 6 + [1_370] * 4 + [1_360] * 2
    assert v2.version.number == 2 and v2.version.effective_from == Month(2026, 7)
    assert plans["A"].actual_to_date == 5_000 and plans["HQ"].actual_to_date == 18_000


@st.composite
def _plans_and_sales(draw):
    rng = random.Random(draw(st.integers(0, 10_000)))
    rounding = draw(st.sampled_from([1, 10, 100]))
    units = [UnitSpec("company", "HQ", annual=D(rounding * draw(st.integers(0, 50_000))))]
    reps = []
    for t in range(draw(st.integers(1, 3))):
        units.append(UnitSpec("team", f"T{t}", "HQ"))
        for r in range(draw(st.integers(1, 4))):
            reps.append(f"T{t}S{r}")
            units.append(UnitSpec("rep", reps[-1], f"T{t}", weight=rng.uniform(0.5, 2)))
    uplift = draw(st.none() | st.floats(0, 30))
    s = Settings(2026, method="equal", rounding=D(rounding), stretch_uplift=uplift)
    split = split_targets(TargetsInput(s, units))
    start = Month(2026, draw(st.integers(1, 12)))
    sales = {
        (rep, None): {
            Month(2026, m): rng.uniform(0, 3) * rounding * 100 for m in range(1, start.month)
        }
        for rep in reps
    }
    return split, sales, start


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_plans_and_sales())
def test_resplit_keeps_every_guarantee(case):
    split, sales, start = case
    v2 = resplit(split, sales, start)
    k0 = split.months.index(start)
    old = split.by_unit()
    children: dict[str, list] = {}
    for p in v2.plans:
        assert p.months[:k0] == old[(p.unit, p.product)].months[:k0]  # the past stays
        assert sum(p.months) == p.annual and all(v >= 0 for v in p.months)
        for tier in v2.tier_names[1:]:  # tiers stay ordered, cell by cell
            assert all(t >= b for t, b in zip(p.tiers[tier], p.months, strict=True))
        if p.parent:
            children.setdefault(p.parent, []).append(p)
    by_unit = {p.unit: p for p in v2.plans}
    for parent, kids in children.items():
        for tier in v2.tier_names:
            for k in range(12):
                assert sum(c.tier(tier)[k] for c in kids) == by_unit[parent].tier(tier)[k]


def _sales_file(path, rows):
    write_form(
        path,
        SALES_RECORDS,
        rows={
            "sales": [
                {
                    "date": d,
                    "rep_id": rep,
                    "customer": "恒瑞药房",
                    "product": "阿莫西林",
                    "amount": a,
                }
                for d, rep, a in rows
            ]
        },
    )
    return path


def test_cli_resplit_writes_the_version_change_sheet_and_keeps_versions(tmp_path):
    source = tmp_path / "input.xlsx"
    write_form(
        source,
        TARGETS_INPUT,
        header={"year": 2026, "method": "equal", "rounding": 10},
        rows={
            "annual": [
                {"level": "company", "unit": "HQ", "annual_target": 24_000},
                {"level": "rep", "unit": "A", "parent": "HQ"},
                {"level": "rep", "unit": "B", "parent": "HQ"},
            ]
        },
    )
    runner = CliRunner()
    v1 = tmp_path / "targets.xlsx"
    result = runner.invoke(main, ["targets", "split", str(source), "-o", str(v1)])
    assert result.exit_code == 0, result.output
    sales = _sales_file(
        tmp_path / "sales.xlsx",
        [(dt.date(2026, 3, 2), "A", 5_000.0), (dt.date(2026, 4, 1), "B", 13_000.0)],
    )
    db = f"sqlite:///{tmp_path / 'sx.db'}"
    runner.invoke(main, ["import", "sales", str(sales), "--db", db])
    v2 = tmp_path / "targets_v2.xlsx"
    args = ["targets", "resplit", str(v1), "--db", db, "--from", "2026-07", "-o", str(v2)]
    result = runner.invoke(main, [*args, "--date", "2026-07-02"])
    assert result.exit_code == 0, result.output
    assert "version 2 of 2026" in result.output and "kept in the store" in result.output
    wb = openpyxl.load_workbook(v2)
    assert "差异 Version change" in wb.sheetnames
    ws = wb["差异 Version change"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2, max_row=10)]
    a_rows = [r for r in rows if r[0] == "A"]
    assert [r[3] for r in a_rows] == ["v1", "v2", "变化 change"]
    assert a_rows[0][4:16] == [1000] * 12 and a_rows[1][10:16] == [1170] * 4 + [1160] * 2
    assert a_rows[2][10] == "=K6-K5" and a_rows[0][17] == 5000  # rows 5-7; actual to date
    assert ws.cell(1, 19).value == "签字\nSign-off"
    for sheet in wb.worksheets:  # the version and its date on every sheet
        cells = [c.value for row in sheet.iter_rows(max_row=12) for c in row if c.value]
        assert any(isinstance(v, str) and "2026-07-02" in v for v in cells) or any(
            v == dt.datetime(2026, 7, 2) for v in cells
        ), sheet.title
    back = read_targets_workbook(v2)
    assert back.version == Version(2, dt.date(2026, 7, 2), Month(2026, 7))
    assert read_month_targets(v2, Month(2026, 7)) == {"A": 1170, "B": 1000}
    # The store keeps both versions; a month takes the version in force for it.
    listed = runner.invoke(main, ["targets", "versions", "--db", db])
    assert listed.exit_code == 0 and listed.output.count("\n2026  ") == 2, listed.output
    other = runner.invoke(main, ["targets", "versions", "--db", db, "--year", "2027"])
    assert other.output == (
        "no targets versions of 2027 in the store (it has 2026): "
        "`salesxl import targets targets.xlsx`\n"
    )
    from salesxl.store import load_period

    assert load_period(db, Month(2026, 8), as_of=dt.date(2026, 8, 10)).targets["A"] == 1170
    assert load_period(db, Month(2026, 6), as_of=dt.date(2026, 6, 10)).targets["A"] == 1000


def test_cli_explain_says_how_a_unit_got_its_figures(tmp_path):
    split = _v1()
    path = write_targets(split, tmp_path / "targets.xlsx")
    result = CliRunner().invoke(main, ["targets", "explain", str(path), "a"])
    assert result.exit_code == 0, result.output
    assert "A (rep, under HQ)" in result.output
    assert "share of HQ by equal (50.0%)" in result.output
    assert "2026-12" in result.output and "12,000" in result.output
    missing = CliRunner().invoke(main, ["targets", "explain", str(path), "ZZZ"])
    assert missing.exit_code == 1 and "'ZZZ' is not in the targets" in missing.output


def test_the_store_uses_the_version_in_force_for_each_month(tmp_path):
    from salesxl.store import import_files, load_period, target_version_list

    v1 = write_targets(_v1(), tmp_path / "v1.xlsx")
    bigger = split_targets(
        TargetsInput(
            Settings(2026, method="equal", rounding=D(10)),
            [
                UnitSpec("company", "HQ", annual=D(36_000)),
                UnitSpec("rep", "A", "HQ"),
                UnitSpec("rep", "B", "HQ"),
            ],
        )
    )
    # A second version from July whose earlier months differ too (made by hand):
    # months before July still come from version 1.
    bigger.version = Version(2, dt.date(2026, 7, 1), Month(2026, 7))
    v2 = write_targets(bigger, tmp_path / "v2.xlsx")
    db = f"sqlite:///{tmp_path / 'sx.db'}"
    import_files("targets", [v1], db=db)
    import_files("targets", [v2], db=db)
    assert [(v.version, str(v.effective_from)) for v in target_version_list(db)] == [
        (1, "2026-01"),
        (2, "2026-07"),
    ]
    june = load_period(db, Month(2026, 6), as_of=dt.date(2026, 6, 20)).targets
    august = load_period(db, Month(2026, 8), as_of=dt.date(2026, 8, 20)).targets
    assert june == {"A": 1000, "B": 1000} and august == {"A": 1500, "B": 1500}


def test_explain_shows_proposals_locks_ramp_and_rounding(tmp_path):
    from salesxl.targets import Lock, explain_file

    units = [
        UnitSpec("company", "HQ", annual=D(1_000)),
        UnitSpec("rep", "A", "HQ", proposed=D(700), ramp=(50.0, 100.0)),
        UnitSpec("rep", "B", "HQ", proposed=D(500)),
    ]
    s = Settings(2026, method="equal", mode="negotiated")
    split = split_targets(TargetsInput(s, units, locks=[Lock("B", Month(2026, 3), D(0))]))
    text = explain_file(write_targets(split, tmp_path / "t.xlsx"), "B")
    # HQ's 1,000 equally between A, 11.5 months (a 50 % January), and B, 12 months:
    # B 1,000 × 12 / 23.5 = 510.6 → 511, A 489.4 → 489
    assert "上报 Proposed:      500 (top-down share 511)" in text
    # about 511 / 12 = 42.6 before the lock (the exact figure comes from the fit under HQ)
    assert re.search(r"locked 2026-03 at 0 \(was 4[12]\), its other months re-spread", text)
    a = explain_file(tmp_path / "t.xlsx", "A")
    assert "ramp 50,100 from 2026-01" in a and "rounded up" in a


# ---- explain and resplit read a workbook in either language, and older ones ----


def _locked_split():
    units = [
        UnitSpec("company", "总公司", annual=D(24_000)),
        UnitSpec("rep", "A", "总公司"),
        UnitSpec("rep", "B", "总公司", ramp=(50.0, 100.0)),
    ]
    s = Settings(2026, method="equal", rounding=D(10))
    split = split_targets(TargetsInput(s, units, locks=[Lock("A", Month(2026, 3), D(0))]))
    split.version = Version(1, dt.date(2026, 1, 5))
    return split


def _as_older_version(split):
    """The split as a version before bilingual notes wrote it: English alone, plain text."""
    for plan in split.plans:
        for name in ("method", "note", "annual_from", "basis", "spring", "backtest"):
            setattr(plan, name, str(getattr(plan, name)))
    split.warnings = [str(w) for w in split.warnings]
    return split


def test_explain_reads_a_workbook_in_either_language_and_older_ones(tmp_path):
    from salesxl.targets import explain_file

    written = {
        "zh": write_targets(_locked_split(), tmp_path / "zh.xlsx"),
        "en": write_targets(_locked_split(), tmp_path / "en.xlsx", lang="en"),
        "old": write_targets(_as_older_version(_locked_split()), tmp_path / "old.xlsx"),
    }
    for lang, path in written.items():
        text = explain_file(path, "A")
        # A's year: 24,000 shared equally with B, who works 11.5 months (a 50 % January):
        # 24,000 × 12 / 23.5 = 12,255.3 → 12,260 in tens (B 11,740), 51.1 % of the year.
        assert "年度 Annual:        12,260 — " in text, (lang, text)
        assert "share of 总公司 by equal (51.1%)" in text, (lang, text)
        # one line per note: the lock, then nothing glued to it
        lines = [x.strip() for x in text.splitlines() if x.strip().startswith("- ")]
        assert any(x.endswith("its other months re-spread") for x in lines), (lang, lines)
        assert any("at 0 (was " in x for x in lines), lang
        b = explain_file(path, "B")
        assert "ramp 50,100 from 2026-01" in b, lang
        if lang == "zh":
            assert "锁定为 0" in text and "按 equal 分得 总公司 的" in text
        else:
            assert "锁定为" not in text


def test_resplit_of_a_chinese_workbook_writes_english_under_en_and_back(tmp_path):
    from salesxl.targets.notes import Note

    zh = write_targets(_locked_split(), tmp_path / "zh.xlsx")
    back = read_targets_workbook(zh)
    a = {p.unit: p for p in back.plans}["A"]
    assert isinstance(a.note, Note) and "locked 2026-03 at 0" in a.note  # both languages back
    v2 = resplit(back, {("A", None): {Month(2026, 1): 2_000.0}}, Month(2026, 7))
    en = write_targets(v2, tmp_path / "v2_en.xlsx", lang="en", previous=back)
    wb = openpyxl.load_workbook(en)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                text = cell.value.replace("总公司", "") if isinstance(cell.value, str) else ""
                assert not re.search(r"[\u3000-\u9fff\uff00-\uffef]", text), (ws.title, text)
    how = {r[0].value: r[9].value for r in wb["Method"].iter_rows() if r[0].value}
    assert how["A"].startswith("re-split from 2026-07: year 12,260, sales to date 2,000")
    assert "locked 2026-03 at 0" in how["A"]
    # the re-split's notes under zh: Chinese first, the English line after
    zh2 = write_targets(v2, tmp_path / "v2_zh.xlsx", previous=back)
    ws = openpyxl.load_workbook(zh2)["说明 Method"]
    a_how = next(r[9].value for r in ws.iter_rows() if r[0].value == "A")
    assert a_how.startswith("自 2026-07 起重新分解：全年 12,260，至今销售 2,000")
    assert "\nre-split from 2026-07" in a_how and "锁定为 0" in a_how.split("\n")[0]
    # and an older English-only workbook re-splits as before
    old = write_targets(_as_older_version(_locked_split()), tmp_path / "old.xlsx")
    v2_old = resplit(read_targets_workbook(old), {}, Month(2026, 7))
    a_old = {p.unit: p for p in v2_old.plans}["A"]
    # nothing sold: the first half stays, July-December carry A's whole 12,260 (1,226 tens)
    assert a_old.months[:6] == a.months[:6] and sum(a_old.months[6:]) == 1_226
    assert "locked 2026-03 at 0" in a_old.note
