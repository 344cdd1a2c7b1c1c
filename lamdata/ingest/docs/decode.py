"""Bytes → text for help documents whose charset is missing, wrong, or not UTF-8 at all.

The order, and why:
1. a byte-order mark is the strongest evidence (UTF-8, UTF-16, UTF-32);
2. NUL bytes or many control characters mean a binary file (a PDF or image renamed ``.html``),
   which is refused, as is an empty or blank file;
3. valid UTF-8 wins over any declaration: a page declared ``iso-8859-1`` that decodes as UTF-8
   is UTF-8 (a wrong ``<meta charset>`` is common; a false positive UTF-8 decode is very rare);
4. otherwise a declared charset (``<meta charset>``, ``http-equiv``, ``<?xml encoding?>``, an
   Emacs/Vim coding line) is used if it decodes strictly;
5. otherwise high bytes that come in pairs are a CJK multi-byte text: GB18030 is tried;
6. otherwise the text is mostly UTF-8 with stray bytes (decoded with replacement characters) or
   a single-byte Western text (Windows-1252, the superset of Latin-1 that browsers use).
Each fallback is reported as a warning naming the file, line and first offending byte.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from lamdata.ingest.docs.base import DocError, DocIssue

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)|"""
    rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)|"""
    rb"""(?:-\*-\s*coding|fileencoding|charset)\s*[:=]\s*([A-Za-z0-9._:-]+)""",
    re.I,
)
_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (e.g. .docx)"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x1f\x8b", "gzip data"),
    (b"\xd0\xcf\x11\xe0", "an OLE file (e.g. .doc)"),
)
_CONTROL = bytes(set(range(32)) - {9, 10, 12, 13, 27})
_HIGH_RUN = re.compile(rb"[\x80-\xff]+")
_CJK = re.compile("[\u3400-\u9fff]")
#: The five bytes Windows-1252 leaves undefined are dropped rather than shown as U+FFFD.
_C1 = {0xFFFD: None}
#: Declared names browsers read as a superset encoding.
_SUPERSETS = {"iso8859-1": "cp1252", "ascii": "cp1252", "gb2312": "gb18030", "gbk": "gb18030"}


@dataclass
class Decoded:
    text: str
    encoding: str
    warnings: list[DocIssue] = field(default_factory=list)


def declared_charset(data: bytes) -> str | None:
    """The charset a document declares in its first 4 KiB, if Python knows it."""
    match = _DECLARED.search(data[:4096])
    if not match:
        return None
    name = next(g for g in match.groups() if g).decode("ascii", "replace")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _check_binary(data: bytes) -> None:
    head = data[:8192]
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise DocError("binary_file", f"the file is {what}, not a text document")
    controls = len(head) - len(head.translate(None, _CONTROL))
    if b"\x00" in head or controls > max(8, len(head) // 20):
        raise DocError("binary_file", "the file holds binary data (NUL or control bytes)")


def _looks_multibyte(data: bytes) -> bool:
    runs = _HIGH_RUN.findall(data[:65536])
    paired = sum(1 for r in runs if len(r) >= 2 and len(r) % 2 == 0)
    return bool(runs) and paired >= 0.8 * len(runs)


def decode(data: bytes, *, what: str = "the file") -> Decoded:
    """Decode a document's bytes, or raise :class:`DocError` (empty, binary, undecodable)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _nonempty(Decoded(data.decode(encoding), encoding))
            except UnicodeDecodeError as exc:
                raise DocError(
                    "bad_encoding",
                    f"starts with a {encoding} byte-order mark but does not decode: {exc.reason}",
                    line=_line_of(data, exc.start),
                ) from exc
    if not data.strip():
        raise DocError("empty_file", "the file is empty (or holds only whitespace)")
    _check_binary(data)
    try:
        return _nonempty(Decoded(data.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError as exc:
        bad = exc
    line = _line_of(data, bad.start)
    byte = data[bad.start : bad.start + 1].hex()
    declared = declared_charset(data)
    declared = _SUPERSETS.get(declared or "", declared)
    if declared and declared != "utf-8":
        try:
            return _nonempty(Decoded(data.decode(declared), declared))
        except UnicodeDecodeError:
            pass
    encoding, text = _fallback(data)
    said = f" (declared {declared})" if declared else ""
    note = DocIssue(
        "recoded",
        f"{what} is not UTF-8{said}: byte 0x{byte} at line {line}; decoded as {encoding}",
        line=line,
        warning=True,
    )
    return _nonempty(Decoded(text, encoding, [note]))


def _fallback(data: bytes) -> tuple[str, str]:
    sample = data[:65536]
    if _looks_multibyte(data):
        try:
            text = data.decode("gb18030")
            head = text[:32768]
            cjk = len(_CJK.findall(head))
            if cjk >= 0.5 * (len(head) - len(head.encode("ascii", "ignore"))):
                return "gb18030", text
        except UnicodeDecodeError:
            pass
    lenient = sample.decode("utf-8", errors="replace")
    replaced = lenient.count("\ufffd")
    if len(lenient) - len(lenient.encode("ascii", "ignore")) - replaced > replaced:
        return "utf-8 (with replacements)", data.decode("utf-8", errors="replace")
    return "cp1252", data.decode("cp1252", errors="replace").translate(_C1)


def _nonempty(decoded: Decoded) -> Decoded:
    if not decoded.text.strip():
        raise DocError("empty_file", "the file holds only whitespace")
    return decoded
