"""Which text encoding a file is in: UTF-8 (with or without BOM), UTF-16 (BOM, or recognised by its zero bytes), or
Windows-1252; a file that mixes UTF-8 and Windows-1252 is refused with the line where it changes."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from loaders.report import FileRefused

BLOCK = 1 << 24
NAMES = {"utf-8-sig": "UTF-8", "cp1252": "Windows-1252", "utf-16": "UTF-16"}
# A valid multi-byte UTF-8 sequence: in Windows-1252 text (`Ã©`) it practically never occurs.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_UNREADABLE = "onleesbare tekstcodering (verwacht UTF-8, UTF-16 of Windows-1252)."


def detect(path: Path, head: bytes, display: str) -> str:
    """The encoding to read the whole file with; refuses binary files and mixed encodings."""
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise FileRefused(f"{display}: het bestand is in UTF-32 opgeslagen; sla het op als UTF-8 of UTF-16.")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    without_bom = _utf16_without_bom(head[:4096])
    if without_bom:
        return without_bom
    if b"\x00" in head[:4096]:
        raise FileRefused(f"{display}: dit is geen tabel (CSV, Excel of JSON) maar een binair bestand.")
    bad_at, non_ascii_before = _first_invalid_utf8(path)
    if bad_at is None:
        return "utf-8-sig"
    if non_ascii_before:
        raise _mixed(path, display, bad_at, "UTF-8", "Windows-1252")
    later = _first_utf8_sequence(path, bad_at)
    if later is not None:
        raise _mixed(path, display, later, "Windows-1252", "UTF-8")
    try:
        _decode_all(path, "cp1252")
    except UnicodeDecodeError:
        raise FileRefused(f"{display}: {_UNREADABLE}") from None
    return "cp1252"


def decode_head(head: bytes, encoding: str) -> str:
    """The first bytes as text, ignoring a character cut off at the end."""
    return codecs.getincrementaldecoder(encoding)(errors="ignore").decode(head[:4096])


def first_line(path: Path, encoding: str, display: str, limit: int = 1 << 20) -> str:
    """The first non-empty line (the header), read without reading more than `limit` bytes."""
    with path.open("r", encoding=encoding, errors="replace", newline="") as handle:
        while True:
            line = handle.readline(limit)
            if not line:
                return ""
            if len(line) >= limit and not line.endswith(("\n", "\r")):
                raise FileRefused(f"{display}, rij 1: de kopregel is langer dan {limit >> 20} MB; dit is geen tabel "
                                  "die de Jeugdmonitor kan lezen.")
            if line.strip():
                return line.rstrip("\r\n")


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 without BOM: zero bytes at every other position (ASCII text in two-byte characters)."""
    even, odd = sample[0::2], sample[1::2]
    if len(sample) < 8:
        return None
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _first_invalid_utf8(path: Path) -> tuple[int | None, bool]:
    """(offset of the first byte that is no UTF-8, whether valid non-ASCII UTF-8 came before it)."""
    carry, offset, non_ascii = b"", 0, False
    with path.open("rb") as handle:
        while block := handle.read(BLOCK):
            data = carry + block
            try:
                _, used = codecs.utf_8_decode(data, "strict", False)
            except UnicodeDecodeError as exc:
                return offset + exc.start, non_ascii or not data[:exc.start].isascii()
            non_ascii = non_ascii or not data[:used].isascii()
            carry, offset = data[used:], offset + used
    return (offset if carry else None), non_ascii


def _first_utf8_sequence(path: Path, start: int) -> int | None:
    with path.open("rb") as handle:
        handle.seek(start)
        offset, carry = start, b""
        while block := handle.read(BLOCK):
            data = carry + block
            m = _UTF8_SEQUENCE.search(data)
            if m:
                return offset + m.start()
            carry = data[-3:]
            offset += len(data) - len(carry)
    return None


def _decode_all(path: Path, encoding: str) -> None:
    decoder = codecs.getincrementaldecoder(encoding)()
    with path.open("rb") as handle:
        while block := handle.read(BLOCK):
            decoder.decode(block)
    decoder.decode(b"", final=True)


def _line_of(path: Path, offset: int) -> int:
    line, done = 1, 0
    with path.open("rb") as handle:
        while done < offset and (block := handle.read(min(BLOCK, offset - done))):
            line += block.count(b"\n")
            done += len(block)
    return line


def _mixed(path: Path, display: str, offset: int, before: str, after: str) -> FileRefused:
    return FileRefused(
        f"{display}, rij {_line_of(path, offset)}: de tekstcodering wisselt hier van {before} naar {after}; "
        "sla het bestand in één codering op (bij voorkeur UTF-8)."
    )
