"""MS-OVBA compression (§2.4.1): how VBA source and the dir stream are stored.

A compressed container is a signature byte 0x01 and chunks of up to 4,096
decompressed bytes; each chunk is a run of flag bytes, each followed by up to
eight tokens — a literal byte, or a copy token (offset, length) back into the
same chunk, its bit split depending on how far into the chunk it is.
"""

from __future__ import annotations

__all__ = ["compress", "decompress"]

CHUNK = 4096


def _bit_count(position: int) -> int:
    """Offset bits of a copy token at `position` bytes into the decompressed chunk."""
    bits = 4
    while (1 << bits) < position:
        bits += 1
    return bits


def _compress_chunk(data: bytes) -> bytes:
    out = bytearray()
    pos = 0
    n = len(data)
    while pos < n:
        flag_at = len(out)
        out.append(0)
        flag = 0
        for bit in range(8):
            if pos >= n:
                break
            bits = _bit_count(pos)
            max_length = (0xFFFF >> bits) + 3
            best_len, best_off = 0, 0
            limit = min(max_length, n - pos)
            if pos and limit >= 3:
                start = max(0, pos - (1 << bits))
                candidate = data.rfind(data[pos : pos + 3], start, pos + 2)
                while candidate != -1 and candidate >= start:
                    if candidate < pos:
                        length = 3
                        while length < limit and data[candidate + length] == data[pos + length]:
                            length += 1
                        if length > best_len:
                            best_len, best_off = length, pos - candidate
                            if length == limit:
                                break
                    candidate = data.rfind(data[pos : pos + 3], start, candidate + 2)
            if best_len >= 3:
                token = ((best_off - 1) << (16 - bits)) | (best_len - 3)
                out += token.to_bytes(2, "little")
                flag |= 1 << bit
                pos += best_len
            else:
                out.append(data[pos])
                pos += 1
        out[flag_at] = flag
    return bytes(out)


def compress(data: bytes) -> bytes:
    """The compressed container of `data`."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), CHUNK):
        chunk = data[start : start + CHUNK]
        body = _compress_chunk(chunk)
        if len(body) <= CHUNK:
            header = 0xB000 | (len(body) + 2 - 3)  # signature 0b011, flag 1 (compressed)
        elif len(chunk) == CHUNK:  # incompressible full chunk: stored raw
            body = chunk
            header = 0x3000 | (CHUNK + 2 - 3)
        else:
            raise ValueError("a short final chunk that does not compress cannot be stored")
        out += header.to_bytes(2, "little") + body
    return bytes(out)


def decompress(container: bytes) -> bytes:
    """The data of a compressed container (for verification; oletools reads it too)."""
    if not container or container[0] != 1:
        raise ValueError("not an MS-OVBA compressed container (signature byte 0x01 missing)")
    out = bytearray()
    pos = 1
    while pos < len(container):
        header = int.from_bytes(container[pos : pos + 2], "little")
        size = (header & 0x0FFF) + 3
        if (header >> 12) & 0b111 != 0b011:
            raise ValueError("invalid chunk signature")
        end = pos + size
        pos += 2
        chunk_start = len(out)
        if not header & 0x8000:
            out += container[pos : pos + CHUNK]
            pos = end
            continue
        while pos < end:
            flag = container[pos]
            pos += 1
            for bit in range(8):
                if pos >= end:
                    break
                if flag & (1 << bit):
                    token = int.from_bytes(container[pos : pos + 2], "little")
                    pos += 2
                    bits = _bit_count(len(out) - chunk_start)
                    length = (token & (0xFFFF >> bits)) + 3
                    offset = (token >> (16 - bits)) + 1
                    for _ in range(length):
                        out.append(out[-offset])
                else:
                    out.append(container[pos])
                    pos += 1
    return bytes(out)
