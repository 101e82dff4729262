"""Word lists read from the YAML under configs/: one check for every loader.

YAML reads a bare on/off/yes/no as a boolean, so `adverbs: [down, off]` silently holds `False`
and "shares were off 2%" never matches. `word_set` refuses such a list with the fix in the message.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def word_set(values: Iterable[Any] | None, where: str = "a word list") -> frozenset[str]:
    """Return the lower-cased words of a YAML list; raise ValueError when YAML made one a boolean."""
    values = list(values or ())
    if any(isinstance(v, bool) for v in values):
        raise ValueError(f'{where} holds a boolean ({values!r}): quote words like "off" or "on" in the YAML')
    return frozenset(str(v).casefold() for v in values)
