"""Which text encoding a CSV file is in, and which of its lines do not fit it.

Exports come in UTF-8 (with or without a BOM), UTF-16 (with or without), GBK/GB18030 (Chinese
ERPs, 淘宝), Big5, and the Western code pages cp1252, latin-1 and cp437 (old
DOS-era systems).  UTF-8 is tried first (it rarely decodes anything else by
accident); otherwise charset-normalizer picks among those candidates, and
between the single-byte Western code pages, which it often cannot tell
apart, the one that turns the most non-ASCII bytes into letters inside
words wins (`Berguvsvägen`, not `Berguvsv„gen`).  A guess that is not clear
is reported with the encoding chosen.  Bytes that do not decode in the
chosen encoding are never replaced silently: each such line is reported.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from charset_normalizer import from_bytes

from salesxl.core.issues import Code, Issue, make_issue, message

__all__ = [
    "CANDIDATES",
    "Decoded",
    "decode_text",
    "encoding_notes",
    "known_encoding",
    "utf16_without_bom",
]

CANDIDATES = ("utf_8", "gb18030", "big5", "utf_16", "cp1252", "latin_1", "cp437")
_WESTERN = ("cp1252", "latin_1", "cp437")
_DETECT_SAMPLE = 1 << 20  # detection reads at most this much; decoding reads everything
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # not in text: tab, CR, LF are
_LINES_SAMPLED = 200  # non-ASCII lines looked at to tell UTF-8 with a few foreign lines


@dataclass(slots=True)
class Decoded:
    text: str
    encoding: str  # Python codec name, e.g. utf-8, gb18030, cp437
    sure: bool = True  # False: a guess worth a warning
    bad_lines: list[tuple[int, bytes]] = field(default_factory=list)  # 1-based line, its bytes


def known_encoding(name: str) -> str | None:
    """The codec's canonical name, or None when Python does not know it."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_text(data: bytes, encoding: str | None = None) -> Decoded:
    """`data` as text; `encoding` overrides detection (a name `known_encoding` accepts)."""
    if encoding is not None:
        name = codecs.lookup(encoding).name
        if name in ("utf-8", "utf_8") and data.startswith(codecs.BOM_UTF8):
            name = "utf-8-sig"
        return _decode(data, name, sure=True)
    if data.startswith(codecs.BOM_UTF8):
        return _decode(data, "utf-8-sig", sure=True)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(data, "utf-16", sure=True)
    utf16 = utf16_without_bom(data)
    if utf16 is not None:
        return _decode(data, utf16, sure=True)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):  # a UTF-8 file with a few lines pasted from elsewhere
        return _decode(data, "utf-8", sure=True)
    name, sure = _detect(data)
    return _decode(data, name, sure=sure)


def _decode(data: bytes, name: str, *, sure: bool) -> Decoded:
    try:
        return Decoded(data.decode(name), name, sure)
    except UnicodeDecodeError:
        pass
    if name.startswith("utf-16"):  # a two-byte encoding cannot be cut into lines by b"\n"
        return Decoded(data.decode(name, errors="replace"), name, sure, [(1, data[:40])])
    lines = data.split(b"\n")
    texts, bad = [], []
    for number, line in enumerate(lines, start=1):
        piece = line[3:] if number == 1 and name == "utf-8-sig" else line
        codec = "utf-8" if name == "utf-8-sig" else name
        try:
            texts.append(piece.decode(codec))
        except UnicodeDecodeError:
            texts.append(piece.decode(codec, errors="replace"))
            bad.append((number, line))
    return Decoded("\n".join(texts), name, sure, bad)


def utf16_without_bom(data: bytes) -> str | None:
    """`utf-16-le` or `utf-16-be` for UTF-16 text saved without its BOM (some systems'
    "Unicode" exports), else None.

    A CSV's commas, digits and line breaks are ASCII: in UTF-16 each is a zero byte beside
    its code, always on the same side of the pair.  Chinese text puts few zero bytes on
    the other side (一 is U+4E00), so the zeros must lean one way four to one, be a tenth
    of the pairs at least, and the bytes must decode to text without control characters
    (binary data has them)."""
    sample = data[:_DETECT_SAMPLE]
    sample = sample[: len(sample) // 2 * 2]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    first, second = sample[0::2].count(0), sample[1::2].count(0)
    if second >= pairs / 10 and second >= 4 * first:
        name = "utf-16-le"
    elif first >= pairs / 10 and first >= 4 * second:
        name = "utf-16-be"
    else:
        return None
    try:  # incrementally: a sample cut inside a surrogate pair still decodes
        text = codecs.getincrementaldecoder(name)().decode(sample, final=len(sample) == len(data))
    except UnicodeDecodeError:
        return None
    return None if _CONTROL.search(text) else name


def _mostly_utf8(data: bytes) -> bool:
    """More lines with non-ASCII text decode as UTF-8 than fail to."""
    good = bad = 0
    for line in data[:_DETECT_SAMPLE].split(b"\n"):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            bad += 1
        else:
            good += 1
        if good + bad >= _LINES_SAMPLED:  # enough to tell a UTF-8 file from another
            break
    return good > bad


def _detect(data: bytes) -> tuple[str, bool]:
    """The most likely candidate, and whether the choice is clear."""
    sample = data[:_DETECT_SAMPLE]
    results = list(from_bytes(sample, cp_isolation=list(CANDIDATES)))
    if not results:
        return "gb18030", False  # decodes nearly anything: every bad line is still reported
    results.sort(key=lambda r: (r.chaos, -r.coherence))
    best = results[0]
    western = [r.encoding for r in results if r.encoding in _WESTERN]
    if best.encoding in _WESTERN and len(western) > 1:
        return _western(sample, western)
    runner_up = results[1].chaos if len(results) > 1 else 1.0
    sure = best.chaos < 0.1 and runner_up - best.chaos >= 0.05
    name = codecs.lookup(best.encoding).name
    if name == "big5" and not sure and _decodes(sample, "gb18030"):
        # A few Chinese words read either way, and a guess on them is a coin toss (华联 as
        # Big5 is 貌薊): the mainland's encoding, which its systems export, is the likelier.
        return "gb18030", False
    return name, sure


def _decodes(data: bytes, name: str) -> bool:
    try:
        data.decode(name)
    except UnicodeDecodeError:
        return False
    return True


def _western(sample: bytes, names: list[str]) -> tuple[str, bool]:
    """Of the Western code pages, the one turning most non-ASCII bytes into in-word letters."""
    if "cp1252" in names:  # latin-1 reads letters the same; cp1252 also has € “ ” …
        names = [n for n in names if n != "latin_1"]
    if len(names) == 1:
        return codecs.lookup(names[0]).name, True
    scores = {}
    for name in names:
        text = sample.decode(name, errors="replace")
        scores[name] = sum(
            1
            for i, ch in enumerate(text)
            if ord(ch) > 127
            and ch.isalpha()
            and ((i > 0 and text[i - 1].isalpha()) or (i + 1 < len(text) and text[i + 1].isalpha()))
        )
    ranked = sorted(names, key=lambda n: (-scores[n], names.index(n)))
    best, second = ranked[0], ranked[1]
    non_ascii = sum(1 for b in sample if b > 127)
    sure = non_ascii >= 3 and scores[best] >= 0.9 * non_ascii and scores[second] < scores[best] / 2
    return codecs.lookup(best).name, sure


def encoding_notes(path: str, sheet: str, decoded: Decoded, last_lines: list[int]) -> list[Issue]:
    """A warning when the encoding was a guess; an error at every row with bytes that do not
    decode in the encoding chosen (never replaced silently)."""
    notes = []
    if not decoded.sure:
        sample = next(
            (line.strip() for line in decoded.text.splitlines() if not line.isascii()), ""
        )
        notes.append(
            make_issue(
                Code.ENCODING_GUESSED,
                path,
                *message(
                    Code.ENCODING_GUESSED,
                    "sample" if sample else "",
                    encoding=decoded.encoding,
                    sample=sample[:40],
                ),
                sheet=sheet,
                value=decoded.encoding,
            )
        )
    shown = "utf-8" if decoded.encoding == "utf-8-sig" else decoded.encoding
    for line, raw in decoded.bad_lines:
        row = next((i + 1 for i, last in enumerate(last_lines) if last >= line), line)
        guess = _other_reading(raw, decoded.encoding)
        text = (
            message(
                Code.BAD_ENCODING,
                "other_reading",
                row=row,
                encoding=shown,
                other=guess[0],
                reads=guess[1],
            )
            if guess
            else message(Code.BAD_ENCODING, row=row, encoding=shown)
        )
        notes.append(
            make_issue(
                Code.BAD_ENCODING,
                path,
                *text,
                sheet=sheet,
                cell=f"A{row}",
                row=row,
                value=raw[:60].hex(" "),
            )
        )
    return notes


def _other_reading(raw: bytes, chosen: str) -> tuple[str, str] | None:
    """The line as another common encoding reads it, to show what it probably says."""
    for name in ("utf-8", "gb18030", "big5", "cp1252"):
        if name != chosen:
            try:
                return name, raw.decode(name).strip()[:60]
            except UnicodeDecodeError:
                continue
    return None
