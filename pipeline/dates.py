"""Publication dates as ISO-8601, whatever form the source gave them in."""

from __future__ import annotations

import re
from datetime import datetime

from dateutil import parser as date_parser

# Newswire stamps such as "26-FEB-1987 15:01:01.79" carry hundredths of a second that dateutil reads
# as microseconds; drop them so the result stays second-precise.
_HUNDREDTHS = re.compile(r"(\d{2}:\d{2}:\d{2})\.\d{1,2}\b")


def to_iso8601(value: str | None) -> str | None:
    """Return `value` as an ISO-8601 date or date-time; unparseable values are kept as given."""
    if value is None or not value.strip():
        return None
    text = _HUNDREDTHS.sub(r"\1", value.strip())
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    try:
        parsed = date_parser.parse(text, default=datetime(1900, 1, 1))
    except (ValueError, OverflowError, TypeError):
        return value.strip()
    has_time = bool(re.search(r"\d{1,2}:\d{2}", text))
    return parsed.isoformat() if has_time else parsed.date().isoformat()
