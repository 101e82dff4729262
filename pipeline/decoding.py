"""Turn raw bytes into text: UTF-8 first, then a detected legacy encoding; refuse binary data.

Detection order: a byte-order mark (UTF-8/16/32), known binary file signatures, UTF-16 without a
mark, binary-looking data (NUL bytes, many control characters), strict UTF-8, and finally
charset-normalizer. charset-normalizer is good at multi-byte encodings (GBK, Big5, Shift-JIS) but
guesses poorly among the single-byte Western code pages on short texts, so among those we prefer
the one whose letters read as words (see `_prefer_western`).
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

CONTROL_SHARE_LIMIT = 0.05
SAMPLE_BYTES = 8192
# File signatures of common binary formats that people save with a text extension by mistake.
BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or DOCX/XLSX)"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"\xd0\xcf\x11\xe0", "MS Office document"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ", "xz archive"),
    (b"PAR1", "Parquet file"),
)
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Single-byte code pages among which we re-rank charset-normalizer's guesses; cp1252 first wins ties.
WESTERN_PREFERENCE = ("cp1252", "cp1250", "cp1257", "iso8859_15", "latin_1")
# Multi-byte code pages in the order we trust them when charset-normalizer finds several about as
# plausible (short texts): finnews reads Hong Kong and mainland news first.
CJK_PREFERENCE = ("gb18030", "big5", "big5hkscs", "cp950", "cp932", "shift_jis", "euc_jp", "cp949", "euc_kr")
CHAOS_TOLERANCE = 0.05
_SINGLE_BYTE = re.compile(
    r"^(cp(?!93[26]|949|950)\d+|iso8859_\d+|latin_1|mac_\w+|hp_roman8|koi8_\w+|tis_620|ptcp154|kz1048)$"
)
_SURROGATES = re.compile("[\ud800-\udfff]")
# C0/C1 control characters other than tab, newline, carriage return and form feed.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
# Vertical tab (a manual line break in word-processor exports), form feed, NEL and the Unicode separators.
_LINE_SEPARATORS = re.compile("[\x0b\x0c\x85\u2028\u2029]")
_C1_CONTROLS = re.compile("[\x80-\x9f]")


class DecodeError(ValueError):
    """The bytes are not text in any encoding we can detect."""


def binary_kind(data: bytes) -> str | None:
    """Name the binary format of `data` when it starts with a known signature."""
    return next((name for magic, name in BINARY_SIGNATURES if data.startswith(magic)), None)


def looks_binary(data: bytes) -> bool:
    """Return True for data with NUL bytes or many control characters."""
    sample = data[:SAMPLE_BYTES]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13, 12))
    return controls > max(8, CONTROL_SHARE_LIMIT * len(sample))


def _utf16_without_bom(data: bytes) -> str | None:
    """Decode UTF-16 text saved without a byte-order mark (NULs on every other byte)."""
    sample = data[: SAMPLE_BYTES - SAMPLE_BYTES % 2]
    if len(sample) < 4 or len(data) % 2:
        return None
    for encoding, nul_at in (("utf-16-le", 1), ("utf-16-be", 0)):
        if sample[nul_at::2].count(0) >= 0.9 * (len(sample) // 2) and sample[1 - nul_at :: 2].count(0) == 0:
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def _word_breaks(text: str) -> int:
    """Count non-ASCII non-letters glued to letters ("wzros³y"): the mark of a wrong code page."""
    count = 0
    for i, char in enumerate(text):
        if ord(char) < 128 or unicodedata.category(char).startswith("L"):
            continue
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        count += before.isalpha() and after.isalpha()
    return count


def _prefer_western(data: bytes, guesses: list[str]) -> str | None:
    """Among single-byte candidates, return the decoding with the fewest broken words."""
    best: tuple[int, int, str] | None = None
    for rank, encoding in enumerate(dict.fromkeys([*WESTERN_PREFERENCE, *guesses])):
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if _C1_CONTROLS.search(text):  # C1 controls never occur in real text: not this code page
            continue
        key = (_word_breaks(text), rank, text)
        if best is None or key[:2] < best[:2]:
            best = key
    return best[2] if best else None


def _prefer_cjk(matches: list) -> object:  # noqa: ANN401 - a charset_normalizer CharsetMatch
    """Among guesses about as plausible as the best one, take the first in `CJK_PREFERENCE`."""
    close = [m for m in matches if m.chaos <= matches[0].chaos + CHAOS_TOLERANCE]
    rank = {name: i for i, name in enumerate(CJK_PREFERENCE)}
    return min(close, key=lambda m: (rank.get(m.encoding, len(rank)), matches.index(m)))


def sanitize_text(text: str) -> str:
    """Make decoded text safe to process and to write as UTF-8 JSON.

    Lone surrogates (possible in JSON input) become U+FFFD, control characters are dropped, and
    vertical tabs, form feeds and Unicode line/paragraph separators become newlines, so that a
    line in the cleaned text is the same thing for every component.
    """
    text = _SURROGATES.sub("\ufffd", text)
    text = _LINE_SEPARATORS.sub("\n", text)
    return _CONTROLS.sub("", text)


def decode_bytes(data: bytes) -> str:
    """Decode article bytes; raise `DecodeError` with a readable reason when that is impossible."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise DecodeError(
                    f"starts with a {encoding} byte-order mark but is not {encoding}: {exc.reason}"
                ) from exc
    kind = binary_kind(data)
    if kind:
        raise DecodeError(f"binary data ({kind}), not text")
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    if looks_binary(data):
        raise DecodeError("binary data, not text (NUL bytes or many control characters)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = f"invalid UTF-8 byte at offset {exc.start}"
    # Without NUL bytes a UTF-16/32 guess is an artefact of short input, never the truth.
    matches = [m for m in from_bytes(data) if not m.encoding.startswith(("utf_16", "utf_32"))]
    if not matches:
        raise DecodeError(f"not text: {utf8_error} and no other text encoding could be detected")
    if _SINGLE_BYTE.match(matches[0].encoding):
        text = _prefer_western(data, [m.encoding for m in matches if _SINGLE_BYTE.match(m.encoding)])
        if text is not None:
            return text
    return str(_prefer_cjk(matches))
