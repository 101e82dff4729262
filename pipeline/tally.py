"""Pick the clear leader of a count: the one key named most often, and clearly so."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def clear_leader(counts: Mapping[K, int], min_count: int) -> K | None:
    """Return the key with the highest count if it reaches `min_count` and no other key ties it."""
    ranked = Counter(counts).most_common(2)
    if not ranked or ranked[0][1] < min_count:
        return None
    if len(ranked) > 1 and ranked[1][1] >= ranked[0][1]:
        return None
    return ranked[0][0]
