"""Which month target each rep is judged on: the targets file's, else the forms' 月度目标.

The daily report and the monthly plan state the rep's month target in their
header.  The targets file (`salesxl targets split`, or the store's targets)
wins; every form whose target differs from it gets a warning at the form's
target cell, so a rep working towards the wrong figure hears of it.  A rep
the targets file leaves out keeps the form's target, with a warning.
Without a targets file the forms' targets are used (the daily report's;
a monthly plan that disagrees with it gets a warning).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from salesxl.consolidate.inputs import FormTarget
from salesxl.consolidate.model import TARGET_SOURCES
from salesxl.core.issues import Code, Issue, make_issue, message
from salesxl.forms import DAILY_REPORT, FormId, Role

__all__ = ["MonthTargets", "month_targets"]

_CENT = 0.005  # targets are money: a difference below half a cent is none


@dataclass(slots=True)
class MonthTargets:
    targets: dict[str, float] | None  # rep ID -> month target; None: no targets anywhere
    source: str | None  # a key of TARGET_SOURCES
    issues: list[Issue] = field(default_factory=list)


def month_targets(
    given: Mapping[str, float] | None, on_forms: Sequence[FormTarget], source: str = "file"
) -> MonthTargets:
    """The targets to judge by: `given` (from `source`) checked against the forms', or the forms'."""
    # The daily report first: it is the form the rep watches the progress on.
    ordered = sorted(on_forms, key=lambda t: (t.rep_id, t.form_id != FormId.DAILY_REPORT, t.path))
    if given is None:
        return _from_forms(ordered)
    targets = {rep: float(value) for rep, value in given.items()}
    found = MonthTargets(targets, source)
    label_zh, label_en = TARGET_SOURCES[source]
    for t in ordered:
        if t.rep_id in given:
            wanted = float(given[t.rep_id])
            if abs(t.value - wanted) > _CENT:
                found.issues.append(
                    _issue(
                        t,
                        *message(
                            Code.TARGET_MISMATCH,
                            stated=_money(t.value),
                            wanted=_money(wanted),
                            source_zh=label_zh,
                            source_en=label_en,
                        ),
                    )
                )
        elif t.rep_id not in targets:
            targets[t.rep_id] = t.value
            found.issues.append(
                _issue(
                    t,
                    *message(
                        Code.TARGET_MISMATCH,
                        "not_in_targets",
                        rep=t.rep_id,
                        stated=_money(t.value),
                        source_zh=label_zh,
                        source_en=label_en,
                    ),
                )
            )
        elif abs(t.value - targets[t.rep_id]) > _CENT:
            found.issues.append(_disagrees(t, targets[t.rep_id]))
    return found


def _from_forms(ordered: Sequence[FormTarget]) -> MonthTargets:
    targets: dict[str, float] = {}
    issues = []
    for t in ordered:
        used = targets.setdefault(t.rep_id, t.value)
        if abs(t.value - used) > _CENT:
            issues.append(_disagrees(t, used))
    return MonthTargets(targets or None, "forms" if targets else None, issues)


def _disagrees(t: FormTarget, used: float) -> Issue:
    """A monthly plan whose target is not the daily report's (the one used)."""
    return _issue(
        t,
        *message(
            Code.TARGET_MISMATCH, "forms_disagree", stated=_money(t.value), wanted=_money(used)
        ),
    )


def _issue(t: FormTarget, zh: str, en: str) -> Issue:
    return make_issue(
        Code.TARGET_MISMATCH,
        t.path,
        zh,
        en,
        sheet=t.sheet,
        cell=t.cell,
        row=int("".join(c for c in t.cell if c.isdigit())) if t.cell else None,
        column=DAILY_REPORT.header_field(Role.MONTH_TARGET).bilingual,
        value=t.value,
    )


def _money(value: float) -> str:
    return f"¥{value:,.2f}".removesuffix(".00")
