"""Write a compound file (MS-CFB, version 3): the container vbaProject.bin is.

Enough of the format for a VBA project: storages and streams, 512-byte
sectors with a FAT, streams under 4,096 bytes in the mini stream with its
mini FAT, one directory of 128-byte entries.  Each storage's children form a
balanced binary tree in the required name order (shorter names first, then
upper-case comparison), coloured as a valid red-black tree: the nodes of an
incomplete last level red, all others black.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["write_compound_file"]

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")


@dataclass
class _Entry:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    data: bytes = b""
    children: list[_Entry] = field(default_factory=list)
    id: int = 0
    start: int = END
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    red: bool = False


def _order(name: str) -> tuple[int, str]:
    return (len(name), name.upper())


def _tree(streams: dict[str, bytes]) -> _Entry:
    root = _Entry("Root Entry", 5)
    for path, data in streams.items():
        node = root
        parts = path.split("/")
        for part in parts[:-1]:
            found = next((c for c in node.children if c.name == part and c.kind == 1), None)
            if found is None:
                found = _Entry(part, 1)
                node.children.append(found)
            node = found
        node.children.append(_Entry(parts[-1], 2, data))
    return root


def _number(root: _Entry) -> list[_Entry]:
    entries: list[_Entry] = []

    def visit(entry: _Entry) -> None:
        entry.id = len(entries)
        entries.append(entry)
        kids = sorted(entry.children, key=lambda e: _order(e.name))
        for kid in kids:
            visit(kid)
        if kids:
            entry.child = _balance(kids)

    visit(root)
    return entries


def _balance(kids: list[_Entry]) -> int:
    """Link sorted siblings as a balanced tree; return the root's id."""
    deepest = len(kids).bit_length() - 1  # levels above it are full
    perfect = len(kids) == (1 << (deepest + 1)) - 1

    def build(lo: int, hi: int, depth: int) -> int:
        if lo >= hi:
            return NOSTREAM
        mid = (lo + hi) // 2
        node = kids[mid]
        node.red = depth == deepest and depth > 0 and not perfect
        node.left = build(lo, mid, depth + 1)
        node.right = build(mid + 1, hi, depth + 1)
        return node.id

    return build(0, len(kids), 0)


def _chain(fat: list[int], first: int, count: int) -> None:
    for i in range(count):
        fat[first + i] = first + i + 1 if i < count - 1 else END


def write_compound_file(streams: dict[str, bytes]) -> bytes:
    """A compound file holding `streams` (paths like `VBA/dir`)."""
    root = _tree(streams)
    entries = _number(root)
    small = [e for e in entries if e.kind == 2 and len(e.data) < MINI_CUTOFF]
    big = [e for e in entries if e.kind == 2 and len(e.data) >= MINI_CUTOFF]
    # The mini stream and its mini FAT.
    mini = bytearray()
    minifat: list[int] = []
    for e in small:
        if not e.data:
            e.start = END
            continue
        count = -(-len(e.data) // MINI_SECTOR)
        e.start = len(minifat)
        minifat += [e.start + i + 1 for i in range(count - 1)] + [END]
        mini += e.data + b"\0" * (count * MINI_SECTOR - len(e.data))
    # Regular sectors: directory, mini FAT, mini stream, big streams, then the FAT itself.
    sectors: list[bytes] = []

    def place(data: bytes) -> tuple[int, int]:
        count = max(1, -(-len(data) // SECTOR))
        first = len(sectors)
        padded = data + b"\0" * (count * SECTOR - len(data))
        sectors.extend(padded[i : i + SECTOR] for i in range(0, len(padded), SECTOR))
        return first, count

    directory = b"".join(_directory_entry(e, len(mini)) for e in entries)
    directory += _empty_entry() * (-len(entries) % (SECTOR // 128))
    dir_first, dir_count = place(directory)
    minifat_bytes = b"".join(v.to_bytes(4, "little") for v in minifat)
    minifat_bytes += FREE.to_bytes(4, "little") * (-len(minifat) % (SECTOR // 4))
    if minifat:
        minifat_first, minifat_count = place(minifat_bytes)
    else:
        minifat_first, minifat_count = END, 0
    if mini:
        mini_first, mini_count = place(bytes(mini))
        root.start = mini_first
    else:
        mini_first, mini_count = END, 0
    runs: list[tuple[int, int]] = [(dir_first, dir_count)]
    if minifat:
        runs.append((minifat_first, minifat_count))
    if mini:
        runs.append((mini_first, mini_count))
    for e in big:
        first, count = place(e.data)
        e.start = first
        runs.append((first, count))
    # The FAT covers every sector, its own included.
    n_fat = 1
    while (len(sectors) + n_fat) > n_fat * (SECTOR // 4):
        n_fat += 1
    if n_fat > 109:
        raise ValueError("compound file too large for a header-only DIFAT")
    fat = [FREE] * (n_fat * (SECTOR // 4))
    for first, count in runs:
        _chain(fat, first, count)
    fat_first = len(sectors)
    for i in range(n_fat):
        fat[fat_first + i] = FATSECT
    sectors.extend(
        b"".join(v.to_bytes(4, "little") for v in fat[i * 128 : (i + 1) * 128])
        for i in range(n_fat)
    )
    # Entries were serialised before their start sectors were known: write them again.
    directory = b"".join(_directory_entry(e, len(mini)) for e in entries)
    directory += _empty_entry() * (-len(entries) % (SECTOR // 128))
    for i in range(dir_count):
        sectors[dir_first + i] = directory[i * SECTOR : (i + 1) * SECTOR]
    header = _header(n_fat, fat_first, dir_first, minifat_first, minifat_count)
    return header + b"".join(sectors)


def _header(
    n_fat: int, fat_first: int, dir_first: int, minifat_first: int, minifat_count: int
) -> bytes:
    h = bytearray(SECTOR)
    h[0:8] = _SIGNATURE
    h[24:26] = (0x003E).to_bytes(2, "little")  # minor version
    h[26:28] = (0x0003).to_bytes(2, "little")  # major version 3: 512-byte sectors
    h[28:30] = (0xFFFE).to_bytes(2, "little")  # byte order
    h[30:32] = (9).to_bytes(2, "little")  # sector shift
    h[32:34] = (6).to_bytes(2, "little")  # mini sector shift
    h[44:48] = n_fat.to_bytes(4, "little")
    h[48:52] = dir_first.to_bytes(4, "little")
    h[56:60] = MINI_CUTOFF.to_bytes(4, "little")
    h[60:64] = minifat_first.to_bytes(4, "little")
    h[64:68] = minifat_count.to_bytes(4, "little")
    h[68:72] = END.to_bytes(4, "little")  # no DIFAT sectors
    for i in range(109):
        value = fat_first + i if i < n_fat else FREE
        h[76 + 4 * i : 80 + 4 * i] = value.to_bytes(4, "little")
    return bytes(h)


def _directory_entry(e: _Entry, mini_size: int) -> bytes:
    b = bytearray(128)
    name = e.name.encode("utf-16-le")
    if len(name) > 62:
        raise ValueError(f"compound file entry name too long: {e.name!r}")
    b[0 : len(name)] = name
    b[64:66] = (len(name) + 2).to_bytes(2, "little")
    b[66] = e.kind
    b[67] = 0 if e.red else 1  # red or black
    b[68:72] = e.left.to_bytes(4, "little")
    b[72:76] = e.right.to_bytes(4, "little")
    b[76:80] = e.child.to_bytes(4, "little")
    size = mini_size if e.kind == 5 else len(e.data)
    start = 0 if e.kind == 1 else (e.start if size else END)
    b[116:120] = start.to_bytes(4, "little")
    b[120:128] = size.to_bytes(8, "little")
    return bytes(b)


def _empty_entry() -> bytes:
    b = bytearray(128)
    b[68:80] = NOSTREAM.to_bytes(4, "little") * 3
    return bytes(b)
