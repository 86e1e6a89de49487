"""The split's notes in Chinese, for the 说明 Method sheet of a Chinese targets workbook.

The engine explains each unit's months in short English phrases joined by
`; ` ("share of 华东 by last year's sales; seasonal index from 2 years of
history").  A Chinese workbook shows them in Chinese beside the English:
each phrase the engine writes has its pattern here.  A phrase without one
stays in English (tests/test_targets_workbook.py runs every method and
fall-back and fails on any phrase left untranslated).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from salesxl.forms.choices import SPLIT_METHODS

__all__ = ["method_zh", "note_en", "note_zh"]

_METHOD_ZH = {c.code: c.zh for c in SPLIT_METHODS.choices} | {"sum of its children": "下级之和"}


def method_zh(method: str) -> str:
    """A split method's Chinese name (`seasonal` -> 季节指数)."""
    return _METHOD_ZH.get(method, method)


_HOW = {
    "by last year's sales × weights": "按去年销售额 × 权重",
    "by last year's sales": "按去年销售额",
    "by weights": "按权重",
    "equally": "平均",
    "scaled from the proposals": "按上报目标比例",
}
_SPRING_HOW = {
    "by the target year's workdays": "按目标年度的工作日",
    "by weekdays less the festival week (no calendar)": "按周一至周五天数减去春节假期周（无日历）",
}

_Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]
_PHRASES: list[_Rule] = [
    (
        re.compile(r"share of (.+?) (" + "|".join(map(re.escape, _HOW)) + r")"),
        lambda m: f"{_HOW[m[2]]}分配{m[1]}的目标",
    ),
    (re.compile(r"sum of the proposals below"), lambda m: "下级上报目标之和"),
    (re.compile(r"its own proposal"), lambda m: "本单元的上报目标"),
    (
        re.compile(r"seasonal index from (\d+) years of history"),
        lambda m: f"按 {m[1]} 年历史计算季节指数",
    ),
    (
        re.compile(
            r"Spring Festival: January and February estimated together, split ("
            + "|".join(map(re.escape, _SPRING_HOW))
            + r")"
        ),
        lambda m: f"春节：1 月和 2 月合并估算，{_SPRING_HOW[m[1]]}拆分",
    ),
    (
        re.compile(r"trend ([+-]?[\d.]+%) a year spread over the months"),
        lambda m: f"趋势每年 {m[1]}，分摊到各月",
    ),
    (
        re.compile(r"(\S+) needs two complete years of history, found (\d+)"),
        lambda m: f"{method_zh(m[1])}需要两个完整年度的历史，只有 {m[2]} 个",
    ),
    (re.compile(r"fell back to (\S+)"), lambda m: f"改用{method_zh(m[1])}"),
    (
        re.compile(r"last year's months \((\S+) to (\S+)\)"),
        lambda m: f"按去年同期各月（{m[1]} 至 {m[2]}）",
    ),
    (
        re.compile(r"no complete last year in the history \(a month missing\)"),
        lambda m: "历史中没有完整的去年（缺少月份）",
    ),
    (re.compile(r"ramp ([\d.,]+) from (\S+)"), lambda m: f"爬坡 {m[1]}%，自 {m[2]} 起"),
    (
        re.compile(r"no history of its own: follows (.+)'s months"),
        lambda m: f"没有自己的历史：按{m[1]}的月度分布",
    ),
    (
        re.compile(r"上报目标 ([\d,.]+) rounded to ([\d,.]+) \(rounding unit ([\d.]+)\)"),
        lambda m: f"上报目标 {m[1]} 取整为 {m[2]}（取整单位 {m[3]}）",
    ),
]


def _phrase_zh(phrase: str) -> str | None:
    for pattern, render in _PHRASES:
        if (m := pattern.fullmatch(phrase)) is not None:
            return render(m)
    return None


def note_zh(note: str) -> str:
    """A note of the split in Chinese, phrase by phrase; a phrase it has no pattern for
    stays as written.  Warnings start with the unit they are about (`S027: …`)."""
    if not note:
        return note
    out = []
    for phrase in note.split("; "):
        zh = _phrase_zh(phrase)
        if zh is None and ": " in phrase:  # "S001 / X1: seasonal needs …"
            unit, _, rest = phrase.partition(": ")
            inner = _phrase_zh(rest)
            zh = f"{unit}：{inner}" if inner is not None else None
        out.append(zh if zh is not None else phrase)
    return "；".join(out)


# The engine names an input column in Chinese inside an English phrase; English-only
# workbooks give its English label.
_ZH_IN_EN = [(re.compile(r"上报目标 (?=[\d,.]+ rounded to)"), "Proposed ")]


def note_en(note: str) -> str:
    """A note of the split for an English-only workbook."""
    for pattern, english in _ZH_IN_EN:
        note = pattern.sub(english, note)
    return note
