"""A one-sheet .xls written as a raw BIFF2 stream, for tests and the mock data generator.

No .xls writer is installed; xlrd reads BIFF2 through the same code path as the BIFF8 files
the producers publish. Numbers become NUMBER records, text LABEL records (cp1252).
"""

from __future__ import annotations

import struct
from pathlib import Path


def _rec(rid: int, data: bytes) -> bytes:
    return struct.pack("<HH", rid, len(data)) + data


def write_xls(path: Path, rows: list[list[object]]) -> Path:
    """Write ``rows`` (None or "" = empty cell) as the only sheet of ``path``."""
    out = _rec(0x0009, struct.pack("<HH", 2, 0x10)) + _rec(0x0042, struct.pack("<H", 1252))
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v is None or v == "":
                continue
            if isinstance(v, str):
                b = v.encode("cp1252")
                out += _rec(0x0004, struct.pack("<HH", r, c) + b"\0\0\0" + bytes([len(b)]) + b)
            else:
                out += _rec(0x0003, struct.pack("<HHxxxd", r, c, float(v)))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out + _rec(0x000A, b""))
    return path
