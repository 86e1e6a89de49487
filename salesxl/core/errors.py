"""One family for the mistakes a user can fix (see docs/architecture.md, "Errors").

Every exception salesxl raises for bad input, an unusable file or setting
derives from `SalesxlError`: what is wrong in Chinese and in English, how to
fix it, and the exit code the command line ends with.  The library never
names a command-line flag or a row of the manager workbook; an error names
the *setting* it is about (`roster`, `database`, ...) and each front end words
that its own way: the CLI as its option (`--roster`, salesxl/cli/errors.py),
the Excel adapter as its row of the Settings sheet (salesxl/excel/adapter.py).
Each front end handles the whole family in one place.
"""

from __future__ import annotations

from typing import ClassVar

__all__ = ["SETTINGS", "SalesxlError"]

# The settings an error can be about, named as the manager workbook's Settings sheet
# names them (salesxl/excel/settings.py), plus `workdays`, which only the CLI has, and
# `passwords` (the leaders' packs' passwords file) and `target_database` (the database a
# store is copied into).
SETTINGS = frozenset(
    {
        "inbox",
        "period",
        "as_of",
        "roster",
        "targets",
        "output",
        "database",
        "targets_input",
        "returns",
        "workdays",
        "passwords",
        "target_database",
    }
)


class SalesxlError(Exception):
    """A mistake the user can fix: what is wrong (zh, en), how to fix it, the exit code.

    `setting` names the setting the error is about.  When `usage` is true its
    value itself cannot be used (a file that is not a roster): the CLI reports
    that as a usage error on the option that gave it (exit 2), like any other
    bad option value.  Otherwise the setting is where the fix goes (choose
    another output file, give a workdays sheet) and the CLI exits `exit_code`.
    `str()` is the English message and hint, for logs and tests.
    """

    exit_code: ClassVar[int] = 1
    usage: ClassVar[bool] = False

    def __init__(
        self,
        message_zh: str,
        message_en: str,
        *,
        hint_zh: str = "",
        hint_en: str = "",
        setting: str | None = None,
    ) -> None:
        if setting is not None and setting not in SETTINGS:
            raise ValueError(f"unknown setting {setting!r}; use one of {sorted(SETTINGS)}")
        self.message_zh = message_zh
        self.message_en = message_en
        self.hint_zh = hint_zh
        self.hint_en = hint_en
        self.setting = setting
        super().__init__(f"{message_en}; {hint_en}" if hint_en else message_en)
