"""Bytes of a feed or a page to text, in the encoding they declare, or the one they are in.

Order of authority: a byte-order mark, then the HTTP Content-Type charset, then the document's
own declaration (the XML prolog, an HTML <meta charset>), then UTF-8, then a guess by
charset-normalizer. Declared legacy encodings are read with the superset that real servers
mean by them (the WHATWG Encoding Standard does the same): a feed declared GB2312 usually
holds GBK characters too, so GB2312 and GBK are read as GB18030, Big5 as Big5-HKSCS,
Shift_JIS as cp932, EUC-KR as cp949, ISO-8859-1 as windows-1252.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs", "shift_jis": "cp932", "euc_kr": "cp949",
             "iso8859-1": "cp1252", "ascii": "cp1252", "tis-620": "cp874", "iso8859-9": "cp1254"}
XML_DECLARATION = re.compile(rb"""^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")
_XML_PROLOG = re.compile(r"""^(\ufeff?\s*<\?xml\b[^>]*?\bencoding\s*=\s*)(["'])[A-Za-z0-9._:-]{1,40}\2""")
HTML_META = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})""", re.I)
GUESS_BYTES = 256 * 1024  # enough for charset-normalizer to be sure, bounded on big inputs


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    note: str | None = None  # said to the user when the declared encoding was not the one used


def codec(label: str | None) -> str | None:
    """The Python codec to read a declared charset with (its superset), or None if unknown."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except (LookupError, ValueError):
        return None
    return SUPERSETS.get(name, name)


def declared(data: bytes, http_charset: str | None, pattern: re.Pattern[bytes]) -> tuple[str | None, str | None]:
    """(the label the input declares, where it was declared) from a BOM, HTTP, or `pattern`."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, "byte-order mark"
    if http_charset:
        return http_charset, "HTTP header"
    match = pattern.search(data[:4096].lstrip(codecs.BOM_UTF8))
    if match:
        return match.group(1).decode("ascii"), "document"
    return None, None


def decode(data: bytes, http_charset: str | None = None, pattern: re.Pattern[bytes] = XML_DECLARATION) -> Decoded:
    """The text of `data`; never fails (the last resort replaces undecodable bytes, and says so)."""
    label, where = declared(data, http_charset, pattern)
    name = codec(label)
    if name is not None:
        try:
            return Decoded(_strip_bom(data.decode(name)), name)
        except UnicodeDecodeError:
            pass
    problem = (f"declares unknown encoding {label!r}" if name is None else f"is not valid {label} as its {where} says") \
        if label else None
    try:
        return Decoded(_strip_bom(data.decode("utf-8")), "utf-8", f"{problem}: read as UTF-8" if problem else None)
    except UnicodeDecodeError:
        pass
    guess = from_bytes(data[:GUESS_BYTES]).best()
    if guess is not None:
        guessed = SUPERSETS.get(codecs.lookup(guess.encoding).name, guess.encoding)
        try:
            text = data.decode(guessed)
        except UnicodeDecodeError:
            text = data.decode(guessed, errors="replace")
        return Decoded(_strip_bom(text), guessed, f"{problem or 'declares no encoding'}: read as {guessed}")
    return Decoded(data.decode("utf-8", errors="replace"), "utf-8",
                   f"{problem or 'not UTF-8 and declares no encoding'}: undecodable bytes replaced")


def _strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text


def xml_as_utf8(text: str) -> bytes:
    """A decoded XML document as UTF-8 bytes whose prolog says so (expat reads no multi-byte
    legacy encodings, so a GB2312 feed is handed to the XML parsers already decoded)."""
    return _XML_PROLOG.sub(r"\1\2utf-8\2", text, count=1).encode("utf-8")
