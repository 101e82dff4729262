"""Turn raw bytes into text: UTF-8 first, then a detected legacy encoding; refuse binary data."""

from __future__ import annotations

from charset_normalizer import from_bytes

CONTROL_SHARE_LIMIT = 0.05


class DecodeError(ValueError):
    """The bytes are not text in any encoding we can detect."""


def looks_binary(data: bytes) -> bool:
    """Return True for data with NUL bytes or many control characters."""
    if b"\x00" in data[:8192]:
        return True
    sample = data[:8192]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13, 12))
    return bool(sample) and controls / len(sample) > CONTROL_SHARE_LIMIT


def decode_bytes(data: bytes) -> str:
    """Decode article bytes; raise `DecodeError` with a readable reason when that is impossible."""
    if looks_binary(data):
        raise DecodeError("binary data, not text")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    match = from_bytes(data).best()
    if match is None:
        raise DecodeError("not UTF-8 and no other text encoding could be detected")
    return str(match)
