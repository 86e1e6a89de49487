"""Rep IDs 工号 as people type them, matched to the roster's: one rule for every match.

`s020`, ` S020 ` and `Ｓ０２０` are all the roster's `S020`: an ID is compared by
its key (full-width folded to half-width, spaces removed, case folded).  The
header of a rep form, the 工号 column of sales records and consolidation's
grouping of files by rep all go through `RepIndex.match`, so a file is never
dropped because its ID was typed in lower case.  An ID that matches nothing
gets the closest roster ID or name as a suggestion.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

__all__ = ["RepIndex", "RepMatch", "rep_key"]


def rep_key(text: str) -> str:
    """An ID's comparison key: full-width → half-width (NFKC), no spaces, case folded."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


@dataclass(frozen=True, slots=True)
class RepMatch:
    """What a typed ID is: the roster's spelling of it (None when unknown), else a guess."""

    typed: str
    rep_id: str | None
    suggestion: str | None = None  # "S020 (张三)" for an unknown ID

    @property
    def normalised(self) -> bool:
        """Matched, but spelled differently from the roster (`s020` for `S020`)."""
        return self.rep_id is not None and self.rep_id != self.typed


class RepIndex:
    """The roster's IDs (and names, for suggestions), ready for matching typed IDs.

    Without a roster (`RepIndex()`), `canonical` groups the spellings of one ID
    under the first spelling seen.
    """

    def __init__(self, ids: Iterable[str] = (), names: Mapping[str, str] | None = None) -> None:
        self.ids = frozenset(ids)
        self.names = dict(names or {})
        self._by_key: dict[str, str] = {}
        for rep_id in sorted(self.ids):  # two roster IDs with one key: the first in order wins
            self._by_key.setdefault(rep_key(rep_id), rep_id)
        self._name_keys = {rep_key(name): rep_id for rep_id, name in sorted(self.names.items())}
        self._suggestions: dict[str, str | None] = {}
        self._seen: dict[str, str] = {}  # key -> first spelling, for IDs outside the roster

    def __contains__(self, rep_id: object) -> bool:
        return rep_id in self.ids

    def __len__(self) -> int:
        return len(self.ids)

    def match(self, typed: str) -> RepMatch:
        """The roster ID `typed` stands for, or None with the closest ID or name."""
        if typed in self.ids:
            return RepMatch(typed, typed)
        found = self._by_key.get(rep_key(typed))
        if found is not None:
            return RepMatch(typed, found)
        return RepMatch(typed, None, self.suggest(typed))

    def canonical(self, typed: str) -> str:
        """The roster's spelling of `typed`; outside the roster, the first spelling seen."""
        found = self.match(typed).rep_id if self.ids else None
        if found is not None:
            return found
        return self._seen.setdefault(rep_key(typed), typed)

    def suggest(self, typed: str) -> str | None:
        """The roster ID closest to `typed` (or whose name it is), shown as `S020 (张三)`."""
        if typed in self._suggestions:
            return self._suggestions[typed]
        key = rep_key(typed)
        rep_id = self._name_keys.get(key)
        if rep_id is None:
            best = 0.0
            for candidates in (self._by_key, self._name_keys):
                for hit in difflib.get_close_matches(key, candidates, n=1, cutoff=0.6):
                    score = difflib.SequenceMatcher(None, key, hit).ratio()
                    if score > best:
                        best, rep_id = score, candidates[hit]
        shown = None if rep_id is None else self.label(rep_id)
        if len(self._suggestions) < 10_000:
            self._suggestions[typed] = shown
        return shown

    def label(self, rep_id: str) -> str:
        name = self.names.get(rep_id)
        return f"{rep_id} ({name})" if name and name != rep_id else rep_id
